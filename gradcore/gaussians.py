"""Signed, weighted mixtures of bivariate Gaussian densities, and seed 003's difference."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any, Iterator

import numpy as np

from gradcore.surface import (
    CriticalPoint,
    Domain,
    Surface,
    check_domain,
    check_finite,
    find_critical_points,
    latex_terms,
)

__all__ = ["GaussianMixture", "gaussian_difference"]


@dataclass(frozen=True)
class GaussianMixture(Surface):
    r"""A signed, weighted sum of bivariate normal densities.

    .. math::

        f(x) = \sum_i w_i \, \mathcal{N}(x; \mu_i, \Sigma_i), \qquad
        \nabla f = -\sum_i w_i \mathcal{N}_i \, P_i d_i, \qquad
        \nabla^2 f = \sum_i w_i \mathcal{N}_i \,(P_i d_i d_i^T P_i - P_i),

    with :math:`d_i = x - \mu_i` and :math:`P_i = \Sigma_i^{-1}`. Weights may be
    negative (wells); covariances must be symmetric positive definite. Critical
    points are found numerically on first access (see :func:`find_critical_points`).
    """

    weights: Any
    means: Any
    covariances: Any
    domain: Domain = ((-3.0, 3.0), (-3.0, 3.0))
    name: str = "gaussian_mixture"

    def __post_init__(self) -> None:
        weights = check_finite(self.weights, "weights")
        means = check_finite(self.means, "means")
        covariances = check_finite(self.covariances, "covariances")
        n = len(weights) if weights.ndim == 1 else 0
        if n == 0:
            raise ValueError(f"weights must be a non-empty sequence of numbers, got {self.weights!r}")
        if means.shape != (n, 2):
            raise ValueError(f"means must hold {n} points (x, y) to match weights, got shape {means.shape}")
        if covariances.shape != (n, 2, 2):
            raise ValueError(f"covariances must hold {n} 2x2 matrices to match weights, got shape {covariances.shape}")
        for i, S in enumerate(covariances):
            if not (S[0, 1] == S[1, 0] and S[0, 0] > 0 and S[1, 1] - S[0, 1] * (S[0, 1] / S[0, 0]) > 0):
                raise ValueError(f"covariances[{i}] must be symmetric positive definite, got {S.tolist()}")
        object.__setattr__(self, "weights", tuple(weights.tolist()))
        object.__setattr__(self, "means", tuple(map(tuple, means.tolist())))
        object.__setattr__(self, "covariances", tuple(tuple(map(tuple, S)) for S in covariances.tolist()))
        object.__setattr__(self, "domain", check_domain(self.domain))

    @property
    def latex(self) -> str:
        density = "\\mathcal{{N}}(\\mathbf{{x}}; \\mu_{{{0}}}, \\Sigma_{{{0}}})"
        return latex_terms([(w, density.format(i)) for i, w in enumerate(self.weights, start=1)])

    @cached_property
    def critical_points(self) -> tuple[CriticalPoint, ...]:
        return find_critical_points(self)

    def _terms(self, x: np.ndarray, y: np.ndarray) -> Iterator[tuple[Any, ...]]:
        # Per component: w N, P d and the precision P = inv(S), by components. The
        # determinant and P come from the Cholesky-like split S = [[a, h], [h, d]]:
        # det S = a s with the Schur complement s = d - h^2 / a, so neither overflows nor
        # underflows for covariances of any scale (1e160 I has density 1.6e-161 at its mean).
        for w, (mx, my), ((sxx, sxy), (_, syy)) in zip(self.weights, self.means, self.covariances):
            r = sxy / sxx
            schur = syy - sxy * r
            pxx, pxy, pyy = 1 / sxx + r * r / schur, -r / schur, 1 / schur
            log_norm = np.log(2 * np.pi) + 0.5 * (np.log(sxx) + np.log(schur))
            dx, dy = x - mx, y - my
            px, py = pxx * dx + pxy * dy, pxy * dx + pyy * dy
            density = np.exp(-0.5 * (dx * px + dy * py) - log_norm)
            yield w * density, px, py, pxx, pxy, pyy

    def _value(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        return sum(wn for wn, *_ in self._terms(x, y))

    def _gradient(self, x: np.ndarray, y: np.ndarray) -> tuple[Any, Any]:
        terms = list(self._terms(x, y))
        return -sum(wn * px for wn, px, *_ in terms), -sum(wn * py for wn, _, py, *_ in terms)

    def _hessian(self, x: np.ndarray, y: np.ndarray) -> tuple[Any, Any, Any]:
        terms = list(self._terms(x, y))
        return (
            sum(wn * (px * px - pxx) for wn, px, _, pxx, _, _ in terms),
            sum(wn * (px * py - pxy) for wn, px, py, _, pxy, _ in terms),
            sum(wn * (py * py - pyy) for wn, _, py, _, _, pyy in terms),
        )


def gaussian_difference(**params: Any) -> GaussianMixture:
    r"""Seed 003: :math:`10\,(\mathcal{N}(\mu_2, \Sigma_2) - \mathcal{N}(\mu_1, \Sigma_1))`.

    :math:`\mu_1 = (0, 0)`, :math:`\Sigma_1 = \begin{pmatrix}1 & .5\\ .5 & 1\end{pmatrix}`,
    :math:`\mu_2 = (1, 1)`, :math:`\Sigma_2 = \begin{pmatrix}1.5 & 0\\ 0 & .5\end{pmatrix}`,
    on :math:`[-3, 3] \times [-2, 3]`: a well near :math:`\mu_1`, a hill near :math:`\mu_2`.
    ``params`` override the fields.
    """
    base = GaussianMixture(
        weights=(-10.0, 10.0),
        means=((0.0, 0.0), (1.0, 1.0)),
        covariances=(((1.0, 0.5), (0.5, 1.0)), ((1.5, 0.0), (0.0, 0.5))),
        domain=((-3.0, 3.0), (-2.0, 3.0)),
        name="gaussian_difference",
    )
    return replace(base, **params)
