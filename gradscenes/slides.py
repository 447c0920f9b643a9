"""Slide decks that play without network: what ``gradscenes slides`` runs.

A deck is made of the collection's scenes as manim-slides decks (:mod:`scenes.slides`, one
slide per storyboard beat): ``manim render`` renders them (which is all ``manim-slides
render`` does) and ``manim-slides convert`` writes a reveal.js page. manim-slides' template
loads reveal.js from a CDN, so such a page is blank in a lecture hall without network. Here
the template's ``cdn_url`` points at a folder beside the page instead, and the reveal.js files
the page loads are copied there from the project's copy, which the set-up (``tools/setup.sh``)
fetches once from the npm registry into ``.cache/reveal.js/VERSION/``::

    talk.html
    talk_assets/*.mp4           the slides' clips (written by manim-slides)
    talk_assets/reveal.js/      the reveal.js styles and scripts talk.html loads, and its licence

``talk.html`` with ``talk_assets/`` is the whole deck: it plays in a browser from any folder,
offline.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Sequence
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from gradscenes.launch import config_options, shown

__all__ = [
    "DECKS_FILE",
    "REVEALJS_CACHE",
    "assets_folder",
    "bundle_revealjs",
    "convert_command",
    "deck_references",
    "make_deck",
    "render_command",
    "revealjs_folder",
    "revealjs_version",
]

_ROOT = Path(__file__).resolve().parent.parent

DECKS_FILE = _ROOT / "scenes" / "slides.py"
"""The module that holds a manim-slides deck of every scene, under the scene's own name."""

REVEALJS_CACHE = _ROOT / ".cache" / "reveal.js"
"""Where the set-up unpacks reveal.js, one folder per version (the npm package's contents)."""


def revealjs_version() -> str:
    """The reveal.js version manim-slides' HTML template is written for (its ``reveal_version``)."""
    from manim_slides.convert import RevealJS

    return RevealJS.model_fields["reveal_version"].default


def revealjs_folder() -> Path:
    """The project's copy of reveal.js in the version of :func:`revealjs_version`.

    Raises ``FileNotFoundError`` saying how to get it when the set-up has not fetched it.
    """
    version = revealjs_version()
    folder = REVEALJS_CACHE / version
    if not (folder / "dist" / "reveal.js").is_file():
        raise FileNotFoundError(
            f"reveal.js {version} is not in {shown(folder)}; run `make setup` in {_ROOT} "
            "(it fetches reveal.js once from the npm registry)")
    return folder


def assets_folder(output: Path) -> Path:
    """The folder beside the page ``output`` that holds its clips and reveal.js: manim-slides'
    default ``assets_dir``, ``{basename}_assets``."""
    return output.parent / f"{output.stem}_assets"


def render_command(scenes: Sequence[str], options: Sequence[str] = ()) -> list[str]:
    """``python -m manim render`` of the decks of ``scenes`` with ``options``, in that order
    (with the project's configuration where :func:`gradscenes.launch.config_options` adds it)."""
    return [sys.executable, "-m", "manim", "render", *config_options(options), *options,
            str(DECKS_FILE), *scenes]


def convert_command(scenes: Sequence[str], output: Path, slides_folder: Path,
                    title: str) -> list[str]:
    """``manim-slides convert`` of the rendered decks of ``scenes`` into the page ``output``,
    loading reveal.js from ``<output stem>_assets/reveal.js`` beside it."""
    revealjs = f"{quote(assets_folder(output).name)}/reveal.js"
    return [sys.executable, "-m", "manim_slides", "--silent", "convert", "--to", "html",
            "--folder", str(slides_folder), *scenes, str(output),
            f"-ccdn_url={revealjs}", f"-ctitle={title}"]


class _References(HTMLParser):
    """The URLs a reveal.js page loads: stylesheets, scripts and the slides' backgrounds."""

    ATTRIBUTES = {"link": ("href",), "script": ("src",),
                  "section": ("data-background-video", "data-background-image")}

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        wanted = self.ATTRIBUTES.get(tag, ())
        self.urls += [value for name, value in attrs if name in wanted and value]


def deck_references(page: Path) -> list[str]:
    """The URLs ``page`` loads, as written in it: its stylesheets, scripts and slide clips."""
    parser = _References()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.urls


def bundle_revealjs(page: Path, revealjs: Path) -> list[Path]:
    """Copy the reveal.js files that ``page`` loads from ``<stem>_assets/reveal.js/`` there
    from ``revealjs`` (the unpacked npm package), with reveal.js' licence; return them.

    Raises ``RuntimeError`` when the page would load anything from the network, or refers to a
    file that is then not there.
    """
    target = assets_folder(page) / "reveal.js"
    copied = []
    for url in deck_references(page):
        parts = urlsplit(url)
        if parts.scheme or parts.netloc:
            raise RuntimeError(f"{shown(page)} would load {url} from the network")
        path = page.parent / unquote(parts.path)
        if path.is_relative_to(target):
            source = revealjs / path.relative_to(target)
            if not source.is_file():
                raise RuntimeError(f"{shown(page)} loads {url}, which reveal.js "
                                   f"{revealjs.name} does not have ({shown(source)})")
            path.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, path)
            copied.append(path)
        elif not path.is_file():
            raise RuntimeError(f"{shown(page)} refers to {url}, which is not there")
    if copied:
        shutil.copyfile(revealjs / "LICENSE", target / "LICENSE")
    return copied


def make_deck(scenes: Sequence[str], output: Path, options: Sequence[str] = (), *,
              media_dir: Path, title: str | None = None) -> Path:
    """Render the decks of ``scenes`` with ``manim render`` ``options`` (their slides go to
    ``media_dir/slides``), convert them into one page ``output``, in that order, and copy
    reveal.js beside it; return ``output``.

    Raises ``FileNotFoundError`` before anything renders when the set-up's reveal.js is
    missing, ``RuntimeError`` when rendering or converting fails.
    """
    revealjs = revealjs_folder()
    done = subprocess.run(render_command(scenes, options))
    if done.returncode:
        raise RuntimeError(f"rendering failed (manim exit status {done.returncode})")
    assets = assets_folder(output)
    if (assets / "reveal.js" / "LICENSE").is_file():  # an earlier deck's: its clips go
        shutil.rmtree(assets)
    title = title or ", ".join(scenes)
    done = subprocess.run(convert_command(scenes, output, media_dir / "slides", title))
    if done.returncode:
        raise RuntimeError(f"converting failed (manim-slides exit status {done.returncode})")
    bundle_revealjs(output, revealjs)
    return output
