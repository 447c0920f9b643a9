r"""Stochastic gradients: fitting a line to data with minibatches.

The loss is made of data: the least-squares fit of the line :math:`y = w x + b` to samples
:math:`(x_i, y_i)`,

.. math:: f(w, b) = \frac{1}{2n} \sum_{i=1}^{n} (w x_i + b - y_i)^2,

a surface over the parameters :math:`(w, b)` (:func:`gradcore.least_squares`). A minibatch
:math:`I` of the samples gives the gradient of its own part of the sum,

.. math:: g_I = \frac{1}{|I|} \sum_{i \in I} (w x_i + b - y_i)\,(x_i, 1),

an unbiased estimate of :math:`\nabla f`: over a partition of the samples into minibatches of
one size, the :math:`g_I` average to :math:`\nabla f` exactly. Minibatch SGD steps
:math:`x_{k+1} = x_k - \eta\, g_{I_k}` with a fresh :math:`I_k` each step
(:func:`gradcore.descend` with ``batch_size`` and ``seed``).

Render: ``manim -ql scenes/stochastic.py StochasticGradient``.
"""

from __future__ import annotations

import numbers

import numpy as np
from manim import (
    DOWN,
    RIGHT,
    UP,
    Circle,
    DashedLine,
    Dot,
    FadeIn,
    FadeOut,
    ValueTracker,
    VGroup,
    VMobject,
    Write,
    linear,
)

from gradcore.descent import Trajectory, descend
from gradcore.leastsquares import MAX_SAMPLES, LeastSquares, least_squares, line_data
from gradcore.levels import default_levels
from gradcore.optimizers import sgd
from gradcore.surface import check_domain
from scenes.kit import (
    ContourMap,
    GradScene,
    LossCurves,
    Trail,
    cross_marker,
    domain_axes,
    level_colors,
    nice_ticks,
    to_scene,
    vector_arrows,
)

__all__ = ["LeastSquaresScene", "StochasticGradient", "minibatches", "parameters", "partition_gradients"]


def minibatches(n: int, batch_size: int, seed: int, steps: int) -> np.ndarray:
    """The samples of each step's minibatch, ``(steps, batch_size)``: the draws
    :func:`gradcore.descend` makes with ``batch_size`` and ``seed`` (``batch_size`` of the ``n``
    samples without replacement, afresh each step, by ``numpy.random.default_rng(seed)``); every
    sample each step for a full batch."""
    if batch_size >= n:
        return np.tile(np.arange(n), (steps, 1))
    rng = np.random.default_rng(seed)
    return np.array([rng.choice(n, size=batch_size, replace=False) for _ in range(steps)]).reshape(steps, batch_size)


def partition_gradients(surface: LeastSquares, point: np.ndarray, batch_size: int, seed: int) -> np.ndarray:
    r"""The minibatch gradients :math:`g_I` ``(m, 2)`` at ``point`` over a shuffled partition of
    the samples into :math:`m = \lfloor n / |I| \rfloor` minibatches of ``batch_size`` (one epoch;
    when ``batch_size`` does not divide :math:`n` the rest is left out, and their mean is then
    only near :math:`\nabla f`)."""
    order = np.random.default_rng(seed).permutation(surface.n_samples)
    m = max(1, surface.n_samples // batch_size)
    return np.array([surface.minibatch_gradient(point, batch) for batch in order[: m * batch_size].reshape(m, -1)])


class LeastSquaresScene(GradScene):
    r"""A scene whose loss is made of data: the least-squares line fit :math:`f(w, b)` of the
    samples ``data = (x, y)``, or, with ``data`` None, of ``n_samples`` noisy samples of the
    line :math:`y = w_{true} x + b_{true}` (:func:`gradcore.line_data` with ``true_w``,
    ``true_b``, ``noise``, ``data_seed``, ``x_range``).

    The contract: :meth:`surface` is that :class:`~gradcore.LeastSquares` loss over
    :math:`(w, b)`, on ``domain`` (None: the loss's own box around the fit). ``surface_name``
    and ``formula`` do not apply (a formula has no samples to draw minibatches from):
    :meth:`validate` refuses them. A subclass may override :meth:`surface` with any surface
    that has ``n_samples`` and ``minibatch_gradient`` (and ``x``, ``y`` for the data panel).
    """

    data: tuple | None = None
    n_samples = 40
    true_w, true_b, noise, data_seed = 1.5, 0.5, 0.5, 0
    x_range = (-2.0, 2.0)
    start: tuple[float, float] | None = None  # None: near the map's upper-left corner
    batch_size = 4
    seed = 0
    steps = 40

    @classmethod
    def validate(cls) -> None:
        for name in ("formula", "surface_name"):
            if getattr(cls, name) is not None:
                raise cls.invalid(
                    name, getattr(cls, name), "does not apply: the loss is the least-squares fit of a line to data; "
                    "set data = (x, y), or n_samples, true_w, true_b, noise and data_seed"
                )
        super().validate()
        if cls.domain is not None:
            try:
                check_domain(cls.domain)
            except ValueError as error:
                problem = f"is not a box of (w, b) ({error}); give e.g. ((-1, 3), (-2, 3))"
                raise cls.invalid("domain", cls.domain, problem) from None
        for name in ("n_samples", "batch_size", "steps", "seed", "data_seed"):
            value, least = getattr(cls, name), 0 if "seed" in name else 1
            if not (isinstance(value, numbers.Integral) and least <= value <= MAX_SAMPLES):
                raise cls.invalid(name, value, f"must be a whole number from {least} to {MAX_SAMPLES:,}")
        if cls.surface is LeastSquaresScene.surface:
            surface = cls._loss()
            if cls.batch_size > surface.n_samples:
                raise cls.invalid("batch_size", cls.batch_size, f"is more than the {surface.n_samples} samples")
            if cls.start is not None:
                cls.check_inside("start", surface.domain)

    @classmethod
    def samples(cls) -> tuple[np.ndarray, np.ndarray]:
        """The data ``(x, y)``: ``data``, or :func:`gradcore.line_data` of the class attributes."""
        if cls.data is not None:
            return tuple(np.asarray(v, dtype=float) for v in cls.data)
        return line_data(cls.n_samples, cls.true_w, cls.true_b, cls.noise, cls.data_seed, cls.x_range)

    @classmethod
    def _loss(cls) -> LeastSquares:
        if cls.data is not None and not (isinstance(cls.data, (tuple, list)) and len(cls.data) == 2):
            raise cls.invalid("data", cls.data, "is not a pair (x, y) of sample arrays")
        try:
            return least_squares(*cls.samples(), domain=cls.domain)
        except (TypeError, ValueError) as error:
            name = "data" if cls.data is not None else "n_samples, true_w, true_b, noise, data_seed or x_range"
            value = cls.data if cls.data is not None else (cls.n_samples, cls.true_w, cls.true_b, cls.noise)
            raise cls.invalid(name, value, f"give no loss: {error}") from None

    def start_point(self) -> np.ndarray:
        """``start``, or with None the point a tenth of the way in from the domain's upper-left
        corner: the map's smallest slope with its largest intercept (with the default data, a
        falling line above the rising data)."""
        if self.start is not None:
            return np.asarray(self.start, dtype=float)
        (w0, w1), (b0, b1) = self.surface().domain
        return np.array([w0 + 0.1 * (w1 - w0), b1 - 0.1 * (b1 - b0)])

    def surface(self) -> LeastSquares:
        """The least-squares loss of the data (built once)."""
        if "_surface" not in self.__dict__:
            self._surface = type(self)._loss()
        return self._surface


class StochasticGradient(LeastSquaresScene):
    r"""Minibatch gradients around the full gradient, and the noisy path they take.

    Left, the data and the line :math:`y = w x + b` of the current parameters; right, the level
    sets of :math:`f(w, b)`. At ``start``, the gradients :math:`-g_I` of a partition of the
    samples into minibatches of ``batch_size`` (one shuffle by ``seed``) fan out around their
    mean :math:`-\nabla f` (arrows scaled together so the longest is ``arrow_length``). Then
    minibatch SGD (``learning_rate``, ``batch_size``, ``seed``; the samples of each step's
    minibatch ringed in the data) and full-batch descent run ``steps`` steps side by side, each
    moving its line, and between the two panels their gaps :math:`f(w_k, b_k) - f^*` on a log
    scale (:class:`~scenes.kit.LossCurves`, ``loss_width`` by ``loss_height``): full-batch descent
    falls straight, minibatch SGD levels off in its noise ball. Near the minimum the cloud comes
    back: the gradient has shrunk, the noise has not. Data and contract: :class:`LeastSquaresScene`.
    """

    learning_rate = 0.3
    n_levels = 10
    arrow_length = 1.3
    noisy_color: str | None = None  # None: the theme's palette, first color
    full_color: str | None = None  # None: the theme's palette, second color
    cloud_time = 2.0
    run_time = 7.0
    loss_width = 3.3
    loss_height = 2.6

    @classmethod
    def validate(cls) -> None:
        super().validate()
        cls.check_positive("learning_rate", "n_levels", "arrow_length", "cloud_time", "run_time", "loss_width", "loss_height")

    def construct(self) -> None:
        theme = self.theme
        surface = self.surface()
        start, rate = self.start_point(), self.learning_rate
        self.noisy = descend(surface, start, sgd(rate), self.steps, domain=surface.domain,
                             batch_size=self.batch_size, seed=self.seed)
        self.full = descend(surface, start, sgd(rate), self.steps, domain=surface.domain)
        self.batches = minibatches(surface.n_samples, self.batch_size, self.seed, self.noisy.n_steps)
        noisy = theme.stroke(self.noisy_color, theme.palette[0])
        full = theme.stroke(self.full_color, theme.palette[1])

        # Set up: the data on the left, the level sets of the loss over (w, b) on the right
        title = self.label(rf"f(w, b) = {surface.latex}", font_size=30).to_edge(UP, buff=0.25)
        x, y = np.asarray(surface.x), np.asarray(surface.y)
        self.data_axes = domain_axes(_data_box(x, y), 5.6, 5.2, theme.foreground, font_size=20)
        self.data_axes.move_to(np.array([-4.6, -0.35, 0]))
        samples = to_scene(self.data_axes, np.c_[x, y])
        self.dots = VGroup(*(Dot(p, radius=0.05, color=theme.foreground) for p in samples))
        model = self.label(r"\text{samples } (x_i, y_i),\ \text{line } y = w x + b", font_size=24)
        model.next_to(self.data_axes, UP, buff=0.05).set_x(self.data_axes.get_center()[0])
        self.axes = domain_axes(surface.domain, 5.6, 5.2, theme.foreground, labels=("w", "b"), font_size=20)
        self.axes.move_to(np.array([4.4, -0.35, 0]))
        levels = default_levels(surface, self.n_levels, spacing="log", decades=3)
        contours = ContourMap(self.axes, surface, levels, level_colors(levels, theme.colormap))
        best = cross_marker(to_scene(self.axes, surface.minimizer), theme.foreground, size=0.1, stroke_width=3)
        self.play(Write(title), FadeIn(self.data_axes, self.dots, model, self.axes, contours, best))
        self.pause(f"Fitting a line y = w x + b to {surface.n_samples} samples: the loss f(w, b) over the parameters")

        # Show the lines of both runs (one line while they coincide) and the heads on the map
        tracker = ValueTracker(0)
        runs = ((self.full, full), (self.noisy, noisy))  # the noisy one drawn on top
        self.trails = [Trail(to_scene(self.axes, path.points), tracker, color) for path, color in runs]
        self.lines = [self.fit_line(path, tracker, color) for path, color in runs]
        keys = [(noisy, rf"\text{{minibatch SGD, }} |I| = {self.batch_size},\ \eta = {rate:g}"),
                (full, r"\text{full-batch descent}")]
        legend = VGroup(*(VGroup(Dot(color=c, radius=0.08), self.label(t, font_size=24)).arrange(RIGHT, buff=0.15)
                          for c, t in keys))
        legend.arrange(RIGHT, buff=0.5).to_edge(DOWN, buff=0.2)
        self.play(*(FadeIn(t.dot, scale=3) for t in self.trails), *map(FadeIn, self.lines), FadeIn(legend))
        self.pause(f"Minibatch SGD (batches of {self.batch_size}, rate {rate:g}) and full-batch descent, one start")

        # Show the minibatch gradients at the start: they fan out around the full gradient
        cloud = self.cloud(start, noisy, full)
        self.play(FadeIn(cloud[0], lag_ratio=0.1), run_time=self.cloud_time)
        self.play(FadeIn(cloud[1:]))
        self.pause(f"The gradients of {len(self.gradients)} minibatches fan out around their mean, the full gradient")

        # Show both descents: a fresh minibatch each step (ringed in the data), the lines follow
        rings = VGroup(*(Circle(0.11, color=noisy, stroke_width=2.5) for _ in range(self.batches.shape[1])))
        rings.add_updater(lambda group: self.ring_batch(group, tracker))
        self.loss_paths = [self.noisy, self.full]
        self.loss_curves = self.loss_panel(tracker, [noisy, full])
        self.play(FadeOut(cloud), FadeIn(rings), FadeIn(self.loss_curves))
        self.add(*self.trails)
        self.play(tracker.animate.set_value(self.noisy.n_steps), run_time=self.run_time, rate_func=linear)
        rings.clear_updaters()
        self.pause(f"{self.noisy.n_steps} steps: each minibatch (ringed) pulls the line its own way; between the panels, the loss gap of each on a log scale")

        # Show the cloud near the minimum: the mean gradient has shrunk, the noise has not
        end = self.noisy.points[self.noisy.n_steps]
        fit = DashedLine(*_ends(self.data_axes, surface.minimizer), stroke_color=theme.foreground, stroke_width=2)
        self.end_cloud = self.cloud(end, noisy, full)
        self.play(FadeOut(rings), FadeIn(self.end_cloud), FadeIn(fit))
        self.wait(2)
        self.caption("Near the minimum the full gradient has shrunk; the minibatch noise has not")

    def cloud(self, point: np.ndarray, noisy, full) -> VGroup:
        r"""Arrows :math:`-g_I` of a partition's minibatches at ``point`` and their mean
        :math:`-\nabla f`, scaled together so that the longest is ``arrow_length``; a caption."""
        surface = self.surface()
        self.gradients = partition_gradients(surface, point, self.batch_size, self.seed)
        self.gradient = surface.gradient(point)
        unit = np.linalg.norm(to_scene(self.axes, np.array([1.0, 0.0])) - to_scene(self.axes, np.zeros(2)))
        longest = max(np.linalg.norm(self.gradients, axis=1).max(), np.linalg.norm(self.gradient), 1e-300)
        self.arrow_scale = self.arrow_length / (unit * longest)
        tails = np.repeat(point[None], len(self.gradients), axis=0)
        batch = vector_arrows(self.axes, tails, -self.arrow_scale * self.gradients, noisy, stroke_width=2)
        mean = vector_arrows(self.axes, point[None], -self.arrow_scale * self.gradient[None], full, stroke_width=5)
        relation = "=" if self.surface().n_samples % self.batch_size == 0 else r"\approx"
        caption = self.label(
            rf"-\nabla f {relation} \text{{mean of the {len(self.gradients)} }} -g_I"
            rf"\quad (\times {self.arrow_scale:.2g})", font_size=24,
        )
        caption.next_to(self.axes, UP, buff=0.05).set_x(self.axes.get_center()[0])
        return VGroup(batch, mean.set_z_index(2), caption)

    def loss_panel(self, tracker: ValueTracker, colors: list) -> LossCurves:
        """The loss curves of :attr:`loss_paths`, centred between the data and the map (made
        narrower where a wide data box leaves less room)."""
        panel = LossCurves(self.loss_paths, tracker, colors, self.theme.foreground, surface=self.surface(),
                           width=self.loss_width, height=self.loss_height, font_size=18)
        left, right = self.data_axes.get_right()[0] + 0.25, self.axes.get_left()[0] - 0.25
        if panel.width > right - left:
            panel.scale_to_fit_width(right - left)
        return panel.move_to(np.array([(left + right) / 2, self.axes.get_center()[1], 0.0]))

    def fit_line(self, path: Trajectory, tracker: ValueTracker, color) -> VMobject:
        """The line :math:`y = w x + b` of ``path``'s :math:`(w, b)` at the tracker's step (as its
        trail's head), inside the data box."""
        line = VMobject(stroke_color=color, stroke_width=3)

        def follow(line: VMobject) -> None:
            line.set_points_as_corners(_ends(self.data_axes, parameters(path, tracker.get_value())))

        return line.add_updater(follow, call_updater=True)

    def ring_batch(self, rings: VGroup, tracker: ValueTracker) -> None:
        """Ring the samples of the minibatch of the step under way."""
        k = min(int(tracker.get_value()), len(self.batches) - 1)
        for ring, i in zip(rings, self.batches[k]):
            ring.move_to(self.dots[i])


def parameters(path: Trajectory, t: float) -> np.ndarray:
    """The point of ``path`` at step ``t`` (linear between steps, held at its ends), as a trail
    draws it."""
    points = path.points[: path.n_steps + 1]
    t = float(np.clip(t, 0, len(points) - 1))
    i = min(int(t), max(len(points) - 2, 0))
    return points[i] + (t - i) * (points[min(i + 1, len(points) - 1)] - points[i])


def _data_box(x: np.ndarray, y: np.ndarray) -> tuple[tuple[float, float], tuple[float, float]]:
    """A box around the samples with round ends (a twentieth of the span spare, at least)."""
    box = []
    for v in (x, y):
        low, high = float(v.min()), float(v.max())
        pad = 0.05 * (high - low) or 1.0
        ticks = nice_ticks(low - pad, high + pad)
        step = (ticks[1] - ticks[0]) / 2 if len(ticks) > 1 else 1.0
        box.append((float(np.floor((low - pad) / step) * step), float(np.ceil((high + pad) / step) * step)))
    return box[0], box[1]


def _ends(axes, params: np.ndarray) -> np.ndarray:
    r"""The scene ends ``(2, 3)`` of the part of :math:`y = w x + b` inside the box of ``axes``
    (both at the box's left edge when the line misses the box)."""
    (x0, x1), (y0, y1) = axes.x_range[:2], axes.y_range[:2]
    w, b = params
    if abs(w) > 1e-12:  # the x where the line crosses the box's bottom and top
        cuts = sorted(((y0 - b) / w, (y1 - b) / w))
        x0, x1 = max(x0, cuts[0]), min(x1, cuts[1])
    elif not y0 <= b <= y1:
        x1 = x0
    x1 = max(x0, x1)
    return to_scene(axes, np.array([(x0, w * x0 + b), (x1, w * x1 + b)]))
