"""The background job that delivers the outbox: every message that is not a direct reply.

What each kind of message says is registered by its capability (`routes.on_notice`).
It runs on the JobQueue of every bot instance; claims in the database keep instances
from sending the same message. Telegram's flood limits are handled by the application's
rate limiter and by `RetryAfter`, which postpones the message rather than failing it.

Delivery is at least once for errors that prove nothing was sent (HTTP errors, refused
connections: retried) and at most once after a timeout (Telegram may have accepted the
message before the answer was lost: not resent, recorded as "delivery unknown").
"""

from __future__ import annotations

import logging
from datetime import timedelta

from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from tthc.bot.context import BotContext
from tthc.bot.sender import send_to
from tthc.core import metrics

log = logging.getLogger(__name__)
BATCH = 20


async def deliver_outbox(context: BotContext) -> None:
    """Send what is due, one message per claimed row, recording each outcome."""
    services = context.services
    channel = context.application.bot_data.get("channel", "telegram")
    pending = await context.call(services.outbox.claim, BATCH, channel=channel)
    for item in pending:
        try:
            user = await context.call(services.users.touch, item.user_id)
            notice = context.routes.notices.get(item.message.kind)
            reply = await notice(context, item.message, user.language) if notice else None
            if not reply:
                await context.call(services.outbox.failed, item.id, "nothing to say any more")
                continue
            await send_to(context.bot, item.user_id, reply)
        except RetryAfter as exc:
            await context.call(services.outbox.retry, item.id, str(exc), _retry_after(exc))
        except Forbidden as exc:  # blocked the bot: do not retry, queue nothing more
            log.warning("notification %s not deliverable: %s", item.id, exc)
            await context.call(services.outbox.failed, item.id, str(exc))
            await context.call(services.users.blocked_by, item.user_id)
            metrics.UNREACHABLE.labels(channel).inc()
        except BadRequest as exc:  # chat gone, message refused: do not retry
            log.warning("notification %s not deliverable: %s", item.id, exc)
            await context.call(services.outbox.failed, item.id, str(exc))
        except TimedOut:
            # Telegram may well have delivered it: resending risks a duplicate, which a
            # citizen notices more than a missing status message they can look up.
            log.warning("notification %s timed out: delivery unknown, not resent", item.id)
            await context.call(services.outbox.delivery_unknown, item.id)
        except NetworkError as exc:  # not sent (connection refused, bad gateway): retry
            await context.call(services.outbox.retry, item.id, str(exc))
        else:
            await context.call(services.outbox.sent, item.id)


def _retry_after(exc: RetryAfter) -> timedelta:
    """Telegram's requested wait (a timedelta with PTB_TIMEDELTA, see tthc/bot/__init__.py)."""
    value = exc.retry_after
    return value if isinstance(value, timedelta) else timedelta(seconds=value)
