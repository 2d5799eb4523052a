"""Follow-ups are rewritten into standalone questions before retrieval (rules, no model needed)."""

from assistant.conversation import Conversation
from assistant.followup import answer_items, elliptic, is_followup, rewrite

PREVIOUS_ANSWER = (
    "资料中列出的要点如下：\n"
    "1. 体制机制壁垒突出，科研评价重论文轻转化。[1]\n"
    "2. 创新链与产业链衔接不畅，科研选题脱离产业实际，中试环节薄弱。[1]\n"
    "3. 要素配置效率低下，复合型人才短缺。[2]"
)
HISTORY = [
    {"role": "user", "content": "科技创新与产业创新融合面临哪些障碍？"},
    {"role": "assistant", "content": PREVIOUS_ANSWER},
]


def test_numbered_items_are_read_from_the_previous_answer() -> None:
    assert answer_items(PREVIOUS_ANSWER)[1] == "创新链与产业链衔接不畅，科研选题脱离产业实际，中试环节薄弱。"


def test_ordinal_resolves_to_the_item() -> None:
    result = rewrite("那第二条具体指什么？", HISTORY)
    assert result.mode == "ordinal"
    assert "创新链与产业链衔接不畅" in result.question and "障碍" in result.question
    assert rewrite("最后一条呢？", HISTORY).question.count("要素配置效率低下") == 1
    assert "体制机制壁垒" in rewrite("第1点是什么意思", HISTORY).question


def test_pronoun_resolves_to_the_previous_topic() -> None:
    history = [{"role": "user", "content": "技术图谱是什么？"}, {"role": "assistant", "content": "……"}]
    result = rewrite("它是哪篇文章提出的？", history)
    assert result.question == "技术图谱是哪篇文章提出的？"


def test_a_short_question_naming_only_what_it_asks_is_asked_of_the_previous_topic() -> None:
    history = [{"role": "user", "content": "渡船年检收费标准是多少？"}, {"role": "assistant", "content": "……"}]
    result = rewrite("找哪个部门？", history)
    assert result.mode == "topic" and "渡船年检" in result.question and result.question.endswith("找哪个部门？")
    assert not is_followup("渡船年检找哪个部门？", history)  # it names its subject itself
    # of the earlier question's subject, not of how it asked: "怎么解决" would make 问题 what the body must repeat
    history = [{"role": "user", "content": "渡口的停靠和候船问题怎么解决？"}, {"role": "assistant", "content": "……"}]
    assert rewrite("找哪个部门？", history).question == "渡口的停靠和候船问题，找哪个部门？"
    history += [{"role": "user", "content": "找哪个部门？"}, {"role": "assistant", "content": "……"}]
    assert rewrite("什么时候完成？", history).question == "渡口的停靠和候船问题，什么时候完成？"
    # before 有 or 是 stands half a clause, not a topic: the earlier question is the topic whole
    history = [{"role": "user", "content": "渡口码头有哪些设施是禁止摆摊的？"}, {"role": "assistant", "content": "……"}]
    assert rewrite("找哪个部门？", history).question == "渡口码头有哪些设施是禁止摆摊的，找哪个部门？"
    # the 在 of "在哪办" is how it asks
    history = [{"role": "user", "content": "渔船登记在哪办？"}, {"role": "assistant", "content": "……"}]
    assert rewrite("找哪个部门？", history).question == "渔船登记，找哪个部门？"
    # asking how or what without a figure, date or body to fill still names nothing of its own
    history = [{"role": "user", "content": "渡口停航由谁决定？"}, {"role": "assistant", "content": "……"}]
    assert rewrite("停航以后要做啥？", history).mode == "topic"


def test_more_repeats_the_previous_question_and_excludes_given_items() -> None:
    result = rewrite("还有吗？", HISTORY)
    assert result.mode == "more" and result.question == HISTORY[0]["content"]
    assert "要素配置效率低下，复合型人才短缺。" in result.exclude


def test_standalone_questions_pass_through() -> None:
    assert not is_followup("高新区如何通过揭榜挂帅机制激发创新活力？", HISTORY)
    assert rewrite("什么是新质生产力？", None).mode == "standalone"


def test_followup_retrieves_the_right_passages(assistant) -> None:
    first = assistant.ask(HISTORY[0]["content"])
    history = [HISTORY[0], {"role": "assistant", "content": first.text}]
    second_item = answer_items(first.text)[1]
    answer = assistant.ask("那第二条具体指什么？", Conversation.from_messages(history))
    assert answer.standalone_question != "那第二条具体指什么？"
    assert second_item[:20] in answer.standalone_question
    assert not answer.refused and answer.citations
    more = assistant.ask("还有吗？", Conversation.from_messages(history))
    assert not more.refused
    assert not set(answer_items(more.text)) & set(answer_items(first.text))


def test_a_follow_up_of_a_follow_up_builds_on_the_resolved_question() -> None:
    second = rewrite("那第二条具体指什么？", HISTORY).question
    history = [*HISTORY, {"role": "user", "content": "那第二条具体指什么？"}, {"role": "assistant", "content": "……[1]"}]
    result = rewrite("还有吗？", history)
    assert result.mode == "more" and result.question == second  # never the bare "那第二条具体指什么？"


def test_a_model_rewrite_must_keep_the_follow_ups_point_and_its_antecedent() -> None:
    from assistant.core import keeps_the_point

    question, rule_based = "它是哪个部门负责审批的？", "采砂许可是哪个部门负责审批的？"
    assert keeps_the_point("采砂许可由哪个部门负责审批？", question, rule_based)
    assert not keeps_the_point("采砂许可是什么？", question, rule_based)  # the point (审批) is gone
    assert not keeps_the_point("哪个部门负责审批？", question, rule_based)  # the antecedent is gone


def test_markup_of_the_previous_answer_never_reaches_the_rewritten_question() -> None:
    history = [
        {"role": "user", "content": "河道巡查有哪些做法？"},
        {"role": "assistant", "content": "1. **网格化**巡查台账。[1]\n2. **无人机**航拍巡查。[1]"},
    ]
    result = rewrite("那第二条具体指什么？", history)
    assert "**" not in result.question and result.anchor == "无人机航拍巡查。"


def test_an_enumeration_in_one_sentence_gives_ordinals_their_items() -> None:
    from assistant.followup import inline_items

    assert inline_items("共列了三种：网格巡查、航拍巡查（无人机、卫星）和群众举报。") == [
        "网格巡查",
        "航拍巡查（无人机、卫星）",
        "群众举报",
    ]
    assert inline_items("前几条是：建台账，责任到人；推航拍，每周比对。") == ["建台账，责任到人", "推航拍，每周比对"]
    assert inline_items("采砂许可由主管部门审批。") == []
    history = [
        {"role": "user", "content": "巡查有几种方式？"},
        {"role": "assistant", "content": "三种：网格巡查、航拍巡查和群众举报。"},
    ]
    assert rewrite("最后那种怎么做？", history).anchor == "群众举报"


def test_more_excludes_what_every_earlier_answer_showed() -> None:
    history = [
        *HISTORY,
        {"role": "user", "content": "那第二条具体指什么？"},
        {"role": "assistant", "content": "关于这一条：\n1. **中试**平台不足。[1]"},
    ]
    exclude = rewrite("还有吗？", history).exclude
    assert "要素配置效率低下，复合型人才短缺。" in exclude  # from the first answer
    assert "中试平台不足。" in exclude and "**中试**平台不足。" in exclude  # as shown and without markup


def _asked(question: str) -> list[dict]:
    return [{"role": "user", "content": question}, {"role": "assistant", "content": "1. 某句。[1]"}]


def test_x_ne_asks_the_previous_question_again_about_x() -> None:
    cases = [
        ("新建园区的停车位不得少于多少？", "老城片区呢？", "老城片区的停车位不得少于多少？"),
        ("镇上由哪个部门审批？", "那村上呢？", "村上由哪个部门审批？"),
        ("依照第八条应当怎样处罚？", "第九条呢？", "依照第九条应当怎样处罚？"),
        ("2023年乙县新修了多少公里道路？", "2022年呢？", "2022年乙县新修了多少公里道路？"),
    ]
    for previous, question, expected in cases:
        assert is_followup(question, _asked(previous))
        result = rewrite(question, _asked(previous))
        assert (result.question, result.mode) == (expected, "substitute")


def test_x_ne_of_another_aspect_keeps_the_previous_question_beside_it() -> None:
    result = rewrite("那补贴呢？", _asked("依照第八条应当怎样处罚？"))
    assert result.mode == "topic" and "依照第八条应当怎样处罚" in result.question and "补贴" in result.question
    # "还有呢？" continues; a question of its own is no X呢 follow-up
    assert rewrite("还有呢？", _asked("镇上由哪个部门审批？")).mode == "more"
    assert elliptic("村上由哪个部门审批呢？") == ""


def test_an_ordinal_past_the_previous_answers_items_is_a_question_of_its_own() -> None:
    result = rewrite("第九条说了什么？", _asked("镇上由哪个部门审批？"))  # the answer had one item
    assert (result.question, result.mode) == ("第九条说了什么？", "standalone")


def test_a_place_of_another_level_replaces_the_place_asked_about() -> None:
    # jieba splits the town's name from its level and glues the level to the next word ("柳河" "镇要")
    first = rewrite("黄沙乡呢？", _asked("柳河镇要架几座桥？"))
    assert (first.question, first.mode) == ("黄沙乡要架几座桥？", "substitute")
    chained = [*_asked("柳河镇要架几座桥？"), *_asked("黄沙乡呢？")]
    assert rewrite("石桥街道呢？", chained).question == "石桥街道要架几座桥？"


def test_more_after_an_item_follow_up_is_not_shown_as_its_internal_query() -> None:
    item_asked = [{"role": "user", "content": "那第二条具体指什么？"}, {"role": "assistant", "content": "1. 句。[1]"}]
    history = [*HISTORY, *item_asked]
    more = rewrite("还有吗？", history)
    assert more.mode == "more" and "创新链与产业链衔接不畅" in more.question and not more.readable
    assert rewrite("还有吗？", HISTORY).readable


def test_x_ne_of_a_sibling_item_of_a_documents_list_asks_about_that_item() -> None:
    heads = [("（一）推进湿地修复。", "（二）整治河道沙洲。", "（三）建设观鸟步道。")]
    result = rewrite("观鸟步道呢？", _asked("湿地修复由哪个单位负责？"), heads)
    assert (result.question, result.mode) == ("观鸟步道由哪个单位负责？", "substitute")
    # without such a list, or for an aspect no item names, the previous question stays beside it
    assert rewrite("观鸟步道呢？", _asked("湿地修复由哪个单位负责？")).mode == "topic"
    assert rewrite("经费呢？", _asked("湿地修复由哪个单位负责？"), heads).mode == "topic"


def test_an_item_follow_up_asks_about_the_item_and_leaves_out_what_was_shown() -> None:
    result = rewrite("那第二条有什么成效？", HISTORY)
    assert result.about_item.startswith("“创新链与产业链衔接不畅") and "障碍" not in result.about_item
    assert "有什么成效" in result.about_item
    assert "要素配置效率低下，复合型人才短缺。" in result.exclude  # the list's other items are still on screen


def test_another_situation_asked_the_same_way_replaces_the_earlier_topic() -> None:
    history = [{"role": "user", "content": "渡口垃圾乱倒，归哪个部门管？"}, {"role": "assistant", "content": "……"}]
    assert rewrite("那游客乱扔烟头呢？", history).question == "游客乱扔烟头，归哪个部门管？"
    history = [{"role": "user", "content": "船主超载运输怎么处罚？"}, {"role": "assistant", "content": "……"}]
    assert rewrite("那不拴缆绳呢？", history).question == "不拴缆绳，怎么处罚？"
    assert rewrite("那罚款呢？", history).mode != "substitute" or "超载" in rewrite("那罚款呢？", history).question


def test_which_ranks_first_without_a_measure_is_asked_of_the_earlier_question() -> None:
    history = [
        {"role": "user", "content": "2031年丁市全市粮食产量多少？"},
        {"role": "assistant", "content": "全市粮食产量86.2万吨。"},
    ]
    assert rewrite("哪个县最多？", history).question == "2031年丁市全市粮食产量，哪个县最多？"
    # a measure named: a question of its own
    assert rewrite("哪个县的棉花产量最多？", history).question == "哪个县的棉花产量最多？"
    assert rewrite("去年棉花产量最多的是哪个县？", history).question == "去年棉花产量最多的是哪个县？"


def test_a_place_asked_after_a_ranking_is_asked_for_its_own_figure() -> None:
    history = [{"role": "user", "content": "去年棉花产量最多的是哪个县？"}, {"role": "assistant", "content": "……"}]
    assert rewrite("那东湾县呢？", history).question == "东湾县去年棉花产量是多少？"
    history = [{"role": "user", "content": "哪个县棉花产量增长最多？"}, {"role": "assistant", "content": "……"}]
    assert rewrite("那东湾县呢？", history).question == "东湾县棉花产量增长是多少？"


def test_x_ne_naming_an_item_of_a_list_the_answer_showed_asks_about_that_item() -> None:
    heads = [("1. 城区道路。", "2. 乡村道路。", "3. 山区道路。")]
    shown = [
        {"role": "user", "content": "第二项具体说的啥？"},
        {
            "role": "assistant",
            "content": "关于这一条，原文的具体论述如下：\n1. 城区道路。[1]\n2. 城区道路每年养护两次。[1]",
        },
    ]
    result = rewrite("那山区的呢？", shown, heads)
    assert (result.mode, result.anchor) == ("ordinal", "3. 山区道路。")
    # an item the answer did not show a sibling of is no such item
    assert rewrite("那山区的呢？", _asked("第二项具体说的啥？"), heads).mode != "ordinal"


def test_a_follow_up_after_an_item_asks_of_that_item_under_the_lists_subject() -> None:
    listing = "资料中列出的要点如下：\n1. 城区道路。[1]\n2. 乡村道路每年养护两次。[1]\n3. 山区道路由乡镇负责巡查。[1]"
    history = [{"role": "user", "content": "道路养护分几部分？"}, {"role": "assistant", "content": listing}]
    item = rewrite("第二部分具体说的啥？", history)
    assert item.mode == "ordinal" and "乡村道路每年养护两次" in item.question and "部分具体" not in item.question
    history += [{"role": "user", "content": "第二部分具体说的啥？"}, {"role": "assistant", "content": "1. 某句。[1]"}]
    who = rewrite("谁负责？", history)
    assert who.question.startswith("道路养护分几部分：乡村道路每年养护两次") and who.question.endswith("谁负责？")


def test_after_an_item_a_question_naming_its_own_thing_asks_of_the_list_and_a_pronoun_of_the_item() -> None:
    history = [
        {"role": "user", "content": "渡口收费分几种？"},
        {"role": "assistant", "content": "1. 过渡费：甲。[1]\n2. 停靠费：乙。[1]"},
        {"role": "user", "content": "那第二种是啥"},
        {"role": "assistant", "content": "关于这一条：\n停靠费：乙。[1]"},
    ]
    assert rewrite("那收费要开啥票据", history).question == "渡口收费分几种，收费要开啥票据"
    assert rewrite("这种的钱谁来收", history).question.startswith("渡口收费分几种：停靠费")
    assert rewrite("谁负责？", history).question.startswith("渡口收费分几种：停靠费")
