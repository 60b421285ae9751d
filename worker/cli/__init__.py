"""The `anmalan` command line: run the service (running), look at it (looking), act as an organiser (organiser).

Each module adds its commands to the one Typer app in base when it is imported; importing them here, in the
order `anmalan --help` lists them, is what assembles the command line.
"""

from importlib import import_module

from worker.cli.base import app

for _part in ("running", "looking", "organiser", "events"):
    import_module(f"worker.cli.{_part}")


def main() -> None:
    app()


__all__ = ["app", "main"]
