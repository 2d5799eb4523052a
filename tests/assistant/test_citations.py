"""Citation verification: every [n] maps to a passage; a wrong number is flagged; quotes are verbatim."""

import re

import pytest

from assistant.answer import Passage
from assistant.verify import CitationVerifier, parse_answer, strip_dangling_markers
from core.settings import PROJECT_ROOT

CORPUS = PROJECT_ROOT / "corpus"

QUESTIONS = [
    "科技创新与产业创新融合面临哪些障碍？",
    "技术图谱是什么？",
    "比较各篇文章提出的人才政策建议",
    "为什么要推动科技创新与产业创新融合？",
]


@pytest.mark.parametrize("question", QUESTIONS)
def test_every_marker_maps_to_a_cited_passage_and_quotes_are_verbatim(assistant, question: str) -> None:
    answer = assistant.ask(question)
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", answer.text)}
    assert markers and markers == {c.n for c in answer.citations}
    for sentence in answer.sentences:
        assert sentence.citations and sentence.supported
    for citation in answer.citations:
        assert citation.text in citation.passage
        original = (CORPUS / citation.source).read_text(encoding="utf-8")[citation.char_start : citation.char_end]
        assert "".join(original.split()) == "".join(citation.text.split())


def _passage(n: int, text: str) -> Passage:
    return Passage(f"c{n}", "x.txt", "t", "s", "text", text, 0, len(text), 1.0)


def test_sentence_with_wrong_number_is_re_pointed_or_flagged() -> None:
    numbered = {
        1: _passage(1, "成都高新区推行“揭榜挂帅”机制，面向全球发布技术需求榜单。"),
        2: _passage(2, "苏州工业园区构建产学研用金一体化体系，推动科技成果转化。"),
    }
    text = (
        "要点：\n1. 成都高新区推行“揭榜挂帅”机制，面向全球发布技术需求榜单。[1]\n"
        "2. 苏州工业园区构建产学研用金一体化体系。[1]"
    )
    # Without attribution the wrong number is flagged; with it, the claim is cited to the passage holding it.
    flagged = CitationVerifier(0.5, attribute=False).check(parse_answer(text), numbered)
    assert [s.supported for s in flagged] == [True, False]
    checked = CitationVerifier(0.5).check(parse_answer(text), numbered)
    assert [(s.supported, s.citations) for s in checked] == [(True, [1]), (True, [2])]
    fixed = text.replace("一体化体系。[1]", "一体化体系。[2]")
    assert all(s.supported for s in CitationVerifier(0.5, attribute=False).check(parse_answer(fixed), numbered))


def test_fabricated_sentence_and_dangling_marker() -> None:
    numbered = {1: _passage(1, "成都高新区推行“揭榜挂帅”机制，面向全球发布技术需求榜单。")}
    text = "1. 成都高新区推行揭榜挂帅机制。[1]\n2. 该机制使成都GDP翻了三倍。[1]\n3. 另有说法。[7]"
    cleaned = strip_dangling_markers(text, set(numbered))
    assert "[7]" not in cleaned
    checked = CitationVerifier(0.5).check(parse_answer(cleaned), numbered)
    assert [s.supported for s in checked] == [True, False, False]
    assert checked[2].citations == []


def test_lead_in_lines_are_not_claims() -> None:
    parsed = parse_answer("资料中列出的要点如下：\n1. 第一句。[1]第二句。[2]")
    assert [(p.text, p.markers) for p in parsed] == [("第一句。", [1]), ("第二句。", [2])]
