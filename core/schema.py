"""The index schema shared by ingest (which writes it) and the assistant (which reads it): chunks and index state."""

from __future__ import annotations

import json
import re
import time
from dataclasses import asdict, dataclass, field
from typing import Any

SECTION_SEPARATOR = " > "
# A document naming itself ("本法自2021年9月1日起施行"): for retrieval the words stand for the document's title.
_SELF_REFERENCE = re.compile(r"(?<![基根])本(法|办法|条例|通知|规范|规定|细则|决定|意见|方案)(?![律人])")


def self_references(text: str) -> list[str]:
    """The self-references in ``text`` ("本法", "本办法", …), each once, in order of appearance."""
    return list(dict.fromkeys(match.group(0) for match in _SELF_REFERENCE.finditer(text)))


_MARKUP = re.compile(r"<sup>[^<]*</sup>|\^\{[^}]*\}|\^\[[^\]]*\]|\*\*|^#+\s*|^-\s+", re.MULTILINE)


def plain_text(text: str) -> str:
    """Text without the corpus's inline markup (bold, footnote calls, heading marks)."""
    return _MARKUP.sub("", text)


def parent_section(section: str) -> str | None:
    """The section path one level up ("一、原因 > （一）资金" → "一、原因"); None at the top level."""
    return section.rsplit(SECTION_SEPARATOR, 1)[0] if SECTION_SEPARATOR in section else None


def line_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the non-blank lines of ``text``: the lines a passage is searched by (``Chunk.retrieval_units``)."""
    spans, offset = [], 0
    for line in text.split("\n"):
        if line.strip():
            spans.append((offset, offset + len(line)))
        offset += len(line) + 1
    return spans


@dataclass(frozen=True)
class Chunk:
    chunk_id: str
    source: str  # corpus file name
    title: str
    section: str  # section path joined by SECTION_SEPARATOR
    kind: str  # text | table | reference
    text: str  # the passage exactly as shown and cited
    char_start: int  # span in the original file
    char_end: int
    tokens: int
    order: int  # position in the document
    # JSON [[start in text, end in text, start in original, end in original(, page)], ...] per sentence/row, so a
    # quote of the passage can be located in the original file (and on its page) without reading it.
    units: str = "[]"
    # Pages of a paged file (PDF) the passage's text came from, 1-based; 0 for a file without pages.
    page_start: int = 0
    page_end: int = 0
    # JSON [[start in text, end in text, kind], ...] for each sentence that is not body prose (core.sentence_kinds:
    # citation lines, identifiers, keywords, captions, title-block lines, ...): retrievable, never an answer line.
    kinds: str = "[]"

    def _self_reference_note(self) -> str:
        """ "本法即中华人民共和国数据安全法" when the passage names its document by 本法/本办法/…; else ""."""
        refs = self_references(self.text) if self.title else []
        return f"{'、'.join(refs)}即{self.title}" if refs else ""

    def embedding_text(self) -> str:
        """What the embedder sees: the passage with its paper and section as context, markup removed; a passage
        saying 本法/本办法/本通知 gets the document title named for it, so "数据安全法什么时候施行" finds
        "本法自2021年9月1日起施行". The displayed and cited text (``text``) is unchanged."""
        context = "｜".join(part for part in (self.title, self.section, self._self_reference_note()) if part)
        return f"{context}\n{plain_text(self.text)}"

    def retrieval_units(self) -> list[str]:
        """The lines of the passage (an article with its number, a list item, a table row, a paragraph), each
        searched on its own and standing for the passage (small-to-big): an article at the end of a three-article
        passage is diluted in the passage's one vector (measured: "由哪个单位负责解释" ranked the passage holding
        第二十六条 104th by its vector, its line 1st). A one-line passage is its own line, so every passage is
        compared by the same kind of vector (a line's, without the title and section the passage's vector carries,
        scores higher than a passage's: lines only for several-line passages favoured them). A reference list is
        searched as a whole."""
        if self.kind == "reference":
            return []
        return [self.text[start:end].strip() for start, end in line_spans(self.text)]

    def lexical_text(self) -> str:
        """What BM25 indexes: the section path too, since a heading often names what its passages discuss, and
        the resolved self-reference (see ``embedding_text``)."""
        note = self._self_reference_note()
        return f"{self.section}｜{note}\n{self.text}" if note else f"{self.section}\n{self.text}"

    def non_body_spans(self) -> list[tuple[int, int, str]]:
        return [(int(k[0]), int(k[1]), str(k[2])) for k in json.loads(self.kinds or "[]")]

    def unit_spans(self) -> list[tuple[int, int, int, int]]:
        return [tuple(u[:4]) for u in json.loads(self.units)]

    def pages_of(self, start: int, end: int) -> tuple[int, int]:
        """Pages of ``text[start:end]`` (a quote), from the units' pages; the chunk's pages when units have none."""
        pages = [u[4] for u in json.loads(self.units) if len(u) > 4 and u[0] < max(end, start + 1) and u[1] > start]
        return (min(pages), max(pages)) if pages else (self.page_start, self.page_end)

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Original-file span of ``text[start:end]``: exact at sentence boundaries, clamped inside a sentence."""
        spans = self.unit_spans()
        if not spans:
            return self.char_start, self.char_end
        first = next((u for u in spans if u[1] > start), spans[-1])
        last = next((u for u in reversed(spans) if u[0] < end), spans[0])
        orig_start = first[2] if start <= first[0] else min(first[2] + start - first[0], first[3])
        orig_end = last[3] if end >= last[1] else min(last[2] + end - last[0], last[3])
        return orig_start, max(orig_start, orig_end)

    def to_metadata(self) -> dict[str, str | int]:
        data = asdict(self)
        data.pop("text")
        return data


def page_label(page_start: int, page_end: int) -> str:
    """ "第 3 页", "第 3–4 页", or "" for a file without pages."""
    if page_start <= 0:
        return ""
    if page_end > page_start:
        return f"第 {page_start}–{page_end} 页"
    return f"第 {page_start} 页"


@dataclass
class IndexState:
    """What one published generation holds; stored in Chroma so every worker serves the same one."""

    collection: str
    fingerprint: str
    files: dict[str, str] = field(default_factory=dict)  # source -> content hash
    papers: dict[str, dict[str, Any]] = field(default_factory=dict)  # source -> PaperMeta fields + chunk count
    chunks: int = 0
    tokens: int = 0
    embedder: str = ""
    created: float = field(default_factory=time.time)
    # sha256 of the generation's BM25 file, checked on every load; "" for states written before it was recorded
    bm25_sha256: str = ""
    # hash of the settings that shape chunks (pipeline version, chunk size, embedder): with it equal, an unchanged
    # file's chunks are reused without parsing it; "" for older states (everything is re-parsed once)
    config: str = ""
    unreadable: dict[str, list[str]] = field(default_factory=dict)  # source -> [content hash, reason]
