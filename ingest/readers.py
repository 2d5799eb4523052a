"""Turn a file on disk into text. Offsets everywhere else refer to characters of this decoded text."""

from __future__ import annotations

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


def _read_docx(path: Path) -> str:
    import zipfile

    import docx

    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise UnreadableFileError(f"broken Word file: {exc}") from exc
    blocks: list[str] = []
    for paragraph in document.paragraphs:
        text = paragraph.text.strip()
        if not text:
            continue
        style = (paragraph.style.name or "").lower() if paragraph.style is not None else ""
        if style.startswith("heading") and style[-1:].isdigit():
            text = "#" * int(style[-1]) + " " + text
        blocks.append(text)
    for table in document.tables:
        rows = ["\t".join(cell.text.strip() for cell in row.cells) for row in table.rows]
        blocks.append("\n".join(rows))
    return "\n\n".join(blocks)


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
        source = SourceText(_read_docx(path))
    else:
        source = SourceText(decode_text(path.read_bytes()))
    if not source.text.strip():
        raise UnreadableFileError("no text content")
    return source
