"""The Assistant API: validation, filters, streaming, JSON shape, retrieval quality on known passages."""

import json

import pytest

from assistant.core import InvalidQuestionError
from assistant.prompts import EMPTY_QUESTION


@pytest.mark.parametrize("question", ["", "   ", "\n\t", "\x00\x01"])
def test_empty_questions_get_a_clear_message(assistant, question: str) -> None:
    with pytest.raises(InvalidQuestionError, match=EMPTY_QUESTION):
        assistant.ask(question)


def test_huge_question_is_rejected_with_its_length(assistant) -> None:
    with pytest.raises(InvalidQuestionError, match="100000"):
        assistant.ask("科技创新" * 25000)


def test_control_characters_and_html_do_not_break_answering(assistant) -> None:
    answer = assistant.ask("<script>alert(1)</script>技术图谱\x07是什么？")
    # The policy holds either way: a cited answer or the refusal, never the markup echoed back.
    assert "<script>" not in answer.text and (answer.refused or answer.citations)


def test_source_filter_limits_every_passage(assistant) -> None:
    only = "002_1028a8bc601cd370.txt"
    answer = assistant.ask("科技创新与产业创新融合面临哪些挑战？", sources=[only])
    assert answer.retrieved and {p.source for p in answer.retrieved} == {only}
    assert {c.source for c in answer.citations} == {only}


def test_stream_then_final_answer(assistant) -> None:
    events = list(assistant.ask_stream("什么是新质生产力？"))
    assert events[-1].kind == "final"
    assert "".join(e.text for e in events if e.kind == "delta") == events[-1].answer.text


def test_answer_serialises_to_json(assistant) -> None:
    data = json.loads(json.dumps(assistant.ask("什么是新质生产力？").to_dict(), ensure_ascii=False))
    assert {"text", "refused", "citations", "retrieved", "timings_ms", "backend", "unsupported"} <= set(data)
    assert {"n", "source", "title", "section", "chunk_id", "text", "char_start", "char_end"} <= set(
        data["citations"][0]
    )
    assert {"retrieve", "answer", "total"} <= set(data["timings_ms"])
    assert data["retrieved"] and "lead" not in data["retrieved"][0]


@pytest.mark.parametrize(
    ("question", "source", "needle"),
    [
        ("成都高新区的揭榜挂帅机制", "002_1028a8bc601cd370.txt", "揭榜挂帅"),
        ("2022年农业科技创新的政府投入占比", "001_0de1b189b60f6b95.txt", "76.3%"),
        ("巴中市如何发展通江银耳产业", "003_090f710a03566b90.txt", "银耳"),
        ("科技与产业关系在历次科技革命中如何演变", "004_d74038458770c382.txt", "科技革命"),
        ("华为与清华大学合作的智能基座项目", "000_594e114ab5fb1929.txt", "智能基座"),
    ],
)
def test_hybrid_retrieval_finds_known_passages(assistant, question, source, needle) -> None:
    result = assistant.retriever.retrieve(question)
    assert any(p.source == source and needle in p.text for p in result.passages[:5])


def test_reference_lists_are_down_weighted(assistant) -> None:
    result = assistant.retriever.retrieve("科技创新和产业创新融合发展的趋势及建议")
    assert result.passages[0].kind != "reference"


def test_a_list_spread_over_subsections_names_each_of_them(assistant) -> None:
    """002 lists its challenges as sub-headings (一)…(四) under 三、融合发展面临的现实挑战."""
    answer = assistant.ask("科技创新与产业创新融合面临哪些挑战？", sources=["002_1028a8bc601cd370.txt"])
    subsections = {c.section.rsplit(" > ", 1)[-1][:3] for c in answer.citations}
    assert subsections == {"(一)", "(二)", "(三)", "(四)"}
    assert "死亡之谷" in answer.text and "区域发展不平衡" in answer.text
