"""No process outlives its parent: a child of `anmalan run` dies with it, even when it is SIGKILLed.

On Linux the kernel does it (prctl PR_SET_PDEATHSIG); elsewhere a thread watches the parent.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading

PARENT_ENV = "ANMALAN_SUPERVISOR_PID"  # set by `anmalan run` for its Celery child, and only for it
_PR_SET_PDEATHSIG = 1


def die_with(parent_pid: int) -> None:
    """Be killed when `parent_pid` (our parent) dies; exit at once if it already has."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
            _watch(parent_pid)
    else:
        _watch(parent_pid)
    if os.getppid() != parent_pid:  # the parent died before we asked: nobody would tell us now
        os._exit(1)


def _watch(parent_pid: int) -> None:
    def watch() -> None:
        while os.getppid() == parent_pid:
            threading.Event().wait(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def die_with_supervisor() -> None:
    """In the child `anmalan run` started: tie it to the supervisor. The variable is removed, so that a
    process this child starts anew is not tied to its grandparent by mistake."""
    pid = os.environ.pop(PARENT_ENV, None)
    if pid and pid.isdigit():
        die_with(int(pid))
