"""Turn a file on disk into text. Offsets everywhere else refer to characters of this decoded text."""

from __future__ import annotations

import logging
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


def _read_pdf(path: Path) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    # pypdf warns once per font it decodes without fontTools (TeX math fonts); the text is unaffected and the
    # warnings would bury the ingest summary.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(str(path))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        raise UnreadableFileError(f"broken PDF: {exc}") from exc
    # Blank lines between pages let the cleaner rejoin sentences broken by a page end.
    return "\n\n".join(pages)


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
        text = _read_pdf(path)
    elif suffix == ".docx":
        text = _read_docx(path)
    else:
        text = decode_text(path.read_bytes())
    if not text.strip():
        raise UnreadableFileError("no text content (a scanned PDF needs OCR first)")
    return text
