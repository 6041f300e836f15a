"""Numerical edge cases: what the generator refuses, and what it accepts being computed alike by
numpy, the evaluator and LibreOffice.

A spreadsheet has no inf or nan: EXP above about 709.78 is #NUM!, LN(0) is #NUM!. A sigmoid
reaches exactly 1 in double precision at z = 37 and exactly 0 only when EXP(-z) overflows; the
binary cross-entropy then takes LN(0). LibreOffice also rounds a difference of two numbers that
agree to about 15 digits to 0 (Excel does that only for a formula's last operation), so
LN(1 - yhat) is LN(0) there as soon as yhat is within 2^-48 of 1.

The hand-worked network is the classic 2-1-1 one: x = (0.5, 0.3), w_1 = 0.15, w_2 = 0.2,
b_1 = 0.35, so z_1 = 0.485 and h_1 = σ(0.485) = 0.6189; z_2 = w_3 · 0.6189 + b_2.
"""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import make_spec

from worksheet.errors import BookError, SpecError
from worksheet.evaluator import XLError, evaluate, read_book
from worksheet.export.libreoffice import convert
from worksheet.model.spec import NetworkSpec
from worksheet.model.template import load_template, resolve
from worksheet.reference.step import trace_spec
from worksheet.render.generate import generate
from worksheet.verify.check import check_file

H_1 = 1 / (1 + math.exp(-0.485))  # the hidden activation of the classic network


def classic(w_3: float, b_2: float = 0.0, loss: str = "half-sse", eta: float = 0.5, y=1.0):
    """The classic network with the output weight and bias chosen: z_2 = w_3·h_1 + b_2."""
    return make_spec(
        (2, 1, 1),
        (((0.15, 0.20),), ((w_3,),)),
        ((0.35,), (b_2,)),
        (0.5, 0.3),
        (y,),
        loss=loss,
        eta=eta,
    )


def trained(template: str, **changes) -> NetworkSpec:
    return replace(resolve(load_template(template)).spec, lr_sweep=(), **changes)


# (spec, fragment of the refusal): each names the value and why.
REFUSED = [
    pytest.param(
        lambda: classic(100.0, loss="bce"),  # z_2 = 61.9: σ is exactly 1.0 (from z = 36.7 on)
        "yhat_1 = 1 is within 1e-12 of 0 or 1: a spreadsheet takes LN(0)",
        id="bce-sigmoid-exactly-1",
    ),
    pytest.param(
        lambda: classic(58.0, loss="bce"),  # z_2 = 35.9: σ is 1 - 2.2e-16, one step below 1
        "yhat_1 = 0.99999999999999978 is within 1e-12 of 0 or 1",
        id="bce-sigmoid-one-ulp-below-1",
    ),
    pytest.param(
        lambda: classic(-100.0, loss="bce"),  # z_2 = -61.9: σ = 1.3e-27, LN of it is fine
        "is within 1e-12 of 0 or 1",
        id="bce-sigmoid-near-0",
    ),
    pytest.param(
        lambda: classic(-2000.0),  # z_2 = -1237.9: EXP(1237.9) overflows, σ would be 0
        "z_2 = -1237.86: EXP(-z_2) overflows in a spreadsheet (#NUM!); use smaller weights",
        id="sigmoid-exactly-0",
    ),
    pytest.param(
        lambda: classic(0.4, 0.6, eta=1e6, y=0.0),
        "z_1_new = -18582.6: EXP(-z_1_new) overflows in a spreadsheet (#NUM!); use a smaller"
        " learning rate",
        id="learning-rate-1e6",
    ),
    pytest.param(lambda: classic(0.4, eta=0.0), "must be greater than 0", id="learning-rate-0"),
    pytest.param(lambda: classic(0.4, eta=math.inf), "must be a finite number", id="rate-inf"),
    pytest.param(
        lambda: trained("or", epochs=20_001),
        "epochs = 20001: the number of epochs must be a whole number from 0 to 20,000",
        id="epochs-over-the-limit",
    ),
    pytest.param(
        lambda: trained("or", epochs=2, loss="bce", learning_rate=20.0),
        "a prediction comes within 1e-12 of 0 or 1; binary cross-entropy takes LN(0)",
        id="training-bce-reaches-exactly-1",
    ),
]


@pytest.mark.parametrize(("make", "message"), REFUSED)
def test_the_generator_refuses_what_a_spreadsheet_cannot_compute(
    tmp_path: Path, make, message: str
) -> None:
    with pytest.raises(SpecError) as info:
        generate(make(), tmp_path / "x.xlsx")
    assert message in str(info.value)
    assert "\n" not in str(info.value)
    assert not (tmp_path / "x.xlsx").exists()


# Accepted at the edge: the check passes, and LibreOffice computes the same values.
ACCEPTED = [
    pytest.param(lambda: classic(100.0), id="half-sse-sigmoid-exactly-1"),  # slope 0, δ 0
    pytest.param(lambda: classic(-1130.0), id="half-sse-sigmoid-1e-304"),  # z_2 = -699.4
    pytest.param(lambda: classic(40.0, loss="bce"), id="bce-sigmoid-1-minus-4e-11"),
    pytest.param(lambda: classic(0.4, 0.6, eta=1e-12), id="learning-rate-1e-12"),
    pytest.param(lambda: classic(0.4, 0.6, eta=1e-300), id="learning-rate-1e-300"),
    pytest.param(lambda: classic(0.4, 0.6, eta=1e3), id="learning-rate-1e3"),
    pytest.param(
        lambda: trained("or", epochs=2, loss="bce", learning_rate=8.0),  # ŷ stays 1e-12 from 1
        id="training-bce-near-1",
    ),
    pytest.param(
        lambda: trained("xor", epochs=500), id="training-2000-updates", marks=pytest.mark.slow
    ),
]


@pytest.mark.parametrize("make", ACCEPTED)
def test_accepted_edge_cases_check(tmp_path: Path, make) -> None:
    path = tmp_path / "edge.xlsx"
    generate(make(), path)
    report = check_file(path)
    assert report.ok, list(report.mismatches.items())[:3]


def same(ours: object, theirs: object) -> bool:
    """Numbers to 1e-9 (LibreOffice saves 15 digits; floor 1e-300 for subnormal slopes), errors
    as errors (LibreOffice names some of them differently)."""
    if isinstance(ours, XLError) or isinstance(theirs, XLError):
        return isinstance(ours, XLError) and isinstance(theirs, XLError)
    if isinstance(ours, float) and isinstance(theirs, float):
        return abs(ours - theirs) <= max(1e-9 * max(abs(ours), abs(theirs)), 1e-300)
    return ours == theirs


def disagreements(src: Path, out_dir: Path) -> dict:
    """Formula cells where LibreOffice's recalculated value differs from the evaluator's."""
    ours = evaluate(read_book(src))
    theirs = read_book(convert(src, out_dir))
    return {
        str(ref): (value, theirs.cells[ref].value)
        for ref, value in ours.items()
        if not same(value, theirs.cells[ref].value)
    }


@pytest.mark.libreoffice
@pytest.mark.parametrize("make", ACCEPTED)
def test_libreoffice_computes_accepted_edge_cases_alike(tmp_path: Path, make) -> None:
    path = tmp_path / "edge.xlsx"
    generate(make(), path)
    assert disagreements(path, tmp_path / "lo") == {}


def test_a_rate_of_1e_14_changes_the_loss_by_what_a_spreadsheet_cancels(tmp_path: Path) -> None:
    """ΔL = L′ − L is -2.8e-17 in numpy; the sheet's last subtraction cancels it to 0, as Excel
    and LibreOffice do (its operands agree to 16 digits), and the check's absolute floor
    (1e-12) accepts both."""
    spec = classic(0.4, 0.6, eta=1e-14)
    assert trace_spec(spec).loss_change == pytest.approx(-2.78e-17, rel=0.01)
    path = tmp_path / "tiny.xlsx"
    generate(spec, path)
    book = read_book(path)
    assert evaluate(book)[book.name_ref("L_change", "Step")] == 0.0
    assert check_file(path).ok


# Found by these tests: a prediction within 2^-48 of 1, but not 1, passed the Training sheet's
# old refusal (exactly 0 or 1 only), and LibreOffice then shows #VALUE! and #DIV/0! where numpy
# and the evaluator (Excel's rule) have numbers. Now both refusals keep 1e-12 away from 1.
RUN_TOO_CLOSE_TO_1 = {"epochs": 2, "loss": "bce", "learning_rate": 14.0}  # ŷ = 1 - 1.3e-15


def test_the_generator_refuses_a_run_libreoffice_cannot_compute(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match="within"):
        generate(trained("or", **RUN_TOO_CLOSE_TO_1), tmp_path / "x.xlsx")


@pytest.mark.libreoffice
def test_libreoffice_rounds_1_minus_yhat_to_0_where_excel_does_not(
    tmp_path: Path, monkeypatch
) -> None:
    """Why the run above must be refused: the evaluator follows Excel (only a formula's last
    operation cancels), LibreOffice cancels every sum; the check notes that and, computing
    the book both ways, refuses the file (it passed before it did)."""
    path = tmp_path / "run.xlsx"
    monkeypatch.setattr("worksheet.render.generate.assert_trainable", lambda spec, run: None)
    generate(trained("or", **RUN_TOO_CLOSE_TO_1), path)
    with pytest.raises(BookError, match="Excel and LibreOffice compute"):
        check_file(path)
    differ = disagreements(path, tmp_path / "lo")
    ours, theirs = differ["Training!K11"]  # the loss of update 8, -(y LN ŷ + (1-y) LN(1-ŷ))
    assert ours == pytest.approx(1.33e-15, rel=0.01) and isinstance(theirs, XLError)
    assert isinstance(differ["Training!N11"][1], XLError)  # (1-y)/(1-ŷ) is 0/0 there
