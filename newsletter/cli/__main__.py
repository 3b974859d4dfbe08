"""`python -m newsletter.cli`: the same as the `newsletter` command."""

import sys

from newsletter.cli import app

sys.exit(app())
