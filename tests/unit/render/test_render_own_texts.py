"""An organiser's own mail texts (ANMALAN_TEMPLATES_DIR) are used before the built-in ones, per language."""

from __future__ import annotations

from pathlib import Path

from mailbook import sample_mails

from worker.render import render_parts

OWN_CONFIRMATION = """\
{% extends "_base.txt.j2" %}
{% block subject %}Välkommen till Dalalab, {{ registration.name }}{% endblock %}
{% block body %}
Hej {{ registration.name }}! Vi ses i Falun.
{% endblock %}
"""


def test_a_text_in_the_organisers_folder_replaces_the_built_in_one_of_its_language(tmp_path: Path) -> None:
    (tmp_path / "sv").mkdir()
    (tmp_path / "sv" / "confirmation.txt.j2").write_text(OWN_CONFIRMATION, encoding="utf-8")
    mail, event = sample_mails("sv")["confirmation"]

    subject, text, html = render_parts(mail, event, tmp_path)

    assert subject.startswith(f"Välkommen till Dalalab, {mail.context['registration']['name']} [Ref ")
    assert "Vi ses i Falun." in text
    assert "Vänliga hälsningar" in text  # the built-in layout it extends is still found
    assert "Vi ses i Falun." in html  # the HTML part follows the text, there is no second file to edit
    # The other texts, and the English confirmation, stay as shipped.
    waitlisted, _ = sample_mails("sv")["waitlisted"]
    assert render_parts(waitlisted, event, tmp_path) == render_parts(waitlisted, event)
    english, _ = sample_mails("en")["confirmation"]
    assert render_parts(english, event, tmp_path) == render_parts(english, event)
