"""The evaluation suites: each is a corpus and the dataset written about it, indexed into its own data dir.

`papers` is the demo corpus (corpus/); `official` is a test corpus of real laws, notices and manuals that nobody
in this project wrote (evals/corpora/official/SOURCES.md says where each file comes from); `colloquial` is eight
invented documents with questions asked as officials talk in chat, written by people who never saw the code.
Every item carries a split: `tuning` (looked at while changing code) or `test` (frozen; reported, never read while
tuning).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from core.settings import PROJECT_ROOT, Settings

EVALS_DIR = Path(__file__).resolve().parent
DATASETS_DIR = EVALS_DIR / "datasets"


@dataclass(frozen=True)
class Suite:
    name: str
    corpus_dir: Path
    dataset: Path

    def settings(self, base: Settings) -> Settings:
        """``base`` pointed at this suite's corpus. The demo corpus shares the product's data dir (the index
        `make run` built serves it); any other corpus gets its own under ``<data_dir>/eval/<name>``."""
        if self.corpus_dir.resolve() == base.storage.corpus_dir.resolve():
            return base
        data_dir = base.storage.data_dir / "eval" / self.name
        return base.updated(storage={"corpus_dir": self.corpus_dir, "data_dir": data_dir, "chroma_host": None})


SUITES = {
    "papers": Suite("papers", PROJECT_ROOT / "corpus", DATASETS_DIR / "papers.jsonl"),
    "official": Suite("official", EVALS_DIR / "corpora" / "official", DATASETS_DIR / "official.jsonl"),
    "colloquial": Suite("colloquial", EVALS_DIR / "corpora" / "colloquial", DATASETS_DIR / "colloquial.jsonl"),
}
