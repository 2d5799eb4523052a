"""The served index: follows the published generation in Chroma and reloads when an ingest flips it."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

import numpy as np

from ingest.bm25 import BM25Index
from ingest.chunking import Chunk
from ingest.embeddings import build_embedder
from ingest.settings import Settings
from ingest.store import ChromaIndexStore, IndexState, StoreUnavailableError, bm25_path

logger = logging.getLogger(__name__)


class IndexMissingError(RuntimeError):
    """No ingest has been published yet."""


@dataclass
class Generation:
    state: IndexState
    collection: object
    chunks: list[Chunk]
    by_id: dict[str, Chunk]
    positions: dict[str, int]  # chunk id -> row in the BM25 index
    sources: np.ndarray  # source of each BM25 row, for filtering
    bm25: BM25Index
    next_chunk: dict[str, str]  # chunk id -> the chunk that follows it in the same paper


class CorpusIndex:
    """Thread-safe access to the current generation; a Chroma outage surfaces as StoreUnavailableError."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._store: ChromaIndexStore | None = None
        self._generation: Generation | None = None
        self._lock = threading.Lock()
        self.embedder = build_embedder(settings)

    def _open_store(self) -> ChromaIndexStore:
        if self._store is None:
            self._store = ChromaIndexStore(self.settings)
        return self._store

    def current(self) -> Generation:
        with self._lock:
            try:
                state = self._open_store().current_state()
            except StoreUnavailableError:
                self._store = None  # reconnect on the next call: the server may come back
                raise
            if state is None:
                raise IndexMissingError("no index has been built yet; run: rongzhi ingest")
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
        path = bm25_path(self.settings, state.collection)
        if path.is_file():
            bm25 = BM25Index.load(path)
        else:  # a worker on another host than the ingest: rebuild from the store and keep it
            bm25 = BM25Index.build([c.chunk_id for c in chunks], [c.lexical_text() for c in chunks])
            bm25.save(path)
        by_id = {c.chunk_id: c for c in chunks}
        sources = np.asarray([by_id[i].source for i in bm25.ids])
        logger.info("serving %s (%d chunks)", state.collection, len(chunks))
        following = {a.chunk_id: b.chunk_id for a, b in zip(chunks, chunks[1:], strict=False) if a.source == b.source}
        positions = {cid: i for i, cid in enumerate(bm25.ids)}
        return Generation(state, collection, chunks, by_id, positions, sources, bm25, following)
