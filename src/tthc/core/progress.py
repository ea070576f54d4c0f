"""A progress line for long imports on a terminal: rows, rows per second, share and ETA.

Only drawn when standard error is a terminal, so logs and CI output stay clean.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO


class TerminalProgress:
    """Redraws one line at most ten times a second; `done()` ends it."""

    def __init__(self, label: str, stream: TextIO | None = None) -> None:
        self.label = label
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty()
        self.started = time.monotonic()
        self.drawn = 0.0

    def __call__(self, count: int, fraction: float | None) -> None:
        """Show `count` items so far and, when known, the share of the work done."""
        now = time.monotonic()
        if not self.enabled or now - self.drawn < 0.1:
            return
        self.drawn = now
        elapsed = max(now - self.started, 1e-6)
        line = f"\r{self.label}: {count:,} rows · {count / elapsed:,.0f} rows/s"
        if fraction:
            left = elapsed * (1 - fraction) / fraction
            line += f" · {fraction:.0%} · ETA {int(left) // 60}:{int(left) % 60:02d}"
        self.stream.write(line.ljust(78))
        self.stream.flush()

    def done(self) -> None:
        """Finish the line so the next output starts on its own."""
        if self.enabled and self.drawn:
            self.stream.write("\r" + " " * 78 + "\r")
            self.stream.flush()
