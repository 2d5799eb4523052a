from pathlib import Path

import pytest

from ingest.readers import UnreadableFileError, decode_text, read_document

SAMPLE = "科技创新与产业创新融合发展。"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_text_encodings_are_detected(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "paper.txt"
    path.write_bytes(SAMPLE.encode(encoding))
    assert read_document(path) == SAMPLE


def test_binary_file_is_reported() -> None:
    with pytest.raises(UnreadableFileError, match="binary"):
        decode_text(b"\x00\x01\x02PNG\x00")


def test_empty_and_unsupported_files_are_reported(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(UnreadableFileError, match="empty"):
        read_document(empty)
    other = tmp_path / "image.png"
    other.write_bytes(b"\x89PNG")
    with pytest.raises(UnreadableFileError, match="unsupported"):
        read_document(other)


def test_broken_pdf_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4 this is not really a pdf")
    with pytest.raises(UnreadableFileError):
        read_document(path)


def test_docx_headings_and_tables(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_heading("1 科技创新的内涵", level=1)
    document.add_paragraph("科技创新是产业创新的内生动力。")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "地区", "经费"
    table.cell(1, 0).text, table.cell(1, 1).text = "北京", "2947.1"
    path = tmp_path / "paper.docx"
    document.save(path)
    text = read_document(path)
    assert "# 1 科技创新的内涵" in text
    assert "科技创新是产业创新的内生动力。" in text
    assert "北京\t2947.1" in text


def test_pdf_text_is_extracted(tmp_path: Path) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    path = tmp_path / "blank.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    with pytest.raises(UnreadableFileError, match="no text"):
        read_document(path)
