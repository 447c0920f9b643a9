"""Manim scenes of gradscenes, one module per topic; shared visuals live in ``scenes.helpers``.

Render one with the ``manim`` CLI from the repository root, e.g.
``manim -ql scenes/level_sets.py GradientOrthogonalToLevelSets``.
"""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path
from types import ModuleType

__all__ = ["SUPPORT_MODULES", "scene_module_names", "scenes_in"]

SUPPORT_MODULES = {"helpers", "fast_surface", "slides"}
"""Modules of ``scenes/`` that hold base classes and helpers, not scenes of the collection."""


def scene_module_names() -> list[str]:
    """Names of the modules in ``scenes/`` that hold the collection's scenes."""
    folder = Path(__file__).parent
    return sorted(
        p.stem for p in folder.glob("*.py")
        if not p.stem.startswith("_") and p.stem not in SUPPORT_MODULES
    )


def scenes_in(module: ModuleType | str) -> list[type]:
    """Scene classes defined in ``module`` that have a ``construct`` of their own or inherited
    from a scene (variants that only change class attributes are scenes too)."""
    from manim import Scene

    if isinstance(module, str):
        module = importlib.import_module(f"scenes.{module}")
    return [
        cls
        for _, cls in inspect.getmembers(module, inspect.isclass)
        if cls.__module__ == module.__name__
        and issubclass(cls, Scene)
        and cls.construct is not Scene.construct
    ]
