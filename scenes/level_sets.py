"""The gradient is orthogonal to the level sets (seed 000), on the elongated quadratic.

Render: ``manim -ql scenes/level_sets.py GradientOrthogonalToLevelSets``.
"""

from __future__ import annotations

import numpy as np
from manim import DOWN, LEFT, UP, Axes, Create, Dot, FadeIn, FadeOut, GrowArrow, LaggedStart, Line, VGroup, Write

from gradcore.levels import default_levels, level_tangent
from gradcore.surface import Domain, Surface
from scenes.kit import (
    PANEL_LEFT,
    ArrowField,
    ContourMap,
    GradScene,
    level_arc,
    level_colors,
    map_axes,
    right_angle_mark,
    to_scene,
    vector_arrows,
)

__all__ = ["GradientOrthogonalToLevelSets"]


class GradientOrthogonalToLevelSets(GradScene):
    """Gradient arrows cross the level lines at right angles; on the line y = x they are horizontal.

    At a few points the gradient (scaled by ``gradient_scale``) grows out of the point, the
    level line through the point lights up, and a right-angle mark sits between the arrow and
    the line's tangent. Then the whole field appears as unit arrows; on the line y = x every
    arrow is horizontal. Last, the view widens to show the gradient at ``far_point``, the
    seed's (79, 0) at (80, 80).
    """

    surface_name = "elongated_quadratic"
    n_levels = 10
    points = ((-20.0, 10.0), (25.0, -15.0), (-5.0, -35.0))
    gradient_scale = 0.2
    arc_radius = 1.2
    field_shape = (15, 15)
    far_point = (80.0, 80.0)
    far_domain = ((-100.0, 100.0), (-100.0, 100.0))
    gradient_color = "#ff5c5c"
    diagonal_color = "#4dabf7"
    point_time = 1.5
    field_time = 3.0

    @classmethod
    def validate(cls) -> None:
        super().validate()
        cls.check_positive("n_levels", "gradient_scale", "arc_radius", "point_time", "field_time")
        cls.check_inside("points")
        cls.check_inside("far_point", cls.far_domain)

    def construct(self) -> None:
        theme = self.theme
        surface = self.surface()
        domain = surface.domain

        # Set up: the level lines and the formula
        self.axes = map_axes(domain, theme.foreground)
        contours = self.level_lines(surface, domain)
        title = self.label(f"f(x, y) = {surface.latex}")
        claim = self.label(r"\nabla f \perp \text{level sets}", font_size=40)
        header = VGroup(title, claim).arrange(DOWN, aligned_edge=LEFT, buff=0.3).to_edge(UP)
        header.set_x(PANEL_LEFT + header.width / 2)
        self.add(self.axes)
        self.play(Create(contours), Write(title), run_time=2)
        self.pause()

        # Show the gradient at chosen points, at right angles to the level line there
        self.play(Write(claim))
        notes = VGroup()
        annotations = VGroup()
        for point in self.points:
            annotation, note = self.gradient_at(surface, np.array(point))
            notes.add(note)
            annotations.add(annotation)
            dot, level, arrow, mark = annotation
            note.next_to(notes[-2] if len(notes) > 1 else header, DOWN, buff=0.3, aligned_edge=LEFT)
            self.play(FadeIn(dot), Create(level), run_time=self.point_time / 2)
            self.play(GrowArrow(arrow), Create(mark), FadeIn(note), run_time=self.point_time / 2)
            self.pause()
        self.wait()

        # Show the whole field, normalized
        field = ArrowField(
            self.axes, surface, shape=self.field_shape, normalize=True, color=theme.muted, stroke_width=2
        )
        unit = self.label(r"\text{arrows: } \nabla f / \|\nabla f\|")
        unit.next_to(header, DOWN, buff=0.3, aligned_edge=LEFT)
        self.play(FadeOut(annotations, notes))
        grow = LaggedStart(*(GrowArrow(a) for a in field), lag_ratio=0.01)
        self.play(grow, FadeIn(unit), run_time=self.field_time)
        self.pause()

        # Show the line y = x, where every gradient is horizontal
        diagonal = self.diagonal(domain)
        on_diagonal = [a for a, (x, y) in zip(field, field.centers) if np.isclose(x, y)]
        horizontal = self.label(r"\text{on } y = x \text{ arrows are horizontal}", self.diagonal_color)
        horizontal.next_to(unit, DOWN, buff=0.3, aligned_edge=LEFT)
        self.play(Create(diagonal), FadeIn(horizontal))
        self.play(*(a.animate.set_color(self.diagonal_color).scale(1.4) for a in on_diagonal))
        self.pause()

        # Widen the view to the far point on the diagonal
        far_axes = map_axes(self.far_domain, theme.foreground)
        old = VGroup(self.axes, contours, field, diagonal)
        factor = far_axes.x_axis.unit_size / self.axes.x_axis.unit_size
        origin = np.array(self.axes.c2p(0, 0))
        self.play(old.animate.scale(factor, about_point=origin).shift(far_axes.c2p(0, 0) - origin), run_time=2)
        self.axes = far_axes
        far_contours = self.level_lines(surface, self.far_domain)
        self.play(
            FadeOut(old, unit),
            FadeIn(far_axes, far_contours, self.diagonal(self.far_domain)),
            horizontal.animate.next_to(claim, DOWN, buff=0.3, aligned_edge=LEFT),
        )
        annotation, note = self.gradient_at(surface, np.array(self.far_point))
        note.next_to(horizontal, DOWN, buff=0.3, aligned_edge=LEFT)
        dot, level, arrow, mark = annotation
        self.play(FadeIn(dot), Create(level))
        self.play(GrowArrow(arrow), Create(mark), FadeIn(note))
        self.wait(2)

    def level_lines(self, surface: Surface, domain: Domain) -> VGroup:
        """``n_levels`` level lines of ``surface`` over ``domain``, colored by level."""
        levels = default_levels(surface, self.n_levels, domain=domain)
        return ContourMap(self.axes, surface, levels, level_colors(levels, self.theme.colormap), domain=domain)

    def diagonal(self, domain: Domain) -> Line:
        """The line y = x across ``domain`` on the current axes."""
        (xmin, xmax), (ymin, ymax) = domain
        low, high = max(xmin, ymin), min(xmax, ymax)
        return Line(*to_scene(self.axes, np.array([(low, low), (high, high)])), color=self.diagonal_color)

    def gradient_at(self, surface: Surface, point: np.ndarray) -> tuple[VGroup, VGroup]:
        """``(VGroup(dot, level arc, arrow, right-angle mark), note)`` for the gradient at ``point``."""
        theme = self.theme
        gradient = surface.gradient(point)
        tangent = level_tangent(surface, point)
        at = to_scene(self.axes, point)
        level = level_arc(self.axes, surface, point, theme.foreground, radius=self.arc_radius)
        arrow = vector_arrows(self.axes, point, self.gradient_scale * gradient, self.gradient_color, stroke_width=5)
        mark = right_angle_mark(at, _direction(self.axes, gradient), _direction(self.axes, tangent), theme.foreground)
        dot = Dot(at, radius=0.06, color=theme.foreground)
        note = self.label(rf"\nabla f({_pair(point)}) = ({_pair(gradient)})", self.gradient_color, font_size=30)
        return VGroup(dot, level, arrow[0], mark), note


def _pair(p: np.ndarray, decimals: int = 3) -> str:
    """``"x, y"`` with at most ``decimals`` decimals and no trailing zeros."""
    return ", ".join(f"{round(float(c), decimals):g}" for c in p)


def _direction(axes: Axes, vector: np.ndarray) -> np.ndarray:
    """Scene direction of an input-plane ``vector`` under ``axes``."""
    return to_scene(axes, np.asarray(vector)) - to_scene(axes, np.zeros(2))
