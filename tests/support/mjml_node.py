"""The official MJML compiler (npm package `mjml`), installed by `make mjml-validator` when Node exists.

Tests that need it ask for the `official_mjml` fixture (tests/render/conftest.py), which skips
with the reason when Node or the package is absent: CI machines may not have Node.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from tests.conftest import ROOT


def mjml_cli() -> str | None:
    """The path of the official `mjml` command, or None when it cannot run here."""
    local = ROOT / ".cache" / "node" / "node_modules" / ".bin" / "mjml"
    if local.exists() and shutil.which("node"):
        return str(local)
    return shutil.which("mjml")


def compile_official(cli: str, sources: dict[str, str], folder: Path) -> dict[str, str]:
    """Compile several MJML documents with one run of the official CLI: name -> HTML."""
    folder.mkdir(parents=True, exist_ok=True)
    inputs = []
    for name, mjml in sources.items():
        path = folder / f"{name}.mjml"
        path.write_text(mjml, encoding="utf-8")
        inputs.append(str(path))
    out = folder / "out"
    out.mkdir(exist_ok=True)
    done = subprocess.run(
        [cli, "--config.validationLevel=skip", *inputs, "-o", f"{out}/"],
        capture_output=True, text=True, timeout=180, check=False,
    )
    assert done.returncode == 0, done.stderr
    return {name: (out / f"{name}.html").read_text(encoding="utf-8") for name in sources}
