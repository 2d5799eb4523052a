"""Cilin synonyms: one meaning's words match, one kind's words (co-hyponyms) and loose one-character senses do
not."""

from core.synonyms import synonym_table, synonyms
from core.tokenize import contains_term


def test_members_of_one_group_are_each_others_synonyms() -> None:
    table = synonym_table([["时限", "期限", "年限"]])
    assert table["时限"] == ("年限", "期限")
    assert "时限" not in table["时限"]


def test_a_longer_word_gets_no_one_character_synonym_and_a_character_only_characters() -> None:
    table = synonym_table([["期限", "时限", "期"], ["舟", "船", "舟楫"]])
    assert table["期限"] == ("时限",)
    assert "期" not in table  # a character's synonyms are characters: 期限 is no synonym of 期
    assert table["舟"] == ("船",)


def test_a_character_in_a_large_group_is_left_out_as_too_ambiguous() -> None:
    table = synonym_table([["甲", "乙", "丙", "丁"], ["戊", "己"]], max_character_group=3)
    assert "甲" not in table
    assert table["戊"] == ("己",)


def test_the_packaged_thesaurus_tells_synonyms_from_words_of_one_kind() -> None:
    assert "期限" in synonyms("时限")
    assert "交费" in synonyms("缴费")
    assert "下午" not in synonyms("上午")  # one kind (times of day), not one meaning
    assert synonyms("XYZ") == ()


def test_a_compound_cilin_lacks_is_said_with_a_character_replaced() -> None:
    assert "修道" in synonyms("修路")  # 路 = 道


def test_contains_term_finds_a_term_by_its_synonym() -> None:
    text = "申请人应当在规定时限内补正材料。"
    assert contains_term(text, "期限")
    assert not contains_term(text, "上午")


def test_a_name_has_no_synonym_and_is_none() -> None:
    table = synonym_table([["京城", "首都", "国都"]], is_name=lambda word: word == "京城")
    assert "京城" not in table
    assert table["首都"] == ("国都",)


def test_places_and_time_words_are_said_as_written() -> None:
    assert synonyms("上海") == ()  # a place (jieba: ns), not 呈海 by a swapped character
    assert synonyms("今后") == ()  # a time word (jieba: t)
