"""`rongzhi ui` refuses to serve an empty assistant or a half-configured login."""

import pytest

from tests.conftest import make_settings
from ui.cli import main
from ui.serve import UIStartError, auth_pair, check_index


def test_no_index_is_a_clear_refusal_naming_the_command(fresh_data_dir, monkeypatch, capsys) -> None:
    with pytest.raises(UIStartError, match="rongzhi ingest"):
        check_index(make_settings(fresh_data_dir))
    monkeypatch.setenv("RONGZHI_DATA_DIR", str(fresh_data_dir))
    from ingest.settings import get_settings

    get_settings.cache_clear()
    try:
        assert main(["ui", "--port", "7999"]) == 1
    finally:
        get_settings.cache_clear()
    assert "rongzhi ingest" in capsys.readouterr().err


def test_login_needs_both_user_and_password(tmp_path) -> None:
    assert auth_pair(make_settings(tmp_path)) is None
    assert auth_pair(make_settings(tmp_path, ui_username="a", ui_password="b")) == ("a", "b")
    with pytest.raises(UIStartError, match="RONGZHI_UI_PASSWORD"):
        auth_pair(make_settings(tmp_path, ui_username="a"))
