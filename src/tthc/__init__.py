"""tthc-bot: a Telegram assistant for Vietnamese administrative procedures."""

__version__ = "0.5.0"
