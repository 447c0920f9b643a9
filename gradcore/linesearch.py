r"""Backtracking line search: how far to go along a descent direction (Armijo 1966).

Along a direction :math:`d` from :math:`x`, the slice :math:`\phi(t) = f(x + t d)` starts
downhill, :math:`\phi'(0) = \nabla f(x)^T d < 0`.  Backtracking tries
:math:`t = t_0, t_0 \rho, t_0 \rho^2, \ldots` and accepts the first step under the Armijo line
(sufficient decrease, Nocedal and Wright 2006, Algorithm 3.1):

.. math:: f(x + t d) \le f(x) + c\, t\, \nabla f(x)^T d .

:func:`armijo` searches from one point and keeps every trial (what a scene draws);
:func:`backtrack` runs a batch of points at once and keeps only the accepted steps (what
:func:`~gradcore.descent.descend` uses).
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from typing import Any

import numpy as np

from gradcore.surface import as_points, check_finite, check_positive

__all__ = ["MAX_TRIALS", "Armijo", "armijo", "backtrack"]

MAX_TRIALS = 1000
"""Most trials a backtracking search may be given; the default, 50, already shrinks
:math:`t_0` by :math:`2^{-49} \\approx 10^{-15}` with ``shrink`` = 0.5."""


@dataclass(frozen=True)
class Armijo:
    r"""The result of :func:`armijo`.

    Attributes
    ----------
    t : float
        The accepted step: :math:`x + t d` is the next point.  When ``accepted`` is False, the
        last and smallest trial.
    trials : tuple of float
        Every step tried, in order: ``trials[i]`` :math:`= t_0 \rho^i`, the last one is ``t``.
    accepted : bool
        Whether ``t`` satisfies the Armijo condition.  False only when all ``max_trials``
        trials failed: the decrease :math:`f` can make along :math:`d` is then below its rounding
        (or :math:`f` is not finite anywhere the trials reached).
    """

    t: float
    trials: tuple[float, ...]
    accepted: bool = True


def _check_search(t0: float, shrink: float, c: float, max_trials: int) -> tuple[float, float, float, int]:
    """Validate the search's settings."""
    t0 = check_positive(t0, "t0")
    shrink = check_positive(shrink, "shrink")
    if not shrink < 1:
        raise ValueError(f"shrink must be a number in (0, 1), got {shrink!r}")
    c = check_positive(c, "c")
    if not c < 1:
        raise ValueError(f"c must be a number in (0, 1), got {c!r}; 1e-4 is usual")
    try:
        n = operator.index(max_trials)
    except TypeError:
        n = 0
    if not 1 <= n <= MAX_TRIALS:
        raise ValueError(f"max_trials must be an integer from 1 to {MAX_TRIALS}, got {max_trials!r}")
    return t0, shrink, c, n


def backtrack(
    surface: Any,
    x: np.ndarray,
    value: np.ndarray,
    slope: np.ndarray,
    direction: np.ndarray,
    t0: float = 1.0,
    shrink: float = 0.5,
    c: float = 1e-4,
    max_trials: int = 50,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""Backtracking for a batch of points at once, from known values and slopes.

    For each point, the first :math:`t = t_0 \rho^i` (:math:`\rho` = ``shrink``,
    :math:`i = 0, 1, \ldots`, fewer than ``max_trials``) with
    :math:`f(x + t d) \le f(x) + c\, t\, \phi'(0)`.  No settings are checked: see
    :func:`armijo`.

    Parameters
    ----------
    surface : Surface
        Anything with a vectorized ``value``.
    x, direction : ndarray, shape (k, 2)
        The points and the directions :math:`d`.
    value, slope : ndarray, shape (k,)
        :math:`f(x)` and :math:`\phi'(0) = \nabla f(x)^T d` at each point.

    Returns
    -------
    t : ndarray, shape (k,)
        The accepted steps; :math:`t_0` where :math:`d` is not a descent direction
        (``slope`` :math:`\ge 0` or not finite: nothing is tried), the last trial
        :math:`t_0 \rho^{n-1}` where all ``max_trials`` :math:`n` failed.
    trials : ndarray of int, shape (k,)
        How many steps were tried: ``t`` is :math:`t_0 \rho^{\text{trials} - 1}` (0 where
        nothing was tried).
    accepted : ndarray of bool, shape (k,)
        False where :math:`d` is not a descent direction or every trial failed.
    """
    searching = slope < 0
    t = np.full(len(x), t0)
    trials = np.zeros(len(x), dtype=int)
    accepted = np.zeros(len(x), dtype=bool)
    for i in range(max_trials):
        if not searching.any():
            break
        trial = t0 * shrink**i
        with np.errstate(all="ignore"):
            ok = searching & (surface.value(x + trial * direction) <= value + c * trial * slope)
        t[searching], trials[searching] = trial, i + 1
        accepted |= ok
        searching &= ~ok
    return t, trials, accepted


def armijo(
    surface: Any,
    x: Any,
    direction: Any,
    t0: float = 1.0,
    shrink: float = 0.5,
    c: float = 1e-4,
    max_trials: int = 50,
) -> Armijo:
    r"""Backtracking line search from the point ``x`` along ``direction``.

    The trials are :math:`t_i = t_0 \rho^i`, :math:`i = 0, 1, \ldots`, :math:`\rho` =
    ``shrink``; the first with

    .. math:: f(x + t_i d) \le f(x) + c\, t_i\, \nabla f(x)^T d

    is accepted, so every earlier trial violates it.  A trial where :math:`f` is not finite
    fails.  If all ``max_trials`` fail, the result is the last trial with ``accepted``
    False (see :class:`Armijo`): no exception, so a scene can still draw the search.

    Parameters
    ----------
    surface : Surface
        Anything with vectorized ``value`` and ``gradient``.
    x, direction : array_like, shape (2,)
        The point and the direction :math:`d`, with :math:`\nabla f(x)^T d < 0`.
    t0 : float
        The first trial, > 0.
    shrink : float
        The factor :math:`\rho` in (0, 1) between trials.
    c : float
        The fraction of the predicted decrease to achieve, in (0, 1).
    max_trials : int
        Most trials, from 1 to :data:`MAX_TRIALS`.

    Raises
    ------
    ValueError
        If ``direction`` is not a descent direction (:math:`\nabla f(x)^T d \ge 0`: no small
        step goes down; pass, e.g., :math:`-\nabla f(x)`), if :math:`f` or its gradient is not
        finite at ``x``, or if a setting is out of range.

    Examples
    --------
    >>> from gradcore.quadratic import bowl
    >>> search = armijo(bowl(), (1.0, 0.0), (-4.0, 0.0))  # phi(t) = (1 - 4 t)^2, phi(0) = 1
    >>> search.trials, search.t  # phi(1) = 9 and phi(1/2) = 1 lie above the line 1 - 8e-4 t
    ((1.0, 0.5, 0.25), 0.25)
    """
    t0, shrink, c, max_trials = _check_search(t0, shrink, c, max_trials)
    point, d = as_points(check_finite(x, "x")), as_points(check_finite(direction, "direction"))
    if point.shape != (2,) or d.shape != (2,):
        raise ValueError(f"x and direction must each have shape (2,), got {point.shape} and {d.shape}")
    f = check_finite(surface.value(point), "f(x)")
    slope = float(check_finite(surface.gradient(point), "the gradient at x") @ d)
    if not slope < 0:
        raise ValueError(
            f"direction must be a descent direction, with grad f(x) . d < 0, got {slope:g} at x = {point.tolist()}; "
            "pass, for example, the negative gradient"
        )
    t, n, accepted = backtrack(surface, point[None], f[None], np.array([slope]), d[None], t0, shrink, c, max_trials)
    return Armijo(float(t[0]), tuple(t0 * shrink**i for i in range(n[0])), bool(accepted[0]))
