"""The answer-slot check for questions that ask for a quantity, a date or a person.

Tempting out-of-corpus questions reuse the corpus's own words ("合肥 引导基金 总规模是多少亿元"): the
passages match well, yet no sentence states the asked-for figure. Such a question is answerable only when one
sentence holds the asked-for term next to a number (and the unit, when the question names one).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from assistant.answer import Passage
from assistant.question import INTERROGATIVE, ONE_COUNTED
from core.enumeration import TABLE_CELL, field_item_start, field_label, is_table_row, item_label
from core.sentence_kinds import PHONE, gives_contact
from core.sentences import split_sentences
from core.tokenize import contains_term

_UNITS = (
    "亿元|万元|美元|元|亿|万|家|个|名|架|项|份|人|户|件|吨|公里|倍|年|%|钱|条|处|台|辆|张|座|所|栋|套|间|位|批|级|档"
)
# Units and classifiers an asked count is written with: "多少台充电桩" is not answered by "每台补助2000元", nor
# "几座公厕" by a sum of money. Session 23 (classifiers 条…批 added; tuning items of three suites): 3 more
# unanswerable items refused, 1 answerable item more (a follow-up whose earlier answer stood on a figure in 元).
# 几 after a demonstrative or 哪 points at items of a list, not at a count; 好几 and 十几 say "several" ("同一个问题
# 好几个人举报呢？" asks what happens then, trial 9). A unit in Latin letters after 多少
# ("多少Wh/kg", "多少MW") is asked for as written; 百分之几 / 几成 ask for a share.
_QUANTITY = re.compile(
    rf"(多少|(?<![哪那这好十])几(?=[个家名架项份人户件倍年条处台辆张座所栋套间位批级档]))({_UNITS}|[A-Za-z][A-Za-z/]*)?|多大|多长|多高|多久"
    r"|(百分之(?:几|多少)|几成)"
)
# How a text writes an asked-for unit: money is written in 元 (亿美元, 万元), a share as % or 百分之/个百分点.
_UNIT_FORMS = {"钱": "[美欧日英港]?元", "%": "%|％|百分之|个百分点|成", "亿": "亿", "万": "万"}
# 多久 / 多长时间 ask for a span or a frequency: a figure of time ("3个工作日", "十五日内") or a period ("每年汛前…").
_DURATION = "时长"
_UNIT_FORMS[_DURATION] = "个?(?:年|月|周|日|天|小时|分钟|工作日|季度|个月)"
_PERIOD = re.compile(r"每(?:[一二两三四五六七八九十\d]+个?)?(?:年|月|周|日|天|季度|小时)")
# "which" + a calendar unit (哪年, 哪一天, 哪个月) or a general when-word, written or spoken (啥时候, 几时)
_WHEN = re.compile(r"哪[一个]?[年月天日]|何时|几时|(?:什么|啥)时候")
# A person or a body: 谁 / 哪位, or "which" with a classifier of bodies and people (哪家 / 哪所) or a general noun
# for one (哪个单位, 哪些部门).
_WHO = re.compile(r"是谁|哪位|谁|哪[家所]|哪[个些一](?:单位|部门|机构|组织)|哪[个一]人")
# A figure as a quantity: digits (with thousands written "5 000" or "1,200"), or Chinese numerals before a
# magnitude or a measure word (tiers and kinds too: 分为四级, 分三类, 分两批 answer a count of tiers); not an
# ordinal or a part number (第三, 第30条) and not a year.
_FIGURE = re.compile(
    r"(?<![第\d.])(\d+(?:[.,，]\d+)*(?: \d{3})*)(?![\d])"
    r"|(?<!第)([一二三四五六七八九十两百千]+)(?=[十百千万亿个年月日天次项种名家倍周岁级类档批层])"
)
_PART_AFTER = re.compile(r"\s*[条章节款]")
_MONTH_DAY = re.compile(r"\d{1,2}\s*月\s*\d{1,2}\s*[日号]|(?<=年)\s*\d{1,2}\s*月")
# What may stand between a figure and its unit: a magnitude and "more than" (1.2万余家, 4400亿美元, 3 亿元).
_MAGNITUDE = re.compile(r"\s*[余多]?\s*[十百千万亿]*\s*[余多]?\s*")
# Which of several came first ("甲法和乙法哪个先施行"): answered by each one's date. The composer prefers dated
# sentences for it; the gate does not demand one (a date retrieved for one document only refused both).
_ORDER = re.compile(r"(?:哪个|哪一?[部项份篇]|谁)更?[先早]")
# A point in time: a year, a month or day ("3月底", "十五日内"), or the date of an act ("自印发之日起").
_DATE = re.compile(r"(19|20)\d{2}\s*年|[\d一二三四五六七八九十]+\s*[月日]|之日")
# A year as documents write it, four digits before 年: the number itself is matched.
YEAR_NUMBER = re.compile(r"(?:19|20)\d{2}(?=\s*年)")
# Places and organisations (jieba tags) that own a figure: "曲靖市2030年产值为…" is 曲靖市's figure. Person tags
# (nr) are left out: jieba tags many legal words as names ("安全法"), which would make every such sentence foreign.
OWNER_TAGS = ("ns", "nt")
# Administrative suffixes a text may leave out when it names a place ("广东省" / "广东"), down to townships,
# villages and 街道: a 全区 figure is not a town's (session 23: one unanswerable tuning item more refused).
PLACE_LEVEL = r"(?:[省市县区州乡镇村]|街道)"
_PLACE_SUFFIX = re.compile(rf"(?<=..){PLACE_LEVEL}$")
# A figure of a whole area (全国, 全省, 全市): the area's level, compared with the level of the place asked about.
_WHOLE_AREA = re.compile(r"全([国省市县区州乡镇村])")


# A rank asked by its ordinal question word, answered by "居全国第10位" / "排名第三名": an ordinal, which a
# count's figure is not; the same word before 条 or 章 asks for a part of a document instead.
_RANK_ASKED = re.compile(r"第几(?![条章节款项])")
_RANK_STATED = re.compile(r"第\s*(?:\d+|[一二三四五六七八九十百]+)\s*[位名]")
_RANK = "名次"


def without_slot_words(question: str) -> str:
    """The question without the words that ask for a figure, a date or a person ("什么时候", "多少", "是谁")."""
    for pattern in (_WHEN, _QUANTITY, _WHO, _RANK_ASKED):
        question = pattern.sub(" ", question)
    return question


def asked_terms(terms: tuple[str, ...], question: str) -> tuple[str, ...]:
    """``terms`` without the pieces of the words that ask ("啥时候" → 时候, "多少钱" → 钱): they say what is asked,
    not what about (all of them when nothing else is left)."""
    asked = without_slot_words(question).lower()
    return tuple(t for t in terms if t in asked) or terms


# A question for someone's name (叫什么名字, 姓名): a sentence naming only the post ("由县长担任") does not answer it.
_NAME_ASKED = re.compile(r"叫(?:什么|啥)(?:名字?)?|(?:什么|啥)名字|姓名|名字是")


@dataclass(frozen=True)
class Slot:
    kind: str  # quantity | when | who
    focus: tuple[str, ...]  # content words right next to the question word
    unit: str | None
    named: bool = False  # a who-question asking for the person's name, not the post or body
    # of the focus, what the asked-for body does ("负责", "牵头"): a field line naming bodies by their role
    # ("责任单位：…") says it in its label
    acts: tuple[str, ...] = ()
    # the verb whose amount a quantity question asks when its noun only says "an amount" ("交货时间缩短了多少"): a
    # sentence stating that verb with a figure right after it ("交付周期缩短50%") gives the amount
    change: str = ""


# The last clause holding a question word is what is asked ("甲多久评估一次，收多了咋处理？" asks how, not how
# often: a follow-up is joined to the question before it).
CLAUSE_END = re.compile(r"[，,；;？?！!。]")


def asked_clause_start(question: str) -> int:
    """Where the last clause that asks something starts (0 for a one-clause question)."""
    starts = [0] + [m.end() for m in CLAUSE_END.finditer(question)]
    for start, end in reversed(list(zip(starts, [*starts[1:], len(question)], strict=True))):
        if INTERROGATIVE.search(question[start:end]):
            return start
    return 0


# 几 + a classifier ending its clause after a verb of telling ("讲几点", "举几个") asks for some items, not a count.
_SOME = re.compile(r"(?<=[说讲列举谈])几[个条点项种](?=[，,。？?！!]|$)")


def find_slot(question: str) -> Slot | None:
    start = asked_clause_start(question)
    if name := _NAME_ASKED.search(question, start):
        # "队长是哪位副镇长？叫什么？": the post is named before, and only a person's name answers
        return Slot("who", tuple(_nouns(question[: name.start()])[-1:]), None, named=True)
    if rank := _RANK_ASKED.search(question, start):
        return Slot("quantity", tuple(_nouns(question[start : rank.start()])[-1:]), _RANK)
    for kind, pattern in (("when", _WHEN), ("quantity", _QUANTITY), ("who", _WHO)):
        match = pattern.search(question, start)
        if not match:
            continue
        if kind == "quantity" and _SOME.match(question, match.start()):
            continue
        unit = (match.group(2) or ("%" if match.group(3) else None)) if kind == "quantity" else None
        if kind == "quantity" and (match.group(0) == "多久" or question.startswith("多长时间", match.start())):
            unit = _DURATION
        # "…的停车和充电问题，找哪个部门？" asks of the whole topic before the asking clause: the topic's last noun
        # (问题) is no word the filling line must repeat; the topic's words are the passage's to hold (slot_terms).
        # An ask after another ask ("…规定何时施行？有效期多长？") asks of what that one named.
        topic = 0 if INTERROGATIVE.search(question[:start]) else start
        change = ""
        before = _nouns(question[topic : match.start()])
        after = _nouns(question[match.end() :])
        # "哪一年开始实施" names the asked-for event after the question word; "产值是多少" names it before, "给了多少
        # 补贴" right after it; "哪个部门负责解释" names what the body did after it (解释 must be said of it too).
        if kind == "when":
            focus = after[:1] or before[-1:]
        elif kind == "quantity":
            # a verb right after 多少 is used as a noun ("多少拨款", "多少开支": jieba tags both v)
            right_after = _first_words(question[match.end() :], 1)
            measured = [n for n in _nouns(_counted_phrase(question[match.end() :])) if n not in _MEASURE_NOUNS][-1:]
            measured = measured or [v for v in _verbs(right_after) if v not in _MEASURE_NOUNS]
            focus = measured[:1] or before[-1:]
            if not measured and focus and focus[0] in _MEASURE_NOUNS:
                # "交货时间能缩短多少": 时间 only says an amount; the verb, if any, says which amount
                change = _changed_by(question[topic : match.start()])
                focus = [] if change else focus
        else:
            acts = _verbs(question[match.end() :])[:2]
            return Slot(kind, tuple(before[-1:] + acts), unit, acts=tuple(acts))
        return Slot(kind, tuple(focus), unit, change=change)
    return None


# What may stand between a verb of change and its amount: an aspect or result particle (缩短了, 提高到, 增加至).
_CHANGE_LINK = "(?:了|到|至|为|了约|约)?"


def _changed_by(before: str) -> str:
    """The verb of two characters or more right before the question word, a linking particle aside: 缩短 of
    "交货时间能缩短多少", 提高 of "良品率提高到多少"; "" when the words before it end otherwise."""
    from core.tokenize import pos_tags

    tagged = pos_tags(before)
    if tagged and re.fullmatch(_CHANGE_LINK, tagged[-1][0]):
        tagged = tagged[:-1]
    if not tagged:
        return ""
    word, tag = tagged[-1]
    return word if tag == "v" and len(word) >= 2 and word not in _DIRECTIONAL else ""


def states_change(slot: Slot, sentence: str, question: str = "") -> bool:
    """Whether the sentence gives the amount of the slot's verb of change: the verb, then a figure the question
    does not state ("缩短50%以上", "提高到98.6%")."""
    if not slot.change:
        return False
    for at in (m.end() for m in re.finditer(re.escape(slot.change), sentence)):
        link = re.match(_CHANGE_LINK, sentence[at:])
        rest = sentence[at + (link.end() if link else 0) :]
        first = _FIGURE.match(rest)
        if first and figures(rest[: first.end() + 8], question, slot.unit):
            return True
    return False


def answer_slot(question: str) -> Slot | None:
    """The slot an answer sentence should fill: ``find_slot``'s, or any date when it asks which came first."""
    return find_slot(question) or (Slot("when", (), None) if _ORDER.search(question) else None)


def term_share(
    terms: tuple[str, ...] | list[str], text: str, weight: Callable[[str], float] = len, max_gap: int = 0
) -> float:
    """Weighted share of ``terms`` that ``text`` says (as written or contracted: tokenize.contains_term). Search-mode
    segmentation gives a word and its pieces (递上去, 递上, 上去): each word counts once, with the share of it its
    found pieces cover when the word itself is not found, so one missing colloquial word weighs as one word."""
    words = [t for t in terms if not any(t != other and t in other for other in terms)]
    total = sum(weight(w) for w in words)
    if total <= 0:
        return 0.0
    found = 0.0
    for word in words:
        if contains_term(text, word, max_gap):
            found += weight(word)
            continue
        pieces = [p for p in terms if p != word and p in word and contains_term(text, p, max_gap)]
        found += weight(word) * min(1.0, sum(len(p) for p in pieces) / len(word))
    return found / total


def _said(subject: dict[str, float], text: str, share: float) -> bool:
    """Whether ``text`` holds ``share`` of the subject's words, weighted by their idf."""
    total = sum(subject.values()) or 1.0
    return sum(weight for term, weight in subject.items() if term in text) / total >= share


def _counted_phrase(text: str) -> str:
    """The noun phrase right after 多少 / 几个: what is counted ("便民驿站" in "几个便民驿站？"), up to the first
    verb of two characters, particle or punctuation. Its last noun is its head (Chinese noun phrases end in their
    head: 驿站 of 便民驿站, 公交车 of 新能源公交车)."""
    from core.tokenize import pos_tags

    words = []
    for word, tag in pos_tags(text):
        if (
            tag in ("x", "w", "y")
            or tag.startswith("u")
            or (words and (tag in ("d", "p") or tag == "v" and len(word) >= 2))
        ):
            break
        words.append(word)
    return "".join(words)


def _first_words(text: str, count: int) -> str:
    from core.tokenize import pos_tags

    return "".join(word for word, _ in pos_tags(text)[:count])


# Directional complements (研发出来, 拿回去) say which way, not what was done.
_DIRECTIONAL = frozenset(
    ("出来", "起来", "上来", "下来", "进来", "过来", "回来", "出去", "上去", "下去", "进去", "过去", "回去")
)
# Nouns that only say "an amount" (多大比例, 多长时间): what is measured is named before the question word.
_MEASURE_NOUNS = frozenset(("比例", "比重", "数量", "规模", "金额", "数额", "程度", "时间", "期限", "时长"))


def _content_words(text: str, keep: Callable[[str], bool]) -> list[str]:
    """Words of two characters or more whose jieba part-of-speech tag ``keep`` accepts, stopwords left out."""
    from core.tokenize import STOPWORDS, pos_tags

    return [w.lower() for w, tag in pos_tags(text) if keep(tag) and len(w) >= 2 and w not in STOPWORDS]


def _verbs(text: str) -> list[str]:
    """Content verbs of a question fragment (研发, 审核, 批复)."""
    return [w for w in _content_words(text, lambda tag: tag in ("v", "vn", "j")) if w not in _DIRECTIONAL]


def _nouns(text: str) -> list[str]:
    """Content nouns of a question fragment: jieba part-of-speech tags starting with n, and verbal nouns (vn:
    经费, 投资), which jieba tags as nouns used as verbs; not one of a count (``question.ONE_COUNTED``)."""
    nouns = _content_words(text, lambda tag: tag.startswith("n") or tag in ("vn", "l"))
    return [n for n in nouns if not ONE_COUNTED.match(n)]


def measured_nouns(question: str) -> list[str]:
    """Nouns of a question before its question word (多少, 几), places and organisations left out: what it asks a
    figure of."""
    match = _QUANTITY.search(question)
    head = question[: match.start()] if match else question
    return _content_words(head, lambda tag: (tag.startswith("n") or tag in ("vn", "j")) and tag not in OWNER_TAGS)


# A document calls itself 本 + the end of its title: 本法 (…数据安全法), 本办法 (…实施办法), 本条例, 本通知.
SELF_REFERENCE_CHARS = 3


# What a title ends with that is no part of its name: its number or status in brackets ("（试行）", "（甲政发〔2025〕
# 9号）").
_TITLE_TAIL = re.compile(r"(?:\s*[（(][^（）()]*[)）])+\s*$")


def self_references(title: str) -> list[str]:
    """How a document refers to itself: 本 + the last one to three characters of its title without its bracketed
    number or status, or of the document a covering notice's title quotes (《…考核办法（试行）》的通知: 本办法)."""
    names = [title, *re.findall(r"《([^《》]+)》", title)]
    plain = [_TITLE_TAIL.sub("", name).strip() for name in names]
    return list(dict.fromkeys(f"本{p[-n:]}" for p in plain for n in range(1, SELF_REFERENCE_CHARS + 1) if len(p) > n))


_QUOTED = re.compile(r"《([^《》]{2,40})》")


def refers_to_itself(sentence: str, title: str) -> bool:
    """Whether a sentence names its own document: 本 + the end of its title (本法), or a shortened title in 《》
    that the title holds (《管护办法》 in a document titled 《…管护办法》问答)."""
    if any(ref in sentence for ref in self_references(title)):
        return True
    return any(m.group(1) in title for m in _QUOTED.finditer(sentence))


# A numbered item that opens with a short title ("（一）农村生活垃圾治理。") is about it to its end: its later
# sentences ("由县水利局牵头，4月底前完成") say who and when of that task without naming it again. Up to 20
# characters: a title, not a first sentence that states something. Session 23, tuning items of three suites: one
# unanswerable item more answered, none answerable more or less refused; on a trial official's invented work plan
# two of three refused questions for the lead department or the deadline of a task answered.
ITEM_HEAD_CHARS = 20


def is_item_head(sentence: str) -> bool:
    """Whether a sentence is a numbered item's short title ("（一）河道清淤。")."""
    return len(sentence) <= ITEM_HEAD_CHARS and item_label(sentence) is not None


def field_item(passage: Passage, start: int, end: int) -> str:
    """The text of the numbered item the field line passage.text[start:end] belongs to, sought in the passage and,
    above its top, in its ``lead``; "" for any other sentence. A field whose bodies it names by their role
    ("责任单位：…", "牵头部门：…"), or whose label recurs in the text read (each item's "完成时限："): a
    "联系人：" line after a notice's last item is the whole notice's, and in chunk text no blank line tells the two
    apart (trial 2's fire-prevention notice)."""
    line = passage.text[start:end]
    label = field_label(line) or ""
    text = passage.lead + passage.text
    if not label or not (
        _BODY_SUFFIX.search(label)
        or len(re.findall(rf"(?m)^\s*{re.escape(label)}[：:]", text)) > 1
        or (not gives_contact(line) and _after_body_fields(text[: len(passage.lead) + start]))
    ):
        return ""
    offset = len(passage.lead)
    item = field_item_start(text, offset + start, offset + end)
    return text[item : offset + start] if item is not None else ""


def _after_body_fields(above: str) -> bool:
    """Whether the lines right above a field line are an item's field lines naming its bodies ("牵头单位：…" over
    "完成时限：…"): the field goes with them, though its label is said once in the text read (trial 5: the next
    item's 完成时限 stood in the next chunk)."""
    for line in reversed(above.rstrip("\n").splitlines()):
        label = field_label(line)
        if label is None:
            return False
        if _BODY_SUFFIX.search(label):
            return True
    return False


# "其中，2024年改造96个，2025年改造118个。" breaks down the total the sentence before states ("计划改造小区312个"):
# its figures are of what that sentence names (trial 5: "2025年要改几个小区" was refused). A statistical report
# opens a breakdown by its parts so too: "分村看：甲村86万元、乙村60万元…", "分县区看，…", "按行业分，…" (trial 7:
# a village's figure in such a breakdown was not taken for the asked measure). Not "从…看", which as often turns
# to another side of the matter ("从产业端看，…" after "从科技端看，…": papers tuning, a line off point).
_OF_WHICH = re.compile(r"\s*(?:其中(?![的之])|分[^，。；：,:]{1,6}?来?看[，,：:]|按[^，。；：,:]{1,6}?分[，,：:])")


def of_which(sentence: str, previous: str, lead: str = "") -> str:
    """The sentence before (``previous``, or for a passage's first sentence the last one of its ``lead``), when this
    one breaks down what it states ("其中…"); else ""."""
    if not _OF_WHICH.match(sentence):
        return ""
    if previous or not lead.strip():
        return previous
    return split_sentences(lead)[-1].text


# What a telephone number answers: a question asking for a 电话, 热线, 号码 or 联系方式.
_PHONE_ASKED = re.compile(r"(?:电话|热线|号码|手机|联系方式)$")
# A number without its area code, said as one by its label ("24小时值班电话：6821110", "服务热线12345"): a county
# document writes its own exchange's numbers so.
_LOCAL_NUMBER = re.compile(r"(?:电话|热线|号码|手机)[^\d，。；\n]{0,3}(?<![\d.])\d{5,8}(?![\d.])")


# A header cell of a table (core.enumeration.TABLE_CELL) names its column's unit in brackets ("标准（元/人·月）",
# "经费(亿元)"), and the rows below give bare numbers.
_COLUMN_UNIT = re.compile(r"[（(]([^（）()]{1,8})[)）]\s*$")
_BARE_NUMBER = re.compile(r"\s*\d+(?:[ ,]\d{3})*(?:\.\d+)?\s*")


def table_header(text: str, start: int, end: int) -> str:
    """The header of the table whose row is ``text[start:end]``: the first line of the run of row lines it stands
    in ("" for a line that is no table row, or is the header itself)."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    if not is_table_row(text[line_start : len(text) if line_end < 0 else line_end]):
        return ""
    header_start = line_start
    while header_start > 0:
        above = text.rfind("\n", 0, header_start - 1) + 1
        if not is_table_row(text[above : header_start - 1]):
            break
        header_start = above
    if header_start == line_start:
        return ""
    header_end = text.find("\n", header_start)
    return text[header_start:header_end]


# A header cell naming the unit column, and how long a unit written in a cell is (台, 套, 万元, 元/人·月).
_UNIT_HEADER = re.compile(r"(?:计量)?单位")
_UNIT_CELL_CHARS = 6


def with_column_units(text: str, start: int, end: int, header_line: str | None = None) -> str:
    """The row of ``text`` at ``start``–``end`` with each bare number followed by its column's unit from the
    table's header, the first line of the run of row lines it stands in ("二级残疾人｜80" under
    "补贴对象｜标准（元/人·月）" → "二级残疾人｜80元/人·月"): the number alone states no amount of money (trial 7).
    Any other text is returned as it is. ``header_line``: ``table_header`` of the row, when the caller has it."""
    row = text[start:end]
    header_line = table_header(text, start, end) if header_line is None else header_line
    if not header_line:
        return row
    header = TABLE_CELL.split(header_line)
    cells = TABLE_CELL.split(row)
    separators = TABLE_CELL.findall(row)
    columns = [_COLUMN_UNIT.search(head) for head in header]
    # a row of a table with merged cells has its values shifted under other headers ("东部｜北京｜2 947.1" under
    # "地区｜经费(亿元)｜强度(%)"): a column with a unit holding a word says so
    if len(header) != len(cells) or any(
        unit and cell.strip() and not _BARE_NUMBER.fullmatch(cell) for cell, unit in zip(cells, columns, strict=True)
    ):
        return row
    # a column headed 单位 gives the row's own unit ("物资名称｜单位｜储备数量" / "风力灭火机｜台｜20": 20台)
    unit_column = next((i for i, head in enumerate(header) if _UNIT_HEADER.fullmatch(head.strip())), None)
    own = cells[unit_column].strip() if unit_column is not None else ""
    own = own if 0 < len(own) <= _UNIT_CELL_CHARS and not _BARE_NUMBER.fullmatch(own) else ""
    units = [
        cell.rstrip() + (unit.group(1) if unit else own) if (unit or own) and _BARE_NUMBER.fullmatch(cell) else cell
        for cell, unit in zip(cells, columns, strict=True)
    ]
    return "".join(cell + separator for cell, separator in zip(units, [*separators, ""], strict=True))


def fills(
    slot: Slot,
    sentence: str,
    title: str = "",
    question: str = "",
    max_gap: int = 0,
    about: str = "",
    header: str = "",
) -> bool:
    """Whether a sentence states the asked-for figure, date or person of the slot's focus — one the question does
    not already state ("10年期国债收益率是多少" is not answered by its own "10"). A sentence that refers to its own
    document ("本法自……起施行") is about whatever the document's title names.

    Not done, measured: the focus named by the passage's section heading instead ("第一部分 个体工商户设立登记 /
    五、办理时限" for how long that procedure takes): tuning, 2 unanswerable items answered (papers, official),
    none rescued."""
    text = sentence.lower()
    itself = title.lower() if refers_to_itself(sentence, title) else ""
    own = [p for p in (text, itself) if p]  # the sentence, and its document when it refers to itself
    places = [*own, about.lower()] if about else own
    # a table row's figures are of what its column headers name ("起付线（元）"): ``header`` is its table's header
    places = [*places, header.lower()] if header else places
    # a body-role field line says what its bodies do in its label ("责任单位" for 负责, 牵头)
    body_role = _BODY_SUFFIX.search(field_label(sentence) or "")
    focus = tuple(t for t in slot.focus if t not in slot.acts) if body_role else slot.focus
    if slot.kind == "quantity" and focus and all(_PHONE_ASKED.search(t) for t in focus):
        # a telephone number says by its form what it is, however the line labels it ("某县人力资源局：0796-…" under
        # "或直接咨询各级人社部门：")
        return PHONE.search(sentence) is not None or _LOCAL_NUMBER.search(sentence) is not None
    if slot.kind == "quantity" and slot.change and not focus:
        return states_change(slot, sentence, question)
    if any(not any(contains_term(place, term, max_gap) for place in places) for term in focus):
        return False
    if slot.kind == "when":
        return any(m.group(0) == "之日" or m.group(0) not in question for m in _DATE.finditer(sentence))
    if slot.unit == _RANK:
        return _RANK_STATED.search(sentence) is not None
    if slot.kind == "quantity":
        periodic = slot.unit == _DURATION and bool(_PERIOD.search(sentence))
        if about and any(not any(contains_term(p, t, max_gap) for p in own) for t in focus):
            # the measure is named only by the sentence it breaks down: its parts are in that measure's unit
            # ("…收入36000元。分区看，甲区增长5.1%" states a growth, not a part of the income)
            return bool(_figure_units(sentence, question) & _figure_units(about))
        return periodic or bool(figures(sentence, question, slot.unit))
    if slot.named:
        return _names_focus(sentence, set(person_names(sentence)) - set(person_names(question)), focus)
    if body_role:  # its value is bodies by its label, however jieba cuts them ("县发展改革局": 发展/改革/局)
        return True
    return bool(set(proper_names(sentence)) - set(proper_names(question)))


def _names_focus(sentence: str, names: set[str], focus: tuple[str, ...]) -> bool:
    """Whether one of ``names`` stands in a clause of ``sentence`` (split at ``CLAUSE_END``) that holds the
    asked-for post (``focus``): a name and a post in one clause are one person ("组长：县委副书记张三", "由李四任
    队长"); a name a comma away is someone else's ("选派干部3名驻村，由张三负责": 张三 leads them, names none)."""
    if not focus:
        return bool(names)
    return any(
        any(name in clause for name in names) and all(term in clause.lower() for term in focus)
        for clause in CLAUSE_END.split(sentence)
    )


def person_names(text: str) -> list[str]:
    """People a text names: jieba's person tags, a one-character surname it tags with the given name after it
    ("周" + "明远": invented names are often cut so), and Latin-letter names."""
    from core.tokenize import pos_tags

    tagged = pos_tags(text)
    names = []
    for i, (word, tag) in enumerate(tagged):
        if not tag.startswith("nr"):
            continue
        if len(word) >= 2:
            names.append(word)
        elif i + 1 < len(tagged) and 1 <= len(tagged[i + 1][0]) <= 2 and tagged[i + 1][0][0] >= "\u4e00":
            names.append(word + tagged[i + 1][0])
    return names + _LATIN_NAME.findall(text)


# A figure's unit: the sign or first character after it and its magnitude (万元 → 元, 5.1% → %, 312个 → 个).
_UNIT_AFTER = re.compile(_MAGNITUDE.pattern + r"([%％‰]|[A-Za-z]+|[\u4e00-\u9fff])")


def _figure_units(text: str, question: str = "") -> set[str]:
    return {
        m.group(1)
        for figure in _FIGURE.finditer(text)
        if figure.group(0) not in question and (m := _UNIT_AFTER.match(text, figure.end()))
    }


def figures(sentence: str, question: str = "", unit: str | None = None) -> list[str]:
    """The quantities a sentence states that ``question`` does not: no ordinal or part number (第三, 第30条), no
    year unless years are asked for, and, when the question asks for a unit, only figures written with it
    ("多少亿元" is not answered by "16家")."""
    asked = question.replace(" ", "")
    forms = _UNIT_FORMS.get(unit, re.escape(unit)) if unit else None
    out = []
    # the month and day of a date are no quantity ("完成时限：2031年4月30日前" states no 4 and no 30)
    sentence = _MONTH_DAY.sub(lambda m: " " * len(m.group(0)), sentence) if unit not in ("月", "日") else sentence
    for match in _FIGURE.finditer(sentence):
        value, after = match.group(0), sentence[match.end() :]
        if _PART_AFTER.match(after) or value.replace(" ", "") in asked:
            continue
        if unit != "年" and len(value) == 4 and YEAR_NUMBER.match(sentence, match.start()):
            continue
        if forms and not re.match(rf"{_MAGNITUDE.pattern}(?:{forms})", after, re.I):
            continue
        out.append(value)
    return out


# Suffixes that make a word the name of a body in any field (委员会, 局, 大学, 公司, 主管部门 …): jieba tags few
# such compounds as organisations (nt).
_BODY_SUFFIX = re.compile(
    r"(委员会|办公室|领导小组|部门|机关|机构|单位|局|厅|部|委|署|院|所|中心|大学|学院|学校|公司|集团|协会|学会|银行)$"
)
# The same words anywhere in a phrase: a unit line names a body ("某某大学公共管理学院，某地 410000").
BODY_WORD = re.compile(_BODY_SUFFIX.pattern.removesuffix("$") + "|[校院]")
# People's names written in Latin letters: two capitalised words ("Raphaël Hertzog").
_LATIN_NAME = re.compile(r"\b[A-Z][\w'-]+ [A-Z][\w'-]+")
_NAME_TAGS = ("nr", "nrt", "nrfg", "nt")


def proper_names(text: str) -> list[str]:
    """The people and bodies a text names: jieba's person and organisation tags, a noun joined to a body's suffix
    ("数据" + "局", "主管部门"), Latin-letter names."""
    from core.tokenize import pos_tags

    tagged = pos_tags(text)
    names = []
    for i, (word, tag) in enumerate(tagged):
        if len(word) >= 2 and tag in _NAME_TAGS:
            names.append(word)
        elif _BODY_SUFFIX.search(word):
            previous, previous_tag = tagged[i - 1] if i else ("", "")
            if previous_tag.startswith("n"):
                names.append(previous + word)
            elif len(word) >= 3:
                names.append(word)
    return names + _LATIN_NAME.findall(text)


def belongs_elsewhere(sentence: str, specific: tuple[str, ...], question: str = "", context: str = "") -> bool:
    """Whether a sentence's figure belongs to another place, organisation or year than the question's
    ``specific`` names and years: the sentence names none of the question's places but another one ("昆明市…是多少"
    answered by "曲靖市…为120万吨"), or none of its years but another year ("2030年…" by "2029年…"), or no year
    while its ``context`` names none of the asked ones. Session 25, both rules: 6 unanswerable tuning items more
    refused (three suites), and 1, 1 and 2 on the papers test split and two blind sets (aggregates), no answerable
    item refused more anywhere. A sentence naming no place is about its passage's subject; one naming the asked
    body by an abbreviation of the question's wording ("甲乙技术交易所" → "甲技所") names the same one."""
    text = sentence.lower()
    wanted = [t.lower() for t in specific]
    years = [t for t in wanted if t.isdigit()]
    # Undated, it is the year its context names (title, section, the sentence before, the list's announcement):
    # "其中，建设立体停车库2处…" after "（一）2025年新建公共停车泊位3000个。" is a 2025 figure.
    if years and not any(y in text for y in years):
        context = context.lower()
        if YEAR_NUMBER.search(text) or (context and not any(y in context for y in years)):
            return True
    names = [t for t in wanted if not t.isdigit()]
    if not names or any(n in text for n in names):
        return False
    # An item of a list by place ("乙镇：行政村21个，…") is that place's, though jieba rarely cuts an invented
    # place's name whole (乙/镇) to tag it as one.
    if label := _LABELLED_PLACE.match(sentence):
        owner = label.group(1).lower()
        if not any(owner in n or n in owner or _PLACE_SUFFIX.sub("", n) in owner for n in names):
            return True
    # "全省…达到1.69万家" is the province's figure, not the asked city's ("甲市…有多少家").
    levels = {n[-1] for n in names if _PLACE_SUFFIX.search(n)}
    if levels and any(m.group(1) not in levels for m in _WHOLE_AREA.finditer(text)):
        return True
    from core.tokenize import pos_tags

    owners = [w.lower() for w, tag in pos_tags(sentence) if _owner_named(w, tag)]
    # 云南 and 云南省 are one place: a name inside another is the same owner.
    return any(not any(o in n or n in o for n in names) and not _abbreviates(o, names, question) for o in owners)


# A sentence opening with a place's name and a colon, after an optional item label.
_LABELLED_PLACE = re.compile(
    rf"\s*(?:[（(][一二三四五六七八九十\d]+[)）]\s*)?([\u4e00-\u9fff]{{1,8}}?{PLACE_LEVEL})\s*[：:]"
)


def is_place_name(word: str) -> bool:
    """Whether a word ends in an administrative level (甲市, 乙县, 丙镇, 丁街道)."""
    return bool(_PLACE_SUFFIX.search(word))


# jieba cuts a place it does not know before its level word and tags only the level word as a place (雄安 / 新区,
# 临港 / 新区, 白塔 / 镇): the level word alone names every such place, and a figure of 西咸新区 passed as 雄安新区's.
# Joined when the level word is one character, or two ending in 区, 县, 乡, 镇 or 村; jieba's two-character place
# words ending in 市 or 州 are whole city names (广州, 郑州) or no place at all (城市, 上市) (its dictionary, session
# 28).
_CUT_LEVEL_WORD = re.compile(r"^(?:.[区县乡镇村]|[省市县区乡镇村])$")


_NAME_MORPHEMES = ("zg", "ng", "j", "nr", "ns", "nz")


def joined_place_names(tagged: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Tagged words with each place name jieba cut in two joined into one place word (雄安 / 新区 → 雄安新区). The
    first part stays as it was, a name of its own when it is one (临港)."""
    joined = list(tagged)
    for at in range(1, len(tagged)):
        (before, before_tag), (word, tag) = tagged[at - 1], tagged[at]
        name_part = len(before) >= 2 and (before_tag.startswith("n") or before_tag in ("a", "j", "l"))
        cut = (tag in OWNER_TAGS or len(word) == 1) and _CUT_LEVEL_WORD.match(word) and name_part
        # a one-character name before a two-character district or county word (沅 / 城区, 沅 / 东区): jieba tags
        # such a lone character as a morpheme (zg, ng); a level character (县 / 城区) is no name
        one_character = (
            len(before) == 1
            and before_tag in _NAME_MORPHEMES
            and not re.fullmatch(PLACE_LEVEL, before)
            and len(word) == 2
            and word[-1] in "区县"
            and (tag in OWNER_TAGS or tag == "n")
        )
        if cut or one_character:
            joined[at] = (before + word, "ns")
    return joined


# Words that open a clause before an area's level word without naming a place (全区, 各县, 其中城区, 本市).
_NOT_A_PLACE = ("全", "各", "本", "其中", "该", "每", "分")


# Which place of a level ranks first ("收入最高的是哪个村", "哪个县区增长最多"): answered by the sentence that gives
# the places of that level their figures side by side ("分村看：甲村86万元、乙村60万元…"), not by one figure.
_RANKING = r"最(?:多|少|高|低|大|小|快|慢|强|弱|好|差)"
_RANKED_LEVEL = re.compile(
    rf"{_RANKING}[^？?，,。]*哪[个一]?([\u4e00-\u9fff]?{PLACE_LEVEL})|哪[个一]?([\u4e00-\u9fff]?{PLACE_LEVEL})[^？?，,。]*{_RANKING}"
)
# how many places of that level, each with a figure after it, make a side-by-side list
MIN_RANKED_PLACES = 3


def ranked_level(question: str) -> str:
    """The levels of place a ranking question asks for (村 of "…最高的是哪个村", 县区 of "哪个县区…最多"), or ""."""
    match = _RANKED_LEVEL.search(question)
    said = (match.group(1) or match.group(2)) if match else ""
    return "".join(c for c in said if re.fullmatch(PLACE_LEVEL, c))


def ranks_places(sentence: str, levels: str) -> bool:
    """Whether a sentence gives at least ``MIN_RANKED_PLACES`` places of ``levels`` each a figure."""
    places = re.findall(rf"([\u4e00-\u9fff]{{2,3}}?[{levels}])[^\d，。；、,;]{{0,8}}?\d", sentence)
    return len({p for p in places if not p.startswith(_NOT_A_PLACE)}) >= MIN_RANKED_PLACES


def states_figure_of(sentence: str, places: list[str]) -> bool:
    """Whether a figure follows one of ``places`` (lowered names) closely, nothing but words between: the place's
    own figure in a list of places ("甲村86万元、乙村60万元")."""
    lowered = sentence.lower()
    return any(re.search(rf"{re.escape(p)}[^\d，。；、,;]{{0,6}}?\d", lowered) for p in places)


def sibling_places(text: str, names: list[str]) -> list[str]:
    """The places a text names at the level of one of ``names`` (the asked places: 临沅区 beside 沅城区) other than
    those, where a clause opens with them ("；临沅区增长8.2%"): a text naming several places of one level reports
    them side by side. Read by their form, as jieba cuts an invented place's name apart (沅 / 城区, 临 / 沅区)."""
    levels = {m.group(0) for n in names if (m := _PLACE_SUFFIX.search(n))}
    places = set()
    for level in levels:
        for match in re.finditer(
            rf"(?:^|[，,；;。：:、\n])\s*([\u4e00-\u9fff]{{2,4}}?{level})(?=[^\s，。；、：）)])", text
        ):
            place = match.group(1)
            if not place.startswith(_NOT_A_PLACE) and not any(place in n or n in place for n in names):
                places.add(place)
    return sorted(places)


def names_none(names: list[str], sentence: str, near: str) -> bool:
    """Whether neither the sentence nor what stands near it (title, section, the sentences before) names any of
    the asked places."""
    sentence, near = sentence.lower(), near.lower()
    return not any(n in sentence or n in near for n in names)


def _owner_named(word: str, tag: str) -> bool:
    """Whether a tagged word of a sentence names a place or body that may own a figure. jieba's dictionary tags
    ordinary words as places ("新建", "城市": 新建 is also a county), so a place counts when its name ends in an
    administrative level (甲市, 乙县, 丙镇) or is three characters or longer; an organisation (nt) counts. Session 23,
    tuning items of three suites: one answerable item less refused (a figure of "新建…" read as another place's),
    no unanswerable one answered more."""
    if len(word) < 2 or tag not in OWNER_TAGS:
        return False
    return tag == "nt" or is_place_name(word) or len(word) >= 3


def _names_any(names: list[str], passage: str, lowered: str, question: str) -> bool:
    """Whether a passage (``lowered``: with its title and section) names one of the places or bodies asked about:
    in full, without its administrative suffix, or abbreviated."""
    if any(n in lowered or _PLACE_SUFFIX.sub("", n) in lowered for n in names):
        return True
    from core.tokenize import pos_tags

    owners = {w.lower() for w, tag in pos_tags(passage) if tag in OWNER_TAGS and len(w) >= 2}
    return any(_abbreviates(o, names, question) for o in owners)


# An abbreviation keeps a name's first character and is read within this many times its length from there
# ("上海技术交易所" → "上技所": 3 characters out of 7).
_ABBREVIATION_SPAN = 3


def _abbreviates(owner: str, names: list[str], question: str) -> bool:
    """Whether ``owner`` is an abbreviation of the question's wording that starts at one of its names."""
    from core.papers import is_subsequence

    text = question.lower()
    for name in names:
        at = text.find(name)
        if at >= 0 and owner[0] == name[0]:
            window = text[at : at + len(owner) * _ABBREVIATION_SPAN]
            if is_subsequence(owner, window):
                return True
    return False


def _numbered_things(slot: Slot, question: str) -> str:
    """The noun of a count ("分几个阶段？") a document may answer by numbering the things themselves: two or more
    items whose opening sentence names it ("（一）动员部署阶段（…）。", "（二）集中检查阶段…"); "" for another
    question. Only a count of things named right after 几/多少 and a classifier: "处理多少人的个人信息" counts
    people, not the items that mention 个人信息 (official tuning, one unanswerable item answered), and a number of
    years is a span."""
    if slot.kind != "quantity" or len(slot.focus) != 1:
        return ""
    counted = slot.focus[0]
    return counted if re.search(rf"(?:几|多少)[个项条类种批]{re.escape(counted)}", question) else ""


def slot_filled(
    slot: Slot,
    passages: list[Passage],
    terms: tuple[str, ...],
    min_coverage: float,
    context: str = "",
    specific: tuple[str, ...] | list[str] = (),
    question: str = "",
    subject: dict[str, float] | None = None,
    subject_share: float = 0.0,
    max_gap: int = 0,
    weight: Callable[[str], float] = len,
) -> bool:
    """True when one sentence fills the slot inside a passage that is about the question's subject (its title
    and section path count: a document calls itself 本办法, never by its name), and the sentence's figure is not
    another place's or year's (``specific``: the question's names and years). A name that names the document
    the question is about ("甲大学学报那篇…") is in ``context`` and says nothing about whose figure it is.
    ``subject_share`` of ``subject`` (what the figure is of, gate.subject_term: word → idf) must be said in the
    sentence, the one before it, the announcement of the list it is an item of, or the passage's title and
    section."""
    specific = tuple(s for s in specific if s.isdigit() or s.lower() not in context.lower())
    if question:
        terms = asked_terms(terms, question)
    names = [n.lower() for n in specific if not n.isdigit()]
    counted = _numbered_things(slot, question)
    for passage in passages:
        if passage.kind == "reference":
            continue
        sentences = split_sentences(passage.text)
        # a field line ("责任单位：…") is about its whole item, which may start above the passage (Passage.lead)
        items = {s.start: field_item(passage, s.start, s.end) for s in sentences}
        text = (passage.title + passage.section + "".join(items.values()) + passage.text + context).lower()
        # A passage that never names the place or body asked about does not hold its figure: "2024年度全省…达到
        # 1.69万家" in a report on 乙省 is no answer to "甲省2024年…有多少家".
        if names and not _names_any(names, passage.text, text, question):
            continue
        if term_share(terms, text, weight, max_gap) < min_coverage:
            continue
        around = (passage.title + passage.section + context).lower()
        # a passage that goes through places of the asked place's level one by one ("分县区看，沅城区…，临沅区…")
        # states the whole area's figures in its sentences that name none of them
        siblings = bool(names) and bool(sibling_places(passage.text, names))
        previous = lead = head = ""
        if counted and sum(counted in s.text for s in sentences if item_label(s.text)) >= 2:
            return True
        for sentence in sentences:
            if item_label(sentence.text):
                head = sentence.text if is_item_head(sentence.text) else ""
            about = items[sentence.start] or head or of_which(sentence.text, previous, passage.lead)
            header = table_header(passage.text, sentence.start, sentence.end)
            row = with_column_units(passage.text, sentence.start, sentence.end, header)
            filled = fills(slot, row, passage.title, question, max_gap, about, header)
            # an item of a list is about what the list's announcement ("协议内容应包括：") names
            said = not subject or _said(subject, around + lead + previous + sentence.text.lower(), subject_share)
            if (
                filled
                and said
                and not (siblings and names_none(names, sentence.text, around + lead + previous + about))
                and not belongs_elsewhere(sentence.text, specific, question, around + lead + previous)
            ):
                return True
            previous = sentence.text.lower()
            lead = previous if previous.rstrip().endswith(("：", ":")) else lead
    return False
