"""The mobjects a Cairo camera draws in a frame, found in one walk over the scene's tree.

Stock ``Camera.get_mobjects_to_display`` lists each mobject's family recursively (a generator per
level, and a pass to drop repeats at every level), a few milliseconds a frame in a scene of a
few thousand mobjects. :func:`mobjects_to_display` walks the tree once; where a mobject turns up
twice (shared by two groups, or a loop) it leaves the list to stock code, whose rule for repeats
(keep the last) it would otherwise have to copy.
"""

from __future__ import annotations

from collections.abc import Iterable

from manim import Camera, Mobject
from manim.utils.family import extract_mobject_family_members

__all__ = ["mobjects_to_display"]


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
    seen: set[Mobject] = set()
    order: list[Mobject] = []
    stack = mobjects[::-1]
    while stack:
        mob = stack.pop()
        if mob in seen:
            return extract_mobject_family_members(mobjects, camera.use_z_index, only_those_with_points=True)
        seen.add(mob)
        order.append(mob)
        stack.extend(mob.submobjects[::-1])
    found = [mob for mob in order if len(mob.points)]
    return sorted(found, key=lambda mob: mob.z_index) if camera.use_z_index else found
