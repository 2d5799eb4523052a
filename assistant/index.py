"""The served index: follows the published generation in Chroma and reloads when an ingest flips it."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np

from core.bm25 import BM25Index
from core.embeddings import EMBEDDING_CACHE_NAME, build_embedder, stored_vectors
from core.errors import IndexMissingError, StoreUnavailableError
from core.schema import Chunk, IndexState, line_spans
from core.settings import Settings
from core.store import ChromaIndexStore, load_bm25
from core.tokenize import contains_term

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class LineScore:
    """A passage line's span in the passage text and its similarity to the question."""

    start: int
    end: int
    similarity: float


@dataclass
class Generation:
    state: IndexState
    collection: object
    chunks: list[Chunk]
    by_id: dict[str, Chunk]
    sources: np.ndarray  # source of each BM25 row, for filtering
    bm25: BM25Index
    next_chunk: dict[str, str]  # chunk id -> the chunk that follows it in the same paper
    text: str  # every section path, passage and title, lower-cased: "does the corpus mention X at all?"
    # small-to-big: unit-length vectors of the passages' lines (Chunk.retrieval_units) and the
    # index in ``chunks`` of the passage each belongs to; empty when ingest stored none (an index before version 13)
    unit_vectors: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.float32))
    unit_chunks: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    _rows: dict[int, list[int]] | None = field(default=None, repr=False)
    _position: dict[str, int] = field(default_factory=dict, repr=False)
    _previous: dict[str, str] | None = field(default=None, repr=False)

    def previous_chunk(self, chunk_id: str) -> Chunk | None:
        """The chunk before ``chunk_id`` in its document (the inverse of ``next_chunk``, built once)."""
        if self._previous is None:
            self._previous = {after: before for before, after in self.next_chunk.items()}
        before = self._previous.get(chunk_id)
        return self.by_id.get(before) if before is not None else None

    def mentions(self, term: str) -> bool:
        return term.lower() in self.text

    def mentions_contracted(self, term: str, max_gap: int) -> bool:
        """Whether the corpus says ``term`` as written or in a longer form (tokenize.contains_term): "自规局" is
        said by "自然资源和规划局"."""
        return contains_term(self.text, term.lower(), max_gap)

    def line_similarities(self, chunk_ids: list[str], vector: list[float] | None) -> dict[str, list[LineScore]]:
        """Cosine similarity of ``vector`` (the question's) to each line of the given passages, from the vectors
        ingest stored for the lines (``unit_vectors``): nothing is embedded here. A passage whose lines are not all
        stored (an older index, a cache miss) gets none, so a line is never paired with another line's vector."""
        if vector is None or not len(self.unit_chunks):
            return {}
        if self._rows is None:  # chunk index -> its rows in unit_vectors, in line order; once per generation
            rows: dict[int, list[int]] = {}
            for row, n in enumerate(self.unit_chunks.tolist()):
                rows.setdefault(n, []).append(row)
            self._rows = rows
            self._position = {c.chunk_id: n for n, c in enumerate(self.chunks)}
        query = np.asarray(vector, dtype=np.float32)
        query /= max(float(np.linalg.norm(query)), 1e-12)
        out: dict[str, list[LineScore]] = {}
        for chunk_id in dict.fromkeys(chunk_ids):
            n = self._position.get(chunk_id)
            if n is None:
                continue
            spans = line_spans(self.chunks[n].text)
            rows = self._rows.get(n, [])
            if not spans or len(rows) != len(spans):
                continue
            similarities = self.unit_vectors[rows] @ query
            out[chunk_id] = [LineScore(s, e, float(v)) for (s, e), v in zip(spans, similarities, strict=True)]
        return out


class CorpusIndex:
    """Thread-safe access to the current generation; a Chroma outage surfaces as StoreUnavailableError."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._store: ChromaIndexStore | None = None
        self._generation: Generation | None = None
        self._lock = threading.Lock()
        self._pinned = threading.local()  # this thread's generation while it answers one question
        self.embedder = build_embedder(settings)

    @contextmanager
    def pinned(self) -> Iterator[Generation]:
        """The current generation, returned by every ``current()`` of this thread until the block ends: one answer
        reads one generation, and asks the store once instead of at every step. Nested blocks keep the outer
        one's. The block must not yield to a consumer (a generator's ``with`` could end in another thread)."""
        outer = getattr(self._pinned, "generation", None)
        generation = outer or self.current()
        self._pinned.generation = generation
        try:
            yield generation
        finally:
            self._pinned.generation = outer

    def _open_store(self) -> ChromaIndexStore:
        if self._store is None:
            self._store = ChromaIndexStore(self.settings)
        return self._store

    def current(self) -> Generation:
        pinned = getattr(self._pinned, "generation", None)
        if pinned is not None:
            return pinned
        with self._lock:
            try:
                state = self._open_store().current_state()
            except StoreUnavailableError:
                self._store = None  # reconnect on the next call: the server may come back
                raise
            if state is None:
                raise IndexMissingError()
            if self._generation is None or self._generation.state.collection != state.collection:
                self._generation = self._load(state)
            return self._generation

    def loaded(self) -> Generation:
        """The generation already being served, without asking the store again.

        For hot per-term lookups inside one answer (IDF weights): checking the store's state costs about a
        millisecond, and an answer looks up thousands of terms, all of which belong to the generation that
        this answer's retrieval already fetched with ``current()``.
        """
        generation = self._generation
        return generation if generation is not None else self.current()

    def _load(self, state: IndexState) -> Generation:
        store = self._open_store()
        collection = store.collection(state.collection)
        chunks = store.load_chunks(state.collection)
        bm25 = load_bm25(self.settings, state, chunks)
        by_id = {c.chunk_id: c for c in chunks}
        sources = np.asarray([by_id[i].source for i in bm25.ids])
        logger.info("serving %s (%d chunks)", state.collection, len(chunks))
        following = {a.chunk_id: b.chunk_id for a, b in zip(chunks, chunks[1:], strict=False) if a.source == b.source}
        titles = [str(p.get("title") or "") for p in state.papers.values()]
        text = "\n".join([*(f"{c.section}\n{c.text}" for c in chunks), *titles]).lower()
        unit_vectors, unit_chunks = self._unit_vectors(state, chunks)
        return Generation(state, collection, chunks, by_id, sources, bm25, following, text, unit_vectors, unit_chunks)

    def _unit_vectors(self, state: IndexState, chunks: list[Chunk]) -> tuple[np.ndarray, np.ndarray]:
        """The vectors ingest stored in its embedding cache for the passages' lines, read once per generation (a
        line the cache lacks is not searched on its own; its passage still is, by its own vector)."""
        units = [(n, unit) for n, chunk in enumerate(chunks) for unit in chunk.retrieval_units()]
        found = stored_vectors(
            self.settings.storage.data_dir / EMBEDDING_CACHE_NAME, state.embedder, [u for _, u in units]
        )
        kept = [(n, found[u]) for n, u in units if u in found]
        if len(kept) < len(units):
            logger.info("%d of %d passage lines have no stored vector", len(units) - len(kept), len(units))
        if not kept:
            return np.zeros((0, 0), dtype=np.float32), np.zeros(0, dtype=np.int64)
        vectors = np.stack([v for _, v in kept]).astype(np.float32)
        vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        return vectors, np.asarray([n for n, _ in kept], dtype=np.int64)
