import pytest

from assistant.core import Assistant


@pytest.fixture(scope="session")
def assistant(indexed_settings) -> Assistant:
    return Assistant(indexed_settings)
