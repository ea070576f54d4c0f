"""Free text → procedure: search, result lists, procedure cards and their sections."""

from __future__ import annotations

from dataclasses import replace

from telegram import Update
from telegram.constants import ChatAction

from bot.context import BotContext
from bot.handlers import dossier, feedback
from bot.handlers.common import current_user, in_private, message_text, views
from bot.links import PROCEDURE_LINK, deep_link
from bot.replies import Reply
from bot.sender import send
from bot.views import Views, list_id, parse_section
from catalog.answering import Answer, AnswerKind
from catalog.chitchat import Chitchat, chitchat
from catalog.question import Aspect
from users.service import UserView

LIST_STATE = "list"
SEARCH_LIST = "q"  # the origin kind of a card opened from a search result list


async def text_message(update: Update, context: BotContext) -> None:
    """Any text that is not a command is a question about a procedure."""
    user = await current_user(update, context)
    text = message_text(update)
    v = views(context)
    if not text.strip():
        await send(update, context, v.text(user.language, "empty_text"))
        return
    # Conversations that carry personal data (dossiers, ratings, complaints) happen in
    # private chats only; in a group the bot answers questions about procedures.
    private = in_private(update, context)
    if private and await feedback.handle_text(update, context, user, text):
        return
    if private and await dossier.handle_text(update, context, user, text):
        return
    limit = context.services.settings.max_query_length
    if len(text) > limit:  # a question; complaints and comments have their own limits
        await send(
            update, context, v.text(user.language, "too_long", length=len(text), limit=limit)
        )
        return
    small_talk = chitchat(text)
    if small_talk is not None:  # answered, not searched, not logged
        menu = small_talk in (Chitchat.GREETING, Chitchat.WHO)
        reply = v.text(user.language, "chitchat", menu=menu, kind=small_talk.value)
        await send(update, context, reply)
        return
    if update.effective_chat is not None:
        await context.bot.send_chat_action(update.effective_chat.id, ChatAction.TYPING)
    catalog = context.services.catalog
    if user.state == LIST_STATE and not user.state_data.get("picked"):
        # A new question: the list shown before went unused.
        await context.call(
            catalog.record_unanswered,
            kind="abandoned",
            query=user.state_data.get("q", ""),
            normalized=user.state_data.get("n", ""),
        )
    answer = await context.call(catalog.answer, text)
    best = answer.shown[0] if answer.shown else None
    if answer.kind is AnswerKind.CARD and best is not None:
        await context.call(context.services.users.set_state, user.id, None)
        await show_card(update, context, best.code, user.language, edit=False, aspect=answer.aspect)
        return
    if answer.kind is AnswerKind.NONE:
        await context.call(
            catalog.record_unanswered,
            kind="none",
            query=answer.result.query,
            normalized=answer.result.normalized,
        )
        await context.call(context.services.users.set_state, user.id, None)
        await send(update, context, v.search_result(user.language, answer))
        return
    state = {"q": answer.result.query[:500], "n": answer.result.normalized}
    if answer.aspect is not None:
        state["a"] = answer.aspect.value
    await context.call(context.services.users.set_state, user.id, LIST_STATE, state)
    await send(update, context, search_reply(v, user.language, answer))


def search_reply(v: Views, lang: str, answer: Answer) -> Reply:
    """A choice between cases of one service, or a list of procedures."""
    if answer.kind is AnswerKind.CHOICE:
        return v.search_choice(lang, answer)
    return v.search_result(lang, answer)


def asked_aspect(user: UserView) -> Aspect | None:
    """The section the citizen's question asked about, kept while they pick from a list."""
    value = user.state_data.get("a") if user.state == LIST_STATE else None
    return Aspect(value) if value in Aspect.__members__.values() else None


async def mark_picked(context: BotContext, user: UserView, code: str) -> None:
    """Remember that the citizen opened a procedure from their list (it was not abandoned)."""
    if user.state == LIST_STATE and not user.state_data.get("picked"):
        data = {**user.state_data, "picked": code}
        await context.call(context.services.users.set_state, user.id, LIST_STATE, data)


async def back_to_list(update: Update, context: BotContext) -> None:
    """`bq:<list id>:<page>`: the result list again, in place of the card opened from it."""
    user = await current_user(update, context)
    data = update.callback_query.data if update.callback_query else ""
    wanted = (data or "").split(":")[1]
    v = views(context)
    query = user.state_data.get("q", "") if user.state == LIST_STATE else ""
    if not query or list_id(user.state_data.get("n", "")) != wanted:
        await send(update, context, v.text(user.language, "stale", menu=True))
        return
    answer = await context.call(context.services.catalog.answer, query)
    await send(update, context, replace(search_reply(v, user.language, answer), edit=True))


async def open_procedure(update: Update, context: BotContext) -> None:
    """`p:<code>` (card, from a card or section) and `r:<code>` (a pick from a result list)."""
    user = await current_user(update, context)
    data = update.callback_query.data if update.callback_query else ""
    kind, _, code = (data or "").partition(":")
    if kind == "r":
        await context.call(context.services.users.set_state, user.id, None)
    from_card = kind == "p"
    await show_card(update, context, code, user.language, edit=from_card)


async def show_card(
    update: Update,
    context: BotContext,
    code: str,
    lang: str,
    *,
    edit: bool,
    origin: str | None = None,
    unknown: str = "stale",
    aspect: Aspect | None = None,
) -> None:
    """The procedure card, or the `unknown` reply for a code that is not (or no longer) there.

    A question about one aspect ("gồm những giấy tờ gì") opens the card at that section.
    """
    procedure = await context.call(context.services.catalog.get, code)
    v = views(context)
    if procedure is None:
        await send(update, context, v.text(lang, unknown, menu=True, code=code))
        return
    if aspect is not None:
        reply = v.procedure_section(lang, procedure, aspect.value, origin)
        await send(update, context, replace(reply, edit=edit))
        return
    variants = await context.call(context.services.catalog.level_variants, code)
    share = deep_link(context.bot.username, PROCEDURE_LINK, code)
    dossiers = await context.call(context.services.dossiers.available)
    reply = v.procedure_card(
        lang, procedure, variants, edit=edit, origin=origin, share_url=share, dossiers=dossiers
    )
    await send(update, context, reply)


async def open_section(update: Update, context: BotContext) -> None:
    """`s:<code>:<section>[:<browse origin>]`: one section of the card, edited in place."""
    user = await current_user(update, context)
    data = update.callback_query.data if update.callback_query else None
    _, code, section_code, *origin = (data or "::").split(":")
    parsed = parse_section(section_code)
    procedure = await context.call(context.services.catalog.get, code) if parsed else None
    v = views(context)
    if procedure is None or parsed is None:
        await send(update, context, v.text(user.language, "stale", menu=True))
        return
    section, raw = parsed
    reply = v.procedure_section(
        user.language, procedure, section, ":".join(origin) or None, raw=raw
    )
    await send(update, context, reply)
