"""The optional LLM judge, against the scripted OpenAI-compatible server on loopback."""

import json

import pytest

from core.errors import ConfigurationError
from evals.dataset import DEFAULT_DATASET
from evals.judge import LLMJudge, parse_claims, parse_verdicts
from evals.runner import run_eval

PASSAGE = "成都高新区实施“揭榜挂帅”机制，面向全球发布技术需求榜单。"


@pytest.fixture
def judge_settings(indexed_settings, fake_openai):
    return indexed_settings.updated(model={"base_url": fake_openai.base_url, "name": "judge", "retries": 0})


def record(answer: str, refused: bool = False) -> dict:
    citation = {"n": 1, "passage": PASSAGE, "source": "x.txt", "chunk_id": "c", "text": PASSAGE}
    return {"id": "t", "answer": answer, "refused": refused, "citations": [] if refused else [citation]}


def test_parsers_tolerate_model_formatting() -> None:
    assert parse_claims("- 甲[1]\n\n乙\n无") == ["甲", "乙"]
    assert parse_verdicts("1：支持\n2. 不支持\n", 2) == [True, False]
    assert parse_verdicts("1: 支持", 2) is None  # a verdict missing: no score rather than a guess


def test_grounded_answer_scores_high_and_fabrication_is_caught(judge_settings) -> None:
    judge = LLMJudge(judge_settings)
    grounded = judge.judge(record("根据资料，相关论述如下：\n1. 成都高新区实施“揭榜挂帅”机制[1]"))
    assert grounded.claims == ["成都高新区实施“揭榜挂帅”机制"] and grounded.score == 1.0
    fabricated = judge.judge(record(f"{PASSAGE}[1]\n该机制已在全国推广，累计投入五百亿元。[1]"))
    assert fabricated.supported == [True, False] and fabricated.score == 0.5
    assert judge.judge(record("", refused=True)) is None


def test_endpoint_down_is_an_error_not_a_score(indexed_settings) -> None:
    settings = indexed_settings.updated(model={"base_url": "http://127.0.0.1:9/v1", "retries": 0, "timeout": 2})
    judged = LLMJudge(settings).judge(record(f"{PASSAGE}[1]"))
    assert judged.error and judged.score is None


def test_eval_run_reports_the_judge_apart_from_the_metrics(judge_settings, tmp_path) -> None:
    dataset = tmp_path / "d.jsonl"  # two real items keep the run short
    items = [json.loads(line) for line in DEFAULT_DATASET.read_text(encoding="utf-8").splitlines()[:2]]
    dataset.write_text("\n".join(json.dumps(i, ensure_ascii=False) for i in items) + "\n", encoding="utf-8")
    run = run_eval(dataset, tmp_path / "out", judge_settings, backend="extractive", baseline=False, judge=True)
    judged = run.report["llm_judge"]
    assert judged["model"] == "judge" and judged["items_judged"] >= 1 and judged["faithfulness"] >= 0.8
    assert "faithfulness" not in run.report["summary"]
    results = [json.loads(line) for line in (tmp_path / "out" / "results.jsonl").read_text().splitlines()]
    assert any("llm_judge" in r for r in results)
    assert "LLM-judge" in (tmp_path / "out" / "report.md").read_text(encoding="utf-8")


def test_judge_without_endpoint_is_refused_clearly(indexed_settings, tmp_path) -> None:
    with pytest.raises(ConfigurationError, match="RONGZHI_MODEL__BASE_URL"):
        run_eval(tmp_path / "none.jsonl", tmp_path, indexed_settings, judge=True)
