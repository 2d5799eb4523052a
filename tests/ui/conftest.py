"""The app served for real on a free loopback port, shared by the browser and load tests."""

from __future__ import annotations

import socket

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="package")
def app_url(indexed_settings, tmp_path_factory):
    """(url, settings) of a running app; feedback goes to a temporary data dir copy of the settings."""
    from ui.serve import launch

    settings = indexed_settings.model_copy(update={"port": free_port(), "ui_concurrency": 4})
    app = launch(settings, block=False, warm=False)
    yield f"http://127.0.0.1:{settings.port}/", settings
    app.close()
