"""Login throttling for the web app's password: a delay that doubles with each consecutive failure for a user
name, and a lockout window after too many, so a classroom server on 0.0.0.0 cannot be guessed at 300 tries a
second. Gradio hands its auth callable only (username, password), so failures are counted per user name."""

from __future__ import annotations

import asyncio
import hmac
import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

logger = logging.getLogger(__name__)

_MAX_TRACKED = 10_000  # user names remembered at once: spraying random names cannot grow memory without bound
_MAX_NAME = 64  # characters of a user name kept as its key (and logged)


@dataclass
class _Failures:
    count: int = 0
    locked_until: float = 0.0


class LoginThrottle:
    """Gradio's ``auth`` is ``check`` (an async function: the delay is awaited, so other visitors are never held up).

    Never the instance itself: Gradio tests ``inspect.iscoroutinefunction(auth)``, which is False for an object
    with an async ``__call__``, and would then take the un-awaited coroutine (truthy) as a successful login.
    """

    def __init__(
        self,
        username: str,
        password: str,
        delay: float,
        max_delay: float,
        lockout_failures: int,
        lockout_seconds: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._username = username.encode()
        self._password = password.encode()
        self.delay = delay
        self.max_delay = max_delay
        self.lockout_failures = lockout_failures
        self.lockout_seconds = lockout_seconds
        self._clock = clock
        self._failures: OrderedDict[str, _Failures] = OrderedDict()

    def delay_after(self, failures: int) -> float:
        """Seconds a failed attempt waits when it is the ``failures``-th in a row."""
        return min(self.max_delay, self.delay * 2 ** (failures - 1)) if failures > 0 else 0.0

    async def check(self, username: str, password: str) -> bool:
        key = username[:_MAX_NAME]
        now = self._clock()
        record = self._failures.get(key)
        if record is not None and record.locked_until > now:
            logger.warning("login refused for %r: locked for %.0f s more", key, record.locked_until - now)
            await asyncio.sleep(self.max_delay)
            return False
        if record is not None and record.locked_until:  # the lockout is over: a new series of attempts
            record.count, record.locked_until = 0, 0.0
        # both compared, constant time: neither the name nor the timing says which one was wrong
        name_ok = hmac.compare_digest(username.encode(), self._username)
        password_ok = hmac.compare_digest(password.encode(), self._password)
        if name_ok and password_ok:
            self._failures.pop(key, None)
            return True
        record = self._remember(key)
        record.count += 1
        if record.count >= self.lockout_failures:
            record.locked_until = now + self.lockout_seconds
            logger.warning(
                "login for %r locked for %.0f s after %d failed attempts", key, self.lockout_seconds, record.count
            )
        else:
            logger.info("failed login %d for %r", record.count, key)
        await asyncio.sleep(self.delay_after(record.count))
        return False

    def _remember(self, key: str) -> _Failures:
        record = self._failures.pop(key, None) or _Failures()
        self._failures[key] = record  # most recent last
        while len(self._failures) > _MAX_TRACKED:
            self._failures.popitem(last=False)
        return record
