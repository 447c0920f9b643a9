"""The scene kit: what the scenes of gradscenes are built from.

One module per concern; everything public is re-exported here, so a scene imports
``from scenes.kit import GradScene, ContourMap, map_axes, ...``.

============  ===================================================================================
module        holds
============  ===================================================================================
theme         luminance and contrast, :class:`Theme` (palette, roles), color maps
scene         :class:`GradScene`: the surface contract (``surface_name``, ``formula``, ``domain``,
              ``surface_params``, ``surface_kind``), ``surface()``, ``validate()``, theme, labels
axes          nice ticks, :func:`tick_range` and :func:`axis_style` for Manim axes, the framed axes
              of a map, :func:`to_scene`, :func:`fit_points`
contours      :class:`ContourMap` of :class:`LevelLines`, :func:`map_levels` (gradcore's), :func:`level_arc`,
              :func:`round_levels`
labels        :class:`ContourLabels` and their placement, :class:`LabelPlacer`
fields        :class:`ArrowField` (the gradient on a grid), :func:`vector_arrows`
flat_arrows   :class:`FlatArrows`: a field of arrows as a few mobjects; :class:`GrowArrows` grows it
maps          :class:`HeightMap`, :class:`ColorBar`, :func:`finite_range` (gradcore's: values to show)
trails        :class:`Trail`, :class:`BallTrail`, :func:`step_arrows`
loss_curves   :class:`LossCurves`: :math:`f(x_k) - f^*` against :math:`k` on a log scale, in step with
              the trails; :func:`known_minimum`, :func:`reference_value`, :func:`log_gaps`
numbers       :class:`Readout`, a DecimalNumber for values that change every frame
marks         right-angle marks, :func:`cross_marker`, :func:`boxed_tex` (a formula on a box),
              :func:`keep_in_frame`, :func:`fit_in_frame`, :func:`center_at` and :func:`place_arrow`
              (a marker or an arrow that moves every frame)
graph3d       graphs z = f(x, y): :func:`surface_axes`, :func:`shaded_surface`, points, level lines,
              the drawn range (:func:`graph_range`, :func:`drawn_part`)
camera2d      :class:`FastCamera`: the 2-D scenes' camera, each mobject's cairo path built once
paths         stock Manim's cairo paths with straight curves as lines (cheaper strokes)
family        the display list of a frame in one walk over the tree
layers        :class:`LayerCache`: unchanging mobjects fixed in a 3-D frame, drawn once
surface3d     the fast 3-D path's mobjects: :class:`FastSurface`, :class:`SurfaceLine`
camera3d      its camera, :class:`FastThreeDCamera`, and :class:`StockThreeDCamera`
frame3d       what that camera projects and shades once a frame for the mobjects stock code draws
frame_reset   a frame cleared to a one-color background by a fill, not a copy
scene3d       :class:`FastThreeDScene`, :class:`GradThreeDScene`, the switch :func:`three_d_mode`
plots         :func:`framed_axes`: a plot with its own scale on each axis; :func:`tick_tex`
tallies       :class:`StepTally`: a method's name over its running step count
tex           LaTeX compiled under a lock, for renders in parallel into one media folder; formula
              copies that share their parsed SVG
slides        manim-slides decks (needs the ``slides`` extra; not imported here)
============  ===================================================================================
"""

from __future__ import annotations

from scenes.kit.axes import (
    MAP_CENTER,
    PANEL_LEFT,
    RIGHT_EDGE,
    axis_style,
    domain_axes,
    fit_points,
    map_axes,
    nice_step,
    nice_ticks,
    tick_range,
    to_scene,
)
from scenes.kit.camera3d import STOCK_3D_VARIABLE, FastThreeDCamera, StockThreeDCamera
from scenes.kit.camera2d import FastCamera, PathCache
from scenes.kit.contours import ContourMap, LevelLines, level_arc, map_levels, round_levels
from scenes.kit.fields import ArrowField, vector_arrows
from scenes.kit.flat_arrows import FlatArrows, GrowArrows
from scenes.kit.graph3d import (
    axes_domain,
    drawn_part,
    ending,
    floor_points,
    graph_levels,
    graph_range,
    on_graph,
    shaded_surface,
    surface_axes,
    surface_levels,
    surface_points,
)
from scenes.kit.labels import ContourLabels, LabelPlacer, LabelSpot
from scenes.kit.loss_curves import FLOOR, LossCurves, known_minimum, log_gaps, reference_value
from scenes.kit.maps import ColorBar, HeightMap, finite_range
from scenes.kit.layers import LayerCache
from scenes.kit.marks import (
    boxed_tex,
    center_at,
    cross_marker,
    fit_in_frame,
    keep_in_frame,
    place_arrow,
    right_angle_mark,
    right_angle_marks,
)
from scenes.kit.numbers import Readout, light_copy
from scenes.kit.plots import framed_axes, tick_tex
from scenes.kit.scene import SURFACE_KINDS, GradScene, surface_words
from scenes.kit.scene3d import FastThreeDScene, GradThreeDScene, ThreeDMode, stock_3d, three_d_mode
from scenes.kit.surface3d import FastSurface, SurfaceLine
import scenes.kit.tex  # noqa: F401  (installs the locked LaTeX compile)
from scenes.kit.tallies import StepTally
from scenes.kit.theme import (
    CATEGORICAL,
    GRAPHICS_CONTRAST,
    TEXT_CONTRAST,
    VIRIDIS,
    Theme,
    colormap,
    colors_of,
    contrast_ratio,
    faded,
    level_colors,
    luminance,
    with_contrast,
)
from scenes.kit.trails import BallTrail, Trail, step_arrows

__all__ = [
    # plots and tallies
    "StepTally",
    "framed_axes",
    "tick_tex",
    # cameras and caches
    "FastCamera",
    "LayerCache",
    "PathCache",
    # numbers
    "Readout",
    "light_copy",
    # theme
    "CATEGORICAL",
    "GRAPHICS_CONTRAST",
    "TEXT_CONTRAST",
    "VIRIDIS",
    "Theme",
    "colormap",
    "colors_of",
    "contrast_ratio",
    "faded",
    "level_colors",
    "luminance",
    "with_contrast",
    # scene
    "SURFACE_KINDS",
    "GradScene",
    "surface_words",
    # axes
    "MAP_CENTER",
    "PANEL_LEFT",
    "RIGHT_EDGE",
    "axis_style",
    "domain_axes",
    "fit_points",
    "map_axes",
    "nice_step",
    "nice_ticks",
    "tick_range",
    "to_scene",
    # contours and labels
    "ContourLabels",
    "ContourMap",
    "LabelPlacer",
    "LabelSpot",
    "LevelLines",
    "level_arc",
    "map_levels",
    "round_levels",
    # fields, maps, trails, marks
    "ArrowField",
    "BallTrail",
    "ColorBar",
    "FlatArrows",
    "GrowArrows",
    "HeightMap",
    "finite_range",
    "Trail",
    "boxed_tex",
    "center_at",
    "cross_marker",
    "fit_in_frame",
    "keep_in_frame",
    "place_arrow",
    "right_angle_mark",
    "right_angle_marks",
    "step_arrows",
    "vector_arrows",
    # loss curves
    "FLOOR",
    "LossCurves",
    "known_minimum",
    "log_gaps",
    "reference_value",
    # 3-D
    "STOCK_3D_VARIABLE",
    "FastSurface",
    "FastThreeDCamera",
    "FastThreeDScene",
    "GradThreeDScene",
    "StockThreeDCamera",
    "SurfaceLine",
    "ThreeDMode",
    "axes_domain",
    "drawn_part",
    "ending",
    "floor_points",
    "graph_levels",
    "graph_range",
    "on_graph",
    "shaded_surface",
    "stock_3d",
    "surface_axes",
    "surface_levels",
    "surface_points",
    "three_d_mode",
]
