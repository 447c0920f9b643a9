"""The mobjects a Cairo camera draws in a frame, found in one walk over the scene's tree.

Stock ``Camera.get_mobjects_to_display`` lists each mobject's family recursively (a generator per
level, and a pass to drop repeats at every level), a few milliseconds a frame in a scene of a
few thousand mobjects. :func:`mobjects_to_display` visits each mobject once. Where a mobject turns
up twice (a trail's dot that is also on the scene by itself, one mobject in two groups, or the
whole flattened family a renderer passes for the moving mobjects) it keeps the last time, as
stock's passes do.
"""

from __future__ import annotations

from collections.abc import Iterable

from manim import Camera, Mobject

__all__ = ["display_kind", "mobjects_to_display"]


def mobjects_to_display(
    camera: Camera,
    mobjects: Iterable[Mobject],
    include_submobjects: bool = True,
    excluded_mobjects: list[Mobject] | None = None,
) -> list[Mobject]:
    """What stock ``Camera.get_mobjects_to_display`` returns: the family members of
    ``mobjects`` with points, depth first, sorted by ``z_index`` if the camera uses it.

    Stock's list is the families one after the other, each mobject at its last place. So the
    walk goes backwards (last mobject first, each one's children last first, a mobject after
    its children) and keeps each mobject the first time: a mobject met again is passed over
    with its family, all of which was met with it.
    """
    mobjects = list(mobjects)
    if not include_submobjects or excluded_mobjects:
        return Camera.get_mobjects_to_display(camera, mobjects, include_submobjects, excluded_mobjects)
    backwards: list[Mobject] = []
    listed: dict[Mobject, bool] = {}  # met: False until its family is done, then True
    stack = list(mobjects)
    while stack:
        mob = stack.pop()
        done = listed.get(mob)
        if done is None:
            listed[mob] = False
            stack.append(mob)  # met again once its family is done
            stack.extend(mob.submobjects)
        elif not done:
            listed[mob] = True
            if len(mob.points):
                backwards.append(mob)
    found = backwards[::-1]
    return sorted(found, key=lambda mob: mob.z_index) if camera.use_z_index else found


def display_kind(camera: Camera, mobject: Mobject) -> type:
    """Stock ``Camera.type_or_raise``: the key of ``camera.display_funcs`` that draws ``mobject``
    (the first class it is an instance of), looked up once per class of mobject. Stock's
    ``capture_mobjects`` asks for every mobject of every frame, a loop of ``isinstance`` each."""
    kinds = camera.__dict__.setdefault("_display_kinds", {})
    kind = kinds.get(type(mobject))
    if kind is None:
        kind = kinds[type(mobject)] = Camera.type_or_raise(camera, mobject)
    return kind
