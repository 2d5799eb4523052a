"""PDF pages to clean text with pypdfium2: per page, with font sizes; page furniture, tables of contents and
footnote marks handled; pages without a usable text layer (scanned, or mojibake) read by OCR or reported.

pypdfium2 over pypdf (measured on evals/corpora/official): 0.17 s vs 1.85 s for maint_guide.pdf, 0.11 s vs
1.64 s for edu_manual.pdf; the same CJK characters, but no "ﬀ" ligatures (pypdf: 6) and no spaces inserted into
paths ("/ usr/local" from pypdf), and per-character font sizes, which find footnote marks and footnotes.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from core.errors import UnreadableFileError

# Below this share of CJK characters plus Latin letters in word-shaped tokens among a page's non-space
# characters, the text layer is junk. Measured: the real PDFs' lowest pages score 0.67 (maint_guide) and 0.58
# (edu_manual, a page of shell commands); the mojibake thesis page scores 0.39.
MIN_SCRIPT_RATIO = 0.5
_MIN_PAGE_CHARS = 20  # fewer non-space characters: the page has no text layer worth judging
_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_WORD = re.compile(r"^(?:[A-Z]?[a-z]+|[A-Z]+)$")
_LEADER = re.compile(r"(?:[.．·•…⋯]\s?){3,}\s*(\d{1,4}|[ivxlc]{1,6})\s*$", re.IGNORECASE)
_TOC_TITLE = re.compile(r"^\s*(目\s*录|contents|table of contents|目\s*次)\s*$", re.IGNORECASE)
_TOC_ENTRY = re.compile(r"^.{1,120}?\s(\d{1,4}|[ivxlc]{1,6})\s*$", re.IGNORECASE)
_CHAPTER = re.compile(r"^(?:Chapter|CHAPTER|第)\s*(\d{1,2})\s*章?$")
_ROMAN_TAIL = re.compile(r"\b[ivxlc]{1,6}$", re.IGNORECASE)
_RUNNING_SPAN = 2  # lines at the top and at the bottom of a page that may be running headers/footers
_MIN_RUNNING_SHARE = 0.3  # a header/footer repeats on at least this share of pages (and on 3 or more)


@dataclass
class PdfLine:
    text: str
    size: float  # the most common font size of the line's characters


@dataclass
class PdfPage:
    number: int  # 1-based
    lines: list[PdfLine] = field(default_factory=list)
    has_image: bool = False
    ocr: bool = False


@dataclass
class PdfText:
    pages: list[str]  # clean text per page ("" for a page with nothing left)
    title: str = ""
    ocr_pages: int = 0
    problems: list[str] = field(default_factory=list)  # pages that could not be read, with the reason


def script_ratio(text: str) -> float:
    """Share of non-space characters that are CJK or Latin letters of word-shaped tokens (1.0 for no text)."""
    chars = [c for c in text if not c.isspace()]
    if not chars:
        return 1.0
    cjk = sum(1 for c in chars if "\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf")
    latin = sum(
        len(w)
        for w in re.findall(r"[A-Za-z]+", text)
        if _WORD.match(w) and (len(w) < 3 or re.search("[aeiouyAEIOUY]", w))
    )
    return (cjk + latin) / len(chars)


def _line_size(chars: list[tuple[str, float]]) -> float:
    sizes = Counter(s for c, s in chars if not c.isspace())
    return sizes.most_common(1)[0][0] if sizes else 0.0


def _page_lines(textpage) -> list[PdfLine]:
    """Lines of a page with superscript footnote marks written as ⁰-⁹ (never glued to the word before)."""
    import pypdfium2.raw as raw

    lines: list[PdfLine] = []
    current: list[tuple[str, float]] = []

    def flush() -> None:
        size = _line_size(current)
        text = "".join(
            c.translate(_SUPERSCRIPT) if c.isdigit() and 0 < s < 0.85 * size else c for c, s in current
        ).strip()
        if text:
            lines.append(PdfLine(text, size))
        current.clear()

    for k in range(textpage.count_chars()):
        code = raw.FPDFText_GetUnicode(textpage, k)
        if code == 10:
            flush()
            continue
        if code < 32 and code != 9 or 0xD800 <= code <= 0xDFFF or code in (0xFFFE, 0xFFFF):
            continue
        current.append((chr(code), round(raw.FPDFText_GetFontSize(textpage, k), 1)))
    flush()
    return lines


def _body_size(pages: list[PdfPage]) -> float:
    sizes: Counter[float] = Counter()
    for page in pages:
        for line in page.lines:
            sizes[line.size] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def _mark_footnotes(page: PdfPage, body: float) -> None:
    """Footnotes sit in smaller type at the bottom of a page: their leading number, and the matching call in the
    body ("过时。1", "debian.tar.gz1"; full-size digits in these PDFs), become superscripts, so a call is never read
    as part of a word or a number and each note stays apart from the paragraph it interrupts."""
    numbers: list[str] = []
    first_note = len(page.lines)
    for index in range(len(page.lines) - 1, -1, -1):
        line = page.lines[index]
        if not (0 < line.size < 0.9 * body):
            break
        match = re.match(r"^(\d{1,3})(?=[^\d\s.．、)）])", line.text)
        if match:
            numbers.append(match.group(1))
            line.text = match.group(1).translate(_SUPERSCRIPT) + line.text[match.end() :]
        first_note = index
    for number in numbers:
        call = re.compile(rf"(?<=[^\s\d.．]){number}(?![\d.．,，:/])|^{number}$")
        for line in page.lines[:first_note]:
            if call.search(line.text):
                line.text = call.sub(number.translate(_SUPERSCRIPT), line.text, count=1)
                break


def running_key(text: str) -> str:
    """A header/footer line with its page number abstracted ("手册 3 / 57" and "手册 iv" repeat as one)."""
    key = re.sub(r"\s+", " ", _ROMAN_TAIL.sub("#", text.strip()))
    return re.sub(r"#( ?/ ?#)?$", "#", re.sub(r"\d+", "#", key))


def remove_running_lines(pages: list[list[str]]) -> list[list[str]]:
    """Drop lines at the top or bottom of pages that repeat (modulo numbers) on many pages."""
    if len(pages) < 3:
        return pages
    counts: Counter[str] = Counter()
    for lines in pages:
        edge = lines[:_RUNNING_SPAN] + lines[-_RUNNING_SPAN:]
        counts.update({running_key(line) for line in edge})
    threshold = max(3, _MIN_RUNNING_SHARE * len(pages))
    running = {key for key, n in counts.items() if n >= threshold}
    result = []
    for lines in pages:
        keep = list(lines)
        for index in [*range(min(_RUNNING_SPAN, len(lines))), *range(max(0, len(lines) - _RUNNING_SPAN), len(lines))]:
            if running_key(lines[index]) in running:
                keep[index] = None  # type: ignore[call-overload]
        result.append([line for line in keep if line is not None])
    return result


def is_leader_line(text: str) -> bool:
    """A table-of-contents entry with dot leaders: "1.2 需要的开发工具 . . . . 3", "总则……12"."""
    return bool(_LEADER.search(text))


def is_toc_page(lines: list[str]) -> bool:
    if any(_TOC_TITLE.match(line) for line in lines[:3]):
        return True
    leaders = sum(is_leader_line(line) for line in lines)
    return bool(lines) and leaders >= 3 and leaders >= 0.4 * len(lines)


def remove_toc(pages: list[list[str]]) -> list[list[str]]:
    """TOC pages go whole; a dot-leader line anywhere else goes alone."""
    result = []
    for lines in pages:
        if is_toc_page(lines):
            entries = sum(bool(_TOC_ENTRY.match(line)) or is_leader_line(line) for line in lines)
            if entries >= 0.5 * len(lines):
                result.append([])
                continue
            result.append([line for line in lines if not (_TOC_ENTRY.match(line) or is_leader_line(line))])
            continue
        result.append([line for line in lines if not is_leader_line(line)])
    return result


def join_chapter_titles(lines: list[str]) -> list[str]:
    """ "Chapter 1" / "正确的起点" on two lines become the heading "1 正确的起点"."""
    out: list[str] = []
    skip = False
    for index, line in enumerate(lines):
        if skip:
            skip = False
            continue
        match = _CHAPTER.match(line)
        if match and index + 1 < len(lines) and len(lines[index + 1]) <= 40:
            out.append(f"{match.group(1)} {lines[index + 1]}")
            skip = True
        else:
            out.append(line)
    return out


OcrEngine = Callable[[object], list[str]]  # a PIL image -> its lines


def rapidocr_engine() -> OcrEngine:
    """PP-OCR (Chinese and English) through rapidocr-onnxruntime; the models ship inside its wheel."""
    import numpy as np
    from rapidocr_onnxruntime import RapidOCR

    engine = RapidOCR()

    def read(image) -> list[str]:
        result, _ = engine(np.asarray(image.convert("RGB")))
        boxes = sorted(result or [], key=lambda r: (r[0][0][1], r[0][0][0]))
        return [text for _, text, score in boxes if float(score) >= 0.5]

    return read


def _has_image(page) -> bool:
    import pypdfium2.raw as raw

    return any(obj.type == raw.FPDF_PAGEOBJ_IMAGE for obj in page.get_objects(max_depth=2))


def pdf_title(metadata: dict[str, str], first_page: list[PdfLine]) -> str:
    """The document's title: its metadata Title when it reads as one, else the largest line of page 1."""
    title = (metadata.get("Title") or "").strip()
    if title and script_ratio(title) >= MIN_SCRIPT_RATIO and not re.search(r"\.(ai|docx?|tex|dvi|indd)$", title):
        return title
    candidates = [line for line in first_page if 2 <= len(line.text) <= 60 and script_ratio(line.text) >= 0.8]
    if not candidates:
        return ""
    return max(candidates, key=lambda line: line.size).text


def read_pdf(path: Path, ocr: bool = True, ocr_engine: OcrEngine | None = None, ocr_scale: float = 2.0) -> PdfText:
    """Clean text per page. Pages with no usable text layer are read by OCR when ``ocr`` is on; pages that stay
    unreadable are listed in ``problems`` and contribute no text."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        raise UnreadableFileError(f"broken PDF: {exc}") from exc
    try:
        pages: list[PdfPage] = []
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            pages.append(PdfPage(index + 1, _page_lines(textpage)))
        body = _body_size(pages)
        for page in pages:
            _mark_footnotes(page, body)
        title = pdf_title(document.get_metadata_dict(), pages[0].lines if pages else [])

        result = PdfText(pages=[], title=title)
        unreadable: dict[int, str] = {}
        for page in pages:
            texts = [line.text for line in page.lines]
            if is_toc_page(texts):
                continue
            text = "\n".join(t for t in texts if not is_leader_line(t))
            chars = sum(not c.isspace() for c in text)
            if chars >= _MIN_PAGE_CHARS and script_ratio(text) >= MIN_SCRIPT_RATIO:
                continue
            pdf_page = document[page.number - 1]
            if chars < _MIN_PAGE_CHARS and not _has_image(pdf_page):
                continue  # a blank page, or a page with a few words only
            reason = "no text layer (scanned)" if chars < _MIN_PAGE_CHARS else "text layer is mojibake"
            page.lines = []
            if not ocr:
                unreadable[page.number] = reason + "; OCR is off (RONGZHI_INGEST__OCR=true reads it)"
                continue
            try:
                engine = ocr_engine or _default_engine()
                image = pdf_page.render(scale=ocr_scale, grayscale=True).to_pil()
                page.lines = [PdfLine(t, body) for t in engine(image)]
                page.ocr = True
                result.ocr_pages += 1
            except Exception as exc:  # noqa: BLE001 - any OCR failure leaves the page unread, reported
                unreadable[page.number] = f"{reason}; OCR failed: {exc}"
            if page.ocr and script_ratio("\n".join(line.text for line in page.lines)) < MIN_SCRIPT_RATIO:
                page.lines, page.ocr = [], False
                result.ocr_pages -= 1
                unreadable[page.number] = f"{reason}; OCR found no readable text"
    finally:
        document.close()

    texts = remove_toc(remove_running_lines([[line.text for line in page.lines] for page in pages]))
    if texts and title:
        # The title is the document's metadata, not a passage of its own.
        texts[0] = [line for line in texts[0] if line != title]
    result.pages = ["\n".join(join_chapter_titles(lines)) for lines in texts]
    if unreadable:
        shown = ", ".join(f"page {n}: {r}" for n, r in list(unreadable.items())[:3])
        more = f" (and {len(unreadable) - 3} more)" if len(unreadable) > 3 else ""
        result.problems.append(f"{len(unreadable)} of {len(pages)} pages unreadable — {shown}{more}")
    return result


_ENGINE: OcrEngine | None = None


def _default_engine() -> OcrEngine:
    global _ENGINE
    if _ENGINE is None:
        _ENGINE = rapidocr_engine()
    return _ENGINE
