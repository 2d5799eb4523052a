"""Load and validate an evaluation dataset in the EVAL_SCHEMA.md format (JSONL, UTF-8, one item per line)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from core.errors import DatasetError

KINDS = ("fact", "list", "why", "compare", "unanswerable", "followup")
SPLITS = ("tuning", "test")
DEFAULT_DATASET = Path(__file__).resolve().parent / "datasets" / "papers.jsonl"


@dataclass(frozen=True)
class EvalItem:
    id: str
    question: str
    kind: str
    answerable: bool
    gold_docs: list[str] = field(default_factory=list)
    gold_quotes: list[str] = field(default_factory=list)
    key_points: list[str] = field(default_factory=list)
    reference_answer: str = ""
    history: list[dict] = field(default_factory=list)
    split: str = ""  # tuning | test | "" (a user's dataset without splits)
    corpus: str = ""


def _check(condition: bool, line: int, message: str) -> None:
    if not condition:
        raise DatasetError(f"line {line}: {message}")


def parse_item(data: object, line: int) -> EvalItem:
    _check(isinstance(data, dict), line, "not a JSON object")
    assert isinstance(data, dict)
    for key in ("id", "question", "kind"):
        _check(isinstance(data.get(key), str) and data[key].strip() != "", line, f"'{key}' must be a non-empty string")
    _check(data["kind"] in KINDS, line, f"kind must be one of {', '.join(KINDS)}")
    _check(isinstance(data.get("answerable"), bool), line, "'answerable' must be true or false")
    for key in ("gold_docs", "gold_quotes", "key_points"):
        value = data.get(key, [])
        _check(isinstance(value, list) and all(isinstance(v, str) for v in value), line, f"'{key}' must be strings")
    history = data.get("history") or []
    _check(
        isinstance(history, list) and all(isinstance(t, dict) and {"role", "content"} <= set(t) for t in history),
        line,
        "'history' must be a list of {role, content}",
    )
    split = data.get("split") or ""
    _check(split in ("", *SPLITS), line, f"split must be one of {', '.join(SPLITS)}")
    return EvalItem(
        id=data["id"],
        question=data["question"],
        kind=data["kind"],
        answerable=data["answerable"],
        gold_docs=list(data.get("gold_docs", [])),
        gold_quotes=list(data.get("gold_quotes", [])),
        key_points=list(data.get("key_points", [])),
        reference_answer=str(data.get("reference_answer", "")),
        history=list(history),
        split=split,
        corpus=str(data.get("corpus") or ""),
    )


def load_dataset(path: Path) -> list[EvalItem]:
    items: list[EvalItem] = []
    seen: set[str] = set()
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except UnicodeDecodeError as exc:
        raise DatasetError(f"{path} is not UTF-8: {exc}") from exc
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise DatasetError(f"line {number}: invalid JSON ({exc.msg})") from exc
        item = parse_item(data, number)
        _check(item.id not in seen, number, f"duplicate id {item.id}")
        seen.add(item.id)
        items.append(item)
    if not items:
        raise DatasetError(f"{path} holds no items")
    return items
