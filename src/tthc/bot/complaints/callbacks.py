"""Callback data under a complaint shown back: `pa:s` send, `pa:e` rewrite, `pa:x` drop."""

from __future__ import annotations

CONFIRM = r"^pa:[sex]$"
SEND, EDIT, DROP = "pa:s", "pa:e", "pa:x"


def parse(data: str) -> str:
    """The action: s, e or x."""
    return data[3:]
