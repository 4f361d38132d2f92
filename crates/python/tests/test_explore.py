"""Sobol indices and PRIM from Python, with a cross-check of quasi-p values against SciPy."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import wedge


def synthetic(seed: int, n: int = 5000) -> pd.DataFrame:
    """x1..x5 ~ U(0,1), a label column; y = [x1 > 0.7 and x2 < 0.3] with 5% of labels flipped."""
    rng = np.random.default_rng(seed)
    x = rng.random((n, 5))
    inside = (x[:, 0] > 0.7) & (x[:, 1] < 0.3)
    flip = rng.random(n) < 0.05
    df = pd.DataFrame({f"u.x{i + 1}": x[:, i] for i in range(5)})
    df["l.kind"] = pd.Categorical(rng.choice(["a", "b", "c"], n))
    df["split"] = (inside != flip).astype(int)
    return df


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_prim_finds_the_known_box(seed):
    found = wedge.discover(synthetic(seed), outcome="split", threshold=0.9)
    assert found["rows"] == 5000
    assert set(found["inputs"]) == {"u.x1", "u.x2", "u.x3", "u.x4", "u.x5", "l.kind"}
    chosen = found["boxes"][0]["inspection"]
    assert chosen["coverage"] >= 0.55
    assert chosen["density"] >= 0.88
    limits = {r["name"]: r for r in chosen["restrictions"]}
    significant = sorted(name for name, r in limits.items() if r["significant"])
    assert significant == ["u.x1", "u.x2"]
    assert 0.65 <= limits["u.x1"]["bounds"]["low"] <= 0.75
    assert 0.25 <= limits["u.x2"]["bounds"]["high"] <= 0.35


def test_prim_quasi_p_matches_scipy_binomtest():
    scipy_stats = pytest.importorskip("scipy.stats")
    df = synthetic(4)
    found = wedge.discover(df, threshold=0.9)
    chosen = found["boxes"][0]["inspection"]
    limits = {r["name"]: r for r in chosen["restrictions"]}
    # Drop x1's lower limit: the box is then x2 <= high (plus any other limits).
    in_box = np.ones(len(df), dtype=bool)
    for name, r in limits.items():
        if name == "u.x1":
            continue
        b = r["bounds"]
        in_box &= (df[name] >= b["low"]) & (df[name] <= b["high"])
    p = df.loc[in_box, "split"].mean()
    expected = scipy_stats.binomtest(chosen["k"], chosen["n"], p, alternative="greater").pvalue
    got = limits["u.x1"]["qp_low"]
    assert math.isclose(got, expected, rel_tol=1e-6, abs_tol=1e-300)


def test_discover_on_a_continuous_outcome_and_errors(baseline):
    table = wedge.runs(baseline, runs=1500, seed=2)
    found = wedge.discover(table, outcome="final_alignment", below=0.0, threshold=0.3)
    assert found["cases"] == int((table["final_alignment"] < 0).sum())
    assert all(name.startswith("u.") for name in found["inputs"])
    with pytest.raises(ValueError, match="no column `nope`"):
        wedge.discover(table, outcome="nope")
    with pytest.raises(ValueError, match="not 0 or 1"):
        wedge.discover(table, outcome="final_alignment")


def test_sobol_is_deterministic_and_names_its_factors(baseline):
    a = wedge.sobol(baseline, base=32, replicates=32, seed=3)
    b = wedge.sobol(baseline, base=32, replicates=32, seed=3)
    # Everything but how the execution went (threads, wall time) is the same.
    timing = {"threads", "wall_seconds", "runs_per_second"}
    assert {k: v for k, v in a.items() if k not in timing} == {k: v for k, v in b.items() if k not in timing}
    assert a["wedge_version"] == wedge.__version__
    assert a["command"] == "python: wedge.sobol"
    assert (a["seed"], len(a["scenario_hash"])) == (3, 64)
    names = [f["name"] for f in a["factors"]]
    assert names == ["china_growth", "russia_growth", "transition_pace", "successor_orientation"]
    assert a["rows"] == 32 * (len(names) + 2)
    assert a["runs"] == a["rows"] * 32
    outcomes = {o["outcome"]: o for o in a["outcomes"]}
    assert set(outcomes) == {"split", "final_alignment"}
    for o in outcomes.values():
        assert len(o["indices"]["first_order"]) == len(names)
        assert all(e["conf"] is not None and e["conf"] >= 0 for e in o["indices"]["total_order"])
        assert o["noise"]["share"] >= 0


def test_sobol_with_levers_adds_one_factor_per_lever(root):
    s = wedge.sobol(root / "scenarios" / "lever-sanctions-relief-path.ron", base=16, replicates=16, levers=True)
    lever = [f for f in s["factors"] if f["kind"] == "lever"]
    assert [f["name"] for f in lever] == ["sanctions-relief-path"]
    assert lever[0]["low"] == 0 and lever[0]["high"] == 2
    with pytest.raises(ValueError, match="power of two|base"):
        wedge.sobol(root / "scenarios" / "baseline-2021.ron", base=10, replicates=4)

