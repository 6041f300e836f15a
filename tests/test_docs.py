"""The README and docs/ stay true: every example prints what it shows, every command and
option of the CLI is in docs/usage.md, every link into docs/ resolves.

When an example's output drifts, regenerate the pages with ``python docs/examples.py`` and
read the diff; the generator's docstring says how an example is marked.
"""

from __future__ import annotations

import difflib
import importlib.util
import re
import sys
from pathlib import Path

import click
import pytest

ROOT = Path(__file__).resolve().parents[1]
README, DOCS = ROOT / "README.md", ROOT / "docs"
LINK = re.compile(r"\]\((?!https?://|mailto:)(?P<path>[^)#\s]*)(?:#(?P<anchor>[^)\s]+))?\)")


def _examples_module():
    spec = importlib.util.spec_from_file_location("docs_examples", DOCS / "examples.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


examples = _examples_module()
PAGES = examples.PAGES


def _cli() -> click.Group:
    from worksheet.cli.main import cli

    return cli


def usage_sections() -> dict[str, str]:
    """Command name -> its section of docs/usage.md (from its ``## `worksheet NAME`` heading
    to the next ``## `` heading; its ``###`` subsections included)."""
    parts = re.split(r"^## ", (DOCS / "usage.md").read_text(), flags=re.M)
    found = {}
    for part in parts:
        heading = re.match(r"`worksheet (\w+)", part)
        if heading:
            found[heading[1]] = part
    return found


def mentions(text: str, option: str) -> bool:
    """``--lr`` is mentioned only as itself, not as the start of ``--lr-sweep``."""
    return re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", text) is not None


@pytest.mark.parametrize(
    "text, option, expected",
    [
        ("`--lr-sweep 0.1`", "--lr", False),
        ("`--lr 0.1`", "--lr", True),
        ("`--output`", "-o", False),
        ("`-o`, `--output`", "-o", True),
    ],
)
def test_mentions(text, option, expected):
    assert mentions(text, option) is expected


def test_every_command_has_a_section_in_usage():
    assert set(_cli().commands) - set(usage_sections()) == set()


@pytest.mark.parametrize("name", sorted(_cli().commands))
def test_every_option_and_argument_is_in_its_section(name):
    command, section = _cli().commands[name], usage_sections().get(name, "")
    missing = [
        opt
        for param in command.params
        for opt in (
            param.opts + param.secondary_opts
            if isinstance(param, click.Option)
            else [param.human_readable_name]
        )
        if not mentions(section, opt)
    ]
    assert missing == [], f"docs/usage.md, section worksheet {name}: add {missing}"


def test_every_shipped_template_and_benchmark_is_described():
    usage, bench = (DOCS / "usage.md").read_text(), (DOCS / "benchmarks.md").read_text()
    templates = [p.stem for p in (ROOT / "templates").glob("*.toml")]
    assert [name for name in templates if f"`{name}`" not in usage] == []
    scripts = [p.name for p in (ROOT / "benchmarks").glob("bench_*.py")]
    assert [name for name in scripts if f"benchmarks/{name}" not in bench] == []


def test_the_group_options_are_in_usage():
    text = (DOCS / "usage.md").read_text()
    assert all(mentions(text, opt) for opt in ("--version", "--help"))


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    kept = "".join(c for c in heading.strip().lower() if c.isalnum() or c in " -_")
    return kept.replace(" ", "-")


@pytest.mark.parametrize(
    "heading, anchor",
    [
        ("2. Grade what comes back", "2-grade-what-comes-back"),
        ("`worksheet check FILE [--json]`", "worksheet-check-file---json"),
        ("How the check works", "how-the-check-works"),
    ],
)
def test_slug(heading, anchor):
    assert slug(heading) == anchor


def anchors(page: Path) -> set[str]:
    return {slug(h) for h in re.findall(r"^#+ (.*)$", page.read_text(), flags=re.M)}


def links(page: Path) -> list[tuple[Path, str | None]]:
    found = []
    for match in LINK.finditer(page.read_text()):
        target = (page.parent / match["path"]).resolve() if match["path"] else page
        found.append((target, match["anchor"]))
    return found


def test_the_readme_stays_a_front_page():
    """Purpose, quick start, a tour and links: the reference lives in docs/, where its
    examples are run (the README was 31 KB of pasted outputs that drifted)."""
    assert len(README.read_text()) < 6_000


TOUR_ROW = re.compile(r"^\|.*\| `(?P<formula>=[^`]+)` \| `(?P<name>\w+)` \|$", re.M)


def test_the_readme_tour_shows_the_classic_workbook_as_generated():
    """The Step rows in the README are the classic template's, by the golden dump (which
    tests/render/test_workbook.py compares with a freshly generated workbook)."""
    golden = (ROOT / "tests" / "render" / "golden" / "classic.txt").read_text()
    rows = list(TOUR_ROW.finditer(README.read_text()))
    assert len(rows) >= 3
    for row in rows:
        where = re.search(rf"^name {row['name']} -> Step!\$(\w+)\$(\d+)$", golden, flags=re.M)
        assert where, f"no defined name {row['name']} on Step"
        assert f"Step!{where[1]}{where[2]}: {row['formula']}\n" in golden, row["name"]


def test_the_readme_links_into_docs():
    targets = {target for target, _ in links(README)}
    assert DOCS / "usage.md" in targets and DOCS / "architecture.md" in targets


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_link_resolves(page):
    broken = [
        f"{target.relative_to(ROOT)}#{anchor or ''}"
        for target, anchor in links(page)
        if not target.exists()
        or (target.suffix == ".md" and anchor not in {None, *anchors(target)})
    ]
    assert broken == []


REPO_PATH = re.compile(r"`((?:worksheet|tests|benchmarks|templates|docs)/[\w/.-]*\w)`")


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_repository_path_named_exists(page):
    """A module or test named in `code` still exists (the package was restructured once)."""
    missing = [path for path in REPO_PATH.findall(page.read_text()) if not (ROOT / path).exists()]
    assert missing == []


NAME_IN_MODULE = [  # "`ACTIVATIONS` in `worksheet/model/activations.py`", and "`path` (`name`)"
    re.compile(
        r"`(?P<name>\w+)(?:\([^`]*\))?`(?:\s+\w+)?\s+(?:in|from)\s+`(?P<path>worksheet/[\w/]+\.py)`"
    ),
    re.compile(r"`(?P<path>worksheet/[\w/]+\.py)`\s+\(`(?P<name>\w+)`\)"),
]


def test_every_function_the_architecture_page_names_is_where_it_says():
    text = (DOCS / "architecture.md").read_text()
    named = [(m["name"], m["path"]) for pattern in NAME_IN_MODULE for m in pattern.finditer(text)]
    assert len(named) >= 8  # the patterns still find the page's pointers
    missing = []
    for name, path in named:
        source = (ROOT / path).read_text() if (ROOT / path).exists() else ""
        if not re.search(rf"^(?:def|class) {name}\b|^{name}\b.*=", source, flags=re.M):
            missing.append(f"{name} in {path}")
    assert missing == []


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_console_block_is_run_or_says_why_not(page):
    assert examples.unmarked_console_blocks(page) == []
    for example in examples.examples(page):
        assert example.commands, f"{page.name}:{example.line}: a block without a $ command"
        if "not-run" in example.options:
            assert example.options["not-run"].strip(), f"{page.name}:{example.line}: say why"


@pytest.mark.parametrize(
    "text, masked",
    [
        ("tests: 140 passed in 82.51s (0:01:22)", "tests: 140 passed in <time>s (<time>)"),
        ("took 0.12 s", "took <time>s"),
        ("backprop-worksheet-0.1.0 numpy-2.4.6", "backprop-worksheet-<version> numpy-<version>"),
        ("difference 1.11e-16; 29 answer cells", "difference 1.11e-16; 29 answer cells"),
        ("2 steps", "2 steps"),
        ("x,eae441d64debb53501c622983a6afeb1a7389c85aa0ab974f762ceeb4d61c24b", "x,<digest>"),
    ],
)
def test_mask(text, masked):
    assert examples.mask(text) == masked


@pytest.mark.slow
@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_example_prints_what_the_page_shows(page):
    drifted = []
    for result in examples.run_page(page):
        where = f"{page.name}:{result.example.line}"
        drifted += [f"{where}: {failure}" for failure in result.failures]
        if result.drifted:
            shown, now = (examples.mask(s).split("\n") for s in (result.example.body, result.body))
            diff = difflib.unified_diff(shown, now, "shown", "now", lineterm="")
            drifted.append(f"{where}:\n" + "\n".join(diff))
    assert not drifted, "run `python docs/examples.py`, then read the diff:\n" + "\n".join(drifted)
