"""Grading found wanting by the seventh adversarial review: updates left undone, credited
because an early value made their own step too small to show at four figures."""

from __future__ import annotations

from conftest import run
from test_grade import answers, by_hand, fill, four_figures, handout, key_values

from worksheet.classroom.grade import CARRIED, WRONG, grade_file
from worksheet.evaluator import read_book


def test_updates_left_undone_behind_a_small_early_value_earn_nothing(tmp_path):
    """δ₂ typed at 0.005 of its value (wrong, but above the thousandth of "next to 0"), the
    backward pass worked from it, then every update typed as the parameter it replaces and
    every check row as the forward pass: no update done.  w₃′ and b₂′ show the student's own
    step at four figures, so typing w₃ is "nothing moved"; w₁′, w₂′, b₁′ round away, and were
    credited as honest rounding (21/29, where a student who left updates and check blank
    and made no slip has 17).  Seen not doing updates, the student is not trusted with the
    ones that round away."""
    student, key = handout(tmp_path, "classic")
    right = key_values(student, key)
    names = {a.name: ref for ref, a in answers(student).items()}
    hand = by_hand(student, {"delta_2": right[names["delta_2"]] * 0.005})
    givens = read_book(student)
    entries = dict(hand)
    for name, ref in names.items():
        if name.endswith("_new") and name[:-4] in names:
            entries[ref] = hand[names[name[:-4]]]  # a check row: the forward pass again
        elif name.endswith("_new"):
            entries[ref] = givens.cells[givens.name_ref(name[:-4])].value  # w₁′ = w₁
    entries[names["L_change"]] = 0.0
    filled = fill(student, four_figures(entries))
    grade = grade_file(filled)
    verdicts = {m.name: m for m in grade.marks}
    for name in ("w_1_new", "w_2_new", "b_1_new"):  # the ones whose own step rounds away
        assert verdicts[name].verdict == WRONG, name
        assert "nothing moved" in verdicts[name].note, verdicts[name].note
    assert verdicts["w_1_new"].note.endswith("(as in w_3_new, b_2_new)")  # their step shows
    assert verdicts["delta_1"].verdict == CARRIED  # the backward work keeps its credit
    assert grade.score() == (16, 29)
    result = run("grade", str(filled), "--key", str(key))
    assert "16/29" in result.output and "nothing moved" in result.output


def test_updates_done_where_they_show_keep_the_ones_that_round_away(tmp_path):
    """The same small δ₂, every update the student's own value to four figures: w₁′ = 0.2500
    is what an honest rounding of 0.25004 gives, and nothing says the update was not done."""
    student, key = handout(tmp_path, "classic")
    right = key_values(student, key)
    names = {a.name: ref for ref, a in answers(student).items()}
    hand = by_hand(student, {"delta_2": right[names["delta_2"]] * 0.005})
    grade = grade_file(fill(student, four_figures(hand)))
    lost = {m.name for m in grade.marks if not m.credit}
    assert not any("nothing moved" in (m.note or "") for m in grade.marks)
    assert lost <= {"delta_2", "L_change"}, lost  # ΔL of two rounded losses: the rounding's


def test_a_formula_with_a_line_feed_is_marked_on_one_line(tmp_path):
    """The evaluator's reason quotes the formula, line feed included: the terminal's verdict
    took two lines (every answer is said on one)."""
    student, key = handout(tmp_path, "classic")
    names = {a.name: ref for ref, a in answers(student).items()}
    filled = fill(student, {names["z_2"]: "=w_3*h_1+b_2+[\n", names["h_1"]: "=w_\n1"})
    result = run("grade", str(filled), "--key", str(key))
    lines = [line for line in result.output.splitlines() if "Step!D6" in line or "Step!D7" in line]
    assert len(lines) == 2 and all("not a number" in line for line in lines), result.output
    assert "a line break inside a name or number" in lines[0]
