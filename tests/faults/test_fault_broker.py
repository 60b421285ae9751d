"""Faults of the broker: Redis restarted empty, early, late, and while mails wait for a retry."""

from __future__ import annotations

import time

import pytest

from tests.faults.harness import RECOVERY_LIMIT, Answers, arrive, crowd, record, rows_left_unfinished

pytestmark = pytest.mark.servers


def test_redis_restarted_while_mails_wait_for_a_retry(deployment, imap, smtp, broker, database_url) -> None:
    people = crowd(60, tag="redis-retry")
    answers = Answers(smtp, people)
    smtp.fail_next(10_000, code=451)  # every attempt meets a temporary failure: all wait for a retry
    arrive(imap, people).join()
    time.sleep(4)
    broker.restart(down_for=1.0)
    smtp.clear()
    fault_over = time.monotonic()
    answers.wait_for(len(people), timeout=60, deployment=deployment)

    per_person = answers.per_person()
    recovery = answers.recovery(fault_over)
    record("Redis restarted while mails wait for a retry", len(people), len(per_person),
           sum(per_person.values()) - len(per_person), recovery)  # fmt: skip
    assert per_person == {p.address: 1 for p in people}
    assert rows_left_unfinished(database_url) == {"inbox": [], "outbox": []}
    assert recovery <= RECOVERY_LIMIT, deployment.logs()
    for part in ("worker-1", "worker-2", "beat", "watch"):
        assert deployment.procs[part].poll() is None, f"{part} exited\n{deployment.logs()}"


def test_workers_holding_unacknowledged_tasks_ride_out_a_redis_restart(
    deployment, imap, smtp, broker, database_url
) -> None:
    """The crash of issue 14: `Restoring N unacknowledged message(s)`, then kombu's AttributeError."""
    from celery import Celery

    client = Celery("fault", broker=broker.url)
    for _ in range(20):  # countdown tasks: a worker holds each unacknowledged until it is due
        client.send_task("anmalan.deliver_mail", countdown=600)
    client.close()
    time.sleep(3)
    broker.restart(down_for=1.0)
    fault_over = time.monotonic()
    people = crowd(50, tag="redis-unacked")
    answers = Answers(smtp, people)
    arrive(imap, people).join()
    answers.wait_for(len(people), timeout=60, deployment=deployment)

    per_person = answers.per_person()
    recovery = answers.recovery(fault_over)
    record("Redis restarted mid-run, workers holding unacked tasks", len(people), len(per_person),
           sum(per_person.values()) - len(per_person), recovery)  # fmt: skip
    assert per_person == {p.address: 1 for p in people}
    assert rows_left_unfinished(database_url) == {"inbox": [], "outbox": []}
    assert recovery <= RECOVERY_LIMIT, deployment.logs()
    logs = deployment.logs()
    assert "Unrecoverable error" not in logs
    for part in ("worker-1", "worker-2", "beat", "watch"):
        assert deployment.procs[part].poll() is None, f"{part} exited\n{logs}"
