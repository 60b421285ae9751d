"""Brings the server fixtures to these tests until the top-level conftest loads them for everyone.

Delete this file once a top-level conftest has `pytest_plugins = ["tests.server_fixtures"]`.
pytest_plugins itself is refused here: pytest only accepts it in a top-level conftest.
"""

import sys
from pathlib import Path

# `.venv/bin/pytest` does not put the repository root on sys.path, so `tests.*` would not import;
# unnecessary once pyproject's [tool.pytest.ini_options] has pythonpath = ["."].
_ROOT = str(Path(__file__).resolve().parents[3])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from tests.server_fixtures import dovecot, imap, redis_server, smtp, smtp_server  # noqa: E402, F401
