r"""The tangent plane of a graph at a moving point, then the second-order Taylor model and how far
each model holds (seed 001 starts from the tangent line).

Render: ``manim -ql scenes/tangent_plane.py TangentPlane``.
"""

from __future__ import annotations

import numpy as np
from manim import (
    DEGREES,
    DL,
    DOWN,
    LEFT,
    UL,
    UR,
    Arrow,
    Dot3D,
    FadeIn,
    Group,
    Line,
    ManimColor,
    Mobject,
    ValueTracker,
    VGroup,
    VMobject,
    linear,
)

from gradcore.local_models import taylor
from gradcore.quadratic import Quadratic
from gradcore.surface import Surface
from scenes.kit import (
    GRAPHICS_CONTRAST,
    FastSurface,
    GradThreeDScene,
    SurfaceLine,
    center_at,
    fit_points,
    floor_points,
    graph_range,
    map_levels,
    on_graph,
    place_arrow,
    shaded_surface,
    surface_axes,
    surface_points,
    surface_words,
    three_d_mode,
)

__all__ = ["TangentPlane", "holds_within"]

TAU = 2 * np.pi


def holds_within(surface: Surface, model: Quadratic, p: np.ndarray, tolerance: float, reach: float) -> float:
    r"""How far from ``p`` the ``model`` stays within ``tolerance`` of ``surface``: the largest
    :math:`r \le` ``reach`` (to 1% of it) with :math:`|f(p + h) - T(p + h)| <` ``tolerance`` for every
    :math:`\|h\| \le r`, sampled on 100 circles of 72 points each; points where :math:`f` is not
    finite count as beyond it."""
    radii = np.linspace(0, reach, 101)[1:]
    angles = np.linspace(0, TAU, 72, endpoint=False)
    ring = np.stack([np.cos(angles), np.sin(angles)], axis=-1)
    points = p + radii[:, None, None] * ring
    with np.errstate(all="ignore"):
        gap = np.abs(surface.value(points) - model.value(points))
    worse = ~np.all(gap < tolerance, axis=1)  # NaN compares False: beyond
    return float(reach if not worse.any() else np.concatenate([[0.0], radii])[np.argmax(worse)])


class TangentPlane(GradThreeDScene):
    r"""The tangent plane at a point moving over the graph, then the second-order Taylor model.

    The point runs along the waypoints ``path``; at each moment the graph's tangent plane there,

    .. math:: T_1(p + h) = f(p) + \nabla f(p) \cdot h,

    (:func:`gradcore.local_models.taylor`, order 1) is drawn as a disk of radius ``model_extent``
    (a fraction of the domain's shorter side), with :math:`\nabla f(p)` in the floor (the input
    plane) and, right above it on the plane, the steepest way up the plane: rising
    :math:`\|\nabla f\|` per unit run. At the last waypoint the second-order model

    .. math:: T_2(p + h) = T_1(p + h) + \tfrac12 h^T \nabla^2 f(p)\, h

    joins it, hugging the graph; lines show the gap :math:`f - T_n` at the rim of each disk,
    and a ring on the graph how far each model holds: the radius within which
    :math:`|f - T_n| < \varepsilon`, ``tolerance`` of the graph's drawn height.

    The waypoints are the radial sine's; on another surface they move into its domain. Waypoints
    of one's own must keep the path where :math:`f` is smooth and on the drawn graph.
    """

    surface_name = "radial_sine"
    domain = ((-1.8, 1.8), (-1.8, 1.8))  # the crater and its rim
    path = ((-0.9, -0.1), (-0.5, 0.5), (0.3, 0.75), (0.7, 1.0))  # up the far inner wall; moves with another domain
    model_extent = 0.15
    tolerance = 0.05
    move_time = 6.0
    resolution = 32
    surface_opacity = 0.6
    plane_color = "#da77f2"
    quadratic_color = "#ffa94d"
    arrow_color = "#ff6b6b"
    point_color = "#ffd43b"
    phi = 62 * DEGREES
    theta = -60 * DEGREES
    rotation_rate = 0.02

    @classmethod
    def validate(cls) -> None:
        super().validate()
        cls.check_positive("model_extent", "tolerance", "move_time", "resolution", "surface_opacity")
        cls.check_own_points("path")
        if not cls._surface_from_attributes() or (cls.formula is None and cls.surface_name is None):
            return
        surface = cls._build_surface()
        name = "formula" if cls.formula is not None else "surface_name"
        if map_levels(surface, 1).size == 0:
            problem = "is constant: its tangent plane is the graph itself; give f that varies"
            raise cls.invalid(name, getattr(cls, name), problem)
        samples = _along(cls._waypoints(surface), 200)
        low, high = graph_range(surface, surface.domain)
        slack = 0.01 * (high - low)
        with np.errstate(all="ignore"):
            values = surface.value(samples)
            smooth = np.isfinite(values) & np.all(np.isfinite(surface.hessian(samples)), axis=(-2, -1))
            smooth &= np.all(np.isfinite(surface.gradient(samples)), axis=-1)
        drawn = smooth & (values >= low - slack) & (values <= high + slack)
        if not drawn.all():
            x, y = samples[np.argmin(drawn)]
            where = "f is not smooth" if not smooth.all() else "the graph is cut off (beyond its drawn heights)"
            problem = f"passes ({x:.3g}, {y:.3g}), where {where}; give waypoints where f is smooth"
            raise cls.invalid("path", cls.path, problem)

    @classmethod
    def _waypoints(cls, surface: Surface) -> np.ndarray:
        """The waypoints ``(n, 2)`` for ``surface``: as given, or moved into its domain when
        chosen for another surface."""
        home = cls.home_surface("path")
        points = np.asarray(cls.path, dtype=float) if home is None else fit_points(cls.path, home.domain, surface)
        return points.reshape(-1, 2)

    def construct(self) -> None:
        theme = self.theme
        surface = self.surface()
        for knob in ("plane_color", "quadratic_color", "arrow_color", "point_color"):
            setattr(self, knob, theme.readable(getattr(self, knob), GRAPHICS_CONTRAST))
        plane_color, quadratic_color = self.plane_color, self.quadratic_color
        self.samples = samples = _along(self._waypoints(surface), 200)
        side = float(np.min(np.ptp(np.asarray(surface.domain, dtype=float), axis=1)))
        self.radius = radius = self.model_extent * side
        largest = float(np.max(np.linalg.norm(surface.gradient(samples), axis=-1)))
        self.arrow_scale = 0.9 * radius / largest if largest > 0 else 0.0

        # Set up: the translucent graph and the formula
        self.axes = axes = surface_axes(surface, color=theme.muted, lengths=(6.0, 6.0, 2.4))
        mesh = shaded_surface(axes, surface, theme.colormap, theme.background, resolution=self.resolution)
        mesh.set_fill(opacity=self.surface_opacity)
        title = self.label(rf"f(x, y) = {surface.latex}", font_size=34)
        title.scale_to_fit_width(min(title.width, 6.5)).to_corner(UL)
        legend = VGroup(
            self.label(r"T_1(p + h) = f(p) + \nabla f(p) \cdot h", plane_color, font_size=28),
            self.label(r"\nabla f(p) \text{ in the floor; above it, the steepest way up } T_1", self.arrow_color, 26),
            self.label(r"T_2(p + h) = T_1(p + h) + \tfrac12\, h^T \nabla^2 f(p)\, h", quadratic_color, font_size=28),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.15)
        legend.scale_to_fit_width(min(legend.width, 8.0)).to_corner(DL)

        # Set up: the models at the end of the path, how far each holds, and the moving point's parts
        end = samples[-1]
        models = [taylor(surface, end, order=n) for n in (1, 2)]
        epsilon = self.tolerance * float(np.subtract(*axes.z_range[1::-1]))
        self.holds = [holds_within(surface, model, end, epsilon, 2 * radius) for model in models]
        quadratic = self.disk(models[1], end, radius, quadratic_color)
        colors = (plane_color, quadratic_color)
        gaps = VGroup(*(self.gaps(surface, model, end, radius, color) for model, color in zip(models, colors)))
        rings = VGroup(*(self.ring(surface, end, r, color) for r, color in zip(self.holds, colors) if r > 0))
        held = VGroup()
        for n, r, color in zip((1, 2), self.holds, colors):
            beyond = r"\text{ and beyond}" if r >= 2 * radius else ""
            tex = rf"|f - T_{n}| < {epsilon:.2g} \text{{ for }} \|h\| < {r:.2g}{beyond}"
            held.add(self.label(tex, color, font_size=26))
        held.arrange(DOWN, aligned_edge=LEFT, buff=0.15)
        held.to_corner(UR)
        self.move = move = ValueTracker(0.0)

        self.parts = self.local_parts(surface, samples[0])  # changed in place as the point moves
        views = [(self.phi, self.theta + self.rotation_rate * t) for t in np.linspace(0, self.move_time + 12, 9)]
        along = [self.local_parts(surface, p) for p in samples[::25]]
        avoid = [title, legend, held]
        self.fit_camera(axes, mesh, quadratic, gaps, rings, *along, self.parts, views=views, avoid=avoid)
        self.add_fixed_in_frame_mobjects(title)
        self.begin_ambient_camera_rotation(rate=self.rotation_rate)
        self.play(FadeIn(axes), FadeIn(mesh), FadeIn(title))
        self.caption(f"The graph of {surface_words(surface)}")

        # Show the tangent plane at the first waypoint, the gradient below it and the steepest way up it
        self.add_fixed_in_frame_mobjects(*legend[:2])
        self.play(FadeIn(self.parts), FadeIn(legend[:2]))
        self.pause("The tangent plane at the point, the gradient below it, the steepest way up the plane above it")

        # Show the plane following the point along the path
        self.parts.add_updater(lambda parts: self.follow(parts, surface, _at(samples, move.get_value())))
        if len(samples) > 1:
            self.play(move.animate.set_value(len(samples) - 1), run_time=self.move_time, rate_func=linear)
        self.parts.clear_updaters()
        self.pause("The plane follows the point along its path")

        # Show the second-order model hugging the graph, the gaps, and how far each model holds
        self.add_fixed_in_frame_mobjects(legend[2])
        self.play(FadeIn(quadratic), FadeIn(legend[2]))
        self.pause("The second-order Taylor model hugs the graph")
        self.add_fixed_in_frame_mobjects(*held)
        self.play(FadeIn(gaps), FadeIn(rings), FadeIn(held), run_time=1.5)
        self.pause("The gaps between each model and the graph, and how far each holds")
        self.wait(4)
        farther = self.holds[1] > self.holds[0]
        self.caption("The second-order model holds farther than the plane" if farther else "Here the plane holds as far as the quadratic")
        self.stop_ambient_camera_rotation()

    def local_parts(self, surface: Surface, p: np.ndarray) -> Group:
        """At input point ``p``: the tangent plane's disk, the drop line to the floor, the
        gradient in the floor, the steepest way up the plane, and the point on the graph."""
        plane = self.disk(taylor(surface, p, order=1), p, self.radius, self.plane_color)
        ball = Dot3D(surface_points(self.axes, surface, p, 0.08), radius=0.08, color=self.point_color, resolution=(8, 8))
        return Group(plane, *self.lines(surface, p), ball)  # a Group: FadeIn of a VGroup cannot take a FastSurface

    def lines(self, surface: Surface, p: np.ndarray) -> tuple[VMobject, Arrow, Arrow]:
        r"""At input point ``p``: the drop line to the floor, the gradient in the floor and the
        steepest way up the plane (:meth:`line_ends`)."""
        (floor, on), *arrows = self.line_ends(surface, p)
        drop = VMobject(stroke_color=self.theme.muted, stroke_width=2).set_points_as_corners([floor, on])
        return drop, *(_arrow(tail, tip, self.arrow_color) for tail, tip in arrows)

    def line_ends(self, surface: Surface, p: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        r"""The ends in the scene of the :meth:`lines` at input point ``p``: the drop line from
        the floor to the graph, the gradient in the floor and the steepest way up the plane
        (:math:`\nabla f` scaled by ``arrow_scale``, rising :math:`\|\nabla f\|^2` times that)."""
        axes, gradient, height = self.axes, surface.gradient(p), float(surface.value(p))
        on = np.asarray(axes.c2p(*p, height))
        run = self.arrow_scale * gradient
        return [
            (floor_points(axes, p), on),
            (floor_points(axes, p), floor_points(axes, p + run)),
            (on, np.asarray(axes.c2p(*(p + run), height + run @ gradient))),
        ]

    def follow(self, parts: Group, surface: Surface, p: np.ndarray) -> None:
        """Move the :meth:`local_parts` ``parts`` to input point ``p``, in place: the plane's
        vertices, the ball, the drop line and the arrows are moved (an arrow too short to show
        is redrawn, as is one that was)."""
        plane, drop, *arrows, ball = parts
        model = taylor(surface, p, order=1)
        if isinstance(plane, FastSurface):  # the same grid of vertices: no Bézier alignment
            self.place_disk(plane, model, p)
        else:
            plane.become(self.disk(model, p, self.radius, self.plane_color))
        drop_ends, *arrow_ends = self.line_ends(surface, p)
        drop.set_points_as_corners(drop_ends)
        for arrow, (tail, tip) in zip(arrows, arrow_ends):
            if _shown(tail, tip) and arrow.get_stroke_opacity() > 0:
                place_arrow(arrow, tail, tip)  # what _arrow would build, in place
            else:
                arrow.become(_arrow(tail, tip, self.arrow_color))
        center_at(ball, surface_points(self.axes, surface, p, 0.08))

    def disk(self, model: Quadratic, p: np.ndarray, radius: float, color: ManimColor) -> Mobject:
        """The graph of ``model`` over the disk of ``radius`` around ``p``, translucent, left out
        where it leaves the drawn heights (:meth:`place_disk`)."""
        disk = FastSurface(
            lambda r, t: (0.0, 0.0, 0.0), u_range=(0, radius), v_range=(0, TAU), resolution=(6, 24),
            fill_color=color, fill_opacity=0.55, checkerboard_colors=None, stroke_color=color, stroke_width=0.6,
        )  # fmt: skip
        return three_d_mode().surface(self.place_disk(disk, model, p))

    def place_disk(self, disk: FastSurface, model: Quadratic, p: np.ndarray) -> FastSurface:
        r"""Put the vertices of ``disk`` on the graph of ``model`` over the polar grid
        :math:`p + r (\cos t, \sin t)` of its :math:`(u, v) = (r, t)` ranges, heights clipped to
        the axes; faces with a corner beyond them (by 1%) are not :attr:`~FastSurface.shown`."""
        low, high = self.axes.z_range[:2]
        (nr, nt), (r0, r1), (t0, t1) = disk.resolution, disk.u_range, disk.v_range
        r, t = np.meshgrid(np.linspace(r0, r1, nr + 1), np.linspace(t0, t1, nt + 1), indexing="ij")
        points = p + np.stack([r * np.cos(t), r * np.sin(t)], axis=-1).reshape(-1, 2)
        heights = np.asarray(model.value(points), dtype=float)
        disk.set_points(np.asarray(self.axes.c2p(np.column_stack([points, np.clip(heights, low, high)])), dtype=float))
        slack = 0.01 * (high - low)
        inside = (heights >= low - slack) & (heights <= high + slack)
        disk.shown = np.all(inside[disk.face_corners], axis=1)
        return disk

    def gaps(self, surface: Surface, model: Quadratic, p: np.ndarray, radius: float, color: ManimColor) -> VGroup:
        """Lines from ``model`` to the graph at 12 points of the rim of its disk, where the graph is drawn."""
        angles = np.linspace(0, TAU, 12, endpoint=False)
        rim = p + radius * np.stack([np.cos(angles), np.sin(angles)], axis=-1)
        rim = rim[on_graph(self.axes, surface, rim)]
        low, high = self.axes.z_range[:2]
        lines = VGroup()
        for q in rim:
            a, b = self.axes.c2p(*q, np.clip(model.value(q), low, high)), self.axes.c2p(*q, surface.value(q))
            if np.linalg.norm(b - a) > 1e-3:
                lines.add(Line(a, b, stroke_color=color, stroke_width=3))
        return lines

    def ring(self, surface: Surface, p: np.ndarray, radius: float, color: ManimColor) -> VGroup:
        """The circle of ``radius`` around ``p`` drawn on the graph (its drawn parts)."""
        angles = np.linspace(0, TAU, 73)
        circle = p + radius * np.stack([np.cos(angles), np.sin(angles)], axis=-1)
        drawn = on_graph(self.axes, surface, circle)
        points = surface_points(self.axes, surface, circle, 0.03)
        runs = np.split(np.arange(len(circle)), np.flatnonzero(np.diff(drawn.astype(int))) + 1)
        mode = three_d_mode()
        pieces = [points[run] for run in runs if drawn[run[0]] and len(run) > 1]
        return VGroup(*(mode.line(SurfaceLine(piece, stroke_color=color, stroke_width=4)) for piece in pieces))


def _shown(tail: np.ndarray, tip: np.ndarray) -> bool:
    """Whether the arrow from ``tail`` to ``tip`` is long enough to show (there is a gradient)."""
    return bool(np.linalg.norm(np.asarray(tip) - np.asarray(tail)) > 1e-3)


def _arrow(tail: np.ndarray, tip: np.ndarray, color: ManimColor) -> Arrow:
    """An arrow from ``tail`` to ``tip``; a transparent stub where they nearly meet (no gradient)."""
    if _shown(tail, tip):
        return Arrow(tail, tip, buff=0, color=color, stroke_width=4, max_tip_length_to_length_ratio=0.25)
    return Arrow(tail, np.asarray(tail) + [0.01, 0, 0], buff=0, color=color).set_opacity(0)


def _along(waypoints: np.ndarray, n: int) -> np.ndarray:
    """``n`` points ``(n, 2)`` evenly spaced by arc length along the polyline ``waypoints``."""
    lengths = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(waypoints, axis=0), axis=1))])
    if lengths[-1] == 0:
        return waypoints[:1]
    s = np.linspace(0, lengths[-1], n)
    return np.stack([np.interp(s, lengths, waypoints[:, k]) for k in range(2)], axis=-1)


def _at(samples: np.ndarray, t: float) -> np.ndarray:
    """``samples`` at fractional index ``t``."""
    i = min(int(t), max(len(samples) - 2, 0))
    return samples[i] + (t - i) * (samples[min(i + 1, len(samples) - 1)] - samples[i])
