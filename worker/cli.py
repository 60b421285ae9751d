"""The `anmalan` command line (placeholder until the foundation lands: only `parse`)."""

from __future__ import annotations

import json
import sys
from pathlib import Path


def main() -> None:
    args = sys.argv[1:]
    if args[:2] != ["parse", "--json"]:
        print("usage: anmalan parse --json FILE.eml...", file=sys.stderr)
        raise SystemExit(2)
    import yaml

    from parsers import parse
    from rules.event import Event

    event = Event.model_validate(yaml.safe_load(Path("config/events/dalalab-2024.yaml").read_text()))
    for name in args[2:]:
        parsed = parse(Path(name).read_bytes(), event.meeting_dates())
        print(json.dumps({"file": name, **parsed.record()}, ensure_ascii=False))
