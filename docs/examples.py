"""Run every console example of the README and docs/ and write its real output back.

    python docs/examples.py            rewrite every example's output in place
    python docs/examples.py --check    change nothing; list the examples whose output drifted

An example is a fenced ``console`` block right after a marker comment:

    <!-- example -->
    ```console
    $ worksheet generate
    Wrote output/backprop.xlsx: ...
    ```

Each ``$ `` line is a command, run with bash in a fresh temporary folder; the lines after it
are its output (stdout and stderr, in the order printed).  The marker takes options:

- ``folder=NAME``: blocks of one file with the same NAME share a folder, run in page order
  (a handout made in one block is graded in the next);
- ``setup="COMMAND"``: run before the block, not shown (``$DOCS`` is this folder), for files
  no command makes, such as a student's filled-in copy (``docs/example_files.py``);
- ``tail=N``: show only the last N lines of each command's output, after a ``...`` line;
- ``not-run="REASON"``: left as written (the whole test suite, a benchmark); the reason is
  required and said in the page's source.

A command ``pip install ... && REST`` runs only REST, against the package installed here, and
shows pip's own output as one ``...`` line: it depends on what the machine already holds.
Absolute paths of the temporary folder are written as ``<tmp>``; ``tests/test_docs.py``
compares shown and actual output with timings and version numbers masked (``mask``).
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
PAGES = [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]
BLOCK = re.compile(r"^<!-- example(?::(?P<options>[^\n]*?))? -->\n```console\n(?P<body>.*?)^```$",
                   re.S | re.M)  # fmt: skip
PIP = re.compile(r"^pip install \S+ && ")
TIMEOUT = 300  # seconds for one command: a hung command fails the run, not the machine


@dataclass
class Example:
    """One marked block of one page: where its body starts and ends, its options, its text."""

    page: Path
    start: int
    end: int
    options: dict = field(default_factory=dict)
    body: str = ""

    @property
    def line(self) -> int:
        return self.page.read_text().count("\n", 0, self.start) + 1

    @property
    def commands(self) -> list[str]:
        return [line[2:] for line in self.body.splitlines() if line.startswith("$ ")]


def examples(page: Path) -> list[Example]:
    text = page.read_text()
    found = []
    for match in BLOCK.finditer(text):
        options = dict(
            item.split("=", 1) if "=" in item else (item, "")
            for item in shlex.split(match["options"] or "")
        )
        found.append(Example(page, match.start("body"), match.end("body"), options, match["body"]))
    return found


def unmarked_console_blocks(page: Path) -> list[int]:
    """Line numbers of ``console`` blocks without a marker: each must be run or say why not."""
    lines = page.read_text().splitlines()
    return [
        n + 1
        for n, line in enumerate(lines)
        if line.rstrip() == "```console" and not (n and lines[n - 1].startswith("<!-- example"))
    ]


def _env() -> dict[str, str]:
    """The user's environment, with output printed in order and at a fixed width."""
    fixed = {"DOCS": str(DOCS), "COLUMNS": "100", "NO_COLOR": "1", "PYTHONUNBUFFERED": "1"}
    return {**os.environ, **fixed}


def _run(command: str, folder: Path) -> str:
    done = subprocess.run(
        ["bash", "-c", command],
        cwd=folder,
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=TIMEOUT,
    )
    return done.stdout.replace(str(folder.resolve()), "<tmp>").replace(str(folder), "<tmp>")


def _setup(example: Example, folder: Path) -> None:
    command = example.options.get("setup")
    if not command:
        return
    done = subprocess.run(["bash", "-c", command], cwd=folder, env=_env(), capture_output=True)
    if done.returncode:
        raise RuntimeError(f"{example.page.name}:{example.line}: setup failed: {done.stderr}")


def render(example: Example, folder: Path) -> str:
    """The block's body as it should read now: each command followed by what it prints."""
    _setup(example, folder)
    lines = []
    for command in example.commands:
        lines.append(f"$ {command}")
        pip = PIP.match(command)
        output = _run(command[pip.end() :] if pip else command, folder).splitlines()
        tail = int(example.options.get("tail", 0))
        if pip or (tail and len(output) > tail):
            lines.append("...")
        lines.extend(output[-tail:] if tail else output)
    return "\n".join(lines) + "\n"


def run_page(page: Path) -> dict[int, tuple[Example, str]]:
    """Every run example of ``page`` -> (example, its body as the commands print it now)."""
    folders: dict[str, tempfile.TemporaryDirectory] = {}
    done = {}
    try:
        for example in examples(page):
            if "not-run" in example.options:
                continue
            name = example.options.get("folder") or f"#{example.start}"
            if name not in folders:
                folders[name] = tempfile.TemporaryDirectory(prefix="worksheet-docs-")
            done[example.start] = (example, render(example, Path(folders[name].name)))
    finally:
        for folder in folders.values():
            folder.cleanup()
    return done


MASKS = [
    (re.compile(r"\b\d+\.\d+\.\d+\b"), "<version>"),
    (re.compile(r"\(\d+:\d\d:\d\d\)"), "(<time>)"),
    (re.compile(r"\b\d+(\.\d+)? ?s\b"), "<time>s"),
]


def mask(text: str) -> str:
    """What may differ between two honest runs: timings and version numbers."""
    for pattern, replacement in MASKS:
        text = pattern.sub(replacement, text)
    return text


def update(page: Path) -> int:
    """Rewrite ``page`` with fresh outputs; how many examples changed."""
    fresh = run_page(page)
    text, changed = page.read_text(), 0
    for start in sorted(fresh, reverse=True):  # from the end, so earlier offsets stay valid
        example, body = fresh[start]
        if mask(body) != mask(example.body):
            text, changed = text[: example.start] + body + text[example.end :], changed + 1
    page.write_text(text)
    return changed


def main(argv: list[str]) -> int:
    drifted = 0
    for page in PAGES:
        if "--check" in argv:
            for example, body in run_page(page).values():
                if mask(body) != mask(example.body):
                    print(f"{page.relative_to(ROOT)}:{example.line}: output differs")
                    drifted += 1
        else:
            print(f"{page.relative_to(ROOT)}: {update(page)} examples rewritten")
    return 1 if drifted else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
