"""How a verdict is told: the JSON a program reads says how far off a wrong file is."""

from __future__ import annotations

import json

import openpyxl
import pytest

from worksheet.model.template import load_template, resolve
from worksheet.render.generate import generate
from worksheet.verify.check import check_file
from worksheet.verify.report import report_json


def test_json_reports_the_largest_difference_among_the_mismatches(tmp_path):
    path = tmp_path / "c.xlsx"
    generate(resolve(load_template("classic")).spec, path)
    book = openpyxl.load_workbook(path)
    sheet, ref = next(book.defined_names["z_1"].destinations)
    book[sheet][ref.replace("$", "")] = "=w_1*x_1+w_2*x_2+b_1+0.25"  # z_1 off by 0.25
    book.save(path)
    verdict = json.loads(report_json(path, check_file(path)))
    assert not verdict["ok"]
    z_1 = next(m for m in verdict["mismatches"] if m["name"] == "z_1")
    assert abs(z_1["got"] - z_1["expected"]) == pytest.approx(0.25)
    assert verdict["largest_difference"] >= abs(z_1["got"] - z_1["expected"])
