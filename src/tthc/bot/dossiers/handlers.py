"""Dossier status by receipt code: /hoso, /theodoi, the menu, a pasted code, a deep link.

A lookup carries the citizen's intent (see it, follow it, rate it, complain about it)
through the check-digit question, so the answer to the digits does what was asked.
A wrong answer can be retried by typing the four digits again; anything else typed at
that question leaves it and is read as a new message.
"""

from __future__ import annotations

import re
from dataclasses import replace

from telegram import Update

from tthc.bot.common import arguments, current_user, private_only, remember, reply_text
from tthc.bot.context import BotContext
from tthc.bot.dossiers import callbacks
from tthc.bot.dossiers.views import DossierViews
from tthc.bot.links import DOSSIER_LINK, code_from_payload
from tthc.bot.sender import send
from tthc.dossiers.service import LookupResult, Outcome
from tthc.users.conversation import AwaitingDigits, AwaitingDossierCode, read
from tthc.users.conversation import DossierIntent as Intent
from tthc.users.service import UserView

_DIGITS = re.compile(r"^\d{4}$")


def views(context: BotContext) -> DossierViews:
    services = context.services
    return DossierViews(services.messages, services.settings.centre_contact)


@private_only()
async def hoso_command(update: Update, context: BotContext) -> None:
    """`/hoso <code>` looks a dossier up; `/hoso` alone asks for the code."""
    user = await current_user(update, context)
    text = " ".join(arguments(context))
    if text:
        await lookup(update, context, user, text)
    else:
        await prompt(update, context, user)


@private_only()
async def follow_command(update: Update, context: BotContext) -> None:
    """`/theodoi <code>`: look a dossier up and be told when it changes."""
    user = await current_user(update, context)
    text = " ".join(arguments(context))
    if text:
        await lookup(update, context, user, text, intent=Intent.FOLLOW)
    else:
        await prompt(update, context, user)


async def prompt(update: Update, context: BotContext, user: UserView) -> None:
    """Ask for a receipt code; the next message is read as one."""
    await remember(context, user, AwaitingDossierCode())
    example = context.services.settings.dossier_code_example
    await reply_text(update, context, user, "dossier_prompt", example=example)


async def on_digits(update: Update, context: BotContext, user: UserView, text: str) -> bool:
    """The answer to the check-digit question, or something else (then it is not ours)."""
    digits = "".join(text.split())
    asked = read(user)
    if _DIGITS.match(digits) and isinstance(asked, AwaitingDigits):
        intent = Intent.read(asked.intent)
        await lookup(update, context, user, asked.code, secret=digits, intent=intent)
        return True
    if context.services.dossiers.looks_like_code(text):
        await lookup(update, context, user, text)
        return True
    # Not an answer to the question: leave it and read the message afresh.
    await remember(context, user, None)
    return False


async def on_code(update: Update, context: BotContext, user: UserView, text: str) -> bool:
    """The answer to "which receipt code?": whatever was typed is looked up."""
    await lookup(update, context, user, text)
    return True


async def pasted_code(update: Update, context: BotContext, user: UserView, text: str) -> bool:
    """A receipt code typed out of the blue, alone or in a sentence, is looked up.

    One cut short ("…-241223-00") is not guessed at: the citizen is asked for all of it.
    """
    found = context.services.dossiers.find_code(text)
    if found is None:
        return False
    if found.complete:
        await lookup(update, context, user, found.code)
        return True
    await remember(context, user, AwaitingDossierCode())
    example = context.services.settings.dossier_code_example
    await reply_text(update, context, user, "dossier_truncated", code=found.code, example=example)
    return True


async def deep_link(update: Update, context: BotContext, user: UserView, payload: str) -> None:
    """`?start=hs_<code>`: look the dossier up (check digits first, as always)."""
    await lookup(update, context, user, code_from_payload(payload, DOSSIER_LINK) or "")


async def menu_prompt(update: Update, context: BotContext, user: UserView) -> None:
    """The `m:dossier` menu button (also under a card when statuses are published)."""
    await prompt(update, context, user)


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
    if result.outcome in (Outcome.NEED_SECRET, Outcome.WRONG_SECRET, Outcome.PROTECTED):
        # Protected: digits typed anyway are still read as an answer (and told again).
        await remember(context, user, AwaitingDigits(result.code, intent.value))
    else:
        await remember(context, user, None)
    if result.outcome is Outcome.FOUND and intent is not Intent.VIEW:
        if intent is Intent.FOLLOW:
            await _follow(update, context, user, result.code)
            return
        await context.routes.found[intent](update, context, user, result.code)
        return
    example = context.services.settings.dossier_code_example
    await send(update, context, views(context).dossier_lookup(user.language, result, example))


async def _follow(update: Update, context: BotContext, user: UserView, code: str) -> None:
    dossier = await context.call(context.services.dossiers.subscribe, user.id, code, on=True)
    assert dossier is not None  # just found, so accessible
    await send(update, context, views(context).dossier_status(user.language, dossier))


@private_only()
async def dossier_button(update: Update, context: BotContext) -> None:
    """Refresh, follow, stop following or rate a dossier (see `callbacks`)."""
    user = await current_user(update, context)
    action, code = callbacks.parse(
        update.callback_query.data or "" if update.callback_query else ""
    )
    dossiers = context.services.dossiers
    if action == "r":
        await context.routes.found[Intent.RATE](update, context, user, code)
        return
    if action == "v":
        dossier = await context.call(dossiers.view, user.id, code)
    else:
        dossier = await context.call(dossiers.subscribe, user.id, code, on=action == "s")
    if dossier is None:  # not looked up by this user (or gone): start from the code again
        example = context.services.settings.dossier_code_example
        await reply_text(update, context, user, "dossier_prompt", example=example)
        return
    reply = views(context).dossier_status(user.language, dossier, edit=True)
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
    await reply_text(update, context, user, "dossier_unsubscribed", count=count)
