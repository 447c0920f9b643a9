"""Updaters run in one walk (scenes/kit/updates.py), against stock Manim's recursive update."""

from __future__ import annotations

from manim import Dot, Mobject, Square, VGroup

from scenes.kit.updates import update_mobjects


class OwnUpdate(VGroup):
    """A class with its own update: it records the call instead of running its updaters."""

    def update(self, dt=0, recursive=True):  # noqa: ANN001, ANN201
        self.log.append(("own", self.name, dt))
        return self


def _tree(log: list) -> list[Mobject]:
    def note(name):  # noqa: ANN001, ANN202
        return lambda mob: log.append((name, mob.name))

    def timed(name):  # noqa: ANN001, ANN202
        return lambda mob, dt: log.append((name, mob.name, dt))

    def named(mob, name):  # noqa: ANN001, ANN202
        mob.name = name
        return mob

    parent = named(VGroup(named(Dot(), "a"), named(VGroup(named(Square(), "b")), "inner")), "parent")
    parent.add_updater(note("parent"))
    parent[0].add_updater(timed("a"))
    parent[1][0].add_updater(note("b"))
    grown = named(Dot(), "grown")
    grown.add_updater(note("grown"))

    def grow(mob):  # noqa: ANN001, ANN202
        log.append(("grow", mob.name))
        if grown not in mob.submobjects:
            mob.add(grown)  # added by an updater: its own updater runs in the same walk

    parent[1].add_updater(grow)
    resting = named(VGroup(named(Dot(), "hidden")), "resting")
    resting[0].add_updater(note("hidden"))
    resting.suspend_updating(recursive=False)
    own = named(OwnUpdate(named(Dot(), "inside")), "own")
    own.log = log
    own[0].add_updater(note("inside"))
    return [parent, resting, own, parent[0]]  # parent[0] twice, as a scene can hold it


def test_updaters_run_as_stock_runs_them():
    stock, fast = [], []
    stock_tree, fast_tree = _tree(stock), _tree(fast)
    for _ in range(2):
        for mob in stock_tree:
            mob.update(0.25)
        update_mobjects(fast_tree, 0.25)
    assert fast == stock
    assert ("grown", "grown") in fast and not any(entry[0] == "hidden" for entry in fast)
