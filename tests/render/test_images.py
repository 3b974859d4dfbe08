"""Images written as files: which addresses are local, what they are rewritten to."""

from __future__ import annotations

from pathlib import Path

from newsletter.render.images import localise_images


def test_only_files_are_local_and_only_found_ones_are_rewritten(tmp_path: Path) -> None:
    (tmp_path / "images" / "2026").mkdir(parents=True)
    (tmp_path / "images" / "2026" / "vélo.png").write_bytes(b"x")
    source = (
        "![a](https://ex.org/a.png) ![b](data:image/png;base64,xx) ![c]({{ logo }})\n"
        "![d](./images/2026/vélo.png \"Titre\") ![e](<images/2026/vélo.png>)\n"
        "![f](file:///C:/Users/m/vélo.png) ![g](../images/absent.png)\n"
    )
    text, found = localise_images(source, root=tmp_path, web_url="https://ex.org/lettre/")
    url = "https://ex.org/lettre/images/2026/v%C3%A9lo.png"
    assert text.splitlines()[0] == source.splitlines()[0]
    assert text.splitlines()[1] == f'![d]({url} "Titre") ![e]({url})'
    assert [(image.line, image.written, image.found, image.elsewhere) for image in found] == [
        (2, "./images/2026/vélo.png", True, False), (2, "images/2026/vélo.png", True, False),
        (3, "file:///C:/Users/m/vélo.png", False, True), (3, "../images/absent.png", False, False),
    ]
    assert found[3].file == tmp_path / "images" / "absent.png"


def test_no_image_no_work(tmp_path: Path) -> None:
    assert localise_images("## Édito\n", root=tmp_path, web_url=None) == ("## Édito\n", ())
