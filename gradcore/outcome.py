r"""How a descent ended, in words: one table, like scipy's status -> message table.

:data:`STATUS_WORDS` turns a status of :func:`~gradcore.descent.descend` (or of
:func:`~gradcore.flow.gradient_flow`) into words; :func:`describe` looks closer at one start of
a :class:`~gradcore.descent.Trajectory`: did it reach a known minimum, stall, or is it still
moving?  The words are plain text (no LaTeX), so a scene can set them in ``\text{...}``.
"""

from __future__ import annotations

import operator
from typing import Any, NamedTuple

import numpy as np

from gradcore.surface import Surface, check_nonnegative

__all__ = ["KIND_WORDS", "STATUS_WORDS", "Outcome", "describe"]

STATUS_WORDS: dict[str, str] = {
    "converged": "converged",
    "max_steps": "still moving",
    "diverged": "diverged",
    "left_domain": "left the map",
    "time_up": "ran out of time",
}
"""Words for each status of :data:`gradcore.descent.STATUSES` and of a
:class:`~gradcore.flow.Flow` (``"time_up"``)."""

KIND_WORDS: dict[str, str] = {
    "minimum": "at the minimum",
    "converged": STATUS_WORDS["converged"],
    "stalled": "stalled",
    "moving": STATUS_WORDS["max_steps"],
    "diverged": STATUS_WORDS["diverged"],
    "not_finite": "not finite at the start",
    "left_domain": STATUS_WORDS["left_domain"],
}
"""Words for each :attr:`Outcome.kind`, the short :attr:`Outcome.text`."""


class Outcome(NamedTuple):
    """How one start of a descent ended (see :func:`describe`).

    Attributes
    ----------
    kind : str
        One of :data:`KIND_WORDS`: ``"minimum"`` (ended at a known minimum), ``"converged"``
        (the gradient vanished elsewhere), ``"stalled"``, ``"moving"``, ``"diverged"``,
        ``"not_finite"`` (:math:`f` or its gradient is not finite at the start) or
        ``"left_domain"``.
    text : str
        Short plain words, ``KIND_WORDS[kind]``: ``"at the minimum"``, ``"left the map"``...
    detail : str
        A plain sentence with the numbers: ``"at the minimum (3.00, 2.00)"``,
        ``"left the map after 12 steps"``, ``"still moving after 100 steps: gradient norm 0.031"``.
    point : ndarray, shape (2,), or None
        The known minimum reached (kind ``"minimum"``), else None.
    end : ndarray, shape (2,)
        Where the start ended, ``points[n_steps]``.
    steps : int
        Steps taken.
    status : str
        The trajectory's status for this start (one of :data:`gradcore.descent.STATUSES`):
        kind ``"minimum"`` comes with ``"converged"`` or ``"max_steps"``.
    """

    kind: str
    text: str
    detail: str
    point: np.ndarray | None
    end: np.ndarray
    steps: int
    status: str


def describe(
    surface: Surface,
    trajectory: Any,
    i: int | None = None,
    *,
    reach: float = 0.01,
    window: int = 20,
    stall_fraction: float = 1e-3,
) -> Outcome:
    r"""How start ``i`` of ``trajectory`` (from :func:`~gradcore.descent.descend`) ended.

    The first rule that holds names it:

    1. status ``"diverged"`` after 0 steps with :math:`f` or :math:`\nabla f` not finite at the
       start: ``"not_finite"``; otherwise ``"diverged"`` and ``"left_domain"`` are the status.
    2. The end :math:`x_n` is within ``reach`` times the domain's diagonal of a known minimum
       :math:`m` (``surface.critical_points`` of kind ``"minimum"``; the nearest one counts),

       .. math:: \|x_n - m\| < \mathrm{reach} \cdot \sqrt{(x_{max} - x_{min})^2 + (y_{max} - y_{min})^2}:

       ``"minimum"``.
    3. Status ``"converged"`` (the gradient vanished away from a known minimum): ``"converged"``.
    4. The path ran all its steps and moved at most ``stall_fraction`` of its whole length over
       its last ``window`` steps,

       .. math:: \sum_{k=n-w}^{n-1} \|x_{k+1} - x_k\| \le \phi \sum_{k=0}^{n-1} \|x_{k+1} - x_k\|:

       ``"stalled"`` (a path of fewer than ``window`` steps stalls only if it never moved).
    5. Otherwise ``"moving"``.

    A start that left the map or diverged is said to, even next to a minimum: it did not stay
    there.  Only minima the surface knows count; a surface without ``critical_points`` data
    never gives ``"minimum"``.

    Parameters
    ----------
    surface : Surface
        The surface descended (its ``domain`` and ``critical_points``).
    trajectory : Trajectory
        A single start, or a batch with ``i`` the start to describe.
    i : int, optional
        Which start of a batch; None (or 0) for a single start.
    reach : float
        Fraction of the domain's diagonal within which a minimum counts as reached, >= 0.
    window : int
        Last steps over which a stalled path has moved almost nothing, >= 1.
    stall_fraction : float
        Largest fraction of the whole length moved over the ``window``, >= 0.

    Examples
    --------
    >>> from gradcore.descent import descend
    >>> from gradcore.optimizers import sgd
    >>> from gradcore.quadratic import bowl
    >>> describe(bowl(), descend(bowl(), (1.0, 1.0), sgd(0.1), steps=100, tol=0)).detail
    'at the minimum (0.00, 0.00)'
    >>> describe(bowl(), descend(bowl(), (1.0, 1.0), sgd(1.5), steps=50, domain=bowl().domain)).text
    'left the map'
    """
    points, values, grad_norms, status, steps = _start_of(trajectory, i)
    reach = check_nonnegative(reach, "reach")
    stall_fraction = check_nonnegative(stall_fraction, "stall_fraction")
    try:
        window = operator.index(window)
    except TypeError:
        window = 0
    if window < 1:
        raise ValueError(f"window must be an integer >= 1, got {window!r}")
    end = points[steps]

    def outcome(kind: str, detail: str, point: np.ndarray | None = None) -> Outcome:
        return Outcome(kind, KIND_WORDS[kind], detail, point, end, steps, status)

    after = "at the first step" if steps == 0 else f"after {steps} step" + ("s" if steps > 1 else "")
    if status == "diverged" and steps == 0 and not (np.isfinite(values[0]) and np.isfinite(grad_norms[0])):
        return outcome("not_finite", "f or its gradient is not finite at the start")
    if status == "diverged":
        return outcome("diverged", f"diverged {after}")
    if status == "left_domain":
        return outcome("left_domain", f"left the map {after}")
    minimum = _minimum_within(surface, end, reach)
    if minimum is not None:
        return outcome("minimum", f"at the minimum {_pair(minimum)}", minimum)
    if status == "converged":
        return outcome("converged", f"converged at {_pair(end)} {after}")
    lengths = np.hypot(*np.diff(points[: steps + 1], axis=0).T)
    if lengths[-window:].sum() <= stall_fraction * lengths.sum():
        return outcome("stalled", f"stalled at {_pair(end)} {after}")
    return outcome("moving", f"still moving {after}: gradient norm {grad_norms[steps]:.2g}")


def _start_of(trajectory: Any, i: int | None) -> tuple[np.ndarray, np.ndarray, np.ndarray, str, int]:
    """Points, values, gradient norms, status and steps of one start of ``trajectory``."""
    points = np.asarray(getattr(trajectory, "points", None), dtype=float)
    if points.ndim not in (2, 3) or points.shape[-1] != 2:
        raise ValueError(f"trajectory must be a Trajectory from gradcore.descend, got {trajectory!r}")
    batch = points.ndim == 3
    k = points.shape[1] if batch else 1
    if i is None and batch:
        raise ValueError(f"i must say which of the {k} starts of a batch trajectory to describe")
    index = 0 if i is None else i
    try:
        index = operator.index(index)
    except TypeError:
        index = -1
    if not 0 <= index < k:
        raise ValueError(f"i must be an integer from 0 to {k - 1}, got {i!r}")
    values, grad_norms = np.asarray(trajectory.values), np.asarray(trajectory.grad_norms)
    status, steps = np.asarray(trajectory.status), np.asarray(trajectory.n_steps)
    if batch:
        points, values, grad_norms = points[:, index], values[:, index], grad_norms[:, index]
        status, steps = status[index], steps[index]
    return points, values, grad_norms, str(status), int(steps)


def _minimum_within(surface: Surface, end: np.ndarray, reach: float) -> np.ndarray | None:
    """The known minimum nearest to ``end``, if within ``reach`` times the domain's diagonal."""
    (xmin, xmax), (ymin, ymax) = surface.domain
    radius = reach * float(np.hypot(xmax - xmin, ymax - ymin))
    minima = [np.asarray(c.point, dtype=float) for c in surface.critical_points if c.kind == "minimum"]
    if not minima:
        return None
    distances = [float(np.hypot(*(end - m))) for m in minima]
    nearest = int(np.argmin(distances))
    return minima[nearest] if distances[nearest] < radius else None


def _pair(p: np.ndarray) -> str:
    """``(x, y)`` with two decimals (no ``-0.00``)."""
    x, y = (round(float(c), 2) + 0.0 for c in p)
    return f"({x:.2f}, {y:.2f})"
