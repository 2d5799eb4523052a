"""The suites keep the evaluation honest: no word or pattern in the code may come from test-split questions.

A Chinese string in the code that decides answers (stop-words, question patterns, domain words) must be
explained by the documents or by tuning questions; one found only in test questions was copied from them.
"""

import ast
import re
from functools import lru_cache

from core.settings import PROJECT_ROOT
from evals.dataset import load_dataset
from evals.suites import SUITES
from ingest.readers import SUPPORTED_SUFFIXES, read_document

# Modules whose Chinese strings decide answers (prompts.py and the UI strings are what is shown, not logic).
LOGIC_DIRS = ("core", "ingest", "assistant")
SHOWN_ONLY = {"prompts.py"}
CJK_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")


def code_words() -> dict[str, str]:
    """Every run of two or more Chinese characters in a string literal of the answer logic, with its module."""
    words = {}
    for directory in LOGIC_DIRS:
        for path in (PROJECT_ROOT / directory).glob("*.py"):
            if path.name in SHOWN_ONLY:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    for word in CJK_RUN.findall(node.value):
                        words.setdefault(word, f"{directory}/{path.name}")
    return words


# General question vocabulary already in the code (commit 6a6099e) before the colloquial suite's test questions
# were written by someone who never saw it; they happen to use these words, the code did not copy them.
IN_CODE_BEFORE_COLLOQUIAL_TESTS = frozenset(
    ("怎么样", "文中", "马上", "哪个单位的", "发在哪个", "期刊上", "期刊", "谁写", "谁的")
)


@lru_cache(maxsize=1)
def explained_text() -> str:
    """The documents of every suite and every tuning question (with its history)."""
    parts = []
    for suite in SUITES.values():
        parts += [read_document(p) for p in suite.corpus_dir.iterdir() if p.suffix in SUPPORTED_SUFFIXES]
        for item in load_dataset(suite.dataset):
            if item.split == "tuning":
                parts += [item.question, *(t["content"] for t in item.history)]
    return "\n".join(parts)


def test_no_code_word_comes_only_from_test_questions() -> None:
    questions = [i.question for s in SUITES.values() for i in load_dataset(s.dataset) if i.split == "test"]
    explained = explained_text()
    leaked = {
        word: module
        for word, module in code_words().items()
        if word not in explained and word not in IN_CODE_BEFORE_COLLOQUIAL_TESTS and any(word in q for q in questions)
    }
    assert not leaked, f"words in code found only in test questions: {leaked}"
