"""render_mail(): template → text and HTML parts, headers, and calendar attachments, as an EmailMessage."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from pathlib import Path
from typing import Any

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    FunctionLoader,
    StrictUndefined,
    TemplateNotFound,
    select_autoescape,
)

from rules.decision import OutgoingMail
from rules.event import Event
from worker.render.calendar import meeting_ics
from worker.render.formatting import filters
from worker.render.headers import FLAT_SMTP, ONCE_PARSED
from worker.render.markdown import text_to_html
from worker.resources import builtin_templates


def _builtin_loader(lang: str) -> FunctionLoader:
    folder = builtin_templates() / lang

    def load(name: str) -> str | None:
        found = folder / name
        return found.read_text(encoding="utf-8") if found.is_file() else None

    return FunctionLoader(load)


@functools.lru_cache(maxsize=16)
def _environment(templates_dir: Path | None, lang: str) -> Environment:
    """The organiser's folder (ANMALAN_TEMPLATES_DIR) first, then the built-in templates, per language:
    a file placed there replaces the built-in one of that name, the others stay as shipped."""
    loaders: list[BaseLoader] = [FileSystemLoader(templates_dir / lang)] if templates_dir else []
    env = Environment(
        loader=ChoiceLoader([*loaders, _builtin_loader(lang)]),
        undefined=StrictUndefined,
        autoescape=select_autoescape(enabled_extensions=("html", "html.j2"), default_for_string=False),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # compiled once per process; docs/templates.md says to restart after an edit
    )
    env.filters.update(filters(lang))
    return env


def template_names(lang: str = "sv") -> list[str]:
    """Every built-in mail template of a language (the shared _layouts and macros excluded)."""
    return sorted(
        p.name.removesuffix(".txt.j2")
        for p in (builtin_templates() / lang).iterdir()
        if p.name.endswith(".txt.j2") and not p.name.startswith("_")
    )


def _event_view(event: Event) -> dict[str, Any]:
    return {
        "name": event.name,
        "host": event.host,
        "mailbox": str(event.mailbox),
        "deadline": event.local(event.deadline_at).isoformat(),
        "meeting_numbers": event.meeting_numbers,
    }


def _meeting_view(event: Event, number: int) -> dict[str, Any]:
    m = event.meeting(int(number))
    return {
        "number": m.number,
        "date": m.date,
        "start": m.start,
        "end": m.end,
        "fika": m.fika,
        "place": m.place,
        "theme": m.theme,
    }


def _setting(
    mail: OutgoingMail, event: Event, templates_dir: Path | None
) -> tuple[Environment, dict[str, Any]]:
    env = _environment(templates_dir.resolve() if templates_dir else None, mail.language)
    context = {
        **mail.context,
        "ref": mail.registration_ref,
        "event": _event_view(event),
        "meeting": functools.partial(_meeting_view, event),
    }
    return env, context


def _subject(mail: OutgoingMail, text_template: Any, context: dict[str, Any]) -> str:
    subject = "".join(text_template.blocks["subject"](text_template.new_context(context))).strip()
    subject = " ".join(subject.split())
    return f"{subject} [Ref {mail.registration_ref}]" if mail.registration_ref else subject


def subject_of(mail: OutgoingMail, event: Event, templates_dir: Path | None = None) -> str:
    """The subject render_parts gives the mail, without rendering its text: what the outbox row shows
    while its mail waits to be rendered by the sender."""
    env, context = _setting(mail, event, templates_dir)
    return _subject(mail, env.get_template(f"{mail.template}.txt.j2"), context)


def render_parts(mail: OutgoingMail, event: Event, templates_dir: Path | None = None) -> tuple[str, str, str]:
    """(subject, text, html). One template per mail and language: its `subject` block holds the words; the ref tag is added here so every
    subject ends with it the same way, which is what replies are matched on."""
    env, context = _setting(mail, event, templates_dir)
    text_template = env.get_template(f"{mail.template}.txt.j2")
    subject = _subject(mail, text_template, context)
    text = text_template.render(context)
    try:
        # A mail with a hand-made HTML layout (the digest's table) keeps it; every other derives it from text.
        html = env.get_template(f"{mail.template}.html.j2").render(context)
    except TemplateNotFound:
        html = text_to_html(text, lang=mail.language, title=subject)
    return subject, text, html


def render_mail(
    mail: OutgoingMail,
    event: Event,
    *,
    message_id: str,
    sent_at: dt.datetime,
    templates_dir: Path | None = None,
) -> EmailMessage:
    subject, text, html = render_parts(mail, event, templates_dir)
    msg = EmailMessage(policy=ONCE_PARSED)
    msg["From"] = formataddr((event.host, str(event.mailbox)))
    msg["To"] = mail.to
    msg["Subject"] = subject
    msg["Date"] = format_datetime(sent_at if sent_at.tzinfo else sent_at.replace(tzinfo=dt.UTC))
    msg["Message-ID"] = message_id if message_id.startswith("<") else f"<{message_id}>"
    # RFC 3834: tells other robots (vacation responders) not to answer us.
    msg["Auto-Submitted"] = mail.auto_submitted
    msg["X-Auto-Response-Suppress"] = "All"
    if mail.in_reply_to:
        parent = f"<{mail.in_reply_to.strip('<>')}>"
        msg["In-Reply-To"] = parent
        msg["References"] = parent
    msg.set_content(text)
    msg.add_alternative(html, subtype="html")
    for number in mail.calendar_meetings:
        msg.add_attachment(
            # As text with a charset, so "träff" and "Hållbara" survive every mail reader.
            meeting_ics(event, number, ref=mail.registration_ref, stamp=sent_at).decode("utf-8"),
            subtype="calendar",
            charset="utf-8",
            filename=f"traff-{number}.ics",
            params={"method": "PUBLISH"},
        )
    # The bodies are encoded by now (quoted-printable at 76 columns); the headers are written once, as built.
    msg.policy = FLAT_SMTP
    return msg


def mail_bytes(
    mail: OutgoingMail,
    event: Event,
    *,
    message_id: str,
    sent_at: dt.datetime,
    templates_dir: Path | None = None,
    files: Sequence[tuple[str, bytes, str]] = (),
) -> tuple[str, bytes]:
    """(subject, the bytes sent) of one mail; `files` (name, bytes, MIME type) are attached after the .ics files."""
    message = render_mail(mail, event, message_id=message_id, sent_at=sent_at, templates_dir=templates_dir)
    for name, data, mime in files:
        maintype, subtype = mime.split("/", 1)
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return str(message["Subject"]), message.as_bytes()
