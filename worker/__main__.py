"""`python -m worker` is `anmalan`."""

from worker.cli import main

main()
