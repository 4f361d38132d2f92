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
"""

from __future__ import annotations

import os
from typing import Any

import pandas as pd

from . import _wedge

__all__ = ["__version__", "runs", "INPUT_PREFIXES"]

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
