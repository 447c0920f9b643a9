"""Colours from the theme: on the dark default, on white and on a user's own backgrounds, every
stroke and marker a scene draws has a WCAG 2 contrast ratio of at least 3:1 against the
background and every text 4.5:1 (checked on the mobjects after every animation and wait, see
:mod:`scene_audit`)."""

from __future__ import annotations

import pytest
from scene_audit import render_audited

from scenes import scene_module_names, scenes_in

ALL_SCENES = [cls for module in scene_module_names() for cls in scenes_in(module)]
BACKGROUNDS = {"dark": "#0f1117", "white": "#ffffff"}
OWN_BACKGROUNDS = {"nord": "#3b4252", "wheat": "#f5deb3"}


def audit_problems(scene_class, background, tmp_path):
    still = {"save_last_frame": True, "format": "png"}
    audit = render_audited(scene_class, background=background, config=still, tmp_path=tmp_path)
    return sorted(map(str, audit.problems))


@pytest.mark.render
@pytest.mark.parametrize("background", BACKGROUNDS.values(), ids=BACKGROUNDS.keys())
@pytest.mark.parametrize("scene_class", ALL_SCENES, ids=lambda cls: cls.__name__)
def test_every_colour_drawn_contrasts_with_the_background(scene_class, background, tmp_path):
    problems = audit_problems(scene_class, background, tmp_path)
    assert not problems, f"{scene_class.__name__} on {background}:\n" + "\n".join(problems)


@pytest.mark.render
@pytest.mark.parametrize("background", OWN_BACKGROUNDS.values(), ids=OWN_BACKGROUNDS.keys())
@pytest.mark.parametrize("scene_name", ["OptimizerRace", "InsideOneStep", "BowlDescent", "SaddleDescent"])
def test_a_users_own_background_keeps_the_contrast(scene_name, background, tmp_path):
    scene_class = next(cls for cls in ALL_SCENES if cls.__name__ == scene_name)
    problems = audit_problems(scene_class, background, tmp_path)
    assert not problems, f"{scene_name} on {background}:\n" + "\n".join(problems)
