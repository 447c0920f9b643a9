r"""A loss made of data: fitting the line :math:`y = w x + b` by least squares.

:func:`least_squares` turns samples :math:`(x_i, y_i)` into a surface over the parameters
:math:`(w, b)`, the mean squared residual

.. math:: f(w, b) = \frac{1}{2n} \sum_{i=1}^{n} (w x_i + b - y_i)^2,

with exact derivatives and the gradient of a minibatch, the same mean over some of the samples
only (what stochastic gradient descent follows: ``descend(..., batch_size=...)``).
:func:`line_data` makes reproducible noisy samples of a line.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from gradcore.surface import (
    CriticalPoint,
    Domain,
    Surface,
    as_points,
    check_domain,
    check_finite,
    check_interval,
    check_nonnegative,
)

__all__ = ["MAX_SAMPLES", "LeastSquares", "least_squares", "line_data"]

MAX_SAMPLES = 100_000
"""Most samples of a :class:`LeastSquares` loss (a minibatch gradient on a grid of parameters
costs the grid's size times the batch's)."""

DOMAIN_MARGIN = 1.25
"""How far the default domain reaches, in units of the level set through the origin (see
:class:`LeastSquares`)."""


@dataclass(frozen=True, eq=False)
class LeastSquares(Surface):
    r"""The least-squares loss of the line :math:`y = w x + b` on samples ``x``, ``y``.

    The plane's coordinates are the parameters :math:`(w, b)`.  With :math:`r_i = w x_i + b - y_i`,

    .. math::

        f = \frac{1}{2n} \sum_i r_i^2, \qquad
        \nabla f = \frac1n \sum_i r_i \,(x_i, 1), \qquad
        \nabla^2 f = \begin{pmatrix} \overline{x^2} & \bar x \\ \bar x & 1 \end{pmatrix}
        = A,

    a quadratic, computed exactly as :math:`f = f^* + \tfrac12 \delta^T A \delta`,
    :math:`\nabla f = A \delta` with :math:`\delta = (w, b) - (w^*, b^*)`: :math:`f^*` from the
    residuals at the minimizer (no cancellation near the minimum) and the cost independent of
    :math:`n`.  The minimizer is the fitted line, :math:`w^* = \operatorname{cov}(x, y) /
    \operatorname{var}(x)`, :math:`b^* = \bar y - w^* \bar x`.

    The default ``domain`` is centred on the minimizer and reaches :data:`DOMAIN_MARGIN` times
    past the ellipse :math:`f - f^* = f(0, 0)`, so the level set through the origin (the line
    :math:`y = 0`) and every smaller one are on the map.

    Attributes
    ----------
    x, y : tuple of float
        The samples, at least two, with at least two distinct ``x``.
    domain : ((wmin, wmax), (bmin, bmax)), optional
    name : str
    """

    x: Any
    y: Any
    domain: Domain | None = None
    name: str = "least_squares"
    _fit: tuple[float, ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        x, y = check_finite(self.x, "x"), check_finite(self.y, "y")
        if x.ndim != 1 or x.shape != y.shape:
            raise ValueError(f"x and y must be 1-D arrays of the same length, got shapes {x.shape} and {y.shape}")
        if not 2 <= len(x) <= MAX_SAMPLES:
            raise ValueError(f"x and y must hold from 2 to {MAX_SAMPLES:,} samples, got {len(x):,}")
        x_mean, y_mean = x.mean(), y.mean()
        var_x = np.mean((x - x_mean) ** 2)
        if not var_x > 0:
            raise ValueError(f"x must hold at least two distinct values (a vertical line has no slope), got {x[:5]}")
        w = np.mean((x - x_mean) * (y - y_mean)) / var_x
        b = y_mean - w * x_mean
        f_min = np.mean((w * x + b - y) ** 2) / 2
        object.__setattr__(self, "x", tuple(x.tolist()))
        object.__setattr__(self, "y", tuple(y.tolist()))
        object.__setattr__(self, "_fit", (float(w), float(b), float(f_min), float(np.mean(x * x)), float(x_mean)))
        if self.domain is None:
            object.__setattr__(self, "domain", self._default_domain(float(np.mean(y * y)) / 2))
        object.__setattr__(self, "domain", check_domain(self.domain))

    def _default_domain(self, origin_value: float) -> Domain:
        r"""The box around the ellipse :math:`\tfrac12 \delta^T A \delta = f(0, 0)`, times the margin.

        Its half-widths are :math:`\sqrt{2 L (A^{-1})_{ii}}`; :math:`L` = 1/2 when every
        :math:`y` is 0."""
        level = origin_value if origin_value > 0 else 0.5
        inverse = np.linalg.inv(self.matrix)
        half = DOMAIN_MARGIN * np.sqrt(2 * level * np.diag(inverse))
        (w, b) = self.minimizer
        return (w - half[0], w + half[0]), (b - half[1], b + half[1])

    @property
    def n_samples(self) -> int:
        """The number of samples :math:`n`."""
        return len(self.x)

    @property
    def matrix(self) -> np.ndarray:
        r"""The Hessian :math:`A = \begin{pmatrix} \overline{x^2} & \bar x \\ \bar x & 1 \end{pmatrix}`."""
        _, _, _, xx, x_mean = self._fit
        return np.array([[xx, x_mean], [x_mean, 1.0]])

    @property
    def minimizer(self) -> np.ndarray:
        r"""The fitted line's :math:`(w^*, b^*)`."""
        return np.array(self._fit[:2])

    @property
    def minimum(self) -> float:
        r""":math:`f^* = f(w^*, b^*)`, half the mean squared residual of the fitted line."""
        return self._fit[2]

    @property
    def critical_points(self) -> tuple[CriticalPoint, ...]:
        w, b, f_min, _, _ = self._fit
        return (CriticalPoint((w, b), "minimum", f_min),)

    @property
    def latex(self) -> str:
        n = self.n_samples
        return f"\\frac{{1}}{{{2 * n}}} \\sum_{{i=1}}^{{{n}}} \\left(w x_i + b - y_i\\right)^{{2}}"

    def _value(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        w0, b0, f_min, xx, x_mean = self._fit
        dw, db = x - w0, y - b0
        return f_min + 0.5 * (xx * dw * dw + 2 * x_mean * dw * db + db * db)

    def _gradient(self, x: np.ndarray, y: np.ndarray) -> tuple[Any, Any]:
        w0, b0, _, xx, x_mean = self._fit
        dw, db = x - w0, y - b0
        return xx * dw + x_mean * db, x_mean * dw + db

    def _hessian(self, x: np.ndarray, y: np.ndarray) -> tuple[Any, Any, Any]:
        _, _, _, xx, x_mean = self._fit
        return xx, x_mean, 1.0

    def minibatch_gradient(self, params: Any, indices: Any) -> np.ndarray:
        r"""The gradient of the loss over the samples ``indices`` only,

        .. math:: g_I = \frac{1}{|I|} \sum_{i \in I} (w x_i + b - y_i)\,(x_i, 1),

        so that the mean of :math:`g_I` over the parts of an equal partition of the samples is
        :math:`\nabla f`.  A repeated index counts as often as it is given.

        Parameters
        ----------
        params : array_like, shape (..., 2)
            Points :math:`(w, b)`.
        indices : array_like of int, shape (m,)
            Sample indices from 0 to ``n_samples - 1``, at least one.

        Returns
        -------
        ndarray, shape (..., 2)

        Raises
        ------
        ValueError
            If ``indices`` is not a non-empty 1-D array of valid sample indices.
        """
        points = as_points(params)
        index = np.asarray(indices)
        if not (index.ndim == 1 and index.size and np.issubdtype(index.dtype, np.integer)):
            raise ValueError(f"indices must be a non-empty 1-D array of sample indices, got {indices!r}")
        if index.min() < 0 or index.max() >= self.n_samples:
            raise ValueError(f"indices must lie from 0 to {self.n_samples - 1}, got {index.min()} to {index.max()}")
        xs, ys = np.asarray(self.x)[index], np.asarray(self.y)[index]
        with np.errstate(all="ignore"):
            residuals = points[..., :1] * xs + points[..., 1:] - ys  # r_i = w x_i + b - y_i, shape (..., m)
            return np.stack([np.mean(residuals * xs, axis=-1), np.mean(residuals, axis=-1)], axis=-1)


def least_squares(x: Any, y: Any, domain: Any = None) -> LeastSquares:
    r"""The loss :math:`f(w, b) = \frac{1}{2n} \sum_i (w x_i + b - y_i)^2` of fitting the line
    :math:`y = w x + b` to the samples ``x``, ``y``; see :class:`LeastSquares`.

    Raises
    ------
    ValueError
        If ``x`` and ``y`` are not finite 1-D arrays of one length from 2 to
        :data:`MAX_SAMPLES`, or ``x`` holds a single value.

    Examples
    --------
    >>> loss = least_squares([0.0, 1.0, 2.0], [1.0, 3.0, 5.0])  # exactly y = 2 x + 1
    >>> loss.minimizer, loss.minimum
    (array([2., 1.]), 0.0)
    >>> loss.gradient((0.0, 0.0))  # -(mean x y, mean y)
    array([-4.33333333, -3.        ])
    """
    return LeastSquares(x, y, domain)


def line_data(
    n: int = 40,
    w: float = 1.5,
    b: float = 0.5,
    noise: float = 0.5,
    seed: int = 0,
    x_range: Any = (-2.0, 2.0),
) -> tuple[np.ndarray, np.ndarray]:
    r"""``n`` noisy samples of the line :math:`y = w x + b`, the same for the same ``seed``.

    :math:`x_i` uniform on ``x_range``, sorted; :math:`y_i = w x_i + b + \sigma \varepsilon_i`
    with :math:`\varepsilon_i` standard normal and :math:`\sigma` = ``noise``, both drawn by
    ``numpy.random.default_rng(seed)``.

    Raises
    ------
    ValueError
        If ``n`` is not an integer from 2 to :data:`MAX_SAMPLES`, ``noise`` is negative, ``w``
        or ``b`` not finite, ``seed`` not an integer >= 0, or ``x_range`` not an interval.

    Examples
    --------
    >>> x, y = line_data(5, w=2.0, b=1.0, noise=0.0)
    >>> np.allclose(y, 2 * x + 1)
    True
    """
    try:
        count = operator.index(n)
    except TypeError:
        count = 0
    if not 2 <= count <= MAX_SAMPLES:
        raise ValueError(f"n must be an integer from 2 to {MAX_SAMPLES:,}, got {n!r}")
    slope, intercept = check_finite(w, "w"), check_finite(b, "b")
    if slope.shape != () or intercept.shape != ():
        raise ValueError(f"w and b must be numbers, got {w!r} and {b!r}")
    sigma = check_nonnegative(noise, "noise")
    if not (isinstance(seed, (int, np.integer)) and not isinstance(seed, bool) and seed >= 0):
        raise ValueError(f"seed must be an integer >= 0, got {seed!r}")
    low, high = check_interval(x_range, "x_range")
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(low, high, count))
    return x, slope * x + intercept + sigma * rng.standard_normal(count)
