"""One answer, three layouts (terminal text, Markdown export, UI HTML) built from the same parts."""

from assistant import prompts
from assistant.answer import Answer, AnswerSentence, Citation, Passage
from assistant.render import answer_parts, escape, to_html, to_markdown, to_text

PAPERS = {"a.txt": {"title": "办法甲", "authors": ["王五", "赵六"], "venue": "某公报", "year": 2024}}
PASSAGE = "第一款内容。申请人应当在三十日内补正材料。第三款内容。"
QUOTE = "申请人应当在三十日内补正材料。"


def passage(text: str = PASSAGE, kind: str = "text") -> Passage:
    return Passage("c1", "a.txt", "办法甲", "第二章 申请", kind, text, 10, 10 + len(text), 0.03, 0.85, 4.2)


def answered(text: str = f"{QUOTE}[1]", unsupported: bool = False) -> Answer:
    citation = Citation(1, "a.txt", "办法甲", "第二章 申请", "c1", QUOTE, 16, 16 + len(QUOTE), PASSAGE)
    sentence = AnswerSentence(QUOTE, [1], not unsupported, 0.2 if unsupported else 1.0)
    return Answer("补正期限多久？", text, False, "extractive", "补正期限多久？", [citation], [passage()], [sentence])


def refusal() -> Answer:
    return Answer(
        "罚款多少？", prompts.CANNOT_ANSWER, True, "extractive", retrieved=[passage(), passage(kind="reference")]
    )


def test_the_three_layouts_carry_the_same_sources() -> None:
    parts = answer_parts(answered(), PAPERS)
    assert [s.quote for s in parts.sources] == [QUOTE] and parts.sources[0].byline == "王五、赵六 · 某公报 2024"
    location = prompts.QUOTE_LOCATION.format(source="a.txt", start=16, end=16 + len(QUOTE))
    for rendered in (to_text(answered(), PAPERS), to_markdown(answered(), PAPERS), to_html(answered(), PAPERS)):
        assert prompts.SOURCES_HEADING in rendered and "《办法甲》" in rendered and "第二章 申请" in rendered
        assert location in rendered


def test_html_highlights_the_quote_and_links_the_marker() -> None:
    html = to_html(answered(), PAPERS)
    assert f"第一款内容。<mark>{escape(QUOTE)}</mark>第三款内容。" in html
    assert 'href="#rz-t1-cite-1" title=' in html and 'id="rz-t1-cite-1"' in html
    assert 'id="rz-t3-cite-1"' in to_html(answered(), PAPERS, turn=3)


def test_unsupported_sentences_are_flagged_everywhere() -> None:
    answer = answered(unsupported=True)
    assert "rz-unsupported" in to_html(answer, PAPERS) and prompts.UNSUPPORTED_MARK in to_text(answer, PAPERS)
    assert "rz-unsupported" not in to_html(answered(), PAPERS)


def test_html_from_questions_answers_and_papers_is_escaped() -> None:
    answer = answered(text="<script>alert(1)</script>[1]")
    hostile = {"a.txt": {"title": "<b>x</b>", "authors": ["<i>y</i>"]}}
    html = to_html(answer, hostile)
    assert "<script>" not in html and "<i>y</i>" not in html and "&lt;script&gt;" in html


def test_a_refusal_shows_related_passages_but_never_reference_entries() -> None:
    for rendered in (to_text(refusal(), PAPERS), to_markdown(refusal(), PAPERS), to_html(refusal(), PAPERS)):
        assert prompts.CANNOT_ANSWER in rendered and rendered.count("第二章 申请") == 1
    assert prompts.RELATED_BUT_INSUFFICIENT in to_text(refusal(), PAPERS)


def test_markdown_export_starts_with_the_question_and_quotes_sources() -> None:
    md = to_markdown(answered(), PAPERS)
    assert md.startswith(f"## {prompts.EXPORT_QUESTION}\n\n补正期限多久？") and f"> {QUOTE}" in md
    assert to_markdown(None, PAPERS) == ""


def test_a_rewritten_question_is_shown_only_when_it_differs() -> None:
    answer = answered()
    assert answer_parts(answer, PAPERS).rewritten is None
    answer.standalone_question = "申请材料的补正期限多久？"
    answer.rewrite_mode = "pronoun"
    assert "申请材料的补正期限多久？" in to_text(answer, PAPERS)


def test_the_internal_query_of_an_item_follow_up_is_never_shown() -> None:
    # "那第二条具体指什么？" is searched with the item glued to the earlier question: an internal query
    answer = answered()
    answer.question = "那第二条具体指什么？"
    answer.standalone_question = "补正期限多久：“申请人应当在三十日内补正材料”具体指什么？"
    answer.rewrite_mode = "ordinal"
    for rendered in (to_text(answer, PAPERS), to_markdown(answer, PAPERS), to_html(answer, PAPERS)):
        assert "检索" not in rendered and "具体指什么？”" not in rendered
    answer.question, answer.rewrite_mode, answer.rewrite_readable = "还有吗？", "more", False  # after such a follow-up
    assert "检索" not in to_text(answer, PAPERS)


def test_a_citation_of_registered_data_shows_no_invented_offsets() -> None:
    registered = "作者单位：某某研究院"
    answer = answered(text=f"{registered}[1]")
    answer.citations[0] = Citation(1, "a.txt", "办法甲", "文献信息", "a.txt#manifest", registered, 0, 0, registered)
    for rendered in (to_text(answer, PAPERS), to_markdown(answer, PAPERS), to_html(answer, PAPERS)):
        assert prompts.QUOTE_REGISTERED in rendered
        assert prompts.QUOTE_LOCATION.format(start=0, end=0) not in rendered


def test_a_pdf_citation_shows_its_page_in_every_layout() -> None:
    answer = answered()
    answer.citations[0] = Citation(
        1, "a.pdf", "办法甲", "第二章 申请", "c1", QUOTE, 16, 16 + len(QUOTE), PASSAGE, page_start=7, page_end=8
    )
    for rendered in (to_text(answer, PAPERS), to_markdown(answer, PAPERS), to_html(answer, PAPERS)):
        assert "第二章 申请 · 第 7–8 页" in rendered
    answer.citations[0].page_end = 7
    assert "第二章 申请 · 第 7 页" in to_text(answer, PAPERS)
    # a file without pages shows the section alone
    assert "页" not in to_text(answered(), PAPERS).split(prompts.SOURCES_HEADING)[1]


def test_corpus_markup_and_file_names_are_not_shown() -> None:
    marked = "第一款内容。**申请人**应当在三十日内补正材料^[22]。<sup>[3]</sup>第三款内容。"
    answer = answered()
    answer.citations[0].passage = marked
    answer.retrieved = [passage(marked)]
    for rendered in (to_text(answer, PAPERS), to_markdown(answer, PAPERS), to_html(answer, PAPERS)):
        assert "**" not in rendered and "^[22]" not in rendered and "sup" not in rendered and "a.txt" not in rendered
    assert f"<mark>{QUOTE}</mark>" in to_html(answer, PAPERS)  # the quote is found in the cleaned passage
    assert answer.citations[0].char_start == 16  # the span into the original file is untouched


def test_a_notice_title_quoting_its_document_is_cited_with_angle_brackets_inside() -> None:
    title = "某县关于印发《办法甲》的通知"
    citation = Citation(1, "a.txt", title, "第二章 申请", "c1", QUOTE, 16, 16 + len(QUOTE), PASSAGE)
    answer = Answer("补正期限多久？", f"{QUOTE}[1]", False, "extractive", "补正期限多久？", [citation], [passage()])
    assert "《某县关于印发〈办法甲〉的通知》" in to_text(answer, PAPERS)
