"""Manim scenes of gradscenes, one module per topic; what they share is the kit, :mod:`scenes.kit`.

Render one with the ``manim`` CLI from the repository root, e.g.
``manim -ql scenes/level_sets.py GradientOrthogonalToLevelSets``.

Every module of this package holds scenes only (``slides`` holds their manim-slides decks), so
the collection is found without a list: :func:`scene_module_names` and :func:`scenes_in`.
"""

from __future__ import annotations

import importlib
import inspect
import sys
from pathlib import Path
from types import ModuleType

__all__ = ["scene_module_names", "scenes_in"]


def scene_module_names() -> list[str]:
    """Names of the modules of ``scenes/`` (not the ``kit`` package), sorted."""
    folder = Path(__file__).parent
    return sorted(p.stem for p in folder.glob("*.py") if not p.stem.startswith("_"))


def scenes_in(module: ModuleType | str) -> list[type]:
    """The scenes of the collection defined in ``module``: the classes defined there that are
    :class:`~scenes.kit.scene.GradScene` subclasses with a ``construct`` (their own or
    inherited), not manim-slides decks of them (:mod:`scenes.kit.slides`). Variants that only
    change class attributes are scenes too."""
    from manim import Scene

    from scenes.kit.scene import GradScene

    if isinstance(module, str):
        module = importlib.import_module(f"scenes.{module}")
    return [
        cls
        for _, cls in inspect.getmembers(module, inspect.isclass)
        if cls.__module__ == module.__name__
        and issubclass(cls, GradScene)
        and cls.construct is not Scene.construct
        and not _is_deck(cls)
    ]


def _is_deck(cls: type) -> bool:
    """Whether ``cls`` is a manim-slides deck (:func:`scenes.kit.slides.as_slides`). Without
    ``scenes.kit.slides`` imported there is none, and manim-slides is not imported to find out."""
    slides = sys.modules.get("scenes.kit.slides")
    return slides is not None and issubclass(cls, slides.PresentableScene)
