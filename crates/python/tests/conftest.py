"""Shared fixtures: where the repository's scenarios and the `wedge` binary are."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="session")
def root() -> Path:
    """The repository root."""
    return ROOT


@pytest.fixture(scope="session")
def baseline() -> Path:
    """The baseline scenario of 2021."""
    return ROOT / "scenarios" / "baseline-2021.ron"


@pytest.fixture(scope="session")
def wedge_bin() -> Path:
    """The command-line binary: $WEDGE_BIN, else target/release/wedge, else `wedge` on PATH."""
    explicit = os.environ.get("WEDGE_BIN")
    if explicit:
        return Path(explicit)
    built = ROOT / "target" / "release" / "wedge"
    if built.exists():
        return built
    found = shutil.which("wedge")
    if found is None:
        pytest.fail("no wedge binary: build it with `cargo build --release` or set WEDGE_BIN")
    return Path(found)
