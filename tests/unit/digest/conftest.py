"""A fixed Dalalab state for the organiser-side tests: registrations, changes, open reviews, failing addresses."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml

from parsers.models import Organisation
from rules.digest import ChangeRecord, FailingAddress, Municipality, OpenReview
from rules.event import Event
from rules.model import Registration, Seat

REPO = Path(__file__).resolve().parents[3]
TZ = ZoneInfo("Europe/Stockholm")
NOW = datetime(2024, 8, 26, 7, 0, tzinfo=TZ)
SINCE = NOW - timedelta(days=1)
EARLY = datetime(2024, 8, 10, 9, 0, tzinfo=TZ)

# The municipalities of Dalarna (shared/event/dalalab-2024.md), so the tests do not hang on the gazetteer.
DALARNA = [
    ("2021", "Vansbro kommun"), ("2023", "Malung-Sälens kommun"), ("2026", "Gagnefs kommun"),
    ("2029", "Leksands kommun"), ("2031", "Rättviks kommun"), ("2034", "Orsa kommun"),
    ("2039", "Älvdalens kommun"), ("2061", "Smedjebackens kommun"), ("2062", "Mora kommun"),
    ("2080", "Falu kommun"), ("2081", "Borlänge kommun"), ("2082", "Säters kommun"),
    ("2083", "Hedemora kommun"), ("2084", "Avesta kommun"), ("2085", "Ludvika kommun"),
]  # fmt: skip

FALUN = Organisation(kind="municipality", code="2080", name="Falu kommun")
BORLANGE = Organisation(kind="municipality", code="2081", name="Borlänge kommun")
MORA = Organisation(kind="municipality", code="2062", name="Mora kommun")
LEKSAND = Organisation(kind="municipality", code="2029", name="Leksands kommun")
MARIESTAD = Organisation(kind="municipality", code="1493", name="Mariestads kommun")
REGION = Organisation(kind="region", code="20", name="Region Dalarna")


def reg(
    ref, name, org, *, seats=(), waiting=(), status="active", diet=None, at=EARLY, requested=(), email=None
):
    """A registration with confirmed seats at `seats` and waitlisted ones at `waiting`."""
    all_seats = {n: Seat(status="confirmed", since=at) for n in seats}
    all_seats |= {n: Seat(status="waitlisted", since=at) for n in waiting}
    if status == "cancelled":
        all_seats = {n: Seat(status="cancelled", since=at) for n in all_seats}
    return Registration(
        ref=ref,
        name=name,
        email=email or f"{name.split()[0].lower()}@example.se",
        organisation=org,
        role="manager",
        diet=diet,
        status=status,
        created_at=at,
        seats=all_seats,
        requested=list(requested),
    )


@pytest.fixture
def event() -> Event:
    return Event.model_validate(yaml.safe_load((REPO / "config/events/dalalab-2024.yaml").read_text()))


@pytest.fixture
def dalarna() -> list[Municipality]:
    return [Municipality(code=c, name=n) for c, n in DALARNA]


def sample_registrations() -> list[Registration]:
    return [
        reg("AAAA01", "Anna Berg", FALUN, seats=[1, 2, 3, 4], diet=["vegetarian"]),
        reg("AAAA02", "Bo Ek", FALUN, seats=[1, 2]),
        reg("AAAA03", "Cecilia Dahl", FALUN, seats=[1, 2], diet=["gluten", "lactose"]),
        reg("AAAA04", "David Fors", FALUN, waiting=[1, 2], at=EARLY + timedelta(days=1)),
        reg("BBBB01", "Eva Gran", BORLANGE, seats=[1, 2, 3, 4], diet=["nuts", "vegan"]),
        reg("CCCC01", "Fredrik Holm", MORA, status="pending_approval", requested=[1, 2], at=NOW - timedelta(hours=5)),
        reg("DDDD01", "Greta Ivarsson", REGION, seats=[1], diet=["lactose"]),
        reg("EEEE01", "Hans Jansson", LEKSAND, seats=[1], status="cancelled"),
        reg("FFFF01", "Ingrid Karlsson", MARIESTAD, seats=[2], diet=["pork"]),
    ]  # fmt: skip


def sample_changes() -> list[ChangeRecord]:
    return [
        ChangeRecord(at=EARLY, kind="new", ref="AAAA01", summary="anmäld till alla träffar"),
        ChangeRecord(at=NOW - timedelta(hours=5), kind="new", ref="CCCC01", summary="sen anmälan, väntar"),
        ChangeRecord(
            at=NOW - timedelta(hours=3), kind="cancelled", ref="EEEE01", summary="avanmäld från träff 1"
        ),
    ]


def sample_reviews() -> list[OpenReview]:
    return [
        OpenReview(
            number=1, kind="late", ref="CCCC01", summary="Sen anmälan från Mora kommun",
            quote="Hej!\nJag vill anmäla mig till träff 1 och 2.\nFredrik Holm, Mora kommun",
            created_at=NOW - timedelta(hours=5), sender="fredrik@example.se",
        ),
        OpenReview(
            number=2, kind="question", ref="BBBB01", summary="Fråga om parkering",
            quote="Finns det parkering vid lokalen i Falun?", created_at=NOW - timedelta(hours=2),
            sender="eva@example.se", message_id="q2@example.se",
        ),
        OpenReview(
            number=3, kind="unauthorised", ref="AAAA02", summary="Avanmälan av Bo Ek från fel adress",
            quote="Avboka Bo Ek från alla träffar", created_at=EARLY, sender="someone@evil.example",
        ),
    ]  # fmt: skip


def sample_failing() -> list[FailingAddress]:
    return [
        FailingAddress(email="bo@example.se", reason="550 mailbox unavailable", at=NOW - timedelta(hours=1))
    ]


@pytest.fixture
def registrations() -> list[Registration]:
    return sample_registrations()


@pytest.fixture
def changes() -> list[ChangeRecord]:
    return sample_changes()


@pytest.fixture
def reviews() -> list[OpenReview]:
    return sample_reviews()


@pytest.fixture
def failing() -> list[FailingAddress]:
    return sample_failing()
