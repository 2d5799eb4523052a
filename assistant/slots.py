"""The answer-slot check for questions that ask for a quantity, a date or a person.

Tempting out-of-corpus questions reuse the corpus's own words ("合肥 引导基金 总规模是多少亿元"): the
passages match well, yet no sentence states the asked-for figure. Such a question is answerable only when one
sentence holds the asked-for term next to a number (and the unit, when the question names one).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.answer import Passage
from core.sentences import split_sentences

_UNITS = "亿元|万元|美元|元|亿|万|家|个|名|架|项|份|人|户|件|吨|公里|倍|年|%"
# 几 after a demonstrative or 哪 points at items of a list, not at a count.
_QUANTITY = re.compile(rf"(多少|(?<![哪那这])几(?=[个家名架项份人户件倍年]))({_UNITS})?|多大|多长|多高|多久")
# "which" + a calendar unit (哪年, 哪一天, 哪个月) or a general when-word
_WHEN = re.compile(r"哪[一个]?[年月天日]|何时|什么时候")
# Which of several came first ("甲法和乙法哪个先施行"): answered by each one's date. The composer prefers dated
# sentences for it; the gate does not demand one (a date retrieved for one document only refused both).
_ORDER = re.compile(r"(?:哪个|哪一?[部项份篇]|谁)更?[先早]")
_WHO = re.compile(r"是谁|哪位|谁")
# A figure: digits, or a Chinese numeral before a magnitude or a measure word ("三年", "两个", "十五日").
_NUMBER = re.compile(r"\d|[数几][十百千万亿]|[一二三四五六七八九十两]+[十百千万亿个年月日天次项条种名家倍周]")
_YEAR = re.compile(r"(19|20)\d{2}\s*年")
# A point in time: a year, a month or day ("3月底", "十五日内"), or the date of an act ("自印发之日起").
_DATE = re.compile(r"(19|20)\d{2}\s*年|[\d一二三四五六七八九十]+\s*[月日]|之日")
_YEAR_NUMBER = re.compile(r"(?:19|20)\d{2}(?=\s*年)")
# Places and organisations (jieba tags) that own a figure: "曲靖市2030年产值为…" is 曲靖市's figure. Person tags
# (nr) are left out: jieba tags many legal words as names ("安全法"), which would make every such sentence foreign.
OWNER_TAGS = ("ns", "nt")
# Administrative suffixes a text may leave out when it names a place ("广东省" / "广东").
_PLACE_SUFFIX = re.compile(r"(?<=..)[省市县区州]$")


def without_slot_words(question: str) -> str:
    """The question without the words that ask for a figure, a date or a person ("什么时候", "多少", "是谁")."""
    for pattern in (_WHEN, _QUANTITY, _WHO):
        question = pattern.sub(" ", question)
    return question


@dataclass(frozen=True)
class Slot:
    kind: str  # quantity | when | who
    focus: tuple[str, ...]  # content words right next to the question word
    unit: str | None


def find_slot(question: str) -> Slot | None:
    for kind, pattern in (("when", _WHEN), ("quantity", _QUANTITY), ("who", _WHO)):
        match = pattern.search(question)
        if not match:
            continue
        unit = match.group(2) if kind == "quantity" else None
        before = _nouns(question[: match.start()])
        after = _nouns(question[match.end() :])
        # "哪一年开始实施" names the asked-for event after the question word; "产值是多少" names it before.
        focus = (after[:1] or before[-1:]) if kind == "when" else before[-1:]
        return Slot(kind, tuple(focus), unit)
    return None


def answer_slot(question: str) -> Slot | None:
    """The slot an answer sentence should fill: ``find_slot``'s, or any date when it asks which came first."""
    return find_slot(question) or (Slot("when", (), None) if _ORDER.search(question) else None)


def _nouns(text: str) -> list[str]:
    """Content nouns of a question fragment (jieba part-of-speech tags starting with n)."""
    from core.tokenize import STOPWORDS, pos_tags

    return [
        word.lower() for word, tag in pos_tags(text) if tag.startswith("n") and len(word) >= 2 and word not in STOPWORDS
    ]


# A document calls itself 本 + the end of its title: 本法 (…数据安全法), 本办法 (…实施办法), 本条例, 本通知.
SELF_REFERENCE_CHARS = 3


def self_references(title: str) -> list[str]:
    """How a document refers to itself: 本 + the last one to three characters of its title."""
    plain = title.strip()
    return [f"本{plain[-n:]}" for n in range(1, SELF_REFERENCE_CHARS + 1) if len(plain) > n]


def fills(slot: Slot, sentence: str, title: str = "") -> bool:
    """Whether a sentence states the asked-for figure, date or person of the slot's focus. A sentence that
    refers to its own document ("本法自……起施行") is about whatever the document's title names."""
    text = sentence.lower()
    itself = title.lower() if any(ref in sentence for ref in self_references(title)) else ""
    if any(term not in text and term not in itself for term in slot.focus):
        return False
    if slot.kind == "when":
        return bool(_DATE.search(sentence))
    if slot.kind == "quantity":
        if not _NUMBER.search(sentence):
            return False
        return slot.unit is None or slot.unit in sentence or (slot.unit == "年" and bool(_YEAR.search(sentence)))
    return True


def belongs_elsewhere(sentence: str, specific: tuple[str, ...]) -> bool:
    """Whether a sentence's figure belongs to another place, organisation or year than the question's
    ``specific`` names and years: the sentence names none of the question's places but another one ("昆明市…是多少"
    answered by "曲靖市…为120万吨"), or none of its years but another year ("2030年…" by "2029年…"). A sentence
    naming no place or year is about its passage's subject."""
    text = sentence.lower()
    wanted = [t.lower() for t in specific]
    years = [t for t in wanted if t.isdigit()]
    if years and not any(y in text for y in years) and _YEAR_NUMBER.search(text):
        return True
    names = [t for t in wanted if not t.isdigit()]
    if not names or any(n in text for n in names):
        return False
    from core.tokenize import pos_tags

    owners = [w.lower() for w, tag in pos_tags(sentence) if tag in OWNER_TAGS and len(w) >= 2]
    # 云南 and 云南省 are one place: a name inside another is the same owner.
    return any(not any(o in n or n in o for n in names) for o in owners)


def slot_filled(
    slot: Slot,
    passages: list[Passage],
    terms: tuple[str, ...],
    min_coverage: float,
    context: str = "",
    specific: tuple[str, ...] | list[str] = (),
) -> bool:
    """True when one sentence fills the slot inside a passage that is about the question's subject (its title
    and section path count: a document calls itself 本办法, never by its name), and the sentence's figure is not
    another place's or year's (``specific``: the question's names and years)."""
    specific = tuple(specific)
    names = [n.lower() for n in specific if not n.isdigit()]
    for passage in passages:
        if passage.kind == "reference":
            continue
        text = (passage.title + passage.section + passage.text + context).lower()
        # A passage that never names the place or body asked about does not hold its figure: "2024年度全省…达到
        # 1.69万家" in a report on 乙省 is no answer to "甲省2024年…有多少家".
        if names and not any(n in text or _PLACE_SUFFIX.sub("", n) in text for n in names):
            continue
        weight = sum(len(t) for t in terms) or 1
        if sum(len(t) for t in terms if t in text) / weight < min_coverage:
            continue
        for sentence in split_sentences(passage.text):
            if fills(slot, sentence.text, passage.title) and not belongs_elsewhere(sentence.text, specific):
                return True
    return False
