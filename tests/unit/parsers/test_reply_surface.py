"""Foreign mail clients' quote headers end the new text; disclaimers in any language are cut."""

from __future__ import annotations

import pytest

from parsers import parse
from parsers.reply import split
from tests.unit.parsers.parserkit import MEETINGS, mail

_NEW = "Hej!\n\nJag anmäler mig till träff 2.\n\nHälsningar\nAnna Andersson"
# Each history below names another meeting and asks to cancel: read as new text, it changes the record.
_HISTORY = {
    "outlook_german": "Von: Per Berg <per.berg@falun.se>\nGesendet: Montag, 5. August 2024 10:12\n"
    "An: Anna Andersson <anna.andersson@ludvika.se>\nBetreff: Dalalab\n\nIch sage Treffen 3 ab, avanmäl mig.",
    "outlook_french": "De : Per Berg <per.berg@falun.se>\nEnvoyé : lundi 5 août 2024 10:12\n"
    "À : Anna Andersson <anna.andersson@ludvika.se>\nObjet : Dalalab\n\nJe viens à la träff 3, avanmäl mig.",
    "outlook_dutch": "Van: Per Berg <per.berg@falun.se>\nVerzonden: maandag 5 augustus 2024 10:12\n"
    "Aan: Anna Andersson <anna.andersson@ludvika.se>\nOnderwerp: Dalalab\n\nIk kom naar träff 3, avanmäl mig.",
    "hotmail_date_first": "Date: Mon, 5 Aug 2024 10:12:00 +0200\nSubject: Dalalab\n"
    "From: per.berg@falun.se\nTo: anna.andersson@ludvika.se\n\nJag avanmäler mig från träff 3.",
    "wrote_without_colon": "On Mon, 5 Aug 2024 at 10:12, Per Berg <per.berg@falun.se> wrote\n\n"
    "Jag avanmäler mig från träff 3.",
    "german_wrote": "Am 05.08.2024 um 10:12 schrieb Per Berg <per.berg@falun.se>:\n\n"
    "Jag avanmäler mig från träff 3.",
    "outlook_german_separator": "-----Ursprüngliche Nachricht-----\nVon: Per Berg\n\nJag avanmäler mig från träff 3.",
}


@pytest.mark.parametrize("kind", sorted(_HISTORY))
def test_a_foreign_quote_header_ends_the_new_text(kind: str) -> None:
    body = f"{_NEW}\n\n{_HISTORY[kind]}"
    parts = split(body, ("Anna Andersson",))
    assert "träff 3" not in parts.new_text
    assert parts.quoted, kind
    parsed = parse(mail(body), MEETINGS)
    assert (parsed.intent, [p.meetings for p in parsed.people]) == ("signup", [[2]])


_DISCLAIMERS = {
    "german": "Diese E-Mail ist vertraulich und ausschließlich für den Empfänger bestimmt. Wenn Sie sie "
    "irrtümlich erhalten haben, löschen Sie sie bitte und sagen Sie uns Bescheid.",
    "french": "Ce message est confidentiel et destiné uniquement à son destinataire. Si vous l'avez reçu "
    "par erreur, merci de le supprimer et d'annuler toute diffusion.",
    "english": "This email is confidential. If you have received this email in error, please notify the "
    "sender and cancel or delete it; do not forward it.",
    "dutch": "Dit bericht is vertrouwelijk en uitsluitend bestemd voor de geadresseerde. Heeft u het per "
    "vergissing ontvangen, verwijder het dan en annuleer verdere verspreiding.",
}


@pytest.mark.parametrize("language", sorted(_DISCLAIMERS))
def test_a_disclaimer_in_any_language_never_drives_the_intent(language: str) -> None:
    body = f"Hej!\n\nJag anmäler mig till träff 2.\n\n{_DISCLAIMERS[language]}\n\nHälsningar\nAnna Andersson"
    parts = split(body, ("Anna Andersson",))
    assert parts.disclaimers == [_DISCLAIMERS[language]]
    parsed = parse(mail(body), MEETINGS)
    assert (parsed.intent, parsed.needs_review) == ("signup", False)


def test_a_security_banner_above_the_text_is_cut() -> None:
    banner = "CAUTION: This email originated from outside of the organization. Do not click links or cancel"
    parts = split(f"{banner} anything unless you recognise the sender.\n\n{_NEW}", ("Anna Andersson",))
    assert parts.body.startswith("Hej!")
