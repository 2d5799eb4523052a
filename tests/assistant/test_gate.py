"""The refusal gate on small inline texts: names no document mentions are decisive and are named."""

from assistant.answer import Passage
from assistant.gate import absent_from_corpus, decide, missing_terms
from assistant.question import profile
from core.settings import Settings

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
