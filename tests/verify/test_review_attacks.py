"""Wrong workbooks found by an adversarial review, each now reported (exit 1) or refused
(exit 2): formulas that branch or type numbers where their plan does not, looks that hide a
value (a dark fill however its colour is written, a colour given two ways, a column's own
style, repeated text), sheet elements inside mc:AlternateContent, and a merged area over the
whole grid (minutes of work for 100 bytes).  Legitimate files and rewrites still pass.
"""

from __future__ import annotations

import re
import time
import zipfile
from pathlib import Path

import pytest

from worksheet.errors import BookError
from worksheet.model.template import Overrides, load_template, resolve
from worksheet.render.generate import generate
from worksheet.verify.check import check_file

STEP = "xl/worksheets/sheet2.xml"  # classic: Givens is sheet1, Step sheet2
STYLES = "xl/styles.xml"


@pytest.fixture(scope="module")
def classic(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("review") / "classic.xlsx"
    generate(resolve(load_template("classic")).spec, path)
    return path


@pytest.fixture(scope="module")
def xor(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("review") / "xor.xlsx"
    generate(resolve(load_template("xor"), Overrides(epochs=3)).spec, path)
    return path


def edited(path: Path, part: str, edit) -> Path:
    out = path.with_name(f"edited-{len(list(path.parent.iterdir()))}.xlsx")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == part:
                text = data.decode()
                data = edit(text).encode()
                assert data.decode() != text, "the edit must change the part"
            dst.writestr(info.filename, data)
    return out


def formula_of(path: Path, part: str, cell: str) -> str:
    text = zipfile.ZipFile(path).read(part).decode()
    return re.search(rf'<c r="{cell}"[^>]*><f>([^<]*)</f>', text).group(1)


def with_formula(path: Path, part: str, cell: str, formula: str) -> Path:
    pattern = re.compile(rf'(<c r="{cell}"[^>]*>)<f>[^<]*</f>(?:<v>[^<]*</v>)?')
    return edited(path, part, lambda t: pattern.sub(lambda m: f"{m[1]}<f>{formula}</f>", t))


def reason(path: Path, cell: str) -> str:
    """Why ``cell`` is reported; or why the whole file is refused (exit 2)."""
    try:
        report = check_file(path)
    except BookError as exc:
        return str(exc)
    assert not report.ok
    return report.mismatches[cell].reason


# --- formulas that branch or type numbers where their plan does not -----------------------


def cell_named(path: Path, name: str) -> str:
    text = zipfile.ZipFile(path).read("xl/workbook.xml").decode()
    target = re.search(rf'<definedName name="{name}"[^>]*>([^<]*)<', text).group(1)
    return target.split("!")[1].replace("$", "")


@pytest.mark.parametrize(
    "name, formula, words",
    [
        ("w_1_new", "IF(eta&gt;0.9,w_1,w_1-eta*dL_dw_1)", "branches"),
        # (w_1+w_1*1E-15)-w_1 is 0 in LibreOffice, 1.1e-16 in Excel: refused before its shape
        ("w_1_new", "w_1-eta*dL_dw_1*IF((w_1+w_1*1E-15)-w_1=0,2,1)", "Excel and LibreOffice"),
        ("w_1_new", "w_1-eta*dL_dw_1+1E-13", "types the number"),
        ("dL_dw_1_numeric", "dL_dw_1+0*(L_plus_w_1-L_minus_w_1)", "typed 0"),
        ("dL_dw_1_numeric", "dL_dw_1+MIN(0,ABS(L_plus_w_1-L_minus_w_1))", "branches"),
    ],
    ids=["if-on-eta", "libreoffice-rounds-the-difference", "under-tolerance", "zero-times", "min"],
)
def test_a_formula_shaped_otherwise_than_its_plan(classic, name, formula, words):
    cell = cell_named(classic, name) if "numeric" not in name else None
    if cell is None:  # the numerical gradient has no name of its own in every layout
        text = zipfile.ZipFile(classic).read(STEP).decode()
        cell = re.search(r'<c r="([A-Z]+[0-9]+)"[^>]*><f>\(L_plus_w_1-L_minus_w_1\)', text)[1]
    assert words in reason(with_formula(classic, STEP, cell, formula), f"Step!{cell}")


def part_of(path: Path, sheet: str) -> str:
    """The worksheet part of ``sheet``, found through the workbook's relationships."""
    with zipfile.ZipFile(path) as zf:
        book = zf.read("xl/workbook.xml").decode()
        rels = zf.read("xl/_rels/workbook.xml.rels").decode()
    rel = re.search(rf'<sheet [^>]*name="{sheet}"[^>]*r:id="([^"]+)"', book)[1]
    target = re.search(rf'<Relationship [^>]*Target="([^"]+)" Id="{rel}"', rels)
    target = target or re.search(rf'<Relationship [^>]*Id="{rel}" [^>]*Target="([^"]+)"', rels)
    return target[1].lstrip("/") if target[1].startswith("/") else "xl/" + target[1]


def training_formula(path: Path, cell_text: str) -> tuple[str, str, str]:
    """(the Training sheet's part, a cell, its formula): the first cell whose ``<c ...><f>``
    matches ``cell_text``, a regex with two groups (the cell, the formula)."""
    part = part_of(path, "Training")
    text = zipfile.ZipFile(path).read(part).decode()
    return (part, *re.search(cell_text, text).groups())


def test_a_second_root_in_a_column_whose_plan_has_one(tmp_path):
    """Adam's update takes √v̂ once; a second SQRT makes a step at η = 0.25."""
    path = tmp_path / "adam.xlsx"
    generate(resolve(load_template("xor-adam"), Overrides(epochs=3)).spec, path)
    part, cell, formula = training_formula(path, r'<c r="([A-Z]+5)"[^>]*><f>([^<]*SQRT[^<]*)</f>')
    out = with_formula(path, part, cell, formula + "-(4*eta-1+SQRT((4*eta-1)^2))")
    assert "more roots" in reason(out, f"Training!{cell}")


def test_a_training_formula_nudged_under_the_tolerance(xor):
    part, cell, formula = training_formula(xor, r'<c r="([A-Z]+4)"[^>]*><f>([^<]*\*[^<]*)</f>')
    out = with_formula(xor, part, cell, formula + "+9E-13")
    assert "types the number" in reason(out, f"Training!{cell}")


def test_legitimate_expansions_still_pass(classic):
    """An intermediate written out brings in a 1 (ŷ(1−ŷ)) or a 2: small numbers pass."""
    cell = cell_named(classic, "delta_2")
    out = with_formula(classic, STEP, cell, "(yhat_1-y_1)*yhat_1*(1-yhat_1)*2/2")
    assert check_file(out).ok


# --- looks that hide a value ------------------------------------------------------------


def new_style(text: str, font: str, fill: str, alignment: str = "") -> tuple[str, int]:
    """styles.xml with a font, a fill and a cell style using them; the style's index."""
    fonts = len(re.findall(r"<font>|<font ", text.split("<fonts")[1].split("</fonts>")[0]))
    fills = len(re.findall(r"<fill>|<fill ", text.split("<fills")[1].split("</fills>")[0]))
    xfs = text.split("<cellXfs")[1].split("</cellXfs>")[0]
    index = len(re.findall(r"<xf ", xfs))
    text = text.replace("</fonts>", font + "</fonts>").replace("</fills>", fill + "</fills>")
    xf = f'<xf numFmtId="2" fontId="{fonts}" fillId="{fills}" borderId="0">{alignment}</xf>'
    return text.replace("</cellXfs>", xf + "</cellXfs>"), index


BLACK_FONT = '<font><color rgb="FF000000"/><sz val="11"/></font>'
PLAIN_FONT = '<font><sz val="11"/></font>'
NO_FILL = '<fill><patternFill patternType="none"/></fill>'


def step_values_styled(path: Path, font: str, fill: str, alignment: str = "") -> Path:
    """The workbook with every Step value (column D) in a new style of that font and fill."""
    text, index = new_style(zipfile.ZipFile(path).read(STYLES).decode(), font, fill, alignment)
    out = edited(path, STYLES, lambda _: text)
    return edited(out, STEP, lambda t: re.sub(r'(<c r="D\d+") s="\d+"', rf'\1 s="{index}"', t))


def solid(colour: str) -> str:
    return f'<fill><patternFill patternType="solid"><fgColor {colour}/></patternFill></fill>'


@pytest.mark.parametrize(
    "font, fill, alignment",
    [
        (BLACK_FONT, solid('theme="1"'), ""),
        (BLACK_FONT, solid('indexed="8"'), ""),
        (BLACK_FONT, '<fill><gradientFill><stop position="0"><color rgb="FF000000"/></stop>'
                     "</gradientFill></fill>", ""),
        (BLACK_FONT, solid('rgb="FF1A1A1A"'), ""),
        ('<font><color rgb="FF000000" theme="0"/><sz val="11"/></font>', NO_FILL, ""),
        ('<font><color rgb="FFFFFF00"/><sz val="11"/></font>', NO_FILL, ""),
        (PLAIN_FONT, NO_FILL, '<alignment horizontal="fill"/>'),
    ],
    ids=["theme-black-fill", "palette-black-fill", "black-gradient", "near-black-fill",
         "rgb-and-theme", "yellow-on-white", "repeated"],
)  # fmt: skip
def test_a_value_hidden_by_its_look_is_refused(classic, font, fill, alignment):
    restyled = step_values_styled(classic, font, fill, alignment)
    with pytest.raises(BookError, match="fill|alignment"):
        check_file(restyled)


@pytest.mark.parametrize("where", ["column", "row"])
def test_a_column_or_row_style_worn_by_cells_without_their_own(classic, where):
    styles = zipfile.ZipFile(classic).read(STYLES).decode()
    text, index = new_style(styles, '<font><color rgb="FFFFFFFF"/><sz val="11"/></font>', NO_FILL)
    out = edited(classic, STYLES, lambda _: text)

    def restyle(sheet: str) -> str:
        sheet = re.sub(r'(<c r="D\d+") s="\d+"', r"\1", sheet)
        if where == "column":
            return re.sub(r'(<col [^>]*min="4" max="4")', rf'\1 style="{index}"', sheet, count=1)
        return re.sub(r'<row r="(\d+)"', rf'<row r="\1" s="{index}" customFormat="1"', sheet)

    with pytest.raises(BookError, match=f"the style of {where}"):
        check_file(edited(out, STEP, restyle))


def test_sheet_elements_inside_alternate_content_are_refused(classic):
    mc = "http://schemas.openxmlformats.org/markup-compatibility/2006"
    choice = (
        f'<mc:AlternateContent xmlns:mc="{mc}"><mc:Choice Requires="x14">'
        '<cols><col min="4" max="4" width="12" hidden="1" customWidth="1"/></cols>'
        "</mc:Choice></mc:AlternateContent>"
    )
    out = edited(classic, STEP, lambda t: t.replace("<sheetData", choice + "<sheetData", 1))
    with pytest.raises(BookError, match="AlternateContent"):
        check_file(out)


def test_a_merged_area_over_the_whole_grid_is_judged_at_once(classic):
    """A hundred bytes, 17 billion cells: tried against the checked cells, not cell by cell."""
    text = zipfile.ZipFile(classic).read(STEP).decode()
    merge = '<mergeCell ref="A3:XFD1048576"/>'
    if "</mergeCells>" in text:
        out = edited(classic, STEP, lambda t: t.replace("</mergeCells>", merge + "</mergeCells>"))
    else:
        cells = f'<mergeCells count="1">{merge}</mergeCells>'
        out = edited(classic, STEP, lambda t: t.replace("</sheetData>", "</sheetData>" + cells))
    start = time.perf_counter()
    report = check_file(out)
    assert time.perf_counter() - start < 30  # a hang guard; it takes about a second
    assert any(m.reason == "hidden under a merged area" for m in report.mismatches.values())


SST = '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si>{}</si></sst>'


@pytest.mark.parametrize(
    "look, hidden",
    [('<sz val="1"/>', True), ('<color rgb="FFFFFFFF"/>', True), ('<color theme="1"/>', False)],
    ids=["tiny", "white", "theme-text"],
)
def test_part_of_a_shared_text_hidden_by_its_run_look(look, hidden):
    """ "half-sse" as two runs, "half-" hidden: a person reads "sse", the file says half-sse.
    (LibreOffice and Excel keep text in the shared string table; our writer inlines it.)"""
    from io import BytesIO

    from worksheet.evaluator import xmlstream
    from worksheet.evaluator.sharedstrings import SharedStringsReader

    runs = f"<r><rPr>{look}</rPr><t>half-</t></r><r><t>sse</t></r>"
    reader = SharedStringsReader(BookError)
    stream = BytesIO(SST.format(runs).encode())
    if hidden:
        with pytest.raises(BookError, match="part of a text"):
            xmlstream.parse(stream, reader, BookError, xmlstream.Elements(1000))
    else:
        xmlstream.parse(stream, reader, BookError, xmlstream.Elements(1000))
        assert reader.strings == ["half-sse"]


def test_part_of_an_inline_text_hidden_by_its_run_look(classic):
    text = zipfile.ZipFile(classic).read("xl/worksheets/sheet1.xml").decode()
    assert "<t>half-sse</t>" in text
    runs = '<r><rPr><sz val="1"/></rPr><t>half-</t></r><r><t>sse</t></r>'
    out = edited(classic, "xl/worksheets/sheet1.xml", lambda t: t.replace("<t>half-sse</t>", runs))
    with pytest.raises(BookError, match="part of a text"):
        check_file(out)


def test_the_symbols_of_two_givens_swapped(classic):
    """x₁ and x₂ swapped on the Givens sheet: every formula right by name, the sheet wrong."""
    part = "xl/worksheets/sheet1.xml"

    def swap(text: str) -> str:
        return (
            text.replace("<t>x₁</t>", "<t>@</t>")
            .replace("<t>x₂</t>", "<t>x₁</t>")
            .replace("<t>@</t>", "<t>x₂</t>")
        )

    report = check_file(edited(classic, part, swap))
    reasons = {m.reason for m in report.mismatches.values()}
    assert not report.ok and reasons == {"symbol label differs from the plan"}


def test_a_formula_column_reading_another_sum(classic):
    text = zipfile.ZipFile(classic).read(STEP).decode()
    shown = re.search(r"<t>(=w_1\*x_1 ?\+ ?w_2\*x_2 ?\+ ?b_1)</t>", text)[1]
    wrong = shown.replace("x_1", "@").replace("x_2", "x_1").replace("@", "x_2")
    out = edited(classic, STEP, lambda t: t.replace(f"<t>{shown}</t>", f"<t>{wrong}</t>", 1))
    report = check_file(out)
    assert any(
        m.reason == "formula label differs from the plan" for m in report.mismatches.values()
    )


@pytest.mark.parametrize(
    "name, formula, words",
    [
        ("w_1_new", "w_1-eta*dL_dw_1-(eta-0.5+SQRT((eta-0.5)^2))*2", "roots"),
        ("w_1_new", "w_1-eta*(dL_dw_1^(1/(3+(eta^6)^6)))^3", "computed power"),
        ("w_1_new", "w_1-eta*dL_dw_1+(w_1-w_1)/((w_1+w_1*1%%%%%%%/9)-w_1)", "Excel and"),
        ("w_1_new", "w_1-eta*dL_dw_1+(w_1-w_1)*(w_1+3)", "itself"),
    ],
    ids=[
        "sqrt-of-a-square",
        "almost-an-odd-root",
        "percent-and-self-difference",
        "self-difference",
    ],
)
def test_branches_built_without_a_branching_function(classic, name, formula, words):
    cell = cell_named(classic, name)
    assert words in reason(with_formula(classic, STEP, cell, formula), f"Step!{cell}")


def test_a_gradient_check_restated_by_a_taylor_step(classic):
    """L(w₁+ε) written as L + ε·∂L/∂w₁: reads the chain, agrees to O(ε²) at ε = 1e-4; the
    nudged pass moves ε far enough for O(ε²) to show."""
    names = zipfile.ZipFile(classic).read("xl/workbook.xml").decode()
    target = re.search(r'<definedName name="L_plus_w_1"[^>]*>([^<]*)<', names)
    ref = target[1].split("!")[1].replace("$", "")
    above = f"{re.match(r'[A-Z]+', ref)[0]}{int(re.search(r'[0-9]+', ref)[0]) - 1}"
    formula = f"{above}-{above}+L_total+eps*dL_dw_1"
    report = check_file(with_formula(classic, STEP, ref, formula))
    assert not report.ok


def test_rates_and_targets_are_nudged_both_ways():
    from worksheet.verify.check import nudge

    assert nudge("eta", 0.5, 0.1) > 0.5 > nudge("eta", 0.5, -0.1)
    assert nudge("beta_1", 0.9, 0.1) > 0.9 > nudge("beta_1", 0.9, -0.1)
    assert nudge("beta_1", 0.999, 0.2) < 1
    assert nudge("y_1", 0.4, 0.1) > 0.4 > nudge("y_1", 0.4, -0.1)
    assert 0 <= nudge("y_1", 1.0, 0.2) <= 1 and 0 <= nudge("y_1", 0.0, -0.2) <= 1
    assert nudge("eps", 1e-4, 0.1) > 1e-3  # far, so that O(ε²) shows
    assert nudge("eps", 0.1, 0.1) < 0.1  # never past its limit


@pytest.mark.parametrize(
    "font",
    [
        '<font><name val="Wingdings"/><sz val="11"/></font>',
        '<font><name val="Calibri"/><charset val="2"/><sz val="11"/></font>',
        '<font><sz val="7"/><vertAlign val="subscript"/></font>',
    ],
    ids=["wingdings", "symbol-charset", "small-subscript"],
)
def test_values_drawn_as_pictures_or_too_small(classic, font):
    restyled = step_values_styled(classic, font, NO_FILL)
    with pytest.raises(BookError, match="known to draw digits|pictures|too small"):
        check_file(restyled)


def test_the_theme_body_font_made_of_pictures(classic):
    theme = "xl/theme/theme1.xml"
    out = edited(
        classic,
        theme,
        lambda t: re.sub(
            r"(<a:minorFont>\s*<a:latin typeface=\")[^\"]*", r"\1Wingdings", t, count=1
        ),
    )
    styles = zipfile.ZipFile(out).read(STYLES).decode()
    if 'val="minor"' not in styles:  # the body font must name the theme's
        out = edited(out, STYLES, lambda t: t.replace("<sz ", '<scheme val="minor"/><sz ', 1))
    with pytest.raises(BookError, match="known to draw digits"):
        check_file(out)


# --- second round -------------------------------------------------------------------------


def test_text_shrunk_to_fit_is_refused(classic):
    restyled = step_values_styled(classic, PLAIN_FONT, NO_FILL, '<alignment shrinkToFit="1"/>')
    with pytest.raises(BookError, match="shrunk"):
        check_file(restyled)


@pytest.mark.parametrize(
    "formula",
    [
        "dL_dw_1+(((L_plus_w_1-L_minus_w_1)+eps)-(eps+(L_plus_w_1-L_minus_w_1)))",
        "dL_dw_1*((L_plus_w_1-L_minus_w_1)*eps)/(eps*(L_plus_w_1-L_minus_w_1))",
    ],
    ids=["commuted-self-difference", "divided-away"],
)
def test_a_gradient_check_that_reads_its_losses_only_to_cancel_them(classic, formula):
    text = zipfile.ZipFile(classic).read(STEP).decode()
    cell = re.search(r'<c r="([A-Z]+[0-9]+)"[^>]*><f>\(L_plus_w_1-L_minus_w_1\)', text)[1]
    assert "itself" in reason(with_formula(classic, STEP, cell, formula), f"Step!{cell}")


def typed_below(path: Path, part: str, column: str) -> tuple[Path, str]:
    """The workbook with a 1 typed in ``column`` of ``part`` a few rows under its last row,
    and that cell's reference."""
    text = zipfile.ZipFile(path).read(part).decode()
    row = max(int(r) for r in re.findall(r'<row r="([0-9]+)"', text)) + 5
    typed = f'<row r="{row}"><c r="{column}{row}"><v>1</v></c></row></sheetData>'
    return edited(path, part, lambda t: t.replace("</sheetData>", typed, 1)), f"{column}{row}"


def test_a_typed_number_read_through_a_range(classic):
    """A 1 typed beside the layout, read through SUM(Z..:Z9999): z₁ unchanged, yet a person
    who edits it changes every result."""
    cell = cell_named(classic, "z_1")
    out, typed = typed_below(classic, STEP, "Z")
    out = with_formula(out, STEP, cell, f"(w_1*x_1+w_2*x_2+b_1)*SUM({typed}:Z9999)")
    report = check_file(out)
    assert not report.ok
    assert report.mismatches[f"Step!{cell}"].reason.startswith(f"reads Step!{typed}")


def test_a_number_typed_beside_the_training_table(xor):
    out, typed = typed_below(xor, part_of(xor, "Training"), "A")
    assert check_file(out).mismatches[f"Training!{typed}"].reason == "number typed off the layout"


def test_panes_frozen_with_the_view_scrolled_past_the_values(classic):
    """Frozen at F4 with the view starting at E1: columns A-D cannot be scrolled to."""
    pane = '<pane xSplit="1" ySplit="3" topLeftCell="F4" activePane="bottomRight" state="frozen"/>'
    view = f'<sheetView workbookViewId="0" topLeftCell="E1">{pane}</sheetView>'
    out = edited(
        classic,
        STEP,
        lambda t: re.sub(
            r"<sheetView .*?</sheetView>|<sheetView [^>]*/>", view, t, count=1, flags=re.S
        ),
    )
    with pytest.raises(BookError, match="panes frozen"):
        check_file(out)


# --- right only near the givens: the relative difference's slack, branches of one sign ---


@pytest.fixture(scope="module")
def relu(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("review") / "relu.xlsx"
    spec = resolve(load_template("classic"), Overrides(activations=("relu", "sigmoid"))).spec
    generate(spec, path)
    return path


@pytest.fixture(scope="module")
def relu_training(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("review") / "relu-training.xlsx"
    overrides = Overrides(layers=(2, 2, 1), activations=("relu", "sigmoid"), epochs=5)
    generate(resolve(load_template("or"), overrides).spec, path)
    return path


def reldiff_cell(path: Path) -> tuple[str, str]:
    text = zipfile.ZipFile(path).read(STEP).decode()
    return re.search(r'<c r="([A-Z]+[0-9]+)"[^>]*><f>(ABS\(dL_dw_1-[^<]*)</f>', text).groups()


@pytest.mark.parametrize(
    "rewrite",
    [lambda f: "ABS(dL_dw_1-dL_dw_1_numeric)", lambda f: f + "*10*10", lambda f: f + "/10" * 8],
    ids=["no-division", "times-100", "over-1e8"],
)
def test_a_relative_difference_is_its_own_formula_not_any_small_number(classic, rewrite):
    """Its slack (the numerical gradient's, ~1e-8) dwarfs its value (~4e-10)."""
    cell, formula = reldiff_cell(classic)
    report = check_file(with_formula(classic, STEP, cell, rewrite(formula)))
    assert f"Step!{cell}" in report.mismatches


@pytest.mark.parametrize(
    "name, formula",
    [
        ("h_1", "z_1"),  # ReLU(z) as z: right while z > 0
        ("dh_dz_1", "IF(z_1&gt;0,1,1)"),  # its derivative 1 whatever z
    ],
)
def test_a_formula_right_only_for_the_sign_the_givens_give(relu, name, formula):
    """Nudges of 0.5-20 % never flip a sign; the far draws do (about half of them, six
    draws: a pass here once in 64 runs would show as a flaky failure)."""
    cell = cell_named(relu, name)
    assert "moved far" in reason(with_formula(relu, STEP, cell, formula), f"Step!{cell}")


def test_an_absolute_value_written_for_the_sign_it_has(relu):
    cell, formula = reldiff_cell(relu)
    wrong = formula.replace("ABS(dL_dw_1),ABS(dL_dw_1_numeric)", "-dL_dw_1,-dL_dw_1_numeric")
    assert wrong != formula
    assert f"Step!{cell}" in check_file(with_formula(relu, STEP, cell, wrong)).mismatches


def test_a_training_column_that_drops_its_relu_factor(relu_training):
    part = part_of(relu_training, "Training")
    factor = re.compile(r"<f>\(([A-Z]+\d+\*[A-Z]+\d+)\)\*\(IF\([A-Z]+\d+&gt;0,1,0\)\)</f>")
    out = edited(relu_training, part, lambda t: factor.sub(r"<f>\1</f>", t))
    report = check_file(out)
    assert any("moved far" in m.reason for m in report.mismatches.values())


def test_honest_rewrites_pass_the_far_draws(relu):
    """Commuted, expanded and renamed formulas are right at any givens."""
    out = with_formula(relu, STEP, cell_named(relu, "h_1"), "MAX(z_1,0)")
    out = with_formula(out, STEP, cell_named(relu, "dh_dz_1"), "IF(0&lt;z_1,1,0)")
    cell, formula = reldiff_cell(relu)
    out = with_formula(out, STEP, cell, formula.replace("ABS(dL_dw_1-", "ABS(-dL_dw_1+"))
    assert check_file(out).ok, check_file(out).mismatches


@pytest.fixture(scope="module")
def relu_xor(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("review") / "relu-xor.xlsx"
    overrides = Overrides(activations=("relu", "sigmoid"), epochs=3)
    generate(resolve(load_template("xor"), overrides).spec, path)
    return path


def test_an_honest_table_rewrite_does_not_cut_the_step_sheets_draws(relu_xor):
    """A commuted Training cell (right at any givens) once cut every formula's far draws to
    the table's two: ReLU as =z_2 on the Step sheet then passed one check in four."""
    step, table = part_of(relu_xor, "Step"), part_of(relu_xor, "Training")
    cell = cell_named(relu_xor, "h_2")
    out = with_formula(relu_xor, step, cell, "z_2")
    text = zipfile.ZipFile(out).read(table).decode()
    update = r'<c r="([A-Z]+5)"[^>]*><f>([A-Z]+4)-eta\*([A-Z]+4)</f>'  # w′ = w − η·g
    first, w, g = re.search(update, text).groups()
    out = with_formula(out, table, first, f"{w}-{g}*eta")  # commuted: right at any givens
    for _ in range(3):
        assert "moved far" in reason(out, f"Step!{cell}")


def test_a_true_typed_off_the_layout_and_summed(classic):
    """SUM skips a TRUE reached through a reference in Excel; LibreOffice reads an xlsx
    boolean as 1 and counts it: z₁·(1+SUM(Z5)) is z₁ in one and 2z₁ in the other."""
    cell = cell_named(classic, "z_1")
    out = with_formula(classic, STEP, cell, "(w_1*x_1+w_2*x_2+b_1)*(1+SUM(Z5))")
    row = re.compile(r'(<row r="5"[^>]*>.*?)(</row>)', re.S)
    out = edited(out, STEP, lambda t: row.sub(r'\1<c r="Z5" t="b"><v>1</v></c>\2', t, count=1))
    report = check_file(out)
    assert report.mismatches["Step!Z5"].reason == "TRUE/FALSE typed off the layout"
    assert "TRUE/FALSE typed there" in report.mismatches[f"Step!{cell}"].reason
