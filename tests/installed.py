"""The product as a user installs it: `pip install .` into a fresh venv, not editable, no extras."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# What is not part of a source tree handed to pip (a clean checkout has none of these).
NOT_SOURCE = shutil.ignore_patterns(
    ".git", ".venv", "build", "var", "test-artifacts", "*.egg-info", "__pycache__", ".*_cache", ".hypothesis"
)


def install(where: Path) -> Path:
    """A venv under `where` with the product installed from a copy of the checkout; returns its bin folder.

    The copy keeps the build's own files (build/, *.egg-info) out of the checkout.
    """
    source = where / "source"
    shutil.copytree(REPO, source, ignore=NOT_SOURCE)
    venv = where / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True)
    done = subprocess.run(
        [str(venv / "bin" / "pip"), "install", "--quiet", "--disable-pip-version-check", str(source)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    if done.returncode != 0:
        raise RuntimeError(f"pip install . failed:\n{done.stderr[-3000:]}")
    return venv / "bin"
