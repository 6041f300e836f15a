"""The real client: LibreOffice Calc recalculates our workbooks and must agree with numpy.

Skipped when ``soffice`` is not installed; ``.ci/run`` installs it so these run in CI.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from worksheet.evaluator import read_book
from worksheet.export.libreoffice import convert
from worksheet.model.template import Overrides, load_template, resolve
from worksheet.render.generate import generate
from worksheet.verify.check import check_file
from worksheet.verify.compare import agree
from worksheet.verify.expectations import expectations

pytestmark = pytest.mark.libreoffice

CASES = [
    ("classic", Overrides()),
    ("mazur", Overrides()),
    ("two-hidden", Overrides()),
    ("deep-bce", Overrides()),
    ("classic", Overrides(layers=(2, 2, 2), loss="mse", seed=5)),
    ("classic", Overrides(layers=(1, 1), loss="bce", inputs=(0.7,), targets=(0.0,))),
    # The largest network, without the gradient check (504 nudge columns take LibreOffice ~1 min).
    ("classic", Overrides(layers=(8, 8, 8, 8, 4), loss="half-sse", seed=2, gradcheck=False)),
    ("classic", Overrides(layers=(3, 2, 2, 2, 1), loss="bce", seed=9)),
    ("classic", Overrides(activations=("tanh", "linear"), loss="mse", steps=3)),
    ("classic", Overrides(layers=(2, 3, 2), activations=("relu", "sigmoid"), update_biases=False)),
    ("saturated", Overrides()),  # BCE with 1 − ŷ ≈ 1.4e-11: just inside what we accept
    ("mazur", Overrides(round_digits=4, steps=2)),  # ROUND: half away from zero in both
]


SATURATED = """layers = [1, 1]
loss = "bce"
weights = [[[25.0]]]
biases = [[0.0]]
[[examples]]
inputs = [1.0]
targets = [1.0]
"""


@pytest.mark.parametrize("template, overrides", CASES)
def test_libreoffice_agrees_with_numpy(tmp_path, template, overrides):
    if template == "saturated":
        template = str(tmp_path / "saturated.toml")
        Path(template).write_text(SATURATED)
    spec = resolve(load_template(template), overrides).spec
    source = tmp_path / "in" / "book.xlsx"
    generate(spec, source)
    recalculated = convert(source, tmp_path / "lo")
    book = read_book(recalculated)
    expected, missing = expectations(book, spec)
    assert not missing
    assert len(expected) == sum(1 for cell in book.cells.values() if cell.formula)
    for ref, (name, want, slack) in expected.items():
        got = book.cells[ref].value
        assert agree(want, got, slack), f"{ref} {name}: numpy {want!r}, LibreOffice {got!r}"
    # ...and the file LibreOffice saved still passes our own check, cached values included.
    report = check_file(recalculated)
    assert report.ok, report.mismatches
    assert report.cached_compared == report.formulas


def test_libreoffice_recalculates_an_edited_given(tmp_path):
    """LibreOffice keeps cached values unless told otherwise; ours always recalculates."""
    spec = resolve(load_template("classic")).spec
    generate(spec, tmp_path / "a" / "book.xlsx")
    first = convert(tmp_path / "a" / "book.xlsx", tmp_path / "b")
    book = read_book(first)
    w1 = book.name_ref("w_1")
    old = book.cells[w1].value
    # Rewrite the given in the XML, keeping LibreOffice's cached formula values.
    edited = tmp_path / "c" / "book.xlsx"
    edited.parent.mkdir()
    with zipfile.ZipFile(first) as src, zipfile.ZipFile(edited, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                cell = f'r="C{w1.row}"'.encode()
                start = data.index(cell)
                v0 = data.index(b"<v>", start) + 3
                v1 = data.index(b"</v>", v0)
                data = data[:v0] + repr(old + 0.25).encode() + data[v1:]
            dst.writestr(item, data)
    assert not check_file(edited).ok  # stale cached values are reported
    again = convert(edited, tmp_path / "d")
    assert check_file(again).ok
