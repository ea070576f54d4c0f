"""Ratings in the chat: /danhgia, a finished dossier's button, the rating message."""

from __future__ import annotations

from dataclasses import replace

from telegram import Update

from tthc.bot.common import (
    arguments,
    current_user,
    private_only,
    remember,
    reply_text,
    stale_button,
)
from tthc.bot.context import BotContext
from tthc.bot.dossiers import handlers as dossiers
from tthc.bot.links import RATING_LINK, code_from_payload
from tthc.bot.ratings import callbacks
from tthc.bot.ratings.views import RatingViews
from tthc.bot.sender import send
from tthc.dossiers.service import Outcome
from tthc.ratings.service import RatingRefusal
from tthc.ratings.usecases import scored, submit_rating
from tthc.users.conversation import DossierIntent, RatingDraft, read
from tthc.users.service import UserView

MAX_COMMENT = 2000


def views(context: BotContext) -> RatingViews:
    settings = context.services.settings
    return RatingViews(context.services.messages, settings.rating_scale, settings.rating_criteria)


@private_only()
async def rate_command(update: Update, context: BotContext) -> None:
    """`/danhgia <code>` rates a finished dossier; `/danhgia` alone rates the service."""
    user = await current_user(update, context)
    await start_rating(update, context, user, " ".join(arguments(context)) or None)


async def menu_rating(update: Update, context: BotContext, user: UserView) -> None:
    """The `m:rate` menu button: rate the service in general."""
    await start_rating(update, context, user, None)


async def rate_dossier(update: Update, context: BotContext, user: UserView, code: str) -> None:
    """A found dossier the citizen wants to rate (after a lookup, or its card's button)."""
    await start_rating(update, context, user, code)


async def deep_link(update: Update, context: BotContext, user: UserView, payload: str) -> None:
    """`?start=dg_<code>` (printed on receipts): rate that dossier."""
    await start_rating(update, context, user, code_from_payload(payload, RATING_LINK))


async def start_rating(
    update: Update, context: BotContext, user: UserView, code: str | None
) -> None:
    """Check the dossier (looking it up first if needed), then ask for a level."""
    services = context.services
    if code is not None:
        result = await context.call(services.dossiers.lookup, user.id, code)
        if result.outcome is not Outcome.FOUND:  # malformed, check digits needed, limited
            await dossiers.reply_lookup(update, context, user, result, DossierIntent.RATE)
            return
        code = result.code
        target = await context.call(services.ratings.target, user.id, code)
        if target is RatingRefusal.UNFINISHED:
            assert result.dossier is not None
            status = services.messages.term(user.language, result.dossier.status_label)
            await reply_text(update, context, user, "rating_unfinished", code=code, status=status)
            return
    await remember(context, user, RatingDraft(code))
    await send(update, context, views(context).rating_prompt(user.language, code))


@private_only()
async def rating_button(update: Update, context: BotContext) -> None:
    """A press on the rating message (see `callbacks`)."""
    user = await current_user(update, context)
    press = callbacks.parse(update.callback_query.data or "" if update.callback_query else "")
    draft = read(user)
    if press.action == "x":
        await remember(context, user, None)
        await reply_text(update, context, user, "cancelled", menu=True)
        return
    settings = context.services.settings
    if press.level is not None:  # a level, overall or for one criterion
        draft = scored(
            draft,
            press.level,
            press.criterion,
            scale=len(settings.rating_scale),
            criteria=len(settings.rating_criteria),
        )
        if draft is None:
            await stale_button(update, context)
            return
        await remember(context, user, draft)
        await send(update, context, views(context).rating_draft(user.language, draft))
        return
    if not isinstance(draft, RatingDraft) or draft.level is None:
        await stale_button(update, context)  # an old rating message: its draft is gone
        return
    if press.action == "m":
        await remember(context, user, replace(draft, awaiting_comment=True))
        await reply_text(update, context, user, "rating_comment_prompt")
    else:
        await _submit(update, context, user, draft)


async def _submit(update: Update, context: BotContext, user: UserView, draft: RatingDraft) -> None:
    services = context.services
    rated = await context.call(
        submit_rating, services, user.id, draft, services.settings.rating_criteria
    )
    if rated is None:  # sent already: a double tap, maybe on another instance
        await stale_button(update, context)
        return
    level = services.messages.term(user.language, services.settings.rating_scale[rated.level])
    await reply_text(
        update,
        context,
        user,
        "rating_thanks",
        code=rated.code,
        level=level,
        replaced=rated.replaced,
        menu=True,
    )


async def on_comment(update: Update, context: BotContext, user: UserView, text: str) -> bool:
    """The comment for a rating draft, when one was asked for."""
    draft = read(user)
    if not isinstance(draft, RatingDraft) or not draft.awaiting_comment:
        return False
    if len(text) > MAX_COMMENT:
        await reply_text(
            update, context, user, "too_long_text", length=len(text), limit=MAX_COMMENT
        )
        return True
    draft = replace(draft, comment=text.strip(), awaiting_comment=False)
    await remember(context, user, draft)
    await send(update, context, views(context).rating_draft(user.language, draft, edit=False))
    return True
