"""Surfaces and curves from a user's formula, parsed safely and differentiated with sympy.

The text is parsed with Python's :mod:`ast` and only a whitelist of nodes is turned,
node by node, into a sympy expression: numbers, the variables, ``pi`` and ``e``,
``+ - * / **`` (``^`` also means power) and a few named functions. Nothing in the
text is ever evaluated by Python; everything else is refused with a ValueError.
"""

from __future__ import annotations

import ast
import operator
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np
import sympy

from gradcore.curves import Curve
from gradcore.surface import Domain, Interval, Surface, check_domain, check_interval

__all__ = ["ExpressionCurve", "ExpressionSurface", "from_expression", "parse_formula"]

MAX_LENGTH = 1000
FUNCTIONS: dict[str, Callable[..., sympy.Expr]] = {
    "sin": sympy.sin, "cos": sympy.cos, "tan": sympy.tan,
    "asin": sympy.asin, "acos": sympy.acos, "atan": sympy.atan, "atan2": sympy.atan2,
    "sinh": sympy.sinh, "cosh": sympy.cosh, "tanh": sympy.tanh,
    "exp": sympy.exp, "log": sympy.log, "sqrt": sympy.sqrt, "abs": sympy.Abs,
}  # fmt: skip
CONSTANTS = {"pi": sympy.pi, "e": sympy.E}
SYMBOLS = {name: sympy.Symbol(name, real=True) for name in ("x", "y")}
_OPERATORS = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
    ast.Div: operator.truediv, ast.Pow: operator.pow,
}  # fmt: skip
_UNARY = {ast.UAdd: operator.pos, ast.USub: operator.neg}


def parse_formula(text: str, variables: str = "xy") -> sympy.Expr:
    """The sympy expression of ``text`` in the given one-letter ``variables``.

    Raises
    ------
    ValueError
        Naming the problem: invalid syntax, a disallowed construct (attribute
        access, lambda, subscripts, ...), a dunder or unknown name, an unknown
        function, or a formula that is not a finite real expression.
    """
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"formula must be a non-empty string, got {text!r}")
    if len(text) > MAX_LENGTH:
        raise ValueError(f"formula is longer than {MAX_LENGTH} characters")
    try:
        tree = ast.parse(text.strip().replace("^", "**"), mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError) as error:
        raise ValueError(f"formula {text!r} is not valid syntax: {getattr(error, 'msg', error)}") from None
    try:
        expression = _convert(tree.body, variables)
    except RecursionError:
        raise ValueError(f"formula {text!r} is nested too deeply") from None
    except ValueError as error:
        raise ValueError(f"formula {text!r}: {error}") from None
    if expression.has(sympy.I, sympy.zoo, sympy.oo, sympy.nan):
        raise ValueError(f"formula {text!r} is not a finite real expression (it simplifies to {expression})")
    return expression


def _convert(node: ast.AST, variables: str) -> sympy.Expr:
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return sympy.Integer(node.value) if isinstance(node.value, int) else sympy.Float(node.value)
    if isinstance(node, ast.Name):
        return _name(node.id, variables)
    if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
        left, right = _convert(node.left, variables), _convert(node.right, variables)
        if isinstance(node.op, ast.Pow) and left.is_Number and right.is_Number:
            return _number_power(left, right)
        return _OPERATORS[type(node.op)](left, right)
    if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
        return _UNARY[type(node.op)](_convert(node.operand, variables))
    if isinstance(node, ast.Call):
        return _call(node, variables)
    if isinstance(node, ast.Attribute):
        raise ValueError(f"attribute access ('.{node.attr}') is not allowed")
    if isinstance(node, ast.Lambda):
        raise ValueError("lambda is not allowed")
    if isinstance(node, ast.Constant):
        raise ValueError(f"only numbers are allowed as constants, got {node.value!r}")
    kind = type(getattr(node, "op", node)).__name__
    raise ValueError(f"{kind} is not allowed; use numbers, {', '.join(variables)}, + - * / ** and functions")


def _number_power(base: sympy.Expr, exponent: sympy.Expr) -> sympy.Expr:
    # In floating point, so that a tower like 9**9**9 cannot build a giant integer.
    try:
        power = float(base) ** float(exponent)
    except (OverflowError, ZeroDivisionError):
        raise ValueError(f"the number ({base})**({exponent}) is too large or undefined") from None
    if isinstance(power, complex):
        raise ValueError(f"the number ({base})**({exponent}) is not real")
    return sympy.Integer(int(power)) if power.is_integer() and abs(power) < 2**53 else sympy.Float(power)


def _refuse_dunder(name: str) -> None:
    if name.startswith("__"):
        raise ValueError(f"dunder name {name!r} is not allowed")


def _name(name: str, variables: str) -> sympy.Expr:
    _refuse_dunder(name)
    if name in variables:
        return SYMBOLS[name]
    if name in CONSTANTS:
        return CONSTANTS[name]
    if name in FUNCTIONS:
        raise ValueError(f"function {name!r} must be called, as in {name}(x)")
    raise ValueError(f"unknown name {name!r}; allowed: variables {', '.join(variables)}, constants pi, e")


def _call(node: ast.Call, variables: str) -> sympy.Expr:
    if not isinstance(node.func, ast.Name):
        return _convert(node.func, variables)  # refuses attribute access, lambdas, ...
    name = node.func.id
    _refuse_dunder(name)
    if name not in FUNCTIONS:
        raise ValueError(f"unknown function {name!r}; known functions: {', '.join(FUNCTIONS)}")
    if node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
        raise ValueError(f"{name}() takes plain positional arguments only")
    try:
        return FUNCTIONS[name](*(_convert(a, variables) for a in node.args))
    except TypeError:
        raise ValueError(f"wrong number of arguments ({len(node.args)}) for {name}()") from None


def _compile(expression: sympy.Expr, variables: str) -> Callable[..., Any]:
    # DiracDelta (from differentiating abs twice) is zero away from its kink.
    modules = [{"DiracDelta": lambda t: 0 * t}, "numpy"]
    return sympy.lambdify([SYMBOLS[v] for v in variables], expression, modules=modules)


@dataclass(frozen=True)
class ExpressionSurface(Surface):
    r"""The surface :math:`f(x, y)` given by the formula ``text`` (see :func:`from_expression`).

    Gradient and Hessian are the symbolic derivatives, compiled to numpy.
    """

    text: str
    domain: Domain = ((-3.0, 3.0), (-3.0, 3.0))
    name: str = ""
    expression: sympy.Expr = field(init=False, repr=False, compare=False)
    _functions: tuple[Callable[..., Any], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        f = parse_formula(self.text, "xy")
        x, y = SYMBOLS["x"], SYMBOLS["y"]
        derivatives = (f, f.diff(x), f.diff(y), f.diff(x, x), f.diff(x, y), f.diff(y, y))
        object.__setattr__(self, "expression", f)
        object.__setattr__(self, "_functions", tuple(_compile(d, "xy") for d in derivatives))
        object.__setattr__(self, "domain", check_domain(self.domain))
        object.__setattr__(self, "name", self.name or self.text)

    @property
    def latex(self) -> str:
        return sympy.latex(self.expression)

    def _value(self, x: np.ndarray, y: np.ndarray) -> Any:
        return self._functions[0](x, y)

    def _gradient(self, x: np.ndarray, y: np.ndarray) -> tuple[Any, Any]:
        return self._functions[1](x, y), self._functions[2](x, y)

    def _hessian(self, x: np.ndarray, y: np.ndarray) -> tuple[Any, Any, Any]:
        return self._functions[3](x, y), self._functions[4](x, y), self._functions[5](x, y)


@dataclass(frozen=True)
class ExpressionCurve(Curve):
    r"""The curve :math:`f(x)` given by the formula ``text`` (see :func:`from_expression`)."""

    text: str
    domain: Interval = (-3.0, 3.0)
    name: str = ""
    expression: sympy.Expr = field(init=False, repr=False, compare=False)
    _functions: tuple[Callable[..., Any], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        f = parse_formula(self.text, "x")
        x = SYMBOLS["x"]
        object.__setattr__(self, "expression", f)
        object.__setattr__(self, "_functions", tuple(_compile(d, "x") for d in (f, f.diff(x), f.diff(x, x))))
        object.__setattr__(self, "domain", check_interval(self.domain))
        object.__setattr__(self, "name", self.name or self.text)

    @property
    def latex(self) -> str:
        return sympy.latex(self.expression)

    def _value(self, x: np.ndarray) -> Any:
        return self._functions[0](x)

    def _derivative(self, x: np.ndarray) -> Any:
        return self._functions[1](x)

    def _second_derivative(self, x: np.ndarray) -> Any:
        return self._functions[2](x)


def from_expression(
    text: str, *, dim: int = 2, domain: Any = None, name: str | None = None
) -> ExpressionSurface | ExpressionCurve:
    """A surface in ``x, y`` (``dim=2``) or a curve in ``x`` (``dim=1``) from a formula.

    Allowed: numbers, the variables, ``pi``, ``e``, ``+ - * / **`` (or ``^``) and
    the functions in :data:`FUNCTIONS`. ``domain`` defaults to :math:`[-3, 3]^{dim}`,
    ``name`` to the text.

    Examples
    --------
    >>> s = from_expression("sin((0.75*x)**2 + y**2 + 0.01)")
    >>> s.gradient((0.0, 0.0))
    array([0., 0.])
    """
    if dim not in (1, 2):
        raise ValueError(f"dim must be 1 (a curve in x) or 2 (a surface in x, y), got {dim!r}")
    cls = ExpressionSurface if dim == 2 else ExpressionCurve
    options = {"domain": domain} if domain is not None else {}
    return cls(text, name=name or "", **options)
