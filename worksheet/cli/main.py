"""Command-line interface: each command parses, calls the library, prints.

Domain errors (``WorksheetError``) and bad options both end as one line on
stderr and exit code 2; a mismatch found by ``check`` is exit code 1.
"""

from __future__ import annotations

import importlib
import json
import os
import shlex
import signal
import sys
from pathlib import Path
from typing import NoReturn

import click

from worksheet import __version__
from worksheet.cli.common import notes, template_file
from worksheet.cli.printing import (
    check_pdfs_beside,
    paper_option,
    pdf_command,
    pdf_option,
    write_pdfs_beside,
)
from worksheet.cli.progress import progress
from worksheet.errors import WorksheetError
from worksheet.files import temporaries
from worksheet.model.spec import LOSSES, OPTIMIZERS

DEFAULT_OUTPUT = Path("output") / "backprop.xlsx"
PROGRESS_ROWS = 2_000  # a Training sheet this long takes a second or more to write
PROGRESS_BYTES = 1_000_000  # a workbook this large takes a second or more to check


def _interrupt(signum: int, frame) -> None:
    """Remove every temporary file, say so in one line and end at once: raised as an
    exception instead, the interrupt could be swallowed by a library's bare ``except``
    (openpyxl makes it a TypeError) and the run would go on (see ``files.temporaries``)."""
    temporaries.remove_all()
    message = f"Error: {SIGNALS[signum]}; no partly written file was left\n"
    os.write(2, message.encode())
    os._exit(128 + signum)


SIGNALS = {signal.SIGINT: "interrupted", signal.SIGTERM: "terminated"}


class OneLineErrors(click.Group):
    """Every failure is one line and exit code 2 (1 is kept for a failed check); an
    interrupt is one line and exit code 128 + the signal's number (130, 143), as shells
    report it."""

    def main(self, *args, **kwargs):
        kwargs["standalone_mode"] = False
        try:
            previous = {number: signal.signal(number, _interrupt) for number in SIGNALS}
        except ValueError:  # not the main thread: leave the signals as they are
            previous = {}
        try:
            self._one_line(*args, **kwargs)
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)

    # Commands whose modules load openpyxl, imported only when asked for: ``check`` reads
    # and proves a file without the writer's library (a quarter of a second at start-up).
    LAZY = {
        "grade": ("worksheet.cli.teacher", "grade_command"),
        "batch": ("worksheet.cli.teacher", "batch_command"),
    }

    def list_commands(self, ctx):
        return sorted({*super().list_commands(ctx), *self.LAZY})

    def get_command(self, ctx, name):
        if name in self.LAZY and name not in self.commands:
            module, attribute = self.LAZY[name]
            self.add_command(getattr(importlib.import_module(module), attribute), name)
        return super().get_command(ctx, name)

    def _one_line(self, *args, **kwargs):
        try:
            code = super().main(*args, **kwargs)
        except click.exceptions.NoArgsIsHelpError as exc:  # bare `worksheet`: the help
            click.echo(exc.ctx.get_help() if exc.ctx else "")
            sys.exit(0)
        except click.exceptions.Abort:
            _fail("aborted")
        except click.ClickException as exc:  # includes usage errors
            _fail(exc.format_message())
        except WorksheetError as exc:
            _fail(str(exc))
        except Exception as exc:  # the CLI boundary: never a traceback for a user
            if os.environ.get("WORKSHEET_DEBUG"):
                raise
            _fail(f"unexpected {type(exc).__name__}: {exc}")
        sys.exit(code or 0)


def _fail(message: str) -> NoReturn:
    """One line, whatever the message holds: a file name may hold a line break or a terminal
    control character, shown escaped (``\\n``)."""
    one_line = "".join(
        c if c.isprintable() else c.encode("unicode_escape").decode() for c in message
    )
    click.echo(f"Error: {one_line}", err=True)
    sys.exit(2)


@click.group(cls=OneLineErrors)
@click.version_option(__version__, prog_name="worksheet")
def cli() -> None:
    """Backprop worksheet: one training step of a tiny neural network as a live-formula
    workbook, and a check that proves the workbook right."""


@cli.command("generate")
@click.argument("template", required=False)
@click.option(
    "-o",
    "--output",
    type=click.Path(),
    default=str(DEFAULT_OUTPUT),
    show_default=True,
    help="Workbook to write.",
)
@click.option("--layers", help="Layer sizes, input to output, e.g. 2,2,2.")
@click.option("--loss", type=click.Choice(LOSSES), help="Loss function.")
@click.option("--lr", type=float, help="Learning rate η.")
@click.option(
    "--seed", type=click.IntRange(min=0), help="Seed for the weights and biases not given."
)
@click.option("--inputs", help="Inputs of the example, e.g. 0.5,0.3.")
@click.option("--targets", help="Targets of the example, e.g. 1.")
@click.option("--activations", help="Activation per layer of neurons, e.g. tanh,sigmoid.")
@click.option("--no-bias-update", "frozen", is_flag=True, help="Keep the biases fixed.")
@click.option("--steps", type=int, help="Step sheets, each from the previous update (1-10).")
@click.option("--epochs", type=int, help="Passes over the data set on a Training sheet.")
@click.option(
    "--batch", is_flag=True, default=None, help="Full-batch updates on the Training sheet."
)
@click.option("--batch-size", type=int, help="Examples averaged per Training update (1 default).")
@click.option(
    "--optimizer", type=click.Choice(OPTIMIZERS), help="How the gradients move the parameters."
)
@click.option("--beta1", type=float, help="Momentum's β, Adam's β₁ (default 0.9).")
@click.option("--beta2", type=float, help="RMSProp's ρ (0.9), Adam's β₂ (0.999).")
@click.option("--eps-opt", type=float, help="The ε of RMSProp's and Adam's denominator (1e-8).")
@click.option("--compare-optimizers", "compare", help="One run per optimizer, e.g. sgd,adam.")
@click.option("--lr-sweep", help="Train once per learning rate, e.g. 0.1,0.5,1.")
@click.option("--no-gradcheck", "no_gradcheck", is_flag=True, help="Leave out the gradient check.")
@click.option(
    "--round", "round_digits", type=int, help="Round every step quantity to N decimals (ROUND)."
)
@click.option(
    "--digits", type=int, help="Significant figures every computed value shows (default 6)."
)
@click.option(
    "--student", is_flag=True, help="Write NAME-student.xlsx to fill in and NAME-key.xlsx."
)
@click.option(
    "--blank",
    metavar="SECTIONS",
    help="With --student: sections to leave for the student (default: all), e.g. forward,loss.",
)
@paper_option
@pdf_option
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
def generate_command(template, output, force, student, blank, paper, pdf, **options) -> None:
    """Write the workbook for TEMPLATE (a file or a shipped name; default: classic)."""
    # Each command imports what it alone needs, here: start-up is most of a small command's
    # time, and ``check`` must not load openpyxl (tests/verify/test_no_openpyxl.py).
    from worksheet.cli.spec_options import as_option, in_users_words, overrides
    from worksheet.files.outputs import check_output
    from worksheet.model.refusals import FieldError
    from worksheet.model.template import load_template, resolve
    from worksheet.render.generate import generate
    from worksheet.sheets.training import rows_to_write

    if blank is not None and not student:
        raise click.UsageError("--blank needs --student")
    if str(output).endswith(("/", os.sep)) or Path(output).is_dir():
        raise WorksheetError(f"--output {output}: is a folder; give a file name ending in .xlsx")
    output = Path(output)
    if student:  # only a handout needs the classroom's modules
        from worksheet.classroom.handout import handout_notes, handout_paths, write_handout
        from worksheet.classroom.record import parse_sections
        from worksheet.render.page_setup import apply_page_setup
    workbooks = handout_paths(output) if student else (output,)
    sources = template_file(template)
    for workbook in workbooks:  # before the work, not after
        try:
            check_output(workbook, ".xlsx", force, sources)
        except WorksheetError as exc:
            raise WorksheetError(as_option("--output", output, exc)) from None
    if pdf:
        check_pdfs_beside(workbooks, force, sources)
    try:
        resolved = resolve(load_template(template), overrides(options))
    except FieldError as exc:
        raise WorksheetError(in_users_words(exc, options)) from None
    told = resolved.notes + (handout_notes(resolved.spec) if student else [])
    spec = resolved.spec
    if student:

        def finish(book, name):
            apply_page_setup(book, paper=paper, title=spec.title, student=name)

        written = write_handout(spec, output, parse_sections(blank), force, finish=finish)
        notes(told)
        click.echo(
            f"Wrote {written.student} ({written.answers} answer cells) and {written.key}."
            f" Grade a filled-in copy with: worksheet grade {shlex.quote(str(written.student))}"
            f" --key {shlex.quote(str(written.key))}"
        )
        if pdf:
            write_pdfs_beside(workbooks, force)
        return
    rows = rows_to_write(spec)
    if rows < PROGRESS_ROWS:
        count = generate(spec, output, force=force, paper=paper)
    else:
        label = f"Writing {rows:,} rows of training"
        with progress(rows, label) as advance:
            count = generate(spec, output, force=force, progress=advance, paper=paper)
    notes(told)
    click.echo(
        f"Wrote {output}: {'-'.join(map(str, spec.layers))} network, {spec.loss} loss, "
        f"{count} formulas. Check it with: worksheet check {shlex.quote(str(output))}"
    )
    _warn_if_ambiguous(spec, output, count)
    if pdf:
        write_pdfs_beside(workbooks, force)


def _warn_if_ambiguous(spec, output: Path, count: int) -> None:
    """Where spreadsheets could compute the book two ways (a ReLU's slope at a z that is 0
    on paper, a rounding tie), check the small book at once and say so: ``check`` would
    refuse it, and the teacher should change a given before handing it out."""
    if "relu" not in spec.activations and spec.round_digits is None:
        return  # (before the import: start-up is most of a small generate's time)
    from worksheet.verify.arithmetic import SELF_CHECK_FORMULAS, ambiguity

    if count <= SELF_CHECK_FORMULAS:
        problem = ambiguity(output)
        if problem:
            click.echo(f"note: check will refuse this workbook: {problem}", err=True)


@cli.command("check")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the verdict as JSON.")
def check_command(file: Path, as_json: bool) -> None:
    """Evaluate every formula in FILE and compare it with the numpy reference.

    Exit 0 when all agree, 1 on a mismatch, 2 when FILE cannot be read."""
    from worksheet.files.reading import check_workbook_file
    from worksheet.verify.report import report_json, report_text

    try:
        check_workbook_file(file)
        report = _check_with_progress(file)
    except WorksheetError as exc:
        if as_json:  # a program asked: answer in JSON, still with exit code 2
            click.echo(json.dumps({"file": str(file), "ok": False, "error": str(exc)}))
            sys.exit(2)
        raise
    click.echo(report_json(file, report) if as_json else report_text(file, report))
    if not report.ok:
        sys.exit(1)


def _check_with_progress(file: Path):
    from worksheet.verify.check import STAGES, check_file

    if file.stat().st_size < PROGRESS_BYTES:
        return check_file(file)
    with progress(len(STAGES), "Checking") as advance:
        return check_file(file, progress=lambda stage: advance(1, stage))


@cli.command("templates")
def templates_command() -> None:
    """List the shipped templates with their descriptions."""
    from worksheet.model.template import shipped_templates

    for name, data in shipped_templates().items():
        layers = "-".join(map(str, data.get("layers", [])))
        click.echo(f"{name:<12} {layers:<8} {data.get('description', '')}")


cli.add_command(pdf_command)


def main() -> None:
    cli()
