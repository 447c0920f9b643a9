"""Subtitles: every scene says what each storyboard beat showed, as ``.srt`` cues beside the clip.

A beat ends at each ``pause()`` (a slide break in a deck) and at the scene's closing
``caption()``; each gets one cue, from the end of the beat before to its own end.
"""

from __future__ import annotations

import pytest
import srt
from scene_render import render_scene

from scenes import scene_module_names, scenes_in
from scenes.bowl import BowlDescent

ALL_SCENES = [cls for module in scene_module_names() for cls in scenes_in(module)]
STILL = {"save_last_frame": True, "format": "png"}  # animations skipped, times kept


def captioned(scene_class: type) -> type:
    """``scene_class``, recording each beat: (caption text, scene time) of every pause and caption."""

    class Recorded(scene_class):  # type: ignore[misc, valid-type]
        def caption(self, text):
            self.beats = [*getattr(self, "beats", []), (text, self.time)]
            super().caption(text)

    Recorded.__name__ = Recorded.__qualname__ = scene_class.__name__
    return Recorded


def cues_of(scene_class: type, tmp_path) -> tuple[list[srt.Subtitle], list, float]:
    rendered = render_scene(captioned(scene_class), config=STILL, tmp_path=tmp_path)
    scene = rendered.scene
    return list(scene.renderer.file_writer.subcaptions), scene.beats, scene.time


@pytest.mark.render
@pytest.mark.parametrize("scene_class", ALL_SCENES, ids=lambda cls: cls.__name__)
def test_every_beat_has_one_cue_in_order_inside_the_clip(scene_class, tmp_path):
    cues, beats, end = cues_of(scene_class, tmp_path)
    assert len(cues) >= 3, f"{scene_class.__name__} has {len(cues)} subtitle cues"
    lasting = [text for (text, time), (_, before) in zip(beats, [(None, 0.0), *beats]) if time > before]
    assert all(lasting), f"{scene_class.__name__}: a beat without a caption"
    assert [cue.content for cue in cues] == lasting  # one cue per beat, in the scene's order
    previous_end = 0.0
    for cue in cues:
        start, stop = cue.start.total_seconds(), cue.end.total_seconds()
        assert previous_end - 1e-6 <= start < stop <= end + 1e-6, (scene_class.__name__, cue)
        assert cue.content.strip() and len(cue.content) <= 120 and "\n" not in cue.content, cue.content
        previous_end = stop
    assert cues[-1].end.total_seconds() >= end - 3.0  # the closing beat reaches (near) the end


def test_the_words_follow_the_scene_attributes(tmp_path):
    class Mine(BowlDescent):
        formula, start, learning_rate, steps = "x**2 + 3*y**2", (2.0, 1.0), 0.05, 30

    text = " ".join(cue.content for cue in cues_of(Mine, tmp_path)[0])
    assert "f = x**2 + 3*y**2" in text and "0.05" in text and "(2, 1)" in text


def test_a_rendered_clip_has_its_srt_beside_it(tmp_path):
    config = {"format": "mp4", "frame_rate": 5, "pixel_width": 128, "pixel_height": 72}
    render_scene(BowlDescent, config=config, tmp_path=tmp_path)
    (video,) = tmp_path.rglob("BowlDescent.mp4")
    cues = list(srt.parse(video.with_suffix(".srt").read_text()))
    assert len(cues) >= 3 and all(a.end <= b.start for a, b in zip(cues, cues[1:]))
