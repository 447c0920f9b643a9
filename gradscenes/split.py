"""One scene on several cores: its animations split across processes, the pieces joined.

Manim renders a scene on one core. ``manim -n a,b`` renders only animations ``a..b``, fast-
forwarding through the earlier ones (they are played with animations skipped, so state that
follows precomputed paths is exact at the seam). :func:`render_split`

1. plans: runs the scene once with every animation skipped (about as fast as building it) and
   records each animation's run time (:func:`plan_durations`);
2. splits the animations into ``jobs`` contiguous ranges of about equal run time
   (:func:`split_ranges`) and renders each range in its own ``manim`` process, each with its
   own media folder under ``<media_dir>/split/``;
3. joins the pieces into ``<media_dir>/videos/<module>/<quality>/<Scene>.mp4`` by copying the
   encoded packets (:func:`join_videos`: no re-encoding, so no generation loss at the seams).

From the command line: ``gradscenes split -q h -j 2 BallRolling``, or ``make gallery SPLIT=1``.
Splitting pays when there are fewer scenes than cores; a scene whose per-frame updaters
integrate with ``dt`` would drift at the seams, which is why gradscenes' scenes animate
precomputed trajectories and turn the camera by the scene's clock
(``FastThreeDScene.begin_ambient_camera_rotation``). Manim rounds each animation up to whole
frames when it renders it, not when it skips it: where a run time is not a whole number of
frames (1.5 s at 15 fps), the clock of a later piece runs behind by the rounding.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from gradscenes.launch import QUALITIES, manim_command, media_dir as configured_media_dir

__all__ = ["join_videos", "plan_durations", "render_split", "split_ranges"]


def plan_durations(module_file: Path | str, scene: str, env: dict[str, str] | None = None
                   ) -> list[float]:
    """Run time of each animation of ``scene`` (``play`` and ``wait`` calls), in order; the
    planning process gets the environment ``env`` (default: this process's)."""
    completed = subprocess.run([sys.executable, "-m", "gradscenes.split", str(module_file), scene],
                               capture_output=True, text=True, env=env)
    if completed.returncode != 0:
        raise RuntimeError(f"planning {scene} failed:\n{completed.stderr[-3000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def _print_plan(module_file: str, scene: str) -> None:
    """In a fresh process: build the scene with all animations skipped, print run times."""
    import importlib.util
    import tempfile

    from manim import tempconfig

    name = Path(module_file).stem
    spec = importlib.util.spec_from_file_location(name, module_file)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
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
    import av

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


def render_split(module_file: Path | str, scene: str, quality: str = "l", jobs: int = 2,
                 media_dir: Path | None = None, log_dir: Path | None = None) -> Path:
    """Render ``scene`` of ``module_file`` across ``jobs`` processes; the joined video's path.

    ``media_dir`` defaults to the configuration's (see :mod:`gradscenes.launch`); the pieces'
    logs go to ``log_dir``, by default beside the pieces.
    """
    module_file = Path(module_file).resolve()
    module, folder = module_file.stem, QUALITIES[quality]
    media_dir = configured_media_dir() if media_dir is None else Path(media_dir)
    ranges = split_ranges(plan_durations(module_file, scene), jobs)
    work = media_dir / "split" / f"{module}.{scene}"
    shutil.rmtree(work, ignore_errors=True)
    log_dir = log_dir or work

    def render_range(index: int) -> Path:
        first, last = ranges[index]
        media = work / f"part{index}"
        log = log_dir / f"{module}.{scene}.part{index}.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        options = [f"-q{quality}", "--progress_bar", "none", "--media_dir", str(media),
                   "-n", f"{first},{last}"]
        with log.open("w") as out:
            proc = subprocess.run(manim_command(module_file, scene, options), stdout=out,
                                  stderr=subprocess.STDOUT)
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


if __name__ == "__main__":  # the planning process of plan_durations
    _print_plan(*sys.argv[1:])
