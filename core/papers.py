"""How a paper is named to people and recognised in questions, from its index-state entry (manifest fields)."""

from __future__ import annotations

import re
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


def papers_named(question: str, papers: dict[str, Paper], texts: dict[str, str] | None = None) -> dict[str, str]:
    """Papers the question names by author, alias ("姚树洁他们认为……") or title ("《…》的作者是谁？"), each with
    its names and title; ``texts`` (``plain_texts`` of the documents) lets a distinctive part of a title count."""
    by_title = set(titled(question, papers, texts))
    named = {}
    for source, paper in papers.items():
        paper_names = names(paper)
        if source in by_title or any(n in question for n in paper_names):
            named[source] = " ".join([*paper_names, paper.get("title") or ""])
    return named
