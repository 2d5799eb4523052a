"""The evaluation data itself: schema, verbatim gold quotes, key points inside the quotes, kinds, splits."""

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from evals.dataset import KINDS, SPLITS, DatasetError, load_dataset
from evals.suites import SUITES
from ingest.readers import SUPPORTED_SUFFIXES, read_document


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("name", sorted(SUITES))
def test_gold_quotes_are_verbatim_and_key_points_inside_them(name: str) -> None:
    suite = SUITES[name]
    # the text the product reads (PDF text layers break lines anywhere, so whitespace is ignored)
    texts = {p.name: squash(read_document(p)) for p in suite.corpus_dir.iterdir() if p.suffix in SUPPORTED_SUFFIXES}
    for item in load_dataset(suite.dataset):
        assert item.corpus == name and item.split in SPLITS, item.id
        assert set(item.gold_docs) <= set(texts), item.id
        assert item.answerable == bool(item.gold_quotes) == bool(item.gold_docs), item.id
        for quote in item.gold_quotes:
            assert any(squash(quote) in texts[doc] for doc in item.gold_docs), (item.id, quote)
        for point in item.key_points:
            assert any(point in quote for quote in item.gold_quotes), (item.id, point)
        if item.kind == "followup":
            assert item.history and item.history[0]["role"] == "user", item.id
        if item.kind == "compare":  # two documents, or two parts of one
            assert len(item.gold_docs) >= 2 or len(item.key_points) >= 2, item.id


def test_suites_cover_every_kind_in_both_splits_with_a_quarter_unanswerable() -> None:
    items = [item for suite in SUITES.values() for item in load_dataset(suite.dataset)]
    assert len(items) >= 200
    assert sum(not i.answerable for i in items) / len(items) >= 0.25
    assert len({i.id for i in items}) == len(items) and len({i.question for i in items}) == len(items)
    for suite in SUITES.values():
        for split in SPLITS:
            kinds = Counter(i.kind for i in load_dataset(suite.dataset) if i.split == split)
            assert set(kinds) == set(KINDS), (suite.name, split, kinds)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("not json", "invalid JSON"),
        ('{"id": "x", "question": "q", "kind": "poem", "answerable": true}', "kind must be"),
        ('{"id": "x", "question": "q", "kind": "fact"}', "answerable"),
        ('{"id": "x", "question": "q", "kind": "fact", "answerable": true, "gold_quotes": [1]}', "gold_quotes"),
        ('{"id": "x", "question": "q", "kind": "fact", "answerable": true, "split": "dev"}', "split must be"),
    ],
)
def test_malformed_lines_are_reported_with_their_line_number(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "bad.jsonl"
    good = json.dumps({"id": "ok", "question": "问", "kind": "fact", "answerable": False}, ensure_ascii=False)
    path.write_text(good + "\n" + line + "\n", encoding="utf-8")
    with pytest.raises(DatasetError, match=f"line 2: .*{message}"):
        load_dataset(path)
