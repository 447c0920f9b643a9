r"""How a descent, a flow or a rolling ball ended, in words: one table, like scipy's
status -> message table.

:data:`STATUS_WORDS` turns a status of :func:`~gradcore.descent.descend`,
:func:`~gradcore.flow.gradient_flow` or :func:`~gradcore.rolling.roll` into words
(:func:`status_words`, which may leave unsaid the statuses of a run that merely used up its
steps or time, :data:`RAN_OUT`); :func:`describe` looks closer at one run: did it reach a known
minimum, stall, come to rest, or is it still moving?  The words are plain text (no LaTeX), so
a scene can set them in ``\text{...}``.
"""

from __future__ import annotations

import operator
from collections.abc import Collection
from typing import Any, NamedTuple

import numpy as np

from gradcore.flow import Flow
from gradcore.rolling import Motion
from gradcore.surface import Surface, check_nonnegative

__all__ = ["KIND_WORDS", "RAN_OUT", "STATUS_WORDS", "Outcome", "describe", "status_words"]

STATUS_WORDS: dict[str, str] = {
    "converged": "converged",
    "resting": "came to rest",
    "max_steps": "still moving",
    "time_up": "ran out of time",
    "diverged": "diverged",
    "left_domain": "left the map",
}
"""Words for every status: of a descent (:data:`gradcore.descent.STATUSES`), of a
:class:`~gradcore.flow.Flow` (also ``"time_up"``) and of a :class:`~gradcore.rolling.Motion`
(also ``"resting"``, and no ``"converged"``)."""

RAN_OUT = frozenset({"max_steps", "time_up"})
"""The statuses of a run that used up its steps or its time: nothing stopped it, so a scene
that shows the whole run may leave them unsaid (``status_words(status, quiet=RAN_OUT)``)."""

KIND_WORDS: dict[str, str] = {
    "minimum": "at the minimum",
    "converged": STATUS_WORDS["converged"],
    "resting": STATUS_WORDS["resting"],
    "stalled": "stalled",
    "moving": STATUS_WORDS["max_steps"],
    "diverged": STATUS_WORDS["diverged"],
    "not_finite": "not finite at the start",
    "left_domain": STATUS_WORDS["left_domain"],
}
"""Words for each :attr:`Outcome.kind`, the short :attr:`Outcome.text`."""


def status_words(status: str, *, quiet: Collection[str] = ()) -> str:
    """The words of :data:`STATUS_WORDS` for ``status``, or ``""`` for a status in ``quiet``
    (as :data:`RAN_OUT`, for a scene that says only what stopped a run).

    Raises
    ------
    ValueError
        If ``status`` is not one of :data:`STATUS_WORDS`.

    Examples
    --------
    >>> status_words("resting")
    'came to rest'
    >>> status_words("time_up"), status_words("time_up", quiet=RAN_OUT)
    ('ran out of time', '')
    """
    status = str(status)
    if status not in STATUS_WORDS:
        raise ValueError(f"status must be one of {', '.join(STATUS_WORDS)}, got {status!r}")
    return "" if status in quiet else STATUS_WORDS[status]


class Outcome(NamedTuple):
    """How one start of a descent, a flow or a motion ended (see :func:`describe`).

    Attributes
    ----------
    kind : str
        One of :data:`KIND_WORDS`: ``"minimum"`` (ended at a known minimum), ``"converged"``
        (the gradient vanished elsewhere), ``"resting"`` (a ball came to rest elsewhere),
        ``"stalled"``, ``"moving"``, ``"diverged"``, ``"not_finite"`` (:math:`f` or its
        gradient is not finite at the start) or ``"left_domain"``.
    text : str
        Short plain words, ``KIND_WORDS[kind]``: ``"at the minimum"``, ``"left the map"``...
    detail : str
        A plain sentence with the numbers: ``"at the minimum (3.00, 2.00)"``,
        ``"left the map after 12 steps"``, ``"still moving after 100 steps: gradient norm 0.031"``,
        ``"came to rest at (1.00, 0.50) at t = 4.2"``.
    point : ndarray, shape (2,), or None
        The known minimum reached (kind ``"minimum"``), else None.
    end : ndarray, shape (2,)
        Where the start ended, ``points[n_steps]`` (a flow's or motion's last point).
    steps : int
        Steps taken (a flow's or motion's samples after the first).
    status : str
        The run's status for this start (a key of :data:`STATUS_WORDS`): kind ``"minimum"``
        comes with ``"converged"``, ``"resting"``, ``"max_steps"`` or ``"time_up"``.
    time : float or None
        When a flow or motion stopped, its last time ``t[-1]``; None for a descent.
    """

    kind: str
    text: str
    detail: str
    point: np.ndarray | None
    end: np.ndarray
    steps: int
    status: str
    time: float | None = None


def describe(
    surface: Surface,
    trajectory: Any,
    i: int | None = None,
    *,
    reach: float = 0.01,
    window: int = 20,
    stall_fraction: float = 1e-3,
) -> Outcome:
    r"""How start ``i`` of ``trajectory`` (from :func:`~gradcore.descent.descend`) ended, or how
    a :class:`~gradcore.flow.Flow` or a rolling ball's :class:`~gradcore.rolling.Motion` did.

    For a descent, the first rule that holds names it:

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

    A flow or a motion follows the same rules, told by time (``"left the map at t = 2.5"``),
    with these differences: ``"diverged"`` is the solver failing; a ball counts as at a
    minimum only when it came to rest there or its last ``window`` samples all lie within
    reach (it stays, not passing through); the status ``"resting"`` elsewhere is the kind
    ``"resting"``; and it does not stall (running out of steps or time is ``"moving"``).

    A start that left the map or diverged is said to, even next to a minimum: it did not stay
    there.  Only minima the surface knows count; a surface without ``critical_points`` data
    never gives ``"minimum"``.

    Parameters
    ----------
    surface : Surface
        The surface descended (its ``domain`` and ``critical_points``).
    trajectory : Trajectory, Flow or Motion
        A single start, or a batch (a trajectory only) with ``i`` the start to describe.
    i : int, optional
        Which start of a batch; None (or 0) for a single start.
    reach : float
        Fraction of the domain's diagonal within which a minimum counts as reached, >= 0.
    window : int
        Last steps over which a stalled path has moved almost nothing, >= 1 (a ball's last
        samples that must stay at a minimum).
    stall_fraction : float
        Largest fraction of the whole length moved over the ``window``, >= 0.

    Examples
    --------
    >>> from gradcore.descent import descend
    >>> from gradcore.optimizers import sgd
    >>> from gradcore.quadratic import bowl
    >>> from gradcore.rolling import roll
    >>> describe(bowl(), descend(bowl(), (1.0, 1.0), sgd(0.1), steps=100, tol=0)).detail
    'at the minimum (0.00, 0.00)'
    >>> describe(bowl(), descend(bowl(), (1.0, 1.0), sgd(1.5), steps=50, domain=bowl().domain)).text
    'left the map'
    >>> describe(bowl(), roll(bowl(), (2.0, 1.0), friction=1.0, t_span=(0, 30))).text
    'at the minimum'
    """
    timed = isinstance(trajectory, (Flow, Motion))
    if timed and i not in (None, 0):
        raise ValueError(f"i must be None or 0 for a single {type(trajectory).__name__}, got {i!r}")
    if not timed:
        points, values, grad_norms, status, steps = _start_of(trajectory, i)
    reach = check_nonnegative(reach, "reach")
    stall_fraction = check_nonnegative(stall_fraction, "stall_fraction")
    try:
        window = operator.index(window)
    except TypeError:
        window = 0
    if window < 1:
        raise ValueError(f"window must be an integer >= 1, got {window!r}")
    if timed:
        return _describe_timed(surface, trajectory, reach, window)
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
    minimum = _minimum_within(surface, end[None], reach)
    if minimum is not None:
        return outcome("minimum", f"at the minimum {_pair(minimum)}", minimum)
    if status == "converged":
        return outcome("converged", f"converged at {_pair(end)} {after}")
    lengths = np.hypot(*np.diff(points[: steps + 1], axis=0).T)
    if lengths[-window:].sum() <= stall_fraction * lengths.sum():
        return outcome("stalled", f"stalled at {_pair(end)} {after}")
    return outcome("moving", f"still moving {after}: gradient norm {grad_norms[steps]:.2g}")


def _describe_timed(surface: Surface, run: Flow | Motion, reach: float, window: int) -> Outcome:
    """:func:`describe` for a flow or a motion (arguments checked)."""
    points = np.asarray(run.points, dtype=float)
    end, status, time = points[-1], str(run.status), float(run.t[-1])

    def outcome(kind: str, detail: str, point: np.ndarray | None = None) -> Outcome:
        return Outcome(kind, KIND_WORDS[kind], detail, point, end, len(points) - 1, status, time)

    when = f"at t = {time:.3g}"
    if status in ("diverged", "left_domain"):
        return outcome(status, f"{STATUS_WORDS[status]} {when}")
    stays = points[-1:] if isinstance(run, Flow) or status == "resting" else points[-window:]
    minimum = _minimum_within(surface, stays, reach)
    if minimum is not None:
        return outcome("minimum", f"at the minimum {_pair(minimum)}", minimum)
    if status in ("converged", "resting"):
        return outcome(status, f"{STATUS_WORDS[status]} at {_pair(end)} {when}")
    if isinstance(run, Motion):
        return outcome("moving", f"still moving {when}: speed {run.speeds[-1]:.2g}")
    return outcome("moving", f"still moving {when}: gradient norm {run.grad_norms[-1]:.2g}")


def _start_of(trajectory: Any, i: int | None) -> tuple[np.ndarray, np.ndarray, np.ndarray, str, int]:
    """Points, values, gradient norms, status and steps of one start of ``trajectory``."""
    points = np.asarray(getattr(trajectory, "points", None), dtype=float)
    if points.ndim not in (2, 3) or points.shape[-1] != 2:
        raise ValueError(f"trajectory must be a Trajectory (gradcore.descend), a Flow or a Motion, got {trajectory!r}")
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


def _minimum_within(surface: Surface, points: np.ndarray, reach: float) -> np.ndarray | None:
    """The known minimum nearest to the last of ``points`` ``(k, 2)``, if all of them lie
    within ``reach`` times the domain's diagonal of it."""
    (xmin, xmax), (ymin, ymax) = surface.domain
    radius = reach * float(np.hypot(xmax - xmin, ymax - ymin))
    minima = [np.asarray(c.point, dtype=float) for c in surface.critical_points if c.kind == "minimum"]
    if not minima:
        return None
    distances = [float(np.hypot(*(points[-1] - m))) for m in minima]
    nearest = minima[int(np.argmin(distances))]
    return nearest if np.all(np.hypot(*(points - nearest).T) < radius) else None


def _pair(p: np.ndarray) -> str:
    """``(x, y)`` with two decimals (no ``-0.00``)."""
    x, y = (round(float(c), 2) + 0.0 for c in p)
    return f"({x:.2f}, {y:.2f})"
