"""What kind of text a sentence is, judged by its form: body prose, or the furniture around it (bibliographic lines,
identifiers, keyword lists, notes, addresses, English abstracts in a Chinese document, captions, bare headings).

Ingest stores the kind of every sentence that is not body in the chunk (``Chunk.kinds``), so answers are composed
from body sentences only while the furniture stays retrievable (a question about a paper's DOI still finds it).
The rules look at form only — punctuation, digit patterns, labels followed by a colon, script — never at the
words of one document, so a new paper or law is classified the same way.
"""

from __future__ import annotations

import re

from core.enumeration import field_label

BODY = "body"
CITATION = "citation"  # "作者. 题名[J]. 刊名, 2025, 40(5): 770-780" — how to cite the paper
IDENTIFIER = "identifier"  # DOI / URL / e-mail / ISSN / CSTR lines
KEYWORDS = "keywords"  # "关键词：甲；乙；丙"
NOTE = "note"  # "收稿日期：2025-01-02", "中图分类号:F124.3 文献标志码:A", "项目编号 BZ25ZC124"
AFFILIATION = "affiliation"  # "某某大学 经济学院,重庆 400044": an address with a postal code
ENGLISH = "english"  # English prose in a Chinese document (the journal's English abstract)
CAPTION = "caption"  # "图1 双螺旋结构" / "表2 指标体系"
HEADING = "heading"  # a short line with no punctuation standing alone between paragraphs
FOOTNOTE = "footnote"  # "³ 某某. 某网站 [引用日期 …]": a note printed under the page's text
FRONT = "front"  # a title-block line before the document's first prose (author names, unit, form fields)
MARKUP = "markup"  # nothing left once markup is removed
NON_BODY = (FOOTNOTE, CITATION, IDENTIFIER, KEYWORDS, NOTE, AFFILIATION, ENGLISH, CAPTION, HEADING, FRONT, MARKUP)

# Inline markup of the converted papers: bold, footnote calls (<sup>, ^[1], ^{1,2}), inline math, heading marks.
_MARKUP = re.compile(r"<sup>[^<]*</sup>|\^\{[^}]*\}|\^\[[^\]]*\]|\*\*|^#+\s*|^-\s+|^►\s*", re.MULTILINE)
_INLINE_MATH = re.compile(r"\$([^$\n]{1,80})\$")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_SENTENCE_PUNCT = re.compile(r"[。！？；，、,;!?]")
# year, volume(issue): pages — "2025, 40(5): 770-780" or "2025(3):1-19"; and the GB/T 7714 type tags [J] [M] …
_CITATION_NUMBERS = re.compile(
    r"(19|20)\d{2}\s*[,，]?\s*(\d{1,4}\s*)?[(（]\s*\d{1,3}\s*[)）]\s*[:：]\s*\d+\s*[-–—]\s*\d+"
)
_CITATION_TAG = re.compile(r"\[(J|M|C|D|N|R|S|P|EB/OL|J/OL)\]")
_DOI = re.compile(r"\b10\.\d{4,9}/\S+", re.IGNORECASE)
_URL = re.compile(r"(https?://|www\.)\S+", re.IGNORECASE)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
# A label and its value: "DOI 10.…", "CSTR 32128.14.…", "ISSN 1000-3045", "文章编号:1008-5831(2025)03-0001-19".
_LABEL_CODE = re.compile(r"^([A-Za-z]{2,6}|[\u4e00-\u9fff]{2,8})(\s*[:：]\s*|\s+)[A-Za-z0-9][A-Za-z0-9./:_()\-&]{3,}$")
# "标签：值" with a digit in the value, several on one line allowed ("中图分类号:F124.3 文献标志码:A").
_LABEL_COLON = re.compile(r"^\s*([\u4e00-\u9fff]\s?){2,8}\s*[:：]")
_POSTAL_CODE = re.compile(r"(?<![\d.\-])\d{6}(?![\d.\-%％年月日元万亿个人件次项条号])")
# A note standing in brackets after the text, a label and its value: "（作者单位：某某大学）", "（来源：某报）",
# "（责任编辑：某某）" — about the document, not its subject. The value runs to the closing bracket or the line end.
_BRACKETED_NOTE = re.compile(r"^[（(]\s*([\u4e00-\u9fff]\s?){2,6}\s*[:：][^（()）]{1,80}[）)]?\s*$")
# Field labels printed with spaces between their characters ("立 项 编 号", "填 表 说 明"): forms, not prose.
_SPACED_LABEL = re.compile(r"^([\u4e00-\u9fff] ){2,}[\u4e00-\u9fff](\s|$)")
_CAPTION = re.compile(r"^(图|表|Fig\.?|Figure|Table)\s*\d{1,2}([-.．]\d{1,2})?(?![\d年月日])")
# The label of a caption ("表1 "), public for readers that keep the caption's words and drop its number.
CAPTION_LABEL = _CAPTION
# A paragraph never starts with a superscript number; a page's footnote does ("³ 某某. 某网. 2012").
_FOOTNOTE = re.compile(r"^[⁰¹²³⁴⁵⁶⁷⁸⁹]+\s*\S")
# Digits and punctuation only ("2008, 30(1).", "49-63"): the tail of a reference broken over lines.
_FRAGMENT = re.compile(r"^[\d\s.,:;()\[\]\-–—/]{1,24}$")
_ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")

# Measured on corpus/ and evals/corpora/official/: the longest keyword term of the papers is 7 characters
# ("现代化产业体系"); 16 leaves room for longer terms while a clause of prose split at ，/； runs longer. At least
# 3 terms separate a keyword line from a "label：a，b" clause (no law sentence of the official corpus is flagged).
_MAX_KEYWORD_CHARS = 16
_MIN_KEYWORDS = 3
# A bare heading or caption is short: the longest caption/heading line found in the two corpora is 34 characters;
# a body sentence standing alone (a law's article or item) ends in 。/； and is never bare.
_MAX_BARE_LINE = 40
# English prose: at least 6 words and 70 % ASCII; a command line ("apt-get install foo") has fewer words.
_MIN_ENGLISH_WORDS = 6
_ENGLISH_ASCII_SHARE = 0.7
# A note line's value holds at most this many CJK characters ("基金项目：国家社会科学基金重大项目（23&ZD001）"
# has 14; the manual's "比如：/usr/lib/… 通过以下方法构建…" prose after a colon has 30).
_MAX_NOTE_CJK = 20
# Letters or digits left on an identifier line once its DOI/URL/e-mail is removed ("Doi:", "• ", "**DOI**").
_MAX_IDENTIFIER_REST = 8
# ... of which at most a label's worth are Chinese ("我们假设它是 http://…。" is a sentence of the manual).
_MAX_IDENTIFIER_CJK = 4


def strip_markup(text: str) -> str:
    """Text without inline markup: bold, footnote calls, inline math delimiters (the formula stays)."""
    return _INLINE_MATH.sub(r"\1", _MARKUP.sub("", text)).strip()


def is_prose(text: str) -> bool:
    """A sentence of running Chinese text: it ends in a full stop (or a lead-in colon) or runs on past clause
    punctuation. Eight CJK characters is a short clause ("湖泊治理成效显著。"); author and unit lines of the papers'
    title blocks have fewer or no sentence punctuation."""
    plain = strip_markup(text)
    cjk = len(_CJK.findall(plain))
    return cjk >= 8 and (plain.endswith(("。", "！", "？", "；", "”", "：", ":")) or (cjk >= 30 and "，" in plain))


def _english_prose(plain: str) -> bool:
    visible = [c for c in plain if not c.isspace()]
    if not visible:
        return False
    ascii_share = sum(c.isascii() for c in visible) / len(visible)
    words = _ENGLISH_WORD.findall(_EMAIL.sub(" ", _URL.sub(" ", _DOI.sub(" ", plain))))  # a URL is not words
    return ascii_share >= _ENGLISH_ASCII_SHARE and len(words) >= _MIN_ENGLISH_WORDS


def _keyword_line(text: str, plain: str) -> bool:
    """ "关键词：科技创新；产业创新；融合" / "**关键词** 甲，乙，丙" / "Key words: a; b; c": a short label closed by a
    colon (or set in bold), then at least three short terms split by ；/， (not 、, which enumerates inside prose)."""
    label = r"([\u4e00-\u9fff]{2,5}|[A-Za-z][A-Za-z ]{1,14})"
    match = re.match(rf"^{label}\s*[:：]\s*(.+)$", plain) or re.match(rf"^\*\*{label}\s*[:：]?\*\*\s*(.+)$", text)
    if match is None or plain.endswith(("：", ":", "；", ";")):
        return False
    terms = [t.strip() for t in re.split(r"[;；，,]", match.group(2).rstrip("。.")) if t.strip()]
    return (
        len(terms) >= _MIN_KEYWORDS
        and all(len(t) <= _MAX_KEYWORD_CHARS for t in terms)
        and not re.search(r"[=/。]", match.group(2).rstrip("。."))
    )


def _code_line(plain: str) -> bool:
    """A DOI, URL, e-mail or label+code line: little text besides the identifiers."""
    rest = _EMAIL.sub(" ", _URL.sub(" ", _DOI.sub(" ", plain)))
    # little else on the line: a manual's "deb http://… bullseye main" keeps its words and stays body
    if (
        rest != plain
        and len(re.findall(r"[^\W_]", rest)) <= _MAX_IDENTIFIER_REST
        and len(_CJK.findall(rest)) <= _MAX_IDENTIFIER_CJK
        and not plain.endswith("。")
    ):
        return True
    return bool(_LABEL_CODE.match(plain)) and any(c.isdigit() for c in plain)


# A telephone number (area code and number, or a mobile number) or an e-mail address: how a document says whom to
# call. In a paper's title block it is the author's (furniture); in a section of a notice it is what a reader asks.
PHONE = re.compile(r"(?<![\d.])(?:0\d{2,3}[-－‐ ]?\d{3,4}[ -]?\d{3,4}|1[3-9]\d{9})(?![\d.])")


def gives_contact(text: str) -> bool:
    """Whether a line's value is a telephone number or an e-mail address."""
    plain = strip_markup(text)
    return bool(PHONE.search(plain) or _EMAIL.search(plain))


# A date as prose writes it ("2025年9月30日", "2025年6月"), not a form's "2025-01-02".
_PROSE_DATE = re.compile(r"\d{4}年\d{1,2}月")


def gives_deadline(text: str) -> bool:
    """A field line with a date ("完成时限：2025年9月30日前" under an item of a work plan): the deadline asked for
    where it stands in the text, a note only in a title block ("收稿日期：…")."""
    return field_label(text) is not None and bool(_PROSE_DATE.search(text))


# How the name of a public body ends (人民政府, 各部门, 管委会, 县直各单位, 某某局): an official document's
# addressee line is such names and nothing else.
_BODY_NAME_END = re.compile(
    r"(?:政府|部门|单位|机构|机关|管委会|委员会|党委|党组|局|厅|办|委|院|校|所|中心|公司|企业|团体)$"
)
_ADDRESSEE_CLAUSES = re.compile(r"[，,；;]")
# "各乡镇（街道）", "各区县": every government of a level, named by the level
_EACH_PLACE = re.compile(r"^各[\u4e00-\u9fff]{0,3}(?:[省市县区乡镇村]|街道)$")
_BRACKETED = re.compile(r"[（(][^（()）]*[)）]")


def is_addressee(text: str) -> bool:
    """An official document's addressee line ("各乡镇人民政府，县政府各部门："): one line of bodies' names ending in
    a colon, with no number. Read only where a notice's text starts (ingest.chunking): "责任单位：" elsewhere is a
    field's label."""
    plain = strip_markup(text).strip()
    if "\n" in plain or not plain.endswith(("：", ":")) or re.search(r"\d", plain):
        return False
    clauses = [_BRACKETED.sub("", c).strip() for c in _ADDRESSEE_CLAUSES.split(plain[:-1])]
    return all(_CJK.search(c) and (_BODY_NAME_END.search(c) or _EACH_PLACE.match(c)) for c in clauses)


def _note_line(plain: str) -> bool:
    """ "收稿日期：2025-01-02" / "中图分类号:F124.3 文献标志码:A" / "项 目 编 号 BZ25ZC124": labels with numbers."""
    if is_prose(plain) or not any(c.isdigit() for c in plain):
        return False
    labelled = _LABEL_COLON.match(plain) or _SPACED_LABEL.match(plain)
    if labelled is None:
        return False
    value = plain[labelled.end() :]
    return (
        len(re.findall(r"[0-9]", value)) >= 2
        and len(_CJK.findall(value)) <= _MAX_NOTE_CJK
        and not value.endswith(("：", ":"))
        and not _SENTENCE_PUNCT.search(value.rstrip("。"))
    )


def sentence_kind(text: str, chinese_document: bool = True) -> str:
    """The kind of one sentence (or line) by its form alone; ``BODY`` for running text."""
    plain = strip_markup(text)
    if not plain or not re.search(r"\w", plain) or _FRAGMENT.match(plain):
        return MARKUP
    if _FOOTNOTE.match(plain) and not is_prose(plain):  # a manual's footnote in sentences is content
        return FOOTNOTE
    if _CITATION_TAG.search(plain) and re.search(r"(19|20)\d{2}", plain) or _CITATION_NUMBERS.search(plain):
        return CITATION
    if _keyword_line(text.strip(), plain):
        return KEYWORDS
    if chinese_document and _english_prose(plain):
        return ENGLISH
    if _note_line(plain) or _BRACKETED_NOTE.match(plain):
        return NOTE
    if _code_line(plain):
        return IDENTIFIER
    if _POSTAL_CODE.search(plain) and len(_CJK.findall(plain)) >= 2 and not is_prose(plain) and len(plain) <= 160:
        return AFFILIATION
    if _CAPTION.match(plain) and len(plain) <= _MAX_BARE_LINE and not _SENTENCE_PUNCT.search(plain):
        return CAPTION
    return BODY


# Kinds a whole line takes from its form ("关键词：甲；乙；丙" is split into sentences at each ；, and every piece
# is part of the keyword line); a line holding a Chinese full stop is running text and is judged sentence by sentence.
_LINE_KINDS = (CITATION, IDENTIFIER, KEYWORDS, NOTE, AFFILIATION, FOOTNOTE, ENGLISH)


def line_kind(line: str, chinese_document: bool = True) -> str:
    """The kind a whole line imposes on its sentences, or ``BODY`` when its sentences decide for themselves."""
    if "。" in line:
        return BODY
    kind = sentence_kind(line, chinese_document)
    return kind if kind in _LINE_KINDS else BODY


def bare_line_kind(text: str) -> str:
    """A line standing alone as its own paragraph: ``HEADING`` when it is short Chinese text with no punctuation
    at all (a heading the structure pass did not recognise, a form's field label), else its sentence kind."""
    kind = sentence_kind(text)
    plain = strip_markup(text)
    if (
        kind == BODY
        and len(plain) <= _MAX_BARE_LINE
        and _CJK.search(plain)
        # a date, 文号 or "（…通过）" line is the document's metadata and may answer "何时通过/文号是什么"
        and not re.search(r"[0-9〔〕（）()]", plain)
        and not re.search(r"[。！？；，、,;!?：:“”\"]", plain)
    ):
        return HEADING
    return kind


def chinese_share(text: str) -> float:
    """Share of CJK among the letters of ``text``: decides whether English prose in it is foreign matter."""
    letters = [c for c in text if c.isalpha()]
    return len(_CJK.findall(text)) / max(1, len(letters))
