"""What every `anmalan` command shares: the Typer app, the two consoles, the service, one clear line on errors."""

from __future__ import annotations

import signal
import sys
from collections.abc import Callable
from functools import wraps
from typing import Annotated

import typer
from rich.console import Console
from sqlalchemy.exc import OperationalError

from store.db import SchemaError
from worker.eventfile import EventFileError
from worker.settings import SettingsError

app = typer.Typer(
    name="anmalan",
    help="Anmälningar via e-post / registrations by email.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
# Whole lines, and tables at full width when piped: operators grep and paste what they see.
out = Console(soft_wrap=True, width=None if sys.stdout.isatty() else 160)
err = Console(stderr=True, soft_wrap=True)


def friendly(func: Callable) -> Callable:
    """Operators get one clear sentence and exit status 2, never a traceback."""

    @wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except (SettingsError, EventFileError, SchemaError) as exc:
            err.print(f"[bold red]anmalan:[/] {exc}", highlight=False)
            raise typer.Exit(2) from None
        except KeyboardInterrupt:
            raise typer.Exit(0) from None
        except OperationalError as exc:
            err.print(
                f"[bold red]anmalan:[/] the database cannot be used: {str(exc.orig).splitlines()[0]}",
                highlight=False,
            )
            raise typer.Exit(2) from None

    return wrapper


def service(event: str | None = None, *, every: bool = False):
    """The service from the environment's settings, for the event a command names (or the only one);
    `every`: for all of them. Imported late so `--help` starts fast."""
    from worker.bootstrap import build

    svc = build()
    return svc if every else svc.choose(event)


# The option of every command that acts on one event; it may be left out when there is only one.
EventOption = Annotated[
    str | None,
    typer.Option("--event", help="evenemangets slug (behövs när det finns flera) / the event's slug"),
]


def _raise_stop(signum, frame):
    raise KeyboardInterrupt


def on_stop_signals() -> None:
    signal.signal(signal.SIGTERM, _raise_stop)
    signal.signal(signal.SIGINT, _raise_stop)
