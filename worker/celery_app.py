"""The Celery application: broker from settings (Redis in production, SQLite without a server)."""

from __future__ import annotations

import logging
import warnings

from celery import Celery
from celery.exceptions import SecurityWarning
from celery.schedules import crontab
from celery.signals import after_setup_logger, beat_embedded_init, worker_ready

from worker import brokerfix, orphans
from worker.settings import load_settings

brokerfix.apply()
orphans.die_with_supervisor()

VISIBILITY_TIMEOUT = 3600  # seconds; we use no countdowns: retries are scheduled in the outbox rows
SWEEP_EVERY = 3.0  # seconds; the broker is only a doorbell, so a lost task waits at most this long
PRUNE_BROKER_EVERY = (
    3600.0  # seconds; the embedded broker keeps every consumed task (brokerfix.prune_consumed)
)

# The CLI says in one line of its own that root is a poor choice (worker.processes.root_notice); Celery's
# page-long warning would be the first thing a newcomer reads. With JSON only, root is discouraged, not unsafe.
warnings.filterwarnings("ignore", category=SecurityWarning)

# Celery's lines for every task received and finished: at INFO they drown what the service itself says.
PER_TASK_LOGGERS = ("celery.app.trace", "celery.worker.strategy")


def transport_options(broker: str) -> dict:
    if broker.startswith("sqla+"):
        return {}  # kombu hands these to SQLAlchemy's create_engine, which takes none of ours
    return {"visibility_timeout": VISIBILITY_TIMEOUT, "polling_interval": 0.2}


def make_app() -> Celery:
    settings = load_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    app = Celery("anmalan", broker=settings.broker(), include=["worker.tasks"])
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_ignore_result=True,
        task_serializer="json",
        accept_content=["json"],
        timezone="Europe/Stockholm",
        enable_utc=True,
        broker_connection_retry_on_startup=True,
        broker_transport_options=transport_options(settings.broker()),
        worker_hijack_root_logger=False,
        beat_schedule_filename=str((settings.data_dir / "beat-schedule").resolve()),
        beat_schedule={
            "sweep": {"task": "anmalan.sweep", "schedule": SWEEP_EVERY},
            "scheduled-mail": {"task": "anmalan.scheduled_mail", "schedule": 900.0},
            "digest": {"task": "anmalan.digest", "schedule": crontab(minute="*/15")},
            "retention": {"task": "anmalan.retention", "schedule": crontab(hour=3, minute=30)},
            "prune-broker": {"task": "anmalan.prune_broker", "schedule": PRUNE_BROKER_EVERY},
        },
    )
    return app


@after_setup_logger.connect
def _quiet_per_task_lines(loglevel: int | str | None = None, **_: object) -> None:
    if loglevel not in (logging.DEBUG, "DEBUG"):
        for name in PER_TASK_LOGGERS:
            logging.getLogger(name).setLevel(logging.WARNING)


app = make_app()


@worker_ready.connect
def _sweep_at_start(sender=None, **kwargs) -> None:
    """A worker that starts (after a crash, too) first does what is due, not waiting for beat."""
    app.send_task("anmalan.sweep")


@beat_embedded_init.connect
def _beat_dies_with_its_worker(sender=None, **kwargs) -> None:
    """The beat process a worker started with --beat goes when that worker goes, even by SIGKILL."""
    import os

    orphans.die_with(os.getppid())
