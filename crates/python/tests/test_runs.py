"""The per-run table from Python: columns, determinism, errors."""

from __future__ import annotations

import subprocess

import numpy as np
import pandas as pd
import pytest

import wedge


def test_columns_follow_the_table_conventions(baseline):
    df = wedge.runs(baseline, runs=300, seed=3)
    assert len(df) == 300
    assert list(df.columns[:4]) == ["run", "seed", "scenario", "arm"]
    assert (df["run"].to_numpy() == np.arange(300)).all()
    assert (df["seed"] == 3).all()
    drawn = [c for c in df.columns if c.startswith("u.")]
    assert drawn, "the baseline declares uncertainties"
    for name in ["split", "years_to_split", "split_year", "defector", "final_alignment"]:
        assert name in df.columns
    assert set(df["split"].unique()) <= {0, 1}
    # Censored runs have no split year; split runs have one, within the horizon.
    assert df.loc[df["split"] == 0, "years_to_split"].isna().all()
    assert df.loc[df["split"] == 1, "years_to_split"].between(0, 10).all()
    assert isinstance(df["defector"].dtype, pd.CategoricalDtype)
    assert list(df["defector"].cat.categories) == ["russia", "china"]
    assert (df.loc[df["split"] == 0, "defector"].isna()).all()
    assert df.loc[df["split"] == 1, "defector"].notna().all()


def test_uncertainties_vary_and_stay_in_their_support(baseline):
    df = wedge.runs(baseline, runs=500, seed=1)
    growth = df["u.china_growth"]
    assert growth.std() > 0
    # Triangular(low: 0.03, mode: 0.05, high: 0.065) in the baseline.
    assert growth.between(0.03, 0.065).all()


def test_same_seed_same_table_and_prefix_property(baseline):
    a = wedge.runs(baseline, runs=400, seed=7)
    b = wedge.runs(baseline, runs=400, seed=7)
    pd.testing.assert_frame_equal(a, b)
    # Run i does not depend on how many runs were asked for.
    c = wedge.runs(baseline, runs=150, seed=7)
    pd.testing.assert_frame_equal(a.iloc[:150].reset_index(drop=True), c)
    d = wedge.runs(baseline, runs=400, seed=8)
    assert not a["u.china_growth"].equals(d["u.china_growth"])


def test_invalid_input_raises_value_error(tmp_path, baseline):
    with pytest.raises(ValueError, match="runs must be between"):
        wedge.runs(baseline, runs=0, seed=1)
    bad = tmp_path / "bad.ron"
    bad.write_text("(name: \"x\", horizon_years: )")
    with pytest.raises(ValueError, match="bad.ron"):
        wedge.runs(bad, runs=10, seed=1)
    with pytest.raises(ValueError, match="cannot read"):
        wedge.runs(tmp_path / "missing.ron", runs=10, seed=1)


def _cli_table(wedge_bin, tmp_path, args):
    out = tmp_path / "runs.csv"
    done = subprocess.run([str(wedge_bin), *map(str, args), "-q", "--runs-out", str(out)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return pd.read_csv(out)


def _same(py: pd.DataFrame, cli: pd.DataFrame):
    assert list(py.columns) == list(cli.columns)
    for name in py.columns:
        a, b = py[name], cli[name]
        if isinstance(a.dtype, pd.CategoricalDtype):
            assert a.astype(object).where(a.notna(), None).tolist() == b.astype(object).where(b.notna(), None).tolist(), name
        else:
            np.testing.assert_array_equal(a.to_numpy(dtype=float), b.to_numpy(dtype=float), err_msg=name)


def test_runs_equal_the_command_lines_csv(baseline, wedge_bin, tmp_path):
    cli = _cli_table(wedge_bin, tmp_path, ["run", baseline, "--runs", "600", "--seed", "9"])
    _same(wedge.runs(baseline, runs=600, seed=9), cli)


def test_comparison_and_sweep_tables_equal_the_command_lines(root, baseline, wedge_bin, tmp_path):
    cli = _cli_table(wedge_bin, tmp_path, ["compare", baseline, "--levers", "sanctions-relief-path", "--runs", "300", "--seed", "4"])
    py = wedge.runs(baseline, runs=300, seed=4, levers=["sanctions-relief-path"])
    _same(py, cli)
    lever = root / "scenarios" / "lever-sanctions-relief-path.ron"
    path = "levers.sanctions-relief-path.intensity"
    cli = _cli_table(wedge_bin, tmp_path, ["sweep", lever, "--param", f"{path}=0,2", "--runs", "200", "--seed", "4"])
    py = wedge.runs(lever, runs=200, seed=4, params={path: [0, 2]})
    _same(py, cli)
    assert set(py[f"p.{path}"]) == {0.0, 2.0}


def test_run_compare_and_sweep_summaries(root, baseline):
    base = wedge.run(baseline, runs=500, seed=2)
    table = wedge.runs(baseline, runs=500, seed=2)
    assert base["split"]["count"] == int(table["split"].sum())
    assert base["runs"] == 500
    cmp = wedge.compare(baseline, levers=["sanctions-relief-path"], runs=500, seed=2)
    assert [a["name"] for a in cmp["arms"]] == ["baseline-2021", "+sanctions-relief-path"]
    assert cmp["arms"][0]["split"]["count"] == base["split"]["count"]
    path = "levers.sanctions-relief-path.intensity"
    sw = wedge.sweep(root / "scenarios" / "lever-sanctions-relief-path.ron", {path: [0, 1, 2]}, runs=300, seed=2)
    assert [a["params"][path] for a in sw["arms"]] == [0.0, 1.0, 2.0]
    # Intensity 0 is the baseline: same runs, same splits.
    assert sw["arms"][0]["split"]["count"] == wedge.run(baseline, runs=300, seed=2)["split"]["count"]


def test_sweeping_a_drawn_path_is_refused(baseline):
    with pytest.raises(ValueError, match="uncertainties.successor_orientation"):
        wedge.sweep(baseline, {"params.successor_orientation_base": [0, 0.6]}, runs=10)
