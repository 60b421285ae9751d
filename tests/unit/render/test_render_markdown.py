"""The HTML part follows the text: lists, quotes and line breaks carry over; what people wrote stays text."""

from __future__ import annotations

from worker.render.markdown import text_to_html

TEXT = """\
Hej Anna!

Träffar:
- Träff 1: torsdag 12 september 2024
- Träff 2: onsdag 23 oktober 2024

Du skrev:
> Jag kommer <b>gärna</b> & tar med en kollega.

Vänliga hälsningar
Dalalab
"""


def test_lists_quotes_and_lines_of_the_text_show_in_html() -> None:
    html = text_to_html(TEXT, lang="sv", title="Anmälan bekräftad")
    assert "<li>Träff 1: torsdag 12 september 2024</li>" in html
    assert "<blockquote>" in html and "&lt;b&gt;gärna&lt;/b&gt; &amp; tar" in html
    assert "Vänliga hälsningar<br>\nDalalab" in html  # a line break in the text is one in the mail
    assert '<html lang="sv">' in html and "<title>Anmälan bekräftad</title>" in html


def test_no_links_or_raw_html_are_made_from_the_text() -> None:
    html = text_to_html("Se https://example.se och <script>x()</script>\n", lang="en", title="<x>")
    assert "<a " not in html and "<script>" not in html and "<title>&lt;x&gt;</title>" in html
