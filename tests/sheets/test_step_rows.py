"""Formula text and numbering, checked against shared/WORKBOOK.md and Mazur's numbering."""

from __future__ import annotations

import pytest

from worksheet.model.topology import Topology
from worksheet.sheets import formulas as f
from worksheet.sheets.step_rows import step_rows

# shared/WORKBOOK.md, the 2-1-1 step sheet, row by row.
WORKBOOK_2_1_1 = [
    ("z_1", "=w_1*x_1+w_2*x_2+b_1"),
    ("h_1", "=1/(1+EXP(-z_1))"),
    ("z_2", "=w_3*h_1+b_2"),
    ("yhat_1", "=1/(1+EXP(-z_2))"),
    ("L_1", "=0.5*(y_1-yhat_1)^2"),
    ("dL_dyhat_1", "=yhat_1-y_1"),
    ("dyhat_dz_2", "=yhat_1*(1-yhat_1)"),
    ("delta_2", "=dL_dyhat_1*dyhat_dz_2"),
    ("dL_dw_3", "=delta_2*h_1"),
    ("dL_db_2", "=delta_2"),
    ("dL_dh_1", "=delta_2*w_3"),
    ("dh_dz_1", "=h_1*(1-h_1)"),
    ("delta_1", "=dL_dh_1*dh_dz_1"),
    ("dL_dw_1", "=delta_1*x_1"),
    ("dL_dw_2", "=delta_1*x_2"),
    ("dL_db_1", "=delta_1"),
    ("w_1_new", "=w_1-eta*dL_dw_1"),
    ("b_2_new", "=b_2-eta*dL_db_2"),
    ("L_change", "=L_total_new-L_total"),
]


@pytest.mark.parametrize("name, formula", WORKBOOK_2_1_1)
def test_workbook_md_formulas(name, formula):
    rows = {r.symbol.name: r.formula for r in step_rows(Topology((2, 1, 1)), "half-sse")}
    assert rows[name] == formula


def test_mazur_numbering():
    """w_5 joins hidden 1 to output 1, w_6 hidden 2 to output 1, w_7 hidden 1 to output 2."""
    rows = {r.symbol.name: r.formula for r in step_rows(Topology((2, 2, 2)), "half-sse")}
    assert rows["z_1"] == "=w_1*x_1+w_2*x_2+b_1"
    assert rows["z_2"] == "=w_3*x_1+w_4*x_2+b_2"
    assert rows["z_3"] == "=w_5*h_1+w_6*h_2+b_3"
    assert rows["z_4"] == "=w_7*h_1+w_8*h_2+b_4"
    assert rows["dL_dh_1_via_3"] == "=delta_3*w_5"  # each path's share, then the sum
    assert rows["dL_dh_1_via_4"] == "=delta_4*w_7"
    assert rows["dL_dh_1"] == "=dL_dh_1_via_3+dL_dh_1_via_4"
    assert rows["dL_dh_2"] == "=dL_dh_2_via_3+dL_dh_2_via_4"
    assert rows["dL_dw_7"] == "=delta_4*h_1"
    assert rows["L_total"] == "=L_1+L_2"


@pytest.mark.parametrize(
    "loss, n, term, slope",
    [
        ("half-sse", 1, "=0.5*(y_1-yhat_1)^2", "=yhat_1-y_1"),
        ("mse", 1, "=(y_1-yhat_1)^2", "=2*(yhat_1-y_1)"),
        ("mse", 2, "=((y_1-yhat_1)^2)/2", "=(2*(yhat_1-y_1))/2"),
        ("bce", 1, "=-(y_1*LN(yhat_1)+(1-y_1)*LN(1-yhat_1))", "=-(y_1/yhat_1-(1-y_1)/(1-yhat_1))"),
        (
            "bce",
            3,
            "=(-(y_1*LN(yhat_1)+(1-y_1)*LN(1-yhat_1)))/3",
            "=(-(y_1/yhat_1-(1-y_1)/(1-yhat_1)))/3",
        ),
    ],
)
def test_loss_formulas(loss, n, term, slope):
    assert f.loss_term(loss, "y_1", "yhat_1", n) == term
    assert f.loss_slope(loss, "y_1", "yhat_1", n) == slope


@pytest.mark.parametrize("layers", [(2, 1, 1), (2, 2, 2), (3, 3, 2, 1), (1, 1), (8, 8, 8, 8, 4)])
def test_every_name_is_defined_once_and_not_a_cell_reference(layers):
    import re

    names = [r.symbol.name for r in step_rows(Topology(layers), "bce")]
    assert len(names) == len({n.upper() for n in names})
    for name in names:
        assert not re.fullmatch(r"[A-Za-z]{1,3}[0-9]+", name)
        assert name.upper() not in ("R", "C")


def test_weight_count_matches_layers():
    topo = Topology((3, 4, 2))
    weights = list(topo.weights())
    assert [w.i for w in weights] == list(range(1, 3 * 4 + 4 * 2 + 1))
    assert [n.k for n in topo.neurons()] == list(range(1, 7))
