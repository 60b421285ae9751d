"""Turning an OutgoingMail into a real message: Jinja2 templates, text and HTML parts, .ics attachments."""

from worker.render.message import mail_bytes, render_mail, render_parts, template_names
from worker.render.outgoing import decided_all, render_all, render_decided

__all__ = [
    "decided_all",
    "mail_bytes",
    "render_all",
    "render_decided",
    "render_mail",
    "render_parts",
    "template_names",
]
