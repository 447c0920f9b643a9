"""Scenes as manim-slides decks (scenes/kit/slides.py, the collection's decks in
scenes/slides.py): ``pause()`` is a no-op under plain manim, a slide break under manim-slides,
decks are not scenes of their own, and a rendered deck converts to HTML on manim 0.22. Decks of
``gradscenes slides`` (gradscenes/slides.py) load nothing from the network, and the README's
slide commands, run exactly as written, make one. (tests/test_slides_browser.py plays a deck in
headless Chromium.)"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from urllib.parse import unquote, urlsplit

import pytest
from scene_render import render_scene

from gradscenes.slides import assets_folder, bundle_revealjs, convert_command, deck_references

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "data"))

README_SLIDE_COMMANDS = [
    ".venv/bin/gradscenes slides GradientMap1D GradientMap2D --output talk.html -q l",
]
"""The commands of the README's section on slides, exactly as written there."""


def readme_slide_commands() -> list[str]:
    """The command lines of the README's "Present it as slides" section, without comments."""
    text = (ROOT / "README.md").read_text()
    section = text.split("\n## Present it as slides\n", 1)[1].split("\n## ", 1)[0]
    return [line.split("  #", 1)[0].strip()
            for block in re.findall(r"```bash\n(.*?)```", section, re.S)
            for line in block.splitlines() if line.strip() and not line.startswith("#")]


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


def test_readme_slide_commands_are_the_ones_tested():
    assert readme_slide_commands() == README_SLIDE_COMMANDS


@pytest.mark.render
def test_readme_slide_commands_as_written_make_a_deck_that_loads_nothing_from_the_network(tmp_path):
    # A checkout as the commands see it, with its output here: the set-up's .venv, manim.cfg
    (tmp_path / ".venv").symlink_to(ROOT / ".venv")
    (tmp_path / "manim.cfg").symlink_to(ROOT / "manim.cfg")
    for command in README_SLIDE_COMMANDS:
        done = subprocess.run(command, shell=True, cwd=tmp_path, capture_output=True, text=True,
                              timeout=900)
        assert done.returncode == 0, f"{command}\n{done.stderr[-3000:]}"

    page = tmp_path / "talk.html"
    assets = assets_folder(page).resolve()  # talk_assets/: the clips and reveal.js
    urls = deck_references(page)
    assert not [url for url in urls if urlsplit(url).scheme or urlsplit(url).netloc]
    files = [(tmp_path / unquote(url)).resolve() for url in urls]
    assert all(f.is_file() and f.is_relative_to(assets) for f in files), urls
    assert {"reveal.js/dist/reveal.js", "reveal.js/dist/reveal.css"} <= {
        f.relative_to(assets).as_posix() for f in files}
    assert (assets / "reveal.js" / "LICENSE").is_file()
    decks = [json.loads((tmp_path / "renders" / "slides" / f"{scene}.json").read_text())
             for scene in ("GradientMap1D", "GradientMap2D")]
    clips = [url for url in urls if url.endswith(".mp4")]
    assert len(clips) == sum(len(deck["slides"]) for deck in decks) > 2


def test_convert_points_reveal_js_at_the_folder_beside_the_page():
    command = convert_command(["A", "B"], Path("out/my talk.html"), Path("renders/slides"), "A, B")
    assert command[command.index("--folder") + 1:command.index("--folder") + 5] == [
        "renders/slides", "A", "B", "out/my talk.html"]
    assert "-ccdn_url=my%20talk_assets/reveal.js" in command
    assert "--silent" in command  # no look-up of a newer manim-slides on the network


def test_bundling_refuses_a_page_that_would_load_from_the_network(tmp_path):
    revealjs = tmp_path / "reveal.js-package"
    (revealjs / "dist").mkdir(parents=True)
    (revealjs / "dist" / "reveal.js").write_text("// reveal")
    (revealjs / "LICENSE").write_text("MIT")
    page = tmp_path / "talk.html"
    page.write_text('<link rel="stylesheet" href="talk_assets/reveal.js/dist/reveal.js">'
                    '<script src="https://cdn.jsdelivr.net/npm/reveal.js@6.0.1/dist/reveal.js">'
                    "</script>")
    with pytest.raises(RuntimeError, match="from the network"):
        bundle_revealjs(page, revealjs)
    page.write_text('<script src="talk_assets/reveal.js/dist/reveal.js"></script>'
                    '<section data-background-video="talk_assets/clip.mp4"></section>')
    with pytest.raises(RuntimeError, match="clip.mp4, which is not there"):
        bundle_revealjs(page, revealjs)
    (tmp_path / "talk_assets" / "clip.mp4").write_bytes(b"mp4")
    assert bundle_revealjs(page, revealjs) == [tmp_path / "talk_assets/reveal.js/dist/reveal.js"]
    assert (tmp_path / "talk_assets/reveal.js/LICENSE").read_text() == "MIT"
