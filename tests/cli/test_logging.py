"""The CLI's one warning channel: core log records print like the CLI's own lines, secrets redacted."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from newsletter.cli.output import Output, configure_logging


@pytest.fixture(autouse=True)
def no_handler_left() -> Iterator[None]:
    yield
    logging.getLogger("newsletter").handlers.clear()


def test_a_core_warning_prints_like_a_result_warning(capsys: pytest.CaptureFixture[str]) -> None:
    output = Output()
    configure_logging(output)
    logging.getLogger("newsletter.send").warning("the list %s has %d subscribers", "[[liste]]", 0)
    output.warn("a result warning")
    assert capsys.readouterr().err.splitlines() == ["Warning: the list [[liste]] has 0 subscribers", "Warning: a result warning"]


def test_log_records_are_redacted_and_info_needs_verbose(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging(Output(secrets=["xkeysib-SECRET"]))
    log = logging.getLogger("newsletter.providers.brevo")
    log.info("not shown without -v")
    log.warning("refused key xkeysib-SECRET")
    assert capsys.readouterr().err == "Warning: refused key ***\n"


def test_verbose_shows_info_and_quiet_hides_warnings(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging(Output(verbose=1))
    logging.getLogger("newsletter.draft").info("fetching 12 feeds")
    assert capsys.readouterr().err == "fetching 12 feeds\n"
    configure_logging(Output(quiet=True))
    logging.getLogger("newsletter.draft").warning("hidden by -q")
    assert capsys.readouterr().err == ""
