"""Find and load the event file, turning every problem into one clear sentence."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import ValidationError

from rules.event import Event

DEFAULT_DIR = Path("config/events")


class EventFileError(Exception):
    pass


class _TextTimestamps(yaml.SafeLoader):
    """Leaves dates and times as text, so pydantic judges them and names the field of a bad one."""


_TextTimestamps.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def locate(explicit: Path | None, search_dir: Path = DEFAULT_DIR) -> Path:
    if explicit is not None:
        if not explicit.is_file():
            raise EventFileError(f"ANMALAN_EVENT: no such file: {explicit}")
        return explicit
    candidates = sorted(search_dir.glob("*.yaml")) + sorted(search_dir.glob("*.yml"))
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        raise EventFileError(f"no event file: set ANMALAN_EVENT or put one file in {search_dir}/")
    names = ", ".join(c.name for c in candidates)
    raise EventFileError(f"{search_dir}/ holds several event files ({names}): choose one with ANMALAN_EVENT")


def load_event(path: Path) -> Event:
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
    try:
        return Event.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            field = ".".join(str(p) for p in err["loc"]) or "(top level)"
            problems.append(f"{field}: {err['msg']}")
        raise EventFileError(f"{path}: " + "; ".join(problems)) from None
