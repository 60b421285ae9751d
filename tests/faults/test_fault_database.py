"""Faults of PostgreSQL: idle connections held by others, and every connection taken for a while."""

from __future__ import annotations

import contextlib
import time

import psycopg
import pytest

from tests.faults.harness import Answers, arrive, crowd, settle, wait_until

pytestmark = pytest.mark.servers


def hold_connections(postgres, count: int | None = None) -> list[psycopg.Connection]:
    """`count` idle connections, or (None) every one the server will give, reserved ones too."""
    held: list[psycopg.Connection] = []
    while count is None or len(held) < count:
        try:
            held.append(
                psycopg.connect(host=postgres.host, port=postgres.port, user="anmalan", dbname="postgres")
            )
        except psycopg.OperationalError:
            if count is not None:
                raise
            break
    return held


def release(held: list[psycopg.Connection]) -> None:
    for connection in held:
        with contextlib.suppress(Exception):
            connection.close()


def test_a_crowded_or_full_database_is_waited_out(deployment, imap, smtp, postgres, database_url) -> None:
    # 1. Ninety idle connections held by somebody else while the sign-ups come.
    held = hold_connections(postgres, 90)
    try:
        people = crowd(50, tag="idle-90")
        answers = Answers(smtp, people)
        arrive(imap, people).join()
        settle("90 idle connections held on the database", deployment, answers, people, time.monotonic(),
               database_url)  # fmt: skip
    finally:
        release(held)

    # 2. Every connection taken, while a worker and the watcher are restarted: they wait.
    smtp.clear()
    deployment.kill("worker-1", "watch")
    time.sleep(1)  # the server notices their connections are gone, and frees the slots
    held = hold_connections(postgres)
    try:
        deployment.start("worker-1", "watch")
        people = crowd(50, tag="db-full", first=50)
        answers = Answers(smtp, people)
        arrive(imap, people).join()
        # The watcher, refused, says so in a clear line and waits (the worker's children connect lazily).
        wait_until(
            "the restarted watcher waits for the database",
            lambda: b"unreachable" in (deployment.tmp / "watch.log").read_bytes(),
            60,
            deployment,
        )
        for part in ("worker-1", "watch"):
            assert deployment.procs[part].poll() is None, f"{part} exited\n{deployment.logs()}"
    finally:
        release(held)
    fault_over = time.monotonic()
    settle("every database connection taken, a worker and the watcher restarted", deployment,
           answers, people, fault_over, database_url)  # fmt: skip
