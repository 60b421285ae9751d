"""Questions go to an organiser; the sender gets a short acknowledgement."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rules.authority import addressed_to_us, referenced

if TYPE_CHECKING:
    from rules.work import Work


def handle(work: Work) -> None:
    parsed = work.parsed
    assert parsed is not None
    refs = referenced(parsed, work.state)
    ref = refs[0] if refs else None
    work.review("question", f"{parsed.sender_name or parsed.sender}: {parsed.subject}".strip(), ref=ref)
    if addressed_to_us(work.event, parsed):
        work.mail("question_ack", parsed.sender, ref=ref, context={"about": "question"})
    else:
        work.note("not_addressed", ref, "ingen kvittens: meddelandet var inte adresserat till oss")
