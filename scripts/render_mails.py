#!/usr/bin/env python3
"""Write docs/mails/<lang>/<template>.txt, every participant mail as the rules make it; --check only compares.

Run it after changing a template: `.venv/bin/python scripts/render_mails.py`. A test fails while the files
are stale, so the docs never drift from what participants receive.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs" / "mails"
# The sample mails are the render tests' own (tests/unit/render/mailbook.py), made by the real rules.
sys.path[:0] = [str(REPO), str(REPO / "tests" / "unit" / "render"), str(REPO / "tests" / "unit" / "rules")]


def stale() -> dict[Path, str]:
    """Each file under docs/mails that is missing or differs, with what it should say."""
    from mailbook import documents

    wanted = {DOCS / name: text for name, text in documents().items()}
    return {
        path: text
        for path, text in wanted.items()
        if not path.is_file() or path.read_bytes() != text.encode("utf-8")
    }


def main(argv: list[str]) -> int:
    outdated = stale()
    if "--check" in argv:
        for path in outdated:
            print(f"stale: {path.relative_to(REPO)}")
        return 1 if outdated else 0
    for path, text in outdated.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
        print(f"wrote {path.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
