"""Dense retrieval on the real index: the candidates are the exact nearest neighbours, so every process that
opens the index gives a question the same passages (trainers show the same answer twice)."""

import numpy as np

from evals.dataset import DEFAULT_DATASET, load_dataset

TIE = 1e-4  # cosine; float32 storage rounds similarities at about this size


def test_dense_candidates_are_the_exact_nearest_neighbours(assistant) -> None:
    generation = assistant.index.current()
    got = generation.collection.get(include=["embeddings"])
    vectors = np.asarray(got["embeddings"], dtype=np.float64)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    pool = assistant.settings.retrieval.candidate_pool
    missed = {}
    for item in load_dataset(DEFAULT_DATASET):
        query = np.asarray(assistant.index.embedder.get_query_embedding(item.question))
        scores = vectors @ query
        order = np.argsort(-scores)
        exact = {got["ids"][i] for i in order[:pool]}
        found = {chunk_id for chunk_id, _ in assistant.retriever.dense(generation, item.question, pool, None)}
        # A neighbour tied with the last place (float32 in Chroma vs float64 here) may fall either side of it.
        boundary = scores[order[pool - 1]]
        score_of = dict(zip(got["ids"], scores, strict=True))
        truly_missed = {i for i in exact - found if score_of[i] > boundary + TIE}
        if truly_missed:
            missed[item.id] = sorted(truly_missed)
    assert not missed


def test_source_filter_keeps_only_that_paper(assistant) -> None:
    source = "004_d74038458770c382.txt"
    result = assistant.retriever.retrieve("新质生产力的内涵是什么", [source])
    assert result.passages and {p.source for p in result.passages} == {source}


class RecordingEmbedder:
    """The real embedder, recording the length of every query it is given."""

    def __init__(self, embedder) -> None:
        self.embedder = embedder
        self.query_lengths: list[int] = []

    def get_query_embedding(self, query: str) -> list[float]:
        self.query_lengths.append(len(query))
        return self.embedder.get_query_embedding(query)

    def __getattr__(self, name: str):
        return getattr(self.embedder, name)


def test_a_long_question_is_embedded_on_its_first_characters_only(tmp_path, make_settings, small_corpus) -> None:
    import time

    from assistant.core import Assistant
    from assistant.index import CorpusIndex
    from ingest.pipeline import run_ingest

    settings = make_settings(tmp_path / "data", storage={"corpus_dir": small_corpus(tmp_path)})
    run_ingest(settings)
    index = CorpusIndex(settings)
    index.embedder = recorder = RecordingEmbedder(index.embedder)
    assistant = Assistant(settings, index=index)
    short = "揭榜挂帅机制如何激发创新活力？"
    long = short + "请结合高新区的实践详细说明。" * 200  # ~2,800 characters, cut to the allowed 2,000
    long = long[: settings.answer.max_question_chars]
    timings = {}
    for name, question in (("short", short), ("short again", short), ("long", long)):
        started = time.perf_counter()
        answer = assistant.ask(question)
        timings[name] = time.perf_counter() - started
        assert answer.retrieved
    limit = settings.retrieval.max_query_chars
    print("ask seconds:", {k: round(v, 3) for k, v in timings.items()}, "query lengths:", recorder.query_lengths)
    assert len(long) == 2000 and recorder.query_lengths and max(recorder.query_lengths) <= limit
    assert timings["long"] < 1.0 + 3 * timings["short again"]  # bounded: not the 10 s of a 2,000-character embed


# An invented municipal regulation (in no corpus): short articles, so one passage holds several of them.
_REGULATION = (
    "# 某市社区书屋管理办法\n\n"
    + "\n".join(
        [
            "第一条　为了规范社区书屋的建设和管理，方便居民借阅，制定本办法。",
            "第二条　社区书屋由街道办事处设立，居民委员会负责日常开放。",
            "第三条　书屋每周开放不少于五天，节假日可以延长开放时间。",
            "第四条　居民凭居住证明免费办理借阅卡，每次最多借阅三册图书。",
            "第五条　借阅的图书应当在三十日内归还，逾期的暂停借阅一个月。",
            "第六条　损坏或者遗失图书的，应当按照图书定价赔偿。",
            "第七条　本办法由市文化和旅游局负责解释。",
        ]
    )
    + "\n"
)


def test_a_passage_is_found_by_its_best_line(tmp_path, make_settings) -> None:
    """Small-to-big: the article a question asks about, inside a passage of several articles, gives its passage
    a higher dense score than the passage's own vector does, and only with line vectors on."""
    from assistant.index import CorpusIndex
    from assistant.retrieval import HybridRetriever
    from ingest.pipeline import run_ingest

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "shuwu.md").write_text(_REGULATION, encoding="utf-8")
    (corpus / "other.md").write_text("# 另一份通知\n\n各单位应当按时报送年度统计报表。\n", encoding="utf-8")
    settings = make_settings(tmp_path / "data", storage={"corpus_dir": corpus})
    report = run_ingest(settings)
    index = CorpusIndex(settings)
    generation = index.current()
    lines = sum(len(c.retrieval_units()) for c in generation.chunks)
    assert lines >= 8 and report.units_embedded == lines == len(generation.unit_chunks)

    question = "借阅卡怎么办理？"
    scores = {}
    for on in (True, False):
        retriever = HybridRetriever(index, settings.updated(retrieval={"line_vectors": on}))
        passages = retriever.retrieve(question, ["shuwu.md"]).passages
        (holding,) = [p for p in passages if "借阅卡" in p.text]
        scores[on] = holding.dense
    assert scores[True] > scores[False] + 0.01


def test_retrieval_units_are_the_lines_of_a_several_line_passage() -> None:
    from core.schema import Chunk

    def chunk(text: str, kind: str = "text") -> Chunk:
        return Chunk("c", "s.txt", "t", "", kind, text, 0, len(text), 10, 0)

    lines = ["第一条　甲。", "第二条　乙。", "（一）丙；"]
    assert chunk("\n".join(lines[:2]) + "\n\n" + lines[2]).retrieval_units() == lines
    assert chunk("只有一行的段落。").retrieval_units() == ["只有一行的段落。"]
    assert chunk("张三. 论文一.\n李四. 论文二.", kind="reference").retrieval_units() == []


def test_a_question_of_when_the_document_itself_ends_reads_the_chunk_dating_it() -> None:
    from types import SimpleNamespace

    from assistant.retrieval import chunk_passage, with_own_dates
    from core.schema import Chunk

    texts = [
        "第一条  巡山护林。按本措施每年给予奖励5万元，每年4月1日前核定。",
        "第二条  林道维护。按本措施每年给予奖励8万元。",
        "第三条  本措施中的奖励，2031年起由县财政统一拨付。",  # a year, but no date of the measures themselves
        "第九条  本措施自2031年1月1日起施行，有效期至2033年12月31日。",
    ]
    chunks = [
        Chunk(f"c{n}", "forest.txt", "某县护林若干措施", "", "text", t, 0, len(t), 10, n) for n, t in enumerate(texts)
    ]
    generation = SimpleNamespace(chunks=chunks)
    passages = [chunk_passage(c, 1.0) for c in chunks[:3]]
    dated = with_own_dates(generation, passages, ("措施",), 5)
    assert [p.chunk_id for p in dated] == ["c0", "c3", "c1", "c2"]
    assert with_own_dates(generation, passages, ("奖励",), 5) == passages  # no 本奖励 dates itself
    # the question names the document by a longer noun than it calls itself: "这个护林措施" (本措施)
    assert [p.chunk_id for p in with_own_dates(generation, passages, ("护林措施",), 5)][:2] == ["c0", "c3"]
