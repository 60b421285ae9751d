"""Fault-suite fixtures: a private broker each test may restart, a fresh PostgreSQL database each."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.faults.harness import Deployment
from tests.servers import RedisServer

_numbers = itertools.count(1)


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[RedisServer]:
    """A Redis of this test's own: restarting it must not disturb any other test."""
    with RedisServer(tmp_path / "redis") as server:
        yield server


@pytest.fixture
def database_url(postgres) -> str:
    """An empty database of this test's own in the session's PostgreSQL server."""
    import psycopg

    name = f"fault_{next(_numbers)}"
    with psycopg.connect(
        host=postgres.host, port=postgres.port, user="anmalan", dbname="postgres", autocommit=True
    ) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")
    return f"postgresql://anmalan@{postgres.host}:{postgres.port}/{name}"


@pytest.fixture
def deployment(tmp_path: Path, imap, smtp, broker, database_url) -> Iterator[Deployment]:
    """watch, two workers and beat on Redis + PostgreSQL, ready; stopped (and logs kept) after."""
    stack = Deployment(tmp_path, imap, smtp, broker, database_url=database_url)
    stack.start("watch", "worker-1", "worker-2", "beat").wait_ready()
    try:
        yield stack
    finally:
        stack.stop()
