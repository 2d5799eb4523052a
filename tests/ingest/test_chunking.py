"""Chunks of the real corpus: inside one section, whole sentences, spans that point at the original text."""

from functools import cache

import pytest

from core.sentences import split_sentences
from core.settings import PROJECT_ROOT
from ingest.chunking import Chunk, chunk_document, count_tokens
from ingest.structure import parse_document

CORPUS = PROJECT_ROOT / "corpus"
PAPERS = sorted(p.name for p in CORPUS.glob("*.txt"))

BUDGET = 320
SENTENCE_END = tuple("。！？；!?;…”」』）)】》.")


@cache
def chunks_of(name: str) -> tuple[Chunk, ...]:
    document = parse_document((CORPUS / name).read_text(encoding="utf-8"))
    return tuple(chunk_document(document, name, document.title, BUDGET))


def squash(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize("name", PAPERS)
def test_spans_match_the_original_file(name: str) -> None:
    raw = (CORPUS / name).read_text(encoding="utf-8")
    spans = {tuple(u[2:]) for chunk in chunks_of(name) for u in chunk.unit_spans()}
    for chunk in chunks_of(name):
        units = chunk.unit_spans()
        # sentence by sentence; a sentence rejoined across a floating caption or table spans it in the original
        for text_start, text_end, start, end in units:
            inside = sorted((s, e) for s, e in spans if start < s and e < end)
            pieces, at = [], start
            for s, e in inside:
                if s >= at:
                    pieces.append(raw[at:s])
                    at = e
            pieces.append(raw[at:end])
            assert squash("".join(pieces)) == squash(chunk.text[text_start:text_end]), chunk.chunk_id
        assert (chunk.char_start, chunk.char_end) == (min(u[2] for u in units), max(u[3] for u in units))
        # a chunk whose sentences follow the original's order is the original's text
        if all(a[3] <= b[2] for a, b in zip(units, units[1:], strict=False)) and not any(
            start < s and e < end for _, _, start, end in units for s, e in spans
        ):
            assert squash(raw[chunk.char_start : chunk.char_end]) == squash(chunk.text), chunk.chunk_id


@pytest.mark.parametrize("name", PAPERS)
def test_chunks_never_cross_a_section(name: str) -> None:
    document = parse_document((CORPUS / name).read_text(encoding="utf-8"))
    for chunk in chunks_of(name):
        inside = [b for b in document.blocks if b.start < chunk.char_end and b.end > chunk.char_start]
        assert {" > ".join(b.section) for b in inside} == {chunk.section}, chunk.chunk_id


@pytest.mark.parametrize("name", PAPERS)
def test_chunks_hold_whole_sentences(name: str) -> None:
    document = parse_document((CORPUS / name).read_text(encoding="utf-8"))
    block_starts = {b.start for b in document.blocks}
    block_ends = {b.end for b in document.blocks}
    for chunk in chunks_of(name):
        if chunk.kind != "text":
            continue
        oversize = chunk.tokens > BUDGET and len(split_sentences(chunk.text)) == 1
        ends_well = chunk.text.endswith(SENTENCE_END) or chunk.char_end in block_ends or oversize
        assert ends_well, f"{chunk.chunk_id} ends mid-sentence: ...{chunk.text[-20:]}"
        starts_well = (
            chunk.char_start in block_starts
            or any(
                chunk.char_start == s.start + b.start and b.segments == [(0, b.start, b.end)]
                for b in document.blocks
                if b.start <= chunk.char_start < b.end
                for s in split_sentences(b.text)
            )
            or _follows_sentence_end((CORPUS / name).read_text(encoding="utf-8"), chunk.char_start)
        )
        assert starts_well, f"{chunk.chunk_id} starts mid-sentence: {chunk.text[:20]}..."


def _follows_sentence_end(raw: str, start: int) -> bool:
    before = raw[:start].rstrip()
    return before.endswith(SENTENCE_END)


@pytest.mark.parametrize("name", PAPERS)
def test_budget_and_metadata(name: str) -> None:
    chunks = chunks_of(name)
    assert len({c.chunk_id for c in chunks}) == len(chunks)
    for chunk in chunks:
        assert chunk.source == name and chunk.title
        assert chunk.tokens == count_tokens(chunk.text)
        single = len(split_sentences(chunk.text)) == 1 or chunk.kind == "table"
        assert chunk.tokens <= BUDGET + 16 or single, chunk.chunk_id


def test_chunk_ids_are_stable() -> None:
    first = [c.chunk_id for c in chunks_of(PAPERS[0])]
    document = parse_document((CORPUS / PAPERS[0]).read_text(encoding="utf-8"))
    assert first == [c.chunk_id for c in chunk_document(document, PAPERS[0], document.title, BUDGET)]


def test_embedding_text_carries_context_but_stored_text_is_the_passage() -> None:
    chunk = next(c for c in chunks_of(PAPERS[0]) if "<sup>" in c.text)
    embedded = chunk.embedding_text()
    assert embedded.startswith(chunk.title) and chunk.section in embedded
    assert "<sup>" not in embedded and "<sup>" in chunk.text


def test_chinese_sentence_splitter_keeps_closing_quotes() -> None:
    sentences = split_sentences("他说：“融合是关键。”随后离开！真的吗？是的；好……结束")
    assert [s.text for s in sentences] == ["他说：“融合是关键。”", "随后离开！", "真的吗？", "是的；", "好……", "结束"]


def test_articles_start_chunks_when_they_fit() -> None:
    articles = [f"第{n}条　" + "运营机构应当依法依规开展授权运营业务并接受监督。" * (2 + n % 3) for n in range(1, 25)]
    text = "第一章　总则\n" + "\n".join(articles) + "\n"
    chunks = chunk_document(parse_document(text, markdown_headings=False), "law.txt", "某某条例", 160, overlap=1)
    assert len(chunks) > 3
    for article in articles:  # every article fits the budget, so some chunk holds it whole, number included
        assert any(article in chunk.text for chunk in chunks), article[:6]


def test_self_references_name_the_title_for_retrieval_but_not_in_the_cited_text() -> None:
    from core.bm25 import BM25Index
    from core.schema import self_references

    def chunk(chunk_id: str, text: str, title: str) -> Chunk:
        return Chunk(chunk_id, "f.txt", title, "第七章　附则", "text", text, 0, len(text), 10, 0)

    law = chunk("a", "本法自2021年9月1日起施行。", "中华人民共和国数据安全法")
    other = chunk("b", "本条例自2025年1月1日起施行。", "网络数据安全管理条例")
    assert law.text == "本法自2021年9月1日起施行。"
    assert "本法即中华人民共和国数据安全法" in law.embedding_text()
    assert "本法即中华人民共和国数据安全法" in law.lexical_text()
    index = BM25Index.build(["a", "b"], [law.lexical_text(), other.lexical_text()])
    assert index.top("数据安全法什么时候施行", 1)[0][0] == "a"
    assert self_references("依照本办法和本法，适用本办法。基本法律") == ["本办法", "本法"]
    plain = chunk("c", "科技创新是产业创新的内生动力。", "论文")
    assert plain.lexical_text() == "第七章　附则\n科技创新是产业创新的内生动力。"


# An invented paper: title block, Chinese abstract, keywords, body with a caption, English abstract at the end.
_FAKE_PAPER = """引用格式：王小明, 李青. 湖泊治理的协同机制. 水利研究, 2021, 12(3): 45-58, doi: 10.1234/abc.2021.003.

# 湖泊治理的协同机制研究

王小明 李青

某某大学 环境学院 江苏 南京 210000

**摘要** 湖泊治理涉及多个部门和流域上下游，单一部门难以奏效。本文提出协同治理的三项机制，以期为地方实践提供参考。

**关键词** 湖泊治理，协同机制，流域管理，生态补偿

**DOI** 10.1234/abc.2021.003

## 一、问题的提出

湖泊治理的首要任务是控制入湖污染，这需要上下游共同行动<sup>[1]</sup>。

图1 协同治理的三层结构

流域内各县应当建立联席会议制度，定期通报水质变化。

Lake governance: a coordination perspective

Abstract: Lake governance requires coordination among many agencies; this paper proposes three mechanisms.
"""


def _kinds_by_sentence(text: str) -> dict[str, str]:
    document = parse_document(text)
    kinds: dict[str, str] = {}
    for chunk in chunk_document(document, "fake.md", document.title, 320):
        flagged = {(start, end): kind for start, end, kind in chunk.non_body_spans()}
        for start, end, *_ in chunk.unit_spans():
            kinds[chunk.text[start:end]] = flagged.get((start, end), "body")
    return kinds


def test_title_block_and_furniture_are_flagged_and_body_is_not() -> None:
    kinds = _kinds_by_sentence(_FAKE_PAPER)
    by_prefix = {
        prefix: next(k for s, k in kinds.items() if s.startswith(prefix))
        for prefix in (
            "引用格式",
            "王小明 李青",
            "某某大学",
            "**关键词**",
            "**DOI**",
            "图1",
            "Abstract:",
        )
    }
    assert by_prefix == {
        "引用格式": "citation",
        "王小明 李青": "front",
        "某某大学": "affiliation",
        "**关键词**": "keywords",
        "**DOI**": "identifier",
        "图1": "caption",
        "Abstract:": "english",
    }
    body = [s for s, k in kinds.items() if k == "body"]
    assert any(s.startswith("**摘要**") for s in body)  # the abstract is prose: it may answer
    assert any(s.startswith("湖泊治理的首要任务") for s in body)
    assert any(s.startswith("流域内各县应当") for s in body)


def test_laws_keep_every_article_as_body() -> None:
    head = "某某市河湖保护条例\n\n（2019年3月1日某某市人民代表大会常务委员会第五次会议通过）\n\n第一章　总则\n\n"
    articles = [f"第{n}条　河湖保护应当坚持统筹规划、综合治理，任何单位和个人不得侵占河道；" for n in "一二三四五"]
    law = head + "\n\n".join(articles)
    kinds = _kinds_by_sentence(law)
    assert kinds and set(kinds.values()) == {"body"}


def test_a_notices_contact_lines_are_body_and_an_authors_are_not() -> None:
    notice = (
        "甲县防汛办关于做好汛期值守的通知\n\n各乡镇：\n\n一、值守要求\n\n各乡镇实行二十四小时值班，遇险情立即报告。\n\n"
        "二、联系方式\n\n联系人：县防汛办 吴小青\n联系电话：0571-6612 3301\n电子邮箱：fxb_jiaxian@126.com\n"
    )
    kinds = _kinds_by_sentence(notice)
    assert kinds["联系电话：0571-6612 3301"] == "body" and kinds["电子邮箱：fxb_jiaxian@126.com"] == "body"
    paper = "# 湖泊治理研究\n\n王小明\n\n电子邮箱：wxm@example.edu.cn\n\n## 一、引言\n\n湖泊治理需要上下游共同行动。\n"
    assert _kinds_by_sentence(paper)["电子邮箱：wxm@example.edu.cn"] != "body"


def test_a_labelled_list_in_a_section_is_body_and_a_papers_keyword_line_is_not() -> None:
    plan = (
        "甲县河道整治方案\n\n各乡镇：\n\n一、重点任务\n\n（一）河道清淤。清理淤泥3万立方米。\n"
        "责任单位：县水利局（牵头），县财政局，各乡镇人民政府。\n\n"
        "二、各乡镇任务\n\n乙镇：清淤河段4条，新建护岸2公里，补植树木900株。\n"
    )
    kinds = _kinds_by_sentence(plan)
    assert kinds["责任单位：县水利局（牵头），县财政局，各乡镇人民政府。"] == "body"
    assert kinds["乙镇：清淤河段4条，新建护岸2公里，补植树木900株。"] == "body"
    paper = (
        "# 湖泊治理研究\n\n王小明\n\n摘要：湖泊治理需要上下游共同行动，本文讨论其机制与路径。\n\n"
        "关键词：湖泊治理；流域协同；生态补偿\n\n## 一、引言\n\n湖泊治理需要上下游共同行动。\n"
    )
    assert _kinds_by_sentence(paper)["关键词：湖泊治理；"] == "keywords"


def test_a_notices_addressee_line_is_front_matter_and_a_field_label_in_its_text_is_not() -> None:
    notice = (
        "甲县人民政府办公室关于做好秋冬季森林防火工作的通知\n\n各乡镇人民政府，县政府各部门，县直各单位：\n\n"
        "现将有关事项通知如下，请认真贯彻执行。\n\n一、压实责任\n\n（一）落实巡山制度。各乡镇每日组织巡山。\n"
        "责任单位：\n各乡镇人民政府\n"
    )
    kinds = _kinds_by_sentence(notice)
    assert kinds["各乡镇人民政府，县政府各部门，县直各单位："] == "front", kinds
    assert kinds["现将有关事项通知如下，请认真贯彻执行。"] == "body"
    assert kinds["（一）落实巡山制度。"] == "body"
