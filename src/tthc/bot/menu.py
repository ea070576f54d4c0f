"""The main menu's buttons (`m:<action>`) and the language buttons (`l:<code>`).

Each action is routed by the dispatcher to the capability that registered it.
"""

from __future__ import annotations

ACTIONS = ("home", "help", "search", "browse", "dossier", "rate", "complaint", "lang")
MENU = r"^m:(" + "|".join(ACTIONS) + r")$"
LANGUAGE = r"^l:(vi|en)$"


def menu(action: str) -> str:
    """The data of a main-menu button."""
    if action not in ACTIONS:
        raise ValueError(f"no menu action {action!r}")
    return f"m:{action}"


def language(code: str) -> str:
    """The data of a language button."""
    return f"l:{code}"
