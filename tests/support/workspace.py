"""Small builders for render tests: a minimal workspace and an issue text."""

from __future__ import annotations

from pathlib import Path

CONFIG = '''[newsletter]
name = "Mobiscol"
title = "La lettre de Mobiscol"
provider = "brevo"
web_url = "https://lettre.example.org/mobiscol/"
unsubscribe_url = "https://lettre.example.org/mobiscol/desinscription"
organisation = "Vivacités Île-de-France"
address = "Paris"

[[sections]]
id = "edito"
title = "Édito"
layout = "text"

[[sections]]
id = "veille"
title = "Veille"
layout = "list"
'''

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
