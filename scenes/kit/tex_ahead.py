"""A scene's formulas typeset ahead, many in one LaTeX run.

Manim typesets each formula when it is made, with a ``latex`` and a ``dvisvgm`` process of its
own: about 0.2 s a formula, nearly all of it the two programs starting. A scene with 30 formulas
spends 6 s of its start there in a fresh media folder. :func:`typeset_ahead` typesets many
formulas as the pages of one document (the ``standalone`` class's ``multi`` option, each page
cropped as a formula of its own), converts every page with one ``dvisvgm`` run, and puts each
page where Manim looks for that formula's SVG (``Tex/<hash>.svg``); making the formula then
reads it from there. A page is the same drawing as a formula typeset alone: the SVGs differ only
in the names of their glyphs.

Which formulas a scene makes is known once it has run. ``scenes/formulas.json`` lists them for
each scene of the collection at its defaults (``.venv/bin/python tools/formulas.py`` writes it), and
:meth:`~scenes.kit.scene.GradScene.setup` typesets the listed ones ahead
(:func:`typeset_listed`), on a thread while the scene is built. A formula not listed (a
lecturer's own surface, a subclass's labels) is typeset when it is made, as before; a listed one
not made costs a page.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterable
from concurrent.futures import Future
from contextlib import ExitStack
from functools import cache
from pathlib import Path

from manim import TexTemplate, config
from manim.utils.tex_file_writing import tex_hash

from scenes.kit.tex import tex_lock

__all__ = ["FORMULAS", "listed_formulas", "typeset_ahead", "typeset_listed"]

FORMULAS = Path(__file__).resolve().parent.parent / "formulas.json"
"""The formulas each scene of the collection makes at its defaults: ``{scene: [[expression,
environment], ...]}``."""

_CLASS = r"\documentclass[preview]{standalone}"
_BATCH_CLASS = r"\documentclass[preview,multi=gsformula]{standalone}"


def tex_code(expression: str, environment: str | None, template: TexTemplate) -> str:
    """The document Manim writes to typeset ``expression`` (``MathTex`` passes ``align*``)."""
    if environment is None:
        return template.get_texcode_for_expression(expression)
    return template.get_texcode_for_expression_in_env(expression, environment)


def typeset_ahead(formulas: Iterable[tuple[str, str | None]], template: TexTemplate | None = None) -> int:
    """Typeset ``(expression, environment)`` pairs not yet in the media folder's ``Tex`` cache
    in one LaTeX run; return how many were typeset.

    Fewer than two missing formulas, a template that is not ``latex`` to DVI in Manim's
    ``standalone`` class, or a document that does not compile: nothing is typeset here, and
    each formula is typeset alone when it is made (where a bad one gets Manim's error).
    """
    with tex_lock():
        template = config.tex_template if template is None else template
        return _typeset_ahead_locked(formulas, template, Path(config.get_dir("tex_dir")))


def _typeset_ahead_locked(formulas: Iterable[tuple[str, str | None]], template: TexTemplate, tex_dir: Path) -> int:
    """:func:`typeset_ahead` into ``tex_dir``, the LaTeX lock held."""
    if template.tex_compiler != "latex" or template.output_format != ".dvi":
        return 0
    missing: dict[Path, str] = {}
    for expression, environment in formulas:
        code = tex_code(expression, environment, template)
        svg = tex_dir / f"{tex_hash(code)}.svg"
        if not svg.exists():
            missing[svg] = code
    preambles = {code.partition(r"\begin{document}")[0] for code in missing.values()}
    if len(missing) < 2 or len(preambles) != 1 or _CLASS not in next(iter(preambles)):
        return 0
    preamble = next(iter(preambles)).replace(_CLASS, _BATCH_CLASS, 1)
    bodies = [code.partition(r"\begin{document}")[2].rpartition(r"\end{document}")[0] for code in missing.values()]
    document = preamble + "\\begin{document}\n" + "".join(
        f"\\begin{{gsformula}}{body}\\end{{gsformula}}\n" for body in bodies
    ) + "\\end{document}\n"
    tex_dir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="batch-", dir=tex_dir))
    try:
        pages = _typeset_pages(document, work)
        if len(pages) != len(missing):
            return 0
        for page, svg in zip(pages, missing):
            os.replace(page, svg)
        return len(missing)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _typeset_pages(document: str, work: Path) -> list[Path]:
    """The SVG of each page of ``document`` typeset in the folder ``work``, in page order, or []
    if it does not compile."""
    source = work / "formulas.tex"
    source.write_text(document, encoding="utf-8")
    latex = ["latex", "-interaction=batchmode", "-output-format=dvi", "-halt-on-error", f"-output-directory={work}", str(source)]
    dvisvgm = ["dvisvgm", "--page=1-", "--no-fonts", "--verbosity=0", f"--output={work}/page-%p.svg", str(source.with_suffix(".dvi"))]
    try:
        if subprocess.run(latex, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120).returncode:
            return []
        subprocess.run(dvisvgm, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)
    except (OSError, subprocess.TimeoutExpired):
        return []
    pages = work.glob("page-*.svg")
    return sorted(pages, key=lambda page: int(re.sub(r"\D", "", page.stem)))


@cache
def _manifest() -> dict[str, list[list[str | None]]]:
    try:
        return json.loads(FORMULAS.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def listed_formulas(scene: type) -> list[tuple[str, str | None]]:
    """The formulas listed for ``scene``, or for the nearest class it derives from that has a list."""
    manifest = _manifest()
    for cls in scene.__mro__:
        if cls.__name__ in manifest:
            return [(expression, environment) for expression, environment in manifest[cls.__name__]]
    return []


def typeset_listed(scene: type) -> Future[int]:
    """Typeset ahead the formulas listed for ``scene`` (:func:`listed_formulas`) on a thread
    of its own, while the scene is built; its result is how many were typeset.

    The LaTeX lock is taken before this returns: a formula made meanwhile waits for the run
    and is then read from the cache.
    """
    typeset: Future[int] = Future()
    formulas, template, tex_dir = listed_formulas(scene), config.tex_template, Path(config.get_dir("tex_dir"))
    held = ExitStack()
    held.enter_context(tex_lock())

    def run() -> None:
        with held:
            try:
                typeset.set_result(_typeset_ahead_locked(formulas, template, tex_dir))
            except BaseException as error:
                typeset.set_exception(error)

    threading.Thread(target=run, name="typeset-ahead").start()
    return typeset
