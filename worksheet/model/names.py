"""Every quantity's defined name and its printed symbol, in one place.

A quantity is spelled the same way everywhere: the defined name used in
formulas (``w_1``), the Unicode symbol shown on the sheet (``w₁``) and the
maths column.  Defined names must not look like cell references (``w1`` is
column W, row 1), hence the underscore before every index.

Indices are 1-based, as on paper.  Weights and biases are numbered across the
whole network (see ``topology``); neurons share the numbering of their biases,
so ``z_3`` is the weighted sum of the neuron whose bias is ``b_3``.  Outputs are
numbered on their own: ``yhat_1`` is the first output.
"""

from __future__ import annotations

from dataclasses import dataclass

_SUBSCRIPT = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def sub(index: int) -> str:
    """Unicode subscript digits for ``index`` (12 -> '₁₂')."""
    return str(index).translate(_SUBSCRIPT)


@dataclass(frozen=True)
class Symbol:
    """A quantity's defined name and how it is printed."""

    name: str
    text: str

    def new(self) -> Symbol:
        """The same quantity after the update (``w_1_new``, ``w₁′``)."""
        return Symbol(f"{self.name}_new", f"{self.text}′")


def on_step(name: str, k: int) -> str:
    """A step quantity's defined name on step sheet ``k``: as it is on the first (the sheet a
    student reads), with ``_s2``, ``_s3``... after it.  Names are workbook-wide, so each
    step's own need their own spelling."""
    return name if k == 1 else f"{name}_s{k}"


def x(i: int) -> Symbol:
    return Symbol(f"x_{i}", f"x{sub(i)}")


def y(j: int) -> Symbol:
    return Symbol(f"y_{j}", f"y{sub(j)}")


_SUPERSCRIPT = str.maketrans("0123456789()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾")


def example_symbols(layers) -> list[Symbol]:
    """The inputs and targets of one example, in Givens order."""
    return [x(i) for i in range(1, layers[0] + 1)] + [y(j) for j in range(1, layers[-1] + 1)]


def of_example(symbol: Symbol, e: int, alias: bool = False) -> Symbol:
    """An input or target of example ``e`` (1-based) of the data set: ``x_1_ex2``, ``x₁⁽²⁾``.

    Example 1 keeps the plain names, so a one-example sheet reads ``x_1`` and ``y_1``; with
    ``alias`` it also answers to ``x_1_ex1``, which later step sheets use."""
    if e == 1 and not alias:
        return symbol
    return Symbol(f"{symbol.name}_ex{e}", symbol.text + f"({e})".translate(_SUPERSCRIPT))


def eta_run(r: int) -> Symbol:
    """The learning rate of run ``r`` of a learning-rate sweep."""
    return Symbol(f"eta_run{r}", f"η{sub(r)}")


def w(i: int) -> Symbol:
    return Symbol(f"w_{i}", f"w{sub(i)}")


def b(k: int) -> Symbol:
    return Symbol(f"b_{k}", f"b{sub(k)}")


def z(k: int) -> Symbol:
    return Symbol(f"z_{k}", f"z{sub(k)}")


def h(k: int) -> Symbol:
    return Symbol(f"h_{k}", f"h{sub(k)}")


def yhat(j: int) -> Symbol:
    return Symbol(f"yhat_{j}", f"ŷ{sub(j)}")


def loss_term(j: int) -> Symbol:
    return Symbol(f"L_{j}", f"L{sub(j)}")


def dL_dyhat(j: int) -> Symbol:
    return Symbol(f"dL_dyhat_{j}", f"∂L/∂ŷ{sub(j)}")


def dyhat_dz(j: int, k: int) -> Symbol:
    return Symbol(f"dyhat_dz_{k}", f"∂ŷ{sub(j)}/∂z{sub(k)}")


# Softmax outputs: the largest weighted sum (subtracted before EXP, so EXP cannot overflow),
# each exponential, their sum; the Jacobian entry ∂ŷ_i/∂z_k; the shortcut δ = ŷ − y.
Z_MAX = Symbol("z_max", "z_max")
EXP_SUM = Symbol("exp_sum", "Σe")


def exp_z(j: int) -> Symbol:
    return Symbol(f"exp_z_{j}", f"e{sub(j)}")


def dyhat_i_dz(i: int, k: int) -> Symbol:
    return Symbol(f"dyhat_{i}_dz_{k}", f"∂ŷ{sub(i)}/∂z{sub(k)}")


def delta_shortcut(k: int) -> Symbol:
    return Symbol(f"delta_{k}_shortcut", f"δ{sub(k)} shortcut")


def dL_dh(k: int) -> Symbol:
    return Symbol(f"dL_dh_{k}", f"∂L/∂h{sub(k)}")


def dL_dh_via(k: int, target: int) -> Symbol:
    """One path's share of ∂L/∂h_k: the blame arriving through neuron ``target`` (δ·w)."""
    return Symbol(f"dL_dh_{k}_via_{target}", f"∂L/∂h{sub(k)} via z{sub(target)}")


def dh_dz(k: int) -> Symbol:
    return Symbol(f"dh_dz_{k}", f"∂h{sub(k)}/∂z{sub(k)}")


def delta(k: int) -> Symbol:
    return Symbol(f"delta_{k}", f"δ{sub(k)}")


def dL_dw(i: int) -> Symbol:
    return Symbol(f"dL_dw_{i}", f"∂L/∂w{sub(i)}")


def dL_db(k: int) -> Symbol:
    return Symbol(f"dL_db_{k}", f"∂L/∂b{sub(k)}")


ETA = Symbol("eta", "η")
LOSS = Symbol("L_total", "L")
LOSS_CHANGE = Symbol("L_change", "ΔL")
EPSILON = Symbol("eps", "ε")
# Descriptive cells that tell `worksheet check` which network the file holds.
NETWORK = Symbol("network_layers", "network")
LOSS_KIND = Symbol("loss_function", "loss")
ACTIVATION_KINDS = Symbol("activation_functions", "activations")
BIAS_UPDATE = Symbol("bias_update", "bias update")
EPOCHS = Symbol("training_epochs", "epochs")
ROUNDING = Symbol("round_digits", "rounding")
TRAINING_MODE = Symbol("training_mode", "training")
BATCH_SIZE = Symbol("batch_size", "batch size")
OPTIMIZER = Symbol("optimizer", "optimizer")
COMPARED = Symbol("compare_optimizers", "compared")
# The optimizers' hyperparameters (givens) and Adam's step count.  ``eps_opt`` is not the
# gradient check's ``eps``: a different ε with a different job.
BETA_1 = Symbol("beta_1", "β₁")
BETA_2 = Symbol("beta_2", "β₂")
EPS_OPT = Symbol("eps_opt", "ε")
STEP_COUNT = Symbol("t_adam", "t")


def moment(kind: str, param: Symbol) -> Symbol:
    """An optimizer's running moment ``kind`` (v, s or m) of one parameter: ``v_w_1``, v(w₁)."""
    return Symbol(f"{kind}_{param.name}", f"{kind}({param.text})")


def corrected(kind: str, param: Symbol) -> Symbol:
    """Adam's bias-corrected moment: ``mhat_w_1``, m̂(w₁)."""
    hat = {"m": "m̂", "v": "v̂"}[kind]
    return Symbol(f"{kind}hat_{param.name}", f"{hat}({param.text})")


# The gradient check's quantities: the loss with one parameter nudged, the numerical
# gradient and its relative difference from the analytic one.


def loss_at(param: Symbol, sign: int) -> Symbol:
    word, mark = ("plus", "+") if sign > 0 else ("minus", "−")
    return Symbol(f"L_{word}_{param.name}", f"L({param.text}{mark}{EPSILON.text})")


def numeric(grad: Symbol) -> Symbol:
    return Symbol(f"{grad.name}_numeric", f"{grad.text} numerical")


def reldiff(grad: Symbol) -> Symbol:
    return Symbol(f"{grad.name}_reldiff", f"{grad.text} rel. difference")


# What a handout says about itself, in text cells below the givens (``classroom.record``).
KIND = Symbol("worksheet_kind", "kind")
BLANKS = Symbol("blank_sections", "answers")
FINGERPRINT = Symbol("handout_fingerprint", "fingerprint")
STUDENT = Symbol("student_name", "student")
SEED = Symbol("student_seed", "seed")
SECRET = Symbol("handout_secret", "secret")
