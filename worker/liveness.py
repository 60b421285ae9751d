"""Who a process is (host, pid, start time) and whether a process named so still runs on this host.

A lease names its claimant so that a sweeper on the same host can see that the claimant is gone (its
worker was killed) and end the lease at once, instead of waiting for it to run out.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterable
from pathlib import Path


def _start_ticks(pid: int) -> str | None:
    """The process's start time in clock ticks since boot (Linux), so a reused pid is not mistaken
    for the process that held the lease; None when there is no such process."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return None
    except OSError:
        return "0"
    return stat.rsplit(")", 1)[1].split()[19]  # field 22; the name in parentheses may hold spaces


def _host() -> str:
    return socket.gethostname()[:40]


def me() -> str:
    """This process as a lease's claimant."""
    pid = os.getpid()
    return f"{_host()}:{pid}:{_start_ticks(pid) or 0}"


def gone(claimants: Iterable[str]) -> set[str]:
    """The claimants on this host that no longer run; those on other hosts are left to their lease."""
    dead = set()
    for claimant in claimants:
        host, _, rest = claimant.partition(":")
        pid, _, ticks = rest.partition(":")
        if host == _host() and pid.isdigit() and _start_ticks(int(pid)) != ticks:
            dead.add(claimant)
    return dead
