"""Every step sheet's numpy values by the defined names they have on their sheet: the one
loop over the traces that the generator (number formats), the handout and the check share.
"""

from __future__ import annotations

from dataclasses import dataclass

from worksheet.model.names import on_step
from worksheet.model.topology import Topology
from worksheet.reference.by_name import (
    assert_computable,
    expected_values,
    gradcheck_values,
    start_values,
)
from worksheet.reference.step import trace_steps


@dataclass(frozen=True)
class StepValues:
    """Step ``k``'s quantities by name (``z_1``, ``z_1_s2``); a gradient check's value is
    ``(value, extra absolute tolerance)``; ``columns`` are its nudged forward passes (loss
    name of the column -> values by the names of the rows they redo)."""

    k: int
    values: dict
    columns: dict


def step_values(spec) -> list[StepValues]:
    """Each step of ``spec`` from the numpy reference; refuses (SpecError) a step a
    spreadsheet could not compute, naming the quantity."""
    topo = Topology(spec.layers)
    steps = []
    for k, trace in enumerate(trace_steps(spec), 1):
        values: dict = expected_values(topo, trace)
        assert_computable(values, spec.loss)
        columns: dict = {}
        if spec.gradcheck:
            named, by_loss = gradcheck_values(topo, trace, spec)
            values.update(named)
            columns = {on_step(loss, k): _spelled(col, k) for loss, col in by_loss.items()}
        if k > 1:
            values.update(start_values(topo, trace, with_example=len(spec.examples) > 1))
        steps.append(StepValues(k, _spelled(values, k), columns))
    return steps


def starting_values(spec) -> dict[str, float]:
    """Every step quantity's value by name, for choosing number formats."""
    return by_name(step_values(spec))


def by_name(steps: list[StepValues]) -> dict[str, float]:
    """Every quantity of ``steps`` (``step_values``) by its name, without tolerances."""
    return {
        name: value[0] if isinstance(value, tuple) else value
        for step in steps
        for name, value in step.values.items()
    }


def _spelled(values: dict, k: int) -> dict:
    return {on_step(name, k): value for name, value in values.items()}
