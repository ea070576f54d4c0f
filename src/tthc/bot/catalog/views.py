"""The catalogue's replies: search results and choices, cards and sections, browsing."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from urllib.parse import urlencode

from tthc.bot.catalog import callbacks
from tthc.bot.catalog.callbacks import RAW_SECTIONS
from tthc.bot.menu import menu
from tthc.bot.replies import (
    MAX_CALLBACK_BYTES,
    Button,
    Reply,
    caption,
    grid,
    page_of,
    pager,
    rows,
    short,
)
from tthc.catalog.answering import Answer, AnswerKind
from tthc.catalog.browse import Facet, FacetKind, split_agencies
from tthc.catalog.models import Procedure
from tthc.catalog.normalize import short_id
from tthc.catalog.reading import read_card
from tthc.catalog.search import Entry, Hit, base_name, family
from tthc.catalog.topics import Topic
from tthc.core.clock import vietnam_today
from tthc.core.lru import LRU
from tthc.core.text import fold
from tthc.messages import Messages

# Rendered cards kept, per language, procedure version and day.
_CARDS: LRU[tuple[object, ...], str] = LRU(512)

FACET_PAGE = 10
MEMBER_PAGE = 10
SECTIONS = ("documents", "steps", "fees", "time", "ways", "legal", "result")


class CatalogViews:
    """Turns search answers and procedures into replies in the user's language."""

    def __init__(self, messages: Messages) -> None:
        self.m = messages

    def _label(self, lang: str) -> Callable[[str], str]:
        return lambda key: self.m.label(lang, key)

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
                "name": caption(h.name, 220),
                "levels": ", ".join(h.levels),
                "agency": caption(", ".join(split_agencies(h.agency)[:2]), 80),
            }
            for h in hits
        ]
        template = "search_list" if listed else "search_none"
        query = short(answer.result.query)
        text = self.m.render(lang, template, query=query, items=items)
        origin = search_origin(answer)
        buttons = [
            (
                Button(
                    self.m.label(lang, "hit", number=n, name=name),
                    callbacks.from_list(origin, h.code) if listed else callbacks.suggestion(h.code),
                ),
            )
            for n, (h, name) in enumerate(zip(hits, distinct_captions(hits), strict=True), 1)
        ]
        if not listed:
            buttons.append((Button(self.m.label(lang, "menu_browse"), menu("browse")),))
        return Reply(text, tuple(buttons))

    def search_topic(self, lang: str, topic: Topic, shown: Sequence[Hit]) -> Reply:
        """What no procedure answers, said plainly, with the procedures that help, if any.

        A life event's journey is one too: its procedures in the order they are done.
        """
        text = self.m.render(lang, "topic", topic=topic.name, helping=bool(shown))
        buttons = [
            (Button(self.m.label(lang, "hit", number=n, name=name), callbacks.suggestion(h.code)),)
            for n, (h, name) in enumerate(
                zip(shown, distinct_captions(list(shown)), strict=True), 1
            )
        ]
        buttons.append((Button(self.m.label(lang, "main_menu"), menu("home")),))
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
            (Button(caption(label, 60), callbacks.from_list(origin, h.code)),)
            for h, label in zip(answer.shown, answer.labels, strict=True)
        )
        return Reply(text, buttons)

    def card_text(
        self, lang: str, procedure: Procedure, levels: list[str], *, stored: bool = True
    ) -> str:
        """The card's text, kept while the procedure and the day stay the same.

        The most asked procedures are shown again and again, and rendering a card costs
        more than the rest of an answer (its reading is cached by `read_card`). A card
        that is not `stored` (a staff preview) is rendered, not kept.
        """
        today = vietnam_today()
        key = (lang, procedure.code, procedure.updated_at, today, tuple(levels))
        if stored and (cached := _CARDS.get(key)) is not None:
            return cached
        facts = read_card(procedure, today)
        text = self.m.render(lang, "procedure_card", p=procedure, f=facts, variants=levels)
        if stored:
            _CARDS.put(key, text)
        return text

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
        journey: str | None = None,
    ) -> Reply:
        """The summary card with one button per section.

        `origin` ("<kind>:<facet id>:<page>") is the browse list the card was opened from:
        sections carry it so their "back" returns to a card that still leads to the list.
        `share_url` is the deep link that opens this card, offered as a share button;
        `dossiers` offers dossier lookup (when statuses have been published); `journey`
        the life event this procedure starts (what comes after a birth, a death).
        """
        levels = [", ".join(v.levels) for v in variants if v.levels]
        facts = read_card(procedure, vietnam_today())
        text = self.card_text(lang, procedure, levels)
        label = self.m.label
        shown = [s for s in SECTIONS if s != "result" or facts.result is not None]
        section_buttons = [
            Button(label(lang, f"section_{s}"), callbacks.section(procedure.code, s, origin))
            for s in shown
        ]
        variant_buttons = [
            Button(
                caption(label(lang, "level_variant", level=", ".join(v.levels))),
                callbacks.card(v.code),
            )
            for v in variants[:3]
        ]
        keyboard = rows(
            section_buttons[:1],
            section_buttons[1:3],
            section_buttons[3:5],
            section_buttons[5:7],
            variant_buttons,
            [Button(label(lang, f"journey_{journey}"), callbacks.journey(journey))]
            if journey
            else [],
            [Button(label(lang, "menu_dossier"), menu("dossier"))] if dossiers else [],
            [Button(label(lang, "portal_page"), url=procedure.source_url)]
            if _is_web_link(procedure.source_url)
            else [],
            [Button(label(lang, "share"), url=share_link(share_url, procedure.name))]
            if share_url
            else [],
            [Button(label(lang, "back_to_list"), callbacks.back_to_list(origin))] if origin else [],
            [Button(label(lang, "main_menu"), menu("home"))],
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
        label = self.m.label
        card = callbacks.from_list(origin, code) if origin else callbacks.card(code)
        if raw or section == "notes":
            parent = section if raw else "documents"
            back = Button(label(lang, "back"), callbacks.section(code, parent, origin))
        else:
            back = Button(label(lang, "back"), card)
        extra: list[Button] = []
        if section == "documents" and not raw:
            if facts.documents.papers:
                extra.append(
                    Button(label(lang, "checklist_open"), callbacks.checklist_page(code, 0))
                )
            if facts.documents.notes:
                notes = label(lang, "section_notes", count=len(facts.documents.notes))
                extra.append(Button(notes, callbacks.section(code, "notes", origin)))
        raw_button = (
            [Button(label(lang, "raw_text"), callbacks.section(code, section, origin, raw=True))]
            if section in RAW_SECTIONS and not raw
            else []
        )
        return Reply(text, rows(*grid(extra, 1), raw_button, [back]), edit=True)

    def browse_menu(self, lang: str) -> Reply:
        """Browse by field, agency or level."""
        label = self.m.label
        return Reply(
            self.m.render(lang, "browse_menu"),
            rows(
                [Button(label(lang, "browse_field"), "b:f:0")],
                [Button(label(lang, "browse_agency"), "b:a:0")],
                [Button(label(lang, "browse_level"), "b:l:0")],
                [Button(label(lang, "main_menu"), menu("home"))],
            ),
            edit=True,
        )

    def facet_page(self, lang: str, kind: FacetKind, facets: list[Facet], page: int) -> Reply:
        """One page of fields, agencies or levels."""
        page, pages, shown = page_of(facets, page, FACET_PAGE)
        text = self.m.render(
            lang, "facet_page", kind=kind.value, total=len(facets), page=page + 1, pages=pages
        )
        buttons = [
            (
                Button(
                    self.m.label(lang, "facet_item", name=caption(f.name, 48), count=f.count),
                    callbacks.facet_members(kind.value, f.id, 0),
                ),
            )
            for f in shown
        ]
        keyboard = rows(
            *buttons,
            pager(self._label(lang), callbacks.facet_page(kind.value, None), page, pages),
            [Button(self.m.label(lang, "back"), menu("browse"))],
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
        page, pages, shown = page_of(entries, page, MEMBER_PAGE)
        text = self.m.render(
            lang,
            "facet_members",
            kind=kind.value,
            name=facet.name,
            total=len(entries),
            page=page + 1,
            pages=pages,
        )
        origin = f"{kind.value}:{facet.id}:{page}"
        buttons = [
            (Button(caption(base_name(e.name), 60), callbacks.from_list(origin, e.code)),)
            for e in shown
            if len(callbacks.from_list(origin, e.code).encode()) <= MAX_CALLBACK_BYTES
        ]
        keyboard = rows(
            *buttons,
            pager(
                self._label(lang), callbacks.facet_members(kind.value, facet.id, None), page, pages
            ),
            [Button(self.m.label(lang, "back"), callbacks.facet_page(kind.value, back_page))],
        )
        return Reply(text, keyboard, edit=True)


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
        return caption(names[i], max(12, width - len(suffix))) + suffix

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
    return callbacks.search_origin(list_id(answer.result.normalized))


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
    return "https://t.me/share/url?" + urlencode({"url": deep_link, "text": caption(title, 120)})


def _is_web_link(url: str | None) -> bool:
    """Only http(s) links become buttons (Telegram rejects others, and so should we)."""
    return bool(url) and str(url).startswith(("https://", "http://")) and len(str(url)) < 1024
