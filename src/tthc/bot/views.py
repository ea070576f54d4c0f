"""The replies every capability shares: the main menu, plain messages, language, groups."""

from __future__ import annotations

from typing import Any

from tthc.bot.menu import language, menu
from tthc.bot.replies import Button, Reply, rows
from tthc.catalog.service import CatalogInfo
from tthc.messages import Messages


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
            [Button(label(lang, "menu_search"), menu("search"))],
            [Button(label(lang, "menu_browse"), menu("browse"))],
            [Button(label(lang, "menu_dossier"), menu("dossier"))],
            [
                Button(label(lang, "menu_rate"), menu("rate")),
                Button(label(lang, "menu_complaint"), menu("complaint")),
            ],
            [
                Button(label(lang, "menu_help"), menu("help")),
                Button(label(lang, "menu_language"), menu("lang")),
            ],
        )

    def text(self, lang: str, template: str, *, menu: bool = False, **context: Any) -> Reply:
        """A plain templated message, optionally with the main menu under it."""
        return Reply(
            self.m.render(lang, template, **context), self._menu_buttons(lang) if menu else ()
        )

    def private_only(self, lang: str, username: str | None) -> Reply:
        """The polite refusal in a group chat, with a link to a private chat with the bot."""
        link = f"https://t.me/{username}" if username else None
        buttons = rows([Button(self.m.label(lang, "private_chat"), url=link)] if link else [])
        return Reply(self.m.render(lang, "private_only"), buttons)

    def language_prompt(self, lang: str) -> Reply:
        """Two buttons, one per language."""
        return Reply(
            self.m.render(lang, "language_prompt"),
            rows(
                [
                    Button(self.m.label(lang, "lang_vi"), language("vi")),
                    Button(self.m.label(lang, "lang_en"), language("en")),
                ]
            ),
        )
