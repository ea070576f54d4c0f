"""Callback data under a dossier: `d:<action>:<receipt code>`.

Actions: `v` refresh the status, `s` follow it, `u` stop following, `r` rate it (a finished
dossier; the rating capability takes it from there).
"""

from __future__ import annotations

DOSSIER = r"^d:[vsur]:[\w.\-]{1,60}$"


def view(code: str) -> str:
    return f"d:v:{code}"


def follow(code: str) -> str:
    return f"d:s:{code}"


def unfollow(code: str) -> str:
    return f"d:u:{code}"


def rate(code: str) -> str:
    return f"d:r:{code}"


def parse(data: str) -> tuple[str, str]:
    """(action, code)."""
    _, action, code = data.split(":", 2)
    return action, code
