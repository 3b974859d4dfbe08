"""`newsletter publish` to a mounted folder (file://), and the target checks every protocol shares."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.publish.conftest import Cli, set_target, tree

ISSUE = """---
title: "La lettre de Mobiscol — décembre 2026"
subject: "Rues scolaires en décembre"
preheader: "L'actualité de l'écomobilité scolaire en décembre"
date: 2026-12-08
number: 38
---

## Édito

Bonjour ! Voici [le replay](https://www.example.org/replay) du webinaire.

![Un vélobus en hiver](https://lettre.example.org/mobiscol/images/hiver.png)
"""


def test_first_publish_sends_all_second_nothing_then_only_what_changed(ws: Path, site: Path, cli: Cli, tmp_path: Path) -> None:
    www = tmp_path / "www"
    www.mkdir()
    (www / "notes-de-l-hebergeur.txt").write_text("not ours", encoding="utf-8")
    set_target(ws, f"file://{www}/")
    first = cli("publish")
    assert first.exit_code == 0, first.output
    assert "7 files sent" in first.stdout and "0 unchanged" in first.stdout
    assert {k: v for k, v in tree(www).items() if k != "notes-de-l-hebergeur.txt"} == tree(site)

    assert (ws / "state" / "site-hashes.json").is_file()  # kept once the publish succeeded
    second = cli("publish")
    assert second.exit_code == 0, second.output
    assert "0 files sent" in second.stdout and "7 unchanged, 0 removed" in second.stdout

    # A new issue, sent: only its page, the index, the feed and its new image go.
    (ws / "issues" / "2026-12.md").write_text(ISSUE, encoding="utf-8")
    (ws / "images" / "hiver.png").write_bytes((ws / "images" / "velobus.png").read_bytes() + b"\0")
    assert cli("archive", "--all").exit_code == 0
    third = cli("-v", "publish")
    assert third.exit_code == 0, third.output
    assert "4 files sent" in third.stdout, third.output
    for name in ("2026-12.html", "index.html", "feed.xml", "images/hiver.png"):
        assert f"sent {name}" in third.output

    # A file the site dropped is removed; a file someone else put there stays.
    (site / "images" / "pedibus.png").unlink()
    (ws / "images" / "pedibus.png").unlink()
    fourth = cli("publish")
    assert fourth.exit_code == 0, fourth.output
    assert "1 removed" in fourth.stdout and not (www / "images" / "pedibus.png").exists()
    assert (www / "notes-de-l-hebergeur.txt").read_text(encoding="utf-8") == "not ours"
    manifest = json.loads((ws / "state" / "publish.json").read_text(encoding="utf-8"))
    assert "images/pedibus.png" not in manifest["targets"][f"file://{www}/"]


def test_dry_run_changes_nothing(ws: Path, site: Path, cli: Cli, tmp_path: Path) -> None:
    www = tmp_path / "www"
    www.mkdir()
    set_target(ws, f"file://{www}/")
    result = cli("publish", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "Dry run: would send index.html" in result.output and "7 files to send" in result.stdout
    assert tree(www) == {} and not (ws / "state" / "publish.json").exists()
    assert not (ws / "state" / "site-hashes.json").exists()  # a dry run writes nothing, not even a cache


def test_archive_publish_does_both(ws: Path, cli: Cli, tmp_path: Path) -> None:
    www = tmp_path / "www"
    www.mkdir()
    set_target(ws, f"file://{www}/")
    result = cli("archive", "--all", "--publish")
    assert result.exit_code == 0, result.output
    assert (www / "index.html").is_file() and (www / "images" / "velobus.png").is_file()


def test_a_target_folder_that_does_not_exist(ws: Path, site: Path, cli: Cli, tmp_path: Path) -> None:
    set_target(ws, f"file://{tmp_path}/nowhere/")
    before = tree(ws)
    result = cli("publish")
    assert result.exit_code == 1, result.output
    assert f"the target folder {tmp_path}/nowhere does not exist" in result.output and "Traceback" not in result.output
    assert tree(ws) == before and not (tmp_path / "nowhere").exists()


@pytest.mark.parametrize(
    ("target", "words"),
    [
        ("monserveur.org/www", "is not a URL"),
        ("https://lettre.example.org/", "newsletter cannot publish to 'https://'"),
        ("scp://user@host/www/", "newsletter cannot publish to 'scp://'"),
        ("sftp:///www/", "names no server"),
    ],
)
def test_a_bad_target_is_refused_in_plain_words(ws: Path, site: Path, cli: Cli, target: str, words: str) -> None:
    set_target(ws, target)
    before = tree(ws)
    result = cli("publish")
    assert result.exit_code == 2, result.output
    assert words in result.output and "sftp://user@host/path/" in result.output and "Traceback" not in result.output
    assert tree(ws) == before


def test_a_password_in_the_target_is_refused_and_never_repeated(ws: Path, site: Path, cli: Cli) -> None:
    set_target(ws, "ftp://lettre:Hunter2-secret@127.0.0.1/www/")
    result = cli("publish")
    assert result.exit_code == 2, result.output
    assert "holds a password" in result.output and "NEWSLETTER_PUBLISH_PASSWORD" in result.output
    assert "Hunter2-secret" not in result.output


def test_no_target_says_how_to_set_one(ws: Path, site: Path, cli: Cli) -> None:
    result = cli("publish")
    assert result.exit_code == 2, result.output
    assert "no [publish] target" in result.output and "[publish]" in result.output


def test_no_site_says_to_run_archive(ws: Path, cli: Cli, tmp_path: Path) -> None:
    set_target(ws, f"file://{tmp_path}/")
    result = cli("publish")
    assert result.exit_code == 2, result.output
    assert "run `newsletter archive` first" in result.output
