"""The per-run table from Python: columns, determinism, errors."""

from __future__ import annotations

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
