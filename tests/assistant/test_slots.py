"""The answer-slot check on small invented texts: which figure, date or person a question asks for, and whether a
sentence states it for the thing asked about."""

from assistant.answer import Passage
from assistant.slots import (
    belongs_elsewhere,
    figures,
    fills,
    find_slot,
    joined_place_names,
    of_which,
    proper_names,
    ranked_level,
    ranks_places,
    refers_to_itself,
    self_references,
    sibling_places,
    slot_filled,
    table_header,
    term_share,
    with_column_units,
)


def passage(text: str, title: str = "甲市统计公报") -> Passage:
    return Passage("c1", "a.txt", title, "一、概况", "text", text, 0, len(text), 0.05, 0.9, 3.0)


def test_shares_money_and_latin_units_are_asked_for_as_quantities() -> None:
    assert find_slot("甲市的研发投入强度是百分之几？").unit == "%"
    assert find_slot("乙厂的电池能量密度是多少Wh/kg？").unit == "Wh/kg"
    assert find_slot("去年甲市进口芯片花了多少钱？").unit == "钱"


def test_the_measured_noun_after_the_question_word_is_the_focus_unless_it_only_says_an_amount() -> None:
    assert find_slot("引进那家车企时给了多少补贴？").focus == ("补贴",)
    assert "比例" not in find_slot("文章建议给科研人员多大比例的收益权？").focus
    assert find_slot("甲市的财政收入是多少？").focus == ("财政收入",)


def test_which_body_questions_ask_for_a_named_body_that_did_the_asked_thing() -> None:
    slot = find_slot("这份条例是哪个部门牵头起草的？")
    assert slot.kind == "who" and "起草" in slot.focus
    assert find_slot("这种育种芯片是哪家单位研发出来的？").focus[-1] == "研发"  # not the direction 出来


def test_a_figure_the_question_already_states_or_a_part_number_is_no_answer() -> None:
    question = "发行前一年的5年期贷款利率是多少？"
    assert figures("利率按发行前一年5年期贷款平均利率加不超过2个百分点确定。", question) == ["2"]
    assert figures("第三十条 本办法自公布之日起施行。") == []
    assert figures("2024年全市新增企业120家。", "2024年新增多少家企业？", "家") == ["120"]


def test_a_figure_counts_only_with_the_asked_unit_past_its_magnitude() -> None:
    assert figures("全年进口额为4400亿美元。", "进口花了多少钱？", "钱") == ["4400"]
    assert figures("园区聚集企业16家。", "园区产值多少亿元？", "亿元") == []
    assert figures("地区生产总值1.1万亿元。", "生产总值是多少亿？", "亿") == ["1.1"]


def test_people_and_bodies_are_named_by_tags_suffixes_or_latin_letters() -> None:
    assert "数据局" in proper_names("本办法由甲省数据局负责解释。")
    assert any("主管部门" in n for n in proper_names("县级水行政主管部门负责审批。"))
    assert "Jane Doe" in proper_names("The project was started by Jane Doe in 2001.")
    assert proper_names("各项工作要全部落实到位。") == []


def test_a_whole_area_figure_is_not_the_asked_citys() -> None:
    assert belongs_elsewhere("全省高新区实现地区生产总值1.1万亿元。", ("丙山市",), "丙山市的地区生产总值是多少？")
    assert not belongs_elsewhere("全市地区生产总值达到900亿元。", ("丙山市",), "丙山市的地区生产总值是多少？")


def test_a_body_named_by_its_abbreviation_is_the_same_owner() -> None:
    question = "南海技术交易所累计的交易额有多少？"
    text = "截至目前，南技所累计技术交易额突破300亿元。"
    assert slot_filled(find_slot(question), [passage(text, "交易平台案例")], ("交易额",), 0.5, "", ("南海",), question)


def test_a_figure_of_something_else_in_a_passage_about_the_asked_subject_does_not_answer() -> None:
    question = "甲市蓝莓产业一年的产值是多少？"
    text = "甲市蓝莓产业发展迅速，带动农户增收。全市推进清洁能源建设。通过光伏项目，新增产值3亿元。"
    slot, subject = find_slot(question), {"蓝莓": 5.0, "产业": 1.0}
    args = (slot, [passage(text)], ("蓝莓", "产业", "产值"), 0.5, "", ("甲市",), question)
    assert not slot_filled(*args, subject, 0.2)
    assert slot_filled(*args)  # without the subject check the gas plant's figure would answer
    listed = "协议内容应包括：(一)数据范围；(二)运营期限，最长不超过5年；"
    asked = "授权运营协议的运营期限最长几年？"
    items = (find_slot(asked), [passage(listed)], ("协议", "期限"), 0.5, "", (), asked)
    assert slot_filled(*items, {"协议": 3.0}, 0.2)  # said in the list's announcement


def test_the_last_clause_that_asks_is_what_is_asked() -> None:
    assert find_slot("甲办法多久评估一次，要是超了，咋处理？") is None
    assert find_slot("甲市去年的产值和增加值，增速分别是多少？").kind == "quantity"


def test_how_often_is_answered_by_a_period_or_a_span_of_time() -> None:
    question = "闸门多久检修一次？"
    slot = find_slot(question)
    assert slot is not None and slot.kind == "quantity"
    assert fills(slot, "闸门每季度检修一次，汛前加检。", "", question)
    assert fills(slot, "闸门应在3个月内完成检修。", "", question)
    assert not fills(slot, "闸门检修由管理处负责。", "", question)


def test_pieces_of_the_question_word_do_not_count_against_a_passage() -> None:
    # "什么时候" leaves 时候 among the question's terms; no law says 时候 where it states its date
    question = "这个规定什么时候开始施行？"
    text = "第九条 本规定自2021年3月1日起施行。"
    terms = ("规定", "时候", "开始", "施行")
    assert slot_filled(find_slot(question), [passage(text, "某县河道管理规定")], terms, 0.6, "", (), question)


def test_a_word_and_its_search_mode_pieces_count_once() -> None:
    # 递上去 with its pieces 递上 and 上去: one missing word, not three
    terms = ("方案", "递上", "上去", "递上去", "公示")
    share = term_share(terms, "方案公示期不少于十日")
    assert abs(share - 4 / 7) < 1e-9


def test_a_spoken_when_word_asks_for_a_date() -> None:
    slot = find_slot("新规啥时候开始执行？")
    assert slot is not None and slot.kind == "when"


def test_a_verb_right_after_duoshao_is_what_is_measured() -> None:
    # jieba tags 拨款 as a verb; after 多少 it is what the figure is of
    assert find_slot("水务局今年安排了多少拨款？").focus == ("拨款",)
    money = find_slot("偷倒垃圾罚多少钱？")
    assert money is not None and money.unit == "钱" and "钱" not in money.focus  # the unit, not what is measured


def test_the_head_of_the_counted_noun_phrase_is_the_focus() -> None:
    # Chinese noun phrases end in their head: 驿站 of 便民驿站, however jieba cuts the modifiers before it
    assert find_slot("丙镇有几个便民驿站？").focus == ("驿站",)
    assert find_slot("丁县去年买了多少辆新能源公交车？").focus == ("公交车",)


def test_a_classifier_binds_the_asked_count_to_its_unit() -> None:
    slot = find_slot("丁县去年装了多少台充电桩？")
    assert slot.unit == "台"
    assert not fills(slot, "每台充电桩补助2000元。") and fills(slot, "全年新装充电桩320台。")
    assert find_slot("戊街道要改造几条巷子？").unit == "条"


def test_telling_some_items_is_no_count() -> None:
    assert find_slot("垃圾分类有哪些要求？举几个") is None


def test_a_question_for_a_name_is_not_answered_by_the_post() -> None:
    slot = find_slot("护林队的队长是哪位副镇长？叫什么？")
    assert slot.kind == "who" and slot.named
    assert not fills(slot, "护林队由分管林业的副镇长任队长。")
    assert fills(slot, "护林队队长由副镇长欧阳明担任。")


def test_a_name_in_another_clause_is_not_the_asked_persons() -> None:
    slot = find_slot("巡河的那几个队员叫啥名字")
    assert slot.named and slot.focus == ("队员",)
    assert not fills(slot, "组建巡河队员5名，每周巡查两次，由副镇长欧阳明带队。")
    assert fills(slot, "巡河队员：周小川、林大海、韩冬。")


def test_a_whole_district_figure_is_not_the_asked_towns() -> None:
    assert belongs_elsewhere("全区共有卫生室86个。", ("甲镇",))
    assert belongs_elsewhere("全区共有卫生室86个。", ("乙街道",))


def test_ordinary_words_jieba_tags_as_places_are_no_other_owner() -> None:
    # jieba's dictionary lists 新建 (a county) and 城市 as places
    assert not belongs_elsewhere("甲区：新建公厕12座，建设城市慢行道9公里；", ("甲区",))


def test_a_shortened_title_in_angle_quotes_is_the_document_itself() -> None:
    title = "《甲市扶持小微企业若干措施》政策解读"
    slot = find_slot("这个扶持政策管到哪年？")
    assert fills(slot, "《若干措施》自2025年3月1日起施行，有效期至2027年12月31日。", title)


def test_a_numbered_items_short_title_is_what_its_later_sentences_are_about() -> None:
    text = "（二）河道清淤。清理淤泥3万立方米。由县水利局牵头，2027年4月30日前完成。"
    assert slot_filled(find_slot("河道清淤啥时候完成？"), [passage(text)], ("河道", "清淤", "完成"), 0.5)
    assert slot_filled(find_slot("河道清淤哪个部门牵头？"), [passage(text)], ("河道", "清淤", "牵头"), 0.5)


def test_a_set_phrase_jieba_does_not_tag_as_a_noun_is_the_counted_focus() -> None:
    # jieba tags 联系电话 as a set phrase (l): the number asked for is that, not the office before it
    assert find_slot("防汛办公室联系电话是多少？").focus == ("联系电话",)


def test_a_count_of_things_a_document_numbers_is_answered_by_its_items() -> None:
    text = "（一）准备阶段（3月）。制定方案。（二）实施阶段（4月至9月）。逐村推进。（三）验收阶段（10月）。组织验收。"
    question = "湿地修复分几个阶段？"
    assert slot_filled(find_slot(question), [passage(text, "湿地修复方案")], ("湿地", "修复"), 0.5, "", (), question)
    # people counted are not the items that mention them
    people = "（一）个人信息台账。逐项登记。（二）个人信息核查。每季度一次。"
    asked = "处理多少人的个人信息要备案？"
    assert not slot_filled(find_slot(asked), [passage(people, "乙办法")], ("个人信息",), 0.5, "", (), asked)


def test_an_undated_figure_is_of_the_year_its_context_names() -> None:
    question = "丁县2023年修了多少座桥？"
    assert belongs_elsewhere("其中，跨河大桥3座。", ("2023",), question, "一、2024年建设任务 新修桥梁12座。")
    assert not belongs_elsewhere("其中，跨河大桥3座。", ("2023",), question, "2023年建设情况 新修桥梁12座。")
    text = "（一）2024年新修桥梁12座。其中，跨河大桥3座。"
    assert not slot_filled(
        find_slot(question), [passage(text, "丁县交通工作要点")], ("桥",), 0.5, "", ("2023",), question
    )


def test_an_item_of_a_list_by_place_is_that_places_figure() -> None:
    question = "乙镇有几个卫生室？"
    assert belongs_elsewhere("甲镇：行政村12个，卫生室9个；", ("乙镇",), question)
    assert belongs_elsewhere("（二）甲镇：卫生室9个。", ("乙镇",), question)
    assert not belongs_elsewhere("乙镇：行政村8个，卫生室6个；", ("乙镇",), question)


def test_which_people_asks_for_kinds_of_people_not_a_name() -> None:
    assert find_slot("扑救时哪些人不得参加？") is None
    assert find_slot("这事找哪个人？").kind == "who"


def test_a_field_line_naming_bodies_by_their_role_answers_who_does_its_items_task() -> None:
    text = (
        "（一）河道清淤。清理淤泥3万立方米。\n责任单位：县水利局、各乡镇\n\n"
        "（二）护岸修复。修复护岸12公里。\n完成时限：2027年汛前"
    )
    terms = ("河道", "清淤", "负责")
    # the line names neither the task (its item does) nor 负责 (its label says the bodies' role)
    assert slot_filled(find_slot("河道清淤由哪个部门负责？"), [passage(text)], terms, 0.5)
    # a field that names no body, or a body field under another item, does not
    assert not slot_filled(find_slot("护岸修复由哪个部门负责？"), [passage(text)], ("护岸", "修复", "负责"), 0.5)


def test_a_field_that_recurs_under_each_item_is_that_items_and_a_field_said_once_is_the_documents() -> None:
    from assistant.slots import field_item

    text = (
        "（一）修缮祠堂。完成12座祠堂修缮。\n完成时限：2026年10月31日前\n"
        "（二）整治村道。硬化村道8公里。\n完成时限：2026年12月31日前\n联系人：王某\n"
    )
    p = passage(text, "某县文旅工作方案")
    deadline = text.index("完成时限：2026年12月")
    assert field_item(p, deadline, text.index("\n", deadline)).startswith("（二）整治村道。")
    contact = text.index("联系人")
    assert field_item(p, contact, len(text) - 1) == ""
    # the deadline of the item asked about fills a when-question of its task
    slot = find_slot("村道硬化何时完工？")
    assert slot_filled(slot, [p], ("村道", "硬化"), 0.5) and not slot_filled(
        slot, [passage("（一）修缮祠堂。")], ("村道",), 0.5
    )
    # said once, right under the item's body fields, a field is the item's; a contact line may be the notice's
    text = text.replace("完成时限：2026年10月31日前", "牵头单位：县文旅局\n完成时限：2026年10月31日前")
    text = text.replace("完成时限：2026年12月31日前\n联系人：王某", "牵头单位：县交通局\n联系电话：0571-6612330")
    p = passage(text, "某县文旅工作方案")
    deadline = p.text.index("完成时限：2026年10月")
    assert field_item(p, deadline, p.text.index("\n", deadline)).startswith("（一）修缮祠堂。")
    phone = p.text.index("联系电话")
    assert field_item(p, phone, len(p.text) - 1) == ""


def test_a_body_role_field_names_bodies_however_they_are_cut() -> None:
    # jieba cuts 县发展改革局 into 县/发展/改革/局: no word of it is a name, yet the label says it is a body
    slot = find_slot("水费调价归谁管？")
    item = "（七）完善水费调价机制。居民水价每立方米2.2元。"
    assert fills(slot, "牵头单位：县发展改革局", "某县供水方案", "水费调价归谁管？", 0, item)
    assert not fills(slot, "联系人：县发展改革局", "某县供水方案", "水费调价归谁管？", 0, item)


def test_a_place_name_cut_before_its_level_word_is_joined() -> None:
    tagged = [("丹霞", "nr"), ("新区", "ns"), ("去年", "t")]
    assert joined_place_names(tagged) == [("丹霞", "nr"), ("丹霞新区", "ns"), ("去年", "t")]
    # 城市 and 上市 end in 市 but name no place; a city word ending in 州 is whole already
    assert joined_place_names([("智慧", "n"), ("城市", "ns")]) == [("智慧", "n"), ("城市", "ns")]
    assert joined_place_names([("江苏", "ns"), ("苏州", "ns")]) == [("江苏", "ns"), ("苏州", "ns")]
    assert joined_place_names([("在", "p"), ("新区", "ns")]) == [("在", "p"), ("新区", "ns")]
    # a one-character level word too (丹霞 / 乡), not after a pronoun ("这个乡")
    assert joined_place_names([("丹霞", "nz"), ("乡", "n")]) == [("丹霞", "nz"), ("丹霞乡", "ns")]
    assert joined_place_names([("这个", "r"), ("乡", "n")]) == [("这个", "r"), ("乡", "n")]


def test_a_telephone_number_answers_an_asked_telephone_however_its_line_is_labelled() -> None:
    slot = find_slot("丁县农业农村局的咨询电话是多少？")
    assert slot is not None and slot.kind == "quantity"
    assert fills(slot, "丁县农业农村局：0571-6612330；")  # under "或直接咨询各县农业部门：", no 电话 in the line
    assert not fills(slot, "丁县农业农村局：每年受理咨询1200件。")  # a figure, not a number to call


def test_a_breakdown_opening_with_of_which_states_figures_of_what_the_sentence_before_names() -> None:
    from dataclasses import replace

    slot = find_slot("2032年农村公路要建多少公里？")
    total = "全县计划新建农村公路120公里。"
    breakdown = "其中，2031年建成40公里，2032年建成80公里。"
    terms = ("2032", "农村公路")
    assert slot_filled(slot, [passage(total + breakdown)], terms, 0.6, specific=["2032"])
    # the total stands at the end of the chunk before, in the passage's lead
    assert slot_filled(slot, [replace(passage(breakdown), lead=total)], terms, 0.0, specific=["2032"])
    assert not slot_filled(slot, [passage("全县计划新建桥梁12座。" + breakdown)], terms, 0.6, specific=["2032"])


def test_the_month_and_day_of_a_date_are_no_quantity() -> None:
    assert figures("完成时限：2031年4月30日前") == []
    assert figures("自2031年6月起，每人每月补贴300元") == ["300"]
    assert figures("应当在30日内办理登记") == ["30"]  # a duration, not a date


def test_a_question_asked_of_a_topic_before_its_asking_clause_has_no_focus_word_of_the_topic() -> None:
    assert find_slot("渡口的停靠和候船问题，找哪个部门？").focus == ()
    assert find_slot("渡口的停靠和候船问题，什么时候完成？").focus == ()
    assert find_slot("渡口候船室由哪个部门管理？").focus == ("候船室", "管理")  # one clause: its own noun


def test_the_counted_noun_ends_before_an_adverb_after_it() -> None:
    slot = find_slot("那句老话说一块试验田比几座粮仓还顶用？")
    assert slot is not None and slot.focus == ("粮仓",) and slot.unit == "座"
    assert fills(slot, "一块好的试验田，比5座粮仓更能保障收成。", question="那句老话说一块试验田比几座粮仓还顶用？")


def test_a_changed_amount_is_answered_by_the_verb_of_change_and_its_figure() -> None:
    question = "丙厂那条产线，换型时间能缩短多少？"
    slot = find_slot(question)
    assert slot is not None and slot.focus == () and slot.change == "缩短"
    assert fills(slot, "丙厂改造后将换线周期缩短40%以上。", question=question)
    assert not fills(slot, "丙厂改造后产线共有工人300名。", question=question)  # a figure of no change
    # a noun that names what is measured stays the focus: another amount's change is no answer
    assert find_slot("丙厂的利润增长了多少？").focus == ("利润",)


def test_a_one_character_name_before_a_district_word_is_joined() -> None:
    assert joined_place_names([("澄", "zg"), ("城区", "n"), ("人口", "n")])[1] == ("澄城区", "ns")
    assert joined_place_names([("澄", "zg"), ("西区", "ns")])[1] == ("澄西区", "ns")
    # a level character is no name: 县 / 城区 is the county's town
    assert joined_place_names([("县", "zg"), ("城区", "n")]) == [("县", "zg"), ("城区", "n")]


def test_a_sentence_naming_no_place_beside_sibling_places_is_the_whole_areas() -> None:
    text = "全年全市居民人均收入36000元。分区看，澄东区增长5.1%；澄西区增长6.3%；澄南区增长4.2%。"
    assert sibling_places(text, ["澄东区"]) == ["澄南区", "澄西区"]
    slot = find_slot("澄东区居民人均收入有多少？")
    terms = ("居民", "人均", "收入")
    assert not slot_filled(slot, [passage(text)], terms, 0.6, specific=["澄东区"])
    assert slot_filled(slot, [passage("澄东区全年居民人均收入38000元。" + text)], terms, 0.6, specific=["澄东区"])


def test_a_local_number_under_a_telephone_label_answers_an_asked_telephone() -> None:
    question = "防火办值班热线多少？"
    slot = find_slot(question)
    assert fills(slot, "县护林指挥部办公室24小时值班电话：5523119。", question=question)
    assert fills(slot, "群众可拨打服务热线12345反映。", question=question)
    assert not fills(slot, "县护林指挥部办公室实行24小时值班。", question=question)


def test_a_count_of_tiers_is_asked_and_answered_in_chinese_numerals() -> None:
    question = "森林火险预警分几级？"
    slot = find_slot(question)
    assert slot is not None and slot.kind == "quantity" and slot.unit == "级"
    assert fills(slot, "森林火险预警由低到高分为四级：蓝色、黄色、橙色和红色。", question=question)
    assert not fills(slot, "出现蓝色预警时，各乡镇加强巡查。", question=question)


def test_a_rank_is_asked_by_its_ordinal_and_answered_by_one() -> None:
    question = "丁省的数字经济规模在全国排第几？"
    slot = find_slot(question)
    assert slot is not None and slot.focus == ("全国",)
    assert fills(slot, "丁省数字经济规模居全国第7位。", question=question)
    assert not fills(slot, "丁省数字经济规模达1.2万亿元。", question=question)  # a figure, no rank
    assert find_slot("采砂许可规定在第几条？").unit != slot.unit  # a part of a document, not a rank


def test_a_breakdown_by_parts_states_figures_of_what_the_sentence_before_names() -> None:
    slot = find_slot("丙村的合作社分红是多少？")
    total = "全乡合作社分红合计120万元。"
    for opener in ("分村看：", "分片区来看，", "按村分，"):
        breakdown = f"{opener}甲村40万元、丙村35万元、丁村45万元。"
        assert of_which(breakdown, total) == total, opener
        assert fills(slot, breakdown, about=of_which(breakdown, total)), opener
    assert of_which("分红按季度发放。", total) == of_which("从长远看，分红还会增加。", total) == ""
    # a part's growth is not a part of the amount
    assert not fills(slot, "分村看，甲村增长5%、丙村增长3%。", about=total)


def test_a_bare_number_in_a_table_row_takes_its_columns_unit_from_the_header() -> None:
    text = "服务项目｜服务对象｜标准（元/人·次）\n上门体检｜九十周岁以上老人｜60\n送餐补助｜独居老人｜15\n"
    row_start = text.index("上门体检")
    row = with_column_units(text, row_start, text.index("\n", row_start))
    assert row == "上门体检｜九十周岁以上老人｜60元/人·次"
    assert fills(find_slot("九十岁老人上门体检补多少钱？"), row)
    assert not fills(find_slot("九十岁老人上门体检补多少钱？"), text[row_start : text.index("\n", row_start)])
    # merged cells shift a row's values under other headers: no unit is guessed
    shifted = "地区\t经费(亿元)\t强度(%)\n东部\t甲省\t947.1\n"
    start = shifted.index("东部")
    assert with_column_units(shifted, start, len(shifted) - 1) == "东部\t甲省\t947.1"
    assert with_column_units("一句话，没有表格。", 0, 9) == "一句话，没有表格。"
    # a column headed 单位 gives each row its own unit
    stock = "物资名称｜单位｜储备数量\n防汛沙袋｜条｜500\n抽水泵｜台｜4\n"
    start = stock.index("抽水泵")
    assert with_column_units(stock, start, stock.index("\n", start)) == "抽水泵｜台｜4台"
    assert fills(find_slot("抽水泵要备几台？"), with_column_units(stock, start, stock.index("\n", start)))


def test_a_ranking_question_asks_for_places_of_its_level_side_by_side() -> None:
    assert ranked_level("去年分红最多的是哪个村？") == "村"
    assert ranked_level("哪个县区的产值增长最多？") == "县区"
    assert ranked_level("哪个部门最多？") == ranked_level("分红有多少？") == ""
    assert ranks_places("分县区看，东湾区增长5.2%；西岭县增长6.3%；南坪县增长4.1%。", "县区")
    assert not ranks_places("全乡8个行政村分红合计120万元，村均15万元。", "村")


def test_one_of_a_count_is_no_focus() -> None:
    slot = find_slot("旧车报废一辆车补多少钱？")
    assert slot is not None and slot.focus == ("旧车",) and slot.unit == "钱"


def test_several_said_with_ji_asks_for_no_count() -> None:
    assert find_slot("同一处隐患好几个人报了呢？") is None
    assert find_slot("十几户联名申请怎么处理？") is None
    assert find_slot("乙镇有几个村？").unit == "个"


def test_a_covering_notice_calls_itself_by_the_document_it_issues() -> None:
    title = "某区办事处关于印发《某区停车收费管理办法（试行）》的通知（某办发〔2025〕3号）"
    assert "本办法" in self_references(title) and "本通知" in self_references(title)
    assert refers_to_itself("本办法自2025年5月1日起施行。", title)


def test_a_table_row_states_the_figure_its_column_header_names() -> None:
    text = "| 机构级别 | 起付金额（元） | 报销比例 |\n| 县级医疗机构 | 500 | 80% |\n| 市级医疗机构 | 800 | 70% |"
    start = text.index("县级")
    end = text.index("\n", start)
    header = table_header(text, start, end)
    assert header.startswith("| 机构级别") and table_header(text, 0, text.index("\n")) == ""
    slot = find_slot("县级医疗机构起付金额是多少？")
    assert fills(slot, text[start:end], header=header) and not fills(slot, text[start:end])
