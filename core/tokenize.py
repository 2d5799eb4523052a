"""Chinese word segmentation for lexical search and overlap checks (jieba, stopwords)."""

from __future__ import annotations

import logging
import re
import threading
from functools import lru_cache

from core.synonyms import synonyms

STOPWORDS = frozenset(
    (
        # question words: they say what is asked, not what the answer is about
        "多少",
        "多大",
        "多长",
        "多高",
        "多久",
        "一年",
        "大概",
        "分别",
        "各自",
        "具体",
        "什么样",
        "怎么样",
        "是怎么",
        "哪类",
        "哪种",
        "一条",
        "看法",
        "论述",
        "讲",
        "谈",
        "里",
        "来",
        "做",
        "用",
        "各篇",
        "举",
        "提",
        "谈到",
        "讲到",
        "怎么看",
        "的",
        "了",
        "和",
        "与",
        "及",
        "或",
        "是",
        "在",
        "对",
        "为",
        "以",
        "于",
        "中",
        "等",
        "而",
        "并",
        "也",
        "都",
        "就",
        "将",
        "把",
        "被",
        "从",
        "向",
        "由",
        "其",
        "之",
        "这",
        "那",
        "这些",
        "那些",
        "一个",
        "一些",
        "各",
        "有",
        "没有",
        "要",
        "会",
        "能",
        "可",
        "可以",
        "应",
        "应该",
        "如何",
        "怎样",
        "怎么",
        "什么",
        "哪些",
        "哪个",
        "哪几个",
        "哪几",
        "几个",
        "几",
        "哪",
        "吗",
        "呢",
        "吧",
        "啊",
        "请",
        "请问",
        "谈谈",
        "说说",
        "介绍",
        "一下",
        "具体",
        "主要",
        "方面",
        "哪里",
        "为什么",
        "为何",
        "是否",
        "有没有",
        "文章",
        "论文",
        "本文",
        "文中",
        "资料",
        "作者",
        "提出",
        "提到",
        "认为",
        "指出",
        "通过",
        "我们",
        "我国",
        "他们",
        "它们",
        "它",
        "他",
        "她",
        "我",
        "你",
        "您",
        "所",
        "上",
        "下",
        "不",
        "很",
        "更",
        "最",
        "多",
        "还",
        "又",
        "再",
        "已",
        "已经",
        "当前",
        "目前",
        "如果",
        "因为",
        "所以",
        "但",
        "但是",
    )
)
_PUNCT_OR_SPACE = re.compile(r"^[\s\W_]+$")
_lock = threading.Lock()


@lru_cache(maxsize=1)
def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def _segmenter():
    with _lock:  # jieba's lazy structures are not thread-safe on first use
        return _jieba()


def pos_tags(text: str) -> list[tuple[str, str]]:
    """(word, jieba part-of-speech tag) in precise mode, with the dictionary this module loads."""
    _segmenter()
    import jieba.posseg

    return [(w.word, w.flag) for w in jieba.posseg.lcut(text)]


def in_dictionary(word: str) -> bool:
    """Whether jieba's dictionary lists ``word``; a word not in it was made by its HMM from unknown characters."""
    return bool(_segmenter().dt.FREQ.get(word))


def word_frequency(word: str) -> int:
    """How often jieba's dictionary counts ``word`` in the general Chinese it was built on (0 when unlisted)."""
    return int(_segmenter().dt.FREQ.get(word) or 0)


def dictionary_tag(word: str) -> str:
    """The part-of-speech tag jieba's dictionary gives ``word`` ("" for a word it does not list)."""
    _segmenter()
    import jieba.posseg

    return jieba.posseg.dt.word_tag_tab.get(word, "")


def tokenize(text: str) -> list[str]:
    """Content words of ``text``: jieba search-mode segmentation minus stopwords and punctuation."""
    words = _segmenter().lcut_for_search(text.lower())
    return [w for w in words if w.strip() and w not in STOPWORDS and not _PUNCT_OR_SPACE.match(w)]


def word_spans_break(before: str, after: str, window: int = 6) -> bool:
    """Whether jieba reads a word across the join of ``before`` and ``after`` ("鼓励龙" + "头企业" → 龙头企业):
    the text was cut inside a word, so the two pieces belong to one sentence."""
    if not before or not after or not _is_cjk(before[-1]) or not _is_cjk(after[0]):
        return False
    left, right = before[-window:], after[:window]
    position = 0
    for word in _segmenter().lcut(left + right, HMM=False):
        if position < len(left) < position + len(word):
            return True
        position += len(word)
    return False


def char_bigrams(text: str) -> set[str]:
    """Bigrams of CJK/alphanumeric characters: a segmentation-free overlap measure for Chinese."""
    chars = [c for c in text if c.isalnum()]
    return {a + b for a, b in zip(chars, chars[1:], strict=False)}


def _is_cjk(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


@lru_cache(maxsize=4096)
def _contracted(term: str, max_gap: int) -> re.Pattern[str] | None:
    """A pattern for ``term``'s characters in order with up to ``max_gap`` Chinese characters between each two,
    and None for terms that are not all Chinese (a Latin word or a number is written one way)."""
    if len(term) < 2 or not all(_is_cjk(c) for c in term):
        return None
    gap = f"[\u4e00-\u9fff]{{0,{max_gap}}}"
    return re.compile(gap.join(re.escape(c) for c in term))


def contains_term(text: str, term: str, max_gap: int = 0) -> bool:
    """``term`` in ``text`` as written, or (``max_gap`` > 0) in a longer form of it inside one phrase: colloquial
    Chinese contracts a formal phrase by dropping characters ("砍树" for "砍伐树木", "上技所" for "上海技术交易所"),
    so the longer form holds the short one's characters in order with a few others between them. A synonym
    (core.synonyms: "时限" for "期限", "缴费" for "交费") counts as written: an official's everyday word for the
    document's formal one."""
    if term in text or any(synonym in text for synonym in synonyms(term)):
        return True
    if max_gap <= 0:
        return False
    pattern = _contracted(term, max_gap)
    return pattern is not None and pattern.search(text) is not None
