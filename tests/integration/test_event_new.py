"""`anmalan event new` makes next year's event from this year's, and `check` says what it still lacks."""

from __future__ import annotations

from pathlib import Path

from tests.integration.test_cli_several_events import A, B, anmalan, env, said

__all__ = ["env"]  # the fixture, shared


def test_a_new_event_from_an_old_one_has_no_dates_and_check_says_so(env) -> None:
    events = Path(env["ANMALAN_EVENTS_DIR"])
    done = anmalan(env, "event", "new", "dalalab-2025", "--from", A)
    assert done.returncode == 0, said(done)
    new = (events / "dalalab-2025.yaml").read_text(encoding="utf-8")
    old = (events / f"{A}.yaml").read_text(encoding="utf-8")
    assert "slug: dalalab-2025" in new
    # Texts, organisers and rules as they were; the dates empty.
    for line in old.splitlines():
        if not line.lstrip("- ").startswith(("slug:", "deadline:", "date:")):
            assert line in new.splitlines(), line
    assert "2024-08-23" not in new and "2024-09-12" not in new
    assert "fill in: deadline, meetings.1.date, meetings.2.date, meetings.3.date, meetings.4.date" in said(
        done
    )
    # The service goes on with the two complete events; check names what the new one lacks.
    check = anmalan(env, "check")
    text = said(check)
    assert check.returncode == 0, text  # the others run; the new one is work to do, not a failure
    assert f"event {A}:" in text and f"event {B}:" in text
    assert "TODO event file" in text
    assert (
        "dalalab-2025.yaml: not run until it is complete; saknas / missing: deadline, meetings.1.date" in text
    )
    # It still has the old one's name, in the same folder: a message naming one would name both.
    (events / "dalalab-2025.yaml").write_text(
        new.replace("deadline:            # fyll i / fill in", "deadline: 2025-08-22T23:59:59").replace(
            "date:   # fyll i / fill in", "date: 2025-09-11"
        ),
        encoding="utf-8",
    )
    check = anmalan(env, "check")
    text = said(check)
    assert check.returncode == 1
    assert "dalalab-2025 and dalalab-2024" in text or "dalalab-2024 and dalalab-2025" in text
    assert "do not tell them apart" in text
    # Refused: an existing slug, an unknown source.
    assert anmalan(env, "event", "new", B, "--from", A).returncode == 2
    assert "no event 'nope'" in said(anmalan(env, "event", "new", "x-2026", "--from", "nope"))
