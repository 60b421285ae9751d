"""A decision's mails rendered to the bytes the outbox holds, each with its own Message-ID."""

from __future__ import annotations

from collections.abc import Sequence
from email.utils import make_msgid
from typing import TYPE_CHECKING

from rules.decision import Decision
from store.registrations import RenderedMail
from worker.render.message import mail_bytes

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
