"""Item labels and numbered series, on invented list lines."""

from core.enumeration import Series, item_label


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
