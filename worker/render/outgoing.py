"""A decision's mails rendered to the bytes the outbox holds, each with its own Message-ID.

A message's decision is written under the event lock; its mails are rendered later by the sender
(`decided_all`, then `render_decided`), so the lock covers the rules and the writes only. What the row
holds is the mail as decided (template, language, context, meetings) and the instant of the decision,
which is the mail's Date and its .ics DTSTAMP: rendering it later gives the mail decided.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from email.utils import make_msgid
from typing import TYPE_CHECKING, Any

from rules.decision import Decision, OutgoingMail
from store.registrations import RenderedMail
from worker.render.message import mail_bytes, subject_of

if TYPE_CHECKING:
    from worker.bootstrap import Service


def render_all(
    svc: Service, decision: Decision, *, files: Sequence[tuple[str, bytes, str]] = ()
) -> list[RenderedMail]:
    """Render each mail of a decision; `files` (name, bytes, MIME type) are attached to every one."""
    domain = svc.event.mailbox.split("@", 1)[1]
    now = svc.clock.now()
    out = []
    for mail in decision.mails:
        message_id = make_msgid(domain=domain).strip("<>")
        subject, raw = mail_bytes(
            mail,
            svc.event,
            message_id=message_id,
            sent_at=now,
            templates_dir=svc.settings.templates_dir,
            files=files,
        )
        out.append(RenderedMail(mail=mail, message_id=message_id, subject=subject, raw=raw))
    return out


def decided_all(svc: Service, decision: Decision) -> list[RenderedMail]:
    """Each mail of a decision as the outbox keeps it until the sender renders it: its Message-ID, its
    subject (the template's subject block only) and what was decided, without the bytes."""
    domain = svc.event.mailbox.split("@", 1)[1]
    now = svc.clock.now()
    return [
        RenderedMail(
            mail=mail,
            message_id=make_msgid(domain=domain).strip("<>"),
            subject=subject_of(mail, svc.event, svc.settings.templates_dir),
            raw=None,
            decided={"mail": mail.model_dump(mode="json"), "sent_at": now.isoformat()},
        )
        for mail in decision.mails
    ]


def render_decided(svc: Service, message_id: str, decided: dict[str, Any]) -> bytes:
    """The bytes of a mail the outbox holds as decided (see decided_all)."""
    _, raw = mail_bytes(
        OutgoingMail.model_validate(decided["mail"]),
        svc.event,
        message_id=message_id,
        sent_at=datetime.fromisoformat(decided["sent_at"]),
        templates_dir=svc.settings.templates_dir,
    )
    return raw
