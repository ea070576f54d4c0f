"""Replies built from service results and templates; no Telegram objects, no database."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from bot.replies import Button, Reply, rows
from catalog.models import Procedure
from catalog.search import Confidence, Entry, SearchResult, base_name
from catalog.service import CatalogInfo
from messages import Messages

SECTIONS = ("documents", "steps", "fees", "time", "ways", "legal", "result")
SECTION_CODES = {"documents": "d", "steps": "s", "fees": "f", "time": "t", "ways": "w", "legal": "l", "result": "r"}  # fmt: skip
SECTION_BY_CODE = {v: k for k, v in SECTION_CODES.items()}
DOCUMENT_DEFAULTS: dict[str, Any] = {
    "case": None,
    "originals": None,
    "copies_count": None,
    "form": None,
}


class Views:
    """Turns what the services return into replies in the user's language."""

    def __init__(self, messages: Messages) -> None:
        self.m = messages

    def main_menu(self, lang: str, info: CatalogInfo, name: str | None = None) -> Reply:
        """Greeting with the capabilities that exist."""
        text = self.m.render(
            lang, "start", name=name, procedures=info.procedures, updated=info.updated_at
        )
        return Reply(text, self._menu_buttons(lang))

    def _menu_buttons(self, lang: str) -> tuple[tuple[Button, ...], ...]:
        label = self.m.label
        return rows(
            [Button(label(lang, "menu_search"), "m:search")],
            [
                Button(label(lang, "menu_help"), "m:help"),
                Button(label(lang, "menu_language"), "m:lang"),
            ],
        )

    def text(self, lang: str, template: str, *, menu: bool = False, **context: Any) -> Reply:
        """A plain templated message, optionally with the main menu under it."""
        return Reply(
            self.m.render(lang, template, **context), self._menu_buttons(lang) if menu else ()
        )

    def language_prompt(self, lang: str) -> Reply:
        """Two buttons, one per language."""
        return Reply(
            self.m.render(lang, "language_prompt"),
            rows(
                [
                    Button(self.m.label(lang, "lang_vi"), "l:vi"),
                    Button(self.m.label(lang, "lang_en"), "l:en"),
                ]
            ),
        )

    def search_result(self, lang: str, result: SearchResult) -> Reply:
        """A list to choose from (ambiguous) or the no-match reply with suggestions."""
        if result.confidence is Confidence.AMBIGUOUS:
            text = self.m.render(lang, "search_list", query=_short(result.query))
        else:
            text = self.m.render(
                lang, "search_none", query=_short(result.query), suggestions=bool(result.hits)
            )
        bases = [base_name(h.name) for h in result.hits]
        buttons = [
            Button(
                self.m.label(
                    lang,
                    "hit",
                    name=_caption(base, 48),
                    level=", ".join(h.levels) if bases.count(base) > 1 else "",
                ),
                f"r:{h.code}",
            )
            for h, base in zip(result.hits, bases, strict=True)
        ]
        return Reply(text, tuple((b,) for b in buttons))

    def procedure_card(
        self, lang: str, procedure: Procedure, variants: list[Entry], *, edit: bool = False
    ) -> Reply:
        """The summary card with one button per section."""
        levels = [", ".join(v.levels) for v in variants if v.levels]
        text = self.m.render(lang, "procedure_card", p=procedure, variants=levels)
        label = self.m.label
        section_buttons = [
            Button(label(lang, f"section_{s}"), f"s:{procedure.code}:{SECTION_CODES[s]}")
            for s in SECTIONS
        ]
        variant_buttons = [
            Button(_caption(label(lang, "level_variant", level=", ".join(v.levels))), f"p:{v.code}")
            for v in variants[:3]
        ]
        keyboard = rows(
            section_buttons[:1],
            section_buttons[1:3],
            section_buttons[3:5],
            section_buttons[5:7],
            variant_buttons,
            [Button(label(lang, "main_menu"), "m:home")],
        )
        return Reply(text, keyboard, edit=edit)

    def procedure_section(self, lang: str, procedure: Procedure, section: str) -> Reply:
        """One section of a procedure, replacing the card in place, with a way back."""
        documents = [{**DOCUMENT_DEFAULTS, **d} for d in procedure.documents]
        groups = [
            {"case": case, "documents": list(docs)}
            for case, docs in groupby(documents, key=lambda d: d["case"])
        ]
        text = self.m.render(lang, "procedure_section", p=procedure, section=section, groups=groups)
        back = Button(self.m.label(lang, "back"), f"p:{procedure.code}")
        return Reply(text, rows([back]), edit=True)


def _short(query: str, limit: int = 80) -> str:
    query = " ".join(query.split())
    return query if len(query) <= limit else query[: limit - 1] + "…"


def _caption(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
