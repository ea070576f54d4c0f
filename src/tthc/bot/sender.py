"""The one place replies are sent: splitting, keyboards, edits in place."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.constants import ChatAction, ParseMode
from telegram.error import BadRequest, TelegramError

from tthc.bot.context import BotContext
from tthc.bot.replies import Document, Outgoing, Photo, Reply
from tthc.bot.split import split_html
from tthc.bot.turns import outside_turn, stored

log = logging.getLogger(__name__)


TYPING_AFTER = 1.0  # seconds: a quicker answer needs no "typing…"


@asynccontextmanager
async def typing_if_slow(update: Update, context: BotContext) -> AsyncIterator[None]:
    """Show "typing…" only if the block takes longer than TYPING_AFTER.

    Every call to Telegram spends the bot's message budget (about 30 per second); a
    "typing…" before an answer computed in milliseconds would halve it for nothing.
    """
    chat = update.effective_chat

    async def later() -> None:
        await asyncio.sleep(TYPING_AFTER)
        if chat is not None:
            try:
                await context.bot.send_chat_action(chat.id, ChatAction.TYPING)
            except TelegramError as exc:  # cosmetic: the answer matters, not this
                log.debug("typing action not sent: %s", exc)

    task = asyncio.create_task(later())
    try:
        yield
    finally:
        task.cancel()


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    """Telegram markup for a reply's buttons."""
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(b.text, callback_data=b.data)
                if b.data is not None
                else InlineKeyboardButton(b.text, url=b.url)
                for b in row
            ]
            for row in reply.buttons
        ]
    )


async def send(update: Update, context: BotContext, reply: Reply) -> None:
    """Send (or, for `edit` replies to a button, edit) a reply, split under Telegram's limit.

    What was done is committed first; other updates may use the database meanwhile.
    """
    await stored()
    async with outside_turn():
        await _deliver(update, context, reply)


async def _deliver(update: Update, context: BotContext, reply: Reply) -> None:
    query = update.callback_query
    if query is not None:
        await query.answer(reply.notice)
    chat = update.effective_chat
    if chat is None:
        return
    parts = split_html(reply.text)
    markup = keyboard(reply)
    if reply.edit and query is not None and query.message is not None:
        try:
            await context.bot.edit_message_text(
                chat_id=chat.id,
                message_id=query.message.message_id,
                text=parts[0],
                parse_mode=ParseMode.HTML,
                reply_markup=markup if len(parts) == 1 else None,
                disable_web_page_preview=True,
            )
        except BadRequest as exc:
            if "not modified" not in str(exc).lower():  # a double press changes nothing
                raise
        parts = parts[1:]
    await _send_parts(context.bot, chat.id, parts, markup)


async def send_to(bot: Bot, chat_id: int, reply: Outgoing | Sequence[Outgoing]) -> None:
    """Send to a chat outside any update (notifications, answers, reports), in order."""
    await stored()
    items = [reply] if isinstance(reply, Reply | Photo | Document) else list(reply)
    async with outside_turn():
        for item in items:
            if isinstance(item, Photo):
                await bot.send_photo(chat_id, photo=item.data, caption=item.caption or None)
            elif isinstance(item, Document):
                await bot.send_document(chat_id, document=InputFile(item.data, item.filename))
            else:
                await _send_parts(bot, chat_id, split_html(item.text), keyboard(item))


async def _send_parts(
    bot: Bot, chat_id: int, parts: list[str], markup: InlineKeyboardMarkup | None
) -> None:
    """New messages, the keyboard under the last one."""
    for i, part in enumerate(parts):
        await bot.send_message(
            chat_id=chat_id,
            text=part,
            parse_mode=ParseMode.HTML,
            reply_markup=markup if i == len(parts) - 1 else None,
            disable_web_page_preview=True,
        )
