"""`rongzhi ui` refuses to serve an empty assistant or a half-configured login, and throttles failed logins."""

import logging
import time

import pytest

from core.errors import ConfigurationError, IndexMissingError
from rongzhi import main
from ui import strings
from ui.serve import auth_pair, create_app
from ui.throttle import LoginThrottle


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


def test_failed_logins_slow_down_then_lock_out_through_the_real_login(
    tmp_path, make_settings, small_corpus, free_port, caplog
) -> None:
    import httpx

    from ingest.pipeline import run_ingest
    from ui.serve import launch

    settings = make_settings(
        tmp_path / "data",
        storage={"corpus_dir": small_corpus(tmp_path)},
        ui={
            "port": free_port(),
            "username": "teacher",
            "password": "s3cret",
            "login_delay": 0.2,
            "login_max_delay": 0.8,
            "login_lockout_failures": 5,
            "login_lockout_seconds": 2.0,
        },
    )
    run_ingest(settings)
    app = launch(settings, block=False, warm=False)
    url = f"http://127.0.0.1:{settings.ui.port}/login"

    def attempt(password: str, user: str = "teacher") -> tuple[int, float]:
        started = time.perf_counter()
        response = httpx.post(url, data={"username": user, "password": password}, timeout=30)
        return response.status_code, time.perf_counter() - started

    try:
        with caplog.at_level(logging.INFO, logger="ui.throttle"):
            assert attempt("s3cret")[0] == 200
            delays = []
            for _ in range(5):  # 4 failures with growing delays, the 5th locks the name
                status, seconds = attempt("wrong")
                assert status == 400
                delays.append(seconds)
            locked_status, _ = attempt("s3cret")  # the right password is refused while locked
            other_user_status, other_seconds = attempt("wrong", user="someone")  # another name is not locked
            time.sleep(2.0)
            after_status, _ = attempt("s3cret")
    finally:
        app.close()
    print("login delays (s):", [round(d, 2) for d in delays], "other user:", round(other_seconds, 2))
    for seconds, expected in zip(delays, [0.2, 0.4, 0.8, 0.8, 0.8], strict=True):  # doubling, capped at max
        assert expected <= seconds < expected + 0.4  # + request overhead on a busy 2-core machine
    assert locked_status == 400 and other_user_status == 400 and other_seconds < 0.5
    assert after_status == 200  # the lockout window has passed
    assert any("locked for 2 s after 5 failed attempts" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("failures", [1, 2, 3, 4, 10])
def test_login_delay_doubles_and_is_capped(failures: int) -> None:
    throttle = LoginThrottle("u", "p", delay=0.5, max_delay=8.0, lockout_failures=5, lockout_seconds=300)
    assert throttle.delay_after(failures) == min(8.0, 0.5 * 2 ** (failures - 1))


def test_only_ask_is_public_and_takes_paper_names_and_uploads_are_limited(
    tmp_path, make_settings, small_corpus, free_port, capsys
) -> None:
    import httpx
    from gradio_client import Client

    from ingest.pipeline import run_ingest
    from ui.serve import launch

    settings = make_settings(
        tmp_path / "data", storage={"corpus_dir": small_corpus(tmp_path)}, ui={"port": free_port()}
    )
    run_ingest(settings)
    app = launch(settings, block=False, warm=False)
    url = f"http://127.0.0.1:{settings.ui.port}/"
    try:
        assert strings.STARTED.format(url=url.rstrip("/")) in capsys.readouterr().out  # `make run` shows it
        info = httpx.get(url + "gradio_api/info", timeout=30).json()
        assert set(info["named_endpoints"]) == {"/ask"} and not info["unnamed_endpoints"]
        client = Client(url, verbose=False, download_files=False)
        # a fresh client never triggered the page's load event, yet a paper name of the index is accepted
        *_, error = client.predict("揭榜挂帅机制如何激发创新活力？", ["a_paper.md"], api_name="/ask")
        assert error == ""
        for hidden in ("/lambda", "/lambda_1", "/on_load", "/on_clear", "/on_example"):
            with pytest.raises(ValueError):
                client.predict(api_name=hidden)
        client.close()
        big = {"files": ("big.txt", b"x" * (settings.ui.max_upload_kb * 1024 + 1), "text/plain")}
        assert httpx.post(url + "gradio_api/upload", files=big, timeout=30).status_code == 413
        small = {"files": ("small.txt", b"x" * 100, "text/plain")}
        assert httpx.post(url + "gradio_api/upload", files=small, timeout=30).status_code == 200
    finally:
        app.close()
