"""Citation verification for every backend: parse [n], drop dangling markers, check each sentence's support.

A generated answer is checked claim by claim. A claim whose marker is missing or wrong is attached post hoc to the
passage that holds its wording (containment first, embeddings for paraphrase), so a small model that forgets its
[n] still gets a grounded, cited answer; a figure counts as supported only where the passage states it for the same
thing (the words around the number agree), so "GDP 7916.5 亿元" is not accepted from "完成投资 7916.5 亿元".
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache

import numpy as np

from assistant import prompts
from assistant.answer import AnswerSentence, Citation, Passage
from assistant.gate import _PART_HEADING, part_number
from core.schema import Chunk
from core.sentence_kinds import CAPTION_LABEL
from core.sentences import split_sentences
from core.tokenize import char_bigrams, pos_tags, tokenize

MARKER = re.compile(r"\s*[\[［](\d{1,2})[\]］]")
_ITEM_PREFIX = re.compile(r"^\s*(\d{1,2}[.、．]|[-*•])\s*")
_CLAIM_PIECE = re.compile(r"[^。！？!?；;\n]+[。！？!?；;]*(?:\s*[\[［]\d{1,2}[\]］])*")
# The first clause of a sentence, up to its comma or colon: "根据资料[2]，…" / "资料[1][3]指出：…".
_OPENING_CLAUSE = re.compile(r"^[^，,：:。！？；;]*[，,：:]")
_CLAUSE = re.compile(r"[^，,；;。！？!?：:]+")


@dataclass(frozen=True)
class ParsedSentence:
    text: str  # without markers or list numbering
    markers: list[int]
    own: list[int] = field(default_factory=list)  # markers written in this sentence itself (not inherited)
    line: int = -1  # where the sentence sits in the answer text, for rewriting its markers
    start: int = 0
    end: int = 0


@lru_cache(maxsize=1)
def _source_words() -> frozenset[str]:
    """The words the answer prompt uses for the sources and for citing them (资料, 依据, 编号, 上述 …): a model
    that cites in prose echoes them."""
    template = re.sub(r"\{\w+\}", " ", prompts.USER_PROMPT)
    return frozenset(w for w, _tag in pos_tags(template) if len(w) >= 2 and not _PUNCT.match(w))


_PUNCT = re.compile(r"^[\W_]+$")
# jieba part-of-speech classes that carry content (nouns, verbs, adjectives, idioms, names); prepositions,
# pronouns, particles and adverbs do not.
_CONTENT_TAGS = tuple("nvaliz")


def is_citation_only(text: str) -> bool:
    """True for a phrase that only points at the sources ("依据资料。", "根据资料[2]的描述，", "以上内容来自资料[1]。"):
    it cites (a marker or a source word of the prompt), states no figure, is short and has at most two content
    words of its own. Such a phrase claims nothing, so it is neither verified nor counted against the answer."""
    bare = MARKER.sub("", text)
    if re.search(r"\d", bare) or len(re.sub(r"\W", "", bare)) > _CITATION_ONLY_MAX_CHARS:
        return False
    if not MARKER.search(text) and not any(w in bare for w in _source_words()):
        return False
    own = [w for w, tag in pos_tags(bare) if w not in _source_words() and tag.startswith(_CONTENT_TAGS)]
    names_sources = any(w in bare for w in _source_words())
    return len(own) <= (_CITATION_ONLY_MAX_WORDS if names_sources else 1)


# Measured on the recorded model answers (tests/fixtures/model_answers): the citing phrases had at most 9
# characters and two content words of their own besides the source word ("以上内容来自资料"), one when only a
# marker cites ("详见[2]"); the shortest real claims have two without a source word ("创新很重要[1]") and three
# with one ("资料显示成本下降").
_CITATION_ONLY_MAX_CHARS = 12
_CITATION_ONLY_MAX_WORDS = 2


def _opening_markers(piece: str) -> tuple[list[int], str]:
    """Markers in the sentence's first clause, when that clause only points at the sources, and the sentence
    without that clause: "根据资料[2]，A是B。" -> ([2], "A是B。")."""
    match = _OPENING_CLAUSE.match(piece)
    if not match or not MARKER.search(match.group(0)) or not is_citation_only(match.group(0)):
        return [], piece
    return [int(m) for m in MARKER.findall(match.group(0))], piece[match.end() :]


def _without_closing_citation(piece: str) -> str:
    """The sentence without a last clause that only points at the sources: "A为3亿元，依据资料编号 [1]。" ->
    "A为3亿元。" (the recorded model wrote this form; its markers still bind to the sentence). Left in, the
    clause's words would count against the claim's support and its source words against the figure's context."""
    cut = max(piece.rfind("，"), piece.rfind(","))
    if cut <= 0:
        return piece
    tail = piece[cut + 1 :]
    if not MARKER.search(tail) or not is_citation_only(tail):
        return piece
    end = re.search(r"[。！？!?；;]\s*$", MARKER.sub("", tail))
    return piece[:cut] + (end.group(0).strip() if end else "")


def _template(template: str) -> re.Pattern[str]:
    """A prompt with ``{fields}`` as a pattern of the whole line it fills."""
    return re.compile(
        "".join(".+" if i % 2 else re.escape(part) for i, part in enumerate(re.split(r"\{\w+\}", template))) + "$"
    )


# What the answer says of the documents, not from them: a block of one ask the documents do not answer, and why
# ("资料中未提及：…"), in an answer whose other ask they do. No passage could hold such a line.
_NOTES = tuple(
    _template(t)
    for t in (
        prompts.PART_NOT_FOUND,
        prompts.REFUSAL_MISSING,
        prompts.REFUSAL_UNRETRIEVED,
        prompts.REFUSAL_SLOT,
        prompts.REFUSAL_ABSENT_PART,
        prompts.REFUSAL_UNCOLLECTED_PART,
        prompts.REFUSAL_UNCOLLECTED,
    )
)


def parse_answer(text: str) -> list[ParsedSentence]:
    """Claims with their citation markers. Lead-in lines (ending in '：'), the answer's notes of what the
    documents do not say (``_NOTES``) and phrases that only point at the sources are not claims. A marker binds
    to the sentence it ends; a marker in an opening clause ("根据资料[2]，") binds to that sentence and to the
    unmarked ones after it; a marker at a line's end also covers the unmarked sentences before it on that line."""
    parsed: list[ParsedSentence] = []
    carried: list[int] = []  # opening markers still in force (a citation-only line "根据资料[2]：" starts them)
    for line_no, raw_line in enumerate(text.splitlines()):
        prefix = _ITEM_PREFIX.match(raw_line.strip())
        offset = len(raw_line) - len(raw_line.lstrip()) + (prefix.end() if prefix else 0)
        line = raw_line[offset:].rstrip()
        if not line.strip():
            continue
        if line.endswith(("：", ":")) and not MARKER.search(line):
            continue
        if not MARKER.search(line) and any(note.match(line) for note in _NOTES):
            continue
        pieces = []  # (bare, own markers, opening markers, start, end)
        trailing: dict[int, list[int]] = {}  # markers of a citation-only phrase right after an unmarked claim
        for match in _CLAIM_PIECE.finditer(line):
            piece = match.group(0)
            opening, rest = _opening_markers(piece)
            rest = _without_closing_citation(rest)
            bare = MARKER.sub("", rest).strip()
            own = [int(m) for m in MARKER.findall(piece)]
            if bare.endswith(("？", "?")):
                # A question claims nothing: the recorded model often echoes the user's before answering it.
                continue
            if len(bare) < 2 or is_citation_only(bare):
                # "依据资料[2]：" says where what follows is from; "A。根据资料[1]的规定。" where A is from.
                carried = own or carried
                if own and pieces and not pieces[-1][1]:
                    trailing[len(pieces) - 1] = own
                continue
            pieces.append((bare, own, opening, offset + match.start(), offset + match.end()))
        # Forward: opening markers (and a citation-only line's) cover unmarked sentences after them.
        forward: list[list[int]] = []
        for _bare, own, opening, _s, _e in pieces:
            if own:
                carried = opening or []
            forward.append(own or carried)
        # Backward: "句一。句二。[1]": a marker at the end of a line also covers the unmarked sentences before it.
        inherited: list[int] = []
        line_parsed = []
        for k, ((bare, own, _opening, start, end), ahead) in reversed(
            list(enumerate(zip(pieces, forward, strict=True)))
        ):
            inherited = own or trailing.get(k) or inherited
            line_parsed.append(
                ParsedSentence(bare, own or trailing.get(k) or ahead or inherited, own, line_no, start, end)
            )
        parsed += line_parsed[::-1]
    return parsed


# A figure as it is stated: a date (2025年3月1日, 2024年), a percentage, or a number, each with any range partner
# ("3-5年", "3至5"). Whitespace is removed from claim and passage first ("7916.5 亿元" in extracted PDFs).
_FIGURE = re.compile(
    r"\d{4}年(?:\d{1,2}月(?:\d{1,2}日)?)?|\d{1,2}月\d{1,2}日"
    r"|\d+(?:[.,]\d+)*%?(?:-\d+(?:[.,]\d+)*%?)?"
)
_NUMBER = re.compile(r"\d+(?:[.,，\s]\d+)*\s*%?")


def numbers_of(text: str) -> set[str]:
    return {re.sub(r"[\s,，]", "", n) for n in _NUMBER.findall(text)}


# A number written in Chinese numerals before what it counts: an amount (万/亿/元), a multiple, a period, an age or a
# percentage (百分之五). Laws write their fines and periods so ("处五万元以上五十万元以下罚款"); the model restates
# them either way. An ordinal (第十二条) is an article number, checked by article_bound.
_CN_NUMERAL = "零〇一二两三四五六七八九十百千"
_CHINESE_NUMBER = re.compile(
    rf"百分之(?P<percent>[{_CN_NUMERAL}]+)"
    rf"|(?<![第{_CN_NUMERAL}])(?P<count>[{_CN_NUMERAL}]+)(?=万|亿|元|倍|年|日|个月|个工作日|小时|周岁)"
)


def _arabic(text: str) -> str:
    """Chinese numerals that count something as digits ("五千万元" → "5000万元", "百分之五" → "5%"), so a figure is
    the same figure however it is written, and a fine moved to another party is a figure moved (it was no figure
    at all: the words of the claim all occur in the passage, and it was accepted)."""

    def digits(match: re.Match[str]) -> str:
        number = part_number(match["percent"] or match["count"])
        if number is None:
            return match.group(0)
        return f"{number}%" if match["percent"] else str(number)

    return _CHINESE_NUMBER.sub(digits, text)


def _squeeze(text: str) -> str:
    """Whitespace and thousands separators out ("2 000", "2,000"), range dashes unified ("3～5" and "3-5" state
    the same range), Chinese numerals that count something as digits. Commas elsewhere stay: offsets into the
    squeezed passage must hold for its clauses."""
    text = re.sub(r"(?<=\d)[,，](?=\d{3}(?!\d))", "", re.sub(r"\s+", "", _arabic(text)))
    return re.sub(r"(?<=\d)[－~～—至到](?=\d)", "-", text)


def figures_of(text: str) -> list[str]:
    return [f.replace(",", "") for f in _FIGURE.findall(_squeeze(MARKER.sub("", text)))]


def _figure_at(text: str, figure: str) -> list[int]:
    """Offsets where ``figure`` is stated in ``text`` as a whole figure (7916.5 is not inside 17916.5 or 7916.55)."""
    pattern = r"(?<![\d.])" + re.escape(figure) + (r"(?![\d.])" if figure[-1].isdigit() else "")
    return [m.start() for m in re.finditer(pattern, text)]  # text squeezed: no thousands separators


def _context_words(clause: str) -> set[str]:
    """Content words of a clause, figures and their digits left out: what the figure measures."""
    return {w for w in tokenize(_FIGURE.sub(" ", clause)) if not re.search(r"\d", w)}


def figure_bound(claim: str, passage: str, scope: str = "") -> bool:
    """Every figure of the claim is stated in the passage about the same thing: the passage sentence holding the
    figure contains at least FIGURE_CONTEXT_SHARE of the content words of the claim's clause around it (subject,
    year, measure), every proper name of the claim's clause is in that sentence or the one before (the subject),
    and, for a number, one of the two words just before it (the measure: "生产总值为…" vs
    "完成投资…") in the same passage clause. A claim without figures is bound trivially. A clause that reads a
    table with years as row labels is bound by the table's row and column instead (``table_cell_bound``).
    ``scope`` is the passage's section heading and document title: a name stated there is the subject of a passage
    sentence that names none ("第五章 四川…实践" over "2024年度全省国家高新技术企业达到1.69万家")."""
    rows = _year_rows(passage)
    claim, passage = _squeeze(MARKER.sub("", claim)), _squeeze(passage).lower()  # tokenize() lower-cases
    clauses = [c for c in _CLAUSE.findall(claim) if c.strip()]
    sentences = split_sentences(passage)
    year = None  # the year an earlier clause named: "2010年发表论文142万篇，成果登记数为42108项" reads one row
    for clause in clauses:
        if clause.strip().lower() in passage:  # copied word for word: its figures stand in their own context
            continue
        bound_by_table = rows is not None and table_cell_bound(clause, rows, year)
        year = next((f[:4] for f in figures_of(clause) if re.fullmatch(r"\d{4}年", f)), year)
        if bound_by_table:
            continue
        for figure in figures_of(clause):
            where = _figure_at(passage, figure)
            if not where:
                return False
            context = _context_words(clause)
            # The measure a number states is named right around it ("生产总值为…亿元" vs "完成投资…亿元",
            # "200家研发机构"); a date's is not (it opens the passage clause, "2022年，…"), so a date is held to the
            # sentence-level context only. Single characters (家, 个, 近) say nothing about the measure.
            is_date = figure.endswith(("年", "月", "日"))
            # Within its enumeration item: in "2000家企业、近200家研发机构" the words before 200 belong to 2000.
            at = (_figure_at(clause, figure) or [clause.find(figure)])[0]
            head, tail = clause[:at].rsplit("、", 1)[-1], clause[at + len(figure) :].split("、", 1)[0]
            before = [w for w in tokenize(_FIGURE.sub(" ", head)) if len(w) > 1][-2:]
            after = [w for w in tokenize(_FIGURE.sub(" ", tail)) if len(w) > 1][:2]
            if is_date:
                before, after = [], []
            names = {w.lower() for w, tag in pos_tags(clause) if tag in _NAME_TAGS}
            lead = set() if is_date else {w for w in tokenize(_FIGURE.sub(" ", head)) if len(w) > 1}
            if not any(
                _bound_at(passage, sentences, at, context, (before, after), names, scope.lower())
                and not _named_after(passage, sentences, at, figure, lead)
                for at in where
            ):
                return False
    return True


# A table row labelled by a year: the year, then its cells (tab-separated). Extracted tables lose their line breaks
# ("…(亿元) 2001\t-\t28 448\t…\t783 2002\t-\t…"): a row starts at a year written before a tab.
_ROW_YEAR = re.compile(r"(?<![\d.])((?:19|20)\d{2})\t")
# A thousands group written with a space ("28 448") is one number; "783 2002" (four digits after) is two cells.
_THOUSANDS_SPACE = re.compile(r"(?<=\d)[ \u2009\u00a0](?=\d{3}(?!\d))")


@dataclass(frozen=True)
class _YearRows:
    header: tuple[str, ...]  # column headings, without the year column's (tables leave it blank or name it)
    rows: dict[str, tuple[str, ...]]  # "2005" -> the cells after the year, spaces out of numbers


def _year_rows(passage: str) -> _YearRows | None:
    """The rows of a table whose rows are labelled by years, with the column headings before the first row: a
    figure read off such a table is stated under its row's year and its column's heading, not in a sentence."""
    text = _THOUSANDS_SPACE.sub("", passage)
    starts = list(_ROW_YEAR.finditer(text))
    if len(starts) < 2:
        return None
    head = text[: starts[0].start()].rsplit("：", 1)[-1]  # after the caption with_caption puts first
    header = tuple(cell.strip() for cell in head.split("\t"))
    rows = {}
    for m, following in zip(starts, [*starts[1:], None], strict=False):
        body = text[m.end() : following.start() if following else len(text)]
        rows[m.group(1)] = tuple(re.sub(r"\s+", "", cell) for cell in body.split("\t"))
    return _YearRows(header, rows)


def table_cell_bound(clause: str, table: _YearRows, year: str | None = None) -> bool:
    """A clause that reads a year-labelled table: it names one year that labels a row, and each of its other
    figures is a cell of that row under the column whose heading the clause names best (shares most character
    bigrams with, units in brackets left out) or, naming none, whose unit alone it writes after the figure
    ("2005年：94万篇" under "发表科技论文 (万篇)"). A clause naming no year reads the row of ``year``, the one an
    earlier clause of the claim named; a clause that is only a row's year ("2005年：") is bound.
    "2005年…发明专利申请授权数为53305项" is bound; the same year's 科技成果登记数 cell under that measure, or another
    year's cell, is not (the recorded model did both, own-20)."""
    figures = figures_of(clause)
    years = [f[:4] for f in figures if re.fullmatch(r"\d{4}年", f)] or ([year] if year else [])
    values = [f for f in figures if not f.endswith(("年", "月", "日"))]
    if len(set(years)) != 1 or years[0] not in table.rows:
        return False
    if not values:
        return not _context_words(clause)
    cells = table.rows[years[0]]
    grams = char_bigrams(clause)
    headings = [char_bigrams(_UNIT.sub("", h)) for h in table.header]
    shares = [len(grams & h) / len(h) if h else 0.0 for h in headings]
    if shares and max(shares) >= TABLE_HEADING_SHARE:
        named = shares.index(max(shares))
    else:
        units = [m.group(1).strip() if (m := _UNIT.search(h)) else "" for h in table.header]
        stated = {i for i, unit in enumerate(units) if unit and any(v + unit in _squeeze(clause) for v in values)}
        if len(stated) != 1 or units.count(units[next(iter(stated))]) != 1:  # "(项)" heads three columns
            return False
        named = next(iter(stated))
    # Cells align to the right under the headings: the first data row's blank or label cells make rows no shorter.
    offset = len(cells) - len(table.header)
    for value in values:
        columns = [i - offset for i, cell in enumerate(cells) if cell == value.rstrip("%")]
        if named not in columns:
            return False
    return True


_UNIT = re.compile(r"[(（]([^)）]*)[)）]")


# Share of a column heading's character bigrams the clause must hold to name that column: "技术市场成交额" in the
# claim holds all of "技术市场成交额 (亿元)"; a clause naming no heading (0.0-0.3 on own-20's) reads no table.
TABLE_HEADING_SHARE = 0.5


# jieba tags of proper names (place, person, organisation, other, Latin): the subject a figure belongs to.
_NAME_TAGS = frozenset({"ns", "nr", "nrt", "nt", "nz", "eng"})


def _named_after(passage: str, sentences, at: int, figure: str, lead: set[str]) -> bool:
    """A word the claim puts before the figure that the passage sentence uses only after it, for a later figure:
    "城镇…9.37年" from "农村…为9.37年，…城镇相应情况为11.61年"."""
    index = next((i for i, s in enumerate(sentences) if s.start <= at < s.end), None)
    if index is None:
        return False
    sentence = sentences[index]
    # From the sentence before on: the subject may be named there (see _bound_at).
    upto = passage[sentences[index - 1].start if index else sentence.start : at + len(figure)]
    rest = passage[at + len(figure) : sentence.end]
    return any(w not in upto and w in rest for w in lead)


def _bound_at(
    passage: str,
    sentences,
    at: int,
    context: set[str],
    anchors: tuple[list[str], list[str]],
    names: set[str],
    scope: str = "",
) -> bool:
    index = next((i for i, s in enumerate(sentences) if s.start <= at < s.end), None)
    sentence = sentences[index].text if index is not None else passage
    # The subject may be named one sentence earlier ("甲园区成立于…。该园区集聚了2000家企业。").
    window = (sentences[index - 1].text if index else "") + sentence
    missing = [name for name in names if name not in window]
    # Or, when the passage names no place or body before the figure ("全省…达到1.69万家"), by the heading it is
    # under; a sentence after "乙市近年来…" states 乙市's figures even under a heading that names the province.
    if missing and (any(name not in scope for name in missing) or _names_in(passage[:at])):
        return False
    if context and sum(w in sentence for w in context) / len(context) < FIGURE_CONTEXT_SHARE:
        return False
    clause_start = max(passage.rfind(p, 0, at) for p in "，,、；;。！？：:\n") + 1
    clause_end = min([i for i in (passage.find(p, at) for p in "，,、；;。！？\n") if i >= 0] or [len(passage)])
    local = passage[clause_start:clause_end]
    before, after = anchors
    # A clause that names no measure of its own before the figure ("…普及率…为66.5%，但是仍有16.8个百分点的差距")
    # states it for what the sentence named before: the measure may be there. One that names its own ("完成投资
    # 7916.5亿元") is held to it.
    if before and not any(tag.startswith("n") for _w, tag in pos_tags(passage[clause_start:at])):
        sentence_start = sentences[index].start if index is not None else 0
        before_scope = passage[sentence_start:at]
        # A word the passage never uses names no other measure or party of it: the claim names what the passage's
        # subject-less clause leaves implicit ("对单位罚50万元…" from "拒不改正的，处50万元…", own-89). A word the
        # passage uses elsewhere ("主管人员") still has to be the one before this figure.
        before = [w for w in before if w in passage]
    else:
        before_scope = local
    # Both sides of the number must match where the claim names them: the measure before, what is counted after.
    if before and not any(w in before_scope for w in before) or after and not any(w in local for w in after):
        return False
    return not names or _nearest_name(passage[clause_start:at]) in names | {None}


def _names_in(text: str) -> bool:
    """Whether ``text`` names a place or a body of its own (jieba's person tags are noisy here: 高新区 is "nr")."""
    return any(tag in ("ns", "nt") for _w, tag in pos_tags(text))


def _nearest_name(before: str) -> str | None:
    """The last proper name (place, organisation, person) written before a figure in its own passage clause: the
    row label of a table ("东川\t3120.5西岭\t1870.2", a table's cells have no commas) or the clause's subject.
    A claim that names a subject must name this one: "东川…1870.2" is 西岭's figure."""
    names = [w.lower() for w, tag in pos_tags(before) if tag in _NAME_TAGS]
    return names[-1] if names else None


# Share of a figure's clause words (subject, year, measure) the passage sentence stating the figure must hold.
# Fitted on the labelled sentences of tests/fixtures/verify_cases.json: 0.5 rejects every wrong-entity figure
# there while a faithful restatement keeps 0.6-1.0 (the model drops or adds a word or two).
FIGURE_CONTEXT_SHARE = 0.5


_ARTICLE_REF = re.compile(r"第([一二三四五六七八九十百千零〇两\d]+)条")


def article_bound(claim: str, passage: str) -> bool:
    """A claim that opens by naming the article it restates ("根据《某规则》第七条，乙单位有权…") names the one the
    passage states it under: the article heading ("第八条　乙单位有权…") last before the passage line that best
    holds the claim's content. A wrong article number is a figure on the wrong entity, the commonest one of the
    recorded law answers (4 of 5 in tests/fixtures/verify_cases.json, origin "recorded"). Content the passage
    states before its first heading belongs to an article it does not show: nothing to compare, bound."""
    claim = MARKER.sub("", claim)
    opening = _OPENING_CLAUSE.match(claim)
    if not opening:
        return True
    refs = [part_number(m) for m in _ARTICLE_REF.findall(opening.group(0))]
    content = claim[opening.end() :]
    headings = [(m.start(1) - 1, part_number(m.group(1))) for m in _PART_HEADING.finditer(passage) if m[2] == "条"]
    if not refs or not headings or len(content) < _ARTICLE_CONTENT_MIN:
        return True
    heading_at = {start for start, _number in headings}
    cited = {part_number(m.group(1)) for m in _ARTICLE_REF.finditer(passage) if m.start() not in heading_at}
    if cited & set(refs):  # "依照…第三十条的规定": the claim names an article the passage itself refers to
        return True
    grams = char_bigrams(content)
    lines, at, best_at, best = passage.split("\n"), 0, 0, -1.0
    for line in lines:
        score = len(grams & char_bigrams(line)) / len(grams) if grams else 0.0
        if score > best:
            best, best_at = score, at
        at += len(line) + 1
    if best < _ARTICLE_CONTENT_SHARE:  # no line says it: bound only if the passage has the article named
        return any(number in refs for _start, number in headings)
    stated = [number for start, number in headings if start <= best_at + 1]
    return not stated or stated[-1] in refs


# Content after the article clause shorter than this is the article's name only ("第五条规定。"); a line must hold
# this share of its bigrams to be where the passage says it (the recorded restatements share 0.6-1.0 with theirs).
_ARTICLE_CONTENT_MIN = 6
_ARTICLE_CONTENT_SHARE = 0.5


def subject_bound(claim: str, passage: str, scope: str = "") -> bool:
    """The subject of a restated predicate is the passage's: for each clause of the claim, the longest stretch it
    shares with the passage is the predicate ("…政府确定本级实施机构"); the noun (or attributive like 县级/省级)
    written just before it in the claim must occur near there in the passage unless the passage's own word just
    before it occurs in the claim. "乙级单位负责备案" from "甲级主管单位负责备案" moves a duty to another level, a
    wrong entity without a figure (the recorded model did this twice, off-fact-12). Clauses that cite (《…》) and
    clauses copied word for word are skipped; the passage sentence and the one before count as "near" (the subject
    may be named there, as for figures), and so does the heading ``scope`` when the passage names no place or body
    before the stretch (as for figures)."""
    claim, passage, scope = _squeeze(MARKER.sub("", claim)).lower(), _squeeze(passage).lower(), scope.lower()
    sentences = None
    for clause in _CLAUSE.findall(claim):
        if len(clause) < _SUBJECT_MIN_SHARED + 2 or "《" in clause or clause in passage:
            continue
        match = SequenceMatcher(None, clause, passage, autojunk=False).find_longest_match(
            0, len(clause), 0, len(passage)
        )
        if match.size < _SUBJECT_MIN_SHARED:
            continue
        clause_start = max(passage.rfind(p, 0, match.b) for p in "，,、；;。！？：:\n") + 1
        ours, theirs = _last_subject_word(clause[: match.a]), _last_subject_word(passage[clause_start : match.b])
        if not ours or not theirs:
            continue
        sentences = sentences or split_sentences(passage)
        index = next((i for i, s in enumerate(sentences) if s.start <= match.b < s.end), None)
        near = passage if index is None else (sentences[index - 1].text if index else "") + sentences[index].text
        if ours not in near and theirs not in clause and (ours not in scope or _names_in(passage[: match.b])):
            return False
    return True


def _last_subject_word(text: str) -> str | None:
    words = [w for w, tag in pos_tags(_FIGURE.sub(" ", text)) if len(w) > 1 and tag.startswith(_SUBJECT_TAGS)]
    return words[-1].lower() if words and not re.search(r"\d", words[-1]) else None


# Nouns (n, nr, ns, nt, nz …) and jieba's attributive words (b: 县级, 省级, 大型) name whose predicate it is; verbs,
# modal words (需要/应当) and pronouns do not (a restatement may change them: no true sentence was lost by them).
_SUBJECT_TAGS = ("n", "b")
# A shared stretch shorter than this is a common word, not the restated predicate. Measured on the labelled
# sentences (tests/fixtures/verify_cases.json): 4 catches both recorded level swaps and rejects no true sentence.
_SUBJECT_MIN_SHARED = 4


def containment(claim: str, passage: str, scope: str = "") -> float:
    """Share of the claim's content (character bigrams or jieba words, whichever is higher) in the passage.

    A claim that states a figure the passage does not state for the same thing gets 0: one changed digit (or one
    figure moved to another subject) keeps almost every bigram, yet makes the sentence false.
    """
    if _squeeze(MARKER.sub("", claim)).strip().lower() in _squeeze(passage).lower():
        return 1.0  # copied word for word (every extractive line): the passage says exactly this
    bound = (
        figure_bound(claim, passage, scope) and article_bound(claim, passage) and subject_bound(claim, passage, scope)
    )
    if not bound:
        return 0.0
    grams = char_bigrams(claim)
    gram_share = len(grams & char_bigrams(passage)) / len(grams) if grams else 0.0
    words = set(tokenize(claim))
    word_share = sum(1 for w in words if w in passage) / len(words) if words else 0.0
    return max(gram_share, word_share)


def best_span(claim: str, passage_text: str) -> tuple[int, int]:
    """Offsets of the passage sentence (or adjacent pair) that best matches the claim."""
    sentences = split_sentences(passage_text)
    if not sentences:
        return 0, len(passage_text)
    claim_grams = char_bigrams(claim)
    best, best_score = (sentences[0].start, sentences[0].end), -1.0
    for i, sentence in enumerate(sentences):
        for j in (i, i + 1):
            if j >= len(sentences):
                continue
            text = passage_text[sentence.start : sentences[j].end]
            grams = char_bigrams(text)
            score = len(claim_grams & grams) / max(1, len(claim_grams | grams))
            if score > best_score:
                best, best_score = (sentence.start, sentences[j].end), score
    return best


def quoted_span(claims: list[str], passage_text: str) -> tuple[int, int] | None:
    """The span from the first to the last of ``claims`` when each is a verbatim piece of the passage (an
    extractive answer's lines; three clauses of one sentence are three lines): the quote then shows every line
    that cites it. None when a claim is not verbatim (a model's wording: ``best_span`` finds the best sentence)."""
    found = []
    for claim in claims:
        at = passage_text.find(claim.strip())
        if not claim.strip() or at < 0:
            return None
        found.append((at, at + len(claim.strip())))
    return (min(s for s, _ in found), max(e for _, e in found)) if found else None


class CitationVerifier:
    """Checks each claim against its cited passages and, when they do not hold it, against every passage shown
    to the model (post-hoc attribution): the claim is then cited to the passage that does."""

    def __init__(
        self,
        threshold: float,
        embed: Callable[[list[str]], list[list[float]]] | None = None,
        semantic_threshold: float = 0.9,
        attribute: bool = True,
    ) -> None:
        self.threshold = threshold
        self.embed = embed
        self.semantic_threshold = semantic_threshold
        self.attribute = attribute

    def check(self, sentences: list[ParsedSentence], numbered: dict[int, Passage]) -> list[AnswerSentence]:
        texts = {n: with_caption(p, numbered.values()) for n, p in numbered.items()}
        scopes = {n: f"{p.section} {p.title}" for n, p in numbered.items()}  # what a passage is under
        checked = []
        grey: list[tuple[int, list[int]]] = []  # claims left for the embedding check, with their candidates
        for sentence in sentences:
            markers = [n for n in dict.fromkeys(sentence.markers) if n in numbered]
            pool = list(numbered) if self.attribute else markers
            scores = {n: containment(sentence.text, texts[n], scopes[n]) for n in dict.fromkeys(markers + pool)}
            cited = [n for n in markers if scores[n] >= self.threshold]
            if not cited and pool:
                best = max(pool, key=lambda n: scores[n])
                # Attribution: the claim is cited to the passage that holds most of it, never to a weaker one.
                cited = [best] if scores[best] >= self.threshold else []
            support = max((scores[n] for n in cited or markers), default=0.0)
            checked.append(AnswerSentence(sentence.text, cited or markers, bool(cited), round(support, 3)))
            if not cited:
                # Paraphrase: little surface overlap, but the meaning may match a passage.
                near = [n for n in pool if scores[n] >= self.threshold * SEMANTIC_FLOOR]
                if near:
                    grey.append((len(checked) - 1, near))
        if grey and self.embed is not None:
            self._semantic(checked, grey, numbered)
        return checked

    def _semantic(
        self, checked: list[AnswerSentence], grey: list[tuple[int, list[int]]], numbered: dict[int, Passage]
    ) -> None:
        """One embedding batch for all grey claims and their candidate passages. The claim goes to the candidate
        most similar to it, which is the passage that holds the wording, not necessarily the one it cited."""
        passages = sorted({n for _, near in grey for n in near})
        texts = [checked[i].text for i, _ in grey] + [numbered[n].text for n in passages]
        vectors = np.asarray(self.embed(texts), dtype=np.float32)  # type: ignore[misc]
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-9
        row = {n: vectors[len(grey) + k] for k, n in enumerate(passages)}
        for k, (i, near) in enumerate(grey):
            similarity = {n: float(vectors[k] @ row[n]) for n in near}
            best = max(near, key=lambda n: similarity[n])
            if similarity[best] >= self.semantic_threshold:
                old = checked[i]
                checked[i] = AnswerSentence(old.text, [best], True, old.support)


def with_caption(passage: Passage, shown) -> str:
    """A table passage with its caption when the caption closes the shown passage just before it in the same
    document: chunking cuts "表3 2021年各市种植面积" from its rows, and the model reads both, so a row's figure
    stated with the caption's year ("2021年东川…3120.5万亩") is the table's, not an invented one."""
    if passage.kind != "table":
        return passage.text
    for other in shown:
        if other.source != passage.source or not 0 <= passage.char_start - other.char_end <= _ADJACENT_CHARS:
            continue
        spans = [(a, b) for a, b, kind in json.loads(other.kinds or "[]") if kind == "caption"]
        closing = [(a, b) for a, b in spans if b >= len(other.text.rstrip()) - _ADJACENT_CHARS]
        if closing:
            a, b = closing[-1]
            # Without its label: "表3 2021年" squeezed would read as the figure 32021.
            return CAPTION_LABEL.sub("", other.text[a:b].strip()).strip() + "：" + passage.text
    return passage.text


# Chunks of one document are contiguous up to the separator characters between them (a newline or two).
_ADJACENT_CHARS = 2


# A grey claim (no passage reaches the support threshold) goes to the embedding check only when some passage holds
# at least this share of the threshold (0.6 x 0.5 = 0.3 of its content): below that even a high cosine was, in the
# recordings, a sentence on the same topic rather than a restatement.
SEMANTIC_FLOOR = 0.6


def grounded_enough(checked: list[AnswerSentence], min_share: float) -> bool:
    """Keep a generated answer when at least ``min_share`` of its claims are supported (after attribution)."""
    return bool(checked) and sum(s.supported for s in checked) >= min_share * len(checked)


def strip_dangling_markers(text: str, valid: set[int]) -> str:
    return MARKER.sub(lambda m: m.group(0) if int(m.group(1)) in valid else "", text)


def rewrite_markers(text: str, parsed: list[ParsedSentence], checked: list[AnswerSentence]) -> str:
    """The answer text with each supported claim's markers set to what verification decided: an unmarked or
    attributed claim gets the passage that holds it, a re-pointed one the right number; claims already marked
    right, and unsupported ones (shown flagged), are left as written. Markers no claim ended up citing are dropped
    (a citation-only phrase's, a re-pointed sentence's)."""
    lines = text.splitlines()
    edits: dict[int, list[tuple[int, int, str]]] = {}
    for sentence, result in zip(parsed, checked, strict=True):
        if sentence.line < 0 or sentence.own == result.citations or not result.supported:
            continue
        piece = lines[sentence.line][sentence.start : sentence.end]
        kept = strip_dangling_markers(piece, set(result.citations)).rstrip()
        present = {int(n) for n in MARKER.findall(kept)}
        new = kept + "".join(f"[{n}]" for n in result.citations if n not in present)
        edits.setdefault(sentence.line, []).append((sentence.start, sentence.end, new))
    cited = {n for s in checked for n in s.citations}
    for line_no, line_edits in edits.items():
        line = lines[line_no]
        for start, end, new in sorted(line_edits, reverse=True):
            line = line[:start] + new + line[end:]
        lines[line_no] = line
    return strip_dangling_markers("\n".join(lines), cited)


def make_citations(
    checked: list[AnswerSentence], numbered: dict[int, Passage], chunks: dict[str, Chunk]
) -> list[Citation]:
    """One citation per cited passage, quoting the span that best matches the sentences citing it."""
    citations = []
    for n in sorted({n for s in checked for n in s.citations}):
        passage = numbered[n]
        citing = [s.text for s in checked if n in s.citations]
        start, end = quoted_span(citing, passage.text) or best_span("".join(citing), passage.text)
        chunk = chunks.get(passage.chunk_id)
        orig = chunk.original_span(start, end) if chunk else (passage.char_start, passage.char_end)
        pages = chunk.pages_of(start, end) if chunk else (passage.page_start, passage.page_end)
        citations.append(
            Citation(
                n=n,
                source=passage.source,
                title=passage.title,
                section=passage.section,
                chunk_id=passage.chunk_id,
                text=passage.text[start:end],
                char_start=orig[0],
                char_end=orig[1],
                passage=passage.text,
                page_start=pages[0],
                page_end=pages[1],
            )
        )
    return citations


def drop_unsupported(text: str, checked: list[AnswerSentence]) -> str:
    """Remove the lines whose every claim failed verification (used when the setting asks for it)."""
    bad = {s.text for s in checked if not s.supported}
    kept = []
    for line in text.splitlines():
        claims = [MARKER.sub("", p).strip() for p in _CLAIM_PIECE.findall(_ITEM_PREFIX.sub("", line.strip()))]
        claims = [c for c in claims if len(c) >= 2]
        if claims and all(c in bad for c in claims):
            continue
        kept.append(line)
    return "\n".join(kept)
