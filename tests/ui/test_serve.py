"""`rongzhi ui` refuses to serve an empty assistant or a half-configured login."""

import pytest

from core.errors import ConfigurationError, IndexMissingError
from rongzhi import main
from ui.serve import auth_pair, create_app


def test_no_index_is_a_clear_refusal_naming_the_command(fresh_data_dir, make_settings, monkeypatch, capsys) -> None:
    with pytest.raises(IndexMissingError, match="rongzhi ingest"):
        create_app(make_settings(fresh_data_dir), warm=False)
    monkeypatch.setenv("RONGZHI_STORAGE__DATA_DIR", str(fresh_data_dir))
    from core.settings import get_settings

    get_settings.cache_clear()
    try:
        assert main(["ui", "--port", "7999"]) == 1
    finally:
        get_settings.cache_clear()
    assert "rongzhi ingest" in capsys.readouterr().err


def test_login_needs_both_user_and_password(tmp_path, make_settings) -> None:
    assert auth_pair(make_settings(tmp_path)) is None
    assert auth_pair(make_settings(tmp_path, ui={"username": "a", "password": "b"})) == ("a", "b")
    with pytest.raises(ConfigurationError, match="RONGZHI_UI__PASSWORD"):
        auth_pair(make_settings(tmp_path, ui={"username": "a"}))
