"""The base scene's contract: the surface comes from class attributes through ``surface()``, and
``validate()`` rejects bad attributes before anything is drawn, saying what would work. Also the
kit's data-carrying mobjects keep the numbers they were drawn from."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scene_render import render_scene

from gradcore import ExpressionSurface, Quadratic, from_expression, get_surface, level_sets
from scenes import scene_module_names, scenes_in
from scenes.conjugate_gradient import SteepestVsConjugate
from scenes.gaussian_descent import GaussianDescent
from scenes.gradient_maps import GradientMap1D
from scenes.inside_one_step import InsideOneStep
from scenes.kit import ArrowField, ColorBar, ContourMap, GradScene, HeightMap, map_axes
from scenes.learning_rates import LearningRates
from scenes.optimizers import OptimizerRace
from scenes.surfaces3d import RotatingSurface

COLLECTION = [cls for module in scene_module_names() for cls in scenes_in(module)]


def variant(base: type, **attributes) -> type:
    """A subclass of ``base`` changing only class attributes, as a user writes one."""
    return type(f"My{base.__name__}", (base,), attributes)


# --- surface() -------------------------------------------------------------------------------


def test_surface_is_the_registered_surface_by_name():
    surface = GaussianDescent().surface()
    assert surface == get_surface("gaussian_difference")


def test_domain_overrides_the_surface_domain():
    surface = variant(GaussianDescent, domain=((-4, 4), (-3, 3)))().surface()
    assert surface.domain == ((-4.0, 4.0), (-3.0, 3.0))
    assert surface.weights == get_surface("gaussian_difference").weights


def test_surface_params_override_the_registered_fields():
    surface = InsideOneStep().surface()
    assert surface == get_surface("elongated_quadratic", A=((0.2, 0), (0, 2)), b=(0, 0), c=0, domain=((-6, 6), (-3, 3)))


def test_formula_wins_over_surface_name_and_params():
    scene = variant(OptimizerRace, formula="sin(x) * cos(y)", domain=((-2, 2), (-1, 1)))()
    surface = scene.surface()
    assert isinstance(surface, ExpressionSurface)
    assert surface.domain == ((-2.0, 2.0), (-1.0, 1.0))
    np.testing.assert_allclose(surface.value((0.5, 0.25)), np.sin(0.5) * np.cos(0.25))


def test_formula_without_domain_takes_the_formula_default():
    assert variant(GaussianDescent, formula="x * y")().surface().domain == from_expression("x * y").domain


def test_quadratic_formula_becomes_a_quadratic():
    surface = variant(SteepestVsConjugate, formula="x**2 + 3*y**2 - x")().surface()
    assert isinstance(surface, Quadratic)
    np.testing.assert_allclose(surface.A, [[2, 0], [0, 6]])
    np.testing.assert_allclose(surface.b, [1, 0])


def test_quadratic_formula_that_is_not_positive_definite_is_refused_with_its_eigenvalues():
    with pytest.raises(ValueError, match=r"formula 'x\*\*2 - y\*\*2' has Hessian eigenvalues -2, 2; try 'x"):
        variant(SteepestVsConjugate, formula="x**2 - y**2").validate()


def test_surface_is_built_once_per_scene():
    scene = GaussianDescent()
    assert scene.surface() is scene.surface()


def test_a_scene_without_a_surface_says_how_to_name_one():
    with pytest.raises(ValueError, match=r"names no surface: set surface_name \(one of: .*bowl.*\) or formula"):
        GradScene().surface()


def test_overriding_surface_replaces_the_attributes():
    class OwnSurface(GaussianDescent):
        surface_name = "not registered"  # not used: surface() is overridden

        def surface(self):
            return from_expression("x**2 - y", domain=((-3, 3), (-2, 3)))

    OwnSurface.validate()
    assert OwnSurface().surface().latex == from_expression("x**2 - y").latex


def test_no_scene_of_the_collection_builds_its_surface_itself():
    from scenes.stochastic import LeastSquaresScene  # a loss made of data: built from the data attributes

    for cls in COLLECTION:
        if issubclass(cls, LeastSquaresScene):
            assert cls.surface is LeastSquaresScene.surface, f"{cls.__name__} overrides surface()"
            continue
        assert cls.surface is GradScene.surface, f"{cls.__name__} overrides surface()"


def test_scenes_that_need_a_positive_definite_quadratic_declare_it():
    assert SteepestVsConjugate.surface_kind == "positive_definite_quadratic"
    assert LearningRates.surface_kind == "positive_definite_quadratic"
    assert all(cls.surface_kind is None for cls in COLLECTION if cls not in (SteepestVsConjugate, LearningRates))


# --- validate() ------------------------------------------------------------------------------


@pytest.mark.parametrize("cls", COLLECTION, ids=lambda cls: cls.__name__)
def test_every_scene_of_the_collection_is_valid(cls):
    cls.validate()


@pytest.mark.parametrize(
    ("base", "attributes", "message"),
    [
        (GaussianDescent, {"surface_name": "foo"},
         r"GaussianDescent: surface_name 'foo' is not a registered surface; known: beale, .*bowl"),
        (GaussianDescent, {"formula": "sin("}, r"formula 'sin\(' is not valid syntax"),
        (GaussianDescent, {"formula": "x.system"}, r"formula 'x.system' is not valid: attribute access"),
        (GaussianDescent, {"formula": "foo(x)"}, r"formula 'foo\(x\)' is not valid: unknown function 'foo'"),
        (GaussianDescent, {"formula": 3}, r"formula 3 is not a string; give a formula in x and y, e.g. 'x\*\*2"),
        (GaussianDescent, {"domain": ((3, -3), (0, 1))}, r"domain \(\(3, -3\), \(0, 1\)\) is not an input box"),
        (GaussianDescent, {"surface_params": {"foo": 1}},
         r"surface_params \{'foo': 1\} names 'foo', not a field of surface 'gaussian_difference'; its fields: weights"),
        (GaussianDescent, {"surface_kind": "quad"}, r"surface_kind 'quad' is not one of None, 'quadratic'"),
        (SteepestVsConjugate, {"formula": "cos(x) + sin(y)"},
         r"SteepestVsConjugate needs a positive-definite quadratic surface; formula 'cos\(x\) \+ sin\(y\)' is "
         r"not a quadratic polynomial; try 'x\*\*2 \+ 3\*y\*\*2'$"),
        (SteepestVsConjugate, {"surface_name": "himmelblau", "surface_params": {}},
         r"needs a positive-definite quadratic surface; surface_name 'himmelblau' is not a quadratic; "
         r"try one of: booth, bowl, elongated_quadratic"),
        (SteepestVsConjugate, {"surface_name": "saddle", "surface_params": {}},
         r"surface_name 'saddle' has Hessian eigenvalues -2, 2; try one of: booth, bowl"),
        (LearningRates, {"surface_name": None},
         r"LearningRates needs a positive-definite quadratic surface; set surface_name \(one of: .*\) or formula"),
    ],
    ids=lambda value: value.__name__ if isinstance(value, type) else None,
)
def test_validate_names_the_attribute_its_value_and_what_works(base, attributes, message):
    with pytest.raises(ValueError, match=message):
        variant(base, **attributes).validate()


@pytest.mark.parametrize(
    ("base", "attributes", "message"),
    [
        (GaussianDescent, {"starts": ((0.8, 1.31), (9.0, 9.0))},
         r"starts .* holds \(9, 9\), which is outside the domain \(\(-3.0, 3.0\), \(-2.0, 3.0\)\)"),
        (OptimizerRace, {"start": (9, 9)}, r"OptimizerRace: start \(9, 9\) is outside the domain"),
        (GaussianDescent, {"step_time": -1}, r"step_time -1 must be a positive number"),
        (OptimizerRace, {"learning_rates": {"sdg": 0.1}}, r"names 'sdg', not an optimizer; known: adadelta"),
        (LearningRates, {"captions": ("a",)}, r"captions \('a',\) must give one to each of the 4 fractions"),
        (RotatingSurface, {"level_spacing": "cubic"}, r"level_spacing 'cubic' is not 'linear' or 'log'"),
        (GradientMap1D, {"formula": "x*y"}, r"formula 'x\*y' is not a formula in x alone \(unknown name 'y'"),
        (GradientMap1D, {"curve_name": "quintic"}, r"curve_name 'quintic' is not a registered curve; known: cubic"),
    ],
    ids=lambda value: value.__name__ if isinstance(value, type) else None,
)
def test_scenes_extend_validate_for_their_own_knobs(base, attributes, message):
    with pytest.raises(ValueError, match=message):
        variant(base, **attributes).validate()


def test_a_default_start_moves_into_a_formulas_domain_but_a_users_start_is_checked():
    variant(OptimizerRace, formula="x**2 + y**2").validate()  # the scene's own (3, 4) is fitted in
    variant(OptimizerRace, formula="x**2 + y**2", domain=((-5, 5), (-5, 5)), start=(3.0, 4.0)).validate()
    with pytest.raises(ValueError, match=r"start \(3.0, 4.0\) is outside the domain \(\(-3.0, 3.0\)"):
        variant(OptimizerRace, formula="x**2 + y**2", start=(3.0, 4.0)).validate()


def test_validation_fails_before_anything_is_drawn():
    constructed = []

    class Broken(GaussianDescent):
        step_time = 0

        def construct(self):
            constructed.append(True)

    with pytest.raises(ValueError, match="step_time 0 must be a positive number"):
        render_scene(Broken)
    assert constructed == []


# --- mobjects that carry their data ----------------------------------------------------------


@pytest.fixture(scope="module")
def radial():
    surface = get_surface("radial_sine")
    return surface, map_axes(surface.domain, "#ffffff")


def test_arrow_field_keeps_gradcores_numbers_for_its_arrows(radial):
    surface, axes = radial
    field = ArrowField(axes, surface, shape=(9, 9), clip_magnitude=2.0, color="#ffffff", clip_color="#ff0000")
    assert len(field) == len(field.centers) == len(field.vectors) == len(field.clipped)
    np.testing.assert_allclose(field.gradients, surface.gradient(field.centers))
    np.testing.assert_allclose(field.magnitudes, np.linalg.norm(field.gradients, axis=1))
    np.testing.assert_array_equal(field.clipped, field.magnitudes > 2.0)
    lengths = np.linalg.norm(field.vectors, axis=1)
    np.testing.assert_allclose(lengths[~field.clipped], field.length_scale * field.magnitudes[~field.clipped])
    np.testing.assert_allclose(lengths[field.clipped], field.length_scale * 2.0)


def test_normalized_arrow_field_has_no_length_scale(radial):
    surface, axes = radial
    field = ArrowField(axes, surface, shape=(5, 5), normalize=True, color="#ffffff")
    assert field.length_scale is None
    np.testing.assert_allclose(np.linalg.norm(field.vectors, axis=1), 0.8 * 6 / 5)


def test_contour_map_groups_carry_their_level_sets(radial):
    surface, axes = radial
    levels = [-0.5, 0.0, 0.5]
    contours = ContourMap(axes, surface, levels, ["#ffffff"] * 3, resolution=80)
    np.testing.assert_array_equal(contours.levels, levels)
    expected = level_sets(surface, levels, resolution=80)
    for group, level_set in zip(contours, expected, strict=True):
        assert group.level == group.level_set.level == level_set.level
        assert len(group) == sum(len(line) > 1 for line in level_set.lines)


def test_contour_map_needs_a_color_per_level(radial):
    surface, axes = radial
    with pytest.raises(ValueError, match=r"one color per level \(3\), got 2"):
        ContourMap(axes, surface, [0, 1, 2], ["#ffffff"] * 2)


def test_height_map_value_range_is_the_surfaces_over_its_cells(radial):
    surface, axes = radial
    shade = HeightMap(axes, surface, ["#000000", "#ffffff"], resolution=40, bands=8)
    low, high = shade.value_range
    (xmin, xmax), (ymin, ymax) = surface.domain
    xs = np.linspace(xmin, xmax, 41)
    centers = np.stack(np.meshgrid((xs[:-1] + xs[1:]) / 2, (xs[:-1] + xs[1:]) / 2), axis=-1)
    assert (low, high) == (surface.value(centers).min(), surface.value(centers).max())
    assert 1 <= len(shade) <= 8


def test_color_bar_numbers_run_from_vmin_to_vmax():
    bar = ColorBar(-1.0, 3.0, ["#000000", "#ffffff"], "#ffffff", ticks=5, title="f")
    assert bar.value_range == (-1.0, 3.0)
    np.testing.assert_allclose([n.number for n in bar.numbers], [-1, 0, 1, 2, 3])
    assert bar.title is not None and list(bar) == [bar.strip, bar.numbers, bar.title]
    tops = [n.get_center()[1] for n in bar.numbers]
    assert tops == sorted(tops)


def test_center_at_moves_a_shape_or_a_family_as_move_to_does():
    from manim import Dot, Dot3D, Triangle, VGroup, VMobject

    from scenes.kit.marks import center_at

    bulge = VMobject().set_points([[0, 0, 0], [1, 2, 0], [2, 2, 0], [3, 0, 0]])  # handles beyond its anchors
    family = VGroup(Dot3D([1, 2, 0.5], radius=0.3, resolution=(8, 8)), bulge.copy(), VGroup(Triangle()))
    for shape in (Dot([1, 2, 0]), Triangle().rotate(0.3), bulge, family):
        ours, stock = shape.copy(), shape.copy()
        center_at(ours, [0.4, -1.25, 0])
        stock.move_to([0.4, -1.25, 0])
        for a, b in zip(ours.get_family(), stock.get_family(), strict=True):
            np.testing.assert_allclose(a.points, b.points, atol=1e-12)


points = st.lists(st.floats(-4, 4), min_size=3, max_size=3)


@settings(max_examples=60, deadline=None)
@given(start=points, end=points, flat=st.booleans())
def test_place_arrow_gives_the_arrow_manim_builds_from_start_to_end(start, end, flat):
    """The shaft, the tip and the stroke width of ``Arrow(start, end, buff=0, ...)``, in any
    direction in space and at any length (short arrows get a shorter tip and a thinner stroke)."""
    from manim import Arrow

    from scenes.kit.marks import place_arrow

    start, end = np.array(start), np.array(end)
    end[2] = start[2] if flat else end[2]
    assume(np.linalg.norm(end - start) > 1e-3)
    options = {"buff": 0, "color": "#ff6b6b", "stroke_width": 4, "max_tip_length_to_length_ratio": 0.25}
    moved = place_arrow(Arrow([0, 0, 0], [1, 0, 0], **options), start, end)
    built = Arrow(start, end, **options)
    np.testing.assert_allclose(moved.points, built.points, atol=1e-9)
    np.testing.assert_allclose(moved.tip.points, built.tip.points, atol=1e-9)
    assert moved.get_stroke_width() == pytest.approx(built.get_stroke_width())
    with pytest.raises(ValueError, match="one point"):
        place_arrow(moved, start, start)
