"""Type stubs of the compiled module ``wedge._wedge`` (use the functions of ``wedge`` instead)."""

import numpy as np
import numpy.typing as npt

Column = npt.NDArray[np.float64] | npt.NDArray[np.int64] | npt.NDArray[np.uint64] | tuple[npt.NDArray[np.int32], list[str]]

def version() -> str:
    """The wedge version."""

def runs(scenario: str, runs: int, seed: int) -> dict[str, Column]:
    """The per-run table of a scenario, as columns (labels as ``(codes, categories)``)."""

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
