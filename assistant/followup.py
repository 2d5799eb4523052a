"""Turn a follow-up ("那第二条具体指什么？") into a standalone question before retrieval runs."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.question import INTERROGATIVE
from assistant.slots import PLACE_LEVEL, asked_clause_start, find_slot, is_place_name, without_slot_words
from assistant.verify import MARKER
from core.enumeration import without_item_label
from core.tokenize import pos_tags

_CN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_ORDINAL = re.compile(r"第\s*([一二两三四五六七八九十]|\d{1,2})\s*(条|点|个|项|种|方面|句|类|是|块|部分)?")
_LAST = re.compile(r"最后(一|那|这)?(条|点|个|项|种)")
_MORE = re.compile(r"^(那|那么)?(还有(吗|呢|别的|其他|什么)|其他的?呢|其余的?呢|继续|再说说|更多)")
_PRONOUN = re.compile(
    # 这种 / 这类 stand for the thing only on their own ("这种的钱咋算"); before a noun they pick one of its kind
    # ("这种车辆…"; official tuning item off-fu-07 asks so)
    r"(它们|它|这篇文章|这篇论文|该文|这篇|该论文|这个|这一|这[种类](?=的|[，,。？?！!]|$)|此|这些|那个|其|上述|前者|后者)"
)
_ITEM_NUMBER = re.compile(r"^\s*\d{1,2}[.、．]\s*")  # "2. " in front of an answer's item
_FILLER = re.compile(r"^(那|那么|所以|好的|嗯|请问)[，,\s]*")
_QUESTION_TAIL = re.compile(
    r"(是什么|指什么|是哪些|有哪些|有什么|包括哪些|包括什么|是怎样的|怎么样|如何|为什么|为何|吗|呢)?[？?。!！\s]*$"
)
_SHORT = 18
# "那补贴呢？", "镇上呢？": a short follow-up that names one thing and asks nothing of its own. It asks the previous
# question again about that thing ("老城片区呢？" after "新建园区的停车位不得少于多少？").
_ELLIPTIC = re.compile(r"^(?:那么|那)?[，,\s]*(?P<x>[^，,。；;？?！!\s]{1,12}?)呢[？?！!。\s]*$")
# jieba tags that say how a question is phrased (pronouns, adverbs, prepositions, conjunctions, auxiliaries,
# particles, localisers, punctuation): never part of the thing a follow-up's X replaces
_PHRASING_TAGS = frozenset(("r", "d", "p", "c", "u", "uj", "ul", "uz", "ug", "ud", "uv", "y", "e", "o", "f", "x"))
# Tags of names: a place, person or organisation asked about instead of another of its kind ("北京呢？")
_NAME_TAGS = frozenset(("ns", "nr", "nt"))
# The administrative level that ends a place's name, read after a name jieba split from it
_LEVEL = re.compile(PLACE_LEVEL)
_ASKING = re.compile(r"多少|什么|怎么|怎样|哪|谁|几|吗|呢|如何")
_OPENING = "（(“‘《「【"
_CLOSING = "）)”’》」】"
# "甲、乙和丙": the last item of a 、 list is joined by a conjunction. Not "与": it joins the words of one item
# ("技术与产业").
_LAST_CONJUNCTION = re.compile(r"以及|和|及")
# Emphasis and tags an answer line carries over from its Markdown source ("**摘要：**…", "<sup>1</sup>",
# "^{1,2}"): a rewritten query built from the line must not search for "**".
_MARKUP = re.compile(r"\*\*|__|`|<[^<>]{1,40}>|\^\{[^{}]*\}")


@dataclass(frozen=True)
class Rewrite:
    question: str  # what retrieval runs on
    mode: str  # standalone | ordinal | more | pronoun | substitute | topic
    exclude: frozenset[str] = frozenset()  # sentences already given (for "还有吗")
    anchor: str = ""  # "那第二条…": the item itself, shown first, then what the documents say around it
    # a reader is shown the question retrieval ran on, unless it is an internal query (an earlier "那第二条…"
    # glued to its list's question: long, quotes in quotes, noise on a projector)
    readable: bool = True
    about_item: str = ""  # "那第二条…": the item and what is asked of it, without the earlier list question
    # "那第二条…": what the list was about, then the item ("…重点任务：农村地区"); a follow-up after it ("谁负责？")
    # asks of that, not of the whole earlier question with its own ask
    topic: str = ""
    subject: str = ""  # "那第二条…": what the list was about, without the item (an item may hold "：" itself)


def strip_markup(text: str) -> str:
    return _MARKUP.sub("", text)


def _turns(history: list[dict]) -> tuple[str, str]:
    """The last user question and the last assistant answer in the history."""
    last_q = next((t.get("content", "") for t in reversed(history) if t.get("role") == "user"), "")
    last_a = next((t.get("content", "") for t in reversed(history) if t.get("role") == "assistant"), "")
    return last_q, last_a


def _top_level_split(text: str, separators: str) -> list[str]:
    """``text`` cut at ``separators`` outside brackets and quotes ("甲（乙、丙）、丁" has two parts)."""
    parts, depth, current = [], 0, ""
    for char in text:
        depth += (char in _OPENING) - (char in _CLOSING)
        if char in separators and depth <= 0:
            parts.append(current)
            current = ""
        else:
            current += char
    return [p.strip() for p in [*parts, current] if p.strip()]


def inline_items(answer: str) -> list[str]:
    """The items of an enumeration written in one sentence ("列了三种：甲、乙和丙。", "前几条是：甲，…；乙，…。"):
    the part after the first colon, cut at top-level semicolons, or else at 、 with a closing 和/以及/及."""
    head, colon, rest = answer.partition("：")
    if not colon:
        head, colon, rest = answer.partition(":")
    body = MARKER.sub("", rest if colon else head).strip().rstrip("。.；;")
    parts = _top_level_split(body, "；;")
    if len(parts) < 2:
        parts = _top_level_split(body, "、")
        if len(parts) >= 2:
            parts[-1:] = [p for p in _LAST_CONJUNCTION.split(parts[-1], maxsplit=1) if p]
    return [strip_markup(p) for p in parts] if len(parts) >= 2 else []


def answer_items(answer: str) -> list[str]:
    """The numbered items of an earlier answer, without citation markers and markup; an answer without numbered
    lines (a transcript's "共三种：甲、乙和丙。") is read for an enumeration in one sentence."""
    items = []
    for line in answer.splitlines():
        match = _ITEM_NUMBER.match(line)
        if match and line[match.end() :]:
            items.append(strip_markup(MARKER.sub("", line[match.end() :])).strip())
    return items or inline_items(answer)


def cited_sentences(answer: str) -> list[str]:
    """Every cited line of an earlier answer, numbered or not ("……以下几点启示：[1]" too), without its number
    and markers: what "还有吗？" must not repeat."""
    lines = [_ITEM_NUMBER.sub("", line) for line in answer.splitlines() if MARKER.search(line)]
    return [MARKER.sub("", line).strip() for line in lines]


def shown_before(history: list[dict]) -> frozenset[str]:
    """Every cited line of every earlier answer, as shown and without markup: "还有吗？" after "那第二条呢？"
    must repeat neither answer."""
    shown = {s for turn in history if turn.get("role") == "assistant" for s in cited_sentences(turn.get("content", ""))}
    return frozenset(shown | {strip_markup(s) for s in shown})


def topic_of(question: str) -> str:
    """The subject of a question: without filler words and the question tail."""
    topic = _FILLER.sub("", question.strip())
    topic = _QUESTION_TAIL.sub("", topic)
    return topic.strip("，,：: ")


def elliptic(question: str) -> str:
    """X of a follow-up "那X呢？" ("" for any other question)."""
    match = _ELLIPTIC.match(question.strip())
    x = match.group("x") if match else ""
    return "" if not x or _ASKING.search(x) or _MORE.search(question.strip()) else x


# A ranking asked after its measure: "去年村集体收入最高的是哪个村" (the level, 村, in group 1); and before it:
# "哪个县区GDP增长最多" (the level in group 1, the measure in group 2).
_TOP = r"最(?:多|少|高|低|大|小|快|慢)"
_WHICH_LEVEL = r"哪[个一]?([\u4e00-\u9fff]?[省市县区州乡镇村])"
_RANKED_LEVEL_ASKED = re.compile(rf"(?:的)?{_TOP}的?是?{_WHICH_LEVEL}")
_LEVEL_RANKED = re.compile(rf"{_WHICH_LEVEL}([^？?，,。]+?){_TOP}")


def substituted(previous: str, x: str) -> str:
    """The previous question asked about ``x`` instead of the thing of its kind it asked about ("新建园区的停车位
    不得少于多少？" + "老城片区" → "老城片区的停车位不得少于多少？"), keeping its asked predicate; "" when nothing in it
    is of x's kind (x is another aspect of the same subject: "补贴呢？").

    Of x's kind, by form: a word ending in x's last character (园区/片区, 镇上/村上, 2023年/2022年, 第八条/第九条),
    else a name of the same jieba kind (a place for a place). An x of several words brings its own modifiers
    ("老城片区") and replaces the modifiers of the word it matches too ("新建园区"); a one-word x replaces that word
    only ("依照第八条" + "第九条" → "依照第九条")."""
    tokens = pos_tags(previous)
    x_tags = pos_tags(x)
    if not tokens or not x_tags:
        return ""
    if is_place_name(x):
        # "…收入最高的是哪个村？" + "枫林村": the place's own figure of what was ranked ("那枫林村呢？" had become
        # "…最高的是哪个枫林村？", trial 7); so "哪个县区GDP增长最多？" + "青湾县"
        if (ranked := _RANKED_LEVEL_ASKED.search(previous)) and x[-1] in ranked.group(1):
            return f"{x}{previous[: ranked.start()].rstrip('的')}是多少？"
        if (ranked := _LEVEL_RANKED.search(previous)) and x[-1] in ranked.group(1):
            return f"{x}{ranked.group(2).strip('的')}是多少？"
    offsets, position = [], 0
    for word, _ in tokens:
        offsets.append(position)
        position += len(word)
    if is_place_name(x) and (place := _named_place(previous, tokens, offsets)):
        return f"{previous[: place[0]]}{x}{previous[place[1] :]}"
    content = [i for i, (word, tag) in enumerate(tokens) if tag not in _PHRASING_TAGS and not _ASKING.search(word)]
    last = next((i for i in reversed(content) if tokens[i][0].endswith(x[-1]) and tokens[i][0] != x), None)
    if last is None and x_tags[-1][1] in _NAME_TAGS:
        last = next((i for i in content if tokens[i][1] == x_tags[-1][1] and tokens[i][0] != x), None)
    if last is None:
        return ""
    first = last
    if len(x_tags) > 1:  # x's own modifiers replace the matched word's (the content words right before it)
        while first - 1 in content and first - 1 >= 0:
            first -= 1
    # a number before its unit ("2023" "年") is one thing with it
    while first > 0 and tokens[first - 1][1] == "m" and tokens[first][1] == "m" and first - 1 in content:
        first -= 1
    start, end = offsets[first], offsets[last] + len(tokens[last][0])
    return f"{previous[:start]}{x}{previous[end:]}"


def sibling_substituted(previous: str, x: str, item_heads: Sequence[Sequence[str]]) -> str:
    """The previous question asked about ``x`` instead, when x and what the previous question asked about are
    items of one list of a document: "乙项呢？" after "甲项由谁负责？", where a list's short item titles read
    "（一）推进甲项。" and "（二）推进乙项。". Nothing in the words says that two such items are of a kind (the
    form-based ``substituted`` finds none); the document's list does. The previous question's part replaced is
    its longest run of content words that one other item's title holds ("" when there is none)."""
    tokens = pos_tags(previous)
    for heads in item_heads:
        if not any(x in head for head in heads):
            continue
        best = (0, 0)
        for head in (h for h in heads if x not in h):
            start = position = 0
            for word, tag in tokens:
                inside = tag not in _PHRASING_TAGS and not _ASKING.search(word) and word in head
                if not inside:
                    start = position + len(word)
                elif position + len(word) - start > best[1] - best[0]:
                    best = (start, position + len(word))
                position += len(word)
        if best[1] - best[0] >= 2:
            return f"{previous[: best[0]]}{x}{previous[best[1] :]}"
    return ""


def shown_sibling(x: str, answer: str, item_heads: Sequence[Sequence[str]]) -> str:
    """The one item title of a document's list that names ``x`` ("农村" of "3. 农村地区。") when the answer showed
    another item of that list; "" otherwise."""
    key = x.removesuffix("的")
    if len(key) < 2:
        return ""
    for heads in item_heads:
        named = [h for h in heads if key in h]
        if len(named) != 1:
            continue
        others = (without_item_label(h).rstrip("。.；;") for h in heads if h != named[0])
        if any(len(other) >= 2 and other in answer for other in others):
            return named[0]
    return ""


def _named_place(text: str, tokens: list[tuple[str, str]], offsets: list[int]) -> tuple[int, int] | None:
    """Where the question's first place named with its level is (甲镇, 乙街道), as character offsets. jieba splits
    such a name from its level and may glue the level to the next word ("柳河" "镇要"), so a name is a name-tagged
    word and the level characters that follow it, whichever word they sit in; a place of another level is of the
    same kind ("乙乡呢？" after "甲镇…")."""
    for i, (word, tag) in enumerate(tokens):
        if tag not in _NAME_TAGS:
            continue
        start, end = offsets[i], offsets[i] + len(word)
        if is_place_name(word):
            return start, end
        level = _LEVEL.match(text, end)
        if level:
            return start, level.end()
    return None


def _ordinal(question: str) -> int | None:
    if _LAST.search(question):
        return -1
    match = _ORDINAL.search(question)
    if not match:
        return None
    token = match.group(1)
    return int(token) if token.isdigit() else _CN_DIGITS.get(token)


def is_followup(question: str, history: list[dict] | None) -> bool:
    if not history:
        return False
    q = question.strip()
    if _MORE.search(q) or (_ordinal(q) is not None and len(q) <= _SHORT + 6):
        return True
    return len(q) <= _SHORT and bool(
        _PRONOUN.search(q) or q.startswith(("那", "那么")) or elliptic(q) or _asks_only(q) or _ranks_only(q)
    )


# "哪个县区最多？": which of a set ranks first, by a measure the question does not name
_RANKED = re.compile(r"最(?:多|少|高|低|大|小|快|慢|强|弱|好|差|长|短)")
_WHICH = re.compile(r"哪[个些一家]?")


_NOUN_TAGS = ("n", "eng", "vn")


def _ranks_only(question: str) -> bool:
    """A short question asking which of a set ranks first without naming by what ("哪个县区最多？" after a question
    about the whole city's output): the measure is the earlier question's (trial 6, a chat on a statistics
    bulletin, was answered with any figure of the districts)."""
    if not _RANKED.search(question) or not (which := _WHICH.search(question)):
        return False
    # the first noun after 哪个 is the set ranked (县区); any other noun, before 哪个 or after it, names the measure
    # ("去年村集体收入最高的是哪个村" names its own: it was glued to an unrelated earlier question)
    after = [w for w, tag in pos_tags(question[which.end() :]) if tag.startswith(_NOUN_TAGS)]
    before = [w for w, tag in pos_tags(question[: which.start()]) if tag.startswith(_NOUN_TAGS)]
    return not before and len(after) <= 1


def _asks_only(question: str) -> bool:
    """A short question that names nothing but what it asks for ("找哪个部门？", "什么时候截止？", "启动以后要做啥？"):
    it asks it of what the conversation is about (trial 3, C4-3, was refused as a question of its own; trial 9's
    "…谁决定启动？" then "启动以后要做啥？" was asked of nothing)."""
    named = [w for w, tag in pos_tags(without_slot_words(question)) if tag.startswith(("n", "eng"))]
    return (find_slot(question) is not None or INTERROGATIVE.search(question) is not None) and not named


def _as_retrieved(last_q: str, history: list[dict], item_heads: Sequence[Sequence[str]]) -> Rewrite:
    """The previous question as retrieval saw it. When it was itself a follow-up ("还有吗？" after "那第二条呢？"),
    the new one builds on its resolved form, never on the bare words."""
    users = [i for i, turn in enumerate(history) if turn.get("role") == "user"]
    if not users:
        return Rewrite(last_q, "standalone")
    return rewrite(last_q, history[: users[-1]], item_heads)


def rewrite(question: str, history: list[dict] | None, item_heads: Sequence[Sequence[str]] = ()) -> Rewrite:
    """Rule-based resolution against the previous turn; a standalone question passes through unchanged.
    ``item_heads`` are the documents' lists of short item titles (``sibling_substituted``)."""
    if not is_followup(question, history):
        return Rewrite(question, "standalone")
    last_q, last_a = _turns(history or [])
    previous = _as_retrieved(last_q, history or [], item_heads)
    last_q = previous.question
    items = answer_items(last_a)
    previous_topic = topic_of(last_q)
    # an item asked after an item ("第二块…" then "那农村的呢？") is of the list the first one was of
    list_topic = previous.subject if previous.mode == "ordinal" and previous.subject else previous_topic

    if _MORE.search(question.strip()):
        readable = previous.readable and previous.mode != "ordinal"
        return Rewrite(last_q or question, "more", shown_before(history or []), readable=readable)

    position = _ordinal(question)
    if position is not None and items:
        index = len(items) - 1 if position == -1 else position - 1
        if 0 <= index < len(items):
            ask = re.sub(r"^(那|那么)", "", topic_of(_ORDINAL.sub("", _LAST.sub("", question)))).strip("，, ")
            if ask in ("", "具体", "呢", "的"):
                ask = _DETAIL_ASK
            return _about_item(list_topic, items[index], ask, history)
    x = elliptic(question)
    if x and last_q and (asked := substituted(last_q, x) or sibling_substituted(last_q, x, item_heads)):
        return Rewrite(asked, "substitute")
    if x and (head := shown_sibling(x, last_a, item_heads)):
        # "那农村的呢？" after an answer listing "新建住宅小区。", "既有住宅小区。": the list's item "农村地区。"
        # (trial 9, where it had been glued to the earlier question as more of it); the earlier question asked
        # of it instead comes first (``sibling_substituted``)
        return _about_item(list_topic, head, _DETAIL_ASK, history)
    if x and last_q and _is_situation(x) and (asking := _asking_part(last_q)):
        # "那狗进商场呢？" after "…归哪个部门管？": another situation (a clause, with its verb) asked the same way;
        # glued after the earlier question it was read as more of that question (trial 5, C05)
        return Rewrite(f"{x}，{asking}", "substitute")
    if position is not None and items:
        # "第九条说了什么？" after an answer of two items: no item of it, so a part of a document, asked anew
        return Rewrite(question, "standalone")

    # what an item follow-up was about is the next question's only when that names nothing of its own ("谁负责？",
    # "这种的钱咋算"); "那报名要带啥材料" after "第二顺序是指哪些" asks of the list's subject, not of that item
    # (trial 12)
    asks_only = _asks_only(question) or _ranks_only(question)
    pronoun = _PRONOUN.search(question) is not None
    of_item = previous.mode == "ordinal" and bool(previous.topic) and (asks_only or pronoun)
    previous_topic = previous.topic if of_item else list_topic
    if pronoun and previous_topic:
        resolved = _PRONOUN.sub(previous_topic, _FILLER.sub("", question), count=1)
        return Rewrite(resolved, "pronoun")
    if not of_item and asks_only:
        # what the earlier question was about, not how it asked: "…充电问题怎么解决" made 问题 the focus of
        # "找哪个部门" (trial 5, C04)
        previous_topic = _before_asking(previous_topic)
    return Rewrite(f"{previous_topic}，{_FILLER.sub('', question)}", "topic")


# What an item follow-up asks when it says nothing more ("那第二条呢？").
_DETAIL_ASK = "具体指什么"


def _about_item(list_topic: str, item: str, ask: str, history: list[dict] | None) -> Rewrite:
    """The question about one item of a list (``item`` as the earlier answer or the document gives it), under what the
    list was about. The item itself is known; the answer should be what the documents say of it, not again what the
    earlier answers showed (the list's other items, still on screen)."""
    shown = shown_before(history or []) | {item}
    about_item = f"“{item[:80]}”{ask}？"
    topic = f"{list_topic}：{without_item_label(item[:80]).rstrip('。；;：:')}"
    return Rewrite(
        f"{list_topic}：{about_item}",
        "ordinal",
        shown,
        anchor=item,
        about_item=about_item,
        topic=topic,
        subject=list_topic,
    )


def _is_situation(x: str) -> bool:
    """Whether a follow-up's X says someone doing something (狗进商场: a noun, then its verb) or something not done
    (不拴绳), not a thing (补贴, 老城片区, 观鸟步道: a verb that opens a name modifies it)."""
    tags = [tag for _, tag in pos_tags(x)]
    acting = any(tag.startswith("v") and any(t.startswith("n") for t in tags[:at]) for at, tag in enumerate(tags))
    return x.startswith(("不", "没", "未")) or acting


def _asking_at(question: str) -> int | None:
    """Where a question starts asking: its asking clause after a topic clause ("…问题，找哪个部门"), else its
    first asking word ("…问题怎么解决"); None when it asks nothing."""
    start = asked_clause_start(question)
    match = INTERROGATIVE.search(question, start)
    return None if match is None else start or match.start()


def _asking_part(question: str) -> str:
    """How a question asks ("归哪个部门管？" of "狗粪不清理，归哪个部门管？", "怎么处罚？" of "狗粪不清理怎么处罚？");
    "" without an asking word."""
    at = _asking_at(question)
    return "" if at is None else question[at:].strip()


# Shorter than this, what stands before a question's asking word names too little to ask about ("这个怎么办").
_MIN_SUBJECT_CHARS = 4


# Verbs whose object is what a question asks for: the words before them name no topic alone.
_HALF_CLAUSE_ENDS = ("有", "是")


def _before_asking(question: str) -> str:
    """What a question asks about ("…的停车和充电问题" of "…的停车和充电问题怎么解决" and of "…问题，找哪个部门"),
    or the whole question when too little stands before its asking."""
    at = _asking_at(question)
    # the preposition of "在哪办" belongs to how it asks
    subject = (question if at is None else question[:at]).strip("，,：: 的").removesuffix("在")
    # "学校食堂有哪些…是禁止做的": before 有 or 是 stands no topic, but half a clause ("学校食堂有，违反了罚多少",
    # trial 6); the question is its own topic then
    if subject.endswith(_HALF_CLAUSE_ENDS):
        return question.rstrip("？?。 ")
    return subject if len(subject) >= _MIN_SUBJECT_CHARS else question
