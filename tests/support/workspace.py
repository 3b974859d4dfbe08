"""The workspace builders of the tests: one newsletter.toml, a minimal workspace and an issue text."""

from __future__ import annotations

from pathlib import Path

SECTIONS = """
[[sections]]
id = "edito"
title = "Édito"
layout = "text"

[[sections]]
id = "veille"
title = "Veille"
layout = "list"
"""


def workspace_config(
    *,
    provider: str = "brevo",
    web_url: str | None = "https://lettre.example.org/mobiscol/",
    unsubscribe_url: str = "https://lettre.example.org/mobiscol/desinscription",
    subscribe_url: str | None = None,
    website_url: str | None = None,
    brevo_url: str | None = None,
    mailjet_url: str | None = None,
    timeout: float = 0.3,
    outbox: bool = False,
) -> str:
    """The one newsletter.toml of the tests: the newsletter, two sections, and the provider
    sections asked for (the fake servers' URLs), each area choosing only what differs."""
    lines = [
        "[newsletter]",
        'name = "Mobiscol"',
        'title = "La lettre de Mobiscol"',
        'timezone = "Europe/Paris"',
        f'provider = "{provider}"',
        *([f'web_url = "{web_url}"'] if web_url else []),
        *([f'subscribe_url = "{subscribe_url}"'] if subscribe_url else []),
        *([f'website_url = "{website_url}"'] if website_url else []),
        f'unsubscribe_url = "{unsubscribe_url}"',
        'organisation = "Vivacités Île-de-France"',
        'address = "Paris"',
        SECTIONS,
    ]
    sender = 'sender_name = "Mobiscol"\nsender_email = "lettre@example.org"\nreply_to = "contact@example.org"\ntest_emails = ["equipe@example.org"]'
    if brevo_url is not None:
        lines.append(f'[brevo]\nbase_url = "{brevo_url}"\nlist_ids = [2]\n{sender}\ntimeout = {timeout}\n')
    if mailjet_url is not None:
        lines.append(f'[mailjet]\nbase_url = "{mailjet_url}"\ncontacts_list_id = 10\n{sender}\ntimeout = {timeout}\n')
    if outbox:
        lines.append(f'[outbox]\ndir = "outbox"\n{sender}\n')
    return "\n".join(lines)


CONFIG = workspace_config()

FRONT = '''---
title: "La lettre de Mobiscol — décembre 2026"
subject: "Rues scolaires et vélobus en décembre"
preheader: "L'actualité de l'écomobilité scolaire en décembre, en quelques minutes"
date: 2026-12-08
number: 37
---
'''

BODY = '''
## Édito
Bonjour à toutes et à tous.

## Veille
### [Une rue scolaire à Lyon](https://example.org/rue-scolaire)
*Rue de l'Avenir · 12 novembre 2026*
Un retour d'expérience.
'''


def make_workspace(root: Path, *, config: str = CONFIG, issue: str | None = None) -> tuple[Path, Path]:
    """Write newsletter.toml and issues/2026-12.md under root; return (config, issue) paths."""
    root.mkdir(parents=True, exist_ok=True)
    config_path = root / "newsletter.toml"
    config_path.write_text(config, encoding="utf-8")
    issue_path = root / "issues" / "2026-12.md"
    issue_path.parent.mkdir(exist_ok=True)
    issue_path.write_text(FRONT + BODY if issue is None else issue, encoding="utf-8")
    return config_path, issue_path


# Everything the theme can draw, on top of the example issue: free Markdown with a quote, a
# '####' heading, a rule, a table and a link in a sentence; an item with a button in the
# highlighted section.
EDITO_EXTRAS = """
> « Le chemin de l'école est le premier espace public que l'enfant parcourt seul. »

#### Ce que change l'hiver

Les horaires des lignes, selon [le guide du réseau](https://www.example.org/guide-hiver) :

| Ligne | Départ | Arrivée à l'école |
|---|---|---|
| Pédibus des Acacias | 8 h 05 | 8 h 25 |
| Vélobus des Tilleuls | 7 h 50 | 8 h 15 |

---
"""

HIGHLIGHT_ITEM = """
### [Préinscrire sa classe au Défi Moov'IDF 2027](https://defi-moov-idf.org/inscription)
*Préinscriptions jusqu'au 15 mars 2027*
Une classe préinscrite reçoit le kit de comptage dès janvier.
"""


def kitchen_sink_workspace(root: Path, *, theme: tuple[str, str] | None = None) -> tuple[Path, Path]:
    """A copy of the example workspace whose issue uses every block of the theme; (config, issue)."""
    import shutil

    from tests.conftest import EXAMPLES

    shutil.copytree(EXAMPLES, root)
    config = root / "newsletter.toml"
    if theme is not None:
        text = config.read_text(encoding="utf-8")
        text = text.replace('primary_color = "#00806e"', f'primary_color = "{theme[0]}"').replace('accent_color = "#e8590c"', f'accent_color = "{theme[1]}"')
        config.write_text(text, encoding="utf-8")
    issue = root / "issues" / "2026-11.md"
    text = issue.read_text(encoding="utf-8")
    text = text.replace("\n*L'équipe Mobiscol*", EDITO_EXTRAS + "\n*L'équipe Mobiscol*", 1)
    text = text.rstrip("\n") + "\n" + HIGHLIGHT_ITEM
    issue.write_text(text, encoding="utf-8")
    return config, issue
