"""The CLI's one output channel: core log records print like the CLI's own lines, secrets redacted."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest
from rich.console import Console

from newsletter.cli.output import Output, configure_logging


@pytest.fixture
def captured() -> Iterator[tuple[Output, io.StringIO]]:
    buffer = io.StringIO()
    output = Output(err=Console(file=buffer, width=200, highlight=False, emoji=False, no_color=True))
    output.secrets.append("xkeysib-SECRET")
    configure_logging(output)
    yield output, buffer
    logging.getLogger("newsletter").handlers.clear()


def test_a_core_warning_prints_like_a_result_warning(captured: tuple[Output, io.StringIO]) -> None:
    output, buffer = captured
    logging.getLogger("newsletter.send").warning("the list %s has %d subscribers", "[[liste]]", 0)
    output.warn("a result warning")
    lines = buffer.getvalue().splitlines()
    assert lines == ["Warning: the list [[liste]] has 0 subscribers", "Warning: a result warning"]


def test_log_records_are_redacted_and_info_needs_verbose(captured: tuple[Output, io.StringIO]) -> None:
    _, buffer = captured
    log = logging.getLogger("newsletter.providers.brevo")
    log.info("not shown without -v")
    log.warning("refused key xkeysib-SECRET")
    assert buffer.getvalue() == "Warning: refused key ***\n"


def test_verbose_shows_info_and_quiet_hides_warnings() -> None:
    buffer = io.StringIO()
    verbose = Output(verbose=1, err=Console(file=buffer, width=200, no_color=True))
    configure_logging(verbose)
    logging.getLogger("newsletter.draft").info("fetching 12 feeds")
    assert buffer.getvalue() == "fetching 12 feeds\n"
    quiet = Output(quiet=True, err=Console(file=buffer, width=200, no_color=True))
    configure_logging(quiet)
    logging.getLogger("newsletter.draft").warning("hidden by -q")
    assert "hidden" not in buffer.getvalue()
    logging.getLogger("newsletter").handlers.clear()
