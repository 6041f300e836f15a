"""Make the pictures of printed pages the documentation shows, from the current code:

    python docs/pictures.py            # writes docs/pictures/*.png (needs LibreOffice, poppler)

Each workbook is generated, printed to PDF through ``worksheet pdf`` and the page of one sheet
turned into a small PNG: what a reader sees on paper, at a resolution that keeps the
repository light.  The marked copy is of a handout filled in the way a student might: most
answers right to four figures, one wrong, one typed with a decimal comma, one left blank.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "pictures"
DPI = "45"

# A handout filled in by ``fill`` (below) as a student might, then graded against its key.
MARKED = [
    ["generate", "classic", "--student", "-o", "h.xlsx"],
    "fill",
    ["grade", "ada.xlsx", "--key", "h-key.xlsx"],
]

# picture name -> (commands run in a fresh folder, the workbook to print, words on the page to
# show: the title of its sheet)
PICTURES = {
    "step": ([["generate", "mazur", "-o", "m.xlsx"]], "m.xlsx", "one training step"),
    "network": ([["generate", "mazur", "-o", "m.xlsx"]], "m.xlsx", "the network, live"),
    "summary": ([["generate", "xor", "-o", "x.xlsx"]], "x.xlsx", "training summary"),
    "compare": (
        [
            [
                "generate",
                "xor",
                "--epochs",
                "300",
                "--compare-optimizers",
                "sgd,momentum,adam",
                "-o",
                "c.xlsx",
            ]
        ],
        "c.xlsx",
        "optimizers compared",
    ),  # fmt: skip
    "handout": (
        [["generate", "classic", "--student", "-o", "h.xlsx"]],
        "h-student.xlsx",
        "one training step",
    ),
    "marked": (MARKED, "ada-marked.xlsx", "one training step"),
    "marks": (MARKED, "ada-marked.xlsx", "Marks"),
}


def fill(folder: Path) -> None:
    """ada.xlsx: h-student.xlsx with the key's answers to four figures, but the third
    answer wrong, the fifth typed with a decimal comma and the last left blank."""
    import openpyxl

    from worksheet.classroom.grade import answer_cells
    from worksheet.classroom.record import read_record
    from worksheet.evaluator import evaluate, read_book
    from worksheet.verify.readback import spec_from_book

    student = read_book(folder / "h-student.xlsx")
    cells = answer_cells(student, spec_from_book(student), read_record(student).sections)
    right = evaluate(read_book(folder / "h-key.xlsx"))
    book = openpyxl.load_workbook(folder / "h-student.xlsx")
    refs = list(cells)
    for k, ref in enumerate(refs[:-1]):
        value = float(f"{right[ref]:.4g}") * (1.25 if k == 2 else 1)
        typed = f"{value}".replace(".", ",") if k == 4 else value
        book[ref.sheet].cell(ref.row, ref.col).value = typed
    book.save(folder / "ada.xlsx")


def run(folder: Path, command: list[str]) -> None:
    argv = [sys.executable, "-m", "worksheet", *command]
    subprocess.run(argv, cwd=folder, capture_output=True, check=True)


def page_of(pdf: Path, words: str) -> int:
    """The first page that prints ``words``."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True).stdout
    for number, page in enumerate(text.decode().split("\f"), 1):
        if words in " ".join(page.split()):
            return number
    raise SystemExit(f"{pdf}: no page shows {words!r}")


def picture(name: str, commands: list, workbook: str, words: str) -> Path:
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        for command in commands:
            fill(folder) if command == "fill" else run(folder, command)
        pdf = folder / "w.pdf"
        run(folder, ["pdf", workbook, "-o", str(pdf)])
        page = str(page_of(pdf, words))
        target = OUT / name
        subprocess.run(
            ["pdftoppm", "-png", "-r", DPI, "-f", page, "-l", page, "-singlefile", str(pdf),
             str(target)],
            check=True,
        )  # fmt: skip
        return target.with_suffix(".png")


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for name, (commands, workbook, words) in PICTURES.items():
        print(picture(name, commands, workbook, words))


if __name__ == "__main__":
    main()
