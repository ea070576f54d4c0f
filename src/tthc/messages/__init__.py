"""Every user-facing text, as jinja2 templates per language.

`*.html` templates render Telegram HTML (autoescaped). `labels.txt` holds plain-text
macros for button captions and pop-up alerts, which Telegram shows verbatim. `terms.txt`
translates the words data carries in Vietnamese (dossier statuses, the rating scale and
criteria, levels, report totals): `vietnamese<TAB>translation`; a term without a line is
shown as it is (a deployment may configure its own scale).
"""

from __future__ import annotations

import unicodedata
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from tthc.core.clock import VIETNAM

LANGUAGES = ("vi", "en")
TEMPLATE_DIR = Path(__file__).parent


class Messages:
    """Renders templates in the user's language."""

    def __init__(self, default_language: str = "vi") -> None:
        self.default_language = default_language
        self.env = Environment(
            loader=FileSystemLoader(TEMPLATE_DIR),
            autoescape=select_autoescape(enabled_extensions=("html",), default=False),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            auto_reload=False,  # templates ship with the code; no stat() per render
        )
        self.env.filters["vnd"] = format_vnd
        self.env.filters["num"] = format_number
        self.env.filters["date"] = format_date
        self.env.filters["datetime"] = format_datetime
        self.env.filters["time"] = format_time
        self.env.filters["shorten"] = shorten
        # The names of rendered templates, when a test wants to know (see tests/unit).
        self.rendered: set[str] | None = None

    def lang(self, language: str | None) -> str:
        """A supported language code, falling back to the default."""
        return language if language in LANGUAGES else self.default_language

    def render(self, language: str | None, template: str, /, **context: Any) -> str:
        """Render `<lang>/<template>.html` to Telegram HTML."""
        lang = self.lang(language)
        if self.rendered is not None:
            self.rendered.add(template)
        text = self.env.get_template(f"{lang}/{template}.html").render(
            lang=lang,
            label=lambda key, **kw: self.label(lang, key, **kw),
            term=lambda text: self.term(lang, text),
            **context,
        )
        return unicodedata.normalize("NFC", _squeeze_blank_lines(text))

    def term(self, language: str | None, text: str) -> str:
        """A Vietnamese data term in the user's language (unchanged when not listed)."""
        return _terms(self.lang(language)).get(text, text)

    def label(self, language: str | None, key: str, /, **context: Any) -> str:
        """A plain-text caption from `<lang>/labels.txt` (a macro of that name)."""
        lang = self.lang(language)
        module = self.env.get_template(f"{lang}/labels.txt").module
        macro = getattr(module, key)
        return unicodedata.normalize("NFC", str(macro(**context)).strip())

    def template_names(self) -> list[str]:
        """Names of the HTML templates (used by the test that renders them all).

        Files starting with "_" hold shared macros and are not rendered alone.
        """
        folder = TEMPLATE_DIR / self.default_language
        return sorted(p.stem for p in folder.glob("*.html") if not p.stem.startswith("_"))


@cache
def _terms(lang: str) -> dict[str, str]:
    path = TEMPLATE_DIR / lang / "terms.txt"
    if not path.exists():
        return {}
    pairs = (line.split("\t", 1) for line in path.read_text(encoding="utf-8").splitlines())
    return {vi.strip(): other.strip() for vi, *rest in pairs if rest for other in rest}


def _squeeze_blank_lines(text: str) -> str:
    lines = [line.rstrip() for line in text.strip().splitlines()]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out)


def shorten(text: str, limit: int = 160) -> str:
    """Cut long text at a word boundary with "…", never inside a word."""
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:-(")
    return cut + "…"


def format_number(value: float | int) -> str:
    """Vietnamese digit grouping: 1.234.567."""
    return f"{round(value):,}".replace(",", ".")


def format_vnd(value: float | int) -> str:
    """An amount in đồng, the way receipts print it."""
    return f"{format_number(value)} đồng"


def format_date(value: Any) -> str:
    """dd/mm/yyyy, as on Vietnamese documents (Vietnam time for timestamps)."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        value = value.astimezone(VIETNAM)
    return value.strftime("%d/%m/%Y") if value else ""


def format_datetime(value: datetime | None) -> str:
    """HH:MM dd/mm/yyyy in Vietnam time, as receipts print it."""
    return value.astimezone(VIETNAM).strftime("%H:%M %d/%m/%Y") if value else ""


def format_time(value: datetime | None) -> str:
    """HH:MM in Vietnam time."""
    return value.astimezone(VIETNAM).strftime("%H:%M") if value else ""
