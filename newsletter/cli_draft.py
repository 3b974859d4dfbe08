"""Commands of the draft capability (registered on the app by cli.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import typer


def register(app: typer.Typer, app_context: Callable[[typer.Context], Any]) -> None:
    """Add this capability's commands to the app."""
