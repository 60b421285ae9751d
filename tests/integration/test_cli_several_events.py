"""The command line over two events: --event chooses one, a missing choice names the slugs, `list` shows
both."""

from __future__ import annotations

import json
import os
import subprocess
from datetime import datetime
from pathlib import Path

import pytest

from tests.e2e.stack import ANMALAN, REPO
from tests.events import OTHER, two_events
from tests.integration.test_two_events import Mailbox, one_to_each
from worker.bootstrap import build
from worker.clock import Clock
from worker.settings import Settings

A, B = "dalalab-2024", OTHER["slug"]


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("ANMALAN_")}
    return {
        **clean,
        "ANMALAN_DATA_DIR": str(tmp_path / "var"),
        "ANMALAN_EVENTS_DIR": str(two_events(tmp_path / "events")),
        "ANMALAN_NOW": "2024-08-12T10:00:00+02:00",
    }


def anmalan(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*ANMALAN, *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=120)


def said(done: subprocess.CompletedProcess) -> str:
    return " ".join((done.stdout + done.stderr).split())


def _sign_up_to_both(env: dict[str, str]) -> None:
    settings = Settings(data_dir=Path(env["ANMALAN_DATA_DIR"]), events_dir=Path(env["ANMALAN_EVENTS_DIR"]))
    svc = build(settings)
    svc.clock = Clock(datetime.fromisoformat(env["ANMALAN_NOW"]))
    one_to_each(Mailbox(svc))


@pytest.mark.parametrize(
    "args",
    [
        ["show", "K7M2QX"],
        ["approve", "K7M2QX"],
        ["export", "--csv", "x.csv"],
        ["digest", "--send"],
        ["person", "a@b.se"],
        ["forget", "a@b.se", "--yes"],
        ["parse", "x.eml"],
        ["route", "1"],
    ],
)
def test_a_command_for_one_event_names_the_slugs_when_none_is_chosen(env, args) -> None:
    done = anmalan(env, *args)
    assert done.returncode == 2, said(done)
    assert f"several events ({A}, {B}): choose one with --event SLUG" in said(done)
    assert f"flera evenemang ({A}, {B}): välj ett med --event SLUG" in said(done)
    assert "Traceback" not in said(done)


def test_an_unknown_event_is_named_with_the_ones_there_are(env) -> None:
    done = anmalan(env, "list", "--event", "nope")
    assert done.returncode == 2
    assert f"no event 'nope'; there are: {A}, {B}" in said(done)


def test_list_shows_every_event_and_each_on_its_own(env, tmp_path: Path) -> None:
    _sign_up_to_both(env)
    every = [json.loads(line) for line in anmalan(env, "list", "--json").stdout.splitlines()]
    assert [(r["event"], r["email"]) for r in every] == [
        (A, "anna.lindqvist@falun.se"),
        (B, "erik.berg@falun.se"),
    ]
    assert {r["status"] for r in every} == {"active"}
    # The documented fields are all there, as before.
    assert {"ref", "name", "email", "organisation", "role", "status", "meetings", "diet"} <= set(every[0])
    only_b = [json.loads(line) for line in anmalan(env, "list", "--json", "--event", B).stdout.splitlines()]
    assert [r["email"] for r in only_b] == ["erik.berg@falun.se"]
    table = anmalan(env, "list").stdout
    assert f"— {A} (1 anmälda)" in table and f"— {B} (1 anmälda)" in table
    # A reference is looked for in the chosen event only.
    ref = every[0]["ref"]
    assert anmalan(env, "show", ref, "--event", A, "--json").returncode == 0
    assert "ingen anmälan med referensen" in said(anmalan(env, "show", ref, "--event", B))
    csv = tmp_path / "b.csv"
    assert anmalan(env, "export", "--csv", str(csv), "--event", B).returncode == 0
    listed = csv.read_text(encoding="utf-8-sig")
    assert "Erik" in listed and "Anna" not in listed
