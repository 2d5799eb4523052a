"""How a paper is named to people and recognised in questions, from its index-state entry (manifest fields)."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from core.tokenize import char_bigrams

Paper = dict[str, Any]

MIN_NAME_CHARS = 2  # a one-character "name" would match almost any question
# A part of a title ("主标题：副标题", "主题 副题", "规范（试行）") names its paper only when it is this long and
# neither in another paper's title nor in another document's text: the demo titles share "科技创新与产业创新融合发展",
# "培育发展新质生产力" is a phrase of every paper, "国家发展改革委" (the issuer in front of a notice's title) is in
# other notices; none of them names one document.
MIN_SHORT_TITLE_CHARS = 6
# A title in book-title marks (《…》) names the paper whose title shares this share of character bigrams with it
# (Dice): a mark around a slightly misremembered title still names it; a different document's title (a 指导意见
# with the same topic words as a demo paper, Dice 0.63 with it) does not.
QUOTED_TITLE_DICE = 0.75
_TITLE_SEPARATORS = re.compile(r"[：:，,；;（）()\s—―-]+")
_QUOTED = re.compile(r"《([^《》]{2,80})》")
_NOT_WORD = re.compile(r"[^\w]+")
# An abbreviated title keeps at least three characters ("林采法" for 林木采伐法): two-character strings that
# share a title's first and last character are ordinary words ("数法" is no name of anything).
MIN_ABBREVIATION_CHARS = 3
# Bracketed tails of a title (issue numbers "（云政发〔2030〕9号）", "（试行）") are never said in a question.
_BRACKETED = re.compile(r"[（(〔\[【][^（(〔\[【）)〕\]】]*[）)〕\]】]")
# Leading names of a title's issuer or scope ("中华人民共和国", "云南省"): jieba tags for places and organisations.
# Leading Latin product names ("Debian 新维护者手册") are dropped the same way.
_SCOPE_TAGS = ("ns", "nt", "eng")
# Inside a name said aloud only pronouns and 的 are dropped: without punctuation (x) the words of two clauses
# would join into strings no one said.
_NAME_FILLER_TAGS = ("r", "uj")


def authors_line(paper: Paper) -> str:
    return "、".join(paper.get("authors") or [])


def venue_line(paper: Paper) -> str:
    return " ".join(str(x) for x in (paper.get("venue"), paper.get("year")) if x)


def byline(paper: Paper) -> str:
    """Authors · venue year, as far as the manifest knows them ("" when it knows neither)."""
    return " · ".join(x for x in (authors_line(paper), venue_line(paper)) if x)


def label(source: str, paper: Paper) -> str:
    """《title》（authors）: how a paper is offered in a filter list."""
    authors = authors_line(paper)
    return f"《{paper.get('title') or source}》" + (f"（{authors}）" if authors else "")


def names(paper: Paper) -> list[str]:
    """Strings that, found in a question, mean the question is about this paper (authors, aliases)."""
    return [n for n in (*(paper.get("authors") or []), *(paper.get("aliases") or [])) if len(n) >= MIN_NAME_CHARS]


def _plain(text: str) -> str:
    """Letters and digits only: "意义、挑战与战略" and "意义,挑战与战略" are the same title."""
    return _NOT_WORD.sub("", text).lower()


_INNER_TITLE = str.maketrans("《》", "〈〉")


def shown_title(title: str) -> str:
    """A title as it stands inside 《》 on screen: titles it quotes take 〈〉 (《关于印发〈某办法〉的通知》), the
    Chinese rule for a title within a title."""
    return title.translate(_INNER_TITLE)


def title_parts(title: str) -> list[str]:
    """A title and its parts ("主标题：副标题" -> both, and the whole)."""
    return [title, *(part for part in _TITLE_SEPARATORS.split(title) if part)]


def plain_texts(texts: dict[str, str]) -> dict[str, str]:
    """Each document's text as ``short_titles`` compares it (letters and digits only)."""
    return {source: _plain(text) for source, text in texts.items()}


def short_titles(source: str, papers: dict[str, Paper], texts: dict[str, str] | None = None) -> list[str]:
    """The whole title and each part of it that is long enough and found in no other paper's title and no other
    document's text (``texts``: source -> ``plain_texts`` of the documents), as plain text."""
    title = papers[source].get("title") or ""
    others = [_plain(p.get("title") or "") for s, p in papers.items() if s != source]
    others += [text for s, text in (texts or {}).items() if s != source]
    parts = [_plain(part) for part in title_parts(title)[1:]]
    unique = [p for p in parts if len(p) >= MIN_SHORT_TITLE_CHARS and not any(p in other for other in others)]
    whole = _plain(title)
    return list(dict.fromkeys([whole, *unique] if len(whole) >= MIN_SHORT_TITLE_CHARS else unique))


def _dice(a: set[str], b: set[str]) -> float:
    return 2 * len(a & b) / max(1, len(a) + len(b))


def titled(question: str, papers: dict[str, Paper], texts: dict[str, str] | None = None) -> list[str]:
    """Papers the question names by title: the whole title or a distinctive part of it in the question, or a
    《…》 mark around (nearly) the title."""
    plain = _plain(question)
    quoted = [char_bigrams(q) for q in _QUOTED.findall(question)]
    found = []
    for source, paper in papers.items():
        title_bigrams = char_bigrams(paper.get("title") or "")
        if any(t in plain for t in short_titles(source, papers, texts)) or any(
            _dice(q, title_bigrams) >= QUOTED_TITLE_DICE for q in quoted
        ):
            found.append(source)
    return found


def title_forms(title: str) -> list[str]:
    """The ways a title is said in full: as written, without bracketed tails, and without its leading issuer or
    place ("中华人民共和国林木采伐法" → "林木采伐法"), each at least four characters long."""
    from core.tokenize import pos_tags

    plain = title
    while (shorter := _BRACKETED.sub("", plain)) != plain:  # nested brackets go from the inside out
        plain = shorter
    plain = " ".join(plain.split())
    forms = [title.strip(), plain]
    words = pos_tags(plain)
    lead = 0
    while lead < len(words) - 1 and words[lead][1] in _SCOPE_TAGS:
        lead += 1
    forms.append("".join(w for w, _ in words[lead:]).strip())
    return [f for f in dict.fromkeys(forms) if len(f) >= 4]


def is_subsequence(short: str, long: str) -> bool:
    """``short``'s characters appear in ``long`` in order (林采法 in 林木采伐法): how a Chinese title is abbreviated."""
    chars = iter(long)
    return all(c in chars for c in short)


def without_fillers(question: str) -> str:
    """The question without pronouns and 的 between its words: "河口那个课题" says the alias "河口课题" with a
    demonstrative inside it, "某某的报告" the alias "某某报告"."""
    from core.tokenize import pos_tags

    return "".join(w for w, tag in pos_tags(question) if tag not in _NAME_FILLER_TAGS)


_HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")
# The parts of a unit ("某某大学经济学院；某某研究院", "某某公司（某省 某市 044502）"): an address or postal code in
# brackets is no part of its name.
_UNIT_SEPARATORS = re.compile(r"[；;，,、/]+")
# A unit is named by a stretch of at least this many Han characters ("某某大学", "某某高新区"): two characters
# ("大学", "中心") are kinds of units, not names.
MIN_UNIT_CHARS = 4


def han_run_ends(name: str) -> frozenset[int]:
    """Where a stretch of a title's Han characters ends: a Chinese title is named by a stretch ending on its head
    noun (…法, …办法, …条例, …研究), so "某某安全法" names 中华人民共和国某某安全法 while "个人信息", a phrase inside
    个人信息保护法, does not."""
    return frozenset(m.end() - 1 for m in _HAN_RUN.finditer(name))


@lru_cache(maxsize=1024)
def word_ends(name: str) -> frozenset[int]:
    """Where a word of a unit's name ends (jieba): "某某高新区" names 某某高新区管委会, "某某高新" does not."""
    from core.tokenize import pos_tags

    ends, position = set(), 0
    for word, _ in pos_tags(name):
        position += len(word)
        ends.add(position - 1)
    return frozenset(ends)


def abbreviates(stretch: str, name: str, ends: frozenset[int]) -> bool:
    """``stretch`` says ``name`` shortened: its characters appear in the name in order and its last one is at
    one of ``ends`` (``han_run_ends`` for a title, ``word_ends`` for a unit): "林采法" and "某某采伐法" for
    某某林木采伐法, "中科院" for 中国科学院."""
    return any(name[end] == stretch[-1] and is_subsequence(stretch[:-1], name[:end]) for end in ends)


def named_by_stretch(
    question: str,
    names: dict[str, list[tuple[str, frozenset[int]]]],
    min_chars: int,
    is_name: Callable[[str, str], bool],
) -> dict[str, str]:
    """source → the stretch of the question that names it: the one matcher of titles and units said in full or
    shortened. From each position of each Han run of the question the longest stretch (at least ``min_chars``)
    that ``abbreviates`` a name (with its ends) of exactly one source and that ``is_name(stretch, source)`` accepts
    (rare outside that document: the documents' common subject names none of them); the scan goes on after it. A
    stretch fitting several sources' names ("某省…办法" of two provincial rules), or written in another source's
    name, names their common subject."""
    named: dict[str, str] = {}
    # no stretch longer than the longest name abbreviates one: a long question costs linear time, not quadratic
    longest = max((len(n) for forms in names.values() for n, _ in forms), default=0)
    for run in _HAN_RUN.findall(question):
        start = 0
        while start + min_chars <= len(run):
            found = None
            for end in range(min(len(run), start + longest), start + min_chars - 1, -1):  # the longest that names one
                window = run[start:end]
                fits = [s for s, forms in names.items() if any(abbreviates(window, n, e) for n, e in forms)]
                # a stretch written in another source's name is their shared words, whatever the ends there
                shared = len(fits) == 1 and any(window in n for s, f in names.items() if s != fits[0] for n, _ in f)
                if len(fits) == 1 and not shared and is_name(window, fits[0]):
                    found = (fits[0], window, end)
                    break
            if found is None:
                start += 1
                continue
            source, window, end = found
            named.setdefault(source, window)
            start = end
    return named


def title_names(papers: dict[str, Paper]) -> dict[str, list[tuple[str, frozenset[int]]]]:
    """Each document's title with the ends a stretch naming it may stop at (``named_by_stretch``)."""
    titles = {source: str(paper.get("title") or "") for source, paper in papers.items()}
    return {source: [(title, han_run_ends(title))] for source, title in titles.items() if title}


def unit_parts(unit: str) -> list[str]:
    """The names in an affiliation: its parts without bracketed addresses and postal codes."""
    plain = unit
    while (shorter := _BRACKETED.sub("", plain)) != plain:
        plain = shorter
    return [p.strip() for p in _UNIT_SEPARATORS.split(plain) if len(p.strip()) >= MIN_UNIT_CHARS]


def said_in_full(question: str, paper: Paper) -> bool:
    """The question says the paper's title in one of its full forms (``title_forms``), or one of its names."""
    title = paper.get("title") or ""
    return any(f in question for f in title_forms(title)) or any(n in question for n in names(paper))


def papers_named(
    question: str,
    papers: dict[str, Paper],
    texts: dict[str, str] | None = None,
    mentions: Callable[[str], bool] | None = None,
    units: dict[str, list[str]] | None = None,
) -> dict[str, str]:
    """Papers the question names by author, alias or title, each with its names and title. A title counts in full,
    as a distinctive part (``texts``: ``plain_texts`` of the documents), in 《…》 marks, without its issuer or
    bracketed tail, or shortened (``named_by_stretch``; a stretch the documents use themselves, ``mentions``, is an
    ordinary phrase of theirs). Else a paper is named by its authors' unit (``units``: source → unit names, the
    manifest's affiliation and the document's labelled "作者单位" lines; "某某高新区那篇…"), said in full or
    shortened and found in no other document's text."""
    by_title = set(titled(question, papers, texts))
    spoken = without_fillers(question)
    named: dict[str, str] = {}

    def described(source: str) -> str:
        paper = papers[source]
        return " ".join([*names(paper), paper.get("title") or ""])

    for source, paper in papers.items():
        if source in by_title or said_in_full(question, paper) or any(n in spoken for n in names(paper)):
            named[source] = described(source)
    rest = {source: paper for source, paper in papers.items() if source not in named}
    is_name = lambda stretch, source: mentions is None or not mentions(stretch)  # noqa: E731
    # over every title: a stretch that also fits a title named in full names no second document
    for source in named_by_stretch(spoken, title_names(papers), MIN_ABBREVIATION_CHARS, is_name):
        named.setdefault(source, described(source))
    unit_names = {s: [(u, word_ends(u)) for u in us] for s, us in (units or {}).items() if s in rest and us}
    unit_names = {s: forms for s, forms in unit_names.items() if s not in named}
    if not unit_names:
        return named
    others = texts or {}

    def unit_named(stretch: str, source: str) -> bool:
        return not any(stretch in text for s, text in others.items() if s != source)

    for source, stretch in named_by_stretch(spoken, unit_names, MIN_UNIT_CHARS, unit_named).items():
        named[source] = f"{stretch} {described(source)}"
    return named
