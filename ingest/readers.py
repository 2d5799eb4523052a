"""Turn a file on disk into text. Offsets everywhere else refer to characters of this decoded text."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path

from core.errors import UnreadableFileError

SUPPORTED_SUFFIXES = (".txt", ".md", ".pdf", ".docx")
MAX_FILE_BYTES = 50 * 1024 * 1024


def decode_text(raw: bytes) -> str:
    """UTF-8 (with or without BOM) first, then GB18030 (a superset of GBK/GB2312), then detection."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8")
    if b"\x00" in raw[:4096]:
        raise UnreadableFileError("binary content (NUL bytes), not a text file")
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    if best is None:
        raise UnreadableFileError("undecodable text: not UTF-8, GB18030/GBK or any detectable encoding")
    return str(best)


@dataclass
class SourceText:
    """A file's text and what the reader learnt besides: page starts, a title, OCR'd pages, unreadable pages."""

    text: str
    page_starts: list[int] = field(default_factory=list)  # offset in ``text`` where page i+1 starts; [] = not paged
    title: str = ""
    ocr_pages: int = 0
    problems: list[str] = field(default_factory=list)
    markdown: bool = True  # "# " lines are headings (not in a PDF, where "#!/bin/bash" is a line of a script)
    # The headings are marked ("#" lines from Word heading styles): only they are headings, whatever their
    # punctuation, and numbered body paragraphs ("（一）授权运营名称；") are not.
    styled_headings: bool = False

    @property
    def pages(self) -> int:
        return len(self.page_starts)

    def page_at(self, offset: int) -> int:
        """1-based page of a character offset; 0 when the file has no pages."""
        return bisect_right(self.page_starts, offset) if self.page_starts else 0


def _read_pdf(path: Path, ocr: bool = True) -> SourceText:
    from ingest.pdf import read_pdf

    pdf = read_pdf(path, ocr=ocr)
    # Blank lines between pages let the cleaner rejoin sentences broken by a page end.
    starts, offset = [], 0
    for page in pdf.pages:
        starts.append(offset)
        offset += len(page) + 2
    text = "\n\n".join(pdf.pages)
    if not text.strip() and pdf.problems:
        raise UnreadableFileError("; ".join(pdf.problems))
    return SourceText(text, starts, pdf.title, pdf.ocr_pages, pdf.problems, markdown=False)


_HEADING_STYLE = re.compile(r"^(heading|标题)\s*(\d)$", re.IGNORECASE)
_TITLE_STYLES = {"title", "标题"}
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# Word's list formats that print a counter, as text; a bullet or an unknown format prints nothing we keep.
_CN_DIGITS = "〇一二三四五六七八九"


def _chinese_number(n: int) -> str:
    if n < 10:
        return _CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")


def _format_counter(fmt: str, n: int) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "ideographTraditional", "japaneseCounting"):
        return _chinese_number(n)
    if fmt == "lowerLetter":
        return chr(ord("a") + (n - 1) % 26)
    if fmt == "upperLetter":
        return chr(ord("A") + (n - 1) % 26)
    return str(n)


def _pprs(paragraph) -> list:
    """The paragraph's properties, then its style's and the styles it is based on (the nearest wins)."""
    candidates = [paragraph._p.pPr]
    style = paragraph.style
    while style is not None:
        candidates.append(style.element.pPr)
        style = style.base_style
    return [ppr for ppr in candidates if ppr is not None]


def _outline_level(paragraph) -> int | None:
    """0-based outline level from the paragraph, else its style chain; None for body text (Word's level 9)."""
    for ppr in _pprs(paragraph):
        node = ppr.find(f"{_W}outlineLvl")
        if node is not None:
            value = int(node.get(f"{_W}val", "9"))
            return value if value < 9 else None
    return None


class _Numbering:
    """Counters of Word's automatic list numbering ("1.", "（一）"), which paragraph.text leaves out."""

    def __init__(self, document) -> None:
        self.formats: dict[tuple[str, int], tuple[str, str, int]] = {}  # (numId, ilvl) -> (numFmt, lvlText, start)
        self.counters: dict[tuple[str, int], int] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract = {}
        for node in root.findall(f"{_W}abstractNum"):
            levels = {}
            for lvl in node.findall(f"{_W}lvl"):
                fmt = lvl.find(f"{_W}numFmt")
                text = lvl.find(f"{_W}lvlText")
                start = lvl.find(f"{_W}start")
                levels[int(lvl.get(f"{_W}ilvl", "0"))] = (
                    fmt.get(f"{_W}val", "decimal") if fmt is not None else "decimal",
                    text.get(f"{_W}val", "") if text is not None else "",
                    int(start.get(f"{_W}val", "1")) if start is not None else 1,
                )
            abstract[node.get(f"{_W}abstractNumId")] = levels
        for num in root.findall(f"{_W}num"):
            ref = num.find(f"{_W}abstractNumId")
            levels = abstract.get(ref.get(f"{_W}val")) if ref is not None else None
            for ilvl, spec in (levels or {}).items():
                self.formats[(num.get(f"{_W}numId"), ilvl)] = spec

    def label(self, paragraph) -> str:
        num_pr = next((ppr.find(f"{_W}numPr") for ppr in _pprs(paragraph) if ppr.find(f"{_W}numPr") is not None), None)
        if num_pr is None:
            return ""
        num_id = num_pr.find(f"{_W}numId")
        ilvl_node = num_pr.find(f"{_W}ilvl")
        key = (
            num_id.get(f"{_W}val") if num_id is not None else "",
            int(ilvl_node.get(f"{_W}val", "0")) if ilvl_node is not None else 0,
        )
        spec = self.formats.get(key)
        if spec is None or spec[0] in ("bullet", "none") or not spec[1]:
            return ""
        fmt, text, start = spec
        count = self.counters.get(key, start - 1) + 1
        self.counters[key] = count
        for deeper in [k for k in self.counters if k[0] == key[0] and k[1] > key[1]]:
            del self.counters[deeper]  # a new item restarts its sub-list
        label = text
        for level in range(key[1] + 1):
            level_spec = self.formats.get((key[0], level))
            value = self.counters.get((key[0], level), level_spec[2] if level_spec else 1)
            label = label.replace(f"%{level + 1}", _format_counter(level_spec[0] if level_spec else fmt, value))
        return label


def _read_docx(path: Path) -> SourceText:
    """Paragraphs and tables in document order. Heading styles and outline levels become "#" lines (their level),
    the Title style or the core-properties title becomes the title, automatic list numbers are written out."""
    import zipfile

    import docx
    from docx.table import Table

    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise UnreadableFileError(f"broken Word file: {exc}") from exc
    numbering = _Numbering(document)
    blocks: list[str] = []
    title_lines: list[str] = []
    styled = False
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            rows = ["\t".join(" ".join(cell.text.split()) for cell in row.cells) for row in item.rows]
            rows = [row for row in rows if row.strip()]
            if rows:
                blocks.append("\n".join(rows))
            continue
        text = " ".join(item.text.split("\n")).strip()
        if not text:
            continue
        style = (item.style.name or "").strip().lower() if item.style is not None else ""
        if style in _TITLE_STYLES and not blocks:
            title_lines.append(text)  # metadata, not a chunk
            continue
        match = _HEADING_STYLE.match(style)
        level = int(match.group(2)) if match else None
        if level is None:
            outline = _outline_level(item)
            level = outline + 1 if outline is not None else None
        label = numbering.label(item)
        if label and not text.startswith(label):
            text = f"{label}{' ' if label[-1].isascii() else ''}{text}"
        if level is not None and 1 <= level <= 6:
            styled = True
            text = "#" * level + " " + text
        blocks.append(text)
    chinese = [line for line in title_lines if _has_cjk(line)]  # a Chinese title before an English one
    title = _docx_title((document.core_properties.title or "").strip(), " ".join(chinese or title_lines))
    return SourceText("\n\n".join(blocks), title=title, styled_headings=styled)


def _docx_title(core: str, styled: str) -> str:
    """The core-properties title unless it is a leftover (a file name, "Microsoft Word - …", an English title
    of a Chinese document); else the Title-style line."""
    leftover = re.search(r"^Microsoft Word\b|\.docx?$", core, re.IGNORECASE)
    if core and not leftover and (_has_cjk(core) or not _has_cjk(styled)):
        return core
    return styled


def _has_cjk(text: str) -> bool:
    return bool(re.search(r"[\u4e00-\u9fff]", text))


def read_document(path: Path) -> str:
    """Return the file's text or raise UnreadableFileError with a human reason."""
    return read_source(path).text


def read_source(path: Path, ocr: bool = True) -> SourceText:
    """The file's text with pages and title, or UnreadableFileError with a human reason."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnreadableFileError(f"unsupported file type {suffix or '(none)'}; use {', '.join(SUPPORTED_SUFFIXES)}")
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise UnreadableFileError(f"cannot open: {exc.strerror}") from exc
    if size == 0:
        raise UnreadableFileError("empty file")
    if size > MAX_FILE_BYTES:
        raise UnreadableFileError(f"too large ({size // (1024 * 1024)} MiB > {MAX_FILE_BYTES // (1024 * 1024)} MiB)")
    if suffix == ".pdf":
        source = _read_pdf(path, ocr=ocr)
    elif suffix == ".docx":
        source = _read_docx(path)
    else:
        source = SourceText(decode_text(path.read_bytes()))
    if not source.text.strip():
        raise UnreadableFileError("no text content")
    return source
