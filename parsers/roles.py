"""Role from a Swedish or English title: manager (chef, direktör), officer (tjänsteperson), politician."""

from __future__ import annotations

from parsers.models import Role
from parsers.text import Cue

_POLITICIAN = Cue(
    r"(?:kommunal|region|oppositions?|landstings)råd(?:et|en)?\b|\bordförande\b|ledamot(?:en)?\b|politiker(?:n)?\b"
    r"|\bnämndordförande|\bfullmäktige\w*ordförande|\bförtroendevald\b|\bks[- ]?ordf\w*|\bkso\b"
    # a substitute member of a board, not someone's stand-in: "ersättare i kommunstyrelsen"
    r"|\bersättare\s+i\s+\w*(?:styrelse|nämnd|fullmäktige)\w*"
    r"|\bcouncillor\b|\bchairman\b|\bchairperson\b|\bmayor\b|\bpolitician\b",
    "råd|ordförande|ledamot|politiker|förtroendevald|ks|ersättare|councillor|chairman|chairperson|mayor"
    "|politician",
)
_MANAGER = Cue(
    r"chef\b|chefen\b|direktör|\bdirector\b|\bmanager\b|\bhead of\b|\bchief\b|\bvd\b|\bceo\b"
    r"|\bförvaltningsledare\b|\bverksamhetsledare\b|\benhetsledare\b|\bavdelningsledare\b"
    # the heads of a county board and of a school
    r"|\blandshövding\w*|\blänsråd\w*|\brektor\w*",
    "chef|direktör|director|manager|head of|chief|vd|ceo|förvaltningsledare|verksamhetsledare|enhetsledare"
    "|avdelningsledare|landshövding|länsråd|rektor",
)
_OFFICER_WORDS = (
    "strateg|planerare|planarkitekt|arkitekt|utvecklare|handläggare|samordnare|ingenjör|projektledare"
    "|sekreterare|assistent|utredare|controller|analytiker|specialist|koordinator|rådgivare|inspektör|ekolog"
    "|tjänsteperson|tjänsteman|administratör|konsult|projektör|lantmätare|kommunikatör|processledare"
    "|expert|ansvarig|ledare|registrator|ekonom|jurist|statistiker|biolog|arkivarie|bibliotekarie|konsulent"
    "|pedagog|statsvetare"
)
# "medarbetare" and "ombud" alone say only that someone works somewhere; in a compound they are a post
_OFFICER_COMPOUND = r"\w(?:medarbetare|ombud)(?:n|na)?\b"
_OFFICER_EN = (
    "strategist|planner|officer|developer|coordinator|advisor|adviser|architect|engineer|analyst"
    "|specialist|consultant|project manager|project lead"
)
_OFFICER = Cue(
    rf"(?:{_OFFICER_WORDS})(?:e?r|e?n|na|erna)?\b|\b(?:{_OFFICER_EN})\b|{_OFFICER_COMPOUND}",
    f"{_OFFICER_WORDS}|{_OFFICER_EN}|medarbetare|ombud",
)


def role_of(title: str) -> Role | None:
    """The role a title names; a politician's chair beats a manager's title, which beats an officer's."""
    if not title:
        return None
    low = title.lower()
    if _POLITICIAN.search(title, low):
        return "politician"
    officer = _OFFICER.search(title, low)
    manager = _MANAGER.search(title, low)
    if manager and officer:
        # "projektledare" is an officer, "chefsstrateg" too: the word that ends the title decides; when both
        # end together the longer word decides ("verksamhetsledare" is a manager, "utvecklingsledare" not)
        officer_last = officer.end() > manager.end() or (
            officer.end() == manager.end() and officer.start() <= manager.start()
        )
        return "officer" if officer_last and "chef" not in officer.group(0).lower() else "manager"
    if manager:
        return "manager"
    if officer:
        return "officer"
    return None


def title_in(text: str) -> tuple[str, Role] | None:
    """The first title-like word in a text and its role ("vår kommundirektör Thomas" → kommundirektör)."""
    best: tuple[int, str, Role] | None = None
    low = text.lower()
    for pattern, role in ((_POLITICIAN, "politician"), (_MANAGER, "manager"), (_OFFICER, "officer")):
        match = pattern.search(text, low)
        if match and (best is None or match.start() < best[0]):
            best = (match.start(), match.group(0), role)  # type: ignore[assignment]
    return (best[1], best[2]) if best else None
