"""Fixtures for the pure rule tests."""

from __future__ import annotations

import pytest
from rulekit import Desk, load_event


@pytest.fixture
def event():
    return load_event()


@pytest.fixture
def desk():
    return Desk()
