"""The repository stays light and the package explains the pipeline (issue: a clean repository)."""

from __future__ import annotations

import ast
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TOP_FILES = {"README.md", "CHANGELOG.md", "pyproject.toml", "LICENSE", ".gitignore"}
STAGES = {
    "model",
    "reference",
    "sheets",
    "render",
    "evaluator",
    "verify",
    "classroom",
    "export",
    "files",
    "cli",
}
MAX_LINES = 300
MAX_BYTES = 1024 * 1024


def tracked() -> list[str]:
    try:
        out = subprocess.run(
            ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    return out.splitlines()


def test_no_tracked_file_is_over_a_megabyte():
    big = [p for p in tracked() if (ROOT / p).is_file() and (ROOT / p).stat().st_size > MAX_BYTES]
    assert big == []


def test_no_unexpected_file_at_the_top_level():
    stray = {p for p in tracked() if "/" not in p} - TOP_FILES
    assert stray == set()


def test_the_package_folder_lists_the_pipeline_stages():
    package = ROOT / "worksheet"
    files = {p.name for p in package.iterdir() if p.is_file() and p.suffix == ".py"}
    folders = {p.name for p in package.iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert files == {"__init__.py", "__main__.py", "errors.py"}
    assert folders == STAGES


def test_no_module_is_over_300_lines():
    long = {
        str(p.relative_to(ROOT)): n
        for p in (ROOT / "worksheet").rglob("*.py")
        if (n := len(p.read_text().splitlines())) > MAX_LINES
    }
    assert long == {}


# The evaluator reads formula text with openpyxl's tokenizer: reading, never writing a book.
READING = "openpyxl.formula"


def openpyxl_imports(path: Path) -> bool:
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            modules = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            modules = [node.module or ""]
        else:
            continue
        if any(m.startswith("openpyxl") and not m.startswith(READING) for m in modules):
            return True
    return False


def test_only_the_render_stage_uses_openpyxl():
    users = {
        str(p.relative_to(ROOT / "worksheet"))
        for p in (ROOT / "worksheet").rglob("*.py")
        if openpyxl_imports(p)
    }
    assert {u for u in users if not u.startswith("render/")} == set()
