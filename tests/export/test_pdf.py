"""PDF export through headless LibreOffice: pages rendered, a long Training sheet kept short,
and the ``pdf`` command's exit codes and messages.  Tests that convert are skipped without
``soffice``; the refusals (no LibreOffice, no file, a PDF in the way) run everywhere.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest
from conftest import run

from worksheet.cli import printing as cli_print
from worksheet.cli.printing import check_pdfs_beside, write_pdfs_beside
from worksheet.errors import WorksheetError
from worksheet.export import pdf
from worksheet.export.pdf import export_pdf, pdf_pages
from worksheet.model.template import Overrides, load_template, resolve
from worksheet.render.book import build_workbook
from worksheet.render.network import add_network_sheet
from worksheet.render.page_setup import apply_page_setup
from worksheet.render.training_book import add_training
from worksheet.sheets.layout import plan


def save(path, template="classic", student=None, **overrides):
    spec = resolve(load_template(template), Overrides(**overrides)).spec
    book = build_workbook(plan(spec))
    add_network_sheet(book, spec)
    add_training(book, spec)
    apply_page_setup(book, title=spec.title, student=student)
    book.save(path)
    return path


@pytest.mark.libreoffice
@pytest.mark.parametrize(
    "template, overrides, most",
    [
        ("classic", {}, 3),  # Givens, Step, Network: one page each
        ("classic", {"layers": (2, 2, 2), "steps": 2}, 7),
        # 400 updates: only the first rows of Training print (else 30 pages or more)
        ("xor", {"epochs": 100}, 10),
    ],
)
def test_pdf_renders_a_few_pages(tmp_path, template, overrides, most):
    src = save(tmp_path / "w.xlsx", template, **overrides)
    out = export_pdf(src)
    assert out == tmp_path / "w.pdf"
    assert out.read_bytes().startswith(b"%PDF")
    assert 3 <= pdf_pages(out) <= most


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_pdf_shows_header_footer_and_live_values(tmp_path):
    from worksheet.render.generate import build
    from worksheet.render.page_setup import apply_page_setup as setup

    book, _ = build(resolve(load_template("classic")).spec)  # the real formats, by the policy
    setup(book, title="Classic exercise", student="Ada Lovelace")
    src = tmp_path / "w.xlsx"
    book.save(src)
    printed = export_pdf(src, tmp_path / "out" / "w.pdf")
    text = subprocess.run(["pdftotext", "-layout", str(printed), "-"], capture_output=True).stdout
    text = text.decode()
    assert "Student: Ada Lovelace" in text and "Classic exercise" in text
    assert "Page 1 of 3" in text and "Page 3 of 3" in text
    assert "the network, live" in text
    assert "0.177597" in text  # the loss, recalculated by LibreOffice, to 6 significant figures


@pytest.mark.libreoffice
def test_pdf_command(tmp_path):
    src = save(tmp_path / "w.xlsx")
    result = run("pdf", src)
    assert result.exit_code == 0, result.output
    assert result.output == f"Wrote {tmp_path / 'w.pdf'}: 3 pages\n"
    again = run("pdf", src)
    assert again.exit_code == 2
    assert (
        again.output == f"Error: {tmp_path / 'w.pdf'}: already exists (use --force to replace it)\n"
    )
    forced = run("pdf", src, "-o", tmp_path / "sub" / "x.pdf", "--force")
    assert forced.exit_code == 0 and (tmp_path / "sub" / "x.pdf").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sub", "w.pdf", "w.xlsx"]  # no temp


@pytest.mark.libreoffice
def test_write_pdfs_beside(tmp_path, capsys):
    src = save(tmp_path / "w.xlsx")
    check_pdfs_beside([src], force=False)
    write_pdfs_beside([src], force=False)
    assert (tmp_path / "w.pdf").is_file()
    assert capsys.readouterr().out == f"Wrote {tmp_path / 'w.pdf'}: 3 pages\n"
    with pytest.raises(WorksheetError, match="already exists"):
        check_pdfs_beside([tmp_path / "other.xlsx", src], force=False)


def test_a_class_of_pdfs_gets_one_line(tmp_path, monkeypatch, capsys):
    made = []
    monkeypatch.setattr(cli_print, "export_pdf", lambda src, out, force: made.append(out))
    books = [tmp_path / f"s{i}.xlsx" for i in range(5)]
    write_pdfs_beside(books, force=True)
    assert made == [tmp_path / f"s{i}.pdf" for i in range(5)]
    assert capsys.readouterr().out == "Wrote 5 PDFs, each beside its workbook\n"


def test_without_libreoffice_one_line_and_exit_2(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf, "find_soffice", lambda: None)
    src = save(tmp_path / "w.xlsx")
    result = run("pdf", src)
    assert result.exit_code == 2
    assert result.output.startswith("Error: LibreOffice is not installed, so no PDF can be made")
    assert result.output.count("\n") == 1
    assert not (tmp_path / "w.pdf").exists()
    with pytest.raises(WorksheetError, match="LibreOffice is not installed"):
        check_pdfs_beside([src], force=True)  # generate --pdf refuses before any work


def test_pdf_command_has_help():
    result = run("pdf", "--help")
    assert result.exit_code == 0 and "--force" in result.output and "-o, --output" in result.output
