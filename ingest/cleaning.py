"""Decide which lines of a PDF-extracted paper are not content: forms, tables of contents, page furniture."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Lines typical of an application/approval form: signatures, stamps, tick options, date blanks,
# and labels whose characters are spaced out for layout ("项 目 名 称").
_FORM_MARKERS = [
    re.compile(r"年\s+月\s+日\s*$"),
    re.compile(r"(签字|签章|公章)"),
    re.compile(r"(^|\s)(是|有)\s+否\s*$"),
    re.compile(r"优秀\s+良好\s+合格"),
    re.compile(r"^(填\s+表|声\s+明)"),
    re.compile(r"^([\u4e00-\u9fff]\s){3,}[\u4e00-\u9fff](\s|$)"),
    re.compile(r"审核意见|鉴定意见|变更情况"),
]
# The form must sit in the opening part of a document; a paper's body is never cut by this rule.
_FORM_REGION_SHARE = 0.3
_MIN_FORM_MARKERS = 4

_TOC_TITLE = re.compile(r"^\s*目\s*录\s*$")
_TOC_ENTRY = re.compile(r"^.{1,80}?[\t ]+\d{1,3}\s*$")
_PAGE_FURNITURE = re.compile(r"^\s*([-—–·\s]*\d{1,4}[-—–·\s]*|第\s*\d+\s*页(\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+)\s*$")


@dataclass(frozen=True)
class Line:
    start: int  # offset of the first non-space character in the original text
    end: int  # offset just past the last non-space character
    text: str  # the stripped line


def split_lines(text: str) -> list[Line | None]:
    """Stripped lines with their original spans; None for a blank line (paragraph separator)."""
    lines: list[Line | None] = []
    offset = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            lines.append(Line(offset + lead, offset + lead + len(stripped), stripped))
        else:
            lines.append(None)
        offset += len(raw) + 1
    return lines


def is_form_line(text: str) -> bool:
    return any(pattern.search(text) for pattern in _FORM_MARKERS)


def form_region_end(lines: list[Line | None]) -> int:
    """Index of the first line after a leading application form, or 0 when the document has none."""
    limit = int(len(lines) * _FORM_REGION_SHARE)
    marker_indices = [i for i, line in enumerate(lines[:limit]) if line is not None and is_form_line(line.text)]
    if len(marker_indices) < _MIN_FORM_MARKERS:
        return 0
    return marker_indices[-1] + 1


def toc_line_indices(lines: list[Line | None]) -> set[int]:
    """The '目录' title and the entries that follow it (heading text ending in a page number)."""
    dropped: set[int] = set()
    for i, line in enumerate(lines):
        if line is None or not _TOC_TITLE.match(line.text):
            continue
        dropped.add(i)
        for j in range(i + 1, len(lines)):
            entry = lines[j]
            if entry is None:
                continue
            if not _TOC_ENTRY.match(entry.text):
                break
            dropped.add(j)
    return dropped


def is_page_furniture(text: str) -> bool:
    return bool(_PAGE_FURNITURE.match(text))


def content_mask(lines: list[Line | None]) -> list[bool]:
    """True for every line that is paper content (blank lines are False)."""
    start = form_region_end(lines)
    toc = toc_line_indices(lines)
    return [
        line is not None and i >= start and i not in toc and not is_page_furniture(line.text)
        for i, line in enumerate(lines)
    ]
