"""Settings: nested groups from RONGZHI_<GROUP>__<FIELD>, bounds enforced, copies with some fields replaced."""

from pathlib import Path

import pytest
from pydantic import ValidationError

from core.settings import BACKENDS, Settings


def test_nested_environment_variables_reach_their_group(monkeypatch) -> None:
    monkeypatch.setenv("RONGZHI_STORAGE__DATA_DIR", "/srv/rz")
    monkeypatch.setenv("RONGZHI_RETRIEVAL__TOP_K", "9")
    settings = Settings(_env_file=None)
    assert settings.storage.data_dir == Path("/srv/rz") and settings.retrieval.top_k == 9
    assert settings.storage.feedback_path == Path("/srv/rz/feedback.jsonl")


@pytest.mark.parametrize(("group", "field", "value"), [("retrieval", "top_k", 0), ("gate", "min_term_coverage", 1.5)])
def test_out_of_bounds_values_are_rejected(group: str, field: str, value: float) -> None:
    with pytest.raises(ValidationError):
        Settings(_env_file=None, **{group: {field: value}})


def test_updated_replaces_only_the_named_fields() -> None:
    base = Settings(_env_file=None)
    changed = base.updated(ui={"port": 8123}, answer={"backend": "openai"})
    assert changed.ui.port == 8123 and changed.ui.host == base.ui.host and changed.answer.backend == "openai"
    assert base.ui.port == 7860  # the original is untouched


def test_backends_are_the_settings_choices() -> None:
    assert BACKENDS == ("extractive", "openai", "llamacpp")
