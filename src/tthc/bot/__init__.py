"""Telegram front end.

Opt in to python-telegram-bot's future behaviour of durations as `timedelta` (read at
call time from the environment): without it, every `RetryAfter` Telegram sends while the
notification sender is throttled emits a deprecation warning.
"""

import os

os.environ.setdefault("PTB_TIMEDELTA", "1")
