"""The refusal gate on small inline texts: names no document mentions are decisive and are named; numbered parts
are checked in the document the question names; a figure about another place does not answer."""

from assistant.answer import Passage
from assistant.gate import (
    absent_from_corpus,
    as_department,
    asked_parts,
    cited_only_titles,
    decide,
    everyday_word,
    known_piece,
    known_terms,
    missing_terms,
    named_bodies,
    names_and_years,
    part_headings,
    part_number,
    places_elsewhere,
    slot_terms,
    split_missing,
    stated_parts,
    term_coverage,
    uncollected_parts,
)
from assistant.question import profile
from assistant.slots import belongs_elsewhere, find_slot
from core.settings import Settings
from core.tokenize import contains_term

TEXT = "本办法适用于本省行政区域内的河道采砂管理。县级水行政主管部门负责采砂许可。"
SETTINGS = Settings(_env_file=None)


def passage(text: str = TEXT) -> Passage:
    return Passage("c1", "a.txt", "河道采砂管理办法", "第一章 总则", "text", text, 0, len(text), 0.05, 0.9, 3.0)


def mentions(term: str) -> bool:
    return term.lower() in TEXT.lower()


def test_a_place_no_document_mentions_is_refused_and_named() -> None:
    question = profile("深圳市河道采砂许可由谁负责？")
    decision = decide(question, [passage()], 0.9, SETTINGS, mentions=mentions)
    assert not decision.answerable and "深圳市" in decision.missing


def test_a_name_jieba_makes_across_two_words_is_no_name() -> None:
    assert names_and_years("城乡医保费从几号开始交？") == []  # 医保 / 费从: 保费 is a word, 从 another
    assert names_and_years("联系人赵强电话多少？") == ["赵强"]


def test_a_year_no_document_mentions_is_decisive() -> None:
    assert absent_from_corpus("2019年采砂许可发了多少张？", mentions) == ["2019"]


def test_a_question_the_text_answers_passes() -> None:
    question = profile("河道采砂许可由哪个部门负责？")
    decision = decide(question, [passage()], 0.9, SETTINGS, mentions=mentions)
    assert decision.answerable, decision


def test_missing_terms_are_the_most_specific_ones_without_repeats() -> None:
    question = profile("河道采砂的生态补偿标准是多少？")
    missing = missing_terms(question, [passage()])
    assert missing and all(t not in TEXT for t in missing)
    assert not any(a != b and a in b for a in missing for b in missing)


def test_an_article_number_no_document_has_is_decisive() -> None:
    text = "第一条 为了规范河道采砂，制定本办法。第二条 本办法适用于本省。"
    assert absent_from_corpus("第九条怎么规定的？", lambda t: t in text) == ["第九条"]
    assert absent_from_corpus("第二条怎么规定的？", lambda t: t in text) == []


# --- issue 15: numbered parts per named document --------------------------------------------------------------
LAW = (
    "第一条　为了规范河道采砂，制定本办法。\n第二条　本办法适用于本省。依照本办法第九条处罚。\n"
    "第三条　采砂许可期限最长不超过3年。"
)
OTHER = "第一条　为了保护林木，制定本条例。\n第六十一条　违反本条例的，依法承担责任。"
LAW_TITLE, OTHER_TITLE = "云南省河道采砂管理办法", "云南省林木采伐条例"


def test_part_numbers_read_chinese_and_arabic_numerals() -> None:
    assert [part_number(n) for n in ("六十", "十", "二十七", "一百零五", "60")] == [60, 10, 27, 105, 60]
    assert [p for _, p in asked_parts("第六十条和第3章")] == [(60, "条"), (3, "章")]


def test_a_document_states_its_parts_as_headings_not_as_cross_references() -> None:
    assert stated_parts([LAW]) == {(1, "条"), (2, "条"), (3, "条")}  # "依照本办法第九条" is a reference


def test_a_part_the_named_document_lacks_is_refused_even_when_another_document_has_it() -> None:
    question = profile("河道采砂管理办法第六十一条是怎么规定的？")
    documents = {LAW_TITLE: stated_parts([LAW])}
    corpus = stated_parts([LAW]) | stated_parts([OTHER])
    decision = decide(question, [passage(OTHER)], 0.9, SETTINGS, documents=documents, corpus_parts=corpus)
    assert not decision.answerable and decision.absent_parts == ((LAW_TITLE, "第六十一条"),)


def test_a_part_the_named_document_has_passes_the_part_check_in_any_numerals() -> None:
    question = profile("河道采砂管理办法第3条是怎么规定的？")
    documents = {LAW_TITLE: stated_parts([LAW])}
    decision = decide(
        question,
        [passage(LAW)],
        0.9,
        SETTINGS,
        mentions=lambda t: t in LAW,
        documents=documents,
        corpus_parts=stated_parts([LAW]),
    )
    assert not decision.absent_parts and decision.answerable, decision


def test_without_a_named_document_a_part_no_document_has_is_named_as_missing() -> None:
    question = profile("第九十九条是怎么规定的？")
    decision = decide(question, [passage(LAW)], 0.9, SETTINGS, corpus_parts=stated_parts([LAW, OTHER]))
    assert not decision.answerable and decision.missing == ("第九十九条",) and not decision.absent_parts


# --- issue 15: the passage's title is evidence; missing terms are what the evidence and the corpus lack --------
def titled(text: str, title: str = LAW_TITLE) -> Passage:
    return Passage("c2", "law.txt", title, "第一章 总则", "text", text, 0, len(text), 0.05, 0.9, 3.0)


def test_a_question_naming_the_document_is_covered_by_the_passage_title() -> None:
    question = profile("云南省采砂许可期限最长是几年？")
    evidence = titled("第三条　采砂许可期限最长不超过3年。")
    corpus = LAW + LAW_TITLE
    decision = decide(question, [evidence], 0.9, SETTINGS, mentions=lambda t: t.lower() in corpus.lower())
    assert decision.answerable, decision
    without_title = titled("第三条　采砂许可期限最长不超过3年。", title="采砂规定")
    assert term_coverage(question, [without_title]) < term_coverage(question, [evidence])


def test_missing_terms_name_what_no_document_mentions_before_what_only_the_evidence_lacks() -> None:
    corpus = "2030年起施行。" + LAW
    question = profile("云南省2030年全年的PM指数是多少？")
    missing = missing_terms(question, [titled(LAW)], mentions=lambda t: t.lower() in corpus.lower())
    # 2030 is missing from the evidence, but the corpus mentions it: the terms no document has come first, PM as
    # written, not lower-cased; 全年, a numeral word (weighed as an other word), is no thing to name
    assert set(missing[:2]) == {"PM", "指数"} and missing[2:] == ("2030",)
    assert "云南省" not in missing  # the passage's document title names it


def test_a_refusal_keeps_what_the_corpus_has_apart_from_what_no_document_says() -> None:
    corpus = "2030年起施行。" + LAW
    question = profile("云南省2030年全年的PM指数是多少？")
    mentions = lambda t: t.lower() in corpus.lower()  # noqa: E731
    decision = split_missing(decide(question, [titled(LAW)], 0.9, SETTINGS, mentions=mentions), mentions)
    assert not decision.answerable
    assert set(decision.missing) == {"PM", "指数"} and decision.unretrieved == ("2030",), decision


# --- issue 15: a figure in a sentence about another place or year does not fill the slot ------------------------
def test_a_figure_about_another_place_or_year_belongs_elsewhere() -> None:
    sentence = "曲靖市2023年河道采砂量为120万吨。"
    assert belongs_elsewhere(sentence, ("昆明市",))
    assert not belongs_elsewhere(sentence, ("曲靖市",))
    assert belongs_elsewhere(sentence, ("曲靖市", "2024"))
    assert not belongs_elsewhere("河道采砂量为120万吨。", ("昆明市", "2024"))  # names nothing: the passage's subject


def test_a_quantity_question_about_one_place_is_refused_when_only_another_place_has_a_figure() -> None:
    text = "全省河道采砂实行总量控制。曲靖市河道采砂量为120万吨。"
    corpus = text + "昆明市"
    question = profile("昆明市的河道采砂量是多少万吨？")
    decision = decide(question, [titled(text)], 0.9, SETTINGS, mentions=lambda t: t.lower() in corpus.lower())
    assert not decision.answerable and decision.slot is not None, decision
    same_place = profile("曲靖市的河道采砂量是多少万吨？")
    assert decide(same_place, [titled(text)], 0.9, SETTINGS, mentions=lambda t: t in corpus).answerable


def test_a_place_jieba_cuts_before_its_level_word_is_asked_whole() -> None:
    # jieba reads 丹霞 / 新区: the level word alone would be satisfied by any other 新区's figure
    text = "紫荆新区河道采砂量为120万吨。"
    corpus = text + "丹霞新区"
    mentions = lambda t: t.lower() in corpus.lower()  # noqa: E731
    elsewhere = profile("丹霞新区的河道采砂量是多少万吨？")
    assert not decide(elsewhere, [titled(text)], 0.9, SETTINGS, mentions=mentions).answerable
    here = profile("紫荆新区的河道采砂量是多少万吨？")
    assert decide(here, [titled(text)], 0.9, SETTINGS, mentions=mentions).answerable


def test_an_unnamed_figure_in_a_passage_about_another_place_does_not_answer() -> None:
    text = "据统计，2030年全省河道采砂量为120万吨。"  # "全省" of a report on 云南省, not of the province asked about
    corpus = text + "贵州省" + LAW_TITLE
    mentions = lambda t: t.lower() in corpus.lower()  # noqa: E731
    asked_elsewhere = profile("贵州省2030年河道采砂量是多少万吨？")
    assert not decide(asked_elsewhere, [titled(text)], 0.9, SETTINGS, mentions=mentions).answerable
    asked_here = profile("云南省2030年河道采砂量是多少万吨？")  # the passage's title names 云南省
    assert decide(asked_here, [titled(text)], 0.9, SETTINGS, mentions=mentions).answerable


def test_a_sentence_referring_to_its_own_document_answers_a_date_question_about_that_document() -> None:
    title = "中华人民共和国林木采伐法"
    text = "第五十条　采伐许可证由县级林业主管部门核发。\n第五十一条　本法自2030年9月1日起施行。"
    corpus = title + text
    question = profile("林木采伐法是哪天开始施行的？")
    evidence = titled(text, title=title)
    mentions = lambda t: t.lower() in corpus.lower()  # noqa: E731
    assert decide(question, [evidence], 0.9, SETTINGS, mentions=mentions).answerable
    other = titled("第五十一条　该条例自2030年9月1日起施行。", title=title)
    assert not decide(question, [other], 0.9, SETTINGS, mentions=mentions).answerable  # not itself


# --- a document the collection only cites ------------------------------------------------------------------
CITING = "第五条　跨省运输的，适用《中华人民共和国水路运输法》和《云南省河道采砂管理办法》的规定。"


def cited_chunk(text: str = CITING):
    from core.schema import Chunk

    return Chunk(
        chunk_id="k1",
        source="rule.txt",
        title="某某规定",
        section="",
        kind="text",
        text=text,
        char_start=0,
        char_end=len(text),
        tokens=len(text),
        order=0,
    )


def test_a_title_cited_but_not_held_is_known_with_its_short_form() -> None:
    cited = cited_only_titles([cited_chunk()], [LAW_TITLE, "某某规定"])
    assert cited == {"中华人民共和国水路运输法": ("中华人民共和国水路运输法", "水路运输法")}


def test_a_part_of_a_document_the_collection_only_cites_is_refused_naming_it() -> None:
    cited = cited_only_titles([cited_chunk()], [LAW_TITLE])
    question = profile("水路运输法第三条是怎么规定的？")
    decision = decide(question, [passage(LAW)], 0.9, SETTINGS, corpus_parts=stated_parts([LAW]), cited_only=cited)
    assert not decision.answerable
    assert decision.uncollected_parts == (("中华人民共和国水路运输法", "第三条"),)
    # what it provides is in its own text, which the collection lacks: refused by name, not answered from a
    # citing clause
    other = decide(profile("水路运输法适用于什么情形？"), [passage(CITING)], 0.9, SETTINGS, cited_only=cited)
    assert not other.answerable and other.uncollected_parts == (("中华人民共和国水路运输法", ""),)
    # a question about a held document that cites it is that document's to answer
    held = {LAW_TITLE: stated_parts([LAW])}
    own = decide(
        profile("采砂管理办法里跨省运输适用水路运输法吗？"),
        [passage(CITING)],
        0.9,
        SETTINGS,
        documents=held,
        cited_only=cited,
    )
    assert not own.uncollected_parts
    # a cited title that is also an ordinary phrase, or the tail of a longer name the question writes, names nothing
    phrases = {"甲省数据条例": ("甲省数据条例", "数据条例"), "中国创新生态": ("中国创新生态", "创新生态")}
    assert not uncollected_parts("为什么要建设创新生态？", phrases)
    assert not uncollected_parts("乙市网络数据条例里怎么规定的？", phrases)
    assert uncollected_parts("数据条例怎么规定的？", phrases) == (("甲省数据条例", ""),)


def test_part_headings_give_each_article_where_it_starts() -> None:
    assert [(part, LAW[start : start + 3]) for part, start in part_headings(LAW)] == [
        ((1, "条"), "第一条"),
        ((2, "条"), "第二条"),
        ((3, "条"), "第三条"),
    ]


def test_a_latin_letter_word_no_document_contains_is_decisive() -> None:
    # a product or format is spelled the same way in any document about it
    assert absent_from_corpus("采砂许可能用XYZ格式提交吗？", mentions) == ["XYZ"]
    question = profile("采砂许可能用XYZ格式提交吗？")
    decision = decide(question, [passage()], 0.9, SETTINGS, mentions=mentions)
    assert not decision.answerable and "XYZ" in decision.missing


def test_a_question_word_read_as_a_name_is_no_name() -> None:
    # jieba tags "多少钱" as a person's name; it says what is asked, not what about
    assert "多少钱" not in absent_from_corpus("采砂许可证办下来要花多少钱？", mentions)
    assert "多少钱" not in profile("采砂许可证办下来要花多少钱？").terms


def test_a_note_under_the_text_is_no_evidence_of_what_it_names() -> None:
    from assistant.gate import body_text

    text = "本文讨论河道采砂许可。（作者单位：丁山市水利局）"
    note = text.index("（")
    noted = Passage(
        "c9",
        "b.txt",
        "采砂研究",
        "",
        "text",
        text,
        0,
        len(text),
        0.1,
        0.9,
        1.0,
        kinds=f'[[{note}, {len(text)}, "note"]]',
    )
    assert "丁山市" not in body_text(noted) and "采砂许可" in body_text(noted)
    question = profile("丁山市水利局在采砂许可上是怎么做的？")
    assert term_coverage(question, [noted]) < term_coverage(question, [passage(text)])


# --- colloquial wording ------------------------------------------------------------------------------------
PERMIT = "采砂许可证由县级水行政主管部门核发，有效期不超过一年。"


def test_a_contracted_term_is_covered_by_its_longer_form() -> None:
    question = profile("采砂证归哪个部门发？")
    evidence = [passage(PERMIT)]
    assert term_coverage(question, evidence, max_gap=2) > term_coverage(question, evidence, max_gap=0)


def test_a_contraction_jieba_reads_as_a_name_is_not_a_name_no_document_mentions() -> None:
    question = profile("采砂证有效期多长？")
    decision = decide(question, [passage(PERMIT)], 0.9, SETTINGS, mentions=lambda t: t.lower() in PERMIT)
    assert decision.reason != "a name or year no document mentions", decision


def test_pieces_of_the_asking_words_are_not_terms_the_evidence_must_hold() -> None:
    # "啥时候" asks for a date: 时候 is no term a document would say
    question = profile("采砂许可证啥时候到期？")
    text = "采砂许可证自2031年3月1日起失效。"
    decision = decide(question, [passage(text)], 0.9, SETTINGS, mentions=lambda t: t.lower() in text)
    assert "时候" not in decision.missing + decision.unretrieved


def test_a_refusal_names_missing_things_not_the_verbs_of_the_question() -> None:
    question = profile("采砂船夜里偷偷开工罚多少？")
    missing = missing_terms(question, [passage()], mentions=mentions)
    assert "开工" not in missing and "罚" not in missing


RULES = "公园内禁止机动车驶入。公园开放时间为6时至22时。"


def rules(text: str = RULES) -> Passage:
    return Passage("c2", "b.txt", "甲市公园管理规定", "第二章 管理", "text", text, 0, len(text), 0.05, 0.9, 3.0)


def test_a_yes_no_question_about_what_no_passage_says_is_refused_naming_it() -> None:
    decision = decide(profile("公园里让不让放风筝？"), [rules()], 0.9, SETTINGS, mentions=lambda t: t in RULES)
    assert not decision.answerable and decision.missing == ("放风筝",)


def test_a_yes_no_question_the_passage_speaks_to_passes_the_predicate_check() -> None:
    decision = decide(profile("公园里让不让机动车驶入？"), [rules()], 0.9, SETTINGS, mentions=lambda t: t in RULES)
    assert decision.reason != "the asked yes/no predicate is missing", decision


def test_a_name_glued_to_a_function_word_is_not_absent() -> None:
    # jieba's HMM may join "和" to an unknown place name; the place itself is mentioned
    text = "东坡区和西岭区各建公园3个。"
    assert absent_from_corpus("东坡和西岭，谁家建的公园多？", lambda t: t in text) == []


def test_the_slot_check_does_not_demand_colloquial_verbs_no_document_uses() -> None:
    text = "各乡镇于6月30日前完成河道清淤工作。"
    question = profile("河道清淤咋个弄完？")
    assert set(known_terms(question, lambda t: t in text)) < set(question.terms)
    assert known_terms(question, None) == question.terms


def test_a_date_is_not_asked_to_repeat_the_questions_verbs() -> None:
    # the verbs name the event the sentence dates in its own words ("自…起施行" for "哪天开始实行")
    text = "第三十条　本规程自2027年3月1日起施行。各科室遵照实行。"
    question = profile("巡检规程哪天开始实行？")
    in_corpus = lambda t: t in text  # noqa: E731
    assert "规程" in slot_terms(question, in_corpus, find_slot(question.text))
    assert not {"开始", "实行"} & set(slot_terms(question, in_corpus, find_slot(question.text)))
    counted = profile("巡检规程规定开始巡查多少处泵站？")
    assert slot_terms(counted, in_corpus, find_slot(counted.text)) == known_terms(counted, in_corpus)


def test_a_body_no_document_names_is_refused_and_a_shortened_name_is_not() -> None:
    from core.tokenize import contains_term

    corpus = "县自然资源和规划局负责矿产开采的审批。县水务局负责河道巡查，每月不少于两次。"
    evidence = [passage(corpus)]

    def decided(question: str):
        return decide(
            profile(question),
            evidence,
            0.9,
            SETTINGS,
            mentions=lambda t: t.lower() in corpus,
            mentions_contracted=lambda t, gap: contains_term(corpus, t.lower(), gap),
        )

    assert named_bodies("县文化旅游局负责什么？") == ["文化旅游局"]
    absent = decided("县文化旅游局负责什么？")
    assert not absent.answerable and "文化旅游局" in absent.missing, absent
    assert decided("县自规局负责什么？").reason != "a name or year no document mentions"
    assert decided("县水务局负责什么？").answerable


def test_a_focus_word_jieba_made_up_is_not_demanded_next_to_the_figure() -> None:
    corpus = "第三十条 违反本办法规定，在林区违规用火的，由县林业局处500元以上2000元以下罚款。"
    question = profile("林区违规用火罚多少钱？")  # jieba: 用 / 火罚, a word of no dictionary and no document
    decision = decide(question, [passage(corpus)], 0.9, SETTINGS, mentions=lambda t: t.lower() in corpus)
    assert decision.answerable, decision


def test_a_refusal_does_not_name_a_word_jieba_made_up() -> None:
    question = profile("林区不牵绳罚多少？")  # jieba: 牵 / 绳罚
    missing = missing_terms(question, [passage()], mentions=mentions)
    assert "绳罚" not in missing and "林区" in missing, missing


def test_a_word_jieba_made_up_is_not_demanded_of_the_evidence() -> None:
    text = "第二十一条 携犬出户未牵绳的，由公安机关给予警告；拒不改正的，处200元罚款。"
    question = profile("不牵绳罚多少？")  # jieba: 牵 / 绳罚
    decision = decide(question, [passage(text)], 0.9, SETTINGS, mentions=lambda t: t.lower() in text)
    assert decision.answerable, decision


def test_a_localiser_the_hmm_glued_to_the_verb_after_it_is_no_name() -> None:
    # jieba reads "水库中捞出来" as 水库 / 中捞 (a person's name) / 出来: no document mentions 中捞, and no one asked
    text = "水库管理单位负责清理库区漂浮物，打捞的杂物由乡镇环卫站统一处理。"
    assert absent_from_corpus("水库中捞出来的杂物归谁处理？", lambda t: t.lower() in text) == []
    assert absent_from_corpus("水库由吴小青负责吗？", lambda t: t.lower() in text) == ["吴小青"]  # a name stays


def test_a_document_named_by_its_title_that_no_document_mentions_is_decisive() -> None:
    known = "本条例依据《甲省河道管理条例》制定。".lower()
    assert absent_from_corpus("《乙省采砂管理办法》对罚款咋规定的？", lambda t: t.lower() in known) == [
        "《乙省采砂管理办法》"
    ]
    assert absent_from_corpus("《甲省河道管理条例》对罚款咋规定的？", lambda t: t.lower() in known) == []


def test_a_comparison_word_glued_to_a_place_name_is_no_name_of_its_own() -> None:
    known = "分区看，澄东区实现生产总值320亿元；临澄区210亿元。".lower()
    # jieba reads 比临 as a place and joins it to 澄区: the whole minus its 比 is mentioned
    assert absent_from_corpus("澄东区的生产总值比临澄区多出多少？", lambda t: t.lower() in known) == []


def test_a_bureau_a_rule_names_as_its_department_is_mentioned() -> None:
    question = profile("林业局接到火情报告以后怎么处理？")
    text = "第十二条 林业主管部门接到火情报告后，应当立即组织扑救。"
    decision = decide(
        question,
        [passage(text)],
        0.9,
        SETTINGS,
        mentions=lambda t: t.lower() in text,
        mentions_contracted=lambda t, gap: contains_term(text, t.lower(), gap),
    )
    assert decision.answerable, decision
    assert as_department("县交通运输局") == "县交通运输部门"


def test_a_word_counted_or_picked_among_its_kind_is_no_name() -> None:
    # jieba's dictionary tags 城市 and 英雄 as places; picked among their kind they are common nouns
    assert names_and_years("本轮试点选了哪些城市？") == []
    assert names_and_years("表彰了什么英雄人物？") == []
    assert names_and_years("我想问丹霞镇的人口有多少？")[-1] == "丹霞镇"


def test_a_place_the_passages_never_name_under_another_places_titles_is_elsewhere() -> None:
    guide = "甲溪县便民服务指南（2031年版）"
    evidence = "渔船登记需要提交船舶检验证书和船主身份证。本县渔船登记当场办结。"

    def on_topic(text: str, places: tuple[str, ...]) -> bool:
        return "渔船" in text

    assert places_elsewhere("乙岭县渔船登记要带啥？", [evidence], [guide], on_topic) == ("乙岭县",)
    assert places_elsewhere("甲溪县渔船登记要带啥？", [evidence], [guide], on_topic) == ()
    # a document of another level says nothing of whose county it is; a place the passages name is there
    assert places_elsewhere("乙岭县渔船登记要带啥？", [evidence], ["丙江市便民服务指南"], on_topic) == ()
    assert places_elsewhere("乙岭县渔船登记要带啥？", [evidence + "乙岭县另行规定。"], [guide], on_topic) == ()
    # named only in a passage on something else (a table of every county's hotline) it is still elsewhere
    hotlines = "各县咨询电话：乙岭县 0790-1234567，丁山县 0790-7654321。"
    assert places_elsewhere("乙岭县渔船登记要带啥？", [evidence, hotlines], [guide], on_topic) == ("乙岭县",)


def test_an_everyday_word_no_document_uses_is_not_what_the_evidence_lacks() -> None:
    text = "申请采砂许可，应当提交申请书和身份证明。"
    question = profile("采砂要准备啥东西？")
    decision = decide(question, [passage(text)], 0.9, SETTINGS, mentions=lambda t: t in text)
    assert decision.answerable, decision
    off = Settings(_env_file=None, gate={"everyday_word_frequency": 0})
    assert not decide(question, [passage(text)], 0.9, off, mentions=lambda t: t in text).answerable


def test_a_time_word_no_document_uses_still_counts() -> None:
    assert not everyday_word("今年", 5000) and everyday_word("东西", 5000)


def test_a_focus_word_no_document_uses_is_asked_as_its_known_piece() -> None:
    text = "农村五保供养对象每人每月发放供养金600元。"
    assert known_piece("五保户", lambda t: t in text) == "五保"
    assert known_piece("供养金", lambda t: t in text) == "供养金"
    decision = decide(profile("五保户一个月给多少钱？"), [passage(text)], 0.9, SETTINGS, mentions=lambda t: t in text)
    assert decision.answerable, decision
    assert known_piece("使用费", lambda t: t in "使用耕地的不超过120平方米", 5000) == "使用费"  # 使用: any use
