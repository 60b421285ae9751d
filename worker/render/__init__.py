"""Turning an OutgoingMail into a real message: Jinja2 templates, text and HTML parts, .ics attachments."""

from worker.render.message import render_mail, render_parts, template_names

__all__ = ["render_mail", "render_parts", "template_names"]
