"""How a paper is named to people and recognised in questions, from its index-state entry (manifest fields)."""

from __future__ import annotations

import re
from collections.abc import Callable
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
# Words a speaker puts inside a shortened title ("云南那个采砂办法"): pronouns and structural particles.
_FILLER_TAGS = ("r", "uj", "x")
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


def _spoken_runs(question: str, shorter_than: int) -> list[str]:
    """Every run of consecutive words of the question with fillers dropped ("云南那个采砂办法" → "云南采砂办法"),
    shorter than ``shorter_than`` characters: an abbreviation is shorter than its title, and unbounded runs of a
    2,000-character question cost seconds (quadratic in its words)."""
    from core.tokenize import pos_tags

    words = [w for w, tag in pos_tags(question) if tag not in _FILLER_TAGS or not w.strip()]
    words = [w for w in words if w.strip()]
    runs = []
    for i in range(len(words)):
        run = ""
        for word in words[i:]:
            run += word
            if len(run) >= shorter_than:
                break
            runs.append(run)
    return runs


def _named_by_title(question: str, title: str, mentions: Callable[[str], bool] | None) -> tuple[bool, set[str]]:
    """(the question holds a full form of the title, the abbreviations of it the question holds)."""
    forms = title_forms(title) if title else []
    if any(f in question for f in forms):
        return True, set()
    found: set[str] = set()
    for run in _spoken_runs(question, max((len(f) for f in forms), default=0)):
        if len(run) < MIN_ABBREVIATION_CHARS:
            continue
        for form in forms:
            fits = run[0] == form[0] and run[-1] == form[-1] and len(run) < len(form) and is_subsequence(run, form)
            if fits and (mentions is None or not mentions(run)):
                found.add(run)
    return False, found


def title_named(question: str, title: str, mentions: Callable[[str], bool] | None = None) -> bool:
    """Whether the question names a document by its title, a short title ("林木采伐法") or an abbreviation
    ("林采法", "云南采砂办法": the title's first and last characters with some of those between, in order). An
    abbreviation the documents themselves use is an ordinary phrase of theirs, not a name: ``mentions`` says so."""
    full, abbreviations = _named_by_title(question, title, mentions)
    return full or bool(abbreviations)


def papers_named(
    question: str,
    papers: dict[str, Paper],
    texts: dict[str, str] | None = None,
    mentions: Callable[[str], bool] | None = None,
) -> dict[str, str]:
    """Papers the question names by author, alias or title, each with its names and title. A title counts in full,
    as a distinctive part (``texts``: ``plain_texts`` of the documents), in 《…》 marks, without its issuer or
    bracketed tail, or abbreviated (``title_named``); an abbreviation that fits several titles names none of them."""
    by_title = set(titled(question, papers, texts))
    spoken = without_fillers(question)
    named: dict[str, str] = {}
    abbreviated: dict[str, set[str]] = {}
    for source, paper in papers.items():
        paper_names = names(paper)
        title = paper.get("title") or ""
        described = " ".join([*paper_names, title])
        if source in by_title or any(n in question or n in spoken for n in paper_names):
            named[source] = described
            continue
        full, runs = _named_by_title(question, title, mentions)
        if full:
            named[source] = described
        elif runs:
            abbreviated[source] = runs
    for source, runs in abbreviated.items():
        others = set().union(*(r for s, r in abbreviated.items() if s != source))
        if runs - others:  # "创新…发展" fitting several paper titles names none of them
            paper = papers[source]
            named[source] = " ".join([*names(paper), paper.get("title") or ""])
    return named
