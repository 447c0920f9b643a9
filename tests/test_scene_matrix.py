"""Any surface in any scene: every scene of the collection, given each surface of a matrix
(its own, registry surfaces, and formulas that are constant, singular, or undefined on part of
the domain), either refuses it up front with a one-line ``ValueError`` from ``validate()`` (before
anything is drawn) or renders a last frame that is drawn on and cut off nowhere.

Rendered as stills (animations skipped, their end states kept), at a tiny resolution."""

from __future__ import annotations

import pytest
from scene_audit import edge_ink, ink_fraction, render_audited

from scenes import scene_module_names, scenes_in

ALL_SCENES = [cls for module in scene_module_names() for cls in scenes_in(module)]
CURVE_SCENES = {"GradientMap1D"}  # scenes of a function of x alone
DATA_SCENES = {"StochasticGradient", "LearningRateSchedules"}  # losses made of data: no formula applies

FORMULAS = ["x**2 + 3*y**2", "sin(x)*cos(y)", "3", "sqrt(x) + y**2", "1/(x - y)", "log(x)", "x**3 - x"]
CURVE_FORMULAS = ["x**3 - x", "3", "sqrt(x)", "log(x)", "sin(3*x)"]
MUST_TAKE = "x**2 + 3*y**2"  # every scene that draws a surface takes a plain quadratic
CURVE_MUST_TAKE = "x**3 - x"  # every scene of a function of x takes a cubic

BACKGROUND = "#0f1117"


def variants():
    for cls in ALL_SCENES:
        formulas = CURVE_FORMULAS if cls.__name__ in CURVE_SCENES else FORMULAS
        yield pytest.param(cls, {}, id=f"{cls.__name__}-own")
        for formula in formulas:
            yield pytest.param(cls, {"formula": formula}, id=f"{cls.__name__}-{formula}")


def customized(cls, attributes):
    return type(cls.__name__, (cls,), dict(attributes)) if attributes else cls


@pytest.mark.render
@pytest.mark.parametrize("scene_class, attributes", list(variants()))
def test_scene_renders_any_surface_cleanly_or_refuses_up_front(scene_class, attributes, tmp_path):
    scene = customized(scene_class, attributes)
    try:
        scene.validate()
    except ValueError as error:
        message = str(error)
        must_take = CURVE_MUST_TAKE if scene_class.__name__ in CURVE_SCENES else MUST_TAKE
        if scene_class.__name__ in DATA_SCENES:  # a formula has no samples: refused, saying what to set
            assert "does not apply" in message and "data" in message, message
        else:
            assert attributes.get("formula") != must_take, f"{scene_class.__name__} refused {attributes}: {message}"
        assert attributes, f"{scene_class.__name__} refuses its own defaults: {message}"
        assert "\n" not in message and len(message) < 400, message
        return
    still = {"save_last_frame": True, "format": "png"}
    audit = render_audited(scene, background=BACKGROUND, config=still, tmp_path=tmp_path)
    frame = audit.rendered.last_frame
    assert ink_fraction(frame, BACKGROUND) > 0.01, f"{scene_class.__name__} with {attributes}: blank frame"
    assert edge_ink(frame, BACKGROUND) == 0, f"{scene_class.__name__} with {attributes}: something is cut off"
