"""Rendering outside the event lock (issue 13): a message's decision writes what was decided into its
outbox rows, and the sender renders it. The mail sent is the mail decided, once, and kept on the row."""

from __future__ import annotations

import re
from datetime import datetime
from email.utils import format_datetime
from pathlib import Path

from sqlalchemy import select, update

from rules.decision import OutgoingMail
from store.people import forget_person
from store.tables import OutboxRow
from tests.conftest import REPO
from tests.integration.test_scheduled import service, sign_up
from worker.render import mail_bytes
from worker.send import deliver_due

NOW = "2024-08-12T10:00:00+02:00"
SECOND = (REPO / "worker/samples/02-ludvika.eml").read_bytes()
_BOUNDARY = re.compile(rb"=+[0-9]{10,}==")


def _same_but_boundaries(a: bytes, b: bytes) -> bool:
    """MIME boundaries are drawn at random each time a message is written; everything else must match."""
    return _BOUNDARY.sub(b"BOUNDARY", a) == _BOUNDARY.sub(b"BOUNDARY", b)


def _rows(svc) -> list[OutboxRow]:
    with svc.db.unit_of_work() as session:
        rows = session.execute(select(OutboxRow).order_by(OutboxRow.id)).scalars().all()
        session.expunge_all()
    return list(rows)


def test_a_decision_keeps_what_was_decided_and_the_sender_sends_exactly_that_once(tmp_path: Path) -> None:
    svc = service(tmp_path, NOW)
    sign_up(svc)
    (row,) = _rows(svc)
    assert row.raw is None and row.decided is not None  # nothing rendered under the lock
    assert row.subject.endswith(f"[Ref {row.registration_ref}]")
    mail = OutgoingMail.model_validate(row.decided["mail"])
    decided_at = datetime.fromisoformat(row.decided["sent_at"])
    assert abs((svc.clock.now() - decided_at).total_seconds()) < 60

    svc.clock = type(svc.clock)(datetime.fromisoformat("2024-08-12T11:30:00+02:00"))  # sent later
    assert deliver_due(svc)["sent"] == 1
    assert deliver_due(svc).total() == 0  # run twice, sends once
    files = sorted(svc.settings.outgoing_dir.glob("*.eml"))
    assert len(files) == 1
    sent = files[0].read_bytes()
    (after,) = _rows(svc)
    assert after.status == "sent" and after.raw == sent  # the row records the bytes sent

    # The mail decided: rendered then, from the same mail, Message-ID and instant, gives the same bytes.
    subject, then = mail_bytes(mail, svc.event, message_id=row.message_id, sent_at=decided_at)
    assert _same_but_boundaries(sent, then)
    assert subject == row.subject
    # The decision's instant, not the sending's.
    assert f"Date: {format_datetime(decided_at)}\r\n".encode() in sent


def test_a_person_forgotten_before_the_mail_was_rendered_gets_nothing(tmp_path: Path) -> None:
    svc = service(tmp_path, NOW)
    sign_up(svc)
    (row,) = _rows(svc)
    with svc.db.unit_of_work() as session:
        forget_person(session, svc.event.slug, row.recipient, svc.clock.now())
    (after,) = _rows(svc)
    assert after.raw is None and after.decided is None
    assert deliver_due(svc).total() == 0
    assert not list(svc.settings.outgoing_dir.glob("*.eml"))


def test_a_mail_that_cannot_be_rendered_fails_alone_and_the_next_is_sent(tmp_path: Path) -> None:
    svc = service(tmp_path, NOW)
    sign_up(svc)
    sign_up(svc, SECOND, uid="2")
    first, *others = _rows(svc)
    broken = {**first.decided, "mail": {**first.decided["mail"], "template": "no_such_template"}}
    with svc.db.unit_of_work() as session:
        session.execute(update(OutboxRow).where(OutboxRow.id == first.id).values(decided=broken))
    outcomes = deliver_due(svc)
    assert outcomes["failed"] == 1 and outcomes["sent"] == len(others) >= 1
    failed, *sent = _rows(svc)
    assert failed.status == "failed" and "TemplateNotFound" in (failed.last_error or "")
    assert all(row.status == "sent" and row.raw for row in sent)
