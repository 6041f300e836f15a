"""Every bad input of every command, in one table.

Each row: the command line, the files it finds (made in a fresh folder), and a fragment of the
one line it must print.  For every row: exit code 2, exactly one line on stderr starting with
``Error:``, no traceback and no "unexpected" error, nothing on stdout, and every file in the
folder byte-for-byte as it was: nothing left behind, nothing overwritten.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

from worksheet.classroom.grade_report import CSV_HEADER
from worksheet.classroom.handout import write_handout
from worksheet.classroom.marking import mark_file
from worksheet.classroom.roster import MANIFEST_HEADER
from worksheet.cli.main import cli
from worksheet.export import pdf
from worksheet.model.template import load_template, resolve
from worksheet.render.generate import generate

TEMPLATE = "layers = [2, 1, 1]\n[[examples]]\ninputs = [0.5, 0.3]\ntargets = [1.0]\n"
UNWRITABLE = "/proc/worksheet-test"
MANIFEST = ",".join(MANIFEST_HEADER) + "\n"
# Two examples, the second far out: some students' drawn weights overflow EXP on step 2.
WIDE_EXAMPLE = (
    "[[examples]]\ninputs = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]\ntargets = [1, 0, 0, 1]\n"
)
HARD_EXAMPLES = (
    "[[examples]]\ninputs = [0.5]\ntargets = [1.0]\n"
    "[[examples]]\ninputs = [1000.0]\ntargets = [1.0]\n"
)  # a folder no one, not even root, can create files in


@dataclass(frozen=True)
class Case:
    argv: tuple[str, ...]
    fragment: str
    files: dict[str, str] = field(default_factory=dict)  # name -> what (see ``_make``)
    soffice: bool | None = None  # pretend LibreOffice is (not) installed; None: as it is
    json: bool = False  # the one line is a JSON verdict on stdout

    def __str__(self) -> str:
        return " ".join(self.argv)


def case(*argv: str, fragment: str, **kwargs) -> Case:
    return Case(argv, fragment, **kwargs)


T = {"t.toml": "template"}
BOOK = {"a.xlsx": "workbook"}
STUDENT = {"s-student.xlsx": "student"}
ROSTER = {"r.txt": "text:Ada\nGrace\n"}


def tpl(text: str) -> dict[str, str]:
    return {"t.toml": "text:" + text}


def roster(text: str) -> dict[str, str]:
    return {"r.txt": "text:" + text}


# One row per option of generate: the line names the option and the value typed.
OPTION_ROWS = [
    (("-o", "a.txt"), "--output a.txt: give a file name ending in .xlsx"),
    (("--layers", "2,9,1"), "--layers 2,9,1: hidden layer 1 must have 1 to 8 neurons, got 9"),
    (("--loss", "hinge"), "'--loss': 'hinge' is not one of"),
    (("--lr", "-1"), "--lr -1: the learning rate must be greater than 0"),
    (("--seed", "-1"), "'--seed': -1 is not in the range x>=0"),
    (("--inputs", "1,2,3"), "--inputs 1,2,3: expected 2 numbers (one per input of the 2-1-1"),
    (("--targets", "1,0"), "--targets 1,0: expected 1 number (one per output"),
    (("--activations", "swish,sigmoid"), "--activations swish,sigmoid: unknown activation"),
    (("--no-bias-update=yes",), "'--no-bias-update' does not take a value"),
    (("--steps", "0"), "--steps 0: the number of step sheets must be a whole number from 1 to 10"),
    (("--epochs", "0"), "--epochs 0: the number of epochs must be a whole number from 1 to 20,000"),
    (("--batch=yes",), "'--batch' does not take a value"),
    (
        ("xor", "--epochs", "2", "--batch-size", "5"),
        "--batch-size 5: the batch size must be a whole number from 1 to 4",
    ),  # fmt: skip
    (("--optimizer", "adagrad"), "'--optimizer': 'adagrad' is not one of"),
    (("--optimizer", "adam", "--beta1", "1"), "--beta1 1: β₁, a decay factor, must be in [0, 1)"),
    (("--beta2", "x"), "'--beta2': 'x' is not a valid float"),
    (
        ("--optimizer", "adam", "--eps-opt=-1e-8"),
        "--eps-opt -1e-8: the optimizer's ε must be greater than 0",
    ),  # fmt: skip
    (
        ("xor", "--epochs", "2", "--compare-optimizers", "sgd"),
        "--compare-optimizers sgd: expected 2 to 4 different optimizers",
    ),  # fmt: skip
    (("--lr-sweep", "0.1,0"), "--lr-sweep 0.1,0: each learning rate of the sweep must be"),
    (("--no-gradcheck=yes",), "'--no-gradcheck' does not take a value"),
    (("--round", "11"), "--round 11: the number of decimals must be a whole number from 0 to 10"),
    (
        ("--digits", "0"),
        "--digits 0: the number of significant figures must be a whole number from 1 to 15",
    ),
    (("--student=yes",), "'--student' does not take a value"),
    (("--student", "--blank", "forwards"), "--blank: got 'forwards'"),
    (("--paper", "b5"), "'--paper': 'b5' is not one of"),
    (("--pdf=yes",), "'--pdf' does not take a value"),
    (("--force=yes",), "'--force' does not take a value"),
]

GENERATE = [
    # templates
    case("generate", "no-such-template", fragment="no template named 'no-such-template'"),
    case("generate", "missing.toml", fragment="missing.toml: no such template file"),
    case(
        "generate",
        "tdir.toml",
        fragment="tdir.toml: is a folder, not a template file",
        files={"tdir.toml": "folder"},
    ),
    case("generate", "/dev/zero", fragment="/dev/zero: not a regular file, so not a template file"),
    case(
        "generate",
        "t.toml",
        fragment="t.toml: too large for a template file",
        files={"t.toml": "big"},
    ),
    case(
        "generate", "t.toml", fragment="cannot read the template file", files={"t.toml": "binary"}
    ),
    case("generate", "t.toml", fragment="t.toml: not valid TOML", files=tpl("layers = [2, 1")),
    case(
        "generate",
        "t.toml",
        fragment="unknown key 'learn_rate'",
        files=tpl(TEMPLATE + "learn_rate = 1\n"),
    ),
    case(
        "generate", "t.toml", fragment="finite", files=tpl(TEMPLATE.replace("0.5, 0.3", "nan, 0.3"))
    ),
    case(
        "generate",
        "t.toml",
        fragment="weights: layer 1",
        files=tpl("weights = [[[1.0]], [[1.0]]]\n" + TEMPLATE),
    ),
    case(
        "generate",
        "t.toml",
        fragment="too large",
        files=tpl("learning_rate = 1" + "0" * 400 + "\n" + TEMPLATE),
    ),
    case(
        "generate",
        "t.toml",
        fragment="t.toml: not valid TOML (nested too deeply)",
        files=tpl("layers = " + "[" * 900 + "]" * 900 + "\n"),
    ),
    case(
        "generate",
        "t.toml",
        fragment="epsilon = 1e300: at most 0.1 for a gradient check",
        files=tpl("epsilon = 1e300\n" + TEMPLATE),
    ),
    case(
        "generate",
        "t.toml",
        fragment="examples: at most 256, got 257",
        files=tpl("layers = [2, 1]\n" + TEMPLATE.split("\n", 1)[1] * 257),
    ),
    case(
        "generate",
        "t.toml",
        "--epochs",
        "1",
        "--batch",
        fragment="needs 18,306 columns, more than a spreadsheet's 16,384",
        files=tpl("layers = [8, 8, 8, 8, 4]\n" + WIDE_EXAMPLE * 200),
    ),
    # options
    case("generate", "--layers", "2,x,1", fragment="--layers"),
    case("generate", "--layers", "2", fragment="layers"),
    case("generate", "--lr", "abc", fragment="--lr"),
    case("generate", "--lr", "0", fragment="--lr 0: the learning rate must be greater than 0"),
    case("generate", "--lr", "nan", fragment="--lr nan: the learning rate must be a finite number"),
    case("generate", "--inputs", "nan,1", fragment="--inputs nan,1: each input must be a finite"),
    case("generate", "--inputs", "1", fragment="--inputs 1: expected 2 numbers"),
    case("generate", "--lr", "1e-320", fragment="--lr 1e-320: below the smallest number"),
    case(
        "generate",
        "--targets",
        "2",
        "--loss",
        "bce",
        fragment="--targets 2: cross-entropy needs targets in [0, 1]",
    ),
    case("generate", "--loss", "hinge", fragment="'hinge' is not one of"),
    case("generate", "--seed", "-1", fragment="--seed"),
    case("generate", "--inputs=-900,-900", fragment="overflows"),
    case("generate", "--steps", "11", fragment="--steps 11: the number of step sheets must be"),
    case("generate", "--activations", "linear,sigmoid", fragment="output layer only"),
    case("generate", "--activations", "swish,sigmoid", fragment="unknown activation"),
    case("generate", "--activations", "sigmoid", fragment="--activations sigmoid: expected 2"),
    case("generate", "--loss", "bce", "--activations", "sigmoid,tanh", fragment="sigmoid output"),
    case("generate", "--lr-sweep", "0.1,0.5", fragment="needs epochs"),
    case("generate", "--epochs", "-1", fragment="--epochs -1: the number of epochs must be"),
    case("generate", "xor", "--epochs", "20000", "--batch", fragment="use fewer epochs"),
    case("generate", "--gradcheck", fragment="No such option '--gradcheck'"),
    case("generate", "--blank", "forward", fragment="--blank needs --student"),
    case("generate", "--student", "--blank", "forwards", fragment="--blank: got 'forwards'"),
    case("generate", "--paper", "b5", fragment="'b5' is not one of"),
    case("generate", "one", "two", fragment="unexpected extra argument (two)"),
    # every option of generate, named with the value typed (test_every_option_has_its_row)
    *[case("generate", *argv, fragment=fragment) for argv, fragment in OPTION_ROWS],
    # outputs
    case("generate", "-o", "a.xlsx", fragment="a.xlsx: already exists", files=BOOK),
    case(
        "generate",
        "--student",
        "-o",
        "s.xlsx",
        fragment="s-student.xlsx: already exists",
        files=STUDENT,
    ),
    case("generate", "-o", "out", fragment="out: is a folder", files={"out": "folder"}),
    case("generate", "-o", "new/", fragment="new/: is a folder"),
    case(
        "generate",
        "-o",
        "gone.xlsx",
        fragment="gone.xlsx: already exists",
        files={"gone.xlsx": "link:nowhere.xlsx"},
    ),
    case(
        "generate",
        "-o",
        "fifo.xlsx",
        "--force",
        fragment="fifo.xlsx: not a regular file",
        files={"fifo.xlsx": "fifo"},
    ),
    case(
        "generate",
        "-o",
        "notes/a.xlsx",
        fragment="notes: is a file, not a folder",
        files={"notes": "text:hello"},
    ),
    case("generate", "-o", f"{UNWRITABLE}/a.xlsx", fragment="cannot write here"),
    case(
        "generate",
        "t.xlsx",
        "-o",
        "t.xlsx",
        "--force",
        fragment="is also an input",
        files={"t.xlsx": "template"},
    ),
    case("generate", "--pdf", fragment="LibreOffice is not installed", soffice=False),
    case(
        "generate",
        "--pdf",
        "-o",
        "a.xlsx",
        fragment="a.pdf: already exists",
        files={"a.pdf": "text:%PDF"},
        soffice=True,
    ),
    # mini-batches
    case("generate", "xor", "--batch-size", "0", fragment="--batch-size 0: the batch size must be"),
    case(
        "generate",
        "xor",
        "--batch",
        "--batch-size",
        "2",
        fragment="--batch-size 2: full batch means all 4 examples",
    ),
    case("generate", "xor", "--batch-size", "x", fragment="--batch-size"),
    # optimizers
    case("generate", "--optimizer", "adagrad", fragment="'adagrad' is not one of"),
    case(
        "generate",
        "--optimizer",
        "adam",
        "--beta2",
        "-0.1",
        fragment="--beta2 -0.1: β₂, a decay factor, must be in [0, 1)",
    ),
    case(
        "generate",
        "--optimizer",
        "rmsprop",
        "--round",
        "3",
        fragment="--round 3: the rmsprop sheets are not rounded",
    ),
    # softmax with cross-entropy
    case("generate", "--activations", "sigmoid,softmax", fragment="go together"),
    case("generate", "--loss", "ce", fragment="go together"),
    case(
        "generate",
        *("--activations", "sigmoid,softmax", "--loss", "ce"),
        fragment="softmax needs 2 to 4 outputs, got 1",
    ),
    case(
        "generate",
        *("--layers", "2,2,3", "--activations", "tanh,softmax", "--loss", "ce"),
        *("--targets", "0.5,0.4,0.4"),
        fragment="probabilities summing to 1",
    ),
    # optimizers compared
    case("generate", "xor", "--epochs", "2", "--compare-optimizers", "sgd,foo", fragment="'foo'"),
    case("generate", "--compare-optimizers", "sgd,adam", fragment="needs epochs"),
    case("generate", "xor", "--epochs", "2", "--compare-optimizers", "adam", fragment="2 to 4"),
    case(
        "generate",
        *("xor", "--epochs", "2", "--compare-optimizers", "sgd,adam", "--lr-sweep", "0.1,1"),
        fragment="not with a learning-rate sweep",
    ),
]

CHECK = [
    case("check", "a\vb.xlsx", fragment="Error: a\\x0bb.xlsx: no such file"),
    case("check", "no\nsuch.xlsx", fragment="Error: no\\nsuch.xlsx: no such file"),
    case(
        "check", "fifo.xlsx", fragment="fifo.xlsx: not a regular file", files={"fifo.xlsx": "fifo"}
    ),
    case("check", "/dev/zero", fragment="/dev/zero: not a regular file, so not a workbook"),
    case("check", "missing.xlsx", fragment="missing.xlsx: no such file"),
    case("check", "out", fragment="out: is a folder, not a workbook", files={"out": "folder"}),
    case(
        "check",
        "e.xlsx",
        fragment="e.xlsx: not an .xlsx workbook (not a zip file)",
        files={"e.xlsx": "text:"},
    ),
    case("check", "n.xlsx", fragment="not an .xlsx workbook", files={"n.xlsx": "text:hello"}),
    case("check", "t.toml", fragment="not an .xlsx workbook", files=T),
    case("check", "s-student.xlsx", fragment="a student's copy", files=STUDENT),
    case(
        "check",
        "--json",
        "missing.xlsx",
        fragment='"error": "missing.xlsx: no such file"',
        json=True,
    ),
    case("check", fragment="Missing argument 'FILE'"),
    case("check", "a.xlsx", "--verbose", fragment="No such option '--verbose'", files=BOOK),
]

TEMPLATES = [
    case("templates", "classic", fragment="unexpected extra argument (classic)"),
    case("templates", "--all", fragment="No such option '--all'"),
]


# fmt: off
def graded(*argv: str, fragment: str, files: dict[str, str] | None = None) -> Case:
    """``grade s-student.xlsx ARGV`` beside a fresh student copy."""
    files = {**STUDENT, **(files or {})}
    return case("grade", "s-student.xlsx", *argv, fragment=fragment, files=files)


GRADE = [
    case("grade", "/dev/null", fragment="/dev/null: not a regular file, so not a workbook"),
    case("grade", "missing.xlsx", fragment="missing.xlsx: no such file"),
    case("grade", "out", fragment="out: is a folder, not a workbook", files={"out": "folder"}),
    case("grade", "n.xlsx", fragment="not a", files={"n.xlsx": "text:hello"}),
    case("grade", "a.xlsx", fragment="not a student workbook", files=BOOK),
    case("grade", "s-key.xlsx", fragment="is an answer key", files={"s-key.xlsx": "key"}),
    case("grade", "s-student-marked.xlsx", fragment="is a marked copy",
         files={"s-student-marked.xlsx": "marked"}),
    graded(fragment="s-student-marked.xlsx: already exists",
           files={"s-student-marked.xlsx": "text:keep"}),
    graded("--tolerance", "0", fragment="--tolerance"),
    graded("--tolerance", "nan", fragment="--tolerance: nan is not a number"),
    graded("--csv", "marks", fragment="marks: is a folder", files={"marks": "folder"}),
    graded("--csv", "new/", fragment="new/: is a folder"),
    graded("--csv", "s-student.xlsx", fragment="s-student.xlsx: is also an input"),
    graded("--csv", "s-student-marked.xlsx", "--force", fragment="is also an input"),
    graded("--csv", "fifo.csv", fragment="fifo.csv: not a regular file",
           files={"fifo.csv": "fifo"}),
    graded("--csv", "m.csv", fragment="not a grade list's",
           files={"m.csv": "text:id,score\n1,2\n"}),
    graded("--csv", f"{UNWRITABLE}/m.csv", fragment="cannot write here"),
    graded("--csv", "m.csv", fragment="m.csv: already has a line for 's' (use --force",
           files={"m.csv": "text:" + ",".join(CSV_HEADER) + "\ns" + "," * len(CSV_HEADER[1:])}),
    # the teacher's record
    graded("--key", "missing.xlsx", fragment="--key missing.xlsx: no such file"),
    graded("--key", "k", fragment="--key k: is a folder", files={"k": "folder"}),
    graded("--key", "k.xlsx", fragment="--key k.xlsx: is a student's copy, not an answer key",
           files={"k.xlsx": "student"}),
    graded("--key", "a.xlsx", fragment="--key a.xlsx: is not made by worksheet generate",
           files=BOOK),
    graded("--key", "s-student-marked.xlsx", fragment="is a marked copy, not an answer key",
           files={"s-student-marked.xlsx": "marked"}),
    graded("--key", "n.xlsx", fragment="--key n.xlsx: not an .xlsx workbook",
           files={"n.xlsx": "text:hello"}),
    graded("--key", "s-key.xlsx", "--class", "m.csv", fragment="give --key or --class, not both",
           files={"s-key.xlsx": "key", "m.csv": "text:" + MANIFEST}),
    graded("--class", "missing.csv", fragment="missing.csv: no such class manifest"),
    graded("--class", "m.csv", fragment="--class m.csv: not a manifest written by worksheet batch",
           files={"m.csv": "text:name,seed\nAda,1\n"}),
    graded("--class", "m.csv", fragment="no row for a student nor for the file name 's-student",
           files={"m.csv": "text:" + MANIFEST + "Zed,1,z.xlsx,zk.xlsx,forward,ab\n"}),
    graded("--class", "m.csv", fragment="line 2 has 2 columns",
           files={"m.csv": "text:" + MANIFEST + "Zed,1\n"}),
    graded("--class", "m.csv", fragment="key_file '../s-key.xlsx' of 's' is not a file name",
           files={"m.csv": "text:" + MANIFEST + "s,,s-student.xlsx,../s-key.xlsx,x,y\n"}),
    graded("--class", "m.csv", fragment="--class gone-key.xlsx: no such file",
           files={"m.csv": "text:" + MANIFEST + "s,,s-student.xlsx,gone-key.xlsx,x,y\n"}),
    graded("--class", "m.csv", fragment="s-key.xlsx is not 'Zed''s key",
           files={"s-key.xlsx": "key",
                  "m.csv": "text:" + MANIFEST + "Zed,1,s-student.xlsx,s-key.xlsx,x,y\n"}),
]
# fmt: on

BATCH = [
    case(
        "batch",
        "r.txt",
        "hard.toml",
        "-o",
        "c",
        fragment="S10 (seed 4216612229): z_1 = -879.858: EXP(-z_1) overflows",
        files={
            "r.txt": "text:" + "\n".join(f"S{k}" for k in range(1, 21)),
            "hard.toml": "text:layers = [1, 1]\nsteps = 2\n" + HARD_EXAMPLES,
        },
    ),
    case(
        "batch",
        "r.txt",
        "c/ada-key.xlsx",
        "-o",
        "c",
        "--force",
        fragment="c/ada-key.xlsx: is also an input",
        files={**ROSTER, "c/ada-key.xlsx": "template"},
    ),
    case("batch", "missing.txt", fragment="missing.txt: no such roster file"),
    case("batch", "out", fragment="out: is a folder, not a roster file", files={"out": "folder"}),
    case("batch", "r.txt", fragment="the roster is empty", files=roster("\n\n")),
    case("batch", "r.txt", fragment="duplicate name 'Ada'", files=roster("Ada\nAda\n")),
    case("batch", "r.txt", fragment="no letters or digits", files=roster("Ada\n!!!\n")),
    case(
        "batch",
        "r.txt",
        fragment="'Gr\\x00ace' holds a control character",
        files=roster("Ada\nGr\x00ace\n"),
    ),
    case("batch", "r.txt", fragment="no names", files=roster("name\n")),
    case("batch", "r.bin", fragment="cannot read the roster file", files={"r.bin": "binary"}),
    case(
        "batch",
        "r.txt",
        fragment="1,001 names; a batch makes at most 1,000",
        files=roster("\n".join(f"Student {k}" for k in range(1001))),
    ),
    case(
        "batch",
        "r.txt",
        fragment="cannot read the roster (field larger than field limit",
        files=roster("name\n" + "x" * 200_000 + "\n"),
    ),
    case("batch", "/dev/zero", fragment="not a regular file, so not a roster file"),
    case("batch", "r.txt", "no-such-template", fragment="no template named", files=ROSTER),
    case("batch", "r.txt", "--seed", "-1", fragment="--seed", files=ROSTER),
    case("batch", "r.txt", "--blank", "all", fragment="--blank: got 'all'", files=ROSTER),
    case("batch", "r.txt", "-o", "c", fragment="c: is a file", files={**ROSTER, "c": "text:x"}),
    case(
        "batch",
        "r.txt",
        "-o",
        "c",
        fragment="c/ada-student.xlsx: already exists",
        files={**ROSTER, "c/ada-student.xlsx": "text:keep"},
    ),
    case(
        "batch",
        "c/manifest.csv",
        "-o",
        "c",
        "--force",
        fragment="is also an input",
        files={"c/manifest.csv": "text:name\nAda\n"},
    ),
    case("batch", "r.txt", "-o", UNWRITABLE, fragment="cannot write here", files=ROSTER),
    case(
        "batch",
        "r.txt",
        "--pdf",
        fragment="LibreOffice is not installed",
        files=ROSTER,
        soffice=False,
    ),
]


# fmt: off
def printed(*argv: str, fragment: str, files: dict[str, str] | None = None) -> Case:
    """``pdf a.xlsx ARGV`` beside a generated workbook, LibreOffice taken as installed."""
    files = {**BOOK, **(files or {})}
    return case("pdf", "a.xlsx", *argv, fragment=fragment, files=files, soffice=True)


PDF = [
    case("pdf", "fifo.xlsx", fragment="fifo.xlsx: not a regular file", files={"fifo.xlsx": "fifo"}),
    case("pdf", "missing.xlsx", fragment="missing.xlsx: no such file"),
    case("pdf", "out", fragment="out: is a folder, not a workbook", files={"out": "folder"}),
    case("pdf", "notes.txt", fragment="notes.txt: not a spreadsheet",
         files={"notes.txt": "text:hi"}),
    case("pdf", "n.xlsx", fragment="n.xlsx: not a workbook", files={"n.xlsx": "text:hi"}),
    case("pdf", "a.xlsx", fragment="LibreOffice is not installed", files=BOOK, soffice=False),
    printed("-o", "x.pdf/", fragment="x.pdf/: is a folder"),
    printed(fragment="a.pdf: already exists", files={"a.pdf": "text:%PDF"}),
    printed(fragment="a.pdf: is a folder", files={"a.pdf": "folder"}),
    printed("-o", "a.xlsx", "--force", fragment="give a file name ending in .pdf"),
    printed("-o", f"{UNWRITABLE}/a.pdf", fragment="cannot write here"),
]
# fmt: on

CASES = GENERATE + CHECK + TEMPLATES + GRADE + BATCH + PDF


@pytest.fixture(scope="module")
def sources(tmp_path_factory) -> dict[str, Path]:
    """One of each workbook the table needs, made once."""
    folder = tmp_path_factory.mktemp("sources")
    spec = resolve(load_template(None)).spec
    generate(spec, folder / "a.xlsx")
    written = write_handout(spec, folder / "s.xlsx")
    mark_file(written.student)
    return {
        "workbook": folder / "a.xlsx",
        "student": written.student,
        "key": written.key,
        "marked": folder / "s-student-marked.xlsx",
    }


def _make(path: Path, what: str, sources: dict[str, Path]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if what == "folder":
        path.mkdir()
    elif what == "fifo":
        os.mkfifo(path)
    elif what.startswith("link:"):
        path.symlink_to(what[5:])
    elif what.startswith("text:"):
        path.write_text(what[5:], encoding="utf-8")
    elif what == "template":
        path.write_text(TEMPLATE, encoding="utf-8")
    elif what == "binary":
        path.write_bytes(b"\xff\xfe\x00\x80" * 64)
    elif what == "big":
        path.write_text(TEMPLATE + "#" * 1_100_000 + "\n", encoding="utf-8")
    else:
        shutil.copyfile(sources[what], path)


def snapshot(folder: Path) -> dict[str, str]:
    def state(p: Path) -> str:
        if p.is_symlink() or not p.is_file():
            return "link" if p.is_symlink() else "folder" if p.is_dir() else "special"
        return hashlib.sha256(p.read_bytes()).hexdigest()

    return {str(p.relative_to(folder)): state(p) for p in sorted(folder.rglob("*"))}


# (8-8-8-8-4 over 3 steps was refused here as "too many characters of distinct formulas";
# check now parses each formula shape once, and no step-sheet request within the model's
# limits is too large to check: tests/render/test_capacity.py holds the refusal itself.)
@pytest.mark.parametrize("bad", CASES, ids=str)
def test_bad_input(bad: Case, sources, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name, what in bad.files.items():
        _make(tmp_path / name, what, sources)
    if bad.soffice is not None:
        monkeypatch.setattr(
            pdf, "find_soffice", lambda: "/usr/bin/soffice" if bad.soffice else None
        )
    before = snapshot(tmp_path)

    result = CliRunner().invoke(cli, list(bad.argv))

    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert isinstance(result.exception, SystemExit), result.exception
    line, other = (result.stdout, result.stderr) if bad.json else (result.stderr, result.stdout)
    assert other == ""
    assert line.count("\n") == 1, line
    assert bad.fragment in line
    if bad.json:
        assert json.loads(line)["ok"] is False
    else:
        assert line.startswith("Error: ") and not line.startswith("Error: unexpected")
    assert snapshot(tmp_path) == before


def test_every_option_of_generate_has_its_row():
    """Each option's row names it and the value typed (a flag takes none: its row says so)."""
    params = {o.opts[-1]: o for o in cli.commands["generate"].params if o.opts[0].startswith("-")}
    named = set()
    for argv, fragment in OPTION_ROWS:
        at = max(i for i, part in enumerate(argv) if part.startswith("--") or part == "-o")
        typed, _, value = argv[at].partition("=")
        option = next(name for name, p in params.items() if typed in p.opts)
        value = value or (argv[at + 1] if at + 1 < len(argv) else "")
        assert option in fragment, argv
        assert params[option].is_flag or value in fragment, argv
        named.add(option)
    assert named == set(params) - {"--help"}


def test_every_command_is_in_the_table():
    assert {c.argv[0] for c in CASES} == set(cli.commands)
