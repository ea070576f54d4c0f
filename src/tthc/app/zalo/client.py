"""Zalo's Bot API: `POST {base}/bot{TOKEN}/{method}` with JSON, answered `{ok, result}`.

HTTP 200 alone is not success: the envelope's `ok` is. Errors keep Zalo's code and
description for the log and the metrics.
"""

from __future__ import annotations

from typing import Any

import httpx


class ZaloError(Exception):
    """Zalo answered `ok: false` (or not JSON)."""

    def __init__(self, code: int, description: str) -> None:
        super().__init__(f"{code}: {description}")
        self.code = code
        self.description = description


class ZaloUnreachable(Exception):
    """No answer: connection refused, timed out (nothing proves the call was not made)."""

    def __init__(self, message: str, *, timed_out: bool) -> None:
        super().__init__(message)
        self.timed_out = timed_out


TEXT_LIMIT = 2000  # characters per message


class ZaloApi:
    """One bot's calls; the HTTP client is shared and closed with it."""

    def __init__(self, base_url: str, token: str, *, timeout: float = 15.0) -> None:
        self.base = f"{base_url.rstrip('/')}/bot{token}"
        self.http = httpx.AsyncClient(timeout=timeout)

    async def call(self, method: str, payload: dict[str, Any] | None = None) -> Any:
        """The `result` of a call, or ZaloError / ZaloUnreachable."""
        try:
            response = await self.http.post(f"{self.base}/{method}", json=payload or {})
        except httpx.TimeoutException as exc:
            raise ZaloUnreachable(f"{method}: timed out", timed_out=True) from exc
        except httpx.HTTPError as exc:
            raise ZaloUnreachable(f"{method}: {type(exc).__name__}", timed_out=False) from exc
        try:
            answer = response.json()
        except ValueError:
            raise ZaloError(response.status_code, f"{method}: not JSON") from None
        if not isinstance(answer, dict) or answer.get("ok") is not True:
            answer = answer if isinstance(answer, dict) else {}
            raise ZaloError(
                int(answer.get("error_code") or response.status_code),
                str(answer.get("description") or "error"),
            )
        return answer.get("result")

    async def download(self, url: str, *, limit: int) -> tuple[bytes, str]:
        """A photo a citizen sent (Zalo gives a URL): its bytes and content type."""
        async with self.http.stream("GET", url) as response:
            response.raise_for_status()
            kind = response.headers.get("content-type", "")
            data = bytearray()
            async for chunk in response.aiter_bytes():
                data += chunk
                if len(data) > limit:
                    raise ZaloError(413, "photo too large")
        return bytes(data), kind

    async def close(self) -> None:
        """Close the connections."""
        await self.http.aclose()
