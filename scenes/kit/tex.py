"""LaTeX for processes that render side by side: one compile at a time per media folder.

Manim compiles a formula in the shared ``Tex`` folder and then deletes every file there that is
not an SVG, another process's half-compiled formula included; and to read an SVG it writes a
modified copy beside it (``<name>_.svg``), parses it and deletes it, which a second process
reading the same formula may delete first.  Renders in parallel into one media folder (the
gallery, the test suite) then lose formulas now and then (``FileNotFoundError`` on a ``.svg``
or ``.dvi``).  Importing the kit runs both steps, Manim's ``tex_to_svg_file`` and
``SVGMobject.generate_mobject``, under an exclusive lock on ``tex.lock`` beside the ``Tex``
folder (:func:`tex_lock`).  A formula already read costs nothing more: Manim keeps it in memory.
``Text`` and ``MarkupText`` write their SVG (into ``texts``) under the same lock, so another
process never reads one half written (an empty SVG left in the cache fails every later render
of that text with a ``ParseError``).

Copying a formula (every ``FadeIn``, ``Transform`` and every formula Manim takes from its cache
is one) deep-copies each glyph's parsed SVG path; importing the kit makes copies share it.
"""

from __future__ import annotations

import fcntl
import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from manim import MarkupText, Mobject, SVGMobject, Text, config
from manim.mobject.svg.svg_mobject import VMobjectFromSVGPath
from manim.mobject.text import tex_mobject

__all__ = ["locked", "tex_lock"]


@contextmanager
def tex_lock() -> Iterator[None]:
    """Hold the exclusive lock of this media folder's LaTeX files (``tex.lock`` beside ``Tex``)."""
    tex_dir = Path(config.get_dir("tex_dir"))
    tex_dir.mkdir(parents=True, exist_ok=True)
    with open(tex_dir.parent / "tex.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def locked(function: Callable[..., Any]) -> Callable[..., Any]:
    """``function``, run under :func:`tex_lock`."""

    @functools.wraps(function)
    def run(*args: Any, **kwargs: Any) -> Any:
        with tex_lock():
            return function(*args, **kwargs)

    run.unlocked = function  # type: ignore[attr-defined]
    return run


if not hasattr(tex_mobject.tex_to_svg_file, "unlocked"):
    tex_mobject.tex_to_svg_file = locked(tex_mobject.tex_to_svg_file)
    SVGMobject.generate_mobject = locked(SVGMobject.generate_mobject)
for _text_class in (Text, MarkupText):
    if not hasattr(_text_class._text2svg, "unlocked"):
        _text_class._text2svg = locked(_text_class._text2svg)


def _copy_sharing_parsed_path(self: VMobjectFromSVGPath, memo: dict[int, Any]) -> VMobjectFromSVGPath:
    """Manim's deep copy, but sharing the parsed SVG path (``path_obj``) the glyph was made from:
    it is only read, when the glyph's points are made, and deep-copying it is most of the cost
    of copying a formula (thousands of Python objects per glyph)."""
    memo.setdefault(id(self.path_obj), self.path_obj)
    return Mobject.__deepcopy__(self, memo)


if VMobjectFromSVGPath.__deepcopy__ is Mobject.__deepcopy__:
    VMobjectFromSVGPath.__deepcopy__ = _copy_sharing_parsed_path
