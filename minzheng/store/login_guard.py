"""Limits on password guessing: per client and for the whole server, kept in the process.

A failed login slows down and then locks the *client* (its network address) that made it, never
the account name: a stranger who types the admin's name with wrong passwords locks only
themselves, and the admin still logs in from their own machine. Every client's failures also
count towards a server-wide limit, which slows down guessing spread over many addresses.

The counts live in the dashboard process (lost on a restart, which also lifts every lock);
`python -m minzheng user unlock` lifts them through the control channel while it runs.
"""

from __future__ import annotations

import collections
import math
import threading
import time
from dataclasses import dataclass

FREE_FAILURES = 2  # failures before the back-off starts (typos happen)
MAX_DELAY = 60.0  # seconds, the longest back-off before the lock
GLOBAL_PER_MINUTE = 60  # failures per minute from all clients together
_MAX_CLIENTS = 10_000  # forget quiet clients beyond this many (memory stays bounded)


@dataclass
class _Client:
    failures: int = 0
    last_failure: float = 0.0
    not_before: float = 0.0  # monotonic time before which a new attempt is refused
    locked: bool = False


class Refused(Exception):
    """An attempt refused before any password was checked; `wait` seconds until the next one."""

    def __init__(self, wait: float, locked: bool, server_wide: bool = False):
        super().__init__(wait)
        self.wait, self.locked, self.server_wide = wait, locked, server_wide

    def message(self) -> str:
        """The refusal in Chinese."""
        if self.server_wide:
            return f"登录失败次数过多，系统已暂停登录，请{_seconds(self.wait)}后再试。"
        if self.locked:
            return (
                f"这台电脑连续登录失败次数过多，已暂停登录{_seconds(self.wait)}。"
                "如需立即解除，请联系管理员在服务器上运行 python -m minzheng user unlock。"
            )
        return f"登录尝试过于频繁，请{_seconds(self.wait)}后再试。"


def _seconds(wait: float) -> str:
    if wait >= 90:
        return f" {math.ceil(wait / 60)} 分钟"
    return f" {max(1, math.ceil(wait))} 秒"


class Guard:
    """Failed-login bookkeeping for one process (thread-safe)."""

    def __init__(self, clock=time.monotonic):
        self._clock = clock
        self._lock = threading.Lock()
        self._clients: dict[str, _Client] = {}
        self._recent: collections.deque[float] = collections.deque()

    def check(self, client: str) -> None:
        """Raise Refused when `client` may not try a password now."""
        now = self._clock()
        with self._lock:
            self._forget_old(now)
            if len(self._recent) >= GLOBAL_PER_MINUTE:
                raise Refused(self._recent[0] + 60 - now, locked=False, server_wide=True)
            state = self._clients.get(client)
            if state and state.not_before > now:
                raise Refused(state.not_before - now, state.locked)

    def failed(self, client: str, max_failures: int, lockout_minutes: int) -> int:
        """Count a failure of `client`; returns its failures in a row (it is locked at the max)."""
        now = self._clock()
        with self._lock:
            self._recent.append(now)
            state = self._clients.get(client)
            if state is None or now - state.last_failure > lockout_minutes * 60:
                state = self._clients[client] = _Client()
            state.failures += 1
            state.last_failure = now
            if state.failures >= max_failures:
                state.locked, state.not_before = True, now + lockout_minutes * 60
            elif state.failures > FREE_FAILURES:
                delay = min(2.0 ** (state.failures - FREE_FAILURES - 1), MAX_DELAY)
                state.not_before = now + delay
            if len(self._clients) > _MAX_CLIENTS:
                self._prune(now, lockout_minutes * 60)
            return state.failures

    def succeeded(self, client: str) -> None:
        """A correct password from `client`: its count starts afresh."""
        with self._lock:
            self._clients.pop(client, None)

    def unlock(self, client: str | None = None) -> int:
        """Lift the limits of one client, or of all (client None); how many clients had any."""
        with self._lock:
            if client is None:
                count = len(self._clients)
                self._clients.clear()
                self._recent.clear()
                return count
            return 1 if self._clients.pop(client, None) else 0

    def locked_clients(self) -> list[str]:
        """The clients locked now."""
        now = self._clock()
        with self._lock:
            return sorted(c for c, s in self._clients.items() if s.locked and s.not_before > now)

    def _forget_old(self, now: float) -> None:
        while self._recent and now - self._recent[0] >= 60:
            self._recent.popleft()

    def _prune(self, now: float, keep: float) -> None:
        for client in [c for c, s in self._clients.items() if now - s.last_failure > keep]:
            del self._clients[client]


GUARD = Guard()  # the dashboard process's bookkeeping
