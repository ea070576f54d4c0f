"""What every capability's handlers share.

The user, the input boundary, private chats, the main menu, help, language, cancel,
unknown input and the global error handler.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Coroutine
from typing import Any, cast

from telegram import Update

from tthc.bot.context import BotContext
from tthc.bot.observe import ended
from tthc.bot.sender import send
from tthc.bot.views import Views
from tthc.core import metrics
from tthc.core.database import DatabaseUnavailable
from tthc.core.inputs import display_name, sanitize
from tthc.users.conversation import Conversation
from tthc.users.roles import Role
from tthc.users.service import LANGUAGES, UserView

log = logging.getLogger(__name__)
Handler = Callable[[Update, BotContext], Coroutine[Any, Any, None]]


def views(context: BotContext) -> Views:
    """The reply builders for this application."""
    return cast(Views, context.bot_data["views"])


def message_text(update: Update) -> str:
    """The message's text (or a media caption), through the input boundary."""
    message = update.effective_message
    if message is None:
        return ""
    return sanitize(message.text or message.caption or "")


def arguments(context: BotContext) -> list[str]:
    """A command's arguments, through the input boundary (empty ones dropped)."""
    return [a for a in (sanitize(arg) for arg in context.args or []) if a]


def in_private(update: Update, context: BotContext, *, staff: bool = False) -> bool:
    """Whether the update comes from a private chat (or, for staff commands, a staff group).

    Dossiers, ratings, complaints and staff tools show personal data; in a group chat
    everybody would read it.
    """
    chat = update.effective_chat
    if chat is None or chat.type == "private":
        return True
    return staff and chat.id in context.services.settings.staff_group_chats


def private_only(*, staff: bool = False) -> Callable[[Handler], Handler]:
    """Refuse a handler politely outside private chats (see `in_private`)."""

    def wrap(handler: Handler) -> Handler:
        @functools.wraps(handler)
        async def guarded(update: Update, context: BotContext) -> None:
            if in_private(update, context, staff=staff):
                await handler(update, context)
                return
            user = await current_user(update, context)
            await send(
                update, context, views(context).private_only(user.language, context.bot.username)
            )

        return guarded

    return wrap


def actor_of(update: Update) -> str:
    """Who did it, for the audit journal: the Telegram id and the name they go by."""
    person = update.effective_user
    if person is None:
        return "telegram"
    return f"telegram:{person.id} {display_name(person.full_name)}"


async def current_user(update: Update, context: BotContext) -> UserView:
    """The stored user behind this update (registered on first contact)."""
    tg_user = update.effective_user
    assert tg_user is not None
    return await context.call(
        context.services.users.touch, tg_user.id, tg_user.language_code, active=True
    )


async def remember(context: BotContext, user: UserView, conversation: Conversation | None) -> None:
    """Store what the user's next message answers (None: nothing pending)."""
    await context.call(context.services.users.remember, user.id, conversation)


async def reply_text(
    update: Update, context: BotContext, user: UserView, template: str, **values: Any
) -> None:
    """Reply with one of the plain message templates."""
    await send(update, context, views(context).text(user.language, template, **values))


async def main_menu(update: Update, context: BotContext, user: UserView) -> None:
    """The greeting with what the bot can do."""
    info = await context.call(context.services.catalog.info)
    name = display_name(update.effective_user.first_name) if update.effective_user else None
    await send(update, context, views(context).main_menu(user.language, info, name))


async def help_command(update: Update, context: BotContext) -> None:
    """Explain how to use the bot."""
    user = await current_user(update, context)
    await show_help(update, context, user)


async def cancel(update: Update, context: BotContext) -> None:
    """Forget whatever the user was in the middle of."""
    user = await current_user(update, context)
    await context.call(context.services.users.set_state, user.id, None)
    await send(update, context, views(context).text(user.language, "cancelled", menu=True))


async def language(update: Update, context: BotContext) -> None:
    """`/lang en` switches directly; `/lang` alone offers the choice."""
    user = await current_user(update, context)
    choice = (arguments(context) or [""])[0].lower()
    if choice in LANGUAGES:
        await _set_language(update, context, user.id, choice)
    else:
        await send(update, context, views(context).language_prompt(user.language))


async def language_button(update: Update, context: BotContext) -> None:
    """A press on one of the language buttons (`l:vi`, `l:en`)."""
    user = await current_user(update, context)
    data = update.callback_query.data if update.callback_query else ""
    choice = (data or "").partition(":")[2]
    await _set_language(update, context, user.id, choice if choice in LANGUAGES else "vi")


async def _set_language(update: Update, context: BotContext, user_id: int, choice: str) -> None:
    user = await context.call(context.services.users.set_language, user_id, choice)
    reply = views(context).text(user.language, "language_set", menu=True)
    await send(update, context, reply)


async def show_help(update: Update, context: BotContext, user: UserView) -> None:
    """How to use the bot; staff and managers also read their own commands."""
    roles = context.services.roles
    staff = await context.call(roles.has, user.id, Role.STAFF)
    manager = staff and await context.call(roles.has, user.id, Role.MANAGER)
    reply = views(context).text(user.language, "help", menu=True, staff=staff, manager=manager)
    await send(update, context, reply)


async def search_prompt(update: Update, context: BotContext, user: UserView) -> None:
    """The `m:search` menu button: invite a question."""
    await send(update, context, views(context).text(user.language, "search_prompt"))


async def language_toggle(update: Update, context: BotContext, user: UserView) -> None:
    """The `m:lang` menu button: switch to the other language."""
    await _set_language(update, context, user.id, "en" if user.language == "vi" else "vi")


async def unknown_command(update: Update, context: BotContext) -> None:
    """A command the bot does not have."""
    user = await current_user(update, context)
    text = update.effective_message.text if update.effective_message else ""
    command = (text or "").split()[0].split("@")[0][:40] if text else "/"
    await send(
        update, context, views(context).text(user.language, "unknown_command", command=command)
    )


async def unsupported(update: Update, context: BotContext) -> None:
    """Stickers, photos, voice and other non-text messages."""
    user = await current_user(update, context)
    await send(update, context, views(context).text(user.language, "unsupported"))


async def stale_button(update: Update, context: BotContext) -> None:
    """A button whose data this version of the bot no longer understands."""
    user = await current_user(update, context)
    await send(update, context, views(context).text(user.language, "stale", menu=True))


def summary(update: object) -> dict[str, object] | str:
    """What a log needs of an update: ids and kinds, never its text (a name, digits, a code)."""
    if not isinstance(update, Update):
        return type(update).__name__
    message = update.effective_message
    text = (message.text or message.caption or "") if message else ""
    query = update.callback_query
    return {
        "update_id": update.update_id,
        "user": update.effective_user.id if update.effective_user else None,
        "chat": update.effective_chat.id if update.effective_chat else None,
        "chat_type": update.effective_chat.type if update.effective_chat else None,
        "text_length": len(text),
        "callback": query.data.split(":", 1)[0] if query and query.data else None,
    }


async def on_error(update: object, context: BotContext) -> None:
    """Log the failure with its context and tell the user, in their language, to retry."""
    error = context.error
    busy = isinstance(error, DatabaseUnavailable)
    ended("error")
    if busy:
        metrics.DATABASE_ERRORS.labels("update").inc()
    log.error(
        "update failed: %s",
        type(error).__name__,
        exc_info=error,
        extra={"update": summary(update)},
    )
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    lang = context.services.messages.lang(
        update.effective_user.language_code[:2]
        if update.effective_user and update.effective_user.language_code
        else None
    )
    try:
        lang = (await context.call(context.services.users.touch, update.effective_user.id)).language  # type: ignore[union-attr]
    except Exception:  # the database may be the reason we are here
        log.debug("could not load the user's language for the error reply", exc_info=True)
    reply = views(context).text(lang, "busy" if busy else "error")
    try:
        if update.callback_query is not None:
            await update.callback_query.answer()
        await context.bot.send_message(update.effective_chat.id, reply.text)
    except Exception:
        log.exception("could not tell the user about the failure")
