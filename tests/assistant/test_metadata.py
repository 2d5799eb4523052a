"""Questions about the documents themselves: where the last answer came from, and who wrote a paper, where and
when. Unit tests on invented documents built as real chunks; the end-to-end test indexes the small corpus."""

from __future__ import annotations

import json

import numpy as np
import pytest

from assistant import prompts
from assistant.answer import Answer
from assistant.conversation import Conversation
from assistant.index import Generation
from assistant.metadata import (
    DocumentFacts,
    Located,
    article_of,
    asks_for_source,
    following_items,
    locate,
    metadata_answer,
    metadata_field,
    metadata_fields,
    source_answer,
    title_block,
)
from assistant.verify import MARKER
from core.schema import Chunk, IndexState

PAPER = "river.md"
LAW = "rule.txt"
PAPER_TITLE = "河道巡查制度研究：以某市为例"
LAW_TITLE = "某市河道管理条例"


def chunk(source: str, order: int, section: str, text: str, title: str) -> Chunk:
    return Chunk(f"{source}:{order}", source, title, section, "text", text, 0, len(text), len(text), order)


CHUNKS = [
    chunk(PAPER, 0, "", "周七 吴八\n某省水利研究院（某市 100000）\n摘要：本文讨论河道巡查。", PAPER_TITLE),
    chunk(PAPER, 1, "一、巡查的做法", "(1) 建立网格化巡查台账，责任到人。(2) 推行无人机航拍巡查。", PAPER_TITLE),
    chunk(
        PAPER, 2, "一、巡查的做法", "航拍影像每周比对一次。(3) 引入群众举报奖励。(4) 按季度公布巡查结果。", PAPER_TITLE
    ),
    chunk(PAPER, 3, "二、典型经验 > （一）甲县：设立河道警长", "甲县由派出所民警兼任河道警长。", PAPER_TITLE),
    chunk(LAW, 0, "第一章　总则", "第一条　为了加强河道管理，制定本条例。\n第二条　河道采砂实行许可制度。", LAW_TITLE),
    chunk(LAW, 1, "第二章　采砂", "第十条　采砂许可由市水行政主管部门审批。", LAW_TITLE),
]
PAPERS = {
    PAPER: {"title": PAPER_TITLE, "authors": ["周七", "吴八"], "affiliation": "某省水利研究院", "year": None},
    LAW: {"title": LAW_TITLE, "authors": []},
}


def generation(chunks: list[Chunk] | None = None, papers: dict | None = None) -> Generation:
    chunks = CHUNKS if chunks is None else chunks
    ordered = sorted(chunks, key=lambda c: (c.source, c.order))
    following = {a.chunk_id: b.chunk_id for a, b in zip(ordered, ordered[1:], strict=False) if a.source == b.source}
    return Generation(
        state=IndexState(collection="invented", fingerprint="", papers=PAPERS if papers is None else papers),
        collection=None,
        chunks=chunks,
        by_id={c.chunk_id: c for c in chunks},
        sources=np.array([c.source for c in chunks]),
        bm25=None,
        next_chunk=following,
        text="",
    )


def transcript(answer: str, question: str = "采砂要办什么手续？") -> Conversation:
    return Conversation.from_messages([{"role": "user", "content": question}, {"role": "assistant", "content": answer}])


# --- (a) "这是哪个文件说的？" -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "question", ["这是哪个文件说的？", "这是哪部法律规定的？", "出自哪篇文章？", "它是哪篇文章提出的？"]
)
def test_a_question_about_the_previous_answers_source_is_recognised_by_form(question: str) -> None:
    assert asks_for_source(question, transcript("采砂许可由市水行政主管部门审批。[1]"))
    assert not asks_for_source(question, None)  # nothing was answered yet


@pytest.mark.parametrize("question", ["哪篇文章提出了网格化巡查台账？", "这个是哪天开始施行的？", "它由哪个部门审批？"])
def test_questions_about_the_content_are_not_source_questions(question: str) -> None:
    assert not asks_for_source(question, transcript("采砂许可由市水行政主管部门审批。[1]"))


def test_the_source_answer_quotes_the_previous_citations_with_document_section_and_article() -> None:
    answer = source_answer("这是哪部法律规定的？", transcript("1. 采砂许可由市水行政主管部门审批。[1]"), generation())
    assert answer is not None and answer.kind == "source"
    assert f"《{LAW_TITLE}》" in answer.lines[0] and "第十条" in answer.text and "第二章" in answer.text
    assert [p.chunk_id for p in answer.passages] == [f"{LAW}:1"]
    quotes = [MARKER.sub("", line).split(". ", 1)[1] for line in answer.lines if MARKER.search(line)]
    assert quotes == ["第十条　采砂许可由市水行政主管部门审批。"]


def test_a_quote_that_opens_with_its_article_heading_is_labelled_by_that_article() -> None:
    text = "第四条　新修码头的泊位不得少于十个。\n第五条　任何船只不得在码头过夜。确需停靠的，应当申请。"
    law = [chunk(LAW, 0, "", text, LAW_TITLE)]
    opening = Located(law[0], text.index("第五条"), text.index("确需"))
    inside = Located(law[0], text.index("确需"), len(text))
    before = Located(law[0], 0, text.index("\n"))
    assert [article_of(q) for q in (opening, inside, before)] == ["第五条", "第五条", "第四条"]
    answer = source_answer("这是哪个文件说的？", transcript("1. 任何船只不得在码头过夜。[1]"), generation(law))
    assert answer is not None and "第五条" in answer.text and "第四条" not in answer.text


def test_the_source_answer_uses_the_turns_own_citations_when_it_has_them() -> None:
    from assistant.answer import Citation

    cited = CHUNKS[1]
    quote = "(2) 推行无人机航拍巡查。"
    previous = Answer("怎么巡查？", f"1. {quote}[1]", False, "extractive")
    start = cited.text.index(quote)
    previous.citations = [
        Citation(1, PAPER, PAPER_TITLE, cited.section, cited.chunk_id, quote, start, start + len(quote), cited.text)
    ]
    conversation = Conversation()
    conversation.add(previous)
    answer = source_answer("出自哪篇文章？", conversation, generation())
    assert answer is not None and f"《{PAPER_TITLE}》" in answer.text
    assert "1. 推行无人机航拍巡查。[1]" in answer.lines  # one numbering per line: the document's "(2)" gives way


def test_after_nothing_more_was_found_the_source_is_that_of_the_answer_before() -> None:
    from assistant import prompts

    conversation = Conversation.from_messages(
        [
            {"role": "user", "content": "采砂要办什么手续？"},
            {"role": "assistant", "content": "1. 采砂许可由市水行政主管部门审批。[1]"},
            {"role": "user", "content": "还有吗？"},
            {"role": "assistant", "content": prompts.NOTHING_MORE},
        ]
    )
    answer = source_answer("这是哪部法律规定的？", conversation, generation())
    assert answer is not None and not answer.refused and f"《{LAW_TITLE}》" in answer.lines[0]


def test_a_refused_or_unfindable_previous_answer_gets_no_source_answer() -> None:
    assert source_answer("这是哪个文件说的？", transcript("资料里找不到的一句话，谁也没写过。"), generation()) is None


# --- (b) locating an item and continuing an enumeration ---------------------------------------------------------
def test_an_abridged_or_marked_up_item_is_found_as_its_whole_sentence() -> None:
    found = locate("**采砂许可**由主管部门审批", CHUNKS)
    assert found is not None and found.text == "第十条　采砂许可由市水行政主管部门审批。"


def test_an_item_that_is_a_heading_stands_for_the_first_sentence_under_it() -> None:
    found = locate("甲县：设立河道警长。", CHUNKS)
    assert found is not None and found.text == "甲县由派出所民警兼任河道警长。"


def test_title_blocks_are_avoided_when_the_body_has_the_sentence_too() -> None:
    body_and_front = [*CHUNKS, chunk(PAPER, 4, "三、结语", "本文讨论河道巡查。", PAPER_TITLE)]
    front = {c.chunk_id for c in title_block(body_and_front, PAPER)}
    assert front == {f"{PAPER}:0"}
    assert locate("本文讨论河道巡查。", body_and_front, avoid=front).chunk.chunk_id == f"{PAPER}:4"


def test_more_goes_on_with_the_next_labelled_items_of_the_enumeration() -> None:
    last = locate("推行无人机航拍巡查", CHUNKS)
    following = following_items(last, CHUNKS, limit=5)
    assert [f.text for f in following] == ["(3) 引入群众举报奖励。", "(4) 按季度公布巡查结果。"]
    assert following_items(locate("甲县由派出所民警兼任河道警长", CHUNKS), CHUNKS, 5) == []  # no label


# --- (c) bibliographic questions ---------------------------------------------------------------------------------
def test_the_field_asked_for_is_read_from_the_form_of_the_question() -> None:
    assert metadata_field("这篇的作者单位是哪里？")[0] == "affiliation"
    assert metadata_field("是哪一年发表的？")[0] == "year"
    assert metadata_field("发表在哪个期刊上？")[0] == "venue"
    assert metadata_field("是谁写的？")[0] == "authors"
    assert metadata_field("巡查怎么做？") is None


def test_authors_come_from_the_manifest_and_cite_the_title_block_line() -> None:
    answer = metadata_answer(f"《{PAPER_TITLE}》的作者是谁？", None, generation())
    assert answer is not None and not answer.refused
    assert "周七、吴八" in answer.lines[0]
    assert answer.lines[1] == "1. 周七 吴八[1]" and answer.passages[0].chunk_id == f"{PAPER}:0"


def test_a_short_title_names_the_paper_and_missing_metadata_is_said_plainly() -> None:
    answer = metadata_answer("河道巡查制度研究是哪一年发表的？", None, generation())
    assert answer is not None and answer.refused
    assert prompts.METADATA_MISSING.format(title=PAPER_TITLE, what=prompts.METADATA_WHAT["year"]) in answer.lines


def test_a_question_about_the_body_of_a_named_paper_is_left_to_retrieval() -> None:
    assert metadata_answer(f"《{PAPER_TITLE}》里航拍影像多久比对一次？", None, generation()) is None
    assert metadata_answer("周七的文章里巡查结果多久公布一次？", None, generation()) is None
    assert metadata_answer("作者是谁？", None, generation()) is None  # no paper named, nothing answered before


def test_a_paper_named_by_its_alias_and_more_of_its_affiliation_gets_its_authors() -> None:
    aliased = generation()
    aliased.state.papers[PAPER] = {**PAPERS[PAPER], "aliases": ["某省水利"]}
    try:
        answer = metadata_answer("某省水利研究院那篇文章是谁写的？", None, aliased)
        assert answer is not None and not answer.refused and "周七、吴八" in answer.lines[0]
        assert metadata_answer("某省水利那篇文章讲了哪些巡查做法？", None, aliased) is None  # about the body
    finally:
        aliased.state.papers[PAPER] = PAPERS[PAPER]


def test_every_field_a_question_asks_for_is_read_in_the_order_asked() -> None:
    assert [n for n, _ in metadata_fields("是哪个单位的？发在哪个期刊上？")] == ["affiliation", "venue"]
    assert [n for n, _ in metadata_fields("哪个单位承担的？立项编号多少？")] == ["affiliation", "fund"]
    assert [n for n, _ in metadata_fields("作者单位是哪里？")] == ["affiliation"]  # not also "作者"
    assert [n for n, _ in metadata_fields("是谁翻译的？")] == ["translator"]


def test_a_two_field_question_gets_both_fields_and_says_which_one_is_missing() -> None:
    answer = metadata_answer("周七那篇文章是哪个单位的？发在哪个期刊上？", None, generation())
    assert answer is not None and not answer.refused
    assert "某省水利研究院" in answer.lines[0] and answer.lines[1] == "1. 某省水利研究院（某市 100000）[1]"
    # the venue is in neither the manifest nor the title block: said, after the cited lines, as no claim
    assert answer.absent == [prompts.METADATA_MISSING.format(title=PAPER_TITLE, what=prompts.METADATA_WHAT["venue"])]
    assert not any(line in answer.lines for line in answer.absent)


UNIT_PAPER, UNIT_TITLE = "orchard.md", "果园节水灌溉的推广经验"
UNIT_CHUNKS = [
    chunk(UNIT_PAPER, 0, "", "孙三\n(作者单位:某县农业技术推广站 职务:站长\n通讯地址:某县 邮编:100001)", UNIT_TITLE),
    chunk(UNIT_PAPER, 1, "一、做法", "滴灌管每三年更换一次。", UNIT_TITLE),
]


def test_a_unit_the_manifest_lacks_is_read_from_the_labelled_title_block_line() -> None:
    papers = {UNIT_PAPER: {"title": UNIT_TITLE, "authors": ["孙三"], "affiliation": None}}
    answer = metadata_answer("孙三是哪个单位的？", None, generation(UNIT_CHUNKS, papers))
    assert answer is not None and not answer.refused
    assert "某县农业技术推广站" in answer.lines[0] and answer.lines[1] == "1. 某县农业技术推广站[1]"
    assert answer.passages[0].chunk_id == f"{UNIT_PAPER}:0"


MANUAL, MANUAL_TITLE = "tool.pdf", "某某工具 使用手册"
MANUAL_CHUNKS = [
    chunk(MANUAL, 0, "", "某某工具 使用手册\n版权 © 2020 某某社区", MANUAL_TITLE),
    chunk(MANUAL, 1, "1 前言", "<b>译 者:</b>\n2019 张小明\n2021 Li Hong\n这是本手册的中文版。", MANUAL_TITLE),
]


def test_a_translator_listed_under_its_label_in_the_front_matter_is_answered() -> None:
    papers = {MANUAL: {"title": MANUAL_TITLE, "authors": []}}
    answer = metadata_answer("某某工具使用手册是谁翻译的？", None, generation(MANUAL_CHUNKS, papers))
    assert answer is not None and not answer.refused
    assert "2019 张小明；2021 Li Hong" in answer.lines[0]
    assert [MARKER.sub("", line) for line in answer.lines[1:]] == ["1. 2019 张小明", "2. 2021 Li Hong"]


def test_a_front_matter_without_the_field_is_refused_naming_the_field_and_showing_the_title_block() -> None:
    papers = {MANUAL: {"title": MANUAL_TITLE, "authors": []}}
    unlabelled = [MANUAL_CHUNKS[0], chunk(MANUAL, 1, "1 前言", "这是本手册的中文版。", MANUAL_TITLE)]
    answer = metadata_answer("某某工具使用手册是谁翻译的？", None, generation(unlabelled, papers))
    assert answer is not None and answer.refused
    assert prompts.METADATA_MISSING.format(title=MANUAL_TITLE, what=prompts.METADATA_WHAT["translator"]) in answer.lines
    assert [p.chunk_id for p in answer.related] == [f"{MANUAL}:0"]


def test_an_alias_said_with_a_demonstrative_inside_names_its_paper() -> None:
    papers = {**PAPERS, PAPER: {**PAPERS[PAPER], "aliases": ["河口课题"]}}
    answer = metadata_answer("河口那个课题是哪个单位承担的？", None, generation(papers=papers))
    assert answer is not None and not answer.refused and "某省水利研究院" in answer.lines[0]


def test_document_facts_are_built_from_the_generation_given() -> None:
    facts = DocumentFacts.of(generation())
    assert facts.front == {f"{PAPER}:0"}  # the law opens with a section: no title block
    other = DocumentFacts.of(generation(UNIT_CHUNKS, {UNIT_PAPER: {"title": UNIT_TITLE}}))
    assert set(other.texts) == {UNIT_PAPER} and "滴灌管" in other.texts[UNIT_PAPER]


# --- end to end on the small corpus ------------------------------------------------------------------------------
E2E_PAPER = "c_paper.md"
E2E_TEXT = (
    "# 堤防养护办法研究\n\n郑九 王十\n\n某省水利研究院（某市 100000）\n\n"
    "## 一、养护要求\n\n堤防每年汛前检查一次，发现裂缝当月修复。\n"
)
MANIFEST = {E2E_PAPER: {"title": "堤防养护办法研究", "authors": ["郑九", "王十"], "affiliation": "某省水利研究院"}}


@pytest.fixture(scope="module")
def small_assistant(tmp_path_factory, make_settings, small_corpus):
    from assistant.core import Assistant
    from ingest.pipeline import run_ingest

    root = tmp_path_factory.mktemp("metadata")
    corpus = small_corpus(root)
    (corpus / E2E_PAPER).write_text(E2E_TEXT, encoding="utf-8")
    (corpus / "manifest.json").write_text(json.dumps(MANIFEST, ensure_ascii=False), encoding="utf-8")
    settings = make_settings(root / "data", storage={"corpus_dir": corpus})
    run_ingest(settings)
    return Assistant(settings)


def test_end_to_end_the_source_of_the_last_answer_is_its_citations(small_assistant) -> None:
    conversation = Conversation()
    first = small_assistant.ask("堤防多久检查一次？", conversation)
    assert not first.refused and first.citations
    conversation.add(first)
    answer = small_assistant.ask("这是哪个文件说的？", conversation)
    assert not answer.refused and "《堤防养护办法研究》" in answer.text
    assert {c.chunk_id for c in answer.citations} == {c.chunk_id for c in first.citations}
    cited = [c.chunk_id for c in answer.citations]
    # the answer is built from the last turn's citations; the question's own top passages only follow them
    assert [p.chunk_id for p in answer.retrieved][: len(cited)] == cited and len(answer.retrieved) >= len(cited)


def test_end_to_end_authors_and_missing_venue_of_a_paper_named_by_title(small_assistant) -> None:
    answer = small_assistant.ask("《堤防养护办法研究》的作者是谁？")
    assert not answer.refused and "郑九、王十" in answer.text
    assert answer.citations[0].source == E2E_PAPER and answer.citations[0].text == "郑九 王十"
    assert answer.sentences and all(s.supported for s in answer.sentences)
    both = small_assistant.ask("《堤防养护办法研究》是哪个单位的？发表在哪个期刊？")
    assert not both.refused and "某省水利研究院" in both.text and not both.unsupported
    missing = prompts.METADATA_MISSING.format(title="堤防养护办法研究", what=prompts.METADATA_WHAT["venue"])
    assert both.text.endswith(missing)
    venue = small_assistant.ask("《堤防养护办法研究》发表在哪个期刊？")
    assert (
        venue.refused
        and prompts.METADATA_MISSING.format(title="堤防养护办法研究", what=prompts.METADATA_WHAT["venue"]) in venue.text
    )


def test_the_document_facts_follow_a_re_ingest(tmp_path, make_settings, small_corpus) -> None:
    # they were a module-global cache keyed by collection name: now the Assistant's per-generation cache
    from assistant.core import Assistant
    from ingest.pipeline import run_ingest

    corpus = small_corpus(tmp_path)
    settings = make_settings(tmp_path / "data", storage={"corpus_dir": corpus})
    run_ingest(settings)
    assistant = Assistant(settings)
    before = assistant._facts()
    assert not any("第1版" in text for text in before.texts.values())
    small_corpus(tmp_path, version=1)
    run_ingest(settings)
    after = assistant._facts()
    assert after is not before and any("第1版" in text for text in after.texts.values())


def test_a_document_without_a_manifest_states_authors_and_units_in_an_unlabelled_byline() -> None:
    title = "湖区禁渔期执法协作研究"
    units = "（1.江宁师范大学法学院，江宁 210000；2.湖州市渔政监督支队，湖州 313000）"
    text = f"欧阳青1，马宁2*\n{units}\n摘要：禁渔期执法……"
    papers = {"lake.txt": {"source": "lake.txt", "title": title, "authors": [], "affiliation": None}}
    only = generation([chunk("lake.txt", 0, "", text, title)], papers)
    authors = metadata_answer("这篇文章是谁写的？", None, only)  # one document: "这篇" is it
    assert authors is not None and not authors.refused
    assert "欧阳青、马宁" in authors.lines[0]
    units = metadata_answer("这篇文章的作者单位是哪里？", None, only)
    assert units is not None and "江宁师范大学法学院；湖州市渔政监督支队" in units.text


def test_a_reports_speaker_under_its_title_is_its_author() -> None:
    title = "政府工作报告"
    text = (
        "——2031年1月9日在丙乡第五届人民代表大会第二次会议上\n丙乡人民政府乡长  欧阳青\n"
        "各位代表：现在，我代表乡政府报告工作。"
    )
    papers = {"report.txt": {"source": "report.txt", "title": title, "authors": [], "affiliation": None}}
    only = generation([chunk("report.txt", 0, "", text, title)], papers)
    for question in ("这份报告的作者是谁？", "这报告是谁作的？"):
        authors = metadata_answer(question, None, only)
        assert authors is not None and not authors.refused, question
        assert "欧阳青" in authors.lines[0], question


LETTER = "各乡镇人民政府：\n《甲县渡口管理办法》已经县政府同意，现印发给你们。\n甲县人民政府办公室\n2031年5月6日"


@pytest.mark.parametrize(
    ("title", "texts", "date"),
    [
        (
            "甲县人民政府办公室关于做好冬季河道保洁工作的通知",
            ["一、各乡镇要在12月底前完成河道清理。\n二、县水利局负责督查。", "甲县人民政府办公室\n2031年11月3日"],
            "2031年11月3日",
        ),
        # a notice issuing a document is signed at the end of its covering letter, before the document
        (
            "甲县人民政府办公室关于印发《甲县渡口管理办法》的通知",
            [LETTER, "第一条　为了加强渡口管理，制定本办法。\n第二十条　本办法自2031年7月1日起施行。"],
            "2031年5月6日",
        ),
    ],
)
def test_an_official_documents_issuer_and_date_come_from_its_closing_block(
    title: str, texts: list[str], date: str
) -> None:
    papers = {"notice.txt": {"source": "notice.txt", "title": title, "authors": [], "affiliation": None}}
    only = generation([chunk("notice.txt", n, "", text, title) for n, text in enumerate(texts)], papers)
    issuer = metadata_answer("这个通知是哪个单位发的？", None, only)
    assert issuer is not None and "发文单位：甲县人民政府办公室" in issuer.text
    issued = metadata_answer("通知的印发日期是什么？", None, only)
    assert issued is not None and date in issued.text and "水利局" not in issued.text


@pytest.mark.parametrize(
    ("texts", "number"),
    [
        (
            ["甲县人民政府办公室关于做好冬季河道保洁工作的通知\n甲政办发〔2031〕12号\n各乡镇人民政府："],
            "甲政办发〔2031〕12号",
        ),
        # a government rule is numbered by its order, said after the date it was published
        (
            ["（2031年3月2日甲县人民政府令第7号公布　自2031年5月1日起施行）\n第一条　为了加强渡口管理，制定本办法。"],
            "甲县人民政府令第7号",
        ),
    ],
)
def test_an_official_documents_number_comes_from_its_front_matter(texts: list[str], number: str) -> None:
    title = "甲县渡口管理文件"
    papers = {"notice.txt": {"source": "notice.txt", "title": title, "authors": [], "affiliation": None}}
    only = generation([chunk("notice.txt", n, "", text, title) for n, text in enumerate(texts)], papers)
    answer = metadata_answer("这个文件的文号是多少？", None, only)
    assert answer is not None and not answer.refused, answer
    assert f"{prompts.METADATA_WHAT['number']}：{number}" in answer.text


def test_this_papers_authors_asked_with_nothing_before_in_a_collection_of_several_asks_back_which_one() -> None:
    answer = metadata_answer("这篇文章的作者是谁？", None, generation())
    assert answer is not None and answer.refused
    assert prompts.WHICH_DOCUMENT.split("{")[0] in answer.text and f"《{PAPER_TITLE}》" in answer.text
    assert metadata_answer("这篇文章讲了河道巡查的哪些做法？", None, generation()) is None  # about the body text


def test_a_demonstrative_with_a_document_kind_points_at_the_one_document_of_that_kind() -> None:
    from assistant.metadata import _of_the_named_kind

    papers = {"a.txt": {"title": "甲县关于开展河湖清四乱行动的通知"}, "b.txt": {"title": "乙市公园管理办法"}}
    assert _of_the_named_kind("这个通知是谁发的？", papers) == ["a.txt"]
    assert _of_the_named_kind("该办法什么时候施行？", papers) == ["b.txt"]
    assert _of_the_named_kind("这个文件是谁发的？", papers) == []  # both are files: ask back


def test_the_source_of_a_refusal_is_that_nothing_was_quoted() -> None:
    refusal = transcript(f"{prompts.CANNOT_ANSWER}\n资料中未提及：“渡船”。", "渡船罚多少钱？")
    answer = source_answer("这是哪个文件说的？", refusal, generation())
    assert answer is not None and answer.refused and answer.text == prompts.SOURCE_AFTER_REFUSAL


def test_a_document_named_by_a_shortened_title_gets_its_field() -> None:
    title = "某市河道建设三年行动计划"
    plan = [chunk("plan.txt", 0, "", f"{title}\n各区按本计划推进河道建设。\n某市人民政府\n2031年3月2日", title)]
    papers = {"plan.txt": {"title": title, "authors": []}}
    answer = metadata_answer("河道建设三年计划是哪天印发的？", None, generation(plan, papers))
    assert answer is not None and not answer.refused
