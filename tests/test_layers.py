"""The import graph carries the data flow: core ← ingest ← assistant ← {ui, evals} ← rongzhi.py."""

import ast
from pathlib import Path

import pytest

from core.settings import PROJECT_ROOT

LAYER = {"core": 0, "ingest": 1, "assistant": 2, "ui": 3, "evals": 3}


def imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names & (set(LAYER) | {"rongzhi"})


@pytest.mark.parametrize("package", sorted(LAYER))
def test_no_module_imports_a_layer_above_or_beside_it(package: str) -> None:
    for path in (PROJECT_ROOT / package).glob("*.py"):
        for other in imported_packages(path):
            allowed = other == package or (other != "rongzhi" and LAYER[other] < LAYER[package])
            assert allowed, f"{path.relative_to(PROJECT_ROOT)} imports {other}"
