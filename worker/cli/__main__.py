"""`python -m worker.cli` is `anmalan`."""

from worker.cli import main

main()
