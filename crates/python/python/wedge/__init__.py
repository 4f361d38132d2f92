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
from collections.abc import Sequence
from typing import Any

import pandas as pd

from . import _wedge

__all__ = ["__version__", "runs", "sobol", "discover", "INPUT_PREFIXES"]

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


def runs(scenario: str | os.PathLike[str], runs: int = 1000, seed: int = 1) -> pd.DataFrame:
    """Play a scenario ``runs`` times and return one row per run.

    The table has the same columns and values as ``wedge run SCENARIO --runs-out
    FILE.csv`` with the same seed and runs:

    - ``run`` (index), ``seed`` (master seed), ``scenario`` and ``arm`` (labels);
    - ``u.<name>``: the value each declared uncertainty drew in that run;
    - ``l.<name>``: the intensity of each lever in force (0 where absent);
    - ``p.<path>``: values set for the arm (sweeps; none for a single scenario);
    - ``split`` (0/1), ``years_to_split`` and ``split_year`` (NaN when the
      partnership held to the horizon), ``defector`` (``russia``/``china``/NaN),
      ``russia_leader_change_years``, ``china_leader_change_years``,
      ``final_alignment``, and ``final.<variable>`` for the key state variables
      at the horizon.

    Labels are :class:`pandas.Categorical` with categories in declaration order.

    Args:
        scenario: Path of a scenario file (``.ron``).
        runs: Number of runs, at least 1.
        seed: Master seed; run *i* uses ChaCha8 stream *i* of this seed.

    Raises:
        ValueError: The scenario is invalid (every problem is listed) or ``runs`` is out of range.
        KeyboardInterrupt: Ctrl-C, checked between chunks of runs.
    """
    return _frame(_wedge.runs(_path(scenario), runs, seed))


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
