"""Surfaces and curves from a user's formula, parsed safely and differentiated with sympy.

The text is parsed with Python's :mod:`ast` and only a whitelist of nodes is turned,
node by node, into a sympy expression: numbers, the variables, ``pi`` and ``e``,
``+ - * / **`` (``^`` also means power) and a few named functions. Nothing in the
text is ever evaluated by Python; everything else is refused with a ValueError.

A formula is one expression: comments (``#``), line breaks and backslashes are refused
before parsing. Its size is measured on the syntax tree before any symbolic work, so any
text answers within about a second; what is too complex is refused with a ValueError
naming the limit:

- :data:`MAX_LENGTH` characters;
- :data:`MAX_DEPTH` levels of nesting (a chain ``a + b - c`` or ``a * b / c`` is one level);
- a constant exponent of at most :data:`MAX_EXPONENT` in magnitude, multiplied along
  nested powers ``(a**m)**n`` (exact powers of big exponents grow without bound);
- at most :data:`MAX_TOWER` nested powers with a variable in the exponent (``x**y**x``);
- an estimated :data:`MAX_DERIVATIVE_SIZE` nodes per second derivative (the chain and
  product rules make derivatives of nested or long products grow fast);
- every constant part a finite real number (``e**1000``, ``asin(2)`` are refused);
- a surface finite somewhere on its domain (``log(x - 10)`` on :math:`[-3, 3]^2` is refused;
  ``log(x)`` is kept, and drawn where it is finite).

Derivatives are computed and compiled on first use: the gradient on the first call of
``gradient``, the Hessian on the first call of ``hessian``.
"""

from __future__ import annotations

import ast
import math
import sys
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Callable, NamedTuple

import numpy as np
import sympy

from gradcore.curves import Curve
from gradcore.fields import grid
from gradcore.quadratic import Quadratic
from gradcore.surface import Domain, Interval, Surface, check_domain, check_interval

__all__ = [
    "CONSTANTS",
    "FUNCTIONS",
    "MAX_DEPTH",
    "MAX_DERIVATIVE_SIZE",
    "MAX_EXPONENT",
    "MAX_LENGTH",
    "MAX_TOWER",
    "ExpressionCurve",
    "ExpressionSurface",
    "from_expression",
    "parse_formula",
    "to_quadratic",
]

MAX_LENGTH = 1000
"""Most characters in a formula."""
MAX_DEPTH = 20
"""Deepest nesting of functions, powers and operations; a chain ``a + b - c`` or ``a * b / c`` is one level."""
MAX_EXPONENT = 1000.0
"""Largest magnitude of a constant exponent, multiplied along nested powers ``(a**m)**n``."""
MAX_TOWER = 3
"""Most powers with a variable in the exponent nested in one another (``x**y**x`` has 2)."""
MAX_DERIVATIVE_SIZE = 8000
"""Largest estimated size (nodes of the expression tree) of one second partial derivative."""
CHECK_POINTS = 65
"""Grid points per axis on which a new formula must be finite somewhere."""


def _formula_function(name: str, arity: int, derivatives: Callable[..., tuple[Any, ...]], doc: str) -> Any:
    """A sympy function class named ``name`` that never simplifies itself, with the given derivatives.

    sympy's own ``sin``, ``log``, ... simplify on creation by asking whether their argument is
    real, positive, ...; on nested functions these questions multiply (``sin(`` nested 20 deep
    took minutes). These classes answer nothing and only differentiate; being named like
    sympy's, they print the same to numpy and LaTeX.
    """

    def fdiff(self: sympy.Function, argindex: int = 1) -> sympy.Expr:
        return derivatives(*self.args)[argindex - 1]

    return type(name, (sympy.Function,), {"nargs": arity, "fdiff": fdiff, "__doc__": doc, "__module__": __name__})


def _exp_latex(self: sympy.Function, printer: Any, exp: str | None = None) -> str:
    return printer._do_exponent(f"e^{{{printer._print(self.args[0])}}}", exp)


def _sqrt(a: sympy.Expr) -> sympy.Expr:
    return sympy.Pow(a, sympy.Rational(1, 2))


sin = _formula_function("sin", 1, lambda a: (cos(a),), "Sine.")
cos = _formula_function("cos", 1, lambda a: (-sin(a),), "Cosine.")
tan = _formula_function("tan", 1, lambda a: (1 + tan(a) ** 2,), "Tangent.")
asin = _formula_function("asin", 1, lambda a: (1 / _sqrt(1 - a**2),), "Arcsine.")
acos = _formula_function("acos", 1, lambda a: (-1 / _sqrt(1 - a**2),), "Arccosine.")
atan = _formula_function("atan", 1, lambda a: (1 / (1 + a**2),), "Arctangent.")
atan2 = _formula_function("atan2", 2, lambda a, b: (b / (a**2 + b**2), -a / (a**2 + b**2)), "atan2(y, x).")
sinh = _formula_function("sinh", 1, lambda a: (cosh(a),), "Hyperbolic sine.")
cosh = _formula_function("cosh", 1, lambda a: (sinh(a),), "Hyperbolic cosine.")
tanh = _formula_function("tanh", 1, lambda a: (1 - tanh(a) ** 2,), "Hyperbolic tangent.")
exp = _formula_function("exp", 1, lambda a: (exp(a),), "Exponential.")
exp._latex = _exp_latex
log = _formula_function("log", 1, lambda a: (1 / a,), "Natural logarithm.")
sign = _formula_function("sign", 1, lambda a: (sympy.S.Zero,), "Sign; its derivative is 0 away from 0.")
Abs = _formula_function("Abs", 1, lambda a: (sign(a),), "Absolute value.")

FUNCTIONS: dict[str, Callable[..., sympy.Expr]] = {
    "sin": sin, "cos": cos, "tan": tan, "asin": asin, "acos": acos, "atan": atan, "atan2": atan2,
    "sinh": sinh, "cosh": cosh, "tanh": tanh, "exp": exp, "log": log, "sqrt": _sqrt, "abs": Abs,
}  # fmt: skip
CONSTANTS = {"pi": sympy.pi, "e": sympy.E}
SYMBOLS = {name: sympy.Symbol(name, real=True) for name in ("x", "y")}

# The float value of each function, for constant parts (never raising: NaN or inf instead).
_FLOAT_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "sin": np.sin, "cos": np.cos, "tan": np.tan,
    "asin": np.arcsin, "acos": np.arccos, "atan": np.arctan, "atan2": np.arctan2,
    "sinh": np.sinh, "cosh": np.cosh, "tanh": np.tanh,
    "exp": np.exp, "log": np.log, "sqrt": np.sqrt, "abs": np.abs,
}  # fmt: skip
_FLOAT_CONSTANTS = {"pi": math.pi, "e": math.e}

# Size of f'(a) and f''(a) as (nodes, copies of a): e.g. tan' = tan(a)**2 + 1 is 4 nodes
# and one copy of a; asin'' = a / (1 - a**2)**(3/2) holds two copies of a.
_DERIVATIVE_SHAPES: dict[str, tuple[tuple[int, int], tuple[int, int]]] = {
    "sin": ((1, 1), (3, 1)), "cos": ((3, 1), (3, 1)), "sinh": ((1, 1), (1, 1)), "cosh": ((1, 1), (1, 1)),
    "exp": ((1, 1), (1, 1)), "tan": ((4, 1), (8, 2)), "tanh": ((5, 1), (10, 2)),
    "log": ((2, 1), (4, 1)), "sqrt": ((5, 1), (7, 1)), "abs": ((1, 1), (3, 1)),
    "asin": ((8, 1), (12, 2)), "acos": ((10, 1), (14, 2)), "atan": ((6, 1), (12, 2)),
}  # fmt: skip
_CAP = 10**12  # sizes beyond this are all "too large"

# Allowed characters are checked before parsing only where they would change what the parser
# sees (a comment, a line continuation); any other stray character is refused by the grammar.
_ALLOWED_SPACE = " \t"


class _Size(NamedTuple):
    """Nodes of an expression tree and estimated nodes of its first and second partial derivatives."""

    nodes: int
    first: int  # 0 when the expression is constant
    second: int  # 0 when its first derivative is constant


class _Term(NamedTuple):
    """A converted node: its sympy expression and what the limits measure."""

    expr: sympy.Expr
    size: _Size
    value: float | None  # the float value of a constant part, None when it holds a variable
    exponent: float  # largest product of constant exponents along nested powers
    tower: int  # most nested powers with a variable exponent


_CONSTANT = _Size(1, 0, 0)
_VARIABLE = _Size(1, 1, 0)


def _capped(nodes: int, first: int, second: int) -> _Size:
    return _Size(min(nodes, _CAP), min(first, _CAP), min(second, _CAP))


def _size_sum(sizes: list[_Size]) -> _Size:
    """``a + b + ...``: the derivatives are the sums of the derivatives."""
    first = [s.first for s in sizes if s.first]
    second = [s.second for s in sizes if s.second]
    return _capped(
        1 + sum(s.nodes for s in sizes), (1 + sum(first)) if first else 0, (1 + sum(second)) if second else 0
    )


def _negated(a: _Size) -> _Size:
    """``-a``, that is ``(-1) * a``."""
    return _Size(a.nodes + 2, a.first + 2 * bool(a.first), a.second + 2 * bool(a.second))


def _size_product(a: _Size, b: _Size) -> _Size:
    """``a * b``: (ab)' = a'b + ab', (ab)'' = a''b + 2a'b' + ab''."""
    first = [a.first + b.nodes + 1] if a.first else []
    first += [a.nodes + b.first + 1] if b.first else []
    second = [a.second + b.nodes + 1] if a.second else []
    second += [a.first + b.first + 3] if a.first and b.first else []
    second += [a.nodes + b.second + 1] if b.second else []
    return _capped(a.nodes + b.nodes + 1, sum(first) + len(first) - 1, sum(second) + len(second) - 1)


def _size_function(a: _Size, shape: tuple[tuple[int, int], tuple[int, int]]) -> _Size:
    """``f(a)``: f(a)' = f'(a) a', f(a)'' = f''(a) a'^2 + f'(a) a''."""
    (k1, m1), (k2, m2) = shape
    nodes = a.nodes + 1
    if not a.first:
        return _Size(nodes, 0, 0)
    outer1, outer2 = k1 + m1 * a.nodes, k2 + m2 * a.nodes
    second = outer2 + 2 * a.first + 4 + ((outer1 + a.second + 2) if a.second else 0)  # (a')^2 squares each factor
    return _capped(nodes, outer1 + a.first + 1, second)


def _size_power(a: _Size, exponent: _Size) -> _Size:
    """``a**c`` for a constant c: (a^c)' = c a^(c-1) a', (a^c)'' = c(c-1) a^(c-2) a'^2 + c a^(c-1) a''."""
    c = exponent.nodes
    nodes = a.nodes + c + 1
    if not a.first:
        return _Size(nodes, 0, 0)
    second = 2 * a.nodes + 5 * c + 3 * a.first + 10 + (a.second + 2 if a.second else 0)
    return _capped(nodes, a.nodes + 2 * c + a.first + 4, second)


def _size_variable_power(a: _Size, b: _Size) -> _Size:
    """``a**b`` with a variable in b: as exp(b log a), whose derivatives hold a**b itself."""
    inner = _size_product(b, _size_function(a, _DERIVATIVE_SHAPES["log"]))
    power = _size_function(inner, ((a.nodes + b.nodes, 1), (a.nodes + b.nodes, 1)))
    return _capped(a.nodes + b.nodes + 1, power.first, power.second)


def _size_atan2(a: _Size, b: _Size) -> _Size:
    """``atan2(a, b)``: derivative (b a' - a b') / (a^2 + b^2)."""
    nodes = a.nodes + b.nodes + 1
    if not (a.first or b.first):
        return _Size(nodes, 0, 0)
    first = 2 * nodes + a.first + b.first + 12
    second = 4 * nodes + 2 * (a.first + b.first) + a.second + b.second + 30
    return _capped(nodes, first, second)


def _as_float(value: Any) -> float:
    with np.errstate(all="ignore"):
        return float(value)


def parse_formula(text: str, variables: str = "xy") -> sympy.Expr:
    """The sympy expression of ``text`` in the given one-letter ``variables``.

    Raises
    ------
    ValueError
        Naming the problem: a character that is not allowed (``#``, a backslash, a line
        break, a non-ASCII character), invalid syntax, a disallowed construct (attribute
        access, lambda, subscripts, strings, ...), a dunder or unknown name, an unknown
        function, a constant that is not a finite real number, or a formula beyond one of
        the limits of the module docstring (:data:`MAX_LENGTH`, :data:`MAX_DEPTH`,
        :data:`MAX_EXPONENT`, :data:`MAX_TOWER`, :data:`MAX_DERIVATIVE_SIZE`).
    """
    return _parse(text, variables).expr


def _parse(text: str, variables: str) -> _Term:
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"formula must be a non-empty string, got {text!r}")
    if len(text) > MAX_LENGTH:
        raise ValueError(f"formula is longer than {MAX_LENGTH} characters ({len(text)}); shorten it")
    _check_characters(text)
    try:
        tree = ast.parse(text.strip().replace("^", "**"), mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError) as error:
        raise ValueError(f"formula {_shown(text)} is not valid syntax: {getattr(error, 'msg', error)}") from None
    depth = _depth(tree.body)
    if depth > MAX_DEPTH:
        raise ValueError(
            f"formula {_shown(text)} is nested too deeply: {depth} levels of functions, powers and operations "
            f"(limit {MAX_DEPTH}); write it with fewer nested parts"
        )
    try:
        term = _convert(tree.body, variables)
    except RecursionError:
        raise ValueError(f"formula {_shown(text)} is nested too deeply") from None
    except ValueError as error:
        raise ValueError(f"formula {_shown(text)}: {error}") from None
    if term.expr.has(sympy.I, sympy.zoo, sympy.oo, sympy.nan):
        raise ValueError(f"formula {_shown(text)} is not a finite real expression (it simplifies to {term.expr})")
    if term.size.second > MAX_DERIVATIVE_SIZE:
        raise ValueError(
            f"formula {_shown(text)} is too complex: its second derivatives would have about {term.size.second} "
            f"terms and factors (limit {MAX_DERIVATIVE_SIZE}); use fewer nested functions or shorter products"
        )
    return term


def _shown(text: str, width: int = 80) -> str:
    """``text`` quoted for a message, its middle cut out when it is long."""
    if len(text) <= width:
        return repr(text)
    return f"{text[: width // 2]!r}...{text[-width // 4 :]!r} ({len(text)} characters)"


def _check_characters(text: str) -> None:
    """Refuse what would change what the parser sees: comments, line breaks, continuations, non-ASCII."""
    for position, character in enumerate(text):
        if character in "#\\" or not (character.isascii() and (character.isprintable() or character in _ALLOWED_SPACE)):
            raise ValueError(
                f"formula {_shown(text)}: character {character!r} (position {position}) is not allowed; a formula "
                "is one line of numbers, variables, + - * / ** ^ ( ) and functions, without comments or backslashes"
            )


def _depth(root: ast.AST) -> int:
    """Nesting depth of the syntax tree, counting a chain of ``+ -`` or ``* /`` once (no recursion)."""
    deepest, stack = 0, [(root, 1)]
    while stack:
        node, level = stack.pop()
        deepest = max(deepest, level)
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.operator, ast.unaryop, ast.expr_context)):
                continue
            group = _group(child)
            chained = group is not None and group == _group(node) and child is getattr(node, "left", None)
            stack.append((child, level if chained else level + 1))
    return deepest


def _group(node: ast.AST) -> str | None:
    if isinstance(node, ast.BinOp):
        if isinstance(node.op, (ast.Add, ast.Sub)):
            return "sum"
        if isinstance(node.op, (ast.Mult, ast.Div)):
            return "product"
    return None


def _chain(node: ast.BinOp) -> list[tuple[ast.operator, ast.AST]]:
    """The operands of a left-leaning chain ``a + b - c`` with the operator before each (the first: its own)."""
    group, operands = _group(node), []
    while _group(node) == group:
        operands.append((node.op, node.right))  # type: ignore[attr-defined]
        node = node.left  # type: ignore[attr-defined]
    operands.append((ast.Add() if group == "sum" else ast.Mult(), node))
    return operands[::-1]


def _convert(node: ast.AST, variables: str) -> _Term:
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return _number(node.value)
    if isinstance(node, ast.Name):
        return _name(node.id, variables)
    if isinstance(node, ast.BinOp) and _group(node) is not None:
        return _combine(node, [(op, _convert(operand, variables)) for op, operand in _chain(node)])
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
        return _power(node, _convert(node.left, variables), _convert(node.right, variables))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.UAdd, ast.USub)):
        term = _convert(node.operand, variables)
        if isinstance(node.op, ast.UAdd):
            return term
        value = None if term.value is None else -term.value
        return term._replace(expr=-term.expr, size=_negated(term.size), value=value)
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


def _number(value: int | float) -> _Term:
    try:
        number = float(value)
    except OverflowError:
        digits = len(str(value))
        raise ValueError(f"the number {str(value)[:20]}... ({digits} digits) is too large for floating point") from None
    if not math.isfinite(number):
        raise ValueError(f"a number is too large for floating point (the largest is {sys.float_info.max:.3g})")
    # Integers beyond 2**53 are not exact in floating point anyway; as floats they cannot grow.
    exact = isinstance(value, int) and abs(value) <= 2**53
    return _Term(sympy.Integer(value) if exact else sympy.Float(number), _CONSTANT, number, 1.0, 0)


def _refuse_dunder(name: str) -> None:
    if name.startswith("__"):
        raise ValueError(f"dunder name {name!r} is not allowed")


def _name(name: str, variables: str) -> _Term:
    _refuse_dunder(name)
    if name in variables:
        return _Term(SYMBOLS[name], _VARIABLE, None, 1.0, 0)
    if name in CONSTANTS:
        return _Term(CONSTANTS[name], _CONSTANT, _FLOAT_CONSTANTS[name], 1.0, 0)
    if name in FUNCTIONS:
        raise ValueError(f"function {name!r} must be called, as in {name}(x)")
    raise ValueError(f"unknown name {name!r}; allowed: variables {', '.join(variables)}, constants pi, e")


def _finite(node: ast.AST, value: float | None) -> float | None:
    """``value``, refusing a constant part that is not a finite real number."""
    if value is not None and not math.isfinite(value):
        problem = "not a real number" if math.isnan(value) else "too large for floating point"
        raise ValueError(f"{ast.unparse(node)} is {problem}; it is not a finite real expression")
    return value


def _combine(node: ast.BinOp, operands: list[tuple[ast.operator, _Term]]) -> _Term:
    """A chain of sums and differences, or of products and quotients, at once (fast and flat)."""
    if _group(node) == "sum":
        expr = sympy.Add(*(t.expr if isinstance(op, ast.Add) else -t.expr for op, t in operands))
        size = _size_sum([t.size if isinstance(op, ast.Add) else _negated(t.size) for op, t in operands])
        values = [t.value if isinstance(op, ast.Add) else -t.value for op, t in operands if t.value is not None]
        value = float(sum(values)) if len(values) == len(operands) else None
    else:
        expr = sympy.Mul(*(t.expr if isinstance(op, ast.Mult) else sympy.Pow(t.expr, -1) for op, t in operands))
        size = operands[0][1].size
        for op, t in operands[1:]:
            size = _size_product(size, t.size if isinstance(op, ast.Mult) else _size_power(t.size, _CONSTANT))
        value = None
        if all(t.value is not None for _, t in operands):
            with np.errstate(all="ignore"):
                value = operands[0][1].value
                for op, t in operands[1:]:
                    value = np.float64(value) * t.value if isinstance(op, ast.Mult) else np.float64(value) / t.value
            value = _as_float(value)
    exponent = max(t.exponent for _, t in operands)
    return _Term(expr, size, _finite(node, value), exponent, max(t.tower for _, t in operands))


def _power(node: ast.BinOp, base: _Term, exponent: _Term) -> _Term:
    value = None
    if base.value is not None and exponent.value is not None:
        with np.errstate(all="ignore"):
            value = _as_float(np.power(np.float64(base.value), exponent.value))
    if value is not None and base.expr.is_Number and exponent.expr.is_Number:
        # In floating point, so that a tower like 9**9**9 cannot build a giant integer.
        if not math.isfinite(value):
            problem = "not real" if math.isnan(value) else "too large or undefined"
            raise ValueError(f"the number ({base.expr})**({exponent.expr}) is {problem}")
        exact = value.is_integer() and abs(value) < 2**53
        return _Term(sympy.Integer(int(value)) if exact else sympy.Float(value), _CONSTANT, value, 1.0, 0)
    if exponent.value is not None:
        # Exact powers with big exponents, like (2*x)**(10**15), would build giant integers.
        product = abs(exponent.value) * max(1.0, base.exponent)
        if not product <= MAX_EXPONENT:
            raise ValueError(
                f"the exponent of {ast.unparse(node)} is too large: constant exponents, multiplied along nested "
                f"powers, may be at most {MAX_EXPONENT:g} in magnitude"
            )
        size = _size_power(base.size, exponent.size)
        return _Term(_pow(base.expr, exponent.expr), size, _finite(node, value), product, base.tower)
    tower = 1 + max(base.tower, exponent.tower)
    if tower > MAX_TOWER:
        raise ValueError(
            f"{ast.unparse(node)} is a tower of {tower} powers with variables in their exponents "
            f"(limit {MAX_TOWER}); such towers overflow and their derivatives explode"
        )
    size = _size_variable_power(base.size, exponent.size)
    return _Term(_pow(base.expr, exponent.expr), size, None, max(base.exponent, exponent.exponent), tower)


def _pow(base: sympy.Expr, exponent: sympy.Expr) -> sympy.Expr:
    # sympy turns e**u into its own exp, which splits off and evaluates the numbers of u:
    # e**(5e274 - x) would hold a float of 10**(2e274), which takes seconds to print.
    return exp(exponent) if base == sympy.E else sympy.Pow(base, exponent)


def _call(node: ast.Call, variables: str) -> _Term:
    if not isinstance(node.func, ast.Name):
        _convert(node.func, variables)  # refuses attribute access, lambdas, ...
        raise ValueError(f"only named functions can be called, not {ast.unparse(node.func)}")
    name = node.func.id
    _refuse_dunder(name)
    if name not in FUNCTIONS:
        raise ValueError(f"unknown function {name!r}; known functions: {', '.join(FUNCTIONS)}")
    if node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
        raise ValueError(f"{name}() takes plain positional arguments only")
    arity = 2 if name == "atan2" else 1
    if len(node.args) != arity:
        raise ValueError(f"wrong number of arguments ({len(node.args)}) for {name}(); it takes {arity}")
    args = [_convert(a, variables) for a in node.args]
    value = None
    if all(a.value is not None for a in args):
        with np.errstate(all="ignore"):
            value = _finite(node, _as_float(_FLOAT_FUNCTIONS[name](*(np.float64(a.value) for a in args))))
    if name == "atan2":
        size = _size_atan2(args[0].size, args[1].size)
    else:
        size = _size_function(args[0].size, _DERIVATIVE_SHAPES[name])
    # sqrt is a power (a**(1/2)): it keeps the exponents of its argument; other functions end them.
    exponent = args[0].exponent if name == "sqrt" else 1.0
    return _Term(FUNCTIONS[name](*(a.expr for a in args)), size, value, exponent, max(a.tower for a in args))


def _tree_size(expression: sympy.Expr, limit: int) -> int:
    """Nodes of the expression tree, counting shared parts each time; stops counting past ``limit``."""
    count, stack = 0, [expression]
    while stack and count <= limit:
        node = stack.pop()
        count += 1
        stack.extend(node.args)
    return count


def _derivative(text: str, expression: sympy.Expr, symbol: sympy.Symbol) -> sympy.Expr:
    """:math:`\\partial e / \\partial s`, refused with a ValueError when it grows too large to compile."""
    derivative = expression.diff(symbol)
    if _tree_size(derivative, 4 * MAX_DERIVATIVE_SIZE) > 4 * MAX_DERIVATIVE_SIZE:
        raise ValueError(
            f"formula {_shown(text)} is too complex: a derivative has more than {4 * MAX_DERIVATIVE_SIZE} "
            "terms and factors; use fewer nested functions or shorter products"
        )
    return derivative


def _compile(text: str, expression: sympy.Expr, variables: str) -> Callable[..., Any]:
    """The numpy function of ``expression``; it raises ValueError where floating point cannot evaluate it."""
    # DiracDelta (from differentiating abs twice) is zero away from its kink.
    modules = [{"DiracDelta": lambda t: 0 * t}, "numpy"]
    try:
        function = sympy.lambdify([SYMBOLS[v] for v in variables], expression, modules=modules)
    except (RecursionError, ValueError, MemoryError, SyntaxError) as error:
        problem = type(error).__name__
        raise ValueError(f"formula {_shown(text)} cannot be compiled to numpy ({problem}); simplify it") from None

    def evaluate(*arguments: np.ndarray) -> Any:
        try:
            result = function(*arguments)
            if np.iscomplexobj(result):  # e.g. log(-2) = log(2) + i pi in a derivative: NaN, as in floats
                result = np.where(np.imag(result) == 0, np.real(result), np.nan)
            return result
        except (TypeError, OverflowError, AttributeError, ValueError, ZeroDivisionError) as error:
            raise ValueError(
                f"formula {_shown(text)} cannot be evaluated in floating point ({type(error).__name__}: {error}); "
                "it may hold a number too large for floating point"
            ) from None

    return evaluate


def _check_finite_somewhere(text: str, values: Any, where: str) -> None:
    """Refuse a formula whose ``values`` on a grid over its domain are nowhere finite."""
    values = np.asarray(values, dtype=float)
    if not np.any(np.isfinite(values)):
        reason = (
            "undefined (NaN), e.g. the log or square root of a negative number"
            if np.all(np.isnan(values))
            else "infinite, or too large for floating point"
        )
        raise ValueError(
            f"formula {_shown(text)} is not finite anywhere on {where}: it is {reason} there; "
            "choose a domain where it is defined"
        )


@dataclass(frozen=True)
class ExpressionSurface(Surface):
    r"""The surface :math:`f(x, y)` given by the formula ``text`` (see :func:`from_expression`).

    Gradient and Hessian are the symbolic derivatives, compiled to numpy on first use.
    ``text`` is refused with a ValueError when it breaks a limit of :mod:`gradcore.expression`
    or is nowhere finite on ``domain`` (checked on a :data:`CHECK_POINTS` square grid).
    """

    text: str
    domain: Domain = ((-3.0, 3.0), (-3.0, 3.0))
    name: str = ""
    expression: sympy.Expr = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "domain", check_domain(self.domain))
        object.__setattr__(self, "expression", parse_formula(self.text, "xy"))
        object.__setattr__(self, "name", self.name or self.text)
        points = grid(self.domain, (CHECK_POINTS, CHECK_POINTS))
        _check_finite_somewhere(self.text, self.value(points), f"the domain {self.domain}")

    @property
    def latex(self) -> str:
        return sympy.latex(self.expression)

    @cached_property
    def _value_function(self) -> Callable[..., Any]:
        return _compile(self.text, self.expression, "xy")

    @cached_property
    def _gradient_expressions(self) -> tuple[sympy.Expr, sympy.Expr]:
        x, y = SYMBOLS["x"], SYMBOLS["y"]
        return _derivative(self.text, self.expression, x), _derivative(self.text, self.expression, y)

    @cached_property
    def _gradient_functions(self) -> tuple[Callable[..., Any], ...]:
        return tuple(_compile(self.text, d, "xy") for d in self._gradient_expressions)

    @cached_property
    def _hessian_functions(self) -> tuple[Callable[..., Any], ...]:
        x, y = SYMBOLS["x"], SYMBOLS["y"]
        fx, fy = self._gradient_expressions
        second = (_derivative(self.text, fx, x), _derivative(self.text, fx, y), _derivative(self.text, fy, y))
        return tuple(_compile(self.text, d, "xy") for d in second)

    def _value(self, x: np.ndarray, y: np.ndarray) -> Any:
        return self._value_function(x, y)

    def _gradient(self, x: np.ndarray, y: np.ndarray) -> tuple[Any, Any]:
        fx, fy = self._gradient_functions
        return fx(x, y), fy(x, y)

    def _hessian(self, x: np.ndarray, y: np.ndarray) -> tuple[Any, Any, Any]:
        fxx, fxy, fyy = self._hessian_functions
        return fxx(x, y), fxy(x, y), fyy(x, y)


@dataclass(frozen=True)
class ExpressionCurve(Curve):
    r"""The curve :math:`f(x)` given by the formula ``text`` (see :func:`from_expression`).

    Derivatives are compiled on first use; the limits are those of :class:`ExpressionSurface`.
    """

    text: str
    domain: Interval = (-3.0, 3.0)
    name: str = ""
    expression: sympy.Expr = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "domain", check_interval(self.domain))
        object.__setattr__(self, "expression", parse_formula(self.text, "x"))
        object.__setattr__(self, "name", self.name or self.text)
        xs = np.linspace(*self.domain, CHECK_POINTS**2)
        _check_finite_somewhere(self.text, self.value(xs), f"the domain {self.domain}")

    @property
    def latex(self) -> str:
        return sympy.latex(self.expression)

    @cached_property
    def _value_function(self) -> Callable[..., Any]:
        return _compile(self.text, self.expression, "x")

    @cached_property
    def _first_derivative(self) -> sympy.Expr:
        return _derivative(self.text, self.expression, SYMBOLS["x"])

    @cached_property
    def _derivative_function(self) -> Callable[..., Any]:
        return _compile(self.text, self._first_derivative, "x")

    @cached_property
    def _second_derivative_function(self) -> Callable[..., Any]:
        return _compile(self.text, _derivative(self.text, self._first_derivative, SYMBOLS["x"]), "x")

    def _value(self, x: np.ndarray) -> Any:
        return self._value_function(x)

    def _derivative(self, x: np.ndarray) -> Any:
        return self._derivative_function(x)

    def _second_derivative(self, x: np.ndarray) -> Any:
        return self._second_derivative_function(x)


def from_expression(
    text: str, *, dim: int = 2, domain: Any = None, name: str | None = None
) -> ExpressionSurface | ExpressionCurve:
    """A surface in ``x, y`` (``dim=2``) or a curve in ``x`` (``dim=1``) from a formula.

    Allowed: numbers, the variables, ``pi``, ``e``, ``+ - * / **`` (or ``^``) and
    the functions in :data:`FUNCTIONS`. ``domain`` defaults to :math:`[-3, 3]^{dim}`,
    ``name`` to the text.

    Raises
    ------
    ValueError
        For anything :func:`parse_formula` refuses, a formula beyond the limits of
        :mod:`gradcore.expression` (at most :data:`MAX_LENGTH` characters, :data:`MAX_DEPTH`
        levels of nesting, constant exponents up to :data:`MAX_EXPONENT`, :data:`MAX_TOWER`
        nested powers with variable exponents, second derivatives of about
        :data:`MAX_DERIVATIVE_SIZE` nodes), one that floating point cannot evaluate, or one
        that is nowhere finite on ``domain``.

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


def _degree(expression: sympy.Expr) -> int | None:
    """An upper bound of the total degree in x, y of a polynomial, None if not visibly a polynomial."""
    if not expression.free_symbols:
        return 0
    if expression.is_Symbol:
        return 1
    if expression.is_Add or expression.is_Mul:
        degrees = [_degree(a) for a in expression.args]
        if any(d is None for d in degrees):
            return None
        return max(degrees) if expression.is_Add else sum(degrees)  # type: ignore[arg-type]
    if expression.is_Pow:
        base, exponent = expression.args
        if exponent.is_Number and exponent >= 0 and float(exponent).is_integer():
            inner = _degree(base)
            return None if inner is None else inner * int(exponent)
    return None


def to_quadratic(surface: Surface) -> Quadratic | None:
    r"""The :class:`~gradcore.quadratic.Quadratic` equal to ``surface``, or None if it is not one.

    An :class:`ExpressionSurface` whose formula is a polynomial of total degree at most 2 in
    ``x, y`` becomes :math:`\tfrac12 p^T A p - b^T p + c` with :math:`A = \nabla^2 f`,
    :math:`b = -\nabla f(0)`, :math:`c = f(0)`, the same domain and the formula as name; a
    Quadratic is returned as it is; anything else gives None. The degree is read from the
    formula's structure (``(x + 1)**2 - x**2`` has degree 2 by it and is a quadratic); a
    formula whose degree drops to 2 only by cancelling terms of degree above 4 gives None.

    Examples
    --------
    >>> from gradcore.expression import from_expression
    >>> to_quadratic(from_expression("x**2 + x*y - 3*y + 1")).A
    ((2.0, 1.0), (1.0, 0.0))
    >>> to_quadratic(from_expression("sin(x)")) is None
    True
    """
    if isinstance(surface, Quadratic):
        return surface
    if not isinstance(surface, ExpressionSurface):
        return None
    degree = _degree(surface.expression)
    if degree is None:
        return None
    if degree > 2:
        if degree > 4 or _tree_size(surface.expression, 200) > 200:
            return None
        try:
            if sympy.Poly(surface.expression, SYMBOLS["x"], SYMBOLS["y"]).total_degree() > 2:
                return None
        except sympy.PolynomialError:
            return None
    origin = np.zeros(2)
    A, gradient, value = surface.hessian(origin), surface.gradient(origin), surface.value(origin)
    if not (np.all(np.isfinite(A)) and np.all(np.isfinite(gradient)) and np.isfinite(value)):
        return None
    return Quadratic((A + A.T) / 2, b=-gradient, c=float(value), domain=surface.domain, name=surface.text)
