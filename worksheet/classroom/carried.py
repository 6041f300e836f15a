"""When a wrong answer's consequences earn carried-forward credit, and when they do not.

A human marker gives the marks for work done right from a student's own wrong value: a slip
(0.0529 for 0.0592), a sign, a misplaced decimal point all carry forward.  Not a value next
to 0 where the right one is not: every product after it is next to 0 too, every update
leaves the weights where they were, and "following from your own values" is then no work at
all (1e-9 typed for ∂L/∂ŷ earned every backward, update and check mark).  Exam boards say the
same: no follow-through credit where the error made the rest easier.

Next to 0 means what the marking cannot tell from 0: at most ``NEGLIGIBLE`` of the right
value, or within the absolute floor near 0 that a correct answer is allowed.  A thousandth
is three orders of magnitude: a slipped digit or sign keeps the size, a decimal point
misplaced once or twice keeps it within a hundredth, and below a thousandth the value is
0.000 when written to the right value's four significant figures (the precision a correct
answer needs).  The ratio is fixed, not the ``--tolerance``: a strict tolerance must not
make 1e-9 count as a value again.

What follows from such a value is found by asking again: the key's formulas are fed the
student's answers twice, as typed and with every value next to 0 put right, each
carried-forward answer computed from its inputs rather than pinned (so a consequence of a
consequence moves too: the new weights, then the check after them), and an answer that
moves loses the credit.  Both runs feed the same everything else, so a student's rounding
moves nothing.

The same goes for an update typed as "nothing moved" (w₁′ = w₁) where the right one moves:
when the student's own step is under the tolerance, w₁ itself passes as following from
their values, though no update was done.  Typed at their own step, however small, it shows
the update and keeps the credit.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from worksheet.classroom.consequences import names_read
from worksheet.evaluator import Book, CellRef
from worksheet.verify.compare import agree

TOLERANCE = 1e-3  # relative: a value copied to 4 significant figures passes
FLOOR = 1e-3  # the absolute floor near zero is the tolerance times this
NEGLIGIBLE = 1e-3  # a wrong value this small beside the right one is next to 0


def close(want: object, got: object, tolerance: float) -> bool:
    """Two finite numbers within ``tolerance`` relative, with an absolute floor near 0:
    ``verify.compare.agree``, given the slack this relative tolerance allows."""
    if not (_number(want) and _number(got)):
        return False
    return agree(want, got, tolerance * max(abs(want), abs(got), FLOOR))


def _number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def negligible(want: float, got: float, tolerance: float) -> bool:
    """``got``, a wrong value, is next to 0 beside the right value ``want``."""
    return abs(got) <= max(NEGLIGIBLE * abs(want), tolerance * FLOOR)


def joined(*notes: str) -> str:
    """Notes on one answer, in one line."""
    return "; ".join(n for n in notes if n)


def near_root(name: str, typed: float) -> tuple[str, str]:
    """A value next to 0: (what it is told, how the answers after it name it)."""
    what = "0" if typed == 0 else "next to 0"
    told = f"{what} where the right value is not: no credit is carried forward from it"
    return told, f"{typed:.6g} typed for {name}" + ("" if typed == 0 else ", next to 0")


def unmoved(
    carried: dict[CellRef, tuple[str, float, float, float]],
    old: Callable[[str], tuple[object, object] | None],
    tolerance: float,
    wrong: dict[CellRef, tuple[str, object, object]] | None = None,
) -> dict[CellRef, tuple[str, str]]:
    """The answers of ``carried`` (ref -> (name, typed, right, from own values)) named
    ``P_new`` that hold the student's ``P`` where the right one moves from the right ``P``:
    an update typed as "nothing moved" (w₁′ = w₁), credited only because the student's own
    step is too small for the marking to see.  A value typed nearer the student's own step
    than ``P`` shows the update, however small.  Ref -> (what it is told, how the answers
    after it name it).

    Where the student's own step rounds away at the figures the marking asks for, typing
    ``P`` is what an honest rounding gives too, and is credited; unless the student typed
    ``P`` for another update whose step shows (one of ``carried``, or of ``wrong``: ref ->
    (name, typed, right)): then updates were seen not done, and a rounded-away one is not taken
    on trust (an early value made small enough, above the thousandth of "next to 0", made
    every update whose step it hid free: 21/29 for none done, as for a step done right)."""
    found, rounded = {}, {}
    for ref, (name, typed, right, own) in carried.items():
        was = old(name)
        if was is None or not (_number(was[0]) and _number(was[1]) and _number(own)):
            continue
        if not close(typed, was[0], tolerance) or close(right, was[1], tolerance):
            continue  # moved, as far as the marking sees; or the right one does not
        if abs(typed - was[0]) > abs(typed - own):
            continue  # moved by the student's own step
        before = name.replace("_new", "", 1)
        told = f"the same as {before} ({was[0]:.6g}): nothing moved, where the right value does"
        seen = (told, f"{typed:.6g} typed for {name}, where nothing moved")
        if _shown(own, tolerance) == _shown(typed, tolerance):
            rounded[ref] = seen  # their own value, to the figures asked: rounded honestly?
        else:
            found[ref] = seen
    lazy = sorted(
        name for name, *values in (wrong or {}).values() if _still(name, *values, old, tolerance)
    )
    if found or lazy:
        shown_ = ", ".join((lazy + [carried[ref][0] for ref in found])[:3])
        for ref, (told, how) in rounded.items():
            found[ref] = (f"{told} (as in {shown_})", how)
    return found


def _still(name: str, typed: object, right: object, old: Callable, tolerance: float) -> bool:
    """A wrong update typed as the student's ``P`` where the right one moves from the right
    ``P`` (wrong, so the student's own step shows: it was left out)."""
    was = old(name)
    if was is None or not all(_number(v) for v in (typed, right, *was)):
        return False
    return close(typed, was[0], tolerance) and not close(right, was[1], tolerance)


def _shown(value: float, tolerance: float) -> float:
    """``value`` to the significant figures a ``tolerance`` asks for (1e-3: four)."""
    if value == 0 or not math.isfinite(value):
        return value
    figures = max(1, math.ceil(-math.log10(tolerance)) + 1)
    return float(f"{value:.{figures - 1}e}")


def previous(book: Book, lines: dict, student: dict, right: dict):
    """``old(name)``: for a quantity named ``P_new``, the ``P`` it replaces as (the
    student's value, the right value), or None where there is no such ``P``.  ``student``:
    each step-sheet quantity's value from the student's answers; ``right``: sheet -> name
    -> the right value."""
    refs = {line.name.lower(): ref for ref, line in lines.items()}

    def old(name: str) -> tuple[object, object] | None:
        before = name.replace("_new", "", 1)
        if before == name:
            return None
        ref = refs.get(before.lower())
        if ref is not None:  # a quantity of a step sheet: the last step's update
            return student.get(ref), right[ref.sheet].get(lines[ref].name)
        ref = book.name_ref(before)  # a given
        cell = None if ref is None else book.cells.get(ref)
        if cell is None or cell.formula is not None or not _number(cell.value):
            return None
        return cell.value, cell.value

    return old


def withheld(
    lines: dict,
    roots: dict[CellRef, tuple[float, str]],
    carried: set[CellRef],
    fed: dict[CellRef, object],
    run: Callable[[dict], dict],
    tolerance: float,
) -> dict[CellRef, str]:
    """The answers of ``carried`` that follow from one of ``roots`` (ref -> (the right
    value, how the note names it)), each with the note saying so.

    ``lines``: every quantity of the step sheets (ref -> its name and key formula) in
    reading order; ``fed``: what each answer gives the formulas reading it; ``run(pinned)``:
    every key formula's value, the answers of ``pinned`` read as given there."""
    if not roots or not carried:
        return {}
    pinned = {ref: v for ref, v in fed.items() if ref not in carried or ref in roots}
    as_typed = run(pinned)
    put_right = run({**pinned, **{ref: right for ref, (right, _) in roots.items()}})
    moved = [
        ref
        for ref in carried
        if not (as_typed[ref] == put_right[ref] or close(as_typed[ref], put_right[ref], tolerance))
    ]
    source = _sources(lines, roots) if moved else {}
    return {ref: _note(roots, source.get(ref)) for ref in moved}


def _sources(lines: dict, roots: dict) -> dict[CellRef, CellRef]:
    """Each quantity -> the first of ``roots`` it reads, through others or directly.
    Rows come in reading order, each reading only rows above it or on earlier sheets, so
    one pass finds them."""
    order = {ref: k for k, ref in enumerate(lines)}
    first: dict[str, CellRef] = {}  # name, lower case -> the first it reads or is
    found = {}
    for ref, line in lines.items():
        read = {first[n.lower()] for n in names_read(line.formula) if n.lower() in first}
        if read:
            found[ref] = min(read, key=order.__getitem__)
        if ref in roots:
            read.add(ref)
        if read:
            first[line.name.lower()] = min(read, key=order.__getitem__)
    return found


def _note(roots: dict, source: CellRef | None) -> str:
    if source is None:  # not found by name: say what, if not from where
        return "follows from a value next to 0 or an update that moved nothing: no credit carried"
    return f"no credit carried from {roots[source][1]}"  # its row shows the right value
