"""A jieba-tokenised BM25 index (llama-index's own BM25Retriever scores every Chinese query 0)."""

from __future__ import annotations

import hashlib
import io
import json
import math
import os
import zipfile
from collections import Counter
from pathlib import Path

import numpy as np

from core.errors import CorruptIndexError
from core.tokenize import tokenize

# The on-disk form is a zip of plain .npy arrays read with allow_pickle=False (a file in the data dir must never
# be able to run code, as a pickle can), written with fixed zip timestamps so the same index always has the same
# bytes and so the same sha256: a worker that rebuilds a missing file gets the checksum the index state records.
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_ARRAYS = ("ids", "terms", "offsets", "docs", "freqs", "lengths")


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

    def to_bytes(self) -> bytes:
        """The index as a zip of .npy arrays: ids and terms as UTF-8 JSON, postings concatenated with offsets."""
        terms = sorted(self.postings)
        offsets = np.zeros(len(terms) + 1, dtype=np.int64)
        for n, term in enumerate(terms):
            offsets[n + 1] = offsets[n] + len(self.postings[term][0])
        empty_i, empty_f = np.zeros(0, np.int32), np.zeros(0, np.float32)
        arrays = {
            "ids": np.frombuffer(json.dumps(self.ids, ensure_ascii=False).encode(), dtype=np.uint8),
            "terms": np.frombuffer(json.dumps(terms, ensure_ascii=False).encode(), dtype=np.uint8),
            "offsets": offsets,
            "docs": np.concatenate([self.postings[t][0] for t in terms]).astype(np.int32) if terms else empty_i,
            "freqs": np.concatenate([self.postings[t][1] for t in terms]).astype(np.float32) if terms else empty_f,
            "lengths": np.asarray(self.lengths, dtype=np.float32),
        }
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name in _ARRAYS:
                array_bytes = io.BytesIO()
                np.lib.format.write_array(array_bytes, arrays[name], allow_pickle=False)
                archive.writestr(zipfile.ZipInfo(f"{name}.npy", _ZIP_DATE), array_bytes.getvalue())
        return buffer.getvalue()

    def save(self, path: Path) -> str:
        """Write atomically; returns the file's sha256, which the index state records."""
        data = self.to_bytes()
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(path.suffix + ".tmp")
        with tmp.open("wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)  # readers only ever see a complete file
        return hashlib.sha256(data).hexdigest()

    @classmethod
    def load(cls, path: Path, sha256: str = "") -> BM25Index:
        """Read a saved index, checking ``sha256`` when given; anything wrong is a CorruptIndexError."""

        def corrupt(reason: str) -> CorruptIndexError:
            return CorruptIndexError(f"the BM25 index {path} is damaged ({reason}); rebuild it with: rongzhi ingest")

        try:
            data = path.read_bytes()
        except OSError as exc:
            raise corrupt(f"cannot read: {exc.strerror or exc}") from exc
        if sha256 and hashlib.sha256(data).hexdigest() != sha256:
            raise corrupt("its sha256 differs from the one recorded at ingest")
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                arrays = {
                    name: np.lib.format.read_array(io.BytesIO(archive.read(f"{name}.npy")), allow_pickle=False)
                    for name in _ARRAYS
                }
            ids = json.loads(arrays["ids"].tobytes().decode())
            terms = json.loads(arrays["terms"].tobytes().decode())
            offsets, docs, freqs, lengths = (arrays[n] for n in ("offsets", "docs", "freqs", "lengths"))
            if not (
                isinstance(ids, list)
                and isinstance(terms, list)
                and len(offsets) == len(terms) + 1
                and len(lengths) == len(ids)
                and len(docs) == len(freqs) == (offsets[-1] if len(offsets) else -1)
                and (len(docs) == 0 or (docs.min() >= 0 and docs.max() < len(ids)))
                and (len(offsets) < 2 or bool(np.all(np.diff(offsets) >= 0)))
            ):
                raise ValueError("inconsistent array sizes")
        except Exception as exc:  # zipfile, numpy and json each raise their own types for a damaged file
            raise corrupt(f"{type(exc).__name__}: {exc}") from exc
        postings = {
            term: (docs[offsets[n] : offsets[n + 1]].astype(np.int32), freqs[offsets[n] : offsets[n + 1]])
            for n, term in enumerate(terms)
        }
        return cls(ids, postings, lengths.astype(np.float32))
