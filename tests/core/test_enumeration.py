"""Item labels and numbered series, on invented list lines."""

from core.enumeration import (
    Series,
    cn_number,
    cn_numeral,
    field_item_start,
    field_label,
    is_table_row,
    item_label,
    item_reference,
)


def test_labels_keep_what_tells_two_series_apart() -> None:
    assert item_label("（三）划定范围；") == ("c()", 3)
    assert item_label("**(2) 完善机制。**") == ("d()", 2)
    assert item_label("3. 加强监管。") == item_label("3、加强监管。") == ("d.", 3)
    assert item_label("十二、附则") == ("c.", 12)
    assert item_label("② 对于企业，应当…") == ("①", 2)
    assert item_label("二是强化保障。") == ("c是", 2)
    assert item_label("第十二条　规划报批。") == ("c第条", 12)
    assert item_label("第二，要完善机制。") == ("c第，", 2)
    # section numbers, decimals and years are not item labels
    assert item_label("2.1 把握关系") is None
    assert item_label("1.5倍以上") is None
    assert item_label("2025年起施行。") is None


def test_a_series_skips_nested_items_and_ends_at_a_restart_or_the_enclosing_units_next() -> None:
    series = Series(("d()", 1))
    lines = ["① 甲。", "② 乙。", "(2) 丙。", "这是说明。", "① 丁。", "(3) 戊。", "(1) 另一个清单。", "(2) 不再属于它。"]
    assert [line for line in lines if series.feed(line)] == ["(2) 丙。", "(3) 戊。"]
    assert series.ended
    article = Series(("c()", 1), enclosing=("c第条", 9))
    assert article.feed("（二）乙；")
    assert not article.feed("第十条　下一条。") and article.ended


# An invented work plan: each numbered item ends with the bodies responsible for it, on a line of its own.
PLAN = (
    "二、重点任务\n"
    "（一）河道清淤。清理淤泥3万立方米。\n牵头单位：县水利局\n配合单位：各乡镇\n\n"
    "（二）护岸修复。修复护岸12公里，\n2027年汛前完工。\n牵头单位：县交通局\n\n"
    "各乡镇要加强巡查。\n联系人：王某\n"
)


def test_a_field_line_belongs_to_the_numbered_item_above_it() -> None:
    def item_of(line: str) -> str:
        start = PLAN.index(line)
        item = field_item_start(PLAN, start, start + len(line))
        return "" if item is None else PLAN[item:start]

    assert field_label("牵头单位：县水利局") == "牵头单位"
    assert item_of("配合单位：各乡镇").startswith("（一）河道清淤。")  # past the item's other field line
    assert item_of("牵头单位：县交通局").startswith("（二）护岸修复。")  # over the item's two lines of prose
    assert item_of("联系人：王某") == ""  # under no item: a blank line ends the search
    assert field_item_start(PLAN, PLAN.index("清理"), PLAN.index("清理") + 4) is None  # prose is no field line
    # a line ending in "；" is an entry of a list, one ending in "：" announces one
    assert field_label("甲镇：行政村12个，卫生室9个；") is None and field_label("主要任务如下：") is None


def test_an_item_is_referred_to_by_its_number_in_either_numeral() -> None:
    assert [cn_numeral(n) for n in (2, 10, 12, 20, 35)] == ["二", "十", "十二", "二十", "三十五"]
    assert all(cn_number(cn_numeral(n)) == n for n in range(1, 100))
    reference = item_reference(2)
    assert (
        reference.search("可以代替前款第（二）项材料")
        and reference.search("依照第2项办理")
        and reference.search("第二项")
    )
    assert not reference.search("第十二项") and not reference.search("第二十项") and not reference.search("第22项")


def test_markdown_and_space_aligned_rows_are_table_rows_and_a_pipe_in_prose_is_not() -> None:
    assert is_table_row("| 2 | 二级残疾人 | 80 |")
    assert not is_table_row("联系人：某某    联系电话：0000-1234567")  # spaces align fields, not cells
    assert is_table_row("补贴对象｜标准")
    assert not is_table_row("软件包名称之间使用 | 符号分隔。")
    assert not is_table_row("第七条  季度得分按以下公式计算：")
