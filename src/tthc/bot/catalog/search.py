"""Questions, cards and sections in the chat: parse, run the use case, render, reply."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from telegram import Update

from tthc.bot.catalog import callbacks
from tthc.bot.catalog.views import CatalogViews, list_id
from tthc.bot.common import current_user, remember, reply_text
from tthc.bot.context import BotContext
from tthc.bot.links import PROCEDURE_LINK, code_from_payload, deep_link
from tthc.bot.replies import Reply
from tthc.bot.sender import send, typing_if_slow
from tthc.catalog.answering import Answer, AnswerKind
from tthc.catalog.chitchat import Chitchat
from tthc.catalog.question import Aspect
from tthc.catalog.usecases import Card, answer_question, open_card, viewed
from tthc.core import metrics
from tthc.core.clock import utcnow
from tthc.users.conversation import Results, read
from tthc.users.service import UserView


def views(context: BotContext) -> CatalogViews:
    return CatalogViews(context.services.messages)


async def question(update: Update, context: BotContext, user: UserView, text: str) -> bool:
    """Free text nobody else claimed: a question about a procedure (or small talk)."""
    limit = context.services.settings.max_query_length
    if len(text) > limit:  # a question; complaints and comments have their own limits
        await reply_text(update, context, user, "too_long", length=len(text), limit=limit)
        return True
    settings = context.services.settings
    async with typing_if_slow(update, context):
        answered = await context.call(
            answer_question,
            context.services,
            user.id,
            text,
            read(user),
            now=utcnow(),
            context=timedelta(minutes=settings.context_minutes),
        )
    answer = answered.answer
    # Asked in English: English labels around the published Vietnamese, whatever the setting.
    lang = "en" if answer is not None and answer.result.english else user.language
    metrics.SEARCHES.labels(search_outcome(answered.card is not None, answer)).inc()
    if answered.card is not None:
        reader = replace(user, language=lang)
        await send(update, context, card_reply(context, reader, answered.card, edit=False))
        return True
    assert answer is not None
    small_talk = answer.chat
    if small_talk is not None:  # answered, not searched, not logged
        menu = small_talk in (Chitchat.GREETING, Chitchat.WHO)
        await reply_text(update, context, user, "chitchat", menu=menu, kind=small_talk.value)
        return True
    await send(update, context, search_reply(views(context), lang, answer))
    return True


def search_outcome(card: bool, answer: Answer | None) -> str:
    """The search outcome an operator watches: card, choice, list, not_found, small_talk."""
    if card or answer is None:
        return "card"
    if answer.chat is not None:
        return "small_talk"
    if answer.topic is not None:
        return "list"
    outcomes = {AnswerKind.CARD: "card", AnswerKind.CHOICE: "choice", AnswerKind.NONE: "not_found"}
    return outcomes.get(answer.kind, "list")


def search_reply(v: CatalogViews, lang: str, answer: Answer) -> Reply:
    """A choice between cases of one service, a list, what no procedure answers, not found."""
    if answer.topic is not None:
        return v.search_topic(lang, answer.topic, answer.shown)
    if answer.kind is AnswerKind.CHOICE:
        return v.search_choice(lang, answer)
    return v.search_result(lang, answer)


def card_reply(
    context: BotContext, user: UserView, card: Card, *, edit: bool, origin: str | None = None
) -> Reply:
    """The card, or the section a question asked about."""
    v = views(context)
    if card.aspect is not None:
        reply = v.procedure_section(user.language, card.procedure, card.aspect.value, origin)
        return replace(reply, edit=edit)
    share = deep_link(context.bot.username, PROCEDURE_LINK, card.procedure.code)
    return v.procedure_card(
        user.language,
        card.procedure,
        card.variants,
        edit=edit,
        origin=origin,
        share_url=share,
        dossiers=card.dossiers,
        journey=card.journey,
    )


async def show_card(
    update: Update,
    context: BotContext,
    user: UserView,
    code: str,
    *,
    edit: bool,
    origin: str | None = None,
    unknown: str = "stale",
    aspect: Aspect | None = None,
    from_results: bool = False,
) -> None:
    """A procedure's card (or its `aspect` section), or the `unknown` reply for a lost code.

    The card becomes the subject of the citizen's follow-ups ("còn lệ phí thì sao?").
    """
    card = await context.call(open_card, context.services, code, aspect)
    if card is None:
        await reply_text(update, context, user, unknown, menu=True, code=code)
        return
    state = viewed(read(user), code, utcnow(), from_results=from_results)
    if state is not None:
        await remember(context, user, state)
    await send(update, context, card_reply(context, user, card, edit=edit, origin=origin))


async def deep_link_card(update: Update, context: BotContext, user: UserView, payload: str) -> None:
    """`?start=tt_<code>`: the card of a shared procedure."""
    code = code_from_payload(payload, PROCEDURE_LINK) or ""
    await show_card(update, context, user, code, edit=False, unknown="unknown_procedure")


def asked_aspect(user: UserView) -> Aspect | None:
    """The section the citizen's question asked about, kept while they pick from a list."""
    listing = read(user)
    value = listing.aspect if isinstance(listing, Results) else None
    return Aspect(value) if value is not None and value in Aspect.__members__.values() else None


async def back_to_list(update: Update, context: BotContext) -> None:
    """The result list (or choice) again, in place of the card opened from it."""
    user = await current_user(update, context)
    wanted = callbacks.parse_back_to_search(
        update.callback_query.data or "" if update.callback_query else ""
    )
    listing = read(user)
    if not isinstance(listing, Results) or list_id(listing.normalized) != wanted:
        await reply_text(update, context, user, "stale", menu=True)
        return
    answer = await context.call(context.services.catalog.answer, listing.query)
    await send(
        update, context, replace(search_reply(views(context), user.language, answer), edit=True)
    )


async def open_procedure(update: Update, context: BotContext) -> None:
    """A card from a card or section, or picked from a "not found" reply."""
    user = await current_user(update, context)
    picked, code = callbacks.parse_card(
        update.callback_query.data or "" if update.callback_query else ""
    )
    await show_card(update, context, user, code, edit=not picked)


async def open_journey(update: Update, context: BotContext) -> None:
    """A life event's procedures in order, under the card of its first one."""
    user = await current_user(update, context)
    event = callbacks.parse_journey(
        update.callback_query.data or "" if update.callback_query else ""
    )
    found = await context.call(context.services.catalog.journey, event)
    if found is None:
        await reply_text(update, context, user, "stale", menu=True)
        return
    await send(update, context, views(context).search_topic(user.language, *found))


async def open_section(update: Update, context: BotContext) -> None:
    """One section of the card, edited in place."""
    user = await current_user(update, context)
    press = callbacks.parse_section(
        update.callback_query.data or "" if update.callback_query else ""
    )
    procedure = await context.call(context.services.catalog.get, press.code) if press else None
    if procedure is None or press is None:
        await reply_text(update, context, user, "stale", menu=True)
        return
    reply = views(context).procedure_section(
        user.language, procedure, press.section, press.origin, raw=press.raw
    )
    await send(update, context, reply)
