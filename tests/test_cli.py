"""The gradscenes command: it lists every scene, refuses bad input in one line (exit status 2)
before anything renders, never runs a formula or any other value as Python, and writes only
where manim's options say."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from gradscenes.catalog import (
    SCENE_VARIABLE,
    check,
    discover,
    encode_scene,
    parse_value,
    scene_attributes,
    scene_from_json,
)
from gradscenes.cli import CUSTOM_FILE, _glue_values, build_parser, main, scene_settings
from gradscenes.launch import config_options, media_dir

ROOT = Path(__file__).resolve().parent.parent
COMMAND = [sys.executable, "-m", "gradscenes"]
SCENE = "GradientMap2D"  # a scene with a surface and no start point
TINY = ["-s", "-r", "160,90", "--progress_bar", "none"]  # last frame only, at 160x90

# Each tries to get Python to run: a comment or string that would close the quotes of the
# source a code generator writes, braces of a format string, a line continuation, a call.
TRICKS = [
    'x**2+y**2  # """;import pathlib;pathlib.Path("PWNED").write_text("x");"""',
    '""" + __import__("pathlib").Path("PWNED").write_text("x") + """',
    "x'''; open('PWNED', 'w'); '''",
    "{__import__('os').system('touch PWNED')}",
    "x\\\nimport os; os.system('touch PWNED')",
    "__import__('os').system('touch PWNED')",
]


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([*COMMAND, *args], cwd=cwd, capture_output=True, text=True, timeout=300)


def call(capsys: pytest.CaptureFixture, *args: str) -> tuple[int, str]:
    """``main(args)`` in this process: exit status and stderr."""
    try:
        status = main(list(args))
    except SystemExit as exit_:
        status = exit_.code
    return status, capsys.readouterr().err


def repository_state() -> set[str]:
    """Ignored files of the repository (renders/ included) and untracked ones other than
    sources (which others may be writing meanwhile), as ``git status`` lists them; no caches."""
    listing = subprocess.run(
        ["git", "status", "--porcelain", "--ignored=matching", "--untracked-files=all", "--", ".",
         ":!.venv"], cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout
    caches = ("__pycache__", ".pytest_cache", ".hypothesis")
    return {line for line in listing.splitlines()
            if line[:2] in ("!!", "??") and not any(c in line for c in caches)
            and not (line.startswith("??") and line.endswith((".py", ".md")))}


def assert_no_pwned(*folders: Path) -> None:
    for folder in [*folders, ROOT, ROOT / "renders", Path.home()]:
        found = [p for p in folder.glob("**/PWNED" if folder != Path.home() else "PWNED")]
        assert not found, f"a value ran as Python: {found}"


def assert_one_line_refusal(status: int, stderr: str, *words: str) -> None:
    assert status == 2, stderr
    assert "Traceback" not in stderr
    assert len(stderr.strip().splitlines()) == 1, stderr
    for word in words:
        assert word in stderr, stderr


# list


def test_list_shows_every_discovered_scene_with_its_attributes():
    done = run("list")
    assert done.returncode == 0, done.stderr
    entries: dict[str, str] = {}  # scene name -> its indented lines
    for line in done.stdout.splitlines():
        if line.startswith(" "):
            entries[name] += line + "\n"
        else:
            name = line.split()[0]
            entries[name] = ""
    catalog = discover()
    assert catalog.scenes, "discovery found no scene"
    assert set(entries) == set(catalog.scenes)
    for name, scene in catalog.scenes.items():
        for attribute in scene_attributes(scene):
            assert f" {attribute}=" in entries[name], (name, attribute)


def test_scene_attributes_are_public_data_from_the_base_scene_down():
    for scene in discover().scenes.values():
        attributes = scene_attributes(scene)
        assert "construct" not in attributes and "theme" not in attributes
        assert not any(name.startswith("_") for name in attributes)
        assert not any(callable(value) for value in attributes.values())
        assert "camera_class" not in attributes  # manim's Scene is not ours to list


# render: refusals, in one line, before anything renders


@pytest.mark.parametrize(
    "args, words",
    [
        (["NoSuchScene"], ["unknown scene 'NoSuchScene'", SCENE]),
        ([SCENE, "--set", "no_such_knob=1"], ["no_such_knob", "surface_name"]),
        ([SCENE, "--set", "no_equals_sign"], ["ATTR=VALUE"]),
        ([SCENE, "--start", "1;2"], ["X,Y"]),
        ([SCENE, "--start", "1,2"], ["takes no start point"]),
        (["BowlDescent", "--start", "-1e6,0"], ["start", "outside"]),
        ([SCENE, "--start", "nan,0"], ["finite"]),
        ([SCENE, "--domain", "1", "0", "0", "1"], ["XMIN < XMAX"]),
        ([SCENE, "--domain", "-inf", "3", "-2", "2"], ["finite"]),
        ([SCENE, "--domain", "-3", "3", "-2"], ["four numbers"]),
        ([SCENE, "--domain"], ["four numbers"]),
        ([SCENE, "--formula", "x +"], ["x +"]),
        ([SCENE, "--formula", "foo(x)"], ["foo"]),
        ([SCENE, "--surface", "no_such_surface"], ["no_such_surface"]),
        ([SCENE, "--formula", "x*y", "--set", "formula=x"], ["formula", "twice"]),
        ([SCENE, "--set", "field_shape=(13, 13"], ["field_shape", "a tuple or list"]),
        ([SCENE, "--set", "arrow_color={1, 2}"], ["arrow_color", "plain data"]),
        ([SCENE, "--formula", "x", "--surface", "bowl"], ["not allowed with"]),
        (["BowlDescent", "--start", "1,2", "--start", "3,4"], ["single start"]),
    ],
)
def test_render_refuses_bad_input_in_one_line(args, words, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    status, stderr = call(capsys, "render", *args, *TINY, "--media_dir", str(tmp_path / "media"))
    assert_one_line_refusal(status, stderr, *words)
    assert not (tmp_path / "media").exists(), "something rendered despite the refusal"


def test_render_refusal_from_the_installed_command_is_one_line(tmp_path):
    gradscenes = Path(sys.executable).with_name("gradscenes")
    assert gradscenes.exists(), "pip install -e . declares the gradscenes command"
    done = subprocess.run([str(gradscenes), "render", SCENE, "--domain", "1", "0", "0", "1"],
                          cwd=tmp_path, capture_output=True, text=True)
    assert_one_line_refusal(done.returncode, done.stderr, "--domain")


# render: values are data, never Python


@pytest.mark.parametrize("trick", TRICKS)
@pytest.mark.parametrize("entry", ["--formula", "formula", "surface_name", "field_shape", "name"])
def test_no_value_runs_as_python(entry, trick, capsys, tmp_path, monkeypatch):
    """Every way a string reaches a scene: exit status 2, or a clean render of the string as
    data; never a file written by the string."""
    monkeypatch.chdir(tmp_path)
    given = {"--formula": ["--formula", trick], "name": ["--set", f"{trick}=1"]}.get(
        entry, ["--set", f"{entry}={trick}"])
    status, stderr = call(capsys, "render", SCENE, *given, *TINY,
                          "--media_dir", str(tmp_path / "media"))
    assert status in (0, 2), stderr
    assert "Traceback" not in stderr
    assert_no_pwned(tmp_path)


@pytest.mark.render
def test_old_formula_exploit_writes_no_file(tmp_path):
    """tools/formula.py wrote the formula into renders/formula_scenes.py: this one made PWNED."""
    before = repository_state()
    gradscenes = Path(sys.executable).with_name("gradscenes")
    done = subprocess.run([str(gradscenes), "render", SCENE, "--formula", TRICKS[0], "-s", "-ql",
                           "--media_dir", str(tmp_path / "media")],
                          cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode in (0, 2), done.stderr[-2000:]
    assert_no_pwned(tmp_path)
    assert repository_state() <= before, repository_state() - before


def test_values_travel_as_json_data_and_come_back_verbatim():
    catalog = discover()
    scene = catalog.scene(SCENE)
    settings = {"formula": TRICKS[0], "domain": ((-1.0, 2.0), (-3.0, 4.0)), "field_shape": [5, 7]}
    spec = encode_scene(catalog.module_of(scene), SCENE, settings)
    custom = scene_from_json(spec, "some_module")
    assert custom.__name__ == SCENE and custom.__module__ == "some_module"
    assert issubclass(custom, scene) and custom is not scene
    assert custom.formula == TRICKS[0]
    assert custom.domain == ((-1.0, 2.0), (-3.0, 4.0)) and custom.field_shape == (5, 7)


def test_the_file_manim_loads_reads_every_trick_as_data(tmp_path):
    """Loaded the way ``manim render`` loads it, gradscenes/custom.py defines the scene with
    each trick as the value of a string attribute, and nothing runs."""
    catalog = discover()
    spec = encode_scene(catalog.module_of(catalog.scene(SCENE)), SCENE,
                        {"formula": TRICKS[0], "arrow_color": "\n".join(TRICKS)})
    probe = ("import json, sys; from pathlib import Path; "
             "from manim.utils.module_ops import get_module, get_scene_classes_from_module; "
             "(scene,) = get_scene_classes_from_module(get_module(Path(sys.argv[1]))); "
             "print(json.dumps([scene.__name__, scene.formula, scene.arrow_color]))")
    done = subprocess.run([sys.executable, "-c", probe, str(CUSTOM_FILE)], cwd=tmp_path,
                          env={**os.environ, SCENE_VARIABLE: spec}, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout.splitlines()[-1]) == [SCENE, TRICKS[0], "\n".join(TRICKS)]
    assert_no_pwned(tmp_path)


def test_json_cannot_name_anything_but_a_scene_and_its_data_attributes():
    catalog = discover()
    module = catalog.module_of(catalog.scene(SCENE))
    with pytest.raises(ValueError, match="not a module of the collection"):
        scene_from_json(encode_scene("os", "path", {}), "m")
    with pytest.raises(ValueError, match="no attribute"):
        scene_from_json(encode_scene(module, SCENE, {"construct": 1}), "m")


def test_set_values_are_literals_or_plain_strings():
    assert parse_value("(1, 2.5)", (0, 0)) == (1, 2.5)
    assert parse_value("#ff0000", "#ffffff") == "#ff0000"
    assert parse_value("2", None, string=True) == "2"  # a formula "2" stays a string
    assert parse_value("__import__('os')", None) == "__import__('os')"
    assert parse_value("7", 10) == 7 and parse_value("None", (1, 2)) is None
    with pytest.raises(ValueError, match="a number like 30"):
        parse_value("3O", 30)
    with pytest.raises(ValueError, match="a tuple or list like"):
        parse_value("'(1, 2)'", (13, 13))


# render: options


def test_negative_and_option_like_values_are_read_as_values():
    argv = ["render", SCENE, "--domain", "-3", "3", "-2.5", "-1e-3", "--start", "-1,2",
            "--start", "(-.5, 0)", "--formula", "-x**2", "-ql", "-n", "0,2", "-s", "--media_dir", "m"]
    args = build_parser().parse_args(_glue_values(argv))
    assert args.domain == ((-3.0, 3.0), (-2.5, -1e-3))
    assert args.start == [(-1.0, 2.0), (-0.5, 0.0)]
    assert args.formula == "-x**2"
    assert args.manim == ["--quality", "l", "--from_animation_number", "0,2",
                          "--save_last_frame", "--media_dir", "m"]


@pytest.mark.parametrize("words", [["-3", "3", "-2", "2"], ["-3 3 -2 2"], ["-3,3,-2,2"]])
def test_domain_takes_four_numbers_as_words_or_in_one(words):
    args = build_parser().parse_args(_glue_values(["render", SCENE, "--domain", *words, "-ql"]))
    assert args.domain == ((-3.0, 3.0), (-2.0, 2.0)) and args.manim == ["--quality", "l"]


def test_start_sets_starts_or_the_single_start():
    class One:
        start = (0.0, 1.0)

    class Many:
        starts = ((0.0, 1.0), (1.0, 0.0))

    args = build_parser().parse_args(["render", "X", "--start", "1,2", "--start", "3,4"])
    assert scene_settings(Many, args) == {"starts": ((1.0, 2.0), (3.0, 4.0))}
    with pytest.raises(ValueError, match="single start"):
        scene_settings(One, args)
    args = build_parser().parse_args(["render", "X", "--start", "1,2"])
    assert scene_settings(One, args) == {"start": (1.0, 2.0)}


def test_the_scene_validates_its_attributes():
    class Refuses:
        @classmethod
        def validate(cls):
            raise ValueError("steps must be positive, got -1")

    with pytest.raises(ValueError, match="steps must be positive"):
        check(Refuses)


def test_without_manim_cfg_here_the_project_configuration_is_used(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert config_options([]) == ["--config_file", str(ROOT / "manim.cfg")]
    assert media_dir() == Path("renders")  # the project's media_dir, under this folder
    assert config_options(["--config_file", "light.cfg"]) == []
    (tmp_path / "manim.cfg").write_text("[CLI]\nmedia_dir = elsewhere\n")
    assert config_options([]) == []
    assert media_dir() == Path("elsewhere")
    assert media_dir(["--media_dir", "there"]) == Path("there")


@pytest.mark.render
def test_render_writes_its_png_under_media_dir_and_nothing_in_the_repository(tmp_path):
    before = repository_state()
    done = run("render", SCENE, "--formula", "sin(x)*cos(y)", "-s", "-ql", "--progress_bar", "none",
               "--media_dir", str(tmp_path / "media"), cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    (still,) = (tmp_path / "media" / "images" / "custom").glob(f"{SCENE}*.png")
    pixels = np.asarray(Image.open(still).convert("L"), dtype=float)
    assert pixels.shape == (480, 854) and pixels.std() > 10
    assert repository_state() <= before, repository_state() - before
    assert SCENE_VARIABLE not in done.stderr


# slides: refusals


def test_slides_refuses_an_unknown_scene_in_one_line(capsys, tmp_path):
    status, stderr = call(capsys, "slides", SCENE, "NoSuchScene", "--output", str(tmp_path / "t.html"))
    assert_one_line_refusal(status, stderr, "gradscenes slides", "unknown scene 'NoSuchScene'",
                            SCENE)
    assert not list(tmp_path.iterdir())


def test_slides_refuses_an_output_that_is_not_a_page(capsys, tmp_path):
    status, stderr = call(capsys, "slides", SCENE, "--output", str(tmp_path / "talk.mp4"))
    assert_one_line_refusal(status, stderr, "NAME.html", "talk.mp4")


def test_slides_needs_an_output_and_a_scene(capsys):
    assert_one_line_refusal(*call(capsys, "slides", SCENE), "--output")
    assert_one_line_refusal(*call(capsys, "slides", "--output", "talk.html"), "SCENE")


def test_slides_without_the_set_up_s_reveal_js_says_to_run_it(capsys, tmp_path, monkeypatch):
    import gradscenes.slides

    monkeypatch.setattr(gradscenes.slides, "REVEALJS_CACHE", tmp_path / "empty")
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: pytest.fail("something ran"))
    status, stderr = call(capsys, "slides", SCENE, "--output", str(tmp_path / "talk.html"))
    assert status == 1 and len(stderr.strip().splitlines()) == 1, stderr
    assert "reveal.js" in stderr and "make setup" in stderr
    assert not (tmp_path / "talk.html").exists()


# gallery and split: refusals


def test_gallery_refuses_an_unknown_name_listing_the_known_ones(capsys):
    status, stderr = call(capsys, "gallery", SCENE, "NoSuchScene")
    assert_one_line_refusal(status, stderr, "'NoSuchScene'", SCENE, "gradient_maps")
    assert f"'{SCENE}'" not in stderr


@pytest.mark.parametrize("jobs", ["0", "-2", "two"])
def test_gallery_and_split_refuse_a_number_of_processes_below_one(jobs, capsys):
    for command in ("gallery", "split"):
        status, stderr = call(capsys, command, "--jobs", jobs, SCENE)
        assert_one_line_refusal(status, stderr, "1 or more")


def test_gallery_refuses_an_unknown_quality(capsys):
    status, stderr = call(capsys, "gallery", "--quality=", SCENE)
    assert_one_line_refusal(status, stderr, "invalid choice")


def test_split_refuses_an_unknown_scene_in_one_line(capsys):
    status, stderr = call(capsys, "split", "NoSuchScene")
    assert_one_line_refusal(status, stderr, "unknown scene 'NoSuchScene'")


@pytest.mark.parametrize("split, flag", [("0", False), ("", False), ("1", True)])
def test_make_gallery_splits_only_with_split_1(split, flag):
    done = subprocess.run(["make", "-n", "gallery", f"SPLIT={split}", "SCENES=GradientMap1D"],
                          cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    (line,) = [line for line in done.stdout.splitlines() if "gradscenes gallery" in line]
    assert ("--split" in line) == flag
    assert line.split()[-1] == "GradientMap1D"


def test_make_gallery_refuses_other_split_values():
    done = subprocess.run(["make", "-n", "gallery", "SPLIT=yes"], cwd=ROOT, capture_output=True,
                          text=True)
    assert done.returncode != 0 and "SPLIT=yes" in done.stderr


def test_gallery_tries_a_failed_scene_once_more_alone(monkeypatch, tmp_path, capsys):
    """A race in Manim's shared LaTeX cache fails a scene that renders alone: it gets one more try."""
    from gradscenes import gallery

    job = gallery.Job("Flaky", tmp_path / "flaky.py", "l", tmp_path)
    calls = []

    def render(job, per_scene):
        calls.append(job)
        return gallery.Result(job, len(calls) > 1, 0.1, 3 if len(calls) > 1 else None, "race")

    monkeypatch.setattr(gallery, "render", render)
    (result,) = gallery.render_all([job], processes=2)
    assert result.ok and result.frames == 3 and len(calls) == 2
    assert "[again] ok" in capsys.readouterr().out
