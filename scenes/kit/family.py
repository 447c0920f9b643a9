"""The mobjects a Cairo camera draws in a frame, found in one walk over the scene's tree.

Stock ``Camera.get_mobjects_to_display`` lists each mobject's family recursively (a generator per
level, and a pass to drop repeats at every level), a few milliseconds a frame in a scene of a
few thousand mobjects. :func:`mobjects_to_display` walks the tree once. Where a mobject turns up
twice (a trail's dot that is also on the scene by itself, one mobject in two groups) it keeps
the last time, as stock's passes do: dropping all but the last of each at every level of the
recursion leaves the same list as dropping them once from the whole walk.
"""

from __future__ import annotations

from collections.abc import Iterable

from manim import Camera, Mobject
from manim.utils.family import extract_mobject_family_members

__all__ = ["display_kind", "mobjects_to_display"]

MAX_MEMBERS = 1_000_000
"""More members than this in one walk means a loop in the tree."""


def mobjects_to_display(
    camera: Camera,
    mobjects: Iterable[Mobject],
    include_submobjects: bool = True,
    excluded_mobjects: list[Mobject] | None = None,
) -> list[Mobject]:
    """What stock ``Camera.get_mobjects_to_display`` returns: the family members of
    ``mobjects`` with points, depth first, sorted by ``z_index`` if the camera uses it."""
    mobjects = list(mobjects)
    if not include_submobjects or excluded_mobjects:
        return Camera.get_mobjects_to_display(camera, mobjects, include_submobjects, excluded_mobjects)
    order: list[Mobject] = []
    stack = mobjects[::-1]
    while stack:
        mob = stack.pop()
        order.append(mob)
        stack.extend(mob.submobjects[::-1])
        if len(order) > MAX_MEMBERS:  # a mobject among its own submobjects: stock's recursion says so
            return extract_mobject_family_members(mobjects, camera.use_z_index, only_those_with_points=True)
    if len(set(order)) < len(order):  # repeats: the last of each stays
        seen: set[Mobject] = set()
        order = [mob for mob in reversed(order) if not (mob in seen or seen.add(mob))][::-1]
    found = [mob for mob in order if len(mob.points)]
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
