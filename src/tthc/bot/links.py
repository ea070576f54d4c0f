"""Deep links (`https://t.me/<bot>?start=<payload>`) that open a procedure or a dossier.

Start payloads allow only letters, digits, "_" and "-" (64 at most), so the dots of
national codes ("1.000656") travel as "_".
"""

from __future__ import annotations

PROCEDURE_LINK = "tt_"
DOSSIER_LINK = "hs_"
RATING_LINK = "dg_"
MAX_PAYLOAD = 64


def deep_link(username: str | None, prefix: str, code: str) -> str | None:
    """The link that opens `code`, or None when the bot's username is unknown."""
    payload = f"{prefix}{code.replace('.', '_')}"
    if not username or len(payload) > MAX_PAYLOAD:
        return None
    return f"https://t.me/{username}?start={payload}"


def code_from_payload(payload: str, prefix: str) -> str | None:
    """The code carried by a payload made by :func:`deep_link`, or None."""
    if not payload.startswith(prefix) or len(payload) > MAX_PAYLOAD:
        return None
    return payload[len(prefix) :].replace("_", ".") or None
