"""One root for every error whose message is meant for the person using rongzhi.

The CLI prints ``str(error)`` as one line and the UI shows it; anything that is not a ``RongzhiError`` is a bug and
keeps its traceback (in the log, or on the terminal with ``-v``).
"""

from __future__ import annotations


class RongzhiError(Exception):
    """An error whose message tells the user what happened and what to do."""


class StoreUnavailableError(RongzhiError):
    """The Chroma store cannot be reached or opened."""


class DamagedStoreError(StoreUnavailableError):
    """The local Chroma database is damaged (garbled, truncated); the message names it and the way out. A kind of
    unavailable store, so every place that survives a Chroma outage (reconnect, UI status) survives this too."""


class CorruptIndexError(RongzhiError):
    """A file of the index (BM25) is damaged or was not written by rongzhi; the message names it and the repair."""


class IndexMissingError(RongzhiError):
    """No ingest has been published yet."""

    def __init__(self, message: str = "索引尚未建立，请先运行：rongzhi ingest") -> None:
        super().__init__(message)


class UnreadableFileError(RongzhiError):
    """A corpus file that cannot be turned into text; the message names the reason."""


class PathOutsideCorpusError(RongzhiError):
    """A file argument resolves outside the corpus and data directories."""


class NothingToIndexError(RongzhiError):
    """An ingest found no readable document."""


class InvalidQuestionError(RongzhiError):
    """The question cannot be asked as given; the message is Chinese."""


class GenerationError(RongzhiError):
    """The model could not produce a usable answer (unreachable, timed out, or no usable citations)."""


class UngroundedAnswerError(GenerationError):
    """The model answered, but its answer could not be tied to the passages (not an outage)."""


class DatasetError(RongzhiError):
    """An evaluation dataset line that does not follow the schema; the message names the line."""


class ConfigurationError(RongzhiError):
    """Settings that cannot work together (e.g. a username without a password)."""
