"""How long a mutant of a batch may run, from what the unchanged reference needed there.

A mutant stuck in a loop is the common way a run ends by time, and such a loop burns
processor time at full speed. Load on the machine stretches a run's wall clock, not its
processor time, so each mutant gets two limits:
- processor time: CPU_FACTOR times the reference's, at least CPU_FLOOR; it ends a loop in a
  fraction of a second however busy the machine is;
- wall time: WALL_FACTOR times the reference's, at least WALL_FLOOR; it ends a mutant that
  waits without computing, and leaves a busy machine room.
Both are capped by the batch's own run limit. A timed-out mutant counts as killed, and a pass
that rests on such kills is confirmed once more when the machine is idle (confirm.py).
"""

from __future__ import annotations

from typing import NamedTuple

CPU_FACTOR = 10
CPU_FLOOR = 0.25  # seconds
WALL_FACTOR = 10
WALL_FLOOR = 2.0  # seconds


class Rule(NamedTuple):
    """The numbers a batch's driver applies after timing the reference, under `cap` seconds."""

    cap: float
    cpu_factor: float = CPU_FACTOR
    cpu_floor: float = CPU_FLOOR
    wall_factor: float = WALL_FACTOR
    wall_floor: float = WALL_FLOOR

    def argv(self) -> list[str]:
        """The rule as command-line arguments of a driver, in field order; each driver clamps
        factor x the reference's time between the floor and the cap."""
        return [repr(float(value)) for value in self]
