"""Type stubs of the compiled module ``wedge._wedge`` (use the functions of ``wedge`` instead)."""

import numpy as np
import numpy.typing as npt

__all__ = ["compare", "discover", "run", "runs", "sobol", "sweep", "version"]

_Column = npt.NDArray[np.float64] | npt.NDArray[np.int64] | npt.NDArray[np.uint64] | tuple[npt.NDArray[np.int32], list[str]]

def version() -> str:
    """The wedge version."""

def runs(
    scenario: str,
    runs: int,
    seed: int,
    variants: list[str],
    levers: list[str],
    params: list[tuple[str, list[float]]],
    design: str,
    samples: int,
) -> dict[str, _Column]:
    """The per-run table, as columns (labels as ``(codes, categories)``)."""

def run(scenario: str, runs: int, seed: int) -> str:
    """A run summary as JSON text."""

def compare(baseline: str, variants: list[str], levers: list[str], runs: int, seed: int) -> str:
    """A comparison as JSON text."""

def sweep(
    scenario: str, params: list[tuple[str, list[float]]], design: str, samples: int, runs: int, seed: int
) -> str:
    """A sweep as JSON text."""

def sobol(scenario: str, base: int, replicates: int, levers: bool, seed: int, resamples: int) -> str:
    """Sobol indices as JSON text."""

def discover(
    order: list[str],
    numeric: dict[str, npt.NDArray[np.float64]],
    labels: dict[str, list[str]],
    outcome: str,
    rule: str,
    cut: float,
    inputs: list[str],
    threshold: float,
    peel_alpha: float,
    paste_alpha: float,
    mass_min: float,
    max_boxes: int,
) -> str:
    """PRIM boxes as JSON text."""
