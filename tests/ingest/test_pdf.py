"""PDF reading with pypdfium2: running headers/footers, TOC, footnote calls, page numbers, mojibake and OCR."""

from __future__ import annotations

import ctypes
import re
from pathlib import Path

import pytest

from core.errors import UnreadableFileError
from core.offline import configure_offline
from ingest.chunking import chunk_document
from ingest.pdf import (
    MIN_SCRIPT_RATIO,
    is_leader_line,
    join_chapter_titles,
    read_pdf,
    remove_running_lines,
    remove_toc,
    script_ratio,
)
from ingest.readers import read_source
from ingest.structure import parse_document

OFFICIAL = Path(__file__).resolve().parents[2] / "evals" / "corpora" / "official"
# The start of the text layer of a real Chinese thesis template whose fonts decode as junk (0 CJK characters).
MOJIBAKE = "C H O N G Q I N G U N I\nV\nE\nR S I T Y\nwMkY + k P>Ĝ −−−−−− −−−−−\n+ k >Y\nwMUP>Vk ↓\nKT?Qi2`2b >v/`QtB/"


def make_text_pdf(path: Path, pages: list[list[str]]) -> Path:
    """A PDF whose pages carry the given lines as text (Helvetica, Latin-1 only)."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    pdf = pdfium.PdfDocument.new()
    for lines in pages:
        page = pdf.new_page(595, 842)
        for index, line in enumerate(lines):
            obj = raw.FPDFPageObj_NewTextObj(pdf, b"Helvetica", 11.0)
            encoded = (line + "\x00").encode("utf-16-le")
            buffer = ctypes.create_string_buffer(encoded, len(encoded))
            raw.FPDFText_SetText(obj, ctypes.cast(buffer, ctypes.POINTER(raw.FPDF_WCHAR)))
            raw.FPDFPageObj_Transform(obj, 1, 0, 0, 1, 50, 780 - 16 * index)
            raw.FPDFPage_InsertObject(page, obj)
        raw.FPDFPage_GenerateContent(page)
    pdf.save(str(path))
    return path


def test_running_headers_and_footers_repeat_modulo_numbers() -> None:
    bodies = ["总则的内容。", "申请的条件。", "审批的流程。", "监督与管理。", "法律责任。", "附则。"]
    pages = [[f"Debian 新维护者手册 {n} / 57", body, f"- {n} -"] for n, body in enumerate(bodies, 1)]
    pages[0][0] = "Debian 新维护者手册 iv"
    assert remove_running_lines(pages) == [[body] for body in bodies]
    # a body line that happens to repeat in the middle of pages is kept
    assert (
        remove_running_lines([["页眉 1", "同一句话。", "更多内容。", "页脚"]] * 2)
        == [["页眉 1", "同一句话。", "更多内容。", "页脚"]] * 2
    )


def test_toc_pages_and_dot_leaders_are_removed() -> None:
    assert is_leader_line("1.2 需要的开发工具 . . . . . . . . . . 3")
    assert is_leader_line("第一章 总则……………… 12") and is_leader_line("Introduction .......... iv")
    assert not is_leader_line("版本号为 1.2.3。") and not is_leader_line("见第 3 页。")
    toc = ["Contents", "1 正确的起点 1", "1.1 Debian 的社会驱动力 . . . . . . . . 1", "2 第一步 6"]
    body = ["1 正确的起点", "正文。", "见下表 . . . . . 3"]
    assert remove_toc([toc, body]) == [[], ["1 正确的起点", "正文。"]]


def test_chapter_lines_join_their_title() -> None:
    assert join_chapter_titles(["Chapter 1", "正确的起点", "正文。"]) == ["1 正确的起点", "正文。"]


def test_script_ratio_tells_mojibake_from_text() -> None:
    assert script_ratio(MOJIBAKE) < MIN_SCRIPT_RATIO
    assert script_ratio("在开始之前，请确认你是否已经正确安装了开发所需要的工具集。") > 0.9
    assert script_ratio("$ sudo apt-get install build-essential dh-make devscripts") > MIN_SCRIPT_RATIO


def test_a_mojibake_pdf_is_reported_not_indexed(tmp_path: Path) -> None:
    path = make_text_pdf(tmp_path / "thesis.pdf", [["wMkY + k P>G >Y wMUP>Vk xQ?", "KT?Qi2`2b >v/`QtB/ +k P>G"] * 4])
    with pytest.raises(UnreadableFileError, match="mojibake; OCR is off"):
        read_source(path, ocr=False)
    failing = read_pdf(path, ocr=True, ocr_engine=lambda image: (_ for _ in ()).throw(RuntimeError("no model")))
    assert failing.pages == [""] and "OCR failed: no model" in failing.problems[0]


def test_a_text_pdf_keeps_page_boundaries(tmp_path: Path) -> None:
    path = make_text_pdf(
        tmp_path / "a.pdf",
        [[f"Annual Report {n} / 3", text] for n, text in enumerate(["Opening words.", "Chapter two text.", "End."], 1)],
    )
    source = read_source(path, ocr=False)
    assert source.pages == 3 and "Annual Report" not in source.text
    offset = source.text.index("Chapter two")
    assert source.page_at(offset) == 2 and source.page_at(0) == 1


@pytest.fixture(scope="module")
def maint_guide():
    configure_offline()
    source = read_source(OFFICIAL / "maint_guide.pdf", ocr=False)
    document = parse_document(source.text, markdown_headings=source.markdown)
    chunks = chunk_document(document, "maint_guide.pdf", source.title, 320, 1, page_at=source.page_at)
    return source, chunks


_FURNITURE = re.compile(r"新维护者手册 (\d+ / 57|[ivx]+)|Contents$|(\. ){4,}", re.MULTILINE)


def test_maint_guide_has_no_running_header_or_toc_line(maint_guide) -> None:
    source, chunks = maint_guide
    assert source.title == "Debian 新维护者手册" and source.pages == 63 and not source.problems
    assert len(chunks) > 150
    for chunk in chunks:
        assert not _FURNITURE.search(chunk.text), chunk.text[:200]
        assert not _FURNITURE.search(chunk.section), chunk.section
        assert chunk.text.strip() != source.title  # the title is metadata, never a chunk
    sections = {c.section for c in chunks}
    assert "1 正确的起点 > 1.1 Debian 的社会驱动力" in sections
    assert "3 修改源代码 > 3.1 设置 quilt" in sections
    assert not any(s.startswith(("!", "(C)", "if in Debian")) for s in sections)


def test_maint_guide_pages_and_footnote_calls(maint_guide) -> None:
    _, chunks = maint_guide
    volunteers = next(c for c in chunks if "大家都是志愿者" in c.text)
    assert volunteers.page_start == 7  # printed "1 / 57" is the PDF's 7th page
    assert volunteers.section == "1 正确的起点 > 1.1 Debian 的社会驱动力"
    start = volunteers.text.index("大家都是志愿者")
    assert volunteers.pages_of(start, start + 7) == (7, 7)
    # the footnote call after "过时。" is a superscript, not a digit glued to the next sentence
    assert any("过时。¹" in c.text for c in chunks)
    assert not any(re.search(r"tar\.gz1\b", c.text) for c in chunks)


@pytest.mark.slow
def test_a_scanned_page_is_read_by_ocr(tmp_path: Path) -> None:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(OFFICIAL / "maint_guide.pdf"))
    image = document[10].render(scale=1.5, grayscale=True).to_pil()  # printed page "5 / 57"
    document.close()
    scanned = tmp_path / "scanned.pdf"
    image.save(scanned, "PDF", resolution=108)
    source = read_source(scanned, ocr=True)
    assert source.ocr_pages == 1 and not source.problems
    assert "邮件列表" in source.text and "debian-mentors" in source.text
    with pytest.raises(UnreadableFileError, match=r"scanned.*OCR is off"):
        read_source(scanned, ocr=False)
