"""Every scene of every module renders at a tiny resolution, draws something, and its last
frame matches the reviewed reference (``pytest tests --update-references`` regenerates)."""

from __future__ import annotations

import pytest
from reference_frames import compare_with_reference
from scene_render import is_nontrivial

from scenes import scene_module_names, scenes_in

ALL_SCENES = [cls for module in scene_module_names() for cls in scenes_in(module)]


def test_collection_has_scenes():
    assert ALL_SCENES, "scenes/ holds no scene"


@pytest.mark.render
@pytest.mark.parametrize("scene_class", ALL_SCENES, ids=lambda cls: cls.__name__)
def test_scene_renders_nontrivial_last_frame_matching_reference(
    scene_class, rendered, update_references
):
    result = rendered(scene_class)
    assert result.frames, f"{scene_class.__name__} emitted no frame"
    assert is_nontrivial(result.last_frame), f"{scene_class.__name__}'s last frame is blank"
    compare_with_reference(result.last_frame, scene_class.__name__, update_references)
