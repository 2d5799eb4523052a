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
    for chunk in chunks_of(name):
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
