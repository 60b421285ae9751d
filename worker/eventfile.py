"""Find and load the event files, turning every problem into one clear sentence."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from rules.event import Event

DEFAULT_DIR = Path("config/events")

# Placeholders that let a file whose dates are not yet filled in be checked for everything else.
_SOME_DAY = "2000-01-01"


class EventFileError(Exception):
    pass


class IncompleteEvent(EventFileError):
    """A file that is otherwise valid but still lacks dates (`anmalan event new` leaves them empty)."""

    def __init__(self, path: Path, missing: list[str]) -> None:
        self.path, self.missing = path, missing
        super().__init__(
            f"{path}: not complete yet, missing: {', '.join(missing)} / saknas: {', '.join(missing)}"
        )


class _TextTimestamps(yaml.SafeLoader):
    """Leaves dates and times as text, so pydantic judges them and names the field of a bad one."""


_TextTimestamps.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def event_files(search_dir: Path = DEFAULT_DIR) -> list[Path]:
    return sorted([*search_dir.glob("*.yaml"), *search_dir.glob("*.yml")])


def locate_all(explicit: Path | None, search_dir: Path = DEFAULT_DIR) -> list[Path]:
    """ANMALAN_EVENT's one file when it is set, else every file in the events folder."""
    if explicit is not None:
        if not explicit.is_file():
            raise EventFileError(f"ANMALAN_EVENT: no such file: {explicit}")
        return [explicit]
    candidates = event_files(search_dir)
    if not candidates:
        raise EventFileError(f"no event file: set ANMALAN_EVENT or put event files in {search_dir}/")
    return candidates


def locate(explicit: Path | None, search_dir: Path = DEFAULT_DIR) -> Path:
    """The one event file, for callers that need exactly one."""
    paths = locate_all(explicit, search_dir)
    if len(paths) == 1:
        return paths[0]
    names = ", ".join(c.name for c in paths)
    raise EventFileError(f"{search_dir}/ holds several event files ({names}): choose one with ANMALAN_EVENT")


def read_data(path: Path) -> dict[str, Any]:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_TextTimestamps)
    except OSError as exc:
        raise EventFileError(f"{path}: cannot read: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        at = f" (line {where.line + 1}, column {where.column + 1})" if where else ""
        raise EventFileError(f"{path}: not valid YAML{at}: {getattr(exc, 'problem', exc)}") from None
    if not isinstance(data, dict):
        raise EventFileError(f"{path}: expected a mapping of fields at the top level")
    return data


def missing_dates(data: dict[str, Any]) -> list[str]:
    """The dates a new event still needs: its deadline and each meeting's date, where left empty."""
    missing = [] if data.get("deadline") not in (None, "") else ["deadline"]
    for n, meeting in enumerate(data.get("meetings") or [], start=1):
        if isinstance(meeting, dict) and meeting.get("date") in (None, ""):
            missing.append(f"meetings.{meeting.get('number', n)}.date")
    return missing


def load_event(path: Path) -> Event:
    data = read_data(path)
    missing = missing_dates(data)
    if missing:
        # Everything else is checked all the same, so `anmalan check` names every problem at once.
        _validate(path, _with_placeholders(data))
        raise IncompleteEvent(path, missing)
    return _validate(path, data)


def _with_placeholders(data: dict[str, Any]) -> dict[str, Any]:
    filled = {**data, "deadline": data.get("deadline") or f"{_SOME_DAY}T00:00:00"}
    filled["meetings"] = [
        {**m, "date": m.get("date") or _SOME_DAY} if isinstance(m, dict) else m
        for m in data.get("meetings") or []
    ]
    return filled


def _validate(path: Path, data: dict[str, Any]) -> Event:
    try:
        return Event.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            field = ".".join(str(p) for p in err["loc"]) or "(top level)"
            problems.append(f"{field}: {err['msg']}")
        raise EventFileError(f"{path}: " + "; ".join(problems)) from None


_SLUG_LINE = re.compile(r"^slug:.*$", re.MULTILINE)
_DEADLINE_LINE = re.compile(r"^deadline:.*$", re.MULTILINE)
_DATE_LINE = re.compile(r"^(\s+(?:-\s+)?)date:[^\n#]*(#.*)?$", re.MULTILINE)
_FILL_IN = "# fyll i / fill in"


def copied_event(old: Path, slug: str) -> str:
    """The text of a new event file made from `old`: its texts, organisers, mailbox and rules kept as they
    are written (comments too), the slug replaced, and the deadline and every meeting's date left empty."""
    text = old.read_text(encoding="utf-8")
    if not _SLUG_LINE.search(text):
        raise EventFileError(f"{old}: no `slug:` line at the top level to replace")
    text = _SLUG_LINE.sub(f"slug: {slug}", text, count=1)
    text = _DEADLINE_LINE.sub(f"deadline:            {_FILL_IN}", text, count=1)
    return _DATE_LINE.sub(lambda m: f"{m.group(1)}date:   {_FILL_IN}", text)
