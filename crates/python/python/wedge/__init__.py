"""wedge from Python: play scenarios of the China–Russia partnership and explore the results.

wedge is an agent-based Monte Carlo model of wedge strategies against the
China–Russia partnership, after Charles Kupchan's essay "The Right Way to Split
China and Russia" (Foreign Affairs, 2021). This package calls the same library
as the ``wedge`` command line, in process; results are identical to the
command's for the same scenario, seed and number of runs.

>>> import wedge
>>> table = wedge.runs("scenarios/baseline-2021.ron", runs=1000, seed=1)   # doctest: +SKIP
>>> table["split"].mean()                                                  # doctest: +SKIP
0.153

Functions:

- :func:`runs` — the per-run table (one row per run) as a :class:`pandas.DataFrame`.
- :func:`run` — the summary of a batch, as ``wedge run --format json`` gives it.
- :func:`compare` — a paired comparison of a baseline with variants or levers.
- :func:`sobol` — Sobol indices of the split share and the final alignment.
- :func:`discover` — PRIM scenario discovery on a per-run table.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from . import _wedge

__all__ = ["__version__", "run", "compare", "sweep", "runs", "sobol", "discover", "INPUT_PREFIXES"]

__version__: str = _wedge.version()

#: Column-name prefixes of the input columns of a per-run table: values set or
#: swept for an arm (``p.``), drawn uncertainties (``u.``), lever intensities (``l.``).
INPUT_PREFIXES: tuple[str, ...] = ("p.", "u.", "l.")


def _path(scenario: str | os.PathLike[str]) -> str:
    return os.fspath(scenario)


def _frame(columns: dict[str, Any]) -> pd.DataFrame:
    data: dict[str, Any] = {}
    for name, value in columns.items():
        if isinstance(value, tuple):
            codes, categories = value
            data[name] = pd.Categorical.from_codes(codes, categories=categories)
        else:
            data[name] = value
    return pd.DataFrame(data)


def run(scenario: str | os.PathLike[str], runs: int = 1000, seed: int = 1) -> dict[str, Any]:
    """Play a scenario ``runs`` times: the summary ``wedge run --format json`` prints.

    Keys include ``split`` (``probability``, Wilson ``ci95``, ``count``),
    ``median_years_to_split``, ``survival`` (per year), ``defectors``,
    ``triangle``, ``policies``, ``trajectories`` and ``manifest`` (docs/OUTPUT.md).

    Raises:
        ValueError: The scenario is invalid (every problem is listed) or ``runs`` is out of range.
        KeyboardInterrupt: Ctrl-C, honoured at the next wave of runs.
    """
    return json.loads(_wedge.run(_path(scenario), runs, seed))


def compare(
    baseline: str | os.PathLike[str],
    variants: Sequence[str | os.PathLike[str]] = (),
    levers: Sequence[str] = (),
    runs: int = 1000,
    seed: int = 1,
) -> dict[str, Any]:
    """Compare a baseline with variant scenarios and library levers, pair by pair.

    Every arm plays the same run indices of ``seed`` (common random numbers),
    so each run's uncertainties, events and noise are shared across arms. A
    lever arm is the baseline plus that lever (or package) from the baseline's
    library, named ``+lever``. The result is what ``wedge compare --format
    json`` prints: ``arms`` (baseline first, then by paired delta), each with
    ``split``, ``delta`` (``estimate``, paired ``ci95``, ``independent_ci95``,
    ``verdict``), ``pairs`` and ``survival``.

    Raises:
        ValueError: An invalid scenario or unknown lever.
        KeyboardInterrupt: Ctrl-C, honoured at the next wave of runs.
    """
    return json.loads(_wedge.compare(_path(baseline), [_path(v) for v in variants], list(levers), runs, seed))


def _params(params: Mapping[str, Sequence[float]]) -> list[tuple[str, list[float]]]:
    return [(str(path), [float(v) for v in values]) for path, values in params.items()]


def sweep(
    scenario: str | os.PathLike[str],
    params: Mapping[str, Sequence[float]],
    design: str = "grid",
    samples: int = 20,
    runs: int = 1000,
    seed: int = 1,
) -> dict[str, Any]:
    """Sweep field paths of a scenario (common random numbers across points).

    ``params`` maps a path (``levers.NAME.intensity``, ``params.NAME``,
    ``uncertainties.NAME.mean``, ...; docs/SCENARIOS.md) to its values. With
    ``design="grid"`` (one or two paths) every combination is played; with
    ``"lhs"`` a Latin hypercube of ``samples`` points over each path's range
    (smallest to largest value given). The result is what ``wedge sweep
    --format json`` prints; each arm has ``params``, its value of every swept path.

    Raises:
        ValueError: A path an uncertainty draws (sweep ``uncertainties.NAME.*``
            instead), an unknown path, or a bad design.
        KeyboardInterrupt: Ctrl-C, honoured at the next wave of runs.
    """
    return json.loads(_wedge.sweep(_path(scenario), _params(params), design, samples, runs, seed))


def runs(
    scenario: str | os.PathLike[str],
    runs: int = 1000,
    seed: int = 1,
    variants: Sequence[str | os.PathLike[str]] = (),
    levers: Sequence[str] = (),
    params: Mapping[str, Sequence[float]] | None = None,
    design: str = "grid",
    samples: int = 20,
) -> pd.DataFrame:
    """The per-run table: one row per run (and per arm), as ``--runs-out`` writes it.

    With neither ``variants``, ``levers`` nor ``params`` the table is that of
    ``wedge run``; with ``variants``/``levers``, that of ``wedge compare``
    (rows ordered by run, then arm); with ``params``, that of ``wedge sweep``
    (one arm per design point). Same scenario, seed and runs give the same
    values as the command line's CSV. Columns:

    - ``run`` (index), ``seed`` (master seed), ``scenario`` and ``arm`` (labels);
    - ``p.<path>``: the arm's value of each swept path (sweeps only);
    - ``u.<name>``: the value each declared uncertainty drew in that run;
    - ``l.<name>``: the intensity of each lever in force (0 where absent);
    - ``split`` (0/1), ``years_to_split`` and ``split_year`` (NaN when the
      partnership held to the horizon), ``defector`` (``russia``/``china``/NaN),
      ``russia_leader_change_years``, ``china_leader_change_years``,
      ``final_alignment``, and ``final.<variable>`` for key state variables
      at the horizon.

    Labels are :class:`pandas.Categorical` with categories in declaration order.

    Raises:
        ValueError: An invalid scenario (every problem is listed), unknown
            lever or path, or ``runs`` out of range.
        KeyboardInterrupt: Ctrl-C, checked between chunks of runs.
    """
    swept = _params(params) if params else []
    columns = _wedge.runs(
        _path(scenario), runs, seed, [_path(v) for v in variants], list(levers), swept, design, samples
    )
    return _frame(columns)


def sobol(
    scenario: str | os.PathLike[str],
    base: int = 256,
    replicates: int = 64,
    levers: bool = False,
    seed: int = 1,
    resamples: int = 100,
) -> dict[str, Any]:
    """Sobol indices of a scenario's split share and final alignment.

    A Saltelli design of ``base`` points (a power of two) is laid over the
    scenario's declared uncertainties (and, with ``levers=True``, the intensity
    of each lever in force, from 0 to twice its declared value). Each design
    row is played ``replicates`` times on the same run indices of ``seed``
    (common random numbers). The result is what ``wedge sobol --format json``
    prints: ``factors``, and per outcome (``split``, ``final_alignment``) the
    first- and total-order ``indices`` with 95% bootstrap half-widths and the
    ``noise`` share σ²/V (keep it below about 0.05 by raising ``replicates``).

    Raises:
        ValueError: Invalid scenario, no factors, or a bad design size.
        KeyboardInterrupt: Ctrl-C, checked between waves of design rows.
    """
    return json.loads(_wedge.sobol(_path(scenario), base, replicates, levers, seed, resamples))


def discover(
    table: pd.DataFrame,
    outcome: str = "split",
    threshold: float = 0.8,
    inputs: Sequence[str] | None = None,
    below: float | None = None,
    above: float | None = None,
    peel_alpha: float = 0.05,
    paste_alpha: float = 0.05,
    mass_min: float = 0.05,
    max_boxes: int = 1,
) -> dict[str, Any]:
    """Scenario discovery: PRIM boxes of inputs in which the cases of interest concentrate.

    PRIM (Friedman & Fisher 1999) as the EMA Workbench implements it: peel,
    paste, choose the step of best coverage whose density reaches
    ``threshold``, and give each restricted limit its quasi-p value (Bryant &
    Lempert 2010). The result is what ``wedge discover --format json`` prints.

    Args:
        table: A per-run table, e.g. from :func:`runs` (any DataFrame works).
        outcome: The outcome column; its cases of interest are the rows where
            it is 1, or below ``below`` / above ``above`` when one is given.
        threshold: Smallest density of the chosen box.
        inputs: Input columns; by default every column named ``p.*``, ``u.*``
            or ``l.*`` (numeric or categorical). Columns that never vary are left out.
        peel_alpha, paste_alpha, mass_min: PRIM's options (EMA Workbench defaults).
        max_boxes: Most boxes to find, one after another.

    Raises:
        ValueError: No such column, an outcome that is not 0/1 without a cut,
            an input with missing values, or nothing to discover.
    """
    if below is not None and above is not None:
        raise ValueError("give at most one of below and above")
    rule, cut = ("is_one", 0.0)
    if below is not None:
        rule, cut = ("below", float(below))
    elif above is not None:
        rule, cut = ("above", float(above))
    chosen = list(inputs) if inputs is not None else [c for c in table.columns if str(c).startswith(INPUT_PREFIXES)]
    order = [outcome] + [c for c in chosen if c != outcome]
    numeric: dict[str, Any] = {}
    labels: dict[str, list[str]] = {}
    for name in order:
        if name not in table.columns:
            if name == outcome:
                raise ValueError(f"no column `{name}` in the table (columns: {', '.join(map(str, table.columns))})")
            raise ValueError(f"no input column `{name}` in the table")
        column = table[name]
        if pd.api.types.is_numeric_dtype(column.dtype) and not isinstance(column.dtype, pd.CategoricalDtype):
            numeric[name] = column.to_numpy(dtype="float64", na_value=float("nan"))
        else:
            labels[name] = ["" if pd.isna(v) else str(v) for v in column]
    found = _wedge.discover(
        order, numeric, labels, outcome, rule, cut, list(chosen), threshold, peel_alpha, paste_alpha, mass_min, max_boxes
    )
    return json.loads(found)
