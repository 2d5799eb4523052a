"""The data the assistant returns: passages, citations, verified sentences and the Answer itself."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from functools import lru_cache


@dataclass
class Passage:
    """A retrieved chunk with the scores that put it where it is in the ranking."""

    chunk_id: str
    source: str
    title: str
    section: str
    kind: str
    text: str
    char_start: int
    char_end: int
    score: float  # fused (RRF, or reranker) score used for the ranking
    dense: float | None = None  # cosine similarity to the question, when the dense side found it
    lexical: float | None = None  # BM25 score, when the lexical side found it
    page_start: int = 0  # pages of a PDF passage (1-based); 0 for a file without pages
    page_end: int = 0
    # JSON [[start, end, kind], ...]: sentences of ``text`` that are not body prose (Chunk.kinds)
    kinds: str = "[]"
    # its document's text right before it, which it does not repeat (retrieval.with_leads): a field line at the
    # passage's top ("责任单位：…") finds the numbered item it belongs to there. Never shown or cited.
    lead: str = ""


@lru_cache(maxsize=4096)
def kind_spans(kinds: str) -> tuple[tuple[int, int], ...]:
    """(start, end) in the passage's text of each sentence that is not body prose (``Passage.kinds``)."""
    return tuple((int(k[0]), int(k[1])) for k in json.loads(kinds or "[]"))


@dataclass
class Citation:
    n: int
    source: str
    title: str
    section: str
    chunk_id: str
    text: str  # the verbatim quoted span
    char_start: int  # span of the quote in the original file
    char_end: int
    passage: str  # the whole cited passage, for context on screen
    page_start: int = 0  # pages of the quote in a PDF (1-based); 0 for a file without pages
    page_end: int = 0


@dataclass
class AnswerSentence:
    text: str  # without citation markers
    citations: list[int]
    supported: bool
    support: float  # best share of the sentence's content found in a cited passage


@dataclass
class Answer:
    question: str
    text: str
    refused: bool
    backend: str
    standalone_question: str = ""
    citations: list[Citation] = field(default_factory=list)
    retrieved: list[Passage] = field(default_factory=list)
    sentences: list[AnswerSentence] = field(default_factory=list)
    timings_ms: dict[str, float] = field(default_factory=dict)
    notice: str | None = None
    # how a follow-up became standalone_question (assistant/followup.py modes), or "source" / "metadata" for an
    # answer about the documents themselves (assistant/metadata.py)
    rewrite_mode: str = "standalone"
    rewrite_readable: bool = True  # followup.Rewrite.readable: standalone_question may be shown

    @property
    def unsupported(self) -> list[str]:
        return [s.text for s in self.sentences if not s.supported]

    def to_dict(self) -> dict:
        data = asdict(self)
        for passage in data["retrieved"]:
            del passage["lead"]  # the text above a passage, read for its items' fields: not what was retrieved
        data["unsupported"] = self.unsupported
        return data
