"""`rongzhi eval` end to end, and the CI gate: the default backend must keep meeting these thresholds."""

import json
from pathlib import Path

import pytest

from evals.runner import run_eval
from evals.suites import SUITES
from ingest.pipeline import run_ingest
from rongzhi import main

# The CI gate, per suite and split: floors just under the values measured on this machine (README, "Evaluation";
# `rongzhi eval -q`); a change that makes answers worse on either corpus fails CI. The test split is the number
# that predicts users; the tuning split is gated too, so an improvement there cannot hide a loss.
GATES: dict[str, dict[str, dict[str, float]]] = {
    # ~0.03 under the numbers of session 27 (README), per suite and split; a refusal floor one or two questions
    # under (papers test: 5 of 13 unanswerable, one question moves it by 0.077)
    "papers": {
        "test": {
            "quote_recall": 0.84,
            "mrr": 0.84,
            "doc_recall": 0.93,
            "key_point_coverage": 0.75,
            "line_precision": 0.65,
            "citation_precision": 0.78,
            "citation_support": 0.97,
            "groundedness": 0.97,
            "refusal_recall": 0.38,
        },
        "tuning": {
            "quote_recall": 0.89,
            "mrr": 0.85,
            "doc_recall": 0.94,
            "key_point_coverage": 0.86,
            "line_precision": 0.67,
            "citation_precision": 0.72,
            "citation_support": 0.97,
            "groundedness": 0.97,
            "refusal_recall": 0.75,
        },
    },
    "official": {
        "test": {
            "quote_recall": 0.87,
            "mrr": 0.75,
            "doc_recall": 0.96,
            "key_point_coverage": 0.64,
            "line_precision": 0.4,
            "citation_precision": 0.47,
            "citation_support": 0.97,
            "groundedness": 0.97,
            "refusal_recall": 0.72,
        },
        "tuning": {
            "quote_recall": 0.86,
            "mrr": 0.76,
            "doc_recall": 0.95,
            "key_point_coverage": 0.77,  # .808 in session 28
            "line_precision": 0.46,
            "citation_precision": 0.55,
            "citation_support": 0.97,
            "groundedness": 0.97,
            "refusal_recall": 0.72,
        },
    },
    "colloquial": {
        "test": {
            "quote_recall": 0.86,  # .889 in session 30
            "mrr": 0.67,
            "doc_recall": 0.95,
            "key_point_coverage": 0.58,
            "line_precision": 0.53,
            "citation_precision": 0.6,
            "citation_support": 0.97,
            "groundedness": 0.97,
            "refusal_recall": 0.56,  # .640 in session 29 (one item moves it by .04)
        },
        "tuning": {
            "quote_recall": 0.87,
            "mrr": 0.77,
            "doc_recall": 0.95,
            "key_point_coverage": 0.59,  # .626 in session 28
            "line_precision": 0.46,
            "citation_precision": 0.55,
            "citation_support": 0.97,
            "groundedness": 0.97,
            "refusal_recall": 0.65,
        },
    },
}
# Ceilings for the one metric where lower is better (answerable questions refused). The colloquial suite's are
# wide: its test documents show the gate refusing half the answerable questions (README, issue 15).
MAX_FALSE_REFUSAL: dict[str, dict[str, float]] = {
    "papers": {"test": 0.10, "tuning": 0.05},
    "official": {"test": 0.10, "tuning": 0.06},  # tuning .019 in session 28
    "colloquial": {"test": 0.27, "tuning": 0.23},  # tuning .200 in session 28
}
RESULT_FIELDS = {"id", "question", "answer", "refused", "citations", "retrieved", "latency_ms"}


@pytest.fixture(scope="session")
def suite_runs(indexed_settings, tmp_path_factory) -> dict:
    """Each suite run as `rongzhi eval` runs it: its own corpus, ingested into its own data dir."""
    runs = {}
    for name, suite in SUITES.items():
        settings = suite.settings(indexed_settings)
        run_ingest(settings)
        runs[name] = run_eval(suite.dataset, tmp_path_factory.mktemp(f"eval-{name}"), settings)
    return runs


@pytest.mark.slow
@pytest.mark.parametrize("suite", sorted(GATES))
def test_groundedness_gate(suite_runs, suite: str) -> None:
    report = suite_runs[suite].report
    assert report["summary"]["errors"] == 0
    for split, floors in GATES[suite].items():
        summary = report["splits"][split]["summary"]
        for metric, floor in floors.items():
            assert summary[metric] >= floor, (suite, split, metric, summary[metric])
        assert summary["false_refusal_rate"] <= MAX_FALSE_REFUSAL[suite][split], (suite, split)
    if suite == "papers":  # on the official documents the plain pipeline's quote recall is as good (README)
        assert report["ratios"]["quote_recall"] > 1.0


@pytest.mark.slow
def test_results_follow_the_contract_and_reports_exist(suite_runs) -> None:
    run = suite_runs["papers"]
    lines = (run.out_dir / "results.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) == run.report["run"]["items"]
    for record in records:
        assert set(record) >= RESULT_FIELDS
        assert len(record["retrieved"]) >= 5 or record["refused"]
        for citation in record["citations"]:
            assert {"n", "source", "chunk_id", "text"} <= set(citation)
            assert citation["source"].endswith(".txt")
    for name in ("report.json", "report.md", "report.html"):
        assert (run.out_dir / name).stat().st_size > 1000
    html = (run.out_dir / "report.html").read_text(encoding="utf-8")
    assert html.count("<svg") >= 3 and html.count("<table>") >= 4 and "| metric" not in html
    assert set(run.report["by_kind"]) == {"fact", "list", "why", "compare", "unanswerable", "followup"}
    assert set(run.report["splits"]) == {"tuning", "test"}
    severities = [item["severity"] for item in run.report["items"]]
    markdown = (run.out_dir / "report.md").read_text(encoding="utf-8")
    items_table = markdown[markdown.index("## Items") :]
    first = [line.split(" | ")[0].lstrip("| ") for line in items_table.splitlines()[4:]]
    by_id = {item["id"]: item["severity"] for item in run.report["items"]}
    assert [by_id[i] for i in first] == sorted(severities)  # the most harmful items come first


def test_any_dataset_in_the_format_works_and_failures_keep_their_line(indexed_settings, tmp_path: Path, capsys) -> None:
    dataset = tmp_path / "mine.jsonl"
    items = [
        {
            "id": "a",
            "question": "成都高新区用什么机制攻克技术难题？",
            "kind": "fact",
            "answerable": True,
            "gold_docs": ["002_1028a8bc601cd370.txt"],
            "gold_quotes": ["成都高新区推行“揭榜挂帅”机制"],
            "key_points": ["揭榜挂帅"],
            "reference_answer": "揭榜挂帅",
        },
        # Valid in the format but rejected by the assistant: the run records the error and goes on.
        {
            "id": "b",
            "question": "融合" * 60_000,
            "kind": "fact",
            "answerable": True,
            "gold_docs": [],
            "gold_quotes": [],
            "key_points": [],
            "reference_answer": "",
        },
    ]
    dataset.write_text("\n".join(json.dumps(i, ensure_ascii=False) for i in items), encoding="utf-8")
    out = tmp_path / "out"
    import os

    os.environ["RONGZHI_STORAGE__DATA_DIR"] = str(indexed_settings.storage.data_dir)
    try:
        from core.settings import get_settings

        get_settings.cache_clear()
        assert main(["eval", "--dataset", str(dataset), "--out", str(out), "--no-baseline", "-q"]) == 0
    finally:
        del os.environ["RONGZHI_STORAGE__DATA_DIR"]
        get_settings.cache_clear()
    records = [json.loads(line) for line in (out / "results.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == ["a", "b"]
    assert "揭榜挂帅" in records[0]["answer"] and "error" not in records[0]
    assert "error" in records[1]
    assert "key-point coverage" in capsys.readouterr().out


def test_a_model_run_records_each_items_backend_and_the_fallback_rate_per_split(
    tmp_path: Path, make_settings, small_corpus, fake_openai
) -> None:
    """A model whose answers cannot be tied to the passages: each answered item falls back to the extractive answer
    and says so; the refused item never asked the model and is not counted. On the short papers of small_corpus."""
    settings = make_settings(
        tmp_path / "data",
        storage={"corpus_dir": small_corpus(tmp_path)},
        model={"base_url": fake_openai.base_url, "name": "garbage", "retries": 0},
    )
    run_ingest(settings)
    base = {"kind": "fact", "gold_docs": ["b_paper.md"], "gold_quotes": ["中试平台降低了企业承担的转化风险"]}
    items = [
        {**base, "id": "t1", "question": "中试平台有什么作用？", "answerable": True, "split": "tuning"},
        {**base, "id": "t2", "question": "揭榜挂帅机制按什么付费？", "answerable": True, "split": "test"},
        {**base, "id": "t3", "question": "海洋牧场的养殖面积有多大？", "answerable": False, "split": "test"},
    ]
    for item in items:
        item.update(
            key_points=[], reference_answer="", **({} if item["answerable"] else {"gold_docs": [], "gold_quotes": []})
        )
    dataset = tmp_path / "items.jsonl"
    dataset.write_text("\n".join(json.dumps(i, ensure_ascii=False) for i in items) + "\n", encoding="utf-8")
    run = run_eval(dataset, tmp_path / "out", settings, backend="openai", baseline=False)
    records = {r["id"]: r for r in map(json.loads, (tmp_path / "out" / "results.jsonl").read_text().splitlines())}
    for answered in ("t1", "t2"):
        record = records[answered]
        assert (record["requested_backend"], record["backend"], record["fallback"]) == ("openai", "extractive", True)
    assert records["t3"]["refused"] and not records["t3"]["model_called"] and not records["t3"]["fallback"]
    summary, splits = run.report["summary"], run.report["splits"]
    assert (summary["model_items"], summary["fallbacks"], summary["fallback_rate"]) == (2, 2, 1.0)
    assert splits["tuning"]["summary"]["fallback_rate"] == 1.0 and splits["test"]["summary"]["model_items"] == 1
    for name in ("report.md", "report.html"):
        assert "extractive fallback rate (model runs)" in (tmp_path / "out" / name).read_text(encoding="utf-8")
    assert "1.000 (2/2)" in (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
