"""The HTML part of a mail, derived from its text: a small Markdown subset (paragraphs, lists, quotes, emphasis).

One text per mail and language is what an organiser edits; the HTML follows it, so the two never disagree.
Raw HTML in the text is shown as text (a name like "<b>Anna</b>" stays harmless), and links are not made.
"""

from __future__ import annotations

from html import escape

from markdown_it import MarkdownIt

# "zero" has paragraphs only; each rule added here is one an organiser may use in a text.
_MARKDOWN = MarkdownIt("zero", {"breaks": True, "html": False}).enable(
    ["list", "blockquote", "emphasis", "newline", "escape"]
)

# Inline styles only, no images or links to fetch: what every mail program shows the same way.
_PAGE = (
    '<!DOCTYPE html>\n<html lang="{lang}">\n<head><meta charset="utf-8"><title>{title}</title></head>\n'
    '<body style="margin:0;padding:0;background:#f3f4f6;">\n'
    '<div style="max-width:600px;margin:0 auto;padding:24px;background:#ffffff;'
    'font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.5;color:#1f2937;">\n'
    "{body}</div>\n</body>\n</html>\n"
)


def text_to_html(text: str, *, lang: str, title: str) -> str:
    """A whole HTML document showing `text` (already rendered from its template) as the mail's HTML part."""
    return _PAGE.format(lang=escape(lang), title=escape(title), body=_MARKDOWN.render(text))
