"""gradcore: the numerical layer of gradscenes (numpy and scipy only, never manim)."""

from __future__ import annotations

from gradcore.constrained import LagrangePoint, lagrange_point, project, projected_descent, projected_gradient
from gradcore.curvature import default_learning_rates, largest_curvature, typical_curvature
from gradcore.curves import Curve, PolynomialCurve, cubic
from gradcore.descent import Trajectory, conjugate_gradient, descend, distance_to_edge, steepest_descent_exact
from gradcore.fields import clip_length, grid, normalized
from gradcore.flow import Flow, gradient_flow, level_crossings
from gradcore.gaussians import GaussianMixture, gaussian_difference
from gradcore.leastsquares import LeastSquares, least_squares, line_data
from gradcore.levels import (
    LevelSet,
    PartialDerivative,
    default_levels,
    finite_range,
    level_sets,
    level_tangent,
    map_levels,
    spaced_levels,
    zero_set,
)
from gradcore.linesearch import Armijo, armijo, backtrack
from gradcore.newton_method import NewtonStep, NewtonTrajectory, modified_hessian, newton
from gradcore.optimizers import (
    CURVATURE_RULES,
    OPTIMIZERS,
    Optimizer,
    adadelta,
    adagrad,
    adam,
    fit_learning_rates,
    momentum,
    nesterov,
    rmsprop,
    sgd,
)
from gradcore.outcome import RAN_OUT, STATUS_WORDS, Outcome, describe, status_words
from gradcore.quadratic import Quadratic, bowl, elongated_quadratic, saddle
from gradcore.registry import CURVES, SURFACES, get_surface
from gradcore.rolling import Motion, roll
from gradcore.schedules import Schedule, constant, cosine, exponential, inverse_time, step_decay
from gradcore.surface import CriticalPoint, Surface, as_points
from gradcore.local_models import directional_derivative, taylor
from gradcore.tuning import LEARNING_RATE_GRID, tune_learning_rate
from gradcore.testfunctions import Beale, Himmelblau, RadialSine, Rosenbrock, SixHumpCamel, booth

_PARSED = ("ExpressionCurve", "ExpressionSurface", "from_expression", "to_quadratic")
"""Names from :mod:`gradcore.expression`, imported on first use: it loads sympy (about half a
second), which a surface or curve given by name never needs."""


def __getattr__(name: str) -> object:
    if name in _PARSED:
        from gradcore import expression

        return getattr(expression, name)
    raise AttributeError(f"module 'gradcore' has no attribute {name!r}")


__all__ = [
    "CURVES",
    "SURFACES",
    "Beale",
    "CriticalPoint",
    "Curve",
    "ExpressionCurve",
    "ExpressionSurface",
    "GaussianMixture",
    "Himmelblau",
    "LevelSet",
    "PartialDerivative",
    "PolynomialCurve",
    "Quadratic",
    "RadialSine",
    "Rosenbrock",
    "SixHumpCamel",
    "Surface",
    "as_points",
    "booth",
    "bowl",
    "clip_length",
    "cubic",
    "default_learning_rates",
    "default_levels",
    "elongated_quadratic",
    "from_expression",
    "gaussian_difference",
    "get_surface",
    "grid",
    "largest_curvature",
    "level_sets",
    "level_tangent",
    "normalized",
    "saddle",
    "spaced_levels",
    "finite_range",
    "map_levels",
    "to_quadratic",
    "typical_curvature",
    "zero_set",
    # descent, flows and rolling
    "CURVATURE_RULES",
    "OPTIMIZERS",
    "RAN_OUT",
    "STATUS_WORDS",
    "Flow",
    "Motion",
    "Optimizer",
    "Outcome",
    "Trajectory",
    "adadelta",
    "adagrad",
    "adam",
    "conjugate_gradient",
    "descend",
    "describe",
    "distance_to_edge",
    "fit_learning_rates",
    "gradient_flow",
    "level_crossings",
    "momentum",
    "nesterov",
    "rmsprop",
    "roll",
    "sgd",
    "status_words",
    "steepest_descent_exact",
    # second order, line search, data, schedules
    "Armijo",
    "LEARNING_RATE_GRID",
    "LeastSquares",
    "NewtonStep",
    "NewtonTrajectory",
    "Schedule",
    "armijo",
    "backtrack",
    "constant",
    "cosine",
    "exponential",
    "inverse_time",
    "least_squares",
    "line_data",
    "modified_hessian",
    "newton",
    "step_decay",
    "tune_learning_rate",
    # local models and constraints
    "LagrangePoint",
    "directional_derivative",
    "lagrange_point",
    "project",
    "projected_descent",
    "projected_gradient",
    "taylor",
]
