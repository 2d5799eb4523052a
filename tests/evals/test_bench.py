"""`rongzhi bench` end to end on a small synthetic scale: every measure present, JSON and Markdown written."""

import json

import pytest

from evals.bench import TARGETS, run_bench

pytestmark = pytest.mark.slow


def test_bench_measures_everything_side_by_side(indexed_settings, tmp_path) -> None:
    report = run_bench(indexed_settings, tmp_path, scales=(1200,), cold=False, max_questions=8)
    assert report["ingest"]["chunks"] > 300 and report["ingest"]["unchanged_reingest_seconds"] < 5
    assert report["ingest"]["one_file_changed_embedded"] >= 1
    assert report["corpus"]["retrieval_ms"]["n"] == 8 and report["baseline"]["retrieval_ms"]["n"] == 8
    assert report["ratios"]["retrieval_p50_rongzhi_over_baseline"] > 0
    assert report["scale"][0]["chunks"] == 1200 and report["scale"][0]["retrieval_ms"]["p95"] > 0
    assert set(report["targets"]) == set(TARGETS)
    assert json.loads((tmp_path / "bench.json").read_text(encoding="utf-8"))["questions"] == 8
    markdown = (tmp_path / "bench.md").read_text(encoding="utf-8")
    assert "| 1200 |" in markdown and "plain llama-index baseline" in markdown
