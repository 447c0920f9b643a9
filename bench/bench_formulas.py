"""Benchmark: time 10,000 random formulas from the grammar, each to a usable surface or a ValueError.

Run ``python bench/bench_formulas.py [COUNT]`` from the repository root.  Formula ``i`` comes
from :func:`random_formula` (in ``tests/test_core_formula_grammar.py``, the generator the
property test runs through hypothesis) with ``random.Random(i)``: nested functions, powers
and towers, long sums and products, huge and tiny constants, up to the 1000-character limit.
Each is timed (wall clock, and CPU time of this process, which other work on the machine does
not inflate) from the text to a surface whose value, gradient and Hessian are evaluated at
a point (the derivatives are compiled on that first use), or to the ValueError refusing it.
Writes the time percentiles and the slowest formulas to ``bench/results/formulas.md``.
"""

from __future__ import annotations

import importlib.util
import os
import platform
import random
import sys
import time
from pathlib import Path

import numpy as np
import sympy

ROOT = Path(__file__).resolve().parents[1]


def _grammar():
    """The property test's module (tests/ is not a package): its generator and its check."""
    spec = importlib.util.spec_from_file_location("formula_grammar", ROOT / "tests" / "test_core_formula_grammar.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_GRAMMAR = _grammar()
SECONDS, random_formula, usable_or_refused = _GRAMMAR.SECONDS, _GRAMMAR.random_formula, _GRAMMAR.usable_or_refused

COUNT = 10_000
SLOWEST = 10
RESULTS = Path(__file__).resolve().parent / "results" / "formulas.md"


def main(count: int = COUNT) -> None:
    times, cpu_times, kinds, slowest = np.empty(count), np.empty(count), [], []
    begin = time.perf_counter()
    for seed in range(count):
        text = random_formula(random.Random(seed))
        cpu = time.process_time()
        kind, seconds = usable_or_refused(text)
        times[seed], cpu_times[seed] = seconds, time.process_time() - cpu
        kinds.append(kind)
        slowest = sorted(slowest + [(seconds, cpu_times[seed], seed, kind, text)], reverse=True)[:SLOWEST]
        if (seed + 1) % 1000 == 0:
            elapsed = time.perf_counter() - begin
            print(f"{seed + 1:,} formulas, {elapsed:.0f} s, slowest {slowest[0][0]:.2f} s", flush=True)
    total = time.perf_counter() - begin

    usable = kinds.count("usable")
    p50, p90, p99 = np.percentile(times, [50, 90, 99])
    rows = "\n".join(
        f"| {seconds:.3f} | {cpu:.3f} | {seed} | {kind} | {len(text)} | `{_shown(text)}` |"
        for seconds, cpu, seed, kind, text in slowest
    )
    worst = slowest[0]
    report = (
        "# Formula benchmark: random formulas from the grammar, text to surface or ValueError\n\n"
        f"**Slowest: {worst[0]:.3f} s** wall clock, {worst[1]:.3f} s of CPU (seed {worst[2]}, {worst[3]}, "
        f"{len(worst[4])} characters); most CPU time of any formula: {cpu_times.max():.3f} s (seed "
        f"{int(cpu_times.argmax())}); limit asserted by the property test: {SECONDS:g} s of wall clock.\n\n"
        "| formulas | usable | refused (ValueError) | median (s) | 90% (s) | 99% (s) | max (s) | total (s) |\n"
        "|---|---|---|---|---|---|---|---|\n"
        f"| {count:,} | {usable:,} | {count - usable:,} | {p50:.4f} | {p90:.4f} | {p99:.4f} | {times.max():.3f} "
        f"| {total:.0f} |\n\n"
        f"## The {SLOWEST} slowest\n\n"
        "| wall (s) | CPU (s) | seed | outcome | length | formula |\n"
        "|---|---|---|---|---|---|\n"
        f"{rows}\n\n"
        "Formula `i` is `random_formula(random.Random(i))` from `tests/test_core_formula_grammar.py`; a usable one "
        "had its value, gradient and Hessian evaluated at (0.4, -1.3), derivatives compiled on that first use.\n"
        "Wall-clock times include waiting for other processes on a shared machine; the CPU times do not.\n"
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs (shared, niceness {os.nice(0)}, load average "
        f"{os.getloadavg()[0]:.1f}), Python {platform.python_version()}, "
        f"numpy {np.__version__}, sympy {sympy.__version__}; {time.strftime('%Y-%m-%d')}.\n"
    )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(report)
    print(report)


def _shown(text: str, width: int = 120) -> str:
    text = text.replace("|", "\\|")
    return text if len(text) <= width else f"{text[: width - 20]} ... {text[-15:]}"


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else COUNT)
