"""`anmalan run`'s care of its Celery worker: started in a process group that dies with us, started
again when it crashes, and given up only on a crash loop."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
from collections import deque

from worker.orphans import PARENT_ENV

CRASH_LIMIT = 5
CRASH_WINDOW = 60.0  # seconds


class CrashLoop:
    """Remembers recent crashes; a loop is `limit` of them within `window` seconds."""

    def __init__(self, limit: int = CRASH_LIMIT, window: float = CRASH_WINDOW) -> None:
        self.limit, self.window = limit, window
        self._times: deque[float] = deque()

    def crashed(self, at: float) -> bool:
        """Record a crash at `at` (monotonic seconds); True when that makes a loop."""
        self._times.append(at)
        while self._times and self._times[0] <= at - self.window:
            self._times.popleft()
        return len(self._times) >= self.limit


class Child:
    """The Celery worker (with its embedded beat) in a process group of its own."""

    def __init__(self, argv: list[str]) -> None:
        self.argv = argv
        self.proc: subprocess.Popen | None = None

    def start(self) -> Child:
        # Its own group, so that stopping it reaches beat and anything else it started; and told our
        # pid, so that it dies with us (worker.orphans) instead of running on beside a new `run`.
        env = {**os.environ, PARENT_ENV: str(os.getpid())}
        self.proc = subprocess.Popen(self.argv, start_new_session=True, env=env)
        return self

    def exit_status(self) -> int | None:
        """None while it runs."""
        return None if self.proc is None else self.proc.poll()

    def stop(self, grace: float = 60.0) -> None:
        """Celery's warm shutdown (finish the task at hand), then nothing of the group may be left
        behind: a new worker is only started once the old group is gone."""
        if self.proc is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=grace)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)  # e.g. beat, orphaned when the worker was killed
        self.proc.wait()
