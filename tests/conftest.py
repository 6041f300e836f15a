"""Shared fixtures: small specs, the CLI runner, and the ``libreoffice`` marker's skip."""

from __future__ import annotations

import shutil

import pytest

from worksheet.model.spec import Example, NetworkSpec


def pytest_collection_modifyitems(config, items):
    """Tests marked ``libreoffice`` recalculate in the real client: skipped, and said so,
    where it is not installed (CI installs it)."""
    if shutil.which("soffice") is not None:
        return
    skip = pytest.mark.skip(reason="LibreOffice not installed")
    for item in items:
        if "libreoffice" in item.keywords:
            item.add_marker(skip)


def make_spec(layers, weights, biases, inputs, targets, loss="half-sse", eta=0.5) -> NetworkSpec:
    return NetworkSpec(
        layers=tuple(layers),
        weights=weights,
        biases=biases,
        examples=(Example(tuple(inputs), tuple(targets)),),
        loss=loss,
        learning_rate=eta,
    )


@pytest.fixture
def workbook_spec() -> NetworkSpec:
    """The 2-1-1 example of shared/WORKBOOK.md, worked by hand in test_reference."""
    return make_spec(
        (2, 1, 1), (((0.15, 0.20),), ((0.40,),)), ((0.35,), (0.60,)), (0.5, 0.3), (1.0,)
    )


@pytest.fixture
def mazur_spec() -> NetworkSpec:
    return make_spec(
        (2, 2, 2),
        (((0.15, 0.20), (0.25, 0.30)), ((0.40, 0.45), (0.50, 0.55))),
        ((0.35, 0.35), (0.60, 0.60)),
        (0.05, 0.10),
        (0.01, 0.99),
    )


def run(*args: str):
    """``worksheet ARGS`` in this process (click's runner): exit code, stdout and stderr."""
    from click.testing import CliRunner

    from worksheet.cli.main import cli

    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture
def in_tmp(tmp_path, monkeypatch):
    """A fresh folder as the working directory, as a user running the CLI has."""
    monkeypatch.chdir(tmp_path)
    return tmp_path
