"""The Network sheet's expected values: every live cell of the drawing, valued by numpy."""

from __future__ import annotations

from worksheet.evaluator import CellRef
from worksheet.model import names as n
from worksheet.model.spec import NetworkSpec
from worksheet.model.topology import Topology
from worksheet.reference.step import trace_spec
from worksheet.sheets.network import NETWORK, parts


def expected_cells(spec: NetworkSpec) -> dict[CellRef, tuple[str, float]]:
    """``{cell: (label, value)}`` for every formula of the Network sheet, from numpy, for
    ``worksheet check`` to compare like any quantity; labels read like ``Network w_3``."""
    trace, topo = trace_spec(spec), Topology(spec.layers)
    values = {n.x(i).name: v for i, v in enumerate(trace.x, 1)}
    values |= {n.y(j).name: v for j, v in enumerate(trace.y, 1)}
    for w in topo.weights():
        values[n.w(w.i).name] = trace.weights[w.layer - 1][w.target.j - 1, w.source_j - 1]
    for nr in topo.neurons():
        values[n.b(nr.k).name] = trace.biases[nr.layer - 1][nr.j - 1]
        values[topo.activation(nr).name] = trace.activations[nr.layer][nr.j - 1]
    values[n.LOSS.name] = trace.loss
    return {
        CellRef(NETWORK, p.row, p.col): (f"{NETWORK} {p.symbol.name}", float(values[p.symbol.name]))
        for p in parts(spec)
    }
