"""Issue 10 §4, "small things that confuse": each one through the CLI, on real files and local servers."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from newsletter.cli import app


def invoke(*args: str, input: str | None = None, columns: int = 250) -> object:
    return CliRunner().invoke(app, list(args), input=input, env={"COLUMNS": str(columns), "NEWSLETTER_LANG": "en"})


def out(result: object) -> str:
    return result.output  # type: ignore[attr-defined,no-any-return]


def code(result: object) -> int:
    return result.exit_code  # type: ignore[attr-defined,no-any-return]


def test_draft_without_any_source_says_so_and_how_to_add_one(tmp_path: Path) -> None:
    assert code(invoke("init", str(tmp_path / "ws"))) == 0
    result = invoke("--config", str(tmp_path / "ws" / "newsletter.toml"), "draft", "--month", "2026-12", "--today", "2026-12-01")
    assert code(result) == 0, out(result)
    assert "no source is configured" in out(result)
    assert "[[feeds]]" in out(result) and "[actor_map]" in out(result)
    assert (tmp_path / "ws" / "issues" / "2026-12.md").is_file()


DRAFT_DEC = ("draft", "--month", "2026-12", "--today", "2026-12-01")


def test_init_number_continues_the_series_on_the_first_draft(tmp_path: Path) -> None:
    result = invoke("init", str(tmp_path / "ws"), "--number", "36")
    assert code(result) == 0, out(result)
    assert "number 37" in out(result)
    result = invoke("--config", str(tmp_path / "ws" / "newsletter.toml"), *DRAFT_DEC)
    assert code(result) == 0, out(result)
    assert "\nnumber: 37\n" in (tmp_path / "ws" / "issues" / "2026-12.md").read_text(encoding="utf-8")


def test_init_without_a_terminal_starts_at_1_and_says_how_to_change_it(tmp_path: Path) -> None:
    result = invoke("init", str(tmp_path / "ws"))
    assert code(result) == 0, out(result)
    assert "number 1" in out(result) and "--number" in out(result)
    invoke("--config", str(tmp_path / "ws" / "newsletter.toml"), *DRAFT_DEC)
    assert "\nnumber: 1\n" in (tmp_path / "ws" / "issues" / "2026-12.md").read_text(encoding="utf-8")


def test_init_in_a_terminal_asks_for_the_last_number(tmp_path: Path, monkeypatch: object) -> None:
    import newsletter.cli.workspace as cli_workspace

    monkeypatch.setattr(cli_workspace, "interactive", lambda: True)  # type: ignore[attr-defined]
    result = invoke("init", str(tmp_path / "ws"), input="12\n")
    assert code(result) == 0, out(result)
    assert "last issue" in out(result) and "number 13" in out(result)
    assert "first_number = 13" in (tmp_path / "ws" / "newsletter.toml").read_text(encoding="utf-8")


def test_a_feed_address_without_https_is_named_a_web_address(tmp_path: Path) -> None:
    from tests.support.feeds import write_workspace

    (tmp_path / "feeds").mkdir()
    (tmp_path / "feeds" / "local.xml").write_bytes(b"<rss version='2.0'><channel><title>t</title></channel></rss>")
    config = write_workspace(
        tmp_path, "http://127.0.0.1:9",
        feeds=[("Partenaire", "www.example.org/feed", "veille"), ("Réseau", "example.org/rss", "veille"), ("Copie", "feeds/local.xml", "veille"),
               ("Absente", "feeds/absente.xml", "veille")],
        actor_map=False,
    )
    result = invoke("--config", str(config), "sources", "check", columns=1000)  # no folded cells
    assert code(result) == 1
    text = out(result)
    assert "looks like a web address" in text
    assert 'url = "https://www.example.org/feed"' in text and 'url = "https://example.org/rss"' in text
    assert "https://feeds/" not in text  # a missing local file is only a missing file
    assert text.count("looks like a web address") == 2


def test_actor_map_url_copied_with_api_elements_json_is_accepted(tmp_path: Path) -> None:
    from tests.support.feeds import PREVIOUS_ISSUE, FeedServer, serve_realistic, write_workspace

    with FeedServer() as server:
        serve_realistic(server)
        config = write_workspace(tmp_path, server.url, feeds=[])
        # As copied from the API docs, with the token a protected map needs (README).
        text = config.read_text(encoding="utf-8").replace(f'url = "{server.url}/carte"', f'url = "{server.url}/carte/api/elements.json?token=s3cret"')
        config.write_text(text, encoding="utf-8")
        (tmp_path / "issues" / "2026-11.md").write_text(PREVIOUS_ISSUE, encoding="utf-8")
        result = invoke("--config", str(config), *DRAFT_DEC)
        assert code(result) == 0, out(result)
        site = server.url + "/carte"
        paths = [path for path, _ in server.requests]
        assert "/carte/api/elements.json?token=s3cret" in paths and "/carte/api/taxonomy.json?token=s3cret" in paths, paths
    draft = (tmp_path / "issues" / "2026-12.md").read_text(encoding="utf-8")
    assert f"{site}/map/2Kq" in draft  # the actors' links: the map's site, not its API
    assert "/api/elements.json/" not in draft and "s3cret" not in draft  # the token stays out of the letter
    invoke("--config", str(config), "render", str(tmp_path / "issues" / "2026-12.md"))
    html = (tmp_path / "build" / "2026-12.html").read_text(encoding="utf-8")
    assert f"{site}/annuaire" in html and "s3cret" not in html


def test_commands_from_a_sub_folder_find_the_workspace(tmp_path: Path, monkeypatch: object) -> None:
    from tests.support.workspace import make_workspace

    _, issue = make_workspace(tmp_path / "ws")
    monkeypatch.chdir(issue.parent)  # type: ignore[attr-defined]  # she is in issues/
    result = invoke("render", "2026-12.md")
    assert code(result) == 0, out(result)
    assert (tmp_path / "ws" / "build" / "2026-12.html").is_file()  # the workspace's build/, not issues/build/
    # A relative --out still means relative to where she is.
    result = invoke("render", "2026-12.md", "--out", "ici")
    assert code(result) == 0, out(result)
    assert (issue.parent / "ici" / "2026-12.html").is_file()


def test_an_issue_named_from_the_workspace_root_is_found_in_issues(tmp_path: Path, monkeypatch: object) -> None:
    from tests.support.workspace import make_workspace

    make_workspace(tmp_path / "ws")
    monkeypatch.chdir(tmp_path / "ws")  # type: ignore[attr-defined]
    result = invoke("check", "2026-12.md")
    assert code(result) == 0, out(result)
    assert "2026-12.md is not in this folder: using issues/2026-12.md" in out(result)
    result = invoke("check", "2027-01.md")
    assert code(result) == 2 and "Traceback" not in out(result)
    assert "2027-01.md" in out(result)


def test_outbox_test_says_it_wrote_a_file_and_which(tmp_path: Path) -> None:
    import email
    from email import policy

    from tests.support.workspace import make_workspace, workspace_config

    config, issue = make_workspace(tmp_path / "ws", config=workspace_config(provider="outbox", outbox=True))
    dry = invoke("--config", str(config), "send", str(issue), "--test", "--dry-run")
    assert code(dry) == 0, out(dry)
    assert "send a test" not in out(dry).lower() and "write the test message to a file" in out(dry)
    result = invoke("--config", str(config), "send", str(issue), "--test", "--to", "moi@example.org")
    assert code(result) == 0, out(result)
    written = tmp_path / "ws" / "outbox" / "2026-12" / "test.eml"
    assert "sent a test" not in out(result).lower()
    assert f"Wrote the test message for moi@example.org to {written} (nothing was mailed)" in " ".join(out(result).split())
    message = email.message_from_bytes(written.read_bytes(), policy=policy.default)
    assert message["To"] == "moi@example.org" and message["Subject"] == "Rues scolaires et vélobus en décembre"


def test_quiet_verbose_and_debug_work_after_the_command_name(tmp_path: Path) -> None:
    from tests.support.workspace import make_workspace

    config, issue = make_workspace(tmp_path / "ws")
    loud = invoke("--config", str(config), "render", str(issue))
    assert code(loud) == 0 and "wrote" in out(loud)
    quiet = invoke("--config", str(config), "render", str(issue), "-q")
    assert code(quiet) == 0, out(quiet)
    assert "wrote" not in out(quiet)
    debug = invoke("--config", str(config), "check", str(tmp_path / "nope.md"), "--debug")
    assert code(debug) == 2 and "Traceback" in out(debug) and "issue file not found" in out(debug)
    verbose = invoke("--config", str(config), "sources", "check", "-vv")
    assert "No such option" not in out(verbose)
    # After `--`, a word is a word: `-q` there is an argument, never the option.
    literal = invoke("--config", str(config), "check", "--", "-q")
    assert "issue file not found: -q" in out(literal)


def _command_paths() -> list[list[str]]:
    import click
    import typer.main

    paths: list[list[str]] = []

    def walk(command: click.Command, path: list[str]) -> None:
        paths.append(path)
        if isinstance(command, click.Group):
            for name, sub in command.commands.items():
                walk(sub, [*path, name])

    walk(typer.main.get_command(app), [])
    return paths


def test_every_help_is_free_of_type_placeholders() -> None:
    import re

    paths = _command_paths()
    assert ["sources", "check"] in paths and ["init"] in paths
    placeholder = re.compile(r"<(?:bool|int|float|str|path|list\[[^\]]*\]|dict\[[^\]]*\]|[A-Za-z_]+\[[^\]]*\])>|\b(?:NoneType|typing\.|list\[str\])", re.I)
    for path in paths:
        result = invoke(*path, "--help")
        assert code(result) == 0, (path, out(result))
        assert not placeholder.search(out(result)), (path, out(result))
        assert "[default: 0]" not in out(result) and "[default: False]" not in out(result), (path, out(result))
        assert "x>=" not in out(result) and "<=x" not in out(result), (path, out(result))  # Click's ranges


def test_the_progress_bar_names_the_source_still_awaited(tmp_path: Path) -> None:
    from tests.support.feeds import FeedServer, Route, asset, serve_realistic, write_workspace

    with FeedServer() as server:
        serve_realistic(server)
        server.add("/lent.xml", Route(asset("observatoire.atom"), content_type="application/atom+xml", delay=1.5))
        config = write_workspace(
            tmp_path, server.url, feeds=[("Mobiscol", "/wordpress/feed/", "reseau"), ("Lent", "/lent.xml", "veille"), ("Observatoire", "/atom.xml", "veille")]
        )
        # FORCE_COLOR makes rich draw the live bar although the output is captured.
        result = CliRunner().invoke(
            app, ["--config", str(config), "sources", "check"], env={"COLUMNS": "250", "NEWSLETTER_LANG": "en", "FORCE_COLOR": "1"}
        )
    assert code(result) == 0, out(result)
    frames = out(result)
    assert "waiting for Lent" in frames
    assert "waiting for Carte des acteurs" not in frames and "(actor map)" not in frames


def test_check_links_offline_says_so_once(tmp_path: Path) -> None:
    from tests.support.http import LocalServer
    from tests.support.workspace import FRONT, make_workspace, workspace_config

    class Gone(LocalServer):
        def handle(self, request: object) -> None:  # never called: the server is stopped
            raise AssertionError

    with Gone() as gone:
        base = gone.base_url  # a port with nothing listening once stopped: every connection is refused
    body = "\n## Édito\n" + "".join(f"Lisez [le guide {n}]({base}/guide-{n}).\n\n" for n in range(5))
    config, issue = make_workspace(
        tmp_path / "ws",
        config=workspace_config(web_url=f"{base}/archive/", unsubscribe_url=f"{base}/desinscription"),
        issue=FRONT + body,
    )
    result = invoke("--config", str(config), "check", str(issue), "--links")
    assert code(result) == 1 and "Traceback" not in out(result)
    assert out(result).count("seems to be offline") == 1
    assert "(link-broken)" not in out(result)


def test_the_init_workspace_footer_names_the_organisation_once(tmp_path: Path) -> None:
    from tests.support.workspace import BODY, FRONT

    assert code(invoke("init", str(tmp_path / "ws"))) == 0
    issue = tmp_path / "ws" / "issues" / "2026-12.md"
    issue.write_text(FRONT + BODY, encoding="utf-8")
    result = invoke("--config", str(tmp_path / "ws" / "newsletter.toml"), "render", str(issue))
    assert code(result) in (0, 1), out(result)
    text = (tmp_path / "ws" / "build" / "2026-12.txt").read_text(encoding="utf-8")
    footer = next(line for line in text.splitlines() if "rue de l'Exemple" in line)
    assert footer.count("Mon association") == 1, footer


def test_the_draft_placeholders_ask_for_the_lengths_the_check_enforces(tmp_path: Path) -> None:
    import re

    assert code(invoke("init", str(tmp_path / "ws"))) == 0
    config = str(tmp_path / "ws" / "newsletter.toml")
    assert code(invoke("--config", config, *DRAFT_DEC)) == 0
    path = tmp_path / "ws" / "issues" / "2026-12.md"
    draft = path.read_text(encoding="utf-8")
    subject_max = int(re.search(r'^subject: ".*\(au plus (\d+) caractères\)"$', draft, re.M).group(1))  # type: ignore[union-attr]
    low, high = map(int, re.search(r'^preheader: ".*\((\d+) à (\d+) caractères\)"$', draft, re.M).groups())  # type: ignore[union-attr]

    def problems(subject: str, preheader: str) -> str:
        text = re.sub(r'^subject: ".*"$', f'subject: "{subject}"', draft, flags=re.M)
        path.write_text(re.sub(r'^preheader: ".*"$', f'preheader: "{preheader}"', text, flags=re.M), encoding="utf-8")
        return out(invoke("--config", config, "check", str(path)))

    fits = problems("s" * subject_max, "p" * low)
    assert "(subject)" not in fits and "(preheader)" not in fits
    assert "(subject)" not in problems("s" * subject_max, "p" * high).replace("(preheader)", "")
    assert "(preheader)" not in problems("s" * 10, "p" * high)
    too_long = problems("s" * (subject_max + 1), "p" * (high + 1))
    assert f"keep it to {subject_max} or fewer" in too_long and f"aim for {low} to {high}" in too_long


def test_the_actors_intro_counts_the_actors_left_when_rendered(tmp_path: Path) -> None:
    import re

    from tests.support.feeds import PREVIOUS_ISSUE, FeedServer, serve_realistic, write_workspace

    with FeedServer() as server:
        serve_realistic(server)
        config = write_workspace(tmp_path, server.url, feeds=[])
        (tmp_path / "issues" / "2026-11.md").write_text(PREVIOUS_ISSUE, encoding="utf-8")
        assert code(invoke("--config", str(config), *DRAFT_DEC)) == 0
    path = tmp_path / "issues" / "2026-12.md"
    draft = path.read_text(encoding="utf-8")
    assert "dont 3 nouveaux acteurs" in draft
    # The editor keeps one actor of three: she deletes the second and third items of the section.
    start = draft.index("## Nouveaux acteurs sur la carte")
    end = draft.index("\n## ", start + 1)
    section = draft[start:end]
    items = [m.start() for m in re.finditer(r"^### ", section, re.M)]
    kept = section[: items[1]]
    path.write_text(draft[:start] + kept + draft[end:], encoding="utf-8")
    invoke("--config", str(config), "render", str(path))
    text = (tmp_path / "build" / "2026-12.txt").read_text(encoding="utf-8")
    html = (tmp_path / "build" / "2026-12.html").read_text(encoding="utf-8")
    assert "dont 1 nouvel acteur" in text and "dont 1 nouvel acteur" in html
    assert "dont 3 nouveaux acteurs" not in text + html


def test_an_agenda_event_before_the_issue_date_is_a_warning(tmp_path: Path) -> None:
    from tests.support.workspace import FRONT, make_workspace, workspace_config

    config = workspace_config() + '\n[[sections]]\nid = "agenda"\ntitle = "Agenda"\nlayout = "agenda"\n'
    events = [  # FRONT's date is 2026-12-08
        ("passé", "jeudi 3 décembre 2026 · en ligne"),
        ("sans année, passé", "1er décembre · Lyon"),
        ("numérique, passé", "05/12/2026 · Paris"),
        ("le jour même", "mardi 8 décembre 2026 · Paris"),
        ("en cours", "du 30 novembre au 12 décembre 2026 · Paris"),
        ("janvier sans année", "14 janvier · en ligne"),
        ("ISO, à venir", "2027-01-20 · Nantes"),
        ("sans date", "en ligne, date à venir"),
    ]
    body = "\n## Agenda\n" + "".join(f"\n### [Événement {name}](https://example.org/{n})\n*{meta}*\nUn rendez-vous.\n" for n, (name, meta) in enumerate(events))
    _, issue = make_workspace(tmp_path / "ws", config=config, issue=FRONT + body)
    result = invoke("--config", str(tmp_path / "ws" / "newsletter.toml"), "check", str(issue))
    assert code(result) == 0, out(result)  # a warning, not an error
    past = [line for line in out(result).splitlines() if "(agenda-past)" in line]
    assert len(past) == 3, out(result)
    lines = issue.read_text(encoding="utf-8").splitlines()
    for warning, name in zip(past, ["passé", "sans année, passé", "numérique, passé"], strict=True):
        number = int(warning.split(f"{issue}:", 1)[1].split(":", 1)[0])
        assert f"Événement {name}]" in lines[number - 1], warning
    assert "before the issue's date" in past[0]  # its dates are in the user's language (newsletter.formats)


def test_sources_check_and_draft_with_every_feed_disabled_say_so(tmp_path: Path) -> None:
    from tests.support.feeds import write_workspace

    config = write_workspace(tmp_path, "http://127.0.0.1:9", feeds=[("Partenaire", "https://example.org/feed", "veille")], actor_map=False)
    config.write_text(config.read_text(encoding="utf-8").replace('section = "veille"', 'section = "veille"\nenabled = false'), encoding="utf-8")
    result = invoke("--config", str(config), "sources", "check")
    assert code(result) == 0 and "enabled = false" in out(result), out(result)
    result = invoke("--config", str(config), *DRAFT_DEC)
    assert code(result) == 0 and "enabled = false" in out(result), out(result)
