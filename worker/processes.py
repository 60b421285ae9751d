"""How the CLI starts Celery's processes: their command line, quiet on the console, and our word on root."""

from __future__ import annotations

import os
import sys

from worker.settings import Settings

ROOT_NOTICE = (
    "anmalan: körs som root; kör hellre som en vanlig användare / running as root: better as an ordinary user"
)


def celery_argv(kind: str, settings: Settings, *extra: str) -> list[str]:
    """`celery worker` or `celery beat` for our app; --quiet: no banner, the product's own lines only."""
    argv = [sys.executable, "-m", "celery", "--quiet", "-A", "worker.celery_app:app", kind]
    argv += ["--loglevel", settings.log_level]
    if kind == "worker":
        # One node per host in our deployments: skip the start-up handshake with other workers.
        argv += ["--without-mingle", "--without-gossip"]
    if kind == "worker" and settings.broker().startswith("sqla+"):
        # The serverless broker and SQLite want one process; production scales with Redis instead.
        argv += ["--pool", "solo"]
    return argv + list(extra)


def root_notice() -> str | None:
    """One line of our own instead of Celery's page-long SecurityWarning (silenced in worker.celery_app)."""
    return ROOT_NOTICE if os.geteuid() == 0 else None
