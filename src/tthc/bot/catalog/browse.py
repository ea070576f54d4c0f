"""Browsing by field, agency and level: paged lists that edit one message in place."""

from __future__ import annotations

from telegram import Update

from tthc.bot.catalog import callbacks
from tthc.bot.catalog.callbacks import SEARCH_LIST
from tthc.bot.catalog.search import asked_aspect, show_card, views
from tthc.bot.catalog.views import FACET_PAGE
from tthc.bot.common import current_user, reply_text
from tthc.bot.context import BotContext
from tthc.bot.sender import send
from tthc.catalog.browse import FacetKind
from tthc.users.service import UserView


def _data(update: Update) -> str:
    return (update.callback_query.data if update.callback_query else None) or ""


async def browse_menu(update: Update, context: BotContext, user: UserView) -> None:
    """The `m:browse` menu button: choose what to browse by."""
    await send(update, context, views(context).browse_menu(user.language))


async def facet_page(update: Update, context: BotContext) -> None:
    """A page of fields, agencies or levels."""
    user = await current_user(update, context)
    kind, page = callbacks.parse_facet_page(_data(update))
    facets = await context.call(context.services.catalog.facets, FacetKind(kind))
    reply = views(context).facet_page(user.language, FacetKind(kind), facets, page)
    await send(update, context, reply)


async def facet_members(update: Update, context: BotContext) -> None:
    """The procedures of one field, agency or level."""
    user = await current_user(update, context)
    kind_value, facet_id, page = callbacks.parse_facet_members(_data(update))
    kind = FacetKind(kind_value)
    facets = await context.call(context.services.catalog.facets, kind)
    position = next((i for i, f in enumerate(facets) if f.id == facet_id), None)
    if position is None:  # the field disappeared in a catalogue update
        await reply_text(update, context, user, "stale", menu=True)
        return
    found = await context.call(context.services.catalog.facet_members, kind, facet_id)
    assert found is not None
    _, entries = found
    reply = views(context).facet_members(
        user.language, kind, facets[position], entries, page, position // FACET_PAGE
    )
    await send(update, context, reply)


async def open_from_list(update: Update, context: BotContext) -> None:
    """A card with a way back to the list it came from (a browse page or a search reply)."""
    user = await current_user(update, context)
    press = callbacks.parse_from_list(_data(update))
    from_results = press.kind == SEARCH_LIST
    await show_card(
        update,
        context,
        user,
        press.code,
        edit=True,
        origin=press.origin,
        aspect=asked_aspect(user) if from_results else None,
        from_results=from_results,
    )
