"""Replies built from service results and templates; no Telegram objects, no database."""

from __future__ import annotations

from typing import Any, TypeVar
from urllib.parse import urlencode

from bot.replies import MAX_CALLBACK_BYTES, Button, Reply, grid, rows
from catalog.answering import Answer, AnswerKind, family
from catalog.browse import Facet, FacetKind, split_agencies
from catalog.models import Procedure
from catalog.normalize import fold, short_id
from catalog.reading import read_card
from catalog.search import Entry, Hit, base_name
from catalog.service import CatalogInfo
from checklist.service import ChecklistEntry
from dossiers.service import DossierView, LookupResult, Outcome
from foundation.clock import utcnow, vietnam_today
from messages import Messages

T = TypeVar("T")
FACET_PAGE = 10
MEMBER_PAGE = 10
CHECKLIST_PAGE = 8

SECTIONS = ("documents", "steps", "fees", "time", "ways", "legal", "result")
SECTION_CODES = {"documents": "d", "steps": "s", "fees": "f", "time": "t", "ways": "w", "legal": "l", "result": "r", "notes": "n"}  # fmt: skip
SECTION_BY_CODE = {v: k for k, v in SECTION_CODES.items()}
# Sections whose interpretation can be compared with the portal's own words; the raw view
# of a section is its code in upper case ("F": the fee text as published).
RAW_SECTIONS = ("documents", "steps", "fees", "time", "ways")


def parse_section(code: str) -> tuple[str, bool] | None:
    """(section, raw) from a callback's section code; None for an unknown code."""
    section = SECTION_BY_CODE.get(code.lower())
    if section is None or (code.isupper() and section not in RAW_SECTIONS):
        return None
    return section, code.isupper()


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
            [Button(label(lang, "menu_browse"), "m:browse")],
            [Button(label(lang, "menu_dossier"), "m:dossier")],
            [
                Button(label(lang, "menu_rate"), "m:rate"),
                Button(label(lang, "menu_complaint"), "m:complaint"),
            ],
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
                    Button(self.m.label(lang, "lang_vi"), "l:vi"),
                    Button(self.m.label(lang, "lang_en"), "l:en"),
                ]
            ),
        )

    def search_result(self, lang: str, answer: Answer) -> Reply:
        """A numbered list to choose from, or the no-match reply.

        The text names each procedure in full with its level and agency (long official
        names often differ only near the end); buttons carry the number and the start,
        made distinct with the level, then the agency, then the code when starts match.
        A pick from a list opens the card in place of the list, with a way back to it.
        A no-match reply suggests procedures only when they are plausibly related, and
        always offers browsing.
        """
        hits = list(answer.shown)
        listed = answer.kind is AnswerKind.LIST
        items = [
            {
                "name": _caption(h.name, 220),
                "levels": ", ".join(h.levels),
                "agency": _caption(", ".join(split_agencies(h.agency)[:2]), 80),
            }
            for h in hits
        ]
        template = "search_list" if listed else "search_none"
        query = _short(answer.result.query)
        text = self.m.render(lang, template, query=query, items=items)
        origin = search_origin(answer)
        buttons = [
            (
                Button(
                    self.m.label(lang, "hit", number=n, name=caption),
                    f"o:{origin}:{h.code}" if listed else f"r:{h.code}",
                ),
            )
            for n, (h, caption) in enumerate(zip(hits, distinct_captions(hits), strict=True), 1)
        ]
        if not listed:
            buttons.append((Button(self.m.label(lang, "menu_browse"), "m:browse"),))
        return Reply(text, tuple(buttons))

    def search_choice(self, lang: str, answer: Answer) -> Reply:
        """One short question when the results are one service for different cases.

        Each button names only the case ("Người dưới 14 tuổi"); a pick opens that card in
        place, with a way back to the question.
        """
        service = family(answer.shown[0].name)
        name = _service_name(answer.shown[0].name)
        text = self.m.render(lang, "search_choice", service=name, people=_about_people(service))
        origin = search_origin(answer)
        buttons = tuple(
            (Button(_caption(label, 60), f"o:{origin}:{h.code}"),)
            for h, label in zip(answer.shown, answer.labels, strict=True)
        )
        return Reply(text, buttons)

    def procedure_card(
        self,
        lang: str,
        procedure: Procedure,
        variants: list[Entry],
        *,
        edit: bool = False,
        origin: str | None = None,
        share_url: str | None = None,
        dossiers: bool = False,
    ) -> Reply:
        """The summary card with one button per section.

        `origin` ("<kind>:<facet id>:<page>") is the browse list the card was opened from:
        sections carry it so their "back" returns to a card that still leads to the list.
        `share_url` is the deep link that opens this card, offered as a share button;
        `dossiers` offers dossier lookup (when statuses have been published).
        """
        suffix = f":{origin}" if origin else ""
        levels = [", ".join(v.levels) for v in variants if v.levels]
        facts = read_card(procedure, vietnam_today())
        text = self.m.render(lang, "procedure_card", p=procedure, f=facts, variants=levels)
        label = self.m.label
        shown = [s for s in SECTIONS if s != "result" or facts.result is not None]
        section_buttons = [
            Button(label(lang, f"section_{s}"), f"s:{procedure.code}:{SECTION_CODES[s]}{suffix}")
            for s in shown
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
            [Button(label(lang, "menu_dossier"), "m:dossier")] if dossiers else [],
            [Button(label(lang, "portal_page"), url=procedure.source_url)]
            if _is_web_link(procedure.source_url)
            else [],
            [Button(label(lang, "share"), url=share_link(share_url, procedure.name))]
            if share_url
            else [],
            [Button(label(lang, "back_to_list"), "b{}:{}:{}".format(*origin.split(":")))]
            if origin
            else [],
            [Button(label(lang, "main_menu"), "m:home")],
        )
        return Reply(text, keyboard, edit=edit)

    def procedure_section(
        self,
        lang: str,
        procedure: Procedure,
        section: str,
        origin: str | None = None,
        *,
        raw: bool = False,
    ) -> Reply:
        """One section of a procedure, replacing the card in place, with a way back.

        `raw` shows the section as the portal published it ("Xem nguyên văn").
        """
        facts = read_card(procedure, vietnam_today())
        text = self.m.render(
            lang,
            "procedure_section",
            p=procedure,
            f=facts,
            section="raw" if raw else section,
            raw=section,
        )
        code = procedure.code
        suffix = f":{origin}" if origin else ""
        label = self.m.label
        card = f"o:{origin}:{code}" if origin else f"p:{code}"
        if raw or section == "notes":
            parent = section if raw else "documents"
            back = Button(label(lang, "back"), f"s:{code}:{SECTION_CODES[parent]}{suffix}")
        else:
            back = Button(label(lang, "back"), card)
        extra: list[Button] = []
        if section == "documents" and not raw:
            if facts.documents.papers:
                extra.append(Button(label(lang, "checklist_open"), f"k:{code}:0"))
            if facts.documents.notes:
                notes = label(lang, "section_notes", count=len(facts.documents.notes))
                extra.append(Button(notes, f"s:{code}:n{suffix}"))
        raw_button = (
            [Button(label(lang, "raw_text"), f"s:{code}:{SECTION_CODES[section].upper()}{suffix}")]
            if section in RAW_SECTIONS and not raw
            else []
        )
        return Reply(text, rows(*grid(extra, 1), raw_button, [back]), edit=True)

    def checklist(
        self, lang: str, procedure: Procedure, entries: list[ChecklistEntry], page: int
    ) -> Reply:
        """The documents with ✅/⬜ and one button per document that sets the other state."""
        page, pages, shown = _page(entries, page, CHECKLIST_PAGE)
        first = page * CHECKLIST_PAGE
        text = self.m.render(
            lang,
            "checklist",
            p=procedure,
            entries=[(first + i + 1, e.have, _caption(e.name, 160)) for i, e in enumerate(shown)],
            have=sum(e.have for e in entries),
            total=len(entries),
            missing=[first + i + 1 for i, e in enumerate(shown) if not e.have],
            page=page + 1,
            pages=pages,
        )
        code = procedure.code
        toggles = [
            Button(
                self.m.label(lang, "check_item", number=first + i + 1, have=e.have),
                f"c:{code}:{e.key}:{page}:{0 if e.have else 1}",
            )
            for i, e in enumerate(shown)
        ]
        keyboard = rows(
            *grid(toggles, 4),
            self._pager(lang, f"k:{code}:", page, pages),
            [Button(self.m.label(lang, "back"), f"s:{code}:d")],
        )
        return Reply(text, keyboard, edit=True)

    # -- dossiers ------------------------------------------------------------------------

    def dossier_lookup(self, lang: str, result: LookupResult, example: str) -> Reply:
        """The reply to a lookup, whatever its outcome."""
        o = result.outcome
        if o is Outcome.FOUND:
            assert result.dossier is not None
            return self.dossier_status(lang, result.dossier)
        if o is Outcome.LIMITED:
            assert result.retry_at is not None
            minutes = max(1, round((result.retry_at - utcnow()).total_seconds() / 60))
            return self.text(lang, "dossier_limited", retry=result.retry_at, minutes=minutes)
        template = {
            Outcome.NEED_SECRET: "dossier_secret_prompt",
            Outcome.WRONG_SECRET: "dossier_secret_wrong",
            Outcome.MALFORMED: "dossier_malformed",
        }[o]
        return self.text(
            lang, template, code=result.code, example=example, left=result.attempts_left
        )

    def dossier_status(self, lang: str, dossier: DossierView, *, edit: bool = False) -> Reply:
        """Status, meaning, next step and dates, with follow/refresh buttons."""
        label = self.m.label
        code = dossier.code
        follow = (
            Button(label(lang, "unsubscribe"), f"d:u:{code}")
            if dossier.subscribed
            else Button(label(lang, "subscribe"), f"d:s:{code}")
        )
        keyboard = rows(
            [Button(label(lang, "rate"), f"g:d:{code}")] if dossier.status.finished else [],
            [follow],
            [Button(label(lang, "refresh"), f"d:v:{code}")],
            [Button(label(lang, "open_procedure"), f"p:{dossier.procedure_code}")]
            if dossier.procedure_code
            else [],
            [Button(label(lang, "main_menu"), "m:home")],
        )
        return Reply(self.m.render(lang, "dossier_status", d=dossier), keyboard, edit=edit)

    def dossier_changed(self, lang: str, dossier: DossierView, previous: str | None) -> Reply:
        """The notification a follower receives when an import changes the status."""
        label = self.m.label
        keyboard = rows(
            [Button(label(lang, "details"), f"d:v:{dossier.code}")],
            [Button(label(lang, "rate"), f"g:d:{dossier.code}")] if dossier.status.finished else [],
            [Button(label(lang, "unsubscribe"), f"d:u:{dossier.code}")],
        )
        return Reply(self.m.render(lang, "dossier_changed", d=dossier, previous=previous), keyboard)

    # -- browsing ------------------------------------------------------------------------

    def browse_menu(self, lang: str) -> Reply:
        """Browse by field, agency or level."""
        label = self.m.label
        return Reply(
            self.m.render(lang, "browse_menu"),
            rows(
                [Button(label(lang, "browse_field"), "b:f:0")],
                [Button(label(lang, "browse_agency"), "b:a:0")],
                [Button(label(lang, "browse_level"), "b:l:0")],
                [Button(label(lang, "main_menu"), "m:home")],
            ),
            edit=True,
        )

    def facet_page(self, lang: str, kind: FacetKind, facets: list[Facet], page: int) -> Reply:
        """One page of fields, agencies or levels."""
        page, pages, shown = _page(facets, page, FACET_PAGE)
        text = self.m.render(
            lang, "facet_page", kind=kind.value, total=len(facets), page=page + 1, pages=pages
        )
        buttons = [
            (
                Button(
                    self.m.label(lang, "facet_item", name=_caption(f.name, 48), count=f.count),
                    f"b{kind.value}:{f.id}:0",
                ),
            )
            for f in shown
        ]
        keyboard = rows(
            *buttons,
            self._pager(lang, f"b:{kind.value}:", page, pages),
            [Button(self.m.label(lang, "back"), "m:browse")],
        )
        return Reply(text, keyboard, edit=True)

    def facet_members(
        self,
        lang: str,
        kind: FacetKind,
        facet: Facet,
        entries: list[Entry],
        page: int,
        back_page: int,
    ) -> Reply:
        """One page of the procedures in a field, agency or level."""
        page, pages, shown = _page(entries, page, MEMBER_PAGE)
        text = self.m.render(
            lang,
            "facet_members",
            kind=kind.value,
            name=facet.name,
            total=len(entries),
            page=page + 1,
            pages=pages,
        )
        prefix = f"o:{kind.value}:{facet.id}:{page}:"
        buttons = [
            (Button(_caption(base_name(e.name), 60), prefix + e.code),)
            for e in shown
            if len((prefix + e.code).encode()) <= MAX_CALLBACK_BYTES
        ]
        keyboard = rows(
            *buttons,
            self._pager(lang, f"b{kind.value}:{facet.id}:", page, pages),
            [Button(self.m.label(lang, "back"), f"b:{kind.value}:{back_page}")],
        )
        return Reply(text, keyboard, edit=True)

    def _pager(self, lang: str, prefix: str, page: int, pages: int) -> list[Button]:
        buttons = []
        if page > 0:
            buttons.append(Button(self.m.label(lang, "prev"), f"{prefix}{page - 1}"))
        if page + 1 < pages:
            buttons.append(Button(self.m.label(lang, "next"), f"{prefix}{page + 1}"))
        return buttons


def list_id(normalized: str) -> str:
    """The id of a result list in callback data: the same question gives the same list."""
    return short_id(normalized)


def distinct_captions(hits: list[Hit], width: int = 44) -> list[str]:
    """Button captions for hits, never two alike: level, then agency, then code added.

    Three levels of "Cấp lại thẻ căn cước" become "… · Cấp xã", "… · Cấp tỉnh", "… · Cấp bộ".
    """
    names = [base_name(h.name) for h in hits]
    extras: list[list[str]] = [[] for _ in hits]
    qualifiers = (
        lambda h: ", ".join(h.levels),
        lambda h: split_agencies(h.agency)[0] if split_agencies(h.agency) else "",
        lambda h: h.code,
    )

    def render(i: int) -> str:
        suffix = "".join(f" · {e}" for e in extras[i] if e)
        return _caption(names[i], max(12, width - len(suffix))) + suffix

    captions = [render(i) for i in range(len(hits))]
    for qualifier in qualifiers:
        clashes = {c for c in captions if captions.count(c) > 1}
        if not clashes:
            break
        for i, hit in enumerate(hits):
            if captions[i] in clashes:
                extras[i].append(qualifier(hit))
        captions = [render(i) for i in range(len(hits))]
    return captions


def search_origin(answer: Answer) -> str:
    """The origin of cards opened from a search reply: `q:<list id>:0`."""
    return f"q:{list_id(answer.result.normalized)}:0"


def _service_name(name: str) -> str:
    """The part of an official name before whom or which case it is for."""
    base = base_name(name)
    service = family(name)
    if service is None:
        return base
    words = len(service[0].split())
    return " ".join(base.split()[:words])


def _about_people(service: tuple[str, str] | None) -> bool:
    """Whether the cases are kinds of people ("Người dưới 14 tuổi"), so the question is "for whom"."""
    return service is not None and fold(service[1]).startswith(("nguoi", "tre", "cong dan"))


def share_link(deep_link: str, title: str) -> str:
    """Telegram's share dialog for a deep link, with the procedure name as the message."""
    return "https://t.me/share/url?" + urlencode({"url": deep_link, "text": _caption(title, 120)})


def _is_web_link(url: str | None) -> bool:
    """Only http(s) links become buttons (Telegram rejects others, and so should we)."""
    return bool(url) and str(url).startswith(("https://", "http://")) and len(str(url)) < 1024


def _page(items: list[T], page: int, size: int) -> tuple[int, int, list[T]]:
    """(page clamped to the last one, number of pages, the page's items)."""
    pages = max(1, -(-len(items) // size))
    page = min(max(page, 0), pages - 1)
    return page, pages, items[page * size : (page + 1) * size]


def _short(query: str, limit: int = 80) -> str:
    query = " ".join(query.split())
    return query if len(query) <= limit else query[: limit - 1] + "…"


def _caption(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
