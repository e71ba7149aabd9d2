"""Fixtures for the pure-core tests: the shipped instruments and a small instrument to break."""
import copy
from pathlib import Path

import pytest

from diagnosis import load_instruments
from tests.unit.builders import SMALL

ROOT = Path(__file__).resolve().parents[2]
QUESTIONNAIRES = ROOT / "questionnaires"


@pytest.fixture(scope="session")
def instruments():
    return load_instruments(QUESTIONNAIRES)


@pytest.fixture(scope="session")
def cn(instruments):
    return instruments["cn-sme-2024"]


@pytest.fixture(scope="session")
def cn_v1(instruments):
    """cn-sme-2024 1.0.0: superseded, kept so the results scored with it still display."""
    return instruments.version("cn-sme-2024", "1.0.0")


@pytest.fixture(scope="session")
def eu(instruments):
    return instruments["eu-dma"]


@pytest.fixture(scope="session")
def qc(instruments):
    return instruments["quick-check"]


@pytest.fixture
def small_data():
    """A fresh deep copy of SMALL to break."""
    return copy.deepcopy(SMALL)
