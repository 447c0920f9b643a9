"""Gradient throughput: exact gradients vs finite differences on a 1000 x 1000 grid.

For every registered surface, time ``surface.gradient`` on the grid against

* numpy central differences (four vectorized value evaluations), and
* seed 004's ``numerical_gradient`` loop (a Python loop over points and
  coordinates), timed on a subsample of points and extrapolated to the grid.

Run ``python bench/bench_gradients.py``; prints a markdown table and writes it to
``bench/results/gradients.md``.
"""

from __future__ import annotations

import os
import platform
import time
from pathlib import Path

import numpy as np

from gradcore import SURFACES, get_surface
from gradcore.fields import grid

SIDE = 1000
SUBSAMPLE = 2000
RESULTS = Path(__file__).resolve().parent / "results" / "gradients.md"


def numerical_gradient(f, x):
    """Seed 004's per-point central difference (h = 1e-4), verbatim up to style."""
    h = 1e-4
    grad = np.zeros_like(x)
    for idx in range(x.size):
        tmp_val = x[idx]
        x[idx] = tmp_val + h
        fxh1 = f(x)
        x[idx] = tmp_val - h
        fxh2 = f(x)
        grad[idx] = (fxh1 - fxh2) / (2 * h)
        x[idx] = tmp_val
    return grad


def central_differences(surface, points, h=1e-4):
    """Vectorized numpy central differences of ``surface.value``."""
    columns = []
    for e in np.eye(2):
        columns.append((surface.value(points + h * e) - surface.value(points - h * e)) / (2 * h))
    return np.stack(columns, axis=-1)


def best_time(function, repeats=3):
    """Best wall time of ``repeats`` calls, and the last result."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    rows = []
    for name in SURFACES:
        surface = get_surface(name)
        points = grid(surface.domain, (SIDE, SIDE))
        exact_time, exact = best_time(lambda: surface.gradient(points))
        numpy_time, numeric = best_time(lambda: central_differences(surface, points))
        scale = np.max(np.abs(exact))
        numpy_error = np.max(np.abs(numeric - exact)) / scale
        sample = points.reshape(-1, 2)[np.random.default_rng(0).choice(SIDE * SIDE, SUBSAMPLE, replace=False)]
        loop_sample, _ = best_time(lambda: [numerical_gradient(surface.value, p.copy()) for p in sample], repeats=1)
        loop_time = loop_sample * SIDE * SIDE / SUBSAMPLE
        rows.append(
            f"| {name} | {exact_time * 1e3:.1f} | {numpy_time * 1e3:.1f} | {numpy_time / exact_time:.1f}x "
            f"| {numpy_error:.1e} | {loop_time:.1f} | {loop_time / exact_time:,.0f}x |"
        )
    table = "\n".join(
        [
            f"Gradient of each surface on a {SIDE}x{SIDE} grid over its domain; best of 3 runs.",
            f"Seed 004 loop: timed on {SUBSAMPLE} random grid points and extrapolated to {SIDE * SIDE}.",
            "Error: max |central differences - exact| / max |exact gradient| (h = 1e-4).",
            f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
            f"Python {platform.python_version()}, numpy {np.__version__}.",
            "",
            "| surface | exact (ms) | numpy central differences (ms) | ratio | error | seed 004 loop (s) | ratio |",
            "|---|---:|---:|---:|---:|---:|---:|",
            *rows,
        ]
    )
    print(table)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(table + "\n")


if __name__ == "__main__":
    main()
