"""Formulas generated from the grammar answer quickly: a usable surface or a ValueError.

:func:`random_formula` is a plain random generator (``bench/bench_formulas.py`` runs it on
10,000 seeds); here hypothesis drives it through ``st.randoms``.
"""

from __future__ import annotations

import random
import time

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from gradcore.expression import FUNCTIONS, MAX_LENGTH, from_expression

NAMES = ("x", "y", "pi", "e")
OPERATORS = ("+", "-", "*", "/", "**", "^")
UNARY = [name for name in FUNCTIONS if name != "atan2"]
SECONDS = 2.0
"""Longest time a formula may take: parsing, checks, value, gradient and Hessian at a point."""


def random_number(rng: random.Random) -> str:
    """Small and huge integers, ordinary, huge and tiny floats, in the ways people write them."""
    kind = rng.random()
    if kind < 0.4:
        return str(rng.randint(0, 12))
    if kind < 0.6:
        return f"{rng.uniform(0, 10):.{rng.randint(1, 4)}f}"
    if kind < 0.7:
        return "9" * rng.randint(10, 400)  # a big integer
    if kind < 0.85:
        return f"{rng.uniform(1, 10):.2f}e{rng.choice('+-')}{rng.randint(1, 330)}"  # huge or tiny
    return str(rng.choice([2**53 + 1, 10**15, 10**308, 1e-320, 0.0]))


def random_expression(rng: random.Random, depth: int) -> str:
    """A random expression of the grammar, nested at most ``depth`` levels."""
    kind = rng.random()
    if depth <= 0 or kind < 0.25:
        return rng.choice(NAMES) if rng.random() < 0.6 else random_number(rng)
    if kind < 0.5:
        left, right = random_expression(rng, depth - 1), random_expression(rng, depth - 1)
        spaced = rng.random() < 0.5
        operator = rng.choice(OPERATORS)
        return f"{left} {operator} {right}" if spaced else f"({left}){operator}({right})"
    if kind < 0.75:
        name = rng.choice(list(FUNCTIONS))
        args = [random_expression(rng, depth - 1) for _ in range(2 if name == "atan2" else 1)]
        return f"{name}({', '.join(args)})"
    if kind < 0.8:
        return f"-({random_expression(rng, depth - 1)})"
    if kind < 0.87:  # a long sum or product, of short terms or of a few nested ones
        term_depth, count = rng.choice([(2, 60), (4, 25), (6, 10)])
        terms = [random_expression(rng, min(depth - 1, term_depth)) for _ in range(rng.randint(2, count))]
        return rng.choice([" + ", "*", " - ", "/"]).join(terms)
    if kind < 0.93:  # a chain of nested functions
        chain = [rng.choice(UNARY) for _ in range(rng.randint(2, 40))]
        return "".join(f"{f}(" for f in chain) + random_expression(rng, 1) + ")" * len(chain)
    # a tower of powers
    parts = [random_expression(rng, min(depth - 1, 1)) for _ in range(rng.randint(2, 12))]
    return "**".join(f"({p})" for p in parts)


def random_formula(rng: random.Random, max_length: int = MAX_LENGTH) -> str:
    """A formula of at most ``max_length`` characters from ``rng`` (any ``random.Random``)."""
    for _ in range(20):
        text = random_expression(rng, rng.randint(1, 8))
        if len(text) <= max_length:
            return text
    return text[:max_length]


def usable_or_refused(text: str) -> tuple[str, float]:
    """``"usable"`` when value, gradient and Hessian evaluate at a point, ``"refused"`` on a ValueError;
    and the seconds it took."""
    start = time.perf_counter()
    try:
        surface = from_expression(text)
    except ValueError:
        return "refused", time.perf_counter() - start
    point = np.array([0.4, -1.3])
    assert np.shape(surface.value(point)) == ()
    assert surface.gradient(point).shape == (2,) and surface.hessian(point).shape == (2, 2)
    return "usable", time.perf_counter() - start


@settings(max_examples=150, deadline=None)
@given(st.randoms(use_true_random=False))
def test_every_formula_of_the_grammar_is_usable_or_refused_within_two_seconds(rng):
    text = random_formula(rng)
    assert len(text) <= MAX_LENGTH
    _, seconds = usable_or_refused(text)
    assert seconds < SECONDS, f"{text!r} took {seconds:.2f} s"
