"""A jieba-tokenised BM25 index (llama-index's own BM25Retriever scores every Chinese query 0)."""

from __future__ import annotations

import math
import os
import pickle
from collections import Counter
from pathlib import Path

import numpy as np

from core.tokenize import tokenize


class BM25Index:
    """Okapi BM25 over chunk texts with numpy postings, so a query costs one vector add per term."""

    def __init__(
        self,
        ids: list[str],
        postings: dict[str, tuple[np.ndarray, np.ndarray]],
        lengths: np.ndarray,
        k1: float = 1.5,
        b: float = 0.75,
    ) -> None:
        self.ids = ids
        self.postings = postings
        self.lengths = lengths
        self.k1 = k1
        self.b = b
        self.avg_length = float(lengths.mean()) if len(lengths) else 0.0

    @classmethod
    def build(cls, ids: list[str], texts: list[str]) -> BM25Index:
        term_docs: dict[str, list[int]] = {}
        term_freqs: dict[str, list[int]] = {}
        lengths = np.zeros(len(texts), dtype=np.float32)
        for index, text in enumerate(texts):
            counts = Counter(tokenize(text))
            lengths[index] = sum(counts.values())
            for term, freq in counts.items():
                term_docs.setdefault(term, []).append(index)
                term_freqs.setdefault(term, []).append(freq)
        postings = {
            term: (np.asarray(docs, dtype=np.int32), np.asarray(term_freqs[term], dtype=np.float32))
            for term, docs in term_docs.items()
        }
        return cls(list(ids), postings, lengths)

    def __len__(self) -> int:
        return len(self.ids)

    def document_frequency(self, term: str) -> int:
        posting = self.postings.get(term)
        return len(posting[0]) if posting is not None else 0

    def idf(self, term: str) -> float:
        """Okapi's smoothed inverse document frequency (positive even for a term in every chunk)."""
        df = self.document_frequency(term)
        return math.log(1 + (len(self.ids) - df + 0.5) / (df + 0.5))

    def scores(self, query: str) -> np.ndarray:
        total = np.zeros(len(self.ids), dtype=np.float32)
        n = len(self.ids)
        if n == 0:
            return total
        norm = self.k1 * (1 - self.b + self.b * self.lengths / max(self.avg_length, 1e-6))
        for term in set(tokenize(query)):
            posting = self.postings.get(term)
            if posting is None:
                continue
            docs, freqs = posting
            total[docs] += self.idf(term) * freqs * (self.k1 + 1) / (freqs + norm[docs])
        return total

    def top(self, query: str, k: int, allowed: np.ndarray | None = None) -> list[tuple[str, float]]:
        """Best ``k`` (chunk id, score) with a positive score; ``allowed`` is a boolean mask over chunks."""
        scores = self.scores(query)
        if allowed is not None:
            scores = np.where(allowed, scores, 0.0)
        k = min(k, int((scores > 0).sum()))
        if k == 0:
            return []
        best = np.argpartition(-scores, k - 1)[:k]
        best = best[np.argsort(-scores[best])]
        return [(self.ids[i], float(scores[i])) for i in best]

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(path.suffix + ".tmp")
        with tmp.open("wb") as handle:
            pickle.dump({"ids": self.ids, "postings": self.postings, "lengths": self.lengths}, handle, protocol=5)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)  # readers only ever see a complete file

    @classmethod
    def load(cls, path: Path) -> BM25Index:
        with path.open("rb") as handle:
            data = pickle.load(handle)  # noqa: S301 - written by this program into its own data dir
        return cls(data["ids"], data["postings"], data["lengths"])
