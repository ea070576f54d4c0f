"""One typed settings object, read from the environment and an optional `.env` file.

Nothing is read at import time: call :func:`get_settings` (cached) or build
:class:`Settings` explicitly in tests.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from tthc.core.inputs import ascii_int

DEFAULT_SQLITE_URL = "sqlite:///./var/tthc.db"
# 0.1.0 briefly defaulted to this name (a search-and-replace); found alone, it is reported.
MISPLACED_SQLITE_PATH = "./var/foundation.database"
DEV_SECRET_KEY = "dev-only-secret-change-me"
MIN_SECRET_LENGTH = 16


class ConfigError(Exception):
    """A setting is missing or malformed; the message names the variable."""


class Settings(BaseSettings):
    """Everything the bot, the console chat and the CLI need to know about their environment."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    telegram_bot_token: SecretStr | None = None
    telegram_base_url: str | None = None
    telegram_base_file_url: str | None = None
    # Messages per second this instance may send (Telegram allows about 30 per bot: split
    # it across instances); 0 turns the limiter off (a local Bot API server, paid broadcasts).
    telegram_max_rate: float = Field(default=30, ge=0, le=1000)
    # Webhook mode: Telegram POSTs updates to WEBHOOK_URL (its path is served on
    # LISTEN:PORT, with GET /healthz and /metrics beside it); without it the bot polls,
    # and serves /healthz and /metrics only when PORT is set.
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    listen: str = "0.0.0.0"
    # Zalo (citizens only; staff stay on Telegram): the bot token from Zalo's Bot platform,
    # the https URL Zalo POSTs events to (its path is served on LISTEN:PORT; empty: poll,
    # for development) with the secret it sends in X-Bot-Api-Secret-Token (8-256
    # characters), and the API's address (tests point it at a fake).
    zalo_bot_token: SecretStr | None = None
    zalo_webhook_url: str | None = None
    zalo_webhook_secret: SecretStr | None = None
    zalo_base_url: str = "https://bot-api.zaloplatforms.com"
    # The web server (webhook, /healthz): connections at once (keep it under the process's
    # file limit, LimitNOFILE), and seconds a request's headers, then its body, may take.
    web_max_connections: int = Field(default=512, ge=1, le=100_000)
    web_read_timeout_seconds: float = Field(default=10, gt=0, le=300)
    port: int = Field(default=8080, ge=0, le=65535)  # 0: any free port (tests)
    concurrent_updates: int = Field(default=8, ge=1, le=512)
    # Each user's budget per minute (per instance; 0: no limit). Beyond it, one polite
    # "bạn gửi nhanh quá" and silence until the budget refills (bot/fairness.py).
    user_messages_per_minute: int = Field(default=20, ge=0, le=10_000)
    user_presses_per_minute: int = Field(default=60, ge=0, le=10_000)
    database_url: str = DEFAULT_SQLITE_URL
    admin_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    # Group chats where staff commands are allowed (a centre's staff group); everywhere
    # else they, and dossier, rating and complaint conversations, work in private only.
    staff_group_chats: Annotated[frozenset[int], NoDecode] = frozenset()
    default_language: Literal["vi", "en"] = "vi"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: Literal["text", "json"] = "text"
    catalog_refresh_seconds: float = Field(default=15.0, ge=0)
    # A file must hold this share of the catalogue to replace it (remove what it lacks).
    catalog_replace_min_share: float = Field(default=0.5, gt=0, le=1)
    max_query_length: int = Field(default=500, ge=20, le=4000)
    # How long the card on screen stays the subject of follow-ups ("còn lệ phí thì sao?").
    context_minutes: float = Field(default=30, gt=0, le=24 * 60)
    # Staff desk: the largest file accepted in the chat (Telegram lets bots download up to
    # 20 MB), and how far back citizens are told when staff answer their question.
    upload_max_bytes: int = Field(default=20 << 20, ge=1024, le=20 << 20)
    unanswered_followup_days: int = Field(default=14, ge=0, le=180)
    # Dossiers: the receipt codes this province prints (FACTS.md §1 by default), extra
    # import column mappings as JSON ({"Header": "field"}), the key of the check-digit
    # hashes, and how many failed lookups a user gets per window.
    dossier_code_pattern: str = r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}-\d{6}-\d{4}$"
    dossier_code_example: str = "000.00.20.H56-240527-0001"
    dossier_columns: dict[str, str] = Field(default_factory=dict)
    secret_key: SecretStr = SecretStr(DEV_SECRET_KEY)
    # The key before the last rotation: check digits hashed with it still verify (and are
    # re-hashed with SECRET_KEY when they do) until the next full import.
    secret_key_previous: SecretStr | None = None
    # "development" allows the default SECRET_KEY (console chat, tests, a laptop).
    environment: Literal["production", "development"] = "production"
    # Lookups of codes a user cannot see yet (found or not), wrong check digits per user
    # and per dossier (all users together), all per window.
    lookup_budget: int = Field(default=10, ge=1)
    lookup_max_failures: int = Field(default=5, ge=1)
    lookup_max_failures_per_dossier: int = Field(default=5, ge=1)
    lookup_window_minutes: float = Field(default=15, gt=0)
    # How citizens reach the centre (phone, address), told when a dossier code is protected
    # after many wrong check digits, and in /help.
    centre_contact: str | None = None
    outbox_interval_seconds: float = Field(default=5, gt=0)
    outbox_retry_seconds: float = Field(default=10, gt=0)
    bot_username: str | None = None
    # Feedback: the rating scale, best first (the seeds use three levels; some portals
    # five) and the criteria a citizen may score; the weekly digest to managers.
    rating_scale: list[str] = ["Rất hài lòng", "Hài lòng", "Không hài lòng"]
    rating_criteria: list[str] = [
        "Công khai, minh bạch thông tin",
        "Thời gian giải quyết đúng hẹn",
        "Thái độ, hướng dẫn của cán bộ",
        "Số lần phải đi lại",
        "Kết quả đúng quy định",
    ]
    # Working days within which staff answer a complaint (told to the citizen on filing).
    complaint_answer_days: int = Field(default=10, ge=1, le=90)
    # A lowest-rated list ranks only procedures and agencies with this many ratings.
    report_min_ratings: int = Field(default=5, ge=1, le=1000)
    # Days each kind of personal data is kept (privacy/retention.py lists the kinds and
    # their defaults), as JSON: {"unanswered": 90}. A daily job purges what is older.
    retention_days: dict[str, int] = Field(default_factory=dict)
    digest_weekday: int = Field(default=0, ge=0, le=6)  # 0 = Monday
    digest_time: str = Field(default="08:00", pattern=r"^\d{2}:\d{2}$")

    @field_validator("admin_ids", "staff_group_chats", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p for p in value.replace(";", ",").replace(" ", ",").split(",") if p]
            ids = [ascii_int(p, low=1) for p in parts]
            if None in ids:
                raise ValueError(
                    "must be Telegram user ids (digits 0-9, at most 2^63-1) separated by commas"
                )
            return frozenset(i for i in ids if i is not None)
        return value

    @field_validator("secret_key_previous", mode="before")
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("telegram_bot_token", mode="before")
    @classmethod
    def _reject_placeholder(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.strip()
            if not value:
                return None
            if value.lower() in {"changeme", "your-token-here", "xxx"} or ":" not in value:
                raise ValueError("does not look like a token from @BotFather (id:secret)")
        return value

    @field_validator(
        "zalo_bot_token", "zalo_webhook_secret", "zalo_webhook_url", "webhook_url", mode="before"
    )
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        """`ZALO_BOT_TOKEN=` in an env file means "not set", as for the Telegram token."""
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("retention_days")
    @classmethod
    def _check_retention(cls, value: dict[str, int]) -> dict[str, int]:
        known = {
            "lookup_attempts", "access", "dossiers", "unanswered", "complaints", "outbox",
            "drafts", "comments",
        }  # fmt: skip
        unknown = sorted(set(value) - known)
        if unknown:
            raise ValueError(
                f"unknown kind(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}"
            )
        if any(days < 1 for days in value.values()):
            raise ValueError("every kind needs at least 1 day")
        return value

    @field_validator("dossier_code_pattern")
    @classmethod
    def _check_pattern(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"is not a valid regular expression: {exc}") from exc
        return value

    @field_validator("database_url")
    @classmethod
    def _check_db_url(cls, value: str) -> str:
        if not value.startswith(("sqlite:", "postgresql:", "postgresql+psycopg:", "postgres:")):
            raise ValueError("must start with sqlite:/// or postgresql://")
        return value

    @property
    def is_sqlite(self) -> bool:
        """Whether the configured database is a SQLite file."""
        return self.database_url.startswith("sqlite:")

    def require_production_secrets(self) -> None:
        """Refuse the development SECRET_KEY (or a short one) outside development.

        With a copy of the database, check digits hashed under a known key are
        brute-forced in milliseconds.
        """
        if self.environment == "development":
            return
        key = self.secret_key.get_secret_value()
        if key == DEV_SECRET_KEY or len(key) < MIN_SECRET_LENGTH:
            raise ConfigError(
                "SECRET_KEY: set a long random value (python -c 'import secrets; "
                "print(secrets.token_urlsafe(32))'); the default is for ENVIRONMENT=development"
            )

    @property
    def serves_http(self) -> bool:
        """Whether this instance runs the web server: a webhook, or PORT set while polling."""
        return bool(self.webhook_url or self.zalo_webhook_url) or "port" in self.model_fields_set

    def require_zalo(self) -> str | None:
        """The Zalo token if Zalo is configured, after checking its webhook settings."""
        if self.zalo_bot_token is None or not self.zalo_bot_token.get_secret_value():
            if self.zalo_webhook_url:
                raise ConfigError("ZALO_WEBHOOK_URL is set but ZALO_BOT_TOKEN is not")
            return None
        if self.zalo_webhook_url:
            url = self.zalo_webhook_url
            if not url.startswith("https://") and self.environment != "development":
                raise ConfigError("ZALO_WEBHOOK_URL must start with https://")
            secret = self.zalo_webhook_secret.get_secret_value() if self.zalo_webhook_secret else ""
            if not 8 <= len(secret) <= 256:
                raise ConfigError(
                    "ZALO_WEBHOOK_SECRET is required with ZALO_WEBHOOK_URL: 8-256 characters"
                )
            if self.webhook_url and self.zalo_webhook_path == self.webhook_path:
                raise ConfigError("ZALO_WEBHOOK_URL and WEBHOOK_URL need different paths")
            self.require_production_secrets()
        return self.zalo_bot_token.get_secret_value()

    @property
    def zalo_webhook_path(self) -> str:
        """The path Zalo POSTs to (the path of ZALO_WEBHOOK_URL)."""
        path = urlsplit(self.zalo_webhook_url or "").path
        return path if path.startswith("/") and path != "/" else "/zalo"

    def require_webhook(self) -> None:
        """Refuse a webhook without its secret, a real SECRET_KEY, or an https URL.

        Telegram sends the secret with every update; a request without it is refused.
        """
        if not self.webhook_url:
            return
        if not self.webhook_url.startswith("https://") and self.environment != "development":
            raise ConfigError("WEBHOOK_URL must start with https:// (Telegram only calls https)")
        secret = self.webhook_secret.get_secret_value() if self.webhook_secret else ""
        if not re.fullmatch(r"[A-Za-z0-9_-]{16,256}", secret):
            raise ConfigError(
                "WEBHOOK_SECRET is required with WEBHOOK_URL: 16-256 characters A-Z, a-z, 0-9, "
                "_ and - (python -c 'import secrets; print(secrets.token_urlsafe(32))')"
            )
        self.require_production_secrets()

    @property
    def webhook_path(self) -> str:
        """The path Telegram POSTs to (the path of WEBHOOK_URL)."""
        path = urlsplit(self.webhook_url or "").path
        return path if path.startswith("/") and path != "/" else "/telegram"

    def require_database_location(self) -> None:
        """Refuse to start on an empty default database while the misnamed one holds the data.

        An install upgraded without DATABASE_URL would otherwise open a new, empty
        ./var/tthc.db beside the ./var/foundation.database that holds its catalogue,
        dossiers and ratings.
        """
        if self.database_url != DEFAULT_SQLITE_URL:
            return
        default = DEFAULT_SQLITE_URL.removeprefix("sqlite:///")
        misplaced = MISPLACED_SQLITE_PATH
        if Path(misplaced).exists() and not Path(default).exists():
            raise ConfigError(
                f"DATABASE_URL: the data is in {misplaced} (a name used by mistake in 0.1.0), "
                f"the default is {default}; move it once with: mv {misplaced} {default}"
            )

    def require_token(self) -> str:
        """Return the bot token or explain, naming the variable, why the bot cannot start."""
        if self.telegram_bot_token is None:
            raise ConfigError(
                "TELEGRAM_BOT_TOKEN is not set: get one from @BotFather, or use `tthc chat`"
            )
        return self.telegram_bot_token.get_secret_value()


def load_settings(**overrides: object) -> Settings:
    """Build settings, turning pydantic's report into one line that names the variable."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        name = str(first["loc"][0]).upper() if first["loc"] else "?"
        raise ConfigError(f"{name}: {first['msg']}") from None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings of this process, read once."""
    return load_settings()
