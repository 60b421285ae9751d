"""Event files for tests of several events: the Dalalab example, and others made from it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from tests.conftest import REPO
from worker.eventfile import read_data

EXAMPLE = REPO / "config/events/dalalab-2024.yaml"

# A second learning project beside the example: its own name, short name and organiser, the same mailbox.
OTHER: dict[str, Any] = {
    "slug": "vindkraft-2024",
    "name": "Vindkraft och lokal utveckling",
    "short_name": "Vindkraftsprojektet",
    "organisers": ["per.berglund@lansstyrelsen.se"],
}
EXAMPLE_CHANGES: dict[str, Any] = {"short_name": "Dalalab 2024"}


def write_event(folder: Path, changes: dict[str, Any] | None = None, name: str | None = None) -> Path:
    """The example event with `changes`, as `folder/<slug>.yaml`."""
    data = {**read_data(EXAMPLE), **(changes or {})}
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name or data['slug']}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def two_events(folder: Path, **both: Any) -> Path:
    """The example and OTHER in one folder; `both` goes into each file (a shared imap_folder, say)."""
    write_event(folder, {**EXAMPLE_CHANGES, **both})
    write_event(folder, {**OTHER, **both})
    return folder
