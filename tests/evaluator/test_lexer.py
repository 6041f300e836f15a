"""The own tokenizer and translator against openpyxl's, token for token.

``check`` no longer loads openpyxl, so ``lexer`` and ``translate`` re-implement its formula
tokenizer and translator.  They must split every formula exactly as openpyxl did, since the
parser and the soundness tests were proven on those tokens: compared here on every formula
the generator writes (all templates, an optimizer, softmax, a gradient check), on a table of
quirks, and on thousands of deterministic mutations of those formulas (the fuzz corpus's
kinds of damage: characters deleted, doubled, swapped, replaced by formula punctuation).
"""

from __future__ import annotations

import random
import zipfile
from functools import cache
from pathlib import Path
from xml.etree import ElementTree

import pytest
from openpyxl.formula.tokenizer import Tokenizer
from openpyxl.formula.translate import Translator, TranslatorError

from worksheet.evaluator import a1
from worksheet.evaluator.lexer import tokenize
from worksheet.evaluator.translate import TranslatorError as OwnTranslatorError
from worksheet.evaluator.translate import translate_formula

GOLDEN = Path(__file__).parents[1] / "render" / "golden"
QUIRKS = [
    "=1E+5-2e-3",  # the sign inside a number
    "=1.5E+5+A1",
    "=12E+5",  # not scientific for openpyxl: + is an operator
    "='My ''sheet'''!A1+'x'!B$2",
    '="a""b"&"c"',
    "=SUM(A1:B2, C3)",  # space after a comma
    "=(A1,B2)",  # union inside parentheses
    "=A1 B2",
    "=A1\nB2",  # a line feed does not end an operand
    "=  -A1  ",
    "={1,2;3,4}",
    "=Sheet1!#REF!+#DIV/0!+#N/A",
    "=#BAD!",
    "=[1]Sheet1!A1",
    "=Table[[#Headers],[Col]]",
    "=[open",
    '="open',
    "='open",
    "=1)",
    "=(1}",
    "=SUM(1,2",
    "=A:A+1:1+$A$1:B$2",
    "=TRUE+FALSE+true",
    "=-2^2%",
    "=a1+A1",
    "=x{",
    "=",
    "plain text",
    "",
    "=1+-+2",
    "=IF(A1>=1,A1<>2,A1<=3)",
]
PUNCTUATION = "()+-*/^&=<>%,;:!$'\"[]{}# \nE.0"


@cache
def generated() -> list[str]:
    """Every formula of the golden dumps (the hand-traced sheets of four templates)."""
    found = set()
    for dump in sorted(GOLDEN.glob("*.txt")):
        for line in dump.read_text().splitlines():
            found.add(line.partition(": ")[2])
    return sorted(f for f in found if f.startswith("="))


def book_formulas(folder: Path) -> list[str]:
    """Every formula of every sheet of workbooks generated with an optimizer, softmax and
    a gradient check, training tables included."""
    from worksheet.model.template import load_template, resolve
    from worksheet.render.generate import generate

    found = set()
    for template in ("xor-adam", "three-class", "deep-bce"):
        path = folder / f"{template}.xlsx"
        generate(resolve(load_template(template)).spec, path)
        with zipfile.ZipFile(path) as zf:
            for name in zf.namelist():
                if name.startswith("xl/worksheets/sheet"):
                    for elem in ElementTree.fromstring(zf.read(name)).iter():
                        if elem.tag.endswith("}f") and elem.text:
                            found.add("=" + elem.text)
    return sorted(found)


def mutations(formulas: list[str], count: int, seed: int = 12) -> list[str]:
    draw = random.Random(seed)
    out = []
    for _ in range(count):
        text = list(draw.choice(formulas))
        for _ in range(draw.randint(1, 3)):
            i = draw.randrange(1, len(text)) if len(text) > 1 else 1
            how = draw.randrange(4)
            if how == 0 and len(text) > 1:
                del text[i]
            elif how == 1:
                text.insert(i, draw.choice(PUNCTUATION))
            elif how == 2 and len(text) > 2:
                text[i - 1 : i + 1] = text[i : i + 1] + text[i - 1 : i]
            else:
                text.insert(i, text[i - 1])
        out.append("".join(text))
    return out


def theirs(text: str):
    try:
        return [(t.value, t.type, t.subtype) for t in Tokenizer(text).items]
    except Exception as exc:  # the kind of failure must match too
        return type(exc).__name__


def ours(text: str):
    try:
        return [(t.value, t.type, t.subtype) for t in tokenize(text)]
    except Exception as exc:
        return type(exc).__name__


def test_the_corpus_is_large() -> None:
    assert len(generated()) > 500


@pytest.mark.parametrize("text", QUIRKS)
def test_quirks_tokenize_as_openpyxl(text: str) -> None:
    assert ours(text) == theirs(text)


def test_every_golden_formula_tokenizes_as_openpyxl() -> None:
    differ = [t for t in generated() if ours(t) != theirs(t)]
    assert differ == []


def test_mutated_formulas_tokenize_as_openpyxl() -> None:
    corpus = mutations(generated() + QUIRKS[:-3], 5_000)
    differ = [t for t in corpus if ours(t) != theirs(t)]
    assert differ == []


@pytest.mark.slow
def test_every_generated_formula_tokenizes_as_openpyxl(tmp_path: Path) -> None:
    corpus = book_formulas(tmp_path)
    corpus += mutations(corpus, 20_000, seed=7)
    differ = [t for t in corpus if ours(t) != theirs(t)]
    assert len(corpus) > 20_000 and differ == []


def _translated(move, text: str, d_row: int, d_col: int):
    try:
        return move(text, d_row, d_col)
    except Exception as exc:
        return type(exc).__name__.replace("Own", "")


def _openpyxl_move(text: str, d_row: int, d_col: int) -> str:
    origin = a1.cell_name(50, 50)
    return Translator(text, origin).translate_formula(a1.cell_name(50 + d_row, 50 + d_col))


@pytest.mark.parametrize("d_row, d_col", [(1, 0), (0, 1), (-49, 3), (7, -49)])
def test_translation_matches_openpyxl(d_row: int, d_col: int) -> None:
    corpus = generated()[:400] + QUIRKS[:-3] + mutations(generated(), 2_000, seed=5)
    corpus += ["=SUM(A:A)+$B:C", "=1:$3+Sheet2!A1", "=name:C2", "=Sheet1!name+zz1+ZZZ1"]
    for text in corpus:
        want = _translated(_openpyxl_move, text, d_row, d_col)
        got = _translated(translate_formula, text, d_row, d_col)
        assert got == want, text
    assert issubclass(OwnTranslatorError, Exception) and TranslatorError
