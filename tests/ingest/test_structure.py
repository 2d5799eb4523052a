"""Section paths and cleaning on the real corpus (the papers are PDF extractions with real damage)."""

from functools import cache

import pytest

from core.settings import PROJECT_ROOT
from ingest.structure import Document, heading_level, parse_document

CORPUS = PROJECT_ROOT / "corpus"


@cache
def parsed(name: str) -> Document:
    return parse_document((CORPUS / name).read_text(encoding="utf-8"))


def block_containing(name: str, needle: str):
    matches = [b for b in parsed(name).blocks if needle in b.text]
    assert matches, f"{needle!r} not found in {name}"
    return matches[0]


@pytest.mark.parametrize(
    ("name", "needle", "section"),
    [
        ("000_594e114ab5fb1929.txt", "当前推动科产融合的紧迫性", "1 科技创新与产业创新融合发展的现实动因"),
        ("000_594e114ab5fb1929.txt", "当前融合发展面临多重障碍", "3 当前融合发展面临的主要障碍"),
        (
            "000_594e114ab5fb1929.txt",
            "华为与清华大学",
            "2 科技创新与产业创新融合发展的主要模式 > 2.2 产学研协同创新模式",
        ),
        (
            "001_0de1b189b60f6b95.txt",
            "农业科技创新的政府投入占总投入的76.3%",
            "二、科技创新与产业创新融合发展面临的现实挑战 > (二)城乡发展不平衡的现实挑战",
        ),
        (
            "002_1028a8bc601cd370.txt",
            "揭榜挂帅",
            "五、高新区科技创新和产业创新融合发展的典型案例 > (二)成都高新区:“揭榜挂帅”机制激发创新活力",
        ),
        (
            "003_090f710a03566b90.txt",
            "科技创新是原创性科学和技术创新的总称",
            "第二章 概念界定与理论基础 > 2.1 科技创新与产业创新的内涵与边界 > 2. 科技创新",
        ),
        ("003_090f710a03566b90.txt", "深度融合仍面临一些挑战和难题", "第五章 四川及巴中实践的问题与挑战"),
        ("004_d74038458770c382.txt", "The deep integration of scientific", "English abstract"),
    ],
)
def test_known_passages_have_the_right_section_path(name: str, needle: str, section: str) -> None:
    assert " > ".join(block_containing(name, needle).section) == section


def test_004_sections_follow_numbering_not_markdown_depth() -> None:
    sections = {" > ".join(b.section) for b in parsed("004_d74038458770c382.txt").blocks}
    assert "2 把握科技创新与产业创新融合的关键机制 > 2.2 把握战略性与市场性的关系：完善迭代发展机制" in sections
    assert "3 政策建议" in sections


def test_reference_lists_are_labelled_and_english_abstracts_kept() -> None:
    for name in ("000_594e114ab5fb1929.txt", "001_0de1b189b60f6b95.txt", "003_090f710a03566b90.txt"):
        references = [b for b in parsed(name).blocks if b.kind == "reference"]
        assert len(references) >= 4, name
        assert all("参考文献" in b.section[0] for b in references)
    abstract = block_containing("001_0de1b189b60f6b95.txt", "Abstract: The integration")
    assert abstract.kind == "text" and abstract.section == ("English abstract",)


def test_tables_stay_whole() -> None:
    table = block_containing("001_0de1b189b60f6b95.txt", "北京\t2 947.1")
    assert table.kind == "table"
    assert "新疆\t115.5" in table.text


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("通过科产融合，可推", "动传统产业智能化绿色化转型"),
        ("尽管国家出台了一系列支持科技", "创新和产业发展的政策"),
        ("党的二十届三中", "全会审议通过"),
        ("也必须清醒地认识到，科技", "创新与产业创新的深度融合仍面临"),
        # no comma before the break, but the break cuts the word 龙头企业 in two
        ("2. 政策引导支持必不可少：广东省安排 10 亿元补贴鼓励龙", "头企业开放平台资源"),
    ],
)
def test_paragraphs_broken_by_page_ends_are_rejoined(before: str, after: str) -> None:
    texts = [b.text for name in (p.name for p in CORPUS.glob("*.txt")) for b in parsed(name).blocks]
    assert any(before + after in text for text in texts)


FORM_AND_TOC = [
    "结项申请书",
    "填 表 说 明",
    "项目负责人（签字）",
    "是否变更",
    "专家鉴定意见",
    "主审专家签字",
    "单位（公章）",
    "第一章 绪论\t10",
    "目录",
    "1.2 国内外研究综述\t11",
    "第七章 结论与展望\t\t72",
    "[参考文献]\t73",
]


def test_form_pages_and_toc_of_003_are_removed() -> None:
    blocks = parsed("003_090f710a03566b90.txt").blocks
    text = "\n".join(b.text for b in blocks)
    for boilerplate in FORM_AND_TOC:
        assert boilerplate not in text, boilerplate
    # the title is the document's metadata, not a block (a bare title line would win top-k slots as a chunk)
    assert parsed("003_090f710a03566b90.txt").title.startswith("深度融合科技创新与产业创新")
    assert blocks[0].text.startswith("中共通江县委党校")


def test_every_block_maps_back_to_the_original() -> None:
    # piece by piece: a paragraph rejoined across a floating caption or table spans them in the original
    for path in CORPUS.glob("*.txt"):
        raw = path.read_text(encoding="utf-8")
        for block in parsed(path.name).blocks:
            pieces = "".join(raw[start:end] for _, start, end in block.segments)
            assert "".join(pieces.split()) == "".join(block.text.split())


@pytest.mark.parametrize(
    ("line", "level"),
    [
        ("# 引言", 1),
        ("### 2.3 数字技术赋能融合模式", 2),
        ("一、科技创新", 1),
        ("（二）城乡发展", 2),
        ("(三) 强化", 2),
        ("1.1 研究背景与意义", 2),
        ("第三章 融合发展的动力机制", 1),
        ("3 政策建议", 1),
    ],
)
def test_heading_styles(line: str, level: int) -> None:
    detected = heading_level(line)
    assert detected is not None and detected[0] == level


@pytest.mark.parametrize(
    "line",
    [
        "2022年,我国农业科技创新的政府投入占总投入的76.3%。",
        "# 图1 锂电池技术路线发展情况",
        "1. 成果有无意识形态方面问题：有 否",
    ],
)
def test_sentences_and_captions_are_not_headings(line: str) -> None:
    assert heading_level(line) is None


OFFICIAL = PROJECT_ROOT / "evals" / "corpora" / "official"


def _sections(name: str) -> list[str]:
    from ingest.readers import read_source

    source = read_source(OFFICIAL / name, ocr=False)
    document = parse_document(
        source.text, markdown_headings=source.markdown, styled_headings=source.styled_headings, known_title=source.title
    )
    return list(dict.fromkeys(" > ".join(block.section) for block in document.blocks))


def test_styled_headings_decide_whatever_their_punctuation() -> None:
    text = (
        "# 一、明确定价范围和管理权限。\n\n登记公共数据资源。\n\n## （一）科学核定。\n\n（一）授权运营名称；\n\n正文。"
    )
    document = parse_document(text, styled_headings=True)
    assert [b.section for b in document.blocks] == [
        ("一、明确定价范围和管理权限",),
        ("一、明确定价范围和管理权限", "（一）科学核定"),
        ("一、明确定价范围和管理权限", "（一）科学核定"),
    ]
    assert document.title == ""  # the reader's title (Word's Title style), not the first heading


def test_official_docx_files_get_their_word_sections() -> None:
    assert _sections("pricing_notice.docx") == [
        "",  # 文号, addressees and preamble before 一、
        "一、明确定价范围和管理权限",
        "二、规范定价程序",
        "三、制定最高准许收入和上限收费标准 > （一）科学核定最高准许收入",
        "三、制定最高准许收入和上限收费标准 > （二）合理制定上限收费标准",
        "四、建立定期评估调整制度",
        "五、加强指导监督",
    ]
    spec = _sections("ops_spec.docx")
    assert spec[0] == "" and spec[1] == "第一章 总 则" and spec[-1] == "第七章 附 则" and len(spec) == 8


@pytest.mark.parametrize(
    ("line", "level"),
    [
        ("一、明确定价范围和管理权限。", 1),
        ("（一）科学核定最高准许收入。", 2),
        ("第一章　总则", 1),
        ("第二节　敏感个人信息的处理规则", 2),
    ],
)
def test_government_headings_may_end_in_a_full_stop(line: str, level: int) -> None:
    assert heading_level(line, markdown_headings=False) == (level, line)


@pytest.mark.parametrize(
    "line",
    [
        "一、明确定价范围和管理权限，授权主体要按照相关规定登记公共数据资源。",
        "一、各地区各有关部门要高度重视公共数据资源授权运营价格形成机制相关工作并推动落实。",
        "一是完善制度。",
        "第十二条　实施机构应当根据审定同意后的实施方案选择运营机构。",
    ],
)
def test_numbered_paragraphs_that_run_on_are_not_headings(line: str) -> None:
    assert heading_level(line, markdown_headings=False) is None


NOTICE = """关于建立价格形成机制的通知
各省、自治区、直辖市发展改革委：
为贯彻落实有关意见，现就有关事项通知如下。
一、明确定价范围和管理权限。
授权主体要按照相关规定登记公共数据资源。
二、规范定价程序。
实施方案应包括以下内容：
（一）授权运营名称；
（二）授权运营期限。
三、制定最高准许收入和上限收费标准
（一）科学核定最高准许收入。
最高准许收入包括经营成本、准许利润和税金。
（二）合理制定上限收费标准。
授权主体制定上限收费标准。
"""


def test_a_plain_text_notice_keeps_its_sections_and_its_enumerations() -> None:
    document = parse_document(NOTICE, markdown_headings=False)
    sections = [" > ".join(b.section) for b in document.blocks]
    assert list(dict.fromkeys(sections)) == [
        "",
        "一、明确定价范围和管理权限",
        "二、规范定价程序",  # "（二）授权运营期限。" closes a list ("…；" before it): an item, not a heading
        "三、制定最高准许收入和上限收费标准 > （一）科学核定最高准许收入",
        "三、制定最高准许收入和上限收费标准 > （二）合理制定上限收费标准",
    ]
    assert sections[sections.index("二、规范定价程序") :].count("二、规范定价程序") == 3


LAW = """第一章　总则
第一条　为了规范数据处理活动，制定本法。
第二条　处理个人信息应当遵循下列原则：
（一）合法；
（二）正当。
第十二条
实施机构应当根据审定同意后的实施方案选择运营机构。
第二章　一般规定
第一节　一般规定
第十三条　本法自2021年9月1日起施行。
"""


def test_articles_keep_their_numbers_and_their_items() -> None:
    document = parse_document(LAW, markdown_headings=False)
    texts = [b.text for b in document.blocks]
    assert "第十二条\u3000实施机构应当根据审定同意后的实施方案选择运营机构。" in texts  # a bare number joins its text
    assert "（二）正当。" in texts  # an item of an article, not a heading
    assert [b.section for b in document.blocks if b.text.startswith("第十三条")] == [
        ("第二章\u3000一般规定", "第一节\u3000一般规定")
    ]
    block = next(b for b in document.blocks if b.text.startswith("第十二条"))
    assert LAW[block.start : block.end].replace("\n", "\u3000") == block.text


def test_official_law_sections_include_its_subsections() -> None:
    pipl = _sections("pipl.txt")
    assert "第二章\u3000个人信息处理规则 > 第二节\u3000敏感个人信息的处理规则" in pipl
    assert len(pipl) == 11


def test_the_title_is_metadata_and_a_chinese_title_wins_over_an_english_line() -> None:
    text = (
        "Public Data Operation Rules\n四川省公共数据资源授权运营实施办法\n第一章 总 则\n"
        "第一条 为推进公共数据资源开发利用，制定本办法。\n"
    )
    document = parse_document(text, markdown_headings=False)
    assert document.title == "四川省公共数据资源授权运营实施办法"
    assert all("实施办法" not in b.text and "Public Data" not in b.text for b in document.blocks)
    assert [b.text[:3] for b in document.blocks] == ["第一条"]


def test_a_known_title_line_is_dropped_and_the_document_number_joins_it() -> None:
    text = "关于建立价格形成机制的通知\n\n发改价格〔2025〕65号\n\n各省发展改革委：\n\n现就有关事项通知如下。"
    document = parse_document(text, markdown_headings=False, known_title="关于建立价格形成机制的通知")
    assert document.title == "关于建立价格形成机制的通知（发改价格〔2025〕65号）"
    assert [b.text for b in document.blocks][0] == "发改价格〔2025〕65号"  # still content


@pytest.mark.parametrize(
    ("name", "title"),
    [
        (
            "pricing_notice.docx",
            "国家发展改革委 国家数据局关于建立公共数据资源授权运营价格形成机制的通知（发改价格〔2025〕65号）",
        ),
        ("ops_spec.docx", "公共数据资源授权运营实施规范（试行）（发改数据规〔2025〕27号）"),
        ("data_security_law_gbk.txt", "中华人民共和国数据安全法"),
        ("pipl.txt", "中华人民共和国个人信息保护法"),
        ("net_data_reg.txt", "网络数据安全管理条例"),
        ("sichuan_ops.txt", "四川省公共数据资源授权运营实施办法"),
    ],
)
def test_official_documents_get_their_real_titles_and_no_title_chunk(name: str, title: str) -> None:
    from ingest.readers import read_source

    source = read_source(OFFICIAL / name, ocr=False)
    document = parse_document(
        source.text, markdown_headings=source.markdown, styled_headings=source.styled_headings, known_title=source.title
    )
    assert document.title == title
    assert all(b.text != title.split("（发改")[0] for b in document.blocks)


def test_a_caption_inside_a_page_broken_paragraph_stands_alone_and_the_sentence_is_rejoined() -> None:
    text = (
        "# 湿地修复的协同机制\n\n## 1 修复路径\n\n"
        "湿地修复要统筹水系连通、植被恢复和外来物种防控，按照流域整体推进，切实改善湿\n\n \n\n"
        "图2 某流域湿地修复的三条路径\n\n"
        "Figure 2 Three paths of wetland restoration in a river basin\n\n"
        "地生态功能。\n\n下一段从这里开始。\n"
    )
    blocks = parse_document(text).blocks
    texts = [b.text for b in blocks]
    assert "湿地修复要统筹水系连通、植被恢复和外来物种防控，按照流域整体推进，切实改善湿地生态功能。" in texts
    assert "图2 某流域湿地修复的三条路径" in texts
    assert "Figure 2 Three paths of wetland restoration in a river basin" in texts
    for block in blocks:  # every piece still maps back to its own words in the original
        assert "".join(text[start:end] for _, start, end in block.segments) == block.text.replace("\n", "")


def test_an_official_title_set_below_its_issuers_line_is_one_title() -> None:
    text = "甲县人民政府办公室\n关于做好冬季防火工作的通知\n\n甲政办发〔2027〕3号\n\n各乡镇：\n\n现就有关事项通知如下。"
    document = parse_document(text, markdown_headings=False)
    assert document.title == "甲县人民政府办公室关于做好冬季防火工作的通知（甲政办发〔2027〕3号）"
    # a journal's name above a paper's title is no issuer: the title is not a document kind's
    paper = parse_document("某某学报\n关于湖泊治理的几点思考\n\n王小明\n\n湖泊治理需要上下游共同行动。", False)
    assert not paper.title.startswith("某某学报关于")


def test_a_masthead_and_its_number_are_not_the_title() -> None:
    notice = parse_document(
        "乙县人民政府文件\n\n乙政发〔2031〕8号\n\n乙县人民政府\n关于印发《乙县林下经济扶持办法》的通知\n\n"
        "各乡镇人民政府：\n\n现将《乙县林下经济扶持办法》印发给你们，请认真执行。",
        markdown_headings=False,
    )
    assert notice.title == "乙县人民政府关于印发《乙县林下经济扶持办法》的通知（乙政发〔2031〕8号）"
    assert [b.text for b in notice.blocks][:2] == ["乙政发〔2031〕8号", "各乡镇人民政府："]  # the number is content
    order = parse_document(
        "丙市人民政府令\n\n第88号\n\n《丙市河道采砂管理规定》已经市人民政府常务会议通过，现予公布，自公布之日起施行。"
        "\n\n市长　李某\n\n丙市河道采砂管理规定\n\n第一条　为了规范河道采砂，制定本规定。",
        markdown_headings=False,
    )
    assert order.title == "丙市河道采砂管理规定（丙市人民政府令第88号）"
    assert order.blocks[0].text == "第88号"


def test_a_joint_masthead_of_issuers_one_per_line_is_not_the_title() -> None:
    joint = parse_document(
        "乙县农业农村局\n乙 县 财 政 局\n\n乙农发〔2031〕5号\n\n关于印发《乙县耕地地力保护补贴实施细则》的通知\n\n"
        "各乡镇人民政府：\n\n现将细则印发给你们。",
        markdown_headings=False,
    )
    assert joint.title == "关于印发《乙县耕地地力保护补贴实施细则》的通知（乙农发〔2031〕5号）"
    one = parse_document(
        "丙镇人民政府\n\n丙政发〔2031〕2号\n\n丙镇人民政府关于做好秋收工作的通知\n\n各村：\n\n请抓好秋收。",
        markdown_headings=False,
    )
    assert one.title == "丙镇人民政府关于做好秋收工作的通知（丙政发〔2031〕2号）"


def test_a_title_whose_kind_stands_on_its_own_line_is_one_title() -> None:
    minutes = parse_document("丁县人民政府\n专题会议纪要\n\n〔2031〕4号\n\n会议研究了春耕备耕工作。", False)
    assert minutes.title == "丁县人民政府专题会议纪要"
    manual = parse_document("戊市“一网通办”移动端\n使用手册\n\n第一章 登录\n\n打开应用后输入手机号。", False)
    assert manual.title == "戊市“一网通办”移动端使用手册"
    # a title already ending in its kind keeps the next line out of it
    second = parse_document("己县河长制工作方案\n实施细则\n\n各乡镇要落实河长巡河制度。", False)
    assert second.title == "己县河长制工作方案"


def test_a_numbered_item_after_a_line_without_a_stop_opens_a_paragraph() -> None:
    text = (
        "一、重点任务\n"
        "（一）清理河道垃圾。3月底前完成主要河道的垃圾清理，清理河段不少于40公里。\n"
        "责任单位：县水利局、县城市管理局、各乡镇人民政府\n"
        "（二）加强水质监测。每月对县内断面开展一次水质监测。\n"
        "责任单位：县生态环境分局\n"
    )
    blocks = [b.text for b in parse_document(text).blocks]
    assert "责任单位：县水利局、县城市管理局、各乡镇人民政府" in blocks
    assert any(b.startswith("（二）加强水质监测") for b in blocks)


def test_each_field_line_of_an_item_stays_a_line_of_its_own() -> None:
    text = (
        "二、重点任务\n"
        "（一）修缮村级祠堂。完成12座祠堂的屋面修缮。\n"
        "牵头单位：县文旅局\n"
        "配合单位：县住建局、县财政局、县自然资源局\n"
        "完成时限：全年持续推进\n"
    )
    blocks = [b.text for b in parse_document(text).blocks]
    assert "配合单位：县住建局、县财政局、县自然资源局" in blocks and "完成时限：全年持续推进" in blocks
    # a word a line break cuts in two is still one paragraph
    broken = "二、说明\n本办法所称修缮，是指对既有祠堂屋面、梁柱的维修，按照典\n型做法：分段施工\n"
    assert any("按照典型做法：分段施工" in b.text for b in parse_document(broken).blocks)


def test_each_row_of_a_table_stays_a_line_of_its_own() -> None:
    # rows as long as a line of prose, which ends mid-sentence by its form (no stop after the last cell)
    rows = [
        "服务项目类别｜服务对象｜标准（元/人·次）",
        "居家上门健康体检服务｜七十周岁、八十周岁老人｜40",
        "居家上门健康体检服务｜九十周岁以上高龄老人｜60",
        "助餐送餐补助服务｜独居、空巢的失能老年人｜15",
    ]
    tabbed = [
        "镇名\t村数\t人口(人)",
        "甲镇\t东岭村、西岭村、南岭村、北岭村\t3200",
        "乙镇\t上湾村、下湾村、中湾村、前湾村\t2800",
    ]
    for table in (rows, tabbed):
        text = "某县敬老服务说明\n\n一、服务标准\n" + "\n".join(table) + "\n标准适时调整。"
        document = parse_document(text, markdown_headings=False)
        lines = "\n".join(b.text for b in document.blocks).splitlines()
        assert lines[-len(table) - 1 : -1] == table


def test_a_part_heading_stands_above_the_sections_it_holds() -> None:
    text = (
        "某县办事指南\n\n第一部分  渔船登记\n一、办理时限\n当场办结。\n第二部分  渔船注销\n一、办理时限\n五日内办结。"
    )
    document = parse_document(text, markdown_headings=False)
    assert [(b.section, b.text) for b in document.blocks] == [
        (("第一部分  渔船登记", "一、办理时限"), "当场办结。"),
        (("第二部分  渔船注销", "一、办理时限"), "五日内办结。"),
    ]


def test_a_group_heading_between_articles_heads_the_articles_after_it() -> None:
    text = (
        "某县扶持渔业若干措施\n\n一、支持养殖\n\n第一条  对新建池塘每亩补助500元。\n\n"
        "第二条  对购置增氧机的补助30%。\n\n"
        "二、支持加工\n\n第三条  对新建冷库每立方米补助100元，有下列情形之一的不予补助：\n"
        "一、未经验收的；\n二、已获其他补助的。\n\n第四条  本措施自发布之日起施行。"
    )
    blocks = parse_document(text, markdown_headings=False).blocks
    sections = {b.text[:3]: b.section for b in blocks if b.text.startswith("第")}
    assert sections["第一条"] == sections["第二条"] == ("一、支持养殖",)
    assert sections["第三条"] == sections["第四条"] == ("二、支持加工",)
    assert "二、已获其他补助的。" in [b.text for b in blocks]  # an item of an article stays one
