"""The citation verifier on what small models really write: unmarked or mis-numbered claims are attributed to the
passage that holds them, opening markers bind forward, citation-only phrases are not claims, and a figure is only
supported where the passage states it for the same subject, year and measure."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.answer import Passage
from assistant.llm import Budget, StageLimits, answer_messages, build_llm, stream_answer
from assistant.verify import (
    CitationVerifier,
    article_bound,
    containment,
    figure_bound,
    grounded_enough,
    is_citation_only,
    parse_answer,
    rewrite_markers,
    strip_dangling_markers,
    subject_bound,
    with_caption,
)
from core.embeddings import build_embedder

FIXTURES = Path(__file__).parent.parent / "fixtures"
CASES = json.loads((FIXTURES / "verify_cases.json").read_text(encoding="utf-8"))["cases"]
RECORDINGS = sorted((FIXTURES / "model_answers").glob("*.json"))


def _passage(n: int, text: str) -> Passage:
    return Passage(f"c{n}", "x.txt", "t", "s", "text", text, 0, len(text), 1.0)


def _numbered(passages: dict[str, str]) -> dict[int, Passage]:
    return {int(n): _passage(int(n), text) for n, text in passages.items()}


def _case_passages(case: dict) -> dict[int, Passage]:
    if "recording" not in case:
        return _numbered(case["passages"])
    recording = json.loads((FIXTURES / "model_answers" / f"{case['recording']}.json").read_text(encoding="utf-8"))
    return {i: Passage(**p) for i, p in enumerate(recording["passages"], start=1)}


def _right(case: dict, verifier: CitationVerifier) -> bool:
    checked = verifier.check(parse_answer(case["sentence"]), _case_passages(case))
    assert len(checked) == 1, case["sentence"]
    result = checked[0]
    truth = case["truth"] if isinstance(case["truth"], list) else [case["truth"]]  # a list: each holds it
    return result.supported and bool(set(truth) & set(result.citations)) if case["truth"] else not result.supported


def test_labelled_sentences_wrong_entity_figures_caught_and_true_ones_kept() -> None:
    verifier = CitationVerifier(0.5)
    wrong_figures = [c for c in CASES if c["kind"] in ("wrong-entity figure", "wrong figure")]
    true_ones = [c for c in CASES if c["truth"]]
    assert len(CASES) >= 30 and len(wrong_figures) >= 10 and len(true_ones) >= 10
    # Every sentence of the labelled recordings as the real model wrote it (origin "recorded"), both kinds.
    real = [c for c in CASES if c["origin"] == "recorded"]
    # Issue 16 asks for >= 30 real wrong-entity figures, >= 95 % caught, no correct one rejected (measured, session
    # 22: 38 of 39 caught, 82 of 82 correct kept; README "Try generated answers offline").
    real_wrong = [c for c in real if c["kind"] == "wrong-entity figure"]
    assert len(real_wrong) >= 39 and sum(bool(c["truth"]) for c in real) >= 82
    assert sum(_right(c, verifier) for c in real_wrong) >= 0.95 * len(real_wrong)
    caught = [c["sentence"] for c in wrong_figures if _right(c, verifier)]
    assert len(caught) >= 0.95 * len(wrong_figures), sorted({c["sentence"] for c in wrong_figures} - set(caught))
    missed = [c["sentence"] for c in true_ones if not _right(c, verifier)]
    assert not missed


def test_opening_marker_binds_forward_and_citation_only_phrases_are_not_claims() -> None:
    text = "根据资料[2]的描述，甲市建成三个中试基地。基地向中小企业开放。\n依据资料。\n乙市设立专项资金[1]。"
    parsed = parse_answer(text)
    assert [(p.text, p.markers) for p in parsed] == [
        ("甲市建成三个中试基地。", [2]),
        ("基地向中小企业开放。", [2]),
        ("乙市设立专项资金。", [1]),
    ]
    assert is_citation_only("以上内容来自资料[1]。") and is_citation_only("根据资料[3]，")
    assert not is_citation_only("资料显示成本下降[1]。") and not is_citation_only("创新很重要[1]。")
    assert not is_citation_only("资料显示增长3%。")


def test_a_trailing_citation_phrase_covers_the_claim_before_it() -> None:
    parsed = parse_answer("1. 每年年底前报送经营情况报告。根据资料 [3] 的规定。")
    assert [(p.text, p.markers) for p in parsed] == [("每年年底前报送经营情况报告。", [3])]


def test_a_citing_lead_line_covers_the_list_after_it() -> None:
    parsed = parse_answer("资料[1]指出：\n1. 甲市建成中试基地。\n2. 乙市设立专项资金。[2]")
    assert [(p.text, p.markers) for p in parsed] == [("甲市建成中试基地。", [1]), ("乙市设立专项资金。", [2])]


def test_unmarked_and_misnumbered_claims_are_attributed_and_the_text_says_so() -> None:
    numbered = {
        1: _passage(1, "甲市建成三个共享中试基地，向中小企业开放设备。"),
        2: _passage(2, "乙市设立两亿元专项资金，支持高校成果就地转化。"),
    }
    text = "1. 甲市建成三个共享中试基地。\n2. 乙市设立两亿元专项资金[1]。\n3. 丙市的做法未见记载[2]。"
    parsed = parse_answer(text)
    checked = CitationVerifier(0.5).check(parsed, numbered)
    assert [(s.supported, s.citations) for s in checked] == [(True, [1]), (True, [2]), (False, [2])]
    assert grounded_enough(checked, 0.5) and not grounded_enough(checked, 0.9)
    rewritten = rewrite_markers(text, parsed, checked)
    assert rewritten == "1. 甲市建成三个共享中试基地。[1]\n2. 乙市设立两亿元专项资金。[2]\n3. 丙市的做法未见记载[2]。"


@pytest.mark.parametrize(
    ("claim", "bound"),
    [
        ("甲市2022年研发投入为45亿元", True),
        ("甲市2023年研发投入为45亿元", False),  # the year the passage gives another figure for
        ("甲市技术合同成交额为45亿元", False),  # the figure measures something else
        ("甲市技术合同成交额增长12%", True),
        ("甲市研发投入增长12%", False),
        ("办法自2025年7月1日起施行", True),
        ("办法自2025年1月1日起施行", False),
        ("考核周期为3～5年", True),
        ("考核周期为3至6年", False),
    ],
)
def test_a_figure_is_bound_to_what_it_measures(claim: str, bound: bool) -> None:
    passage = "2022年，甲市研发投入为45亿元。技术合同成交额增长12%。办法自2025年7月1日起施行，考核周期为3-5年。"
    assert figure_bound(claim, passage) is bound


def test_a_sentence_copied_word_for_word_keeps_its_figures() -> None:
    """Extractive answer lines are verbatim: figures written with a thin space, figure numbers and several dates in
    one sentence are all stated in their own context (the eval's citation support fell to 0.90 without this)."""
    passage = "图2、图5显示，截至2021年10月，乙县合作社有1 200家左右，加工企业接近3千家。另有说明。"
    assert figure_bound("图2、图5显示，截至2021年10月，乙县合作社有1 200家左右，加工企业接近3千家。", passage)
    assert not figure_bound("截至2021年10月，乙县加工企业有1 200家左右。", passage)


def test_embedding_check_re_points_to_the_passage_that_holds_the_wording() -> None:
    """A paraphrase cited to the wrong passage: both passages are in the grey zone of surface overlap, the real
    embedder finds the one that says it (main's check accepted it under the wrong number: cosine 0.93 there)."""
    from core.settings import Settings

    numbered = {
        1: _passage(1, "中试平台建设需要长期投入，地方财政应当设立专项资金支持共享中试基地运营。"),
        2: _passage(2, "湖畔实验室帮助中小企业完成样品试制，使新产品从实验室走向生产线的周期明显缩短。"),
    }
    embed = build_embedder(Settings(_env_file=None)).get_text_embedding_batch
    claim = parse_answer("湖畔实验室为中小企业试制样品，新产品投产更快，也需要专项资金支持共享基地[1]。")
    plain = CitationVerifier(0.58).check(claim, numbered)[0]
    assert not plain.supported  # neither passage holds enough of it on the surface
    checked = CitationVerifier(0.58, embed, 0.9).check(claim, numbered)[0]
    assert checked.supported and checked.citations == [2]


def _replay(fake_openai, make_settings, tmp_path, recording: dict) -> str:
    model = f"replay-{recording['id']}"
    fake_openai.replies[model] = recording["raw_answer"]
    settings = make_settings(tmp_path, model={"base_url": fake_openai.base_url, "name": model, "retries": 0})
    passages = [Passage(**p) for p in recording["passages"]]
    messages = answer_messages(recording["standalone_question"], passages)
    limits = StageLimits.of(settings.model)
    return "".join(stream_answer(build_llm(settings, "openai"), messages, limits, Budget(30.0))).strip()


@pytest.mark.skipif(not RECORDINGS, reason="no recorded model answers")
def test_recorded_model_answers_are_kept_when_grounded(fake_openai, make_settings, tmp_path) -> None:
    """Raw answers of a real small model (scripts/record_model_answers.py), replayed over HTTP through the
    product's client: most are kept once claims are attributed, where the old check kept few."""
    kept_with, kept_without = 0, 0
    for path in RECORDINGS:
        recording = json.loads(path.read_text(encoding="utf-8"))
        text = _replay(fake_openai, make_settings, tmp_path, recording)
        assert text == recording["raw_answer"].strip()
        numbered = {i: Passage(**p) for i, p in enumerate(recording["passages"], start=1)}
        text = strip_dangling_markers(text, set(numbered))
        parsed = parse_answer(text)
        checked = CitationVerifier(0.5).check(parsed, numbered)
        kept_with += grounded_enough(checked, 0.5)
        old = CitationVerifier(0.5, attribute=False).check(parsed, numbered)
        kept_without += any(s.supported for s in old) and grounded_enough(old, 0.5)
        for sentence in checked:
            if sentence.supported:  # every kept figure is stated, for the same thing, in the passage cited
                shown = numbered.values()  # as the verifier reads them: a table with its caption
                assert any(
                    figure_bound(
                        sentence.text, with_caption(numbered[n], shown), f"{numbered[n].section} {numbered[n].title}"
                    )
                    for n in sentence.citations
                )
    assert kept_with >= KEPT_AT_LEAST * len(RECORDINGS) and kept_with >= kept_without


# Measured on the recordings (see README, Try generated answers offline); the bar sits a little under it.
KEPT_AT_LEAST = 0.5


def test_an_article_number_is_bound_to_the_article_that_says_it() -> None:
    passage = "第七条　甲单位应当每年公布名录。\n第八条　乙单位有权查阅名录；依照本规则第三条办理的除外。"
    assert article_bound("根据本规则第八条，乙单位有权查阅名录。", passage)
    assert not article_bound("根据本规则第七条，乙单位有权查阅名录。", passage)
    assert not article_bound("根据本规则第九条，乙单位有权查阅名录。", passage)
    assert article_bound("依照第三条的规定，乙单位有权查阅名录。", passage)  # an article the passage refers to
    assert article_bound("乙单位有权查阅名录。", passage)
    checked = CitationVerifier(0.5).check(
        parse_answer("根据本规则第七条，乙单位有权查阅名录。"), {1: _passage(1, passage)}
    )
    assert not checked[0].supported


def test_a_table_is_read_with_its_caption_and_a_row_keeps_its_own_figure() -> None:
    caption = Passage(
        "a",
        "r.txt",
        "t",
        "s",
        "text",
        "各市情况如下。\n表3 2021年各市种植面积",
        0,
        26,
        1.0,
        kinds=json.dumps([[8, 22, "caption"]]),
    )
    table = Passage("b", "r.txt", "t", "s", "table", "城市\t面积(万亩)\n东川\t3 120.5\n西岭\t1 870.2", 27, 60, 1.0)
    text = with_caption(table, [caption, table])
    assert text.startswith("2021年各市种植面积")
    assert figure_bound("2021年东川的种植面积为3120.5万亩", text)
    assert not figure_bound("2021年东川的种植面积为1870.2万亩", text)  # the next row's
    assert not figure_bound("2020年东川的种植面积为3120.5万亩", text)
    assert with_caption(table, [table]) == table.text  # no caption shown: the rows alone


def test_questions_and_closing_citation_clauses_are_not_claims() -> None:
    parsed = parse_answer("甲市的投资有多少？甲市投资为3亿元，依据资料编号 [1]。")
    assert [(p.text, p.markers) for p in parsed] == [("甲市投资为3亿元。", [1])]


def test_thousands_separators_do_not_shift_where_a_figure_is_found() -> None:
    passage = "据统计,乙县规模,质量均有提升。2022年乙县产值已经超过1,200亿元,居全省前列。"
    assert figure_bound("2022年乙县产值已经超过了1 200亿元。", passage)


def test_a_clause_without_its_own_measure_states_the_figure_for_the_one_before() -> None:
    passage = "截至2021年,甲县通车率为91.2%,乙县为80.5%,但是仍有10.7个百分点的差距。甲县完成投资12亿元。"
    assert figure_bound("甲县和乙县的通车率相差10.7个百分点。", passage)
    assert not figure_bound("甲县的通车率为80.5%。", passage)  # 乙县's clause names its own subject
    assert not figure_bound("甲县的通车率为12亿元。", passage)


def test_a_restated_duty_keeps_its_subject() -> None:
    passage = "第五条 甲级主管单位确定本级管理机构，报上级备案。乙级单位确需开展的，由所在甲级主管单位统筹安排。"
    assert subject_bound("甲级主管单位确定本级管理机构。", passage)
    assert not subject_bound("乙级单位确定本级管理机构。", passage)  # the passage gives it to 甲级
    assert subject_bound("乙级单位确需开展的，由所在甲级主管单位统筹安排。", passage)
    assert subject_bound("丙县的做法未见记载。", passage)  # shares nothing: left to the support check


def test_an_article_line_copied_word_for_word_is_wholly_supported() -> None:
    # an extractive answer quotes "第十条　…" as it stands; the article check is for restatements
    passage = "第九条　甲单位负责登记。\n第十条　履行监管职责的工作人员玩忽职守的，依法给予处分。"
    assert containment("第十条　履行监管职责的工作人员玩忽职守的，依法给予处分。[1]", passage) == 1.0


def test_a_quote_spans_every_verbatim_line_that_cites_it() -> None:
    from assistant.verify import quoted_span

    text = "到年底，甲项达到九成；乙项达到八成；丙项降至一次以下；丁项保持稳定。"
    start, end = quoted_span(["到年底，甲项达到九成；", "丙项降至一次以下；"], text)
    assert text[start:end] == "到年底，甲项达到九成；乙项达到八成；丙项降至一次以下；"
    assert quoted_span(["甲项九成左右"], text) is None  # not verbatim: the best sentence is found instead


def test_a_table_with_year_rows_binds_a_cell_to_its_row_year_and_column_heading() -> None:
    """Extracted tables lose their line breaks: rows start at a year before a tab. The date is not written as
    "2019年" in the row, so a correct reading was rejected; a neighbouring row's or column's cell must stay rejected."""
    table = "育苗面积 (亩)\t出圃数 (万株)\t收入 (万元) 2018\t1 250\t36\t410 2019\t1 420\t41\t2 305 2020\t-\t47\t2 870"
    assert figure_bound("2019年育苗面积为1 420亩。", table)
    assert figure_bound("2019年出圃数为41万株，收入为2305万元。", table)  # the second clause reads the same row
    assert figure_bound("2020年的收入为2 870万元。", table)
    assert not figure_bound("2019年出圃数为1420万株。", table)  # the row's other column
    assert not figure_bound("2020年出圃数为41万株。", table)  # the column's other row
    assert not figure_bound("2021年收入为2870万元。", table)  # a year the table does not have
    # The measure left to the question ("2019年：41万株"): the one column whose unit the clause writes.
    assert figure_bound("2019年：41万株", table) and figure_bound("2018年：410万元", table)
    assert not figure_bound("2020年：41万株", table) and not figure_bound("2019年：36万株", table)


def test_a_fine_in_chinese_numerals_is_a_figure_bound_to_its_party() -> None:
    """Laws write amounts in Chinese numerals: moved to another party they were no figure at all (every word of the
    claim occurs in the passage) and were accepted; restated in digits they were rejected."""
    passage = (
        "第九条　违反本规则的，责令改正，并处五万元以上五十万元以下罚款，"
        "对直接负责的主管人员处一万元以上十万元以下罚款。"
    )
    assert figure_bound("违反本规则的，并处5万元以上50万元以下罚款。", passage)
    assert figure_bound("对直接负责的主管人员处一万元以上十万元以下罚款。", passage)
    assert not figure_bound("对直接负责的主管人员处五万元以上五十万元以下罚款。", passage)
    # The party the passage leaves implicit may be named by a word it never uses; not by the other party's.
    assert figure_bound("对单位处5万元以上50万元以下罚款。", passage)
    assert not figure_bound("对单位处1万元以上10万元以下罚款。", passage)
    assert figure_bound("期限为三十日。", "期限为30日。") and not figure_bound("期限为三十日。", "期限为20日。")
    assert figure_bound("依照第十二条处理。", "依照第十二条处理。")  # an article number stays words


def test_a_name_in_the_passage_heading_is_the_subject_of_sentences_that_name_none() -> None:
    """ "全省…达到1.2万家" under a section heading naming the province: the claim naming the province is right; a
    figure after "临江市近年来…" is 临江市's even under that heading."""
    text = "据统计，全省合作社达到1.2万家、增长9%。临江市近年来发展较快。新增合作社37家。"
    heading = "第三章 云岭及临江市的实践"
    numbered = {1: Passage("c1", "x.txt", "农业报告", heading, "text", text, 0, len(text), 1.0)}
    claims = "云岭合作社达到1.2万家，增长9%[1]。云岭新增合作社37家[1]。临江市新增合作社37家[1]。"
    checked = CitationVerifier(0.5).check(parse_answer(claims), numbered)
    assert [s.supported for s in checked] == [True, False, True]
    assert not figure_bound("云岭合作社达到1.2万家。", text)  # without the heading the province is named nowhere


def test_the_notes_of_an_ask_the_documents_do_not_answer_are_not_claims() -> None:
    from assistant import prompts

    text = "\n".join(
        [
            prompts.PART_HEADING.format(n=1, question="渡口设在哪里？"),
            prompts.PART_NOT_FOUND,
            prompts.REFUSAL_SLOT.format(focus="“渡口设在哪里”", what=prompts.SLOT_WHAT["who"]),
            prompts.REFUSAL_MISSING.format(terms="“渡口”"),
            prompts.PART_HEADING.format(n=2, question="票价多少？"),
            "1. 渡船票价每人2元。[1]",
        ]
    )
    assert [sentence.text for sentence in parse_answer(text)] == ["渡船票价每人2元。"]
