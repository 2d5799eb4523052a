"""How a paper is named to people and recognised in questions, from its index-state entry (manifest fields)."""

from __future__ import annotations

from typing import Any

Paper = dict[str, Any]

MIN_NAME_CHARS = 2  # a one-character "name" would match almost any question


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


def papers_named(question: str, papers: dict[str, Paper]) -> dict[str, str]:
    """Papers the question names by author or alias ("姚树洁他们认为……"), each with its names and title."""
    named = {}
    for source, paper in papers.items():
        paper_names = names(paper)
        if any(n in question for n in paper_names):
            named[source] = " ".join([*paper_names, paper.get("title") or ""])
    return named
