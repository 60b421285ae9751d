"""The supervisor of `anmalan run` counts crashes: five within a minute is a loop, spread out is not."""

from __future__ import annotations

from worker.supervisor import CrashLoop


def test_five_crashes_within_a_minute_are_a_loop() -> None:
    crashes = CrashLoop()
    assert [crashes.crashed(t) for t in (0, 10, 20, 30, 40)] == [False, False, False, False, True]


def test_crashes_spread_over_more_than_a_minute_are_not() -> None:
    crashes = CrashLoop()
    assert not any(crashes.crashed(t) for t in (0, 20, 40, 60, 80, 100, 120, 140))
