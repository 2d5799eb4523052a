"""Pack sentences into chunks that stay inside one section and never cut a sentence."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from core.schema import SECTION_SEPARATOR, Chunk
from core.sentence_kinds import (
    BODY,
    FRONT,
    HEADING,
    IDENTIFIER,
    KEYWORDS,
    NOTE,
    bare_line_kind,
    chinese_share,
    gives_contact,
    gives_deadline,
    is_addressee,
    is_prose,
    line_kind,
    sentence_kind,
)
from core.sentences import split_sentences
from ingest.structure import ARTICLE_START, Block, Document


@lru_cache(maxsize=1)
def _encoding():
    import tiktoken

    return tiktoken.get_encoding("cl100k_base")


def count_tokens(text: str) -> int:
    return len(_encoding().encode(text, disallowed_special=()))


@dataclass(frozen=True)
class _Unit:
    text: str
    start: int
    end: int
    tokens: int
    block_index: int
    kind: str = BODY  # core.sentence_kinds: body prose or the furniture around it


# A document is Chinese (its English prose is foreign matter, e.g. a journal's English abstract) when at least
# this share of its letters are CJK. Measured: the papers 0.74-1.0 (0.74: the one with a long English abstract),
# laws and notices 1.0; the two Debian manuals 0.32 and 0.44 (English commands and untranslated passages are
# their content, so no English there is flagged).
_CHINESE_DOCUMENT_SHARE = 0.5


def make_chunk_id(source: str, start: int, end: int) -> str:
    digest = hashlib.sha1(f"{source}:{start}:{end}".encode()).hexdigest()[:12]
    return f"{source.rsplit('.', 1)[0]}:{start}-{end}:{digest}"


def _units(
    block: Block, block_index: int, budget: int, chinese: bool = True, front: bool = False, addressee: bool = False
) -> list[_Unit]:
    """Sentences of a paragraph; rows of a table or reference list (a table stays whole when it fits).

    Each sentence of a paragraph gets its kind by form (``core.sentence_kinds``); ``front``: the block lies in
    the title block, so a sentence of it that is not prose is front matter (author names, unit, form fields);
    ``addressee``: the block is a notice's addressee line, front matter too."""
    if block.kind == "table" and count_tokens(block.text) <= budget:
        return [_Unit(block.text, block.start, block.end, count_tokens(block.text), block_index)]
    if block.kind in ("table", "reference"):
        pieces = [(text_start, orig_start, orig_end) for text_start, orig_start, orig_end in block.segments]
        return [
            _Unit(block.text[ts : ts + (oe - os)], os, oe, count_tokens(block.text[ts : ts + (oe - os)]), block_index)
            for ts, os, oe in pieces
        ]
    units = []
    sentences = split_sentences(block.text)
    lines: list[tuple[int, str]] = []  # (end offset of the line in block.text, kind it imposes)
    offset = 0
    for line in block.text.split("\n"):
        offset += len(line) + 1
        lines.append((offset, line_kind(line, chinese)))
    in_text = bool(block.section) and not front  # under a section heading, outside the title block
    for sentence in sentences:
        start = block.to_original(sentence.start)
        end = block.to_original(sentence.end, is_end=True)
        kind = next((k for line_end, k in lines if sentence.start < line_end), BODY)
        if kind != BODY:
            pass
        elif len(sentences) == 1 and "\n" not in block.text:
            kind = bare_line_kind(sentence.text) if chinese else sentence_kind(sentence.text, chinese)
        else:
            kind = sentence_kind(sentence.text, chinese)
        # a title-block line with a number is the document's own metadata officials ask about ("（2021年6月10日
        # …通过）", 文号 "发改价格〔2025〕65号"); without one it is a name, a unit or a label
        if front and kind in (BODY, HEADING) and not is_prose(sentence.text) and not re.search(r"\d", sentence.text):
            kind = FRONT
        # whom a notice is sent to ("各乡镇人民政府，县政府各部门：") answered "归哪个部门定" (trial 4, C5-T4)
        if addressee:
            kind = FRONT
        # Under a heading of the text, a contact line ("七、联系方式 > 联系电话：0579-…") is what the reader of a
        # notice asks for, and a "label：a，b，c" line is a list of the text ("责任单位：甲局（牵头），乙局"; "丁镇：
        # 行政村13个，…"), the answer to "谁牵头" or "丁镇有几个…". In the title block a contact line stays the
        # author's furniture, and a paper's keyword line stands before its first heading.
        # So is a field line with a date ("完成时限：2025年9月30日前" under an item of a work plan): the deadline
        # asked for, not a paper's "收稿日期" (trial 4).
        if in_text and (
            kind == KEYWORDS
            or (kind in (NOTE, IDENTIFIER) and gives_contact(sentence.text))
            or (kind == NOTE and gives_deadline(sentence.text))
        ):
            kind = BODY
        units.append(_Unit(sentence.text, start, end, count_tokens(sentence.text), block_index, kind))
    return units


def title_block(document: Document) -> int:
    """How many leading blocks form the title block: the blocks before the first section heading and before
    the first paragraph of prose (a journal's abstract or a report's opening paragraph ends it)."""
    for index, block in enumerate(document.blocks):
        if block.section or block.kind != "text":
            return index
        if any(is_prose(s.text) and sentence_kind(s.text) == BODY for s in split_sentences(block.text)):
            return index
    return len(document.blocks)


def _join(units: list[_Unit]) -> tuple[str, list[list[int]]]:
    """The chunk text and, per unit, [start, end in that text, original start, original end]."""
    text = ""
    positions: list[list[int]] = []
    for previous, unit in zip([None, *units[:-1]], units, strict=True):
        if previous is not None:
            same_paragraph = previous.block_index == unit.block_index
            text += ("" if not unit.text[:1].isascii() else " ") if same_paragraph else "\n"
        positions.append([len(text), len(text) + len(unit.text), unit.start, unit.end])
        text += unit.text
    return text, positions


def chunk_document(
    document: Document,
    source: str,
    title: str,
    budget: int,
    overlap: int = 1,
    page_at: Callable[[int], int] | None = None,
) -> list[Chunk]:
    """Chunks in document order. A sentence longer than the budget becomes a chunk of its own.

    ``page_at`` maps an original offset to its 1-based page (paged files); chunks then carry their pages."""
    chunks: list[Chunk] = []
    groups: list[tuple[tuple[tuple[str, ...], int, str], list[_Unit]]] = []
    chinese = chinese_share("".join(b.text for b in document.blocks)) >= _CHINESE_DOCUMENT_SHARE
    front = title_block(document)
    # a notice's text opens with whom it is sent to: the first block of prose after the title block
    opening = document.blocks[front] if front < len(document.blocks) else None
    addressed = front if opening is not None and opening.kind == "text" and is_addressee(opening.text) else -1
    for index, block in enumerate(document.blocks):
        key = (block.section, block.region, block.kind)
        units = _units(block, index, budget, chinese, front=index < front, addressee=index == addressed)
        if groups and groups[-1][0] == key:
            groups[-1][1].extend(units)
        else:
            groups.append((key, units))

    for (section, _region, kind), units in groups:
        window: list[_Unit] = []
        fresh = 0  # units in the window that no earlier chunk contains
        for unit in units:
            if window and sum(u.tokens for u in window) + unit.tokens > budget:
                cut = _article_cut(window, unit, budget)
                if cut:
                    # Close the chunk before the article the window ends in, so the article ("第十二条　…") starts
                    # the next chunk whole instead of being split from its number.
                    chunks.append(_make_chunk(window[:cut], source, title, section, kind, len(chunks), page_at))
                    window = window[cut:]
                    window.append(unit)
                    fresh = len(window)
                    continue
                chunks.append(_make_chunk(window, source, title, section, kind, len(chunks), page_at))
                carried = [u for u in window[-overlap:] if u.tokens + unit.tokens <= budget // 2] if overlap else []
                window, fresh = carried, 0
            window.append(unit)
            fresh += 1
        if window and fresh:
            chunks.append(_make_chunk(window, source, title, section, kind, len(chunks), page_at))
    return chunks


def _article_cut(window: list[_Unit], unit: _Unit, budget: int) -> int:
    """Index of the last article start inside ``window`` (not its first unit) when that article and ``unit`` fit
    in one chunk; 0 when there is none or it does not fit."""
    for index in range(len(window) - 1, 0, -1):
        if ARTICLE_START.match(window[index].text):
            fits = sum(u.tokens for u in window[index:]) + unit.tokens <= budget
            return index if fits and not ARTICLE_START.match(unit.text) else 0
    return 0


def _make_chunk(
    window: list[_Unit],
    source: str,
    title: str,
    section: tuple[str, ...],
    kind: str,
    order: int,
    page_at: Callable[[int], int] | None = None,
) -> Chunk:
    text, positions = _join(window)
    kinds = [[p[0], p[1], u.kind] for p, u in zip(positions, window, strict=True) if u.kind != BODY]
    # a sentence rejoined across a floating caption ends after the caption that follows it in the chunk
    start, end = min(u.start for u in window), max(u.end for u in window)
    pages = (page_at(start), page_at(max(start, end - 1))) if page_at else (0, 0)
    if page_at:
        for position in positions:
            position.append(page_at(position[2]))
    return Chunk(
        chunk_id=make_chunk_id(source, start, end),
        source=source,
        title=title,
        section=SECTION_SEPARATOR.join(section),
        kind=kind,
        text=text,
        char_start=start,
        char_end=end,
        tokens=count_tokens(text),
        order=order,
        units=json.dumps(positions),
        kinds=json.dumps(kinds, ensure_ascii=False),
        page_start=pages[0],
        page_end=pages[1],
    )
