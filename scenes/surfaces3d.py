r"""Gallery piece: any registered surface, shaded, with its level lines, turning once around.

Render: ``manim -ql scenes/surfaces3d.py RotatingSurface``. A variant is a subclass naming
another surface (``surface_name = "rosenbrock"``) or a formula of one's own
(``formula = "sin(x) * cos(y)"``), or overriding :meth:`~scenes.kit.scene.GradScene.surface`::

    class MySurface(RotatingSurface):
        def surface(self):
            return from_expression("sin(x) * cos(y)", domain=((-3, 3), (-3, 3)))
"""

from __future__ import annotations

import numpy as np
from manim import DEGREES, TAU, UL, Create, FadeIn

from scenes.kit import GradThreeDScene, graph_levels, level_colors, shaded_surface, surface_axes, surface_levels, surface_words

__all__ = ["RotatingSurface"]


class RotatingSurface(GradThreeDScene):
    r"""The graph :math:`z = f(x, y)` of ``surface_name``, shaded by height, turning 360 degrees.

    ``n_levels`` level lines :math:`f = c` over the drawn heights (``level_spacing``
    ``"linear"`` or ``"log"``, see :func:`~scenes.kit.graph3d.graph_levels`) are
    drawn on the floor, colored by :math:`c`, and on the graph itself; the camera turns once
    around in ``rotation_time`` seconds, from the first animation to the last.
    """

    surface_name = "himmelblau"
    n_levels = 10
    level_spacing = "log"
    resolution = 28
    phi = 60 * DEGREES
    theta = -60 * DEGREES
    rotation_time = 14.0

    @classmethod
    def validate(cls) -> None:
        super().validate()
        cls.check_positive("n_levels", "resolution")
        if cls.level_spacing not in ("linear", "log"):
            raise cls.invalid("level_spacing", cls.level_spacing, "is not 'linear' or 'log'")
        if not (isinstance(cls.rotation_time, (int, float)) and cls.rotation_time > 6.5):
            raise cls.invalid("rotation_time", cls.rotation_time, "must be more than the 6.5 s of its animations")

    def construct(self) -> None:
        theme = self.theme
        surface = self.surface()

        # Set up: the shaded graph and its level lines (none on a flat graph)
        self.axes = axes = surface_axes(surface, color=theme.muted)
        mesh = shaded_surface(axes, surface, theme.colormap, theme.background, resolution=self.resolution)
        levels = graph_levels(axes, self.n_levels, self.level_spacing)
        floor = surface_levels(axes, surface, levels, level_colors(levels, theme.colormap), on_floor=True)
        on_graph = surface_levels(axes, surface, levels, [theme.foreground] * len(levels), stroke_width=1.5)

        # Set up: the formula fixed in the frame, the camera turning
        title = self.label(rf"f(x, y) = {surface.latex}", font_size=36)
        title.scale_to_fit_width(min(title.width, 6.5)).to_corner(UL)
        turn = [(self.phi, theta) for theta in self.theta + np.linspace(0, TAU, 13)]
        self.fit_camera(axes, mesh, floor, on_graph, views=turn, avoid=[title])
        self.add_fixed_in_frame_mobjects(title)
        self.begin_ambient_camera_rotation(rate=TAU / self.rotation_time)
        self.play(FadeIn(axes), FadeIn(mesh), FadeIn(title), run_time=1.5)
        self.caption(f"The graph of {surface_words(surface)}")

        # Show the level lines on the floor, then on the graph
        for lines in (floor, on_graph):
            if len(lines):
                self.play(Create(lines), run_time=2.5)
            else:  # a flat graph has no level lines; the camera turns on
                self.wait(2.5)
        self.pause("Its level lines on the floor, then on the graph" if len(floor) else "A flat graph has no level lines")

        # Finish the turn
        self.wait(self.rotation_time - 6.5)
        self.caption("The graph all the way round")
        self.stop_ambient_camera_rotation()
