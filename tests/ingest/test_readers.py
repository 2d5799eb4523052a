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


def _outline(paragraph, level: int) -> None:
    """Give a Normal paragraph a Word outline level (0-based), as documents without heading styles do."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    node = OxmlElement("w:outlineLvl")
    node.set(qn("w:val"), str(level))
    paragraph._p.get_or_add_pPr().append(node)


def _official_docx(path: Path) -> Path:
    import docx

    document = docx.Document()
    document.core_properties.title = ""
    document.add_paragraph("关于建立价格形成机制的通知", style="Title")
    document.add_paragraph("发改价格〔2025〕65号")
    document.add_heading("一、明确定价范围和管理权限。", level=1)
    document.add_paragraph("授权主体要按照相关规定登记公共数据资源。")
    document.add_heading("（一）科学核定最高准许收入。", level=2)
    document.add_paragraph("最高准许收入包括经营成本、准许利润和税金。")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "项目", "标准"
    table.cell(1, 0).text, table.cell(1, 1).text = "存储", "每月10元"
    document.add_paragraph("表后的段落仍属本节。")
    outlined = document.add_paragraph("二、规范定价程序。")
    _outline(outlined, 0)
    document.add_paragraph("实施方案应包括以下内容：")
    document.add_paragraph("授权运营名称；", style="List Number")
    document.add_paragraph("授权运营期限。", style="List Number")
    document.save(path)
    return path


def test_docx_styles_outline_levels_tables_and_numbering(tmp_path: Path) -> None:
    from ingest.readers import read_source

    source = read_source(_official_docx(tmp_path / "notice.docx"))
    assert source.styled_headings and source.title == "关于建立价格形成机制的通知"
    assert "关于建立价格形成机制的通知" not in source.text  # the title is metadata
    lines = source.text.split("\n\n")
    assert "# 一、明确定价范围和管理权限。" in lines and "## （一）科学核定最高准许收入。" in lines
    assert "# 二、规范定价程序。" in lines  # outline level 0 on a Normal paragraph
    table = lines.index("项目\t标准\n存储\t每月10元")  # in document order, not at the end
    assert lines[table - 1] == "最高准许收入包括经营成本、准许利润和税金。"
    assert lines[table + 1] == "表后的段落仍属本节。"
    assert "1. 授权运营名称；" in lines and "2. 授权运营期限。" in lines  # Word's automatic numbers kept


def test_docx_core_title_wins_unless_it_is_a_leftover(tmp_path: Path) -> None:
    import docx

    from ingest.readers import read_source

    for core, expected in [
        ("公共数据资源授权运营实施规范（试行）", "公共数据资源授权运营实施规范（试行）"),
        ("Microsoft Word - draft.doc", "样式标题"),
        ("Public data operation", "样式标题"),  # an English property on a Chinese document
    ]:
        document = docx.Document()
        document.core_properties.title = core
        document.add_paragraph("样式标题", style="Title")
        document.add_paragraph("正文。")
        path = tmp_path / "t.docx"
        document.save(path)
        assert read_source(path).title == expected
