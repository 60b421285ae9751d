"""One real mail of every kind, made by the rules from a small story of the Dalalab event (in sv or en)."""

from __future__ import annotations

import datetime as dt

from rulekit import FALUN, LUDVIKA, STHLM, Desk, load_event, msg, person

from rules.decision import OutgoingMail
from rules.event import Event
from rules.schedule import due_reminders, info_followups, meeting_change_notices

TEMPLATES = (
    "confirmation",
    "waitlisted",
    "promoted",
    "cancellation_receipt",
    "substitution_receipt_new",
    "substitution_receipt_replaced",
    "update_receipt",
    "info_request",
    "info_reminder",
    "question_ack",
    "late_notice",
    "claim_held",
    "late_rejected",
    "duplicate_notice",
    "change_request_refused",
    "reminder",
    "meeting_changed",
    "registration_summary",
)


def _first(mails: list[OutgoingMail], template: str) -> OutgoingMail:
    return next(m for m in mails if m.template == template)


def sample_mails(lang: str) -> dict[str, tuple[OutgoingMail, Event]]:
    desk = Desk()
    event = desk.event
    book: dict[str, tuple[OutgoingMail, Event]] = {}

    def keep(mails: list[OutgoingMail], template: str, ev: Event = event) -> None:
        book.setdefault(template, (_first(mails, template), ev))

    def m(*args, **kw):
        return msg(*args, language=lang, **kw)

    anna = desk.send(
        m(
            sender="anna.andersson@ludvika.se",
            people=[
                person("Anna Andersson", "anna.andersson@ludvika.se", role="manager", diet=["vegetarian"])
            ],
        )
    )
    keep(anna.mails, "confirmation")
    for name in ("Bertil Berg", "Cecilia Dahl"):
        email = name.lower().replace(" ", ".") + "@ludvika.se"
        desk.send(m(sender=email, people=[person(name, email, role="officer", diet=[])]))
    lars = desk.send(m(sender="lars.lind@ludvika.se", people=[person("Lars Lind", "lars.lind@ludvika.se")]))
    keep(lars.mails, "waitlisted")
    bertil = desk.reg("Bertil Berg")
    # Two meetings freed by one message: Lars, first in line at both, gets one mail naming both.
    gone = desk.send(
        m("cancel", sender=bertil.email, people=[person("Bertil Berg", bertil.email, meetings=[2, 3])])
    )
    keep(gone.mails, "cancellation_receipt")
    keep(gone.mails, "promoted")
    swap = desk.send(
        m(
            "substitute",
            sender="anna.andersson@ludvika.se",
            people=[
                person("Karin Ek", "karin.ek@ludvika.se", meetings=[1], replaces="anna.andersson@ludvika.se")
            ],
        )
    )
    keep(swap.mails, "substitution_receipt_new")
    keep(swap.mails, "substitution_receipt_replaced")
    diet = desk.send(
        m(
            "update",
            sender="anna.andersson@ludvika.se",
            people=[person("Anna Andersson", diet=["vegan", "nuts"])],
        )
    )
    keep(diet.mails, "update_receipt")
    again = desk.send(
        m(sender="cecilia.dahl@ludvika.se", people=[person("Cecilia Dahl", "cecilia.dahl@ludvika.se")])
    )
    keep(again.mails, "duplicate_notice")
    forged = desk.send(
        m(
            "cancel",
            sender="anna.andersson@ludvika.se",
            reply_to="prankster@example.com",
            people=[person("Anna Andersson", "anna.andersson@ludvika.se")],
        )
    )
    keep(forged.mails, "change_request_refused")
    question = desk.send(m("question", sender="per@falun.se", org=FALUN, subject="Parkering?"))
    keep(question.mails, "question_ack")
    asked = desk.send(
        m(sender="sven@gmail.com", org=None, people=[person("Sven Svensson", "sven@gmail.com")])
    )
    keep(asked.mails, "info_request")
    group = desk.send(
        m(
            sender="maria.nyberg@falun.se",
            org=FALUN,
            people=[
                person("Maria Nyberg", "maria.nyberg@falun.se", role="manager"),
                person("Johan Dahl", "johan.dahl@falun.se", meetings=[1, 2]),
                person("Elin Forsberg", meetings=[1]),
            ],
        )
    )
    keep(group.mails, "registration_summary")
    later = desk.clock + dt.timedelta(days=4)
    keep(info_followups(event, desk.state, later, {}, set()).mails, "info_reminder")
    late = desk.send(
        m(sender="olle@falun.se", org=FALUN, people=[person("Olle Ohlsson", "olle@falun.se")]),
        at=dt.datetime(2024, 8, 26, 8, 15, tzinfo=STHLM),
    )
    keep(late.mails, "late_notice")
    claim = Desk().send(  # before the deadline, so the claim is held, not late
        m(sender="sara.sten@gmail.com", org=FALUN, people=[person("Sara Sten", "sara.sten@gmail.com")])
    )
    keep(claim.mails, "claim_held")
    strict = Desk(load_event(late_policy="reject"), start=dt.datetime(2024, 8, 26, 8, 0, tzinfo=STHLM))
    rejected = strict.send(
        m(sender="olle@falun.se", org=FALUN, people=[person("Olle Ohlsson", "olle@falun.se")])
    )
    keep(rejected.mails, "late_rejected", strict.event)
    remind = due_reminders(event, desk.state, dt.datetime(2024, 9, 5, 10, 0, tzinfo=STHLM))
    keep(remind.mails, "reminder")
    meetings = [mt.model_dump() for mt in event.meetings]
    meetings[2].update(
        place="Borlänge, Folkets Hus", start=dt.time(9, 30), end=dt.time(15, 0), fika=dt.time(9, 0)
    )
    moved = load_event(meetings=meetings)
    keep(meeting_change_notices(event, moved, desk.state).mails, "meeting_changed", moved)
    assert set(book) == set(TEMPLATES), set(TEMPLATES) - set(book)
    return book


__all__ = ["LUDVIKA", "TEMPLATES", "sample_mails"]


def documents() -> dict[str, str]:
    """docs/mails/<lang>/<template>.txt as they should read: recipient, subject and text part of each sample
    mail, taken from the rendered message as a mail program would show it."""
    from email import message_from_bytes, policy

    from worker.render import render_mail

    sent_at = dt.datetime(2024, 8, 1, 9, 5, tzinfo=STHLM)
    out = {}
    for lang in ("sv", "en"):
        for name, (mail, event) in sample_mails(lang).items():
            raw = bytes(
                render_mail(mail, event, message_id=f"{name}.{lang}@regiondalarna.se", sent_at=sent_at)
            )
            parsed = message_from_bytes(raw, policy=policy.default)
            text = parsed.get_body(("plain",)).get_content().replace("\r\n", "\n")  # as a reader sees lines
            out[f"{lang}/{name}.txt"] = f"Till: {mail.to}\nÄmne: {parsed['Subject']}\n\n{text}"
    return out
