"""Class variants: rosters, seeds, file names, reproducible workbooks, the manifest."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest
from conftest import run

from worksheet.classroom.record import read_record
from worksheet.classroom.roster import MANIFEST_HEADER, RosterError, read_roster, slug, student_seed
from worksheet.cli import progress as cli_progress
from worksheet.evaluator import read_book
from worksheet.verify.readback import spec_from_book


@pytest.mark.parametrize(
    "text, names",
    [
        ("Ada Lovelace\nAlan Turing\n", ["Ada Lovelace", "Alan Turing"]),
        ("\n  Ada   Lovelace \n\nGrace\n\n", ["Ada Lovelace", "Grace"]),  # spaces tidied
        ("name\nAda\nGrace\n", ["Ada", "Grace"]),
        ('\ufeffName,email\nAda,a@x\n"Hopper, Grace",g@x\n', ["Ada", "Hopper, Grace"]),
        ("id;name\n1;Ada\n2;Zoë\n", ["Ada", "Zoë"]),  # a semicolon CSV, as some Excels save
        ("email\tName\na@x\tAda\n", ["Ada"]),
    ],
)
def test_read_roster(tmp_path, text, names):
    (tmp_path / "r.csv").write_text(text, encoding="utf-8")
    assert read_roster(tmp_path / "r.csv") == names


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("", "empty"),
        ("\n  \n", "empty"),
        ("student,email\nAda,a@x\n", "no column called 'name'"),
        ("name\n", "no names"),
        ("name,email\nAda,a@x\n,b@x\n", "line 3 has no name"),
        ("Ada\nGrace\nAda\n", "duplicate name 'Ada' twice"),
        ("Anne-Marie\nAnne Marie\n", "same file name"),
        ("Ada\n!!!\n", "no letters or digits"),
    ],
)
def test_bad_rosters(tmp_path, text, fragment):
    (tmp_path / "r.csv").write_text(text, encoding="utf-8")
    with pytest.raises(RosterError, match=fragment):
        read_roster(tmp_path / "r.csv")


@pytest.mark.parametrize(
    "name, expected",
    [
        ("Ada Lovelace", "ada-lovelace"),
        ("Zoë O'Neil", "zoe-o-neil"),
        ("  J.R.R. Tolkien ", "j-r-r-tolkien"),
        ("李雷", "李雷"),
        ("a/../../etc", "a-etc"),  # never a path
    ],
)
def test_slug(name, expected):
    assert slug(name) == expected


def test_student_seed_is_stable_and_differs_by_class_and_name():
    assert student_seed(0, "Ada") == student_seed(0, "Ada")
    seeds = {student_seed(c, n) for c in (0, 1) for n in ("Ada", "Grace")}
    assert len(seeds) == 4 and all(0 <= s < 2**32 for s in seeds)


def _cell_values(path: Path) -> dict:
    """Every value, but the secret and what is made with it (new for every batch)."""
    book = openpyxl.load_workbook(path)
    random = {
        ("Givens", ref.replace("$", ""))
        for name in ("handout_secret", "handout_fingerprint")
        if name in book.defined_names
        for _, ref in book.defined_names[name].destinations
    }
    return {
        (sheet.title, cell.coordinate): cell.value
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None and (sheet.title, cell.coordinate) not in random
    }


def _manifest(path: Path) -> list[dict]:
    """The manifest's rows, but the keyed fingerprints (the secret is new every batch)."""
    with path.open(newline="") as handle:
        return [{**row, "givens_fingerprint": ""} for row in csv.DictReader(handle)]


def test_batch_writes_every_student_and_a_manifest(in_tmp):
    Path("roster.txt").write_text("Ada Lovelace\nGrace Hopper\n")
    result = run("batch", "roster.txt", "--seed", "42", "-o", "class")
    assert result.exit_code == 0, result.output
    folder = in_tmp / "class"
    with (folder / "manifest.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert tuple(rows[0]) == MANIFEST_HEADER
    assert [(r["name"], r["student_file"], r["key_file"]) for r in rows] == [
        ("Ada Lovelace", "ada-lovelace-student.xlsx", "ada-lovelace-key.xlsx"),
        ("Grace Hopper", "grace-hopper-student.xlsx", "grace-hopper-key.xlsx"),
    ]
    specs = []
    for row in rows:
        assert int(row["seed"]) == student_seed(42, row["name"])
        book = read_book(folder / row["student_file"])
        record = read_record(book)
        assert (record.student, record.seed) == (row["name"], row["seed"])
        assert row["name"] in openpyxl.load_workbook(folder / row["key_file"])["Step"]["A1"].value
        assert run("check", str(folder / row["key_file"])).exit_code == 0
        specs.append(spec_from_book(book))
    assert specs[0].weights != specs[1].weights
    assert specs[0].examples[0].inputs != specs[1].examples[0].inputs
    assert all(0 <= v <= 1 and round(v, 2) == v for v in specs[0].examples[0].inputs)
    assert specs[0].examples[0].targets == (1.0,)  # the template's target stays


def test_batch_is_reproducible(in_tmp):
    Path("roster.csv").write_text("name\nAda\nGrace\n")
    for folder in ("a", "b"):
        assert run("batch", "roster.csv", "mazur", "--seed", "7", "-o", folder).exit_code == 0
    for path in sorted(Path("a").iterdir()):
        twin = Path("b") / path.name
        if path.suffix == ".csv":
            assert _manifest(path) == _manifest(twin)
        else:
            assert _cell_values(path) == _cell_values(twin)
    run("batch", "roster.csv", "mazur", "--seed", "8", "-o", "c")
    assert _cell_values("a/ada-key.xlsx") != _cell_values("c/ada-key.xlsx")


def test_batch_refuses_to_overwrite_without_force(in_tmp):
    Path("roster.txt").write_text("Ada\nGrace\n")
    assert run("batch", "roster.txt", "-o", "class").exit_code == 0
    Path("roster.txt").write_text("Ada\nGrace\nAlan\n")
    result = run("batch", "roster.txt", "-o", "class")
    assert result.exit_code == 2 and "already exists" in result.output
    assert not Path("class/alan-student.xlsx").exists()
    assert run("batch", "roster.txt", "-o", "class", "--force").exit_code == 0
    assert Path("class/alan-student.xlsx").exists()


def test_batch_shows_progress_for_a_long_roster_and_grades(in_tmp, monkeypatch):
    monkeypatch.setattr(cli_progress, "on_terminal", lambda: True)
    names = [f"Student {k}" for k in range(10)]
    Path("roster.txt").write_text("\n".join(names))
    result = run("batch", "roster.txt", "-o", "class", "--blank", "update")
    assert result.exit_code == 0, result.output
    assert "Writing" in result.stderr
    graded = run("grade", "class/student-3-student.xlsx", "--csv", "marks.csv")
    assert graded.exit_code == 0 and "Student 3: 0/5" in graded.output
    with open("marks.csv", newline="") as handle:
        line = list(csv.DictReader(handle))[0]
    assert (line["name"], line["seed"]) == ("Student 3", str(student_seed(0, "Student 3")))


@pytest.mark.parametrize("command", ["grade", "batch"])
def test_teacher_commands_have_help_and_are_in_the_teacher_page(command):
    result = run(command, "--help")
    assert result.exit_code == 0 and "Usage" in result.output
    page = (Path(__file__).resolve().parents[2] / "docs" / "teacher.md").read_text()
    assert f"worksheet {command}" in page and "worksheet generate --student" in page
