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
- ``exit=N``: the exit code the block's last command must give (default 0; every other command
  must exit 0), so that a crash is reported instead of written into the page;
- ``not-run="REASON"``: left as written (the whole test suite, a benchmark); the reason is
  required and said in the page's source.

A command ``pip install ... && REST`` runs only REST, against the package installed here, and
shows pip's own output as one ``...`` line: it depends on what the machine already holds.
Absolute paths of the temporary folder are written as ``<tmp>``; ``tests/test_docs.py``
compares shown and actual output with timings, version numbers and keyed digests masked
(``mask``); a page is rewritten only where the masked output changed.
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


def _run(command: str, folder: Path) -> tuple[str, int]:
    """What ``command`` prints (stdout and stderr as they come), and its exit code."""
    done = subprocess.run(
        ["bash", "-c", command],
        cwd=folder,
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=TIMEOUT,
    )
    output = done.stdout.replace(str(folder.resolve()), "<tmp>").replace(str(folder), "<tmp>")
    return output, done.returncode


def _setup(example: Example, folder: Path) -> list[str]:
    command = example.options.get("setup")
    if not command:
        return []
    output, code = _run(command, folder)
    return [f"setup exited {code}: {output.strip()}"] if code else []


@dataclass
class Result:
    """An example as its commands print it now, and what went wrong running them."""

    example: Example
    body: str
    failures: list[str]

    @property
    def drifted(self) -> bool:
        return mask(self.body) != mask(self.example.body)


def render(example: Example, folder: Path) -> Result:
    """The block's body as it should read now: each command followed by what it prints.
    Every command must exit 0, except the last, which must exit with the marker's ``exit``
    (default 0): a crash is reported, never written into a page as its output."""
    failures, lines = _setup(example, folder), []
    commands = example.commands
    for n, command in enumerate(commands, 1):
        lines.append(f"$ {command}")
        pip = PIP.match(command)
        text, code = _run(command[pip.end() :] if pip else command, folder)
        output = text.splitlines()
        expected = int(example.options.get("exit", 0)) if n == len(commands) else 0
        if code != expected:
            last = output[-1] if output else ""
            failures.append(f"`{command}` exited {code}, expected {expected}: {last}")
        tail = int(example.options.get("tail", 0))
        if pip or (tail and len(output) > tail):
            lines.append("...")
        lines.extend(output[-tail:] if tail else output)
    return Result(example, "\n".join(lines) + "\n", failures)


def run_page(page: Path) -> list[Result]:
    """Every run example of ``page``, as its commands print it now."""
    folders: dict[str, tempfile.TemporaryDirectory] = {}
    results = []
    try:
        for example in examples(page):
            if "not-run" in example.options:
                continue
            name = example.options.get("folder") or f"#{example.start}"
            if name not in folders:
                folders[name] = tempfile.TemporaryDirectory(prefix="worksheet-docs-")
            results.append(render(example, Path(folders[name].name)))
    finally:
        for folder in folders.values():
            folder.cleanup()
    return results


MASKS = [
    (re.compile(r"\b[0-9a-f]{32,}\b"), "<digest>"),  # keyed with a fresh secret each run
    (re.compile(r"\b\d+\.\d+\.\d+\b"), "<version>"),
    (re.compile(r"\(\d+:\d\d:\d\d\)"), "(<time>)"),
    (re.compile(r"\b\d+(\.\d+)? ?s\b"), "<time>s"),
]


def mask(text: str) -> str:
    """What may differ between two honest runs: timings, version numbers, and digests
    keyed with a secret drawn for each handout (a manifest's givens fingerprints)."""
    for pattern, replacement in MASKS:
        text = pattern.sub(replacement, text)
    return text


def update(page: Path) -> list[str]:
    """Rewrite ``page`` with fresh outputs, except examples that failed; their failures."""
    text, failures = page.read_text(), []
    for result in sorted(run_page(page), key=lambda r: -r.example.start):  # from the end
        example = result.example
        failures += [f"{page.name}:{example.line}: {f}" for f in result.failures]
        if result.drifted and not result.failures:
            text = text[: example.start] + result.body + text[example.end :]
    page.write_text(text)
    return failures


def main(argv: list[str]) -> int:
    problems = []
    for page in PAGES:
        if "--check" in argv:
            for result in run_page(page):
                where = f"{page.relative_to(ROOT)}:{result.example.line}"
                problems += [f"{where}: {f}" for f in result.failures]
                problems += [f"{where}: output differs"] if result.drifted else []
        else:
            problems += update(page)
    done = "every example is up to date" if "--check" in argv else "pages rewritten"
    print("\n".join(problems) or done)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
