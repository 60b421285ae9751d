"""Role from a Swedish or English title: manager (chef, direktör), officer (tjänsteperson), politician."""

from __future__ import annotations

import re

from parsers.models import Role

_POLITICIAN = re.compile(
    r"(?:kommunal|region|opposition|landstings)råd\b|\bordförande\b|\bledamot\b|\bpolitiker\b|\bnämndordförande"
    r"|\bfullmäktige\w*ordförande|\bcouncillor\b|\bchairman\b|\bchairperson\b|\bmayor\b|\bpolitician\b",
    re.I,
)
_MANAGER = re.compile(
    r"chef\b|chefen\b|direktör|\bdirector\b|\bmanager\b|\bhead of\b|\bchief\b|\bvd\b|\bceo\b"
    r"|\bförvaltningsledare\b|\bverksamhetsledare\b",
    re.I,
)
_OFFICER = re.compile(
    r"(?:strateg|planerare|planarkitekt|arkitekt|utvecklare|handläggare|samordnare|ingenjör|projektledare"
    r"|sekreterare|assistent|utredare|controller|analytiker|specialist|koordinator|rådgivare|inspektör|ekolog"
    r"|tjänsteperson|tjänsteman|administratör|konsult|projektör|lantmätare|kommunikatör|processledare"
    r"|expert|ansvarig)\b"
    r"|\b(?:strategist|planner|officer|developer|coordinator|advisor|adviser|architect|engineer|analyst"
    r"|specialist|consultant|project manager)\b",
    re.I,
)


def role_of(title: str) -> Role | None:
    """The role a title names; a politician's chair beats a manager's title, which beats an officer's."""
    if not title:
        return None
    if _POLITICIAN.search(title):
        return "politician"
    officer = _OFFICER.search(title)
    manager = _MANAGER.search(title)
    if manager and officer:
        # "projektledare" is an officer, "chefsstrateg" too: the word that ends the title decides
        return (
            "officer"
            if officer.end() >= manager.end() and "chef" not in officer.group(0).lower()
            else "manager"
        )
    if manager:
        return "manager"
    if officer:
        return "officer"
    return None


def title_in(text: str) -> tuple[str, Role] | None:
    """The first title-like word in a text and its role ("vår kommundirektör Thomas" → kommundirektör)."""
    best: tuple[int, str, Role] | None = None
    for pattern, role in ((_POLITICIAN, "politician"), (_MANAGER, "manager"), (_OFFICER, "officer")):
        match = pattern.search(text)
        if match and (best is None or match.start() < best[0]):
            best = (match.start(), match.group(0), role)  # type: ignore[assignment]
    return (best[1], best[2]) if best else None
