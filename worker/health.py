"""`anmalan check`: can the service reach what it is configured to use? Each probe says ok or why not."""

from __future__ import annotations

import contextlib
import smtplib
from dataclasses import dataclass

from kombu import Connection
from sqlalchemy import text

from worker.bootstrap import Service
from worker.delivery import SmtpTransport
from worker.oauth import Step, TokenError, missing_roles, tokens_for
from worker.oauthlogin import OAuthLoginError
from worker.settings import Settings
from worker.sources import ImapSource

# Errors whose text is written for the operator in full: what failed and what to do about it.
_EXPLAINED = (TokenError, OAuthLoginError)


@dataclass(frozen=True)
class Probe:
    part: str
    ok: bool
    detail: str


def _safe(error: Exception) -> str:
    """The error in one line; our own settings never carry passwords into exception texts."""
    if isinstance(error, _EXPLAINED):
        return str(error)
    return f"{type(error).__name__}: {error}".splitlines()[0][:300]


def database(svc: Service) -> Probe:
    url = svc.db.engine.url
    where = f"{url.get_backend_name()} {url.host or url.database}"
    try:
        with svc.db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:
        return Probe("database", False, f"{where}: {_safe(exc)}")
    return Probe("database", True, where)


STEPS: dict[Step, str] = {
    "tenant": "fel i steget hyresgäst (tenant)",
    "client": "fel i steget appregistrering",
    "secret": "fel i steget klienthemlighet/certifikat",
    "consent": "fel i steget medgivande (consent)",
    "scope": "fel i steget scope",
    "token server": "fel i steget token-server",
}


def oauth_token(svc: Service) -> Probe | None:
    """The first step of an OAuth2 login: a token, with the app roles the logins will need."""
    s = svc.settings
    if not s.uses_oauth:
        return None
    where = f"Microsoft 365 {s.oauth_tenant}" if s.oauth_tenant else str(s.oauth_token_url)
    try:
        token = tokens_for(s).current()
    except TokenError as exc:
        return Probe("oauth2", False, f"{where}: {STEPS[exc.step]}: {exc}")
    needed = {"IMAP.AccessAsApp"} if s.uses_imap and s.imap_auth == "oauth2" else set()
    needed |= {"SMTP.SendAsApp"} if s.uses_smtp and s.smtp_auth == "oauth2" else set()
    missing = missing_roles(token, needed) if s.oauth_tenant else set()
    if missing:
        return Probe(
            "oauth2",
            False,
            f"{where}: {STEPS['consent']}: token utan {', '.join(sorted(missing))}: lägg till API-behörigheten "
            "under Office 365 Exchange Online och Bevilja administratörsmedgivande, se docs/microsoft-365.md",
        )
    return Probe("oauth2", True, f"{where}: token för {s.oauth_client_id}")


def mailbox(svc: Service, settings: Settings | None = None) -> Probe:
    """One folder (by default ANMALAN_IMAP_*'s; an event may read its own)."""
    s = settings or svc.settings
    if not s.uses_imap:
        return Probe("mailbox", True, f"Maildir {s.maildir}")
    source = ImapSource(s)
    try:
        source.connect()
        assert source.box is not None  # connect() sets it or raises
        count = source.box.folder.status(s.imap_folder, ["MESSAGES"])["MESSAGES"]
        idle = "IDLE" if source.supports_idle else "no IDLE: polling"
        return Probe(
            "mailbox", True, f"{s.mailbox_name()}: {count} messages, UIDVALIDITY {source.uidvalidity}, {idle}"
        )
    except Exception as exc:
        return Probe("mailbox", False, f"{s.mailbox_name()}: {_safe(exc)}")
    finally:
        source.close()


def mail_server(svc: Service) -> Probe:
    s = svc.settings
    if not s.uses_smtp:
        return Probe("mail server", True, f".eml files in {s.outgoing_dir}")
    where = f"{s.smtp_host}:{s.smtp_port_or_default}"
    try:
        client = SmtpTransport(s).connect()  # the same connection delivery makes
        with contextlib.suppress(smtplib.SMTPException):
            client.quit()
    except Exception as exc:
        return Probe("mail server", False, f"{where}: {_safe(exc)}")
    return Probe("mail server", True, where + (" (logged in)" if s.smtp_user else ""))


def broker(svc: Service) -> Probe:
    url = svc.settings.broker()
    try:
        with Connection(url, connect_timeout=5) as connection:
            connection.ensure_connection(max_retries=1)
            shown = connection.as_uri()  # masks the password
    except Exception as exc:
        return Probe("broker", False, _safe(exc))
    return Probe("broker", True, shown)


def probes(svc: Service) -> list[Probe]:
    from worker.watch import mailboxes

    token = oauth_token(svc)
    folders = [mailbox(svc, settings) for settings in mailboxes(svc)]
    return [database(svc), *([token] if token else []), *folders, mail_server(svc), broker(svc)]


def event_problems(svc: Service) -> list[str]:
    """What keeps the events from running side by side: in a folder several share, names that do not
    tell them apart (a message naming one would name the other too)."""
    from worker.routing import readers

    problems = []
    for folder, slugs in readers(svc).items():
        for a in slugs:
            for b in slugs:
                if a >= b:
                    continue
                clash = [
                    (x, y)
                    for x in svc.events[a].names()
                    for y in svc.events[b].names()
                    if x.casefold() in y.casefold() or y.casefold() in x.casefold()
                ]
                for x, y in clash:
                    problems.append(
                        f"{a} and {b} read {folder} and their names do not tell them apart ({x!r} / {y!r}): "
                        f"give each its own name or short_name / ge evenemangen egna namn"
                    )
    return problems
