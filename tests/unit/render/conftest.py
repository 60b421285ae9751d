"""Fixtures for the render tests: the rules' test kit is reused so every sample mail is one the rules really make."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "rules"))
