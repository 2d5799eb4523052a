"""Evidence that holds the whole answer: documents named by title or abbreviation, one pool per compared
document, enumerations followed across chunks, comparison answers in one block per document. Invented texts."""

from __future__ import annotations

from assistant.answer import Passage
from assistant.extractive import Extract, ExtractiveComposer, compare_lines
from assistant.render import block_headings, short_title, to_html
from assistant.retrieval import documents_named, interleave, without_names

PAPERS = {
    "green.txt": {"title": "城市绿化管理条例（修订稿）"},
    "water.txt": {"title": "城市供水设施保护办法"},
    "parks.txt": {"title": "郊野公园建设指南：理念、方法与案例", "authors": ["林青"]},
}
RUNNING_TEXT = {  # what the other documents' passages say, for the share of a stretch outside its document
    "green.txt": ["绿地养护由区县负责。", "城市供水管网需定期巡检。"],
    "water.txt": ["供水设施不得擅自迁移。", "城市绿化应当保护古树。"],
    "parks.txt": ["郊野公园以生态保护为先。", "城市居民可免费入园。"],
}


def share(stretch: str, source: str) -> float:
    others = [t for s, texts in RUNNING_TEXT.items() if s != source for t in texts]
    return sum(stretch in t for t in others) / len(others)


def named(question: str) -> set[str]:
    return set(documents_named(question, PAPERS, 3, 0.2, share))


def test_a_document_is_named_by_its_title_or_an_abbreviation_ending_on_its_head_noun() -> None:
    assert named("绿化条例对古树迁移有什么要求？") == {"green.txt"}  # 绿化…条例: a subsequence ending on 条例
    assert named("供水办法和绿化条例的罚则有什么不同？") == {"green.txt", "water.txt"}
    assert named("郊野公园建设指南讲了哪些案例？") == {"parks.txt"}


def test_a_shared_subject_or_a_phrase_inside_a_title_names_no_document() -> None:
    assert named("城市里的树木归谁管？") == set()  # 城市 is in every title
    assert named("绿化管理有哪些要求？") == set()  # 绿化管理 does not end where a part of the title ends
    assert named("供水设施可以迁移吗？") == set()  # ... nor does 供水设施


def test_a_stretch_common_outside_its_document_is_not_a_name() -> None:
    # "城市绿化" ends nowhere in a title, but even "保护办法"-like stretches must be rare in other documents
    assert documents_named("城市供水办法怎么规定", PAPERS, 3, 0.0, lambda s, src: 0.5) == {}
    assert documents_named("城市供水办法怎么规定", {"water.txt": PAPERS["water.txt"]}, 3, 1.0, share) == {}


def test_names_are_taken_out_of_the_query_that_searches_inside_the_named_documents() -> None:
    query = without_names("绿化条例对古树迁移有什么要求？", {"green.txt": "绿化条例 城市绿化管理条例（修订稿）"})
    assert "绿化条例" not in query and "古树迁移" in query
    assert without_names("手册 11 版第11条讲什么", {"m.pdf": "手册 Debian 11 手册"}) == "11 版第11条讲什么"


def passage(chunk_id: str, source: str, score: float, text: str = "某段文字。", section: str = "") -> Passage:
    return Passage(chunk_id, source, PAPERS[source]["title"], section, "text", text, 0, len(text), score)


def test_interleaved_pools_give_every_document_a_place_strongest_first() -> None:
    green = [passage(f"g{i}", "green.txt", 0.9 - i / 10) for i in range(4)]
    water = [passage(f"w{i}", "water.txt", 0.95 - i / 10) for i in range(4)]
    got = [p.chunk_id for p in interleave([green, water, []], 5)]
    assert got == ["w0", "g0", "w1", "g1", "w2"]


def test_an_enumeration_is_followed_through_the_chunks_after_its_announcement() -> None:
    texts = [
        "为保护古树，条例规定了以下措施：（1）建立古树名录。（2）设立保护标志。",
        "（3）划定保护范围。（4）定期健康检查。",
        "（5）禁止擅自移植。（6）损害古树须赔偿。",
        "违反上述规定的，由主管部门责令改正。",
    ]
    passages = [passage(f"c{i}", "green.txt", 1 - i / 10, t, "第三章") for i, t in enumerate(texts)]
    composer = ExtractiveComposer(lambda term: 1.0)
    items = composer._continued_items(0, 2, 3, passages, {0: 1, 1: 2, 2: 3})
    assert [(rank, i) for rank, i in items] == [(1, 0), (1, 1), (2, 0), (2, 1)]  # stops at the chunk without items


def test_a_comparison_reads_as_one_block_per_document_under_its_short_title() -> None:
    passages = [
        passage("g", "green.txt", 0.9, "绿化条例规定古树不得移植。"),
        passage("w", "water.txt", 0.8, "供水办法规定设施不得迁移。"),
    ]
    ordered = [Extract(p.text, rank, 0, len(p.text), 1.0) for rank, p in enumerate(passages)]
    source_of = lambda e: passages[e.passage_rank].source  # noqa: E731
    headings = block_headings(["green.txt", "water.txt"], PAPERS)
    lines = compare_lines(ordered, source_of, headings, lambda e: e.passage_rank + 1)
    assert lines == [
        "《城市绿化管理条例》：",
        "1. 绿化条例规定古树不得移植。[1]",
        "《城市供水设施保护办法》：",
        "2. 供水办法规定设施不得迁移。[2]",
    ]
    # one document only: nothing to set side by side, no heading
    assert compare_lines(ordered[:1], source_of, headings, lambda e: 1) == ["1. 绿化条例规定古树不得移植。[1]"]


def test_short_titles_drop_subtitles_and_notes_and_stay_apart() -> None:
    assert short_title("parks.txt", PAPERS) == "郊野公园建设指南"
    assert short_title("unknown.txt", PAPERS) == "unknown.txt"
    twins = {"a.txt": {"title": "融合发展研究：甲", "authors": ["张三"]}, "b.txt": {"title": "融合发展研究：乙"}}
    assert block_headings(["a.txt", "b.txt"], twins) == {
        "a.txt": "融合发展研究（张三）",
        "b.txt": "融合发展研究（b.txt）",
    }


def test_block_headings_are_bold_in_the_chat() -> None:
    from assistant.answer import Answer

    text = "\n".join(
        [
            "各篇文章的相关论述如下：",
            "《城市绿化管理条例》：",
            "1. 古树不得移植。[1]",
            "《城市供水设施保护办法》：",
            "2. 设施不得迁移。[2]",
        ]
    )
    html = to_html(Answer(question="比较", text=text, refused=False, backend="extractive"), PAPERS)
    assert html.count('<b class="rz-block">') == 2 and "《城市绿化管理条例》：</b>" in html


def generation_of(texts: list[tuple[str, str]]):
    """A served generation holding one invented document's chunks (section, text) in order."""
    import numpy as np

    from assistant.index import Generation
    from core.schema import Chunk

    chunks = [
        Chunk(f"k{i}", "green.txt", "城市绿化管理条例", section, "text", text, i * 100, i * 100 + len(text), 10, i)
        for i, (section, text) in enumerate(texts)
    ]
    following = {a.chunk_id: b.chunk_id for a, b in zip(chunks, chunks[1:], strict=False)}
    by_id = {c.chunk_id: c for c in chunks}
    return Generation(None, None, chunks, by_id, np.asarray(["green.txt"] * len(chunks)), None, following, "")


def test_following_chunks_stay_in_the_section() -> None:
    from assistant.retrieval import following_chunks

    generation = generation_of([("一、总则", "甲。"), ("一、总则", "乙。"), ("一、总则", "丙。"), ("二、附则", "丁。")])
    assert [c.chunk_id for c in following_chunks(generation, "k0", 5)] == ["k1", "k2"]
    assert [c.chunk_id for c in following_chunks(generation, "k0", 1)] == ["k1"]
    assert following_chunks(generation, "k2", 5) == []


def test_a_list_question_gets_the_opening_of_the_section_most_of_its_evidence_comes_from() -> None:
    from assistant.retrieval import chunk_passage, section_evidence

    generation = generation_of(
        [("三、措施", "主要措施如下：")] + [("三、措施", f"（{i}）措施{i}。") for i in range(1, 6)]
    )
    ranked = [chunk_passage(generation.by_id[f"k{i}"], 1 - i / 10) for i in (3, 4, 5, 2)]
    got = [p.chunk_id for p in section_evidence(generation, ranked, 4, 3)]
    assert got == ["k3", "k0", "k4", "k5"]  # the announcement right after the best passage, as many passages
    assert [p.chunk_id for p in section_evidence(generation, ranked, 4, 5)] == ["k3", "k4", "k5", "k2"]  # too few
    # a division's opening ranked fourth is brought up to second when asked to be within the first two
    ranked = [chunk_passage(generation.by_id[f"k{i}"], 1 - i / 10) for i in (3, 4, 5, 0)]
    assert [p.chunk_id for p in section_evidence(generation, ranked, 4, 3)] == ["k3", "k4", "k5", "k0"]
    assert [p.chunk_id for p in section_evidence(generation, ranked, 4, 1, within=2)] == ["k3", "k0", "k4", "k5"]


def test_a_held_document_named_by_a_stretch_holding_a_cited_title_keeps_its_side(tmp_path, make_settings) -> None:
    """ "城市林地条例" holds 林地条例, a form of the only-cited 《湖南省林地条例》, yet names the held
    城市林地养护管理条例: both documents of the comparison are retrieved. A question saying the cited title itself
    names no held one."""
    from assistant.core import Assistant
    from assistant.metadata import named_papers
    from ingest.pipeline import run_ingest

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "lindi.md").write_text(
        "# 城市林地养护管理条例\n\n第一条　为了加强城市林地养护，制定本条例。\n"
        "第九条　擅自占用城市林地的，处五千元以上二万元以下罚款。\n",
        encoding="utf-8",
    )
    (corpus / "gushu.md").write_text(
        "# 古树名木保护办法\n\n第一条　根据《湖南省林地条例》，制定本办法。\n第八条　损害古树名木的，处一万元罚款。\n",
        encoding="utf-8",
    )
    (corpus / "other.md").write_text("# 年度报表通知\n\n各单位应当按时报送年度统计报表。\n", encoding="utf-8")
    settings = make_settings(tmp_path / "data", storage={"corpus_dir": corpus})
    run_ingest(settings)
    assistant = Assistant(settings)
    generation = assistant.index.current()

    def kept(question: str) -> set[str]:
        found = assistant.retriever.named(question, named_papers(question, generation, assistant._facts()))
        return set(assistant._not_outnamed(question, found))

    assert kept("城市林地条例和古树名木办法的罚款有什么不同？") == {"lindi.md", "gushu.md"}
    assert "lindi.md" not in kept("湖南省林地条例第三条是怎么规定的？")
