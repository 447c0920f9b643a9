r"""Choosing a learning rate: the one, from a log grid, with which a rule ends lowest.

A fair race between optimizers gives each its best rate for the surface, the start and the
number of steps.  :func:`tune_learning_rate` runs the rule once for every rate of a grid, all
rates at once as one batch of :func:`~gradcore.descent.descend` (each start of the batch with its
own rate), and keeps the rate whose run ends at the lowest value.
"""

from __future__ import annotations

import inspect
from typing import Any

import numpy as np

from gradcore.descent import check_start, descend
from gradcore.optimizers import OPTIMIZERS
from gradcore.surface import check_finite

__all__ = ["LEARNING_RATE_GRID", "MAX_GRID", "tune_learning_rate"]

LEARNING_RATE_GRID = tuple(float(rate) for rate in 10.0 ** np.linspace(-6, 1, 36))
r"""The default grid: :math:`10^{-6}` to :math:`10`, five rates a decade,
:math:`10^{-6 + i/5}` for :math:`i = 0, \ldots, 35` (Beale's gradient far from its minimum
asks for momentum's rate near :math:`10^{-6}`, Adagrad's on Rosenbrock is above 1)."""

MAX_GRID = 1000
"""Most rates in a grid (the runs go as one batch)."""


def tune_learning_rate(
    surface: Any,
    start: Any,
    optimizer_name: str,
    steps: int = 200,
    grid: Any = LEARNING_RATE_GRID,
    **hyperparameters: Any,
) -> float | None:
    r"""The learning rate of ``grid`` with which the rule ``optimizer_name`` ends lowest.

    Runs :math:`x_{k+1} = x_k + \Delta x_k` for ``steps`` steps from ``start`` once for each
    rate :math:`\eta` of ``grid`` (all in one batch: :func:`~gradcore.descent.descend`, ``tol``
    0, the surface's own domain) and returns

    .. math:: \operatorname*{arg\,min}_{\eta \in \text{grid}} f(x_{\text{steps}}(\eta))

    over the runs that neither diverged nor left the domain (they lose); on a tie the smaller
    rate.

    Parameters
    ----------
    surface : Surface
        Anything with vectorized ``value`` and ``gradient``, and a ``domain``.
    start : array_like, shape (2,)
        One start inside the domain.
    optimizer_name : str
        A name of :data:`~gradcore.optimizers.OPTIMIZERS` (each has a learning rate; Adadelta's
        scales its step, as in PyTorch).  A rule of one's own without an ``lr`` gets None: there
        is nothing to tune.
    steps : int
        Steps of each run, as for :func:`~gradcore.descent.descend`.
    grid : sequence of float
        The rates to try, finite and > 0, at most :data:`MAX_GRID` of them; by default
        :data:`LEARNING_RATE_GRID`.
    **hyperparameters
        The rule's other settings, e.g. ``beta=0.8`` for momentum.

    Returns
    -------
    float or None

    Raises
    ------
    ValueError
        If ``optimizer_name`` is unknown, ``grid`` empty or not positive, ``start`` not one
        point inside the domain, or every rate's run diverged or left the domain.

    Examples
    --------
    >>> from gradcore.quadratic import bowl
    >>> # On x^2 + y^2 a step scales x by 1 - 2 eta: of the grid's rates, 0.398 is nearest to 1/2
    >>> tune_learning_rate(bowl(), (-2.0, 1.0), "sgd", steps=20)
    0.39810717055349776
    """
    if optimizer_name not in OPTIMIZERS:
        raise ValueError(f"optimizer_name must be one of {', '.join(sorted(OPTIMIZERS))}, got {optimizer_name!r}")
    factory = OPTIMIZERS[optimizer_name]
    if "lr" not in inspect.signature(factory).parameters:
        return None
    rates = check_finite(grid, "grid")
    if not (rates.ndim == 1 and 1 <= len(rates) <= MAX_GRID and np.all(rates > 0)):
        raise ValueError(f"grid must be a 1-D sequence of 1 to {MAX_GRID} learning rates > 0, got {grid!r}")
    point = check_start(start, batch=False)
    starts = np.repeat(point[None], len(rates), axis=0)
    optimizer = factory(lambda k: rates[:, None], **hyperparameters)  # start j runs with rates[j]
    path = descend(surface, starts, optimizer, steps=steps, tol=0, domain=surface.domain)
    final = path.values[path.n_steps, np.arange(len(rates))]
    final = np.where(np.isin(path.status, ("diverged", "left_domain")), np.inf, final)
    if not np.isfinite(final).any():
        raise ValueError(
            f"every learning rate from {rates.min():g} to {rates.max():g} made {optimizer_name} diverge or leave "
            f"the domain within {steps} steps from {point.tolist()}; try smaller rates"
        )
    return float(rates[np.argmin(final)])
