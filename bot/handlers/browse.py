"""Browsing by field, agency and level: paged lists that edit one message in place."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.handlers.common import current_user, views
from bot.handlers.search import SEARCH_LIST, asked_aspect, mark_picked, show_card
from bot.sender import send
from bot.views import FACET_PAGE
from catalog.browse import FacetKind


def _parts(update: Update) -> list[str]:
    data = update.callback_query.data if update.callback_query else None
    return (data or "").split(":")


async def browse_menu(update: Update, context: BotContext) -> None:
    """`m:browse`: choose what to browse by."""
    user = await current_user(update, context)
    await send(update, context, views(context).browse_menu(user.language))


async def facet_page(update: Update, context: BotContext) -> None:
    """`b:<kind>:<page>`: a page of fields, agencies or levels."""
    user = await current_user(update, context)
    _, kind, page = _parts(update)
    facets = await context.call(context.services.catalog.facets, FacetKind(kind))
    await send(
        update,
        context,
        views(context).facet_page(user.language, FacetKind(kind), facets, int(page)),
    )


async def facet_members(update: Update, context: BotContext) -> None:
    """`b<kind>:<facet id>:<page>`: the procedures of one field, agency or level."""
    user = await current_user(update, context)
    head, facet_id, page = _parts(update)
    kind = FacetKind(head[1])
    facets = await context.call(context.services.catalog.facets, kind)
    position = next((i for i, f in enumerate(facets) if f.id == facet_id), None)
    v = views(context)
    if position is None:  # the field disappeared in a catalogue update
        await send(update, context, v.text(user.language, "stale", menu=True))
        return
    found = await context.call(context.services.catalog.facet_members, kind, facet_id)
    assert found is not None
    _, entries = found
    reply = v.facet_members(
        user.language, kind, facets[position], entries, int(page), position // FACET_PAGE
    )
    await send(update, context, reply)


async def open_from_list(update: Update, context: BotContext) -> None:
    """`o:<kind>:<list id>:<page>:<code>`: a card with a way back to the list it came from.

    The list is a browse page (kinds f, a, l) or a search result list (q).
    """
    user = await current_user(update, context)
    _, kind, facet_id, page, code = _parts(update)
    aspect = None
    if kind == SEARCH_LIST:
        aspect = asked_aspect(user)
        await mark_picked(context, user, code)
    await show_card(
        update,
        context,
        code,
        user.language,
        edit=True,
        origin=f"{kind}:{facet_id}:{page}",
        aspect=aspect,
    )
