"""Files that ship with the service: the built-in mail templates and the example event, read as package data.

A wheel carries templates/ and config/events/ inside the worker package (worker.templates, worker.events; see
pyproject.toml). A source checkout keeps them in their own folders, where organisers and reviewers find them.
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

# In a checkout (editable install, tests) the folders sit beside the worker package.
_CHECKOUT = Path(__file__).resolve().parents[1]


def _shipped(package: str, checkout_folder: str) -> Traversable:
    try:
        return resources.files(package)
    except ModuleNotFoundError:
        return _CHECKOUT / checkout_folder


def builtin_templates() -> Traversable:
    """The folder of built-in templates, one subfolder per language."""
    return _shipped("worker.templates", "templates")


def example_event() -> Path:
    """The example event (Dalalab 2024) that `anmalan demo` runs when no event file is configured."""
    found = _shipped("worker.events", "config/events") / "dalalab-2024.yaml"
    with resources.as_file(found) as path:  # a real file in every install we make; as_file says so
        return Path(path)
