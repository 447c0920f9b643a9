"""Small marks and notes placed in the scene: a right angle, a cross, a formula on a box,
:func:`keep_in_frame` and :func:`fit_in_frame` for notes placed near the frame's edge, and
:func:`center_at` and :func:`place_arrow` for a marker or an arrow that moves every frame."""

from __future__ import annotations

import functools

import numpy as np
from manim import OUT, PI, Arrow, Line, ManimColor, MathTex, Mobject, VGroup, VMobject, config
from manim.mobject.geometry.tips import ArrowTriangleFilledTip
from manim.utils.space_ops import cartesian_to_spherical, rotation_matrix

__all__ = [
    "anchors", "boxed_tex", "center_at", "cross_marker", "fit_in_frame", "keep_in_frame", "place_arrow",
    "right_angle_mark", "right_angle_marks",
]  # fmt: skip


def anchors(mobjects: list[Mobject]) -> np.ndarray:
    """The anchors of ``mobjects`` (each curve's first and last point), whose box Manim's
    ``get_critical_point`` and ``move_to`` use for a vectorized mobject."""
    return np.concatenate([m.points if len(m.points) == 1 else np.concatenate([m.points[::4], m.points[3::4]]) for m in mobjects])


def center_at(mobject: Mobject, point: np.ndarray) -> Mobject:
    """Move ``mobject`` so that the center of its anchors' box is ``point``: ``move_to(point)``
    for a vectorized mobject and its family (a dot, a ball of faces that moves every frame),
    with one box over all their anchors instead of Manim's walk point by point."""
    members = mobject.family_members_with_points() if mobject.submobjects else [mobject]
    if not isinstance(mobject, VMobject) or not members or not len(members[0].points):
        return mobject.move_to(point)
    ends = anchors(members)
    shift = np.asarray(point, dtype=float) - (ends.min(axis=0) + ends.max(axis=0)) / 2
    for member in members:
        member.points = member.points + shift
    return mobject


def place_arrow(arrow: Arrow, start: np.ndarray, end: np.ndarray) -> Arrow:
    r"""Put ``arrow`` (a Manim ``Arrow`` with ``buff=0`` and its one filled triangle tip) from
    ``start`` to ``end``, in place: the points ``Arrow(start, end, buff=0, ...)`` would have, with
    the same options, up to rounding, at a small part of the cost of building it (a few
    milliseconds, most of a frame's updater for an arrow that follows a moving point).

    As Manim builds it: the tip is :math:`t = \min(\ell, r L)` long and wide (:math:`\ell` the
    arrow's ``tip_length``, :math:`r` its ``max_tip_length_to_length_ratio``, :math:`L` the
    length), turned like ``position_tip`` turns it (about the z axis to the azimuth of the
    line, then up to its polar angle) with its point at ``end``; the shaft runs from ``start``
    to the tip's base; the stroke is :math:`\min(w_0, s L)` wide.
    """
    start, end = np.asarray(start, dtype=float), np.asarray(end, dtype=float)
    length = float(np.linalg.norm(end - start))
    if length == 0:
        raise ValueError("place_arrow: start and end are one point; an arrow needs a direction")
    outline, base, angle = _unit_tip()
    _, azimuth, polar = cartesian_to_spherical(start - end)  # from the tip back along the line
    turn = rotation_matrix(-polar + PI / 2, [np.sin(azimuth), -np.cos(azimuth), 0]) @ rotation_matrix(azimuth - PI - angle, OUT)
    size = min(arrow.tip_length, arrow.max_tip_length_to_length_ratio * length)
    arrow.tip.points = end + size * outline @ turn.T
    foot = end + size * base @ turn.T
    arrow.points = start + np.linspace(0, 1, 4)[:, None] * (foot - start)
    arrow.set_stroke(width=min(arrow.initial_stroke_width, arrow.max_stroke_width_to_length_ratio * length), family=False)
    return arrow


@functools.cache
def _unit_tip() -> tuple[np.ndarray, np.ndarray, float]:
    """An unpositioned arrow tip 1 long and wide: its points and base relative to its point,
    and its ``tip_angle``."""
    tip = ArrowTriangleFilledTip(length=1, width=1)
    return tip.points - tip.tip_point, tip.base - tip.tip_point, tip.tip_angle


def boxed_tex(tex: str, color: ManimColor | str, background: ManimColor | str, *, font_size: float = 34) -> MathTex:
    """``MathTex`` on a translucent ``background`` box so it stays readable over a map."""
    label = MathTex(tex, font_size=font_size, color=color)
    return label.add_background_rectangle(color=background, opacity=0.85, buff=0.1)


def right_angle_mark(
    corner: np.ndarray,
    u: np.ndarray,
    v: np.ndarray,
    color: ManimColor | str,
    *,
    size: float = 0.18,
    stroke_width: float = 2.0,
) -> VMobject:
    """The small square corner at scene point ``corner`` between directions ``u`` and ``v``."""
    corner = np.asarray(corner, dtype=float)
    u, v = (size * np.asarray(w, dtype=float) / np.linalg.norm(w) for w in (u, v))
    return VMobject(stroke_color=color, stroke_width=stroke_width).set_points_as_corners(
        [corner + u, corner + u + v, corner + v]
    )


def cross_marker(
    point: np.ndarray, color: ManimColor | str, *, size: float = 0.14, stroke_width: float = 5.0
) -> VGroup:
    """An x-shaped marker centered at scene ``point`` (e.g. where a descent ended)."""
    point = np.asarray(point, dtype=float)
    d1, d2 = size * np.array([1, 1, 0]), size * np.array([1, -1, 0])
    return VGroup(
        Line(point - d1, point + d1, stroke_color=color, stroke_width=stroke_width),
        Line(point - d2, point + d2, stroke_color=color, stroke_width=stroke_width),
    )


def right_angle_marks(points: np.ndarray, color: ManimColor | str, count: int, size: float = 0.14) -> VGroup:
    """Right-angle marks at the first ``count`` corners of the scene polyline ``points`` ``(n, 3)``
    whose two legs are both longer than twice the mark's ``size``."""
    marks = VGroup()
    for before, corner, after in zip(points[:-2], points[1:-1], points[2:]):
        u, v = before - corner, after - corner
        if len(marks) == count or min(np.linalg.norm(u), np.linalg.norm(v)) < 2 * size:
            break
        marks.add(right_angle_mark(corner, u, v, color, size=size))
    return marks


def keep_in_frame(mobject: Mobject, margin: float = 0.2) -> Mobject:
    """Shift ``mobject`` the least it takes to lie ``margin`` inside the frame (a note placed
    next to a point near the edge)."""
    half = np.array([config.frame_width, config.frame_height]) / 2 - margin
    low, high = mobject.get_corner(np.array([-1, -1, 0]))[:2], mobject.get_corner(np.array([1, 1, 0]))[:2]
    shift = np.maximum(-half - low, 0) + np.minimum(half - high, 0)
    return mobject.shift(np.array([*shift, 0.0]))


def fit_in_frame(mobject: Mobject, margin: float = 0.2) -> Mobject:
    """Shrink ``mobject`` about its left edge, if need be, so that it ends ``margin`` inside the
    frame's right edge (a column of notes to the right of a table)."""
    room = config.frame_width / 2 - margin - mobject.get_left()[0]
    if mobject.width > room > 0:
        mobject.scale(room / mobject.width, about_edge=np.array([-1, 0, 0]))
    return mobject
