"""The `newsletter` command line: the only package that imports typer or rich, prints or prompts.

Each command parses its arguments, loads the settings, calls one core function, prints the
result through `printers`, and maps `NewsletterError` to an exit code (`app.AppContext.guard`).
Importing this package registers every command on `app`.
"""

import os
import sys

from newsletter.cli.language import choose_language, current_folder

# Before the commands are defined: their help texts are translated when they are.
choose_language(sys.argv[1:], os.environ, current_folder())

from newsletter.cli import (  # noqa: E402
    archive,
    defi,
    demo,
    draft,
    publish,
    render,
    report,
    send,
    stats,
    workspace,
)
from newsletter.cli.app import app  # noqa: E402

__all__ = ["app", "archive", "defi", "demo", "draft", "publish", "render", "report", "send", "stats", "workspace"]
