"""A long question is read as its asking sentence, a short one whole (question_view); terms and their kinds."""

from __future__ import annotations

from assistant.question import (
    asks_division,
    classify,
    profile,
    question_parts,
    question_view,
    subject_of,
    with_full_years,
    without_localizers,
)

PASTE = "某县推行乡村积分制，村民参与公益劳动可以兑换生活用品。这种做法提高了参与率。" * 6


def test_a_question_within_the_limit_is_read_whole() -> None:
    question = "积分制怎么兑换？请分点说明。"
    assert question_view(question, 120) is question


def test_a_pasted_passage_followed_by_a_question_is_read_as_the_question() -> None:
    assert len(PASTE) > 120
    assert question_view(f"{PASTE}\n积分可以兑换哪些东西？", 120) == "积分可以兑换哪些东西？"
    # a line break ends the passage even when the paste was cut mid-sentence
    assert question_view(f"{PASTE[:-5]}\n积分制有什么风险", 120) == "积分制有什么风险"


def test_the_question_runs_from_the_asking_sentence_to_the_end_but_a_question_deep_in_the_paste_is_not_it() -> None:
    assert question_view(f"{PASTE}积分制有什么风险？请分点说明。", 120) == "积分制有什么风险？请分点说明。"
    deep = f"为什么要推行积分制？{PASTE}请概括上文的要点。"
    assert question_view(deep, 120) == "请概括上文的要点。"


def test_an_unpunctuated_run_is_cut_to_the_limit() -> None:
    run = "积分" * 500
    assert question_view(run, 120) == run[:120]


def test_asking_sentences_in_a_row_are_read_together() -> None:
    assert question_view(f"{PASTE}\n积分怎么算？能换什么？", 120) == "积分怎么算？能换什么？"
    # only what fits: the earlier question is left out when both together pass the limit
    first, second = "积分" * 40 + "怎么算？", "积分" * 30 + "能换什么？"
    assert question_view(f"{PASTE}\n{first}{second}", 120) == second


def test_term_kinds_tell_nouns_from_verbs() -> None:
    question = profile("水库管理处每年要打开几次闸门？")
    kinds = dict(zip(question.terms, question.term_kinds, strict=True))
    assert kinds["闸门"] == "noun" and kinds["打开"] == "verb"


def test_content_terms_leave_out_the_phrasing_and_the_question_words() -> None:
    from assistant.question import content_terms

    assert content_terms("那个养犬规定到底由谁来负责解释？") == ("养犬", "规定", "负责", "解释")


def test_the_comparative_construction_asks_for_a_comparison() -> None:
    assert classify("甲镇跟乙镇比，公厕多几座？") == "compare"
    assert classify("甲法和乙法分别由谁来解释？") == "compare"
    assert classify("甲镇有几座公厕？") == "fact"
    assert classify("科研人员和单位的收益比例是多少？") == "fact"


def test_a_profile_keeping_some_terms_keeps_each_terms_kind() -> None:
    question = profile("巡检规程什么时候开始执行？")
    kept = question.keeping(tuple(t for t in question.terms if t != "时候"))
    assert "时候" in question.terms and len(kept.term_kinds) == len(kept.terms)
    assert all(kept.kind_of(t) == question.kind_of(t) for t in kept.terms)


def test_one_sentence_asking_two_things_is_two_questions_when_asked_for() -> None:
    question = "积分兑换找哪个窗口，何时办结？"
    assert question_parts(question) == [question]  # by question marks only
    assert question_parts(question, clauses=True) == ["积分兑换找哪个窗口？", "何时办结？"]
    assert question_parts("积分可以兑换大米吗，需不需要排队？", clauses=True) == [
        "积分可以兑换大米吗？",
        "需不需要排队？",
    ]


def test_a_numeral_written_in_words_weighs_as_an_other_word_and_one_in_digits_as_a_noun() -> None:
    question = profile("积分能多换一点吗？2030年以后呢？")
    assert question.kind_of("一点") == "other"
    assert question.kind_of("2030") == "noun"


def test_a_list_noun_whose_date_figure_or_person_is_asked_is_the_subject_of_a_fact_question() -> None:
    assert classify("这项措施何时到期？") == "fact"
    assert classify("护林建议由谁提出？") == "fact"
    assert classify("护林有哪些措施？") == classify("护林措施有多少项？") == classify("护林的路径是什么？") == "list"


def test_the_subject_of_an_ask_leaves_out_what_it_asks_for() -> None:
    # a later ask of the same turn ("何时上门？") is about the 报修, not about the 电话 the first ask wants
    assert subject_of("居民报修打哪个电话") == "居民报修"
    assert subject_of("甲法什么时候施行") == "甲法"
    assert subject_of("渡口办理哪些船只证件") == "渡口办理"


def test_a_condition_before_the_question_is_not_a_question_of_its_own() -> None:
    question = "如果村民没有登记，积分怎么算？"
    assert question_parts(question, clauses=True) == [question]
    assert question_parts("积分制何时推行？各村呢？", clauses=True) == ["积分制何时推行？", "各村呢？"]


def test_a_year_said_by_two_digits_is_written_in_full_and_a_span_of_years_is_not() -> None:
    assert with_full_years("到26年底，积分户数要达到多少？") == "到2026年底，积分户数要达到多少？"
    assert with_full_years("甲镇09年以来建了几座桥？98年呢？") == "甲镇2009年以来建了几座桥？1998年呢？"
    for span in ("参保满15年能领多少？", "连续12年获评", "规划实施了10年", "20年期限", "3年内", "近20年来", "两年多"):
        assert with_full_years(span) == span


def test_a_place_level_said_with_a_localizer_is_the_level() -> None:
    assert without_localizers("乡里出了山火，多久要报到县上？") == "乡出了山火，多久要报到县？"
    assert without_localizers("镇里今年修路花了多少钱？") == "镇今年修路花了多少钱？"
    # a place's own name and words that only contain such characters stay
    assert without_localizers("甲县城里的公交线路有几条？") == "甲县城里的公交线路有几条？"
    assert without_localizers("这里的办事窗口在哪？") == "这里的办事窗口在哪？"


def test_one_of_a_count_is_how_a_figure_is_counted_not_a_term() -> None:
    terms = profile("旧车报废一辆车补多少钱？").terms
    assert not any(t in "一辆车" for t in terms) and "报废" in terms
    assert "一件" in profile("高效办成一件事怎么落实？").terms  # a slogan's 一件事 is what it is about


def test_a_count_of_parts_asks_for_the_parts() -> None:
    assert classify("这个方案的保障措施分几部分？") == "list"
    assert classify("规划分几部分？") == "list"


def test_a_count_of_what_something_is_divided_into_is_a_division() -> None:
    assert asks_division("预警分几级？") and asks_division("补贴分为几档")
    assert not asks_division("补贴发几次？")
