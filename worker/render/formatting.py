"""Filters the templates use: dates in Swedish or English (Babel), times, diets and roles in words."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from babel.dates import format_date

DIET = {
    "sv": {
        "vegetarian": "vegetarisk",
        "vegan": "vegansk",
        "gluten": "glutenfri",
        "lactose": "laktosfri",
        "nuts": "nötallergi",
        "fish": "ingen fisk",
        "shellfish": "inga skaldjur",
        "egg": "äggfri",
        "pork": "inget fläsk",
        "other": "annan specialkost (vi hör av oss)",
    },
    "en": {
        "vegetarian": "vegetarian",
        "vegan": "vegan",
        "gluten": "gluten-free",
        "lactose": "lactose-free",
        "nuts": "nut allergy",
        "fish": "no fish",
        "shellfish": "no shellfish",
        "egg": "egg-free",
        "pork": "no pork",
        "other": "other special diet (we will be in touch)",
    },
}
NO_DIET = {"sv": "ingen specialkost", "en": "no special diet"}
UNKNOWN_DIET = {"sv": "inget angivet", "en": "not stated"}
ROLE = {
    "sv": {"manager": "chef", "officer": "tjänsteperson", "politician": "förtroendevald"},
    "en": {"manager": "manager", "officer": "officer", "politician": "elected representative"},
}
AND = {"sv": "och", "en": "and"}


def as_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def as_time(value: Any) -> dt.time:
    if isinstance(value, dt.time):
        return value
    if isinstance(value, dt.datetime):
        return value.time()
    return dt.time.fromisoformat(str(value))


def filters(lang: str) -> dict[str, Any]:
    """The filters for one language; bound here so templates never pass a locale around."""

    def date_long(value: Any) -> str:
        # "torsdag 12 september 2024": weekday first, as people say it.
        return format_date(as_date(value), "EEEE d MMMM y", locale=lang)

    def datetime_long(value: Any) -> str:
        instant = dt.datetime.fromisoformat(str(value)) if not isinstance(value, dt.datetime) else value
        word = "kl." if lang == "sv" else "at"
        return f"{date_long(instant)} {word} {instant:%H:%M}"

    def clock(value: Any) -> str:
        return f"{as_time(value):%H:%M}"

    def join_and(items: Iterable[Any]) -> str:
        words = [str(i) for i in items]
        if len(words) <= 1:
            return "".join(words)
        return f"{', '.join(words[:-1])} {AND[lang]} {words[-1]}"

    def diet(value: list[str] | None) -> str:
        if value is None:
            return UNKNOWN_DIET[lang]
        if not value:
            return NO_DIET[lang]
        return ", ".join(DIET[lang].get(v, v) for v in value)

    def role(value: str | None) -> str:
        return ROLE[lang].get(value or "", value or "")

    def first_name(value: str | None) -> str:
        return (value or "").split(" ")[0]

    return {
        "date_long": date_long,
        "datetime_long": datetime_long,
        "clock": clock,
        "join_and": join_and,
        "diet": diet,
        "role": role,
        "first_name": first_name,
    }
