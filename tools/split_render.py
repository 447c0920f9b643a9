"""Render one scene on several cores: split its animations across processes, join the pieces.

Manim renders a scene on one core. ``manim -n a,b`` renders only animations ``a..b``, fast-
forwarding through the earlier ones (they are played with animations skipped, so state that
follows precomputed paths is exact at the seam). This script

1. plans: runs the scene once with every animation skipped (about as fast as building it) and
   records each animation's run time;
2. splits the animations into ``--jobs`` contiguous ranges of about equal run time and renders
   each range in its own ``manim`` process, each with its own media folder;
3. joins the pieces into ``renders/videos/<module>/<quality>/<Scene>.mp4`` by copying the
   encoded packets (no re-encoding, so no generation loss at the seams).

Usage, from the repository root::

    .venv/bin/python tools/split_render.py -q h -j 2 scenes/rolling.py BallRolling

or for the gallery: ``make gallery SPLIT=1``. Splitting pays when there are fewer scenes than
cores; a scene whose per-frame updaters integrate with ``dt`` would drift at the seams, which is
why gradscenes' scenes animate precomputed trajectories and turn the camera by the scene's clock
(``FastThreeDScene.begin_ambient_camera_rotation``). Manim rounds each animation up to whole
frames when it renders it, not when it skips it: where a run time is not a whole number of
frames (1.5 s at 15 fps), the clock of a later piece runs behind by the rounding.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import av

ROOT = Path(__file__).resolve().parent.parent
QUALITIES = {"l": "480p15", "m": "720p30", "h": "1080p60", "p": "1440p60", "k": "2160p60"}

__all__ = ["plan_durations", "split_ranges", "render_split", "join_videos"]


def plan_durations(module_file: str, scene: str) -> list[float]:
    """Run time of each animation of ``scene`` (``play`` and ``wait`` calls), in order."""
    completed = subprocess.run(
        [sys.executable, __file__, "--plan", module_file, scene],
        cwd=ROOT, capture_output=True, text=True,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"planning {scene} failed:\n{completed.stderr[-3000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def _print_plan(module_file: str, scene: str) -> None:
    """In a fresh process: build the scene with all animations skipped, print run times."""
    import importlib.util
    import tempfile

    from manim import tempconfig

    spec = importlib.util.spec_from_file_location(Path(module_file).stem, ROOT / module_file)
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(ROOT))
    spec.loader.exec_module(module)
    durations = []
    with tempfile.TemporaryDirectory() as media, tempconfig(
        {"format": "png", "media_dir": media, "progress_bar": "none", "verbosity": "ERROR",
         "pixel_width": 64, "pixel_height": 36}
    ):
        instance = getattr(module, scene)()
        play = instance.renderer.play

        def recording_play(scene_, *args, **kwargs):
            play(scene_, *args, **kwargs)
            durations.append(float(scene_.duration))

        instance.renderer.play = recording_play
        instance.render()
    print(json.dumps(durations))


def split_ranges(durations: list[float], parts: int) -> list[tuple[int, int]]:
    """Contiguous animation ranges ``(first, last)`` of about equal total run time."""
    parts = max(1, min(parts, len(durations)))
    total = sum(durations)
    ranges, first, elapsed = [], 0, 0.0
    for index, duration in enumerate(durations):
        elapsed += duration
        remaining_parts = parts - len(ranges) - 1
        remaining_animations = len(durations) - index - 1
        if remaining_parts and (
            elapsed >= total * (len(ranges) + 1) / parts or remaining_animations == remaining_parts
        ):
            ranges.append((first, index))
            first = index + 1
    ranges.append((first, len(durations) - 1))
    return ranges


def join_videos(pieces: list[Path], output: Path) -> None:
    """Concatenate clips of identical encoding by copying packets (no re-encoding)."""
    output.parent.mkdir(parents=True, exist_ok=True)
    with av.open(str(output), mode="w") as out:
        stream = None
        offset = 0
        for piece in pieces:
            with av.open(str(piece)) as source:
                video = source.streams.video[0]
                if stream is None:
                    stream = out.add_stream_from_template(template=video)
                last = offset
                for packet in source.demux(video):
                    if packet.dts is None:  # flushing packet
                        continue
                    packet.pts += offset
                    packet.dts += offset
                    last = max(last, packet.pts + packet.duration)
                    packet.stream = stream
                    out.mux(packet)
                offset = last


def render_split(module_file: str, scene: str, quality: str = "l", jobs: int = 2,
                 log_dir: Path | None = None, media_dir: Path = ROOT / "renders") -> Path:
    """Render ``scene`` across ``jobs`` processes and return the joined video's path."""
    module = Path(module_file).stem
    folder = QUALITIES[quality]
    ranges = split_ranges(plan_durations(module_file, scene), jobs)
    work = media_dir / "split" / f"{module}.{scene}"
    shutil.rmtree(work, ignore_errors=True)
    log_dir = log_dir or work

    def render_range(index: int) -> Path:
        first, last = ranges[index]
        media = work / f"part{index}"
        log = log_dir / f"{module}.{scene}.part{index}.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, "-m", "manim", "render", f"-q{quality}", "--progress_bar",
                   "none", "--media_dir", str(media), "-n", f"{first},{last}", module_file, scene]
        with log.open("w") as out:
            proc = subprocess.run(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
        video = media / "videos" / module / folder / f"{scene}.mp4"
        if proc.returncode != 0 or not video.exists():
            tail = "\n".join(log.read_text(errors="replace").splitlines()[-15:])
            raise RuntimeError(f"animations {first}..{last} failed:\n{tail}\n(full log: {log})")
        return video

    with ThreadPoolExecutor(max_workers=len(ranges)) as pool:
        pieces = list(pool.map(render_range, range(len(ranges))))
    output = media_dir / "videos" / module / folder / f"{scene}.mp4"
    join_videos(pieces, output)
    return output


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quality", "-q", default="l", choices=sorted(QUALITIES))
    parser.add_argument("--jobs", "-j", type=int, default=2)
    parser.add_argument("--plan", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("module_file", help="e.g. scenes/rolling.py")
    parser.add_argument("scene", help="scene class name")
    args = parser.parse_args(argv)
    if args.plan:
        _print_plan(args.module_file, args.scene)
        return 0
    start = time.perf_counter()
    output = render_split(args.module_file, args.scene, args.quality, args.jobs)
    print(f"{output.relative_to(ROOT)} in {time.perf_counter() - start:.1f} s "
          f"on {args.jobs} processes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
