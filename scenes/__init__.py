"""Manim scenes of gradscenes, one module per topic; shared visuals live in ``scenes.helpers``.

Render one with the ``manim`` CLI from the repository root, e.g.
``manim -ql scenes/level_sets.py GradientOrthogonalToLevelSets``.
"""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path
from types import ModuleType

__all__ = ["scene_module_names", "scenes_in"]


def scene_module_names() -> list[str]:
    """Names of the modules in ``scenes/`` that may hold scenes (not ``_private`` ones)."""
    folder = Path(__file__).parent
    return sorted(p.stem for p in folder.glob("*.py") if not p.stem.startswith("_"))


def scenes_in(module: ModuleType | str) -> list[type]:
    """Scene classes defined in ``module`` that define their own ``construct``.

    Base classes that only provide helpers for subclasses (no ``construct`` of their own) are
    left out, so every class returned is a renderable shot.
    """
    from manim import Scene

    if isinstance(module, str):
        module = importlib.import_module(f"scenes.{module}")
    return [
        cls
        for _, cls in inspect.getmembers(module, inspect.isclass)
        if cls.__module__ == module.__name__ and issubclass(cls, Scene) and "construct" in vars(cls)
    ]
