"""`anmalan event new`: next year's event, or another one, from an event that ran."""

from __future__ import annotations

import re
from typing import Annotated

import typer

from worker.cli.base import app, err, friendly, out

events_app = typer.Typer(help="Evenemangsfiler / event files.", no_args_is_help=True)
app.add_typer(events_app, name="event")


@events_app.command("new")
@friendly
def new(
    slug: Annotated[str, typer.Argument(help="det nya evenemangets slug, t.ex. dalalab-2025")],
    source: Annotated[
        str, typer.Option("--from", help="slug of the event to copy / evenemanget att kopiera")
    ],
) -> None:
    """Nytt evenemang från ett gammalt, utan datum / a new event from an old one, its dates left empty."""
    from worker.bootstrap import choose_slug, load_events
    from worker.eventfile import copied_event, load_event
    from worker.settings import load_settings

    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", slug):
        err.print(f"anmalan event new: {slug!r}: use a-z, 0-9 and '-' / använd a-z, 0-9 och '-'")
        raise typer.Exit(2)
    events, paths, incomplete = load_events(load_settings())
    known = sorted(events) + [load_event_slug(d.path) for d in incomplete]
    if slug in known:
        err.print(f"anmalan event new: there is an event {slug!r} already / evenemanget {slug!r} finns redan")
        raise typer.Exit(2)
    old = paths[choose_slug(sorted(events), source)]
    target = old.parent / f"{slug}.yaml"
    if target.exists():
        err.print(f"anmalan event new: {target} exists / finns redan")
        raise typer.Exit(2)
    target.write_text(copied_event(old, slug), encoding="utf-8")
    try:
        load_event(target)
        missing: list[str] = []
    except Exception as exc:  # the dates are empty by design; anything else is said as well
        missing = list(getattr(exc, "missing", [])) or [str(exc)]
    out.print(f"{target}: kopia av {source}; fyll i / fill in: {', '.join(missing)}", highlight=False)
    out.print("anmalan check säger vad som återstår / says what is still missing", highlight=False)


def load_event_slug(path) -> str:
    from worker.eventfile import read_data

    return str(read_data(path).get("slug", ""))
