"""Updaters run in one walk over the scene's tree.

Stock ``Scene.update_mobjects`` calls ``Mobject.update`` on every mobject of every family, one
Python call per mobject per frame (hundreds in a scene with a contour map and a legend), and
for each updater asks ``inspect.signature`` whether it takes ``dt``. :func:`update_mobjects`
walks the tree without calls, runs the updaters of the mobjects that have some, in stock's
order (a mobject's own before its submobjects', which are read after its updaters ran), skips
what is suspended as stock does, and remembers which updaters take ``dt``. A mobject whose class
overrides ``update`` is updated by its own method.
"""

from __future__ import annotations

import inspect
import weakref
from collections.abc import Callable, Iterable
from typing import Any

from manim import Mobject

__all__ = ["update_mobjects"]

_TAKES_DT: weakref.WeakKeyDictionary[Callable[..., Any], bool] = weakref.WeakKeyDictionary()


def _takes_dt(updater: Callable[..., Any]) -> bool:
    """Whether ``updater`` has a ``dt`` parameter (stock asks this of every call)."""
    try:
        return _TAKES_DT[updater]
    except KeyError:
        takes = _TAKES_DT[updater] = "dt" in inspect.signature(updater).parameters
        return takes
    except TypeError:  # neither hashable nor weakly referable: asked each time, as stock does
        return "dt" in inspect.signature(updater).parameters


def update_mobjects(mobjects: Iterable[Mobject], dt: float) -> None:
    """``mobject.update(dt)`` for each of ``mobjects``, as stock runs it, in one walk."""
    stack = list(mobjects)[::-1]
    plain = Mobject.update
    while stack:
        mob = stack.pop()
        if type(mob).update is not plain:
            mob.update(dt)
            continue
        if mob.updating_suspended:
            continue
        for updater in mob.updaters:
            if _takes_dt(updater):
                updater(mob, dt)
            else:
                updater(mob)
        stack.extend(mob.submobjects[::-1])
