"""The evaluation data itself: schema, verbatim gold quotes, key points inside the quotes, coverage of kinds."""

import json
from collections import Counter
from pathlib import Path

import pytest

from core.settings import PROJECT_ROOT
from evals.dataset import DEFAULT_DATASET, KINDS, TUNING_DATASET, DatasetError, load_dataset

CORPUS = PROJECT_ROOT / "corpus"


@pytest.mark.parametrize("path", [DEFAULT_DATASET, TUNING_DATASET], ids=["dataset", "tuning"])
def test_gold_quotes_are_verbatim_and_key_points_inside_them(path: Path) -> None:
    texts = {p.name: p.read_text(encoding="utf-8") for p in CORPUS.glob("*.txt")}
    for item in load_dataset(path):
        assert set(item.gold_docs) <= set(texts), item.id
        assert item.answerable == bool(item.gold_quotes) == bool(item.gold_docs), item.id
        for quote in item.gold_quotes:
            assert any(quote in texts[doc] for doc in item.gold_docs), (item.id, quote)
        for point in item.key_points:
            assert any(point in quote for quote in item.gold_quotes), (item.id, point)
        if item.kind == "followup":
            assert item.history and item.history[0]["role"] == "user", item.id
        if item.kind == "compare":
            assert len(item.gold_docs) >= 2, item.id


def test_dataset_covers_every_kind_in_the_required_numbers() -> None:
    items = load_dataset(DEFAULT_DATASET)
    kinds = Counter(item.kind for item in items)
    assert len(items) >= 60
    assert set(kinds) == set(KINDS)
    assert kinds["unanswerable"] >= 10 and kinds["followup"] >= 6
    assert {i.id for i in items}.isdisjoint({i.id for i in load_dataset(TUNING_DATASET)})
    assert {i.question for i in items}.isdisjoint({i.question for i in load_dataset(TUNING_DATASET)})


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("not json", "invalid JSON"),
        ('{"id": "x", "question": "q", "kind": "poem", "answerable": true}', "kind must be"),
        ('{"id": "x", "question": "q", "kind": "fact"}', "answerable"),
        ('{"id": "x", "question": "q", "kind": "fact", "answerable": true, "gold_quotes": [1]}', "gold_quotes"),
    ],
)
def test_malformed_lines_are_reported_with_their_line_number(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "bad.jsonl"
    good = json.dumps({"id": "ok", "question": "问", "kind": "fact", "answerable": False}, ensure_ascii=False)
    path.write_text(good + "\n" + line + "\n", encoding="utf-8")
    with pytest.raises(DatasetError, match=f"line 2: .*{message}"):
        load_dataset(path)
