"""Dossier status by receipt code: /hoso, /theodoi, the menu, a pasted code, a deep link.

A lookup carries the citizen's intent (see it, follow it, rate it, complain about it)
through the check-digit question, so the answer to the digits does what was asked.
A wrong answer can be retried by typing the four digits again; anything else typed at
that question leaves it and is read as a new message.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import replace
from enum import StrEnum

from telegram import Update

from bot.context import BotContext
from bot.handlers.common import arguments, current_user, private_only, views
from bot.sender import send
from dossiers.service import LookupResult, Outcome
from users.service import UserView

WAITING_CODE = "dossier"
WAITING_SECRET = "dossier_secret"
_DIGITS = re.compile(r"^\d{4}$")


class Intent(StrEnum):
    """What the citizen wants once the dossier is found."""

    VIEW = "view"
    FOLLOW = "follow"
    RATE = "rate"
    COMPLAINT = "complaint"


# What to do with a found dossier for intents other features own (rating, complaints):
# they register here, so this module does not import them.
Continuation = Callable[[Update, BotContext, UserView, str], Awaitable[None]]
CONTINUATIONS: dict[Intent, Continuation] = {}


@private_only()
async def hoso_command(update: Update, context: BotContext) -> None:
    """`/hoso <code>` looks a dossier up; `/hoso` alone asks for the code."""
    user = await current_user(update, context)
    text = " ".join(arguments(context))
    if text:
        await lookup(update, context, user, text)
    else:
        await prompt(update, context)


@private_only()
async def follow_command(update: Update, context: BotContext) -> None:
    """`/theodoi <code>`: look a dossier up and be told when it changes."""
    user = await current_user(update, context)
    text = " ".join(arguments(context))
    if text:
        await lookup(update, context, user, text, intent=Intent.FOLLOW)
    else:
        await prompt(update, context)


async def prompt(update: Update, context: BotContext) -> None:
    """Ask for a receipt code; the next message is read as one."""
    user = await current_user(update, context)
    await context.call(context.services.users.set_state, user.id, WAITING_CODE)
    example = context.services.settings.dossier_code_example
    await send(
        update, context, views(context).text(user.language, "dossier_prompt", example=example)
    )


async def handle_text(update: Update, context: BotContext, user: UserView, text: str) -> bool:
    """Read a chat message as a dossier code or check digits when it is one; else False."""
    dossiers = context.services.dossiers
    if user.state == WAITING_SECRET:
        digits = "".join(text.split())
        if _DIGITS.match(digits):
            data = user.state_data
            intent = Intent(data.get("intent", Intent.VIEW))
            await lookup(update, context, user, data.get("code", ""), secret=digits, intent=intent)
            return True
        if not dossiers.looks_like_code(text):
            # Not an answer to the question: leave it and read the message afresh.
            await context.call(context.services.users.set_state, user.id, None)
            return False
    if user.state == WAITING_CODE or dossiers.looks_like_code(text):
        await lookup(update, context, user, text)
        return True
    return False


async def lookup(
    update: Update,
    context: BotContext,
    user: UserView,
    code: str,
    *,
    secret: str | None = None,
    intent: Intent = Intent.VIEW,
) -> None:
    """Look a code up and do what the citizen asked; ask for the check digits first if needed."""
    result = await context.call(context.services.dossiers.lookup, user.id, code, secret=secret)
    await reply_lookup(update, context, user, result, intent)


async def reply_lookup(
    update: Update,
    context: BotContext,
    user: UserView,
    result: LookupResult,
    intent: Intent = Intent.VIEW,
) -> None:
    """Reply to a lookup's outcome; a check-digit question keeps the intent for the answer."""
    services = context.services
    if result.outcome in (Outcome.NEED_SECRET, Outcome.WRONG_SECRET):
        state = {"code": result.code, "intent": intent.value}
        await context.call(services.users.set_state, user.id, WAITING_SECRET, state)
    else:
        await context.call(services.users.set_state, user.id, None)
    if result.outcome is Outcome.FOUND and intent is not Intent.VIEW:
        if intent is Intent.FOLLOW:
            await _follow(update, context, user, result.code)
            return
        await CONTINUATIONS[intent](update, context, user, result.code)
        return
    example = services.settings.dossier_code_example
    await send(update, context, views(context).dossier_lookup(user.language, result, example))


async def _follow(update: Update, context: BotContext, user: UserView, code: str) -> None:
    dossier = await context.call(context.services.dossiers.subscribe, user.id, code, on=True)
    assert dossier is not None  # just found, so accessible
    reply = views(context).dossier_status(user.language, dossier)
    await send(update, context, reply)


@private_only()
async def dossier_button(update: Update, context: BotContext) -> None:
    """`d:v:<code>` refreshes, `d:s:<code>` follows, `d:u:<code>` stops following."""
    user = await current_user(update, context)
    _, action, code = (update.callback_query.data or "").split(":", 2)  # type: ignore[union-attr]
    dossiers = context.services.dossiers
    v = views(context)
    if action == "v":
        dossier = await context.call(dossiers.view, user.id, code)
    else:
        dossier = await context.call(dossiers.subscribe, user.id, code, on=action == "s")
    if dossier is None:  # not looked up by this user (or gone): start from the code again
        example = context.services.settings.dossier_code_example
        await send(update, context, v.text(user.language, "dossier_prompt", example=example))
        return
    reply = v.dossier_status(user.language, dossier, edit=True)
    if action != "v":
        notice = context.services.messages.label(
            user.language, "subscribed" if action == "s" else "unsubscribed"
        )
        reply = replace(reply, notice=notice)
    await send(update, context, reply)


@private_only()
async def unsubscribe_command(update: Update, context: BotContext) -> None:
    """`/huy_theo_doi`: stop every dossier notification."""
    user = await current_user(update, context)
    count = await context.call(context.services.dossiers.unsubscribe_all, user.id)
    await send(
        update, context, views(context).text(user.language, "dossier_unsubscribed", count=count)
    )
