"""Mail written by others (public MIME and bounce test suites) through intake and decisions: kept, never answered."""

from __future__ import annotations

import mailbox
from collections import Counter
from pathlib import Path

from sqlalchemy import select

from store.tables import FailingAddress, InboxMessage, OutboxRow
from tests.conftest import REPO
from worker.bootstrap import build
from worker.pipeline import process
from worker.settings import Settings
from worker.watch import Watcher


def test_every_external_message_is_kept_decided_and_none_is_answered(
    tmp_path: Path, shared_dir: Path
) -> None:
    files = sorted((shared_dir / "corpus/external").glob("*/*"))
    files = [f for f in files if f.suffix in (".txt", ".eml")]
    assert len(files) > 200
    svc = build(Settings(data_dir=tmp_path, event=REPO / "config/events/dalalab-2024.yaml"))
    box = mailbox.Maildir(svc.settings.maildir, create=True)
    for file in files:
        box.add(file.read_bytes())

    stored = Watcher(svc, enqueue=lambda _id: None).check_once()
    for inbox_id in stored:
        process(svc, inbox_id)

    with svc.db.unit_of_work() as session:
        rows = session.execute(select(InboxMessage)).scalars().all()
        answered = session.execute(select(OutboxRow.recipient, OutboxRow.template)).all()
        failing = {row.email for row in session.execute(select(FailingAddress)).scalars()}
    statuses = Counter(row.status for row in rows)
    assert len(rows) == len(files)  # nothing lost
    assert statuses["new"] == 0  # nothing left behind a message that could not be read
    assert statuses["failed"] == 0, [r.reason for r in rows if r.status == "failed"]
    assert all(row.raw for row in rows)
    assert answered == []
    assert len(failing) >= 50  # the bounces mark their failed addresses for the digest
