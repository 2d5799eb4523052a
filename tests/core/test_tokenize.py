"""Segmentation helpers on small inline texts: a colloquial contraction of a formal phrase is found in it."""

from core.tokenize import contains_term, tokenize


def test_a_term_as_written_is_found_at_any_gap() -> None:
    assert contains_term("禁止在湖区垂钓", "垂钓")
    assert contains_term("禁止在湖区垂钓", "垂钓", max_gap=2)


def test_a_contraction_is_found_in_its_longer_form_within_the_gap() -> None:
    text = "确需捕捞鱼类的，应当向渔政部门申请。"
    assert not contains_term(text, "捕鱼")  # as written only
    assert contains_term(text, "捕鱼", max_gap=2)  # 捕[捞]鱼
    assert not contains_term("东湖水产交易市场", "东水市", max_gap=2)  # 东[湖]水[产交易]市: gap 3 > 2
    assert contains_term("东湖水产交易市场", "东水市", max_gap=3)


def test_characters_across_punctuation_or_far_apart_are_not_a_contraction() -> None:
    assert not contains_term("应当捕捞，鱼类除外", "捕鱼", max_gap=3)
    assert not contains_term("捕捞作业船只的鱼", "捕鱼", max_gap=2)


def test_latin_words_and_numbers_are_written_one_way() -> None:
    assert not contains_term("PM2.5 浓度", "PM25", max_gap=2)
    assert not contains_term("2030年", "230", max_gap=2)


def test_tokenize_drops_punctuation_and_stopwords() -> None:
    words = tokenize("湖区的垂钓管理，由渔政部门负责。")
    assert "垂钓" in words and "，" not in words and "的" not in words
