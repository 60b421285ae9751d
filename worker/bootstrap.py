"""Wire the real parts once per process: settings, events, clock, database."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from pydantic import SecretStr

from rules.event import Event
from store.clockorigin import shared_origin
from store.db import Database
from worker.clock import Clock
from worker.delivery import FolderTransport, SmtpTransport, transport_for
from worker.eventfile import EventFileError, IncompleteEvent, load_event, locate_all
from worker.settings import Settings, SettingsError, load_settings

log = logging.getLogger(__name__)


class EventChoiceError(EventFileError):
    """Several events and none chosen (or an unknown one): the message names the slugs there are."""


def choose_slug(slugs: list[str], slug: str | None) -> str:
    """`slug` if it is one of ours, else the only one; an error naming them all when neither holds."""
    if slug is not None and slug not in slugs:
        raise EventChoiceError(
            f"no event {slug!r}; there are: {', '.join(slugs)} / inget evenemang {slug!r}; det finns: {', '.join(slugs)}"
        )
    if slug is None and len(slugs) != 1:
        raise EventChoiceError(
            f"several events ({', '.join(slugs)}): choose one with --event SLUG / "
            f"flera evenemang ({', '.join(slugs)}): välj ett med --event SLUG"
        )
    return slug if slug is not None else slugs[0]


@dataclass
class Service:
    """The wired parts and every event they serve; `at(slug)` is the same service for one event.

    Code that acts on one event reads `svc.event`: on a service with several events and none chosen that
    raises rather than guesses, so a place that forgot to choose fails loudly instead of mixing events.
    """

    settings: Settings
    events: dict[str, Event]
    event_paths: dict[str, Path]
    clock: Clock
    db: Database
    chosen: str | None = None
    # Event files left out because their dates are not filled in yet (`anmalan check` names what is missing).
    incomplete: list[IncompleteEvent] = field(default_factory=list)
    # Shared by every view of the service (`at`), so one SMTP connection carries every event's mail.
    _transports: dict[str, SmtpTransport | FolderTransport] = field(default_factory=dict, repr=False)

    @property
    def slugs(self) -> list[str]:
        return sorted(self.events)

    @property
    def event(self) -> Event:
        return self.events[self._slug()]

    @property
    def event_path(self) -> Path:
        return self.event_paths[self._slug()]

    def _slug(self) -> str:
        return self.chosen if self.chosen is not None else choose_slug(self.slugs, None)

    def at(self, slug: str) -> Service:
        """This service for one event."""
        return replace(self, chosen=choose_slug(self.slugs, slug))

    def choose(self, slug: str | None) -> Service:
        """The event a command names, or the only one; an error naming the slugs when that is not enough."""
        return self.at(choose_slug(self.slugs, slug))

    def each(self) -> list[Service]:
        """One view per event, in slug order: for jobs that do the same for every event."""
        return [self.at(slug) for slug in self.slugs]

    def transport(self) -> SmtpTransport | FolderTransport:
        """This process's way out, kept so that one SMTP connection carries mail after mail."""
        if "smtp" not in self._transports:
            self._transports["smtp"] = transport_for(self.settings)
        return self._transports["smtp"]


def load_events(
    settings: Settings, search_dir: Path | None = None
) -> tuple[dict[str, Event], dict[str, Path], list[IncompleteEvent]]:
    """Every event file (or ANMALAN_EVENT's one); files still missing dates are set aside, not fatal,
    unless ANMALAN_EVENT names one or nothing else is left to run."""
    paths = locate_all(settings.event, settings.events_dir if search_dir is None else search_dir)
    events: dict[str, Event] = {}
    where: dict[str, Path] = {}
    incomplete: list[IncompleteEvent] = []
    for path in paths:
        try:
            event = with_limits(load_event(path), settings)
        except IncompleteEvent as exc:
            if settings.event is not None:
                raise
            incomplete.append(exc)
            continue
        if event.slug in events:
            raise EventFileError(f"{path}: slug {event.slug!r} is also the slug of {where[event.slug]}")
        events[event.slug], where[event.slug] = event, path
    if not events:
        raise incomplete[0]
    for draft in incomplete:
        log.warning("%s; left out until it is complete", draft)
    return events, where, incomplete


def build(settings: Settings | None = None) -> Service:
    """Raises SettingsError or EventFileError with a message meant for the operator."""
    settings = settings or load_settings()
    events, paths, incomplete = load_events(settings)
    for event in events.values():
        mailbox_settings(settings, event)  # a missing password variable is said at start, not at first mail
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    logging.basicConfig(
        level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", force=False
    )
    logging.getLogger("alembic").setLevel(logging.WARNING)  # schema upgrades are quiet unless they fail
    db = Database(settings.database())
    db.wait_until_reachable()
    db.create_schema()
    return Service(
        settings=settings,
        events=events,
        event_paths=paths,
        clock=shared_clock(db, settings),
        db=db,
        incomplete=incomplete,
    )


def mailbox_settings(settings: Settings, event: Event) -> Settings:
    """The settings that read this event's mail: ANMALAN_IMAP_* with the event's own folder or login."""
    update: dict[str, object] = {}
    if event.imap_folder:
        update["imap_folder"] = event.imap_folder
    if event.imap_user:
        update["imap_user"] = event.imap_user
        password = os.environ.get(event.imap_password_env) if event.imap_password_env else None
        if event.imap_password_env and not password:
            raise SettingsError(
                f"{event.slug}: imap_password_env names {event.imap_password_env}, which is not set"
            )
        if settings.uses_imap and settings.imap_auth == "password" and not password:
            raise SettingsError(
                f"{event.slug}: imap_user needs imap_password_env (the variable with its password)"
            )
        update["imap_password"] = SecretStr(password) if password else None
    return settings.model_copy(update=update) if update else settings


def shared_clock(db: Database, settings: Settings) -> Clock:
    """With ANMALAN_NOW every process runs from the origin stored in the database, so one started
    later does not lag the others."""
    if settings.now is None:
        return Clock()
    with db.unit_of_work() as session:
        real_start = shared_origin(session, settings.now, datetime.now(UTC))
    return Clock(settings.now, real_start=real_start)


def with_limits(event: Event, settings: Settings) -> Event:
    """The event with the operator's ANMALAN_MAX_* limits in place of the defaults."""
    chosen = {
        "people_per_message": settings.max_people_per_message,
        "new_addresses_per_sender_per_day": settings.max_new_addresses_per_sender,
        "answers_per_thread": settings.max_answers_per_thread,
        "answers_per_hour": settings.max_answers_per_hour,
    }
    limits = event.limits.model_copy(update={k: v for k, v in chosen.items() if v is not None})
    return event.model_copy(update={"limits": limits})


@cache
def service() -> Service:
    """The process-wide service, built on first use (Celery tasks call this)."""
    return build()
