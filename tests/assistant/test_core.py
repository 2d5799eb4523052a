"""The assistant over a small invented collection of regulations: an asked-for article is answered whole, a part
of a law the collection only cites is refused by name, a law's date of effect is its 施行 article, and several
questions in one turn are answered one by one."""

from __future__ import annotations

import re

import pytest

from assistant import prompts
from assistant.answer import Answer
from assistant.gate import GateDecision

RULES = {
    "sand.txt": "云南省河道采砂管理办法\n\n第一条　为了规范河道采砂，制定本办法。\n"
    "第二条　有下列情形之一的，不得采砂：\n（一）汛期；\n（二）禁采区内；\n（三）夜间。\n"
    "第三条　采砂许可期限最长不超过3年。\n第四条　本办法自2020年1月1日起施行。\n",
    "transport.txt": "某某水运管理规定\n\n第一条　跨省运输的，适用《中华人民共和国水路运输法》的规定。\n"
    "第二条　运输企业应当建立安全管理制度。\n第三条　本规定自2019年5月1日起施行。\n",
}


@pytest.fixture(scope="module")
def rules_assistant(assistant_over):
    return assistant_over(RULES)


def test_an_asked_for_article_is_answered_with_all_its_items(rules_assistant) -> None:
    answer = rules_assistant.ask("云南省河道采砂管理办法第二条是怎么规定的？")
    assert not answer.refused, answer.text
    assert "有下列情形之一的，不得采砂" in answer.text
    # one numbering per line: the answer's, in the order of the article's own (一)(二)(三)
    assert answer.text.splitlines()[-3:] == ["1. 汛期；[1]", "2. 禁采区内；[1]", "3. 夜间。[1]"]
    assert "第三条" not in answer.text and "第一条" not in answer.text


def test_a_part_of_a_law_the_collection_only_cites_is_refused_by_name(rules_assistant) -> None:
    answer = rules_assistant.ask("水路运输法第二条是怎么规定的？")
    assert answer.refused
    expected = prompts.REFUSAL_UNCOLLECTED_PART.format(title="中华人民共和国水路运输法", part="第二条")
    assert expected in answer.text


def test_a_question_after_a_pasted_text_is_answered_as_the_question_alone(rules_assistant) -> None:
    question = "云南省河道采砂管理办法第二条是怎么规定的？"
    paste = "某地水运企业反映，夜间航行的船舶较多，运输安全管理制度尚不健全，需要加强巡查。" * 8
    long = f"{paste}\n{question}"
    assert len(long) > rules_assistant.settings.answer.question_view_chars
    alone, pasted = rules_assistant.ask(question), rules_assistant.ask(long)
    assert pasted.text == alone.text and not pasted.refused
    assert pasted.question == long.replace("\n", " ") and pasted.standalone_question == question


def test_when_a_named_law_takes_effect_is_its_own_date_article(rules_assistant) -> None:
    # every sentence of the law carries the words of its name; the one stating the date must still come first
    answer = rules_assistant.ask("云南省河道采砂管理办法什么时候施行？")
    assert not answer.refused, answer.text
    assert "本办法自2020年1月1日起施行" in answer.text.splitlines()[1]


def test_two_laws_dates_are_each_answered_with_their_own_citation(rules_assistant) -> None:
    answer = rules_assistant.ask("云南省河道采砂管理办法和某某水运管理规定哪个先施行？")
    assert not answer.refused, answer.text
    cited = {c.source: c.text for c in answer.citations}
    assert "2020年1月1日" in cited.get("sand.txt", "") and "2019年5月1日" in cited.get("transport.txt", "")


def test_two_questions_the_documents_answer_get_one_answer_holding_both(rules_assistant) -> None:
    answer = rules_assistant.ask("云南省河道采砂管理办法什么时候施行？采砂许可期限最长几年？")
    assert not answer.refused, answer.text
    assert "2020年1月1日" in answer.text and "3年" in answer.text
    assert prompts.PART_HEADING.format(n=1, question="云南省河道采砂管理办法什么时候施行？") not in answer.text


def test_a_part_the_documents_do_not_answer_is_said_in_its_block(rules_assistant) -> None:
    answer = rules_assistant.ask("云南省河道采砂管理办法什么时候施行？无人机巡河补贴标准是多少？")
    # the question as asked cannot be answered in full (a refusal), yet the part that can is answered and cited
    assert answer.refused and answer.citations, answer.text
    first, second = "云南省河道采砂管理办法什么时候施行？", "无人机巡河补贴标准是多少？"
    block_one, block_two = answer.text.split(prompts.PART_HEADING.format(n=2, question=second))
    assert block_one.startswith(prompts.PART_HEADING.format(n=1, question=first)) and "2020年1月1日" in block_one
    assert block_two.splitlines()[1] == prompts.PART_NOT_FOUND
    # the part's own citations, numbered from 1, hold what its block says
    assert [c.n for c in answer.citations] == list(range(1, len(answer.citations) + 1))
    by_n = {c.n: c.text for c in answer.citations}
    assert any("2020年1月1日" in by_n[int(n)] for n in re.findall(r"\[(\d+)\]", block_one))


def test_two_asks_of_one_sentence_are_answered_each_when_the_whole_is_refused(rules_assistant) -> None:
    first, second = "云南省河道采砂管理办法什么时候施行？", "无人机巡河补贴标准是多少？"
    answer = rules_assistant.ask(first.removesuffix("？") + "，" + second)
    assert answer.refused and answer.citations, answer.text
    block_one = answer.text.split(prompts.PART_HEADING.format(n=2, question=second))[0]
    assert block_one.startswith(prompts.PART_HEADING.format(n=1, question=first)) and "2020年1月1日" in block_one


def test_more_after_a_source_question_goes_on_from_the_content_question(rules_assistant) -> None:
    from assistant.conversation import Conversation

    conversation = Conversation()
    first = rules_assistant.ask("哪些情形不得采砂？", conversation)
    assert not first.refused, first.text
    conversation.add(first)
    source = rules_assistant.ask("这是哪个文件说的？", conversation)
    assert source.rewrite_mode == "source" and not source.refused, source.text
    conversation.add(source)
    more = rules_assistant.ask("还有吗？", conversation)
    assert more.rewrite_mode == "more" and more.standalone_question == "哪些情形不得采砂？", more.text
    # the same from a transcript, where the turns hold only their texts
    transcript = Conversation.from_messages(conversation.messages())
    again = rules_assistant.ask("还有吗？", transcript)
    assert again.standalone_question == "哪些情形不得采砂？"


def test_an_x_ne_part_of_one_turn_is_the_first_part_asked_about_x() -> None:
    from assistant.core import Assistant

    first = "新建园区的停车位不得少于多少？"
    assert Assistant._part_question(first, "园区停车位", "老城片区呢？") == "老城片区的停车位不得少于多少？"
    # a part that asks something of its own gets the first part's subject in front
    assert Assistant._part_question(first, "园区停车位", "文号多少？") == "园区停车位，文号多少？"


def test_an_article_acted_on_is_not_asked_for_its_own_text() -> None:
    from assistant.core import _asks_for_itself

    assert _asks_for_itself("云南省河道采砂管理办法第二条是怎么规定的？", "第二条")
    assert _asks_for_itself("第三条说了什么？", "第三条")
    # "违反第二条…", "依照第三条…": what follows from the article is asked, which another article says
    assert not _asks_for_itself("违反第二条会怎样处理？", "第二条")
    assert not _asks_for_itself("依照第三条应当怎样处罚？", "第三条")


def test_a_missing_figure_is_named_as_the_question_asks_it(rules_assistant) -> None:
    answer = rules_assistant.ask("河道采砂每吨收多少管理费？")
    assert answer.refused, answer.text
    expected = prompts.REFUSAL_SLOT.format(focus="“河道采砂每吨收多少管理费”", what=prompts.SLOT_WHAT["quantity"])
    assert expected in answer.text


def test_a_refusal_says_apart_what_no_document_says_and_what_the_passages_found_lack(rules_assistant) -> None:
    decision = GateDecision(False, 0.5, 0.3, "key terms missing", missing=("渡船",), unretrieved=("汛期",))
    answer = rules_assistant._refusal(Answer(question="q", text="", refused=False, backend="extractive"), decision)
    lines = answer.text.splitlines()
    assert lines[1:] == [
        prompts.REFUSAL_MISSING.format(terms="“渡船”"),
        prompts.REFUSAL_UNRETRIEVED.format(terms="“汛期”"),
    ], answer.text


# An invented work plan whose numbered items each end with the bodies responsible, on a line of their own.
PLAN_ITEMS = {
    "河道清淤": (
        "清理主河道淤泥3万立方米，疏浚支流8公里，淤泥经脱水后用于堤防加固，不得随意堆放。",
        "县水利局、各乡镇",
    ),
    "护岸修复": ("修复损毁护岸12公里，优先采用生态护坡，2027年汛前全部完工并组织验收。", "县交通局、县财政局"),
    "排污口整治": ("排查沿河排污口并逐一建档，对非法设置的排污口一律依法拆除，限期完成整改。", "县生态环境分局"),
    "岸线绿化": ("在城区段两岸种植乡土树种，新增绿地面积5万平方米，建成滨河步道6公里。", "县住建局、县林业局"),
}
PLAN = "某县河道综合整治工作方案\n\n二、主要任务\n" + "".join(
    f"（{'一二三四'[n]}）{name}。{body}\n责任单位：{bodies}\n"
    for n, (name, (body, bodies)) in enumerate(PLAN_ITEMS.items())
)


@pytest.fixture(scope="module")
def plan_assistant(assistant_over):
    # small chunks: most field lines open a chunk that does not hold their item's label
    return assistant_over({"plan.txt": PLAN}, chunking={"tokens": 64})


def test_who_is_responsible_for_an_item_is_answered_by_its_field_line_under_its_title(plan_assistant) -> None:
    chunks = plan_assistant.index.current().chunks
    assert any(c.text.startswith("责任单位") for c in chunks)  # a field line whose item is in chunks above
    for name, (_, bodies) in PLAN_ITEMS.items():
        answer = plan_assistant.ask(f"{name}由哪个部门负责？")
        assert not answer.refused, name
        assert f"{name}：\n   责任单位：{bodies}[" in answer.text, answer.text
        others = [b for n, (_, b) in PLAN_ITEMS.items() if n != name]
        assert not any(f"责任单位：{b}" in answer.text for b in others), answer.text


def test_a_quote_both_asks_of_a_turn_cite_is_one_source() -> None:
    from assistant.answer import Answer, AnswerSentence, Citation
    from assistant.core import merge_answers

    def cited(n: int, start: int, text: str) -> Citation:
        return Citation(n, "sand.txt", "云南省河道采砂管理办法", "", "sand:1", text, start, start + len(text), text)

    dated = "本办法自2020年1月1日起施行。"
    first = Answer("何时施行？", f"1. {dated}[1]", False, "extractive", citations=[cited(1, 90, dated)])
    first.sentences = [AnswerSentence(dated, [1], True, 1.0)]
    term = "采砂许可期限最长不超过3年。"
    second = Answer(
        "有效期多长？",
        f"1. {dated}[1]\n2. {term}[2]",
        False,
        "extractive",
        citations=[cited(1, 90, dated), cited(2, 70, term)],
    )
    second.sentences = [AnswerSentence(dated, [1], True, 1.0), AnswerSentence(term, [2], True, 1.0)]
    merged = merge_answers("何时施行，有效期多长？", ["何时施行？", "有效期多长？"], [first, second])
    assert [c.n for c in merged.citations] == [1, 2] and merged.citations[1].text == term
    assert merged.text.count(f"{dated}[1]") == 2 and f"{term}[2]" in merged.text
    assert [s.citations for s in merged.sentences] == [[1], [1], [2]]


FERRY = (
    "某县渡船管理办法\n\n第一条　为了加强渡船管理，保障乘客安全，制定本办法。\n"
    "第二条　申请渡船登记，应当提交下列材料：\n"
    "（一）船主身份证明；\n（二）船舶检验合格证书；\n（三）驾驶人员适任证书。\n"
    "渡船船龄不满五年的，可以用船厂出具的出厂合格证明代替前款第（二）项材料。\n"
    "第三条　渡船每年汛期前应当接受一次安全检查。\n第四条　本办法自2026年3月1日起施行。\n"
)


FLOOD = (
    "甲县防汛应急预案\n\n一、组织指挥体系\n\n县防汛指挥部负责全县防汛工作的组织、协调和指挥。县防汛指挥部办公室设在县水利局，"
    "办公室主任由县水利局局长兼任。\n县防汛指挥部办公室值班电话：0571-6612330。\n\n二、预警发布\n\n"
    "县气象局发布暴雨红色预警后，各乡镇应当在2小时内组织危险区群众转移。\n"
)


@pytest.fixture(scope="module")
def county_assistant(assistant_over):
    """A county's ferry rules and flood plan, one collection."""
    return assistant_over({"ferry.txt": FERRY, "flood.txt": FLOOD})


def test_an_item_follow_up_also_shows_what_the_document_says_of_that_item_by_its_number(county_assistant) -> None:
    from assistant.conversation import Conversation

    conversation = Conversation()
    first = county_assistant.ask("渡船登记要交哪些材料？", conversation)
    assert "船舶检验合格证书" in first.text, first.text
    conversation.add(first)
    item = county_assistant.ask("那第二条具体指什么？", conversation)
    lines = [line for line in item.text.splitlines() if line[:1].isdigit()]
    assert "船舶检验合格证书" in lines[0] and "代替前款第（二）项材料" in lines[1], item.text


def test_two_asks_answered_whole_show_each_when_the_whole_states_one(county_assistant) -> None:
    first, second = "县防汛指挥部办公室在哪个单位？", "电话是多少？"
    answer = county_assistant.ask(first + second)
    assert not answer.refused, answer.text
    heading_two = prompts.PART_HEADING.format(n=2, question=second)
    assert heading_two in answer.text, answer.text
    block_one, block_two = answer.text.split(heading_two)
    assert "县水利局" in block_one and "0571-6612330" in block_two


HARVEST = (
    "甲市统计公报\n\n一、农业\n\n2022年全市粮食产量41.2万吨，比上年减少1.5%。\n"
    "2023年全市粮食产量43.5万吨，比上年增长5.6%。\n2023年全市蔬菜产量88.0万吨。\n"
)


def test_a_year_said_by_two_digits_is_the_years_figure_and_so_in_a_follow_up(assistant_over) -> None:
    from assistant.conversation import Conversation

    harvest = assistant_over({"harvest.txt": HARVEST})
    conversation = Conversation()
    first = harvest.ask("23年全市粮食产量多少？", conversation)
    assert first.standalone_question.startswith("2023年"), first.standalone_question
    assert "43.5万吨" in first.text and "41.2万吨" not in first.text, first.text
    conversation.add(first)
    earlier = harvest.ask("那22年呢？", conversation)
    assert "41.2万吨" in earlier.text and "43.5万吨" not in earlier.text, earlier.text


ROADS = (
    "某县农村公路养护实施方案\n\n一、养护分类\n\n"
    "1. 县级公路。\n县道由县交通运输局负责养护，每年全面检查两次。\n路面破损应在7日内修复。\n"
    "2. 乡级公路。\n乡道由乡镇人民政府负责养护，每季度巡查一次。\n"
    "3. 村级公路。\n村道由村民委员会组织群众养护。\n"
)


def test_an_item_asked_by_its_short_title_is_shown_with_what_it_says(assistant_over) -> None:
    from assistant.metadata import locate

    roads = assistant_over({"roads.txt": ROADS})
    head = locate("1. 县级公路。", roads.index.current().chunks)
    assert head is not None and head.text == "1. 县级公路。"
    assert [b.text for b in roads._item_body(head)] == [
        "县道由县交通运输局负责养护，每年全面检查两次。",
        "路面破损应在7日内修复。",
    ]
