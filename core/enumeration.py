"""The labels a document numbers its items with ("（三）", "3.", "三、", "③", "三是", "第三，"): their style and
number, so an enumeration can be followed as one series ((一), (二), … (十二)) and told apart from the lists nested
in its items (① ② under each (1)) and from the next article ("第十二条") that ends it. Form only, any document."""

from __future__ import annotations

import re

_CN_DIGITS = "一二三四五六七八九十"
_CN = rf"[{_CN_DIGITS}]{{1,3}}"
# Emphasis around a label ("**(1) 探索…**") is the converted papers' markup, not part of the label.
_LABEL = re.compile(
    r"^\s*(?:\*\*)*\s*(?:"
    rf"(?P<open>[（(])(?P<paren>\d{{1,2}}|{_CN})[）)]"
    rf"|(?P<plain>\d{{1,2}}|{_CN})(?P<close>[.、．)）])(?!\d)"
    r"|(?P<circled>[①-⑳])"
    rf"|(?P<shi>{_CN})是"
    rf"|第(?P<ordinal>{_CN}|\d{{1,2}})(?P<unit>[，,、：:层条点个类种步])"
    r")"
)


def cn_number(numeral: str) -> int | None:
    """一 … 九十九 as a number; None for a form that is not a count (十十)."""
    if numeral.isdigit():
        return int(numeral)
    digits = [_CN_DIGITS.index(c) + 1 for c in numeral]
    if len(digits) == 1:
        return digits[0]
    if len(digits) == 2 and digits[0] == 10:
        return 10 + digits[1]
    if len(digits) == 2 and digits[1] == 10:
        return digits[0] * 10
    if len(digits) == 3 and digits[1] == 10 and digits[0] != 10 and digits[2] != 10:
        return digits[0] * 10 + digits[2]
    return None


def item_label(text: str) -> tuple[str, int] | None:
    """(style, number) of the label a sentence starts with, or None. The style keeps what tells two series apart:
    brackets or not, Arabic or Chinese numerals, the punctuation after the number ("1." and "1、" are one style,
    "(1)" another, "第一条" an article, "第一，" an ordinal)."""
    match = _LABEL.match(text)
    if match is None:
        return None
    if match.group("circled"):
        return "①", ord(match.group("circled")) - ord("①") + 1
    if match.group("paren"):
        numeral, style = match.group("paren"), "()"
    elif match.group("plain"):
        close = match.group("close")
        numeral, style = match.group("plain"), ")" if close in ")）" else "."
    elif match.group("shi"):
        numeral, style = match.group("shi"), "是"
    else:
        unit = match.group("unit")
        numeral, style = match.group("ordinal"), "第" + {",": "，", ":": "：", "：": "："}.get(unit, unit)
    number = cn_number(numeral)
    if number is None:
        return None
    return f"{'d' if numeral.isdigit() else 'c'}{style}", number


def without_item_label(text: str) -> str:
    """``text`` without the item label it opens with when the label only numbers ("（一）", "(1)", "1.", "二、",
    "3)", "①"): a numbered answer shows one numbering, its own, and "1. （一）…" reads as two on a projector. Labels
    that are words of the sentence ("一是", "第一，") or name a part ("第五条") stay."""
    match = _LABEL.match(text)
    if match is None or not (match.group("paren") or match.group("plain") or match.group("circled")):
        return text
    rest = text[match.end() :].lstrip()
    return rest or text


class Series:
    """One enumeration followed item by item: the next item has the same style and the next number. A sentence
    with the same style and any other number starts a different list; one with the style of the enclosing unit
    (the article or item the list was announced in: "第十二条" after "第十一条 …应包含以下内容：") ends it."""

    def __init__(self, first: tuple[str, int], enclosing: tuple[str, int] | None = None) -> None:
        self.style, self.number = first
        self.closing = enclosing[0] if enclosing else None
        self.ended = False

    def feed(self, text: str) -> bool:
        """True when ``text`` is the series' next item; after a sentence that ends the series, always False.
        Sentences without a label, or with the label of a nested list, are the items' own text."""
        if self.ended:
            return False
        label = item_label(text)
        if label is None:
            return False
        if label == (self.style, self.number + 1):
            self.number += 1
            return True
        if label[0] in (self.style, self.closing):
            self.ended = True
        return False


def cn_numeral(number: int) -> str:
    """1 … 99 written in Chinese numerals (二, 十二, 二十): the inverse of ``cn_number``."""
    tens, ones = divmod(number, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _CN_DIGITS[tens - 1] + "十")
    return head + (_CN_DIGITS[ones - 1] if ones else "")


def item_reference(number: int) -> re.Pattern[str]:
    """How a sentence refers to item ``number`` of a list by its number: "前款第（二）项", "第2项", "第二项"."""
    return re.compile(rf"第[（(]?(?:{cn_numeral(number)}|{number})[）)]?项")


# A line of its own that gives one field of the item above it: "责任单位：市财政局", "完成时限：2025年底",
# "联系人：王某 0571-…". Up to 8 characters of label (a field name, not a clause) and a value without a sentence end:
# a line ending in "：" announces a list instead, and a sentence with "。" is prose.
_FIELD_LINE = re.compile(r"^([\u4e00-\u9fff]{2,8})[：:][^。！？!?；;：:\n]+$")


def field_label(line: str) -> str | None:
    """The label of a field line ("责任单位" of "责任单位：市财政局"), None for any other text."""
    match = _FIELD_LINE.match(line.strip())
    return match.group(1) if match else None


def field_item_start(text: str, start: int, end: int) -> int | None:
    """Where the numbered item starts that the field line text[start:end] belongs to, or None when it is no field
    line or stands under no item in ``text``. Such a line names none of its item's words: "谁负责X" is answered
    by the field line of X's item, which only the item says is about X.

    The item is sought upwards through the lines right above: more field lines of the same item, then the item's
    paragraphs up to the one that opens with a label. A blank line, or a field line above the item's prose (the
    end of the item before), ends the search."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line = text[line_start : len(text) if line_end < 0 else line_end].strip()
    if text[line_start:start].strip() or not _FIELD_LINE.match(line):
        return None
    above_end, prose = line_start - 1, False
    while above_end > 0:
        above_start = text.rfind("\n", 0, above_end) + 1
        above = text[above_start:above_end].strip()
        field = _FIELD_LINE.match(above) is not None
        if not above or (field and prose):
            return None
        if item_label(above):
            return above_start
        prose = prose or not field
        above_end = above_start - 1
    return None


# A table row as the readers write it: cells split by tabs (a .docx table, a pasted spreadsheet) or by "｜" (a
# text file's table). A row is a line of its own, never a paragraph broken in two, and a bare number in it takes
# its unit from its column's header.
TABLE_CELL = re.compile(r"[\t｜]|\s*\|\s*")
# A Markdown row, "| 3 | 五保对象 | 300 |", is a row too; a "|" inside a line is no cell border (a shell pipe in a
# manual). Cells aligned by runs of spaces are not read as rows: a contact line ("联系人：某某    联系电话：…") and
# a joint signature line are set so too (trial 11: reading them as rows answered a near miss).
_ROW = re.compile(r"[\t｜]|^\s*\|.*\|\s*$")


def is_table_row(line: str) -> bool:
    return _ROW.search(line.strip("\n")) is not None
