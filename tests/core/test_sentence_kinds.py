"""Sentence kinds by form, on invented lines (no text of the shipped documents)."""

import pytest

from core.sentence_kinds import (
    AFFILIATION,
    BODY,
    CAPTION,
    CITATION,
    ENGLISH,
    FOOTNOTE,
    HEADING,
    IDENTIFIER,
    KEYWORDS,
    MARKUP,
    NOTE,
    bare_line_kind,
    gives_contact,
    gives_deadline,
    is_addressee,
    is_prose,
    line_kind,
    sentence_kind,
    strip_markup,
)


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("引用格式：王小明, 李青. 湖泊治理的协同机制. 水利研究, 2021, 12(3): 45-58, doi: 10.1234/abc.1.", CITATION),
        ("请按以下格式引用:赵一,钱二.城市绿道规划[J].园林学报,2019(4):7-15.", CITATION),
        ("Doi: 10.5555/j.issn.2000-0000.2022.01.009", IDENTIFIER),
        ("**DOI** 10.5555/xyz.20220101", IDENTIFIER),
        ("• https://example.org/docs/install/", IDENTIFIER),
        ("关键词：湖泊治理；协同机制；流域管理；生态补偿", KEYWORDS),
        ("**关键词** 湖泊治理，协同机制，流域管理", KEYWORDS),
        ("Key words: lake governance; coordination; river basin", KEYWORDS),
        ("收稿日期：2022-03-08", NOTE),
        ("分类号:X321 文献标识码:A 文章编号:1000-0000(2022)01-0001-09", NOTE),
        ("某某大学 环境学院 江苏 南京 210000", AFFILIATION),
        (
            "Abstract: Lake governance requires coordination among many agencies and the public at large.",
            ENGLISH,
        ),
        ("图3 流域治理的三层结构", CAPTION),
        ("表1 2015—2020年各县水质达标情况", CAPTION),
        ("² 李四. 湖泊史话. 某某出版社. 2001", FOOTNOTE),
        ("30-41", MARKUP),
        ("**", MARKUP),
    ],
)
def test_furniture_is_recognised_by_its_form(line: str, kind: str) -> None:
    assert sentence_kind(line) == kind


@pytest.mark.parametrize(
    "sentence",
    [
        "第八条　经营者应当在显著位置公示收费标准，不得收取未标明的费用。",  # an article of a law
        "（三）未按照规定报送年度报告的；",  # an item of an article
        "湖泊治理需要处理好三对关系：保护与开发、上游与下游、政府与市场。",  # a list in prose
        "表1显示，各县水质达标率逐年提高。",  # a sentence about a table
        "我们假设它是 http://www.example.org/tool/。",  # a manual's sentence with a link
        "deb http://mirror.example.org/debian stable main",  # a configuration line with words
        "¹在写这份文档时，我们默认你使用较新的系统。",  # a manual's footnote in sentences is content
        "政府的职能：制定技术标准、服务流程、准入规则等；",  # a colon and 、 inside prose
    ],
)
def test_body_sentences_stay_body(sentence: str) -> None:
    assert sentence_kind(sentence) == BODY
    assert line_kind(sentence) == BODY


def test_english_prose_is_foreign_only_in_a_chinese_document() -> None:
    sentence = "The committee reviews every application within thirty days of receipt."
    assert sentence_kind(sentence, chinese_document=True) == ENGLISH
    assert sentence_kind(sentence, chinese_document=False) == BODY
    assert sentence_kind("apt-get install foo", chinese_document=True) == BODY  # a command, not prose


def test_bare_lines() -> None:
    assert bare_line_kind("平原县志编纂委员会") == HEADING
    assert bare_line_kind("（2019年3月1日某某市人民代表大会常务委员会第五次会议通过）") == BODY  # a date: metadata
    assert bare_line_kind("湖泊治理的首要任务是控制入湖污染。") == BODY


def test_keyword_line_split_at_semicolons_is_one_line() -> None:
    assert line_kind("关键词：湖泊；流域；补偿") == KEYWORDS
    assert line_kind("湖泊治理成效显著。关键词：湖泊；流域；补偿") == BODY  # running text decides per sentence


def test_markup_is_stripped_and_prose_recognised() -> None:
    marked = "**结论** 治理见效<sup>[2]</sup>，水质改善^[3]，指数 $k=2$ 达标^{1,2}。"
    assert strip_markup(marked) == "结论 治理见效，水质改善，指数 k=2 达标。"
    assert is_prose("治理需要长期投入和多部门协同。")
    assert not is_prose("王小明 李青")


def test_a_bracketed_label_note_after_the_text_is_a_note() -> None:
    assert sentence_kind("（作者单位：某某大学经济学院）") == NOTE
    assert sentence_kind("(来源:某某日报") == NOTE
    assert sentence_kind("（一）完善顶层设计：建立跨部门协调机制，统筹推进。") == BODY
    assert sentence_kind("（本文系某某基金项目成果）") == BODY


def test_a_telephone_number_or_an_e_mail_gives_a_contact_and_a_code_does_not() -> None:
    assert gives_contact("值班电话：0571-6612 3301") and gives_contact("手机 13912345678")
    assert gives_contact("邮箱：fxb_jiaxian@126.com")
    for code in ("ISSN 1000-3045", "收稿日期：2025-01-02", "文章编号:1008-5831(2025)03-0001-19", "项目编号 BZ25ZC124"):
        assert not gives_contact(code), code


def test_a_field_line_with_a_prose_date_gives_a_deadline_and_a_form_date_does_not() -> None:
    assert gives_deadline("完成时限：2026年10月31日前")
    assert not gives_deadline("收稿日期：2025-01-02") and not gives_deadline("牵头单位：县文旅局")
    assert line_kind("完成时限：2026年10月31日前") == NOTE  # by form alone; where it stands decides (chunking)


@pytest.mark.parametrize(
    ("line", "addressee"),
    [
        ("各区人民政府，市政府各部门，各直属机构：", True),
        ("各乡镇（街道），县直有关单位、各管委会：", True),
        ("县人民政府：", True),
        ("有下列情形之一的：", False),  # a list's announcement
        ("各乡镇整治情况如下：", False),
        ("责任单位：县农业农村局", False),  # a field line, its value after the colon
        ("附件：2025年各乡镇任务分解表", False),
    ],
)
def test_an_addressee_line_is_bodies_names_before_a_colon(line: str, addressee: bool) -> None:
    assert is_addressee(line) is addressee
