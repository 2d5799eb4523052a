"""Bibliographic metadata for each paper, from corpus/manifest.json or, failing that, the text itself."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

logger = logging.getLogger(__name__)

MANIFEST_NAME = "manifest.json"


@dataclass(frozen=True)
class PaperMeta:
    source: str
    title: str
    authors: list[str] = field(default_factory=list)
    affiliation: str | None = None
    venue: str | None = None
    year: int | None = None
    doi: str | None = None
    citation: str | None = None
    aliases: list[str] = field(default_factory=list)  # how people refer to the paper ("中科院那篇")


def load_manifest(directory: Path) -> dict[str, dict]:
    path = directory / MANIFEST_NAME
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        logger.warning("ignoring unreadable manifest %s: %s", path, exc)
        return {}
    return data if isinstance(data, dict) else {}


def paper_meta(source: str, entries: dict[str, dict], fallback_title: str) -> PaperMeta:
    """The manifest entry for ``source``; a file without one is titled by its first heading or its name."""
    entry = entries.get(source) or {}
    title = entry.get("title") or fallback_title or Path(source).stem
    known = {k: entry.get(k) for k in ("affiliation", "venue", "year", "doi", "citation")}
    return PaperMeta(
        source=source,
        title=title,
        authors=list(entry.get("authors") or []),
        aliases=list(entry.get("aliases") or []),
        **known,
    )
