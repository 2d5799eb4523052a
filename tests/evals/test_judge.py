"""The optional LLM judge, against the scripted OpenAI-compatible server on loopback."""

import json

import pytest

from core.errors import ConfigurationError, RongzhiError
from evals.judge import JudgeFailedError, LLMJudge, parse_claims, parse_verdicts
from evals.runner import run_eval

PASSAGE = "成都高新区实施“揭榜挂帅”机制，面向全球发布技术需求榜单。"


# Two questions about the two short papers of the small_corpus fixture (not the shipped documents)
ITEMS = [
    {
        "id": "s1",
        "question": "中试平台有什么作用？",
        "kind": "fact",
        "answerable": True,
        "gold_docs": ["b_paper.md"],
        "gold_quotes": ["中试平台降低了企业承担的转化风险"],
        "key_points": ["转化风险"],
        "reference_answer": "降低企业承担的转化风险",
    },
    {
        "id": "s2",
        "question": "揭榜挂帅机制按什么付费？",
        "kind": "fact",
        "answerable": True,
        "gold_docs": ["a_paper.md"],
        "gold_quotes": ["该机制按成果付费"],
        "key_points": ["按成果付费"],
        "reference_answer": "按成果付费",
    },
]


@pytest.fixture(scope="module")
def small_index(tmp_path_factory, make_settings, small_corpus):
    """(settings, dataset) of the two short papers, indexed (seconds, not the real corpus's minutes)."""
    from ingest.pipeline import run_ingest

    root = tmp_path_factory.mktemp("judge-index")
    settings = make_settings(root / "data", storage={"corpus_dir": small_corpus(root)})
    run_ingest(settings)
    dataset = root / "items.jsonl"
    dataset.write_text("\n".join(json.dumps(i, ensure_ascii=False) for i in ITEMS) + "\n", encoding="utf-8")
    return settings, dataset


@pytest.fixture
def judge_settings(small_index, fake_openai):
    return small_index[0].updated(model={"base_url": fake_openai.base_url, "name": "judge", "retries": 0})


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


def test_endpoint_down_is_an_error_not_a_score(make_settings, tmp_path) -> None:
    settings = make_settings(tmp_path, judge={"base_url": "http://127.0.0.1:9/v1", "retries": 0, "timeout": 2})
    judged = LLMJudge(settings).judge(record(f"{PASSAGE}[1]"))
    assert judged.error and judged.score is None


def test_eval_run_reports_the_judge_apart_from_the_metrics(judge_settings, small_index, tmp_path) -> None:
    dataset = small_index[1]
    run = run_eval(dataset, tmp_path / "out", judge_settings, backend="extractive", baseline=False, judge=True)
    judged = run.report["llm_judge"]
    assert judged["model"] == "judge" and judged["items_judged"] >= 1 and judged["faithfulness"] >= 0.8
    assert "faithfulness" not in run.report["summary"]
    results = [json.loads(line) for line in (tmp_path / "out" / "results.jsonl").read_text().splitlines()]
    assert any("llm_judge" in r for r in results)
    assert "LLM-judge" in (tmp_path / "out" / "report.md").read_text(encoding="utf-8")


def test_judge_without_endpoint_is_refused_clearly(make_settings, tmp_path) -> None:
    with pytest.raises(ConfigurationError, match="RONGZHI_JUDGE__BASE_URL"):
        run_eval(tmp_path / "none.jsonl", tmp_path, make_settings(tmp_path), judge=True)


def test_the_judge_has_its_own_endpoint_and_model(small_index, fake_openai, tmp_path) -> None:
    """No answer model at all (extractive), a judge of its own: the report names the judge's model."""
    settings = small_index[0].updated(judge={"base_url": fake_openai.base_url, "name": "judge", "retries": 0})
    assert settings.model.base_url is None
    run = run_eval(small_index[1], tmp_path, settings, backend="extractive", baseline=False, judge=True)
    judged = run.report["llm_judge"]
    assert judged["model"] == "judge" and judged["items_judged"] == 2 and judged["items_not_judged"] == 0


def test_a_judge_that_judges_nothing_fails_the_run_in_one_line(small_index, tmp_path) -> None:
    settings = small_index[0].updated(judge={"base_url": "http://127.0.0.1:9/v1", "retries": 0, "timeout": 2})
    with pytest.raises(JudgeFailedError) as caught:
        run_eval(small_index[1], tmp_path, settings, backend="extractive", baseline=False, judge=True)
    message = str(caught.value)
    assert isinstance(caught.value, RongzhiError) and "\n" not in message
    assert "judged none of 2 answered items" in message and "s1:" in message
    # the results and reports are written first, each item marked as not judged, with the count
    records = [json.loads(line) for line in (tmp_path / "results.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["llm_judge"]["judged"] for r in records] == [False, False]
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))["llm_judge"]
    assert report["items_judged"] == 0 and report["items_not_judged"] == 2 and report["faithfulness"] is None
    assert "Items the judge could not judge" in (tmp_path / "report.md").read_text(encoding="utf-8")
