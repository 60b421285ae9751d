"""Wire the real parts once per process: settings, event, clock, database."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from rules.event import Event
from store.clockorigin import shared_origin
from store.db import Database
from worker.clock import Clock
from worker.delivery import FolderTransport, SmtpTransport, transport_for
from worker.eventfile import load_event, locate
from worker.settings import Settings, load_settings


@dataclass
class Service:
    settings: Settings
    event: Event
    event_path: Path
    clock: Clock
    db: Database
    _transport: SmtpTransport | FolderTransport | None = field(default=None, repr=False)

    def transport(self) -> SmtpTransport | FolderTransport:
        """This process's way out, kept so that one SMTP connection carries mail after mail."""
        if self._transport is None:
            self._transport = transport_for(self.settings)
        return self._transport


def build(settings: Settings | None = None) -> Service:
    """Raises SettingsError or EventFileError with a message meant for the operator."""
    settings = settings or load_settings()
    path = locate(settings.event)
    event = with_limits(load_event(path), settings)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    logging.basicConfig(
        level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", force=False
    )
    logging.getLogger("alembic").setLevel(logging.WARNING)  # schema upgrades are quiet unless they fail
    db = Database(settings.database())
    db.wait_until_reachable()
    db.create_schema()
    return Service(settings=settings, event=event, event_path=path, clock=shared_clock(db, settings), db=db)


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
