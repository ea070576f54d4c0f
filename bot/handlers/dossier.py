"""Dossier status by receipt code: /hoso, the menu, a pasted code, a deep link; following."""

from __future__ import annotations

from dataclasses import replace

from telegram import Update

from bot.context import BotContext
from bot.handlers.common import current_user, views
from bot.sender import send
from dossiers.service import LookupResult, Outcome
from users.service import UserView

WAITING_CODE = "dossier"
WAITING_SECRET = "dossier_secret"


async def hoso_command(update: Update, context: BotContext) -> None:
    """`/hoso <code>` looks a dossier up; `/hoso` alone asks for the code."""
    user = await current_user(update, context)
    text = " ".join(context.args or [])
    if text:
        await lookup(update, context, user, text)
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
    if user.state == WAITING_SECRET and not dossiers.looks_like_code(text):
        await lookup(update, context, user, user.state_data.get("code", ""), secret=text)
        return True
    if user.state == WAITING_CODE or dossiers.looks_like_code(text):
        await lookup(update, context, user, text)
        return True
    return False


async def lookup(
    update: Update, context: BotContext, user: UserView, code: str, *, secret: str | None = None
) -> None:
    """Look a code up and reply; a dossier with check digits asks for them first."""
    result = await context.call(context.services.dossiers.lookup, user.id, code, secret=secret)
    await reply_lookup(update, context, user, result)


async def reply_lookup(
    update: Update, context: BotContext, user: UserView, result: LookupResult
) -> None:
    """Reply to a lookup's outcome; a secret question leaves the user answering it."""
    services = context.services
    if result.outcome is Outcome.NEED_SECRET:
        await context.call(services.users.set_state, user.id, WAITING_SECRET, {"code": result.code})
    else:
        await context.call(services.users.set_state, user.id, None)
    example = services.settings.dossier_code_example
    await send(update, context, views(context).dossier_lookup(user.language, result, example))


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


async def unsubscribe_command(update: Update, context: BotContext) -> None:
    """`/huy_theo_doi`: stop every dossier notification."""
    user = await current_user(update, context)
    count = await context.call(context.services.dossiers.unsubscribe_all, user.id)
    await send(
        update, context, views(context).text(user.language, "dossier_unsubscribed", count=count)
    )
