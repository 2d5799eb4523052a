"""The `rongzhi` command: every package's subcommands registered; user errors are one line, -v adds the trace."""

import pytest

from rongzhi import build_parser, main


def test_every_package_registers_its_subcommands() -> None:
    commands = build_parser()._subparsers._group_actions[0].choices  # noqa: SLF001 - argparse exposes no API
    assert {"ingest", "sources", "ask", "chat", "eval", "bench", "ui"} <= set(commands)


def test_a_user_error_is_one_line_and_verbose_adds_the_traceback(fresh_data_dir, monkeypatch, capsys, caplog) -> None:
    monkeypatch.setenv("RONGZHI_STORAGE__DATA_DIR", str(fresh_data_dir))
    from core.settings import get_settings

    get_settings.cache_clear()
    try:
        assert main(["sources"]) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and err.startswith("error: ") and "rongzhi ingest" in err
        assert main(["-v", "sources"]) == 1
        assert "Traceback" in capsys.readouterr().err + caplog.text  # pytest's log capture may take the handler
    finally:
        get_settings.cache_clear()


def test_python_dash_m_runs_the_same_command() -> None:
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "rongzhi", "--help"], capture_output=True, text=True, check=True)
    assert "ingest" in out.stdout and "eval" in out.stdout


def test_bad_arguments_exit_with_usage() -> None:
    with pytest.raises(SystemExit):
        main(["ask"])
