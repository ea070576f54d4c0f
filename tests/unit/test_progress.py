"""The terminal progress line of long imports."""

from __future__ import annotations

import io

from tthc.core.progress import TerminalProgress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_draws_rows_rate_share_and_eta_on_a_terminal_only() -> None:
    terminal = Terminal()
    progress = TerminalProgress("importing x.csv", terminal)
    progress.drawn = -1.0  # draw now
    progress(5000, 0.25)
    line = terminal.getvalue()
    assert line.startswith("\rimporting x.csv: 5,000 rows · ") and "rows/s · 25% · ETA " in line
    progress.done()
    assert terminal.getvalue().endswith("\r")
    quiet = io.StringIO()
    TerminalProgress("x", quiet)(10, 0.5)
    assert quiet.getvalue() == ""  # not a terminal: logs and CI stay clean
