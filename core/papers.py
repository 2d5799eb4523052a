"""How a paper is named to people and recognised in questions, from its index-state entry (manifest fields)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

Paper = dict[str, Any]

MIN_NAME_CHARS = 2  # a one-character "name" would match almost any question
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


def _is_subsequence(short: str, long: str) -> bool:
    chars = iter(long)
    return all(c in chars for c in short)


def _spoken_runs(question: str) -> list[str]:
    """Every run of consecutive words of the question with fillers dropped ("云南那个采砂办法" → "云南采砂办法")."""
    from core.tokenize import pos_tags

    words = [w for w, tag in pos_tags(question) if tag not in _FILLER_TAGS or not w.strip()]
    words = [w for w in words if w.strip()]
    return ["".join(words[i:j]) for i in range(len(words)) for j in range(i + 1, len(words) + 1)]


def _named_by_title(question: str, title: str, mentions: Callable[[str], bool] | None) -> tuple[bool, set[str]]:
    """(the question holds a full form of the title, the abbreviations of it the question holds)."""
    forms = title_forms(title) if title else []
    if any(f in question for f in forms):
        return True, set()
    found = set()
    for run in _spoken_runs(question):
        if len(run) < MIN_ABBREVIATION_CHARS:
            continue
        for form in forms:
            fits = run[0] == form[0] and run[-1] == form[-1] and len(run) < len(form) and _is_subsequence(run, form)
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
    question: str, papers: dict[str, Paper], mentions: Callable[[str], bool] | None = None
) -> dict[str, str]:
    """Papers the question names by author, alias or title (in full, short or abbreviated: ``title_named``),
    each with its names and title. An abbreviation that fits several titles names none of them."""
    named: dict[str, str] = {}
    abbreviated: dict[str, set[str]] = {}
    for source, paper in papers.items():
        paper_names = names(paper)
        title = paper.get("title") or ""
        described = " ".join([*paper_names, title])
        if any(n in question for n in paper_names):
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
