"""Small enums shared by the CLI and the core, kept free of heavy imports (fast --help)."""

from __future__ import annotations

from enum import StrEnum


class Provider(StrEnum):
    """Where campaigns go."""

    brevo = "brevo"
    mailjet = "mailjet"
    outbox = "outbox"


class Layout(StrEnum):
    """How a section is laid out in the email."""

    text = "text"
    cards = "cards"
    list = "list"
    actors = "actors"
    agenda = "agenda"


class OutputFormat(StrEnum):
    """Formats of tabular output."""

    table = "table"
    csv = "csv"
    json = "json"
