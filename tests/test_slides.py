"""Scenes as manim-slides decks (scenes/kit/slides.py, the collection's decks in
scenes/slides.py): ``pause()`` is a no-op under plain manim, a slide break under manim-slides,
decks are not scenes of their own, and a rendered deck converts to HTML on manim 0.22."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from scene_render import render_scene

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "data"))


def test_pause_is_a_no_op_under_plain_manim():
    from two_slides import TwoBeats

    rendered = render_scene(TwoBeats)
    assert rendered.scene.renderer.num_plays == 3
    assert len(rendered.scene.renderer.file_writer.sections) == 1


def test_every_collection_scene_has_a_slide_version_with_pause_as_next_slide():
    from manim_slides import Slide

    from scenes import scene_module_names, scenes_in, slides
    from scenes.kit.slides import PresentableScene

    originals = [cls for m in scene_module_names() for cls in scenes_in(m)]
    assert originals
    for cls in originals:
        deck = getattr(slides, cls.__name__)
        assert issubclass(deck, Slide) and issubclass(deck, cls)
        assert deck.pause is PresentableScene.pause
        assert deck.__module__ == "scenes.slides"


def test_decks_are_not_scenes_of_the_collection():
    import two_slides

    from scenes import scenes_in, slides

    assert scenes_in("slides") == scenes_in(slides) == []
    assert scenes_in(two_slides) == [two_slides.TwoBeats]  # not TwoBeatsDeck


@pytest.mark.render
def test_two_slide_deck_renders_and_converts_to_html(tmp_path):
    bin_dir = Path(sys.executable).parent
    subprocess.run(
        [bin_dir / "manim-slides", "render", "-ql", "--progress_bar", "none",
         "--media_dir", str(tmp_path), "tests/data/two_slides.py", "TwoBeatsDeck"],
        cwd=ROOT, check=True, capture_output=True,
    )
    deck = json.loads((tmp_path / "slides" / "TwoBeatsDeck.json").read_text())
    assert len(deck["slides"]) == 2
    assert all(Path(s["file"]).stat().st_size > 0 for s in deck["slides"])

    html = tmp_path / "deck.html"
    subprocess.run(
        [bin_dir / "manim-slides", "convert", "--folder", str(tmp_path / "slides"),
         "TwoBeatsDeck", str(html)],
        cwd=ROOT, check=True, capture_output=True,
    )
    videos = re.findall(r'data-background-video="([^"]+)"', html.read_text())
    assert len(videos) == 2
    assert all((tmp_path / v).stat().st_size > 0 for v in videos)
