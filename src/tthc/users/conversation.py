"""What the citizen's next message answers: the conversation's typed state.

A state is stored with the user (`users.state` and `users.state_data`) so a restart or
another bot instance continues the conversation. This module is the only place that reads
and writes that storage; everything else sees one of the dataclasses below.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol


def draft_key() -> str:
    """A random name for a new draft (64 bits: unique among any user's drafts)."""
    return secrets.token_hex(8)


class Step(StrEnum):
    """Which question the bot is waiting for an answer to (the stored value)."""

    RESULTS = "list"  # a result list or a choice is on screen
    VIEWING = "viewing"  # a procedure's card is on screen: "còn lệ phí thì sao?" is about it
    DOSSIER_CODE = "dossier"
    DOSSIER_DIGITS = "dossier_secret"
    RATING = "rating"
    COMPLAINT = "complaint"
    COMPLAINT_CONFIRM = "complaint_confirm"
    STAFF_FIND = "staff_find"
    ALIAS_CONFIRM = "alias_confirm"  # staff asked to confirm an alias that redirects a question


@dataclass(frozen=True)
class Results:
    """A search reply to pick from; `aspect` is the section the question asked about."""

    query: str
    normalized: str
    aspect: str | None = None
    picked: str | None = None  # the code opened from it, if any (the list was used)
    seen: str | None = None  # when that card was opened (aware UTC, ISO)


@dataclass(frozen=True)
class Viewing:
    """A procedure's card (or one of its sections) on screen since `at` (aware UTC, ISO)."""

    code: str
    at: str


@dataclass(frozen=True)
class AwaitingDossierCode:
    """The citizen was asked for a receipt code."""


class DossierIntent(StrEnum):
    """What the citizen wants once a dossier is found (kept through the check digits)."""

    VIEW = "view"
    FOLLOW = "follow"
    RATE = "rate"
    COMPLAINT = "complaint"

    @classmethod
    def read(cls, value: str) -> DossierIntent:
        """A stored intent; one this version does not know shows the dossier."""
        return cls._value2member_map_.get(value, cls.VIEW)  # type: ignore[return-value]


@dataclass(frozen=True)
class AwaitingDigits:
    """The citizen was asked for the check digits of `code`, to do `intent` with it."""

    code: str
    intent: str


@dataclass(frozen=True)
class RatingDraft:
    """A rating being put together; nothing is stored before it is sent."""

    code: str | None  # the dossier rated, or None for the service in general
    level: int | None = None
    criteria: dict[str, int] = field(default_factory=dict)  # criterion index → level
    comment: str | None = None
    awaiting_comment: bool = False
    # Names this draft: sending it twice (a double tap, two instances) stores it once.
    key: str = field(default_factory=draft_key, compare=False)


@dataclass(frozen=True)
class ComplaintPrompt:
    """The citizen was asked to write a complaint (about a dossier or procedure code)."""

    about: str | None


@dataclass(frozen=True)
class ComplaintDraft:
    """A complaint shown back for confirmation; nothing is filed before Gửi."""

    about: str | None
    text: str
    attachment: tuple[str, str] | None = None  # (photo | document, Telegram file id)
    key: str = field(default_factory=draft_key, compare=False)  # see RatingDraft.key


@dataclass(frozen=True)
class ConfirmingAlias:
    """A mapping to `code` waiting for staff to confirm it redirects a question.

    The question is an inbox entry (`question_id`) or typed with /gan (`text`); it opens
    another procedure's card today.
    """

    code: str
    question_id: int | None = None
    text: str | None = None


@dataclass(frozen=True)
class FindingProcedure:
    """A staff member is searching for the procedure that answers unanswered question `question_id`."""

    question_id: int


Conversation = (
    Results
    | Viewing
    | AwaitingDossierCode
    | AwaitingDigits
    | RatingDraft
    | ComplaintPrompt
    | ComplaintDraft
    | FindingProcedure
    | ConfirmingAlias
)


class Remembers(Protocol):
    """The users service as use cases see it: where a citizen's next step is kept."""

    def remember(self, user_id: int, conversation: Conversation | None) -> None: ...


class OnceOnly(Protocol):
    """Where keys that must take effect once are recorded (core.claims.Once)."""

    def first_time(self, key: str) -> bool: ...


class Stored(Protocol):
    """Where a state is kept: a user's `state` and `state_data`."""

    @property
    def state(self) -> str | None: ...

    @property
    def state_data(self) -> dict[str, Any]: ...


def read(user: Stored) -> Conversation | None:
    """The user's stored state as a typed value (None: nothing pending, or unreadable)."""
    d = user.state_data
    try:
        match user.state:
            case Step.RESULTS:
                return Results(d["q"], d["n"], d.get("a"), d.get("picked"), d.get("seen"))
            case Step.VIEWING:
                return Viewing(d["code"], d["at"])
            case Step.DOSSIER_CODE:
                return AwaitingDossierCode()
            case Step.DOSSIER_DIGITS:
                return AwaitingDigits(d["code"], d.get("intent", "view"))
            case Step.RATING:
                criteria = {str(k): int(v) for k, v in d.get("criteria", {}).items()}
                return RatingDraft(
                    d.get("code"),
                    d.get("level"),
                    criteria,
                    d.get("comment"),
                    bool(d.get("await_comment")),
                    d.get("k") or draft_key(),
                )
            case Step.COMPLAINT:
                return ComplaintPrompt(d.get("about"))
            case Step.COMPLAINT_CONFIRM:
                attachment = d.get("attachment")
                return ComplaintDraft(
                    d.get("about"),
                    d["text"],
                    tuple(attachment) if attachment else None,
                    d.get("k") or draft_key(),
                )
            case Step.STAFF_FIND:
                return FindingProcedure(int(d["question"]))
            case Step.ALIAS_CONFIRM:
                return ConfirmingAlias(d["code"], d.get("question"), d.get("text"))
    except (KeyError, TypeError, ValueError):
        return None  # written by an older version: start afresh
    return None


def step_of(state: Conversation | None) -> Step | None:
    """The step a state waits on (None: nothing pending)."""
    return stored(state)[0]


def stored(state: Conversation | None) -> tuple[Step | None, dict[str, Any] | None]:
    """The (step, data) a state is stored as."""
    match state:
        case None:
            return None, None
        case Results():
            data = {"q": state.query, "n": state.normalized}
            if state.aspect:
                data["a"] = state.aspect
            if state.picked:
                data["picked"] = state.picked
            if state.seen:
                data["seen"] = state.seen
            return Step.RESULTS, data
        case Viewing():
            return Step.VIEWING, {"code": state.code, "at": state.at}
        case AwaitingDossierCode():
            return Step.DOSSIER_CODE, None
        case AwaitingDigits():
            return Step.DOSSIER_DIGITS, {"code": state.code, "intent": state.intent}
        case RatingDraft():
            rating: dict[str, Any] = {
                "code": state.code,
                "criteria": dict(state.criteria),
                "k": state.key,
            }
            if state.level is not None:
                rating["level"] = state.level
            if state.comment is not None:
                rating["comment"] = state.comment
            if state.awaiting_comment:
                rating["await_comment"] = True
            return Step.RATING, rating
        case ComplaintPrompt():
            return Step.COMPLAINT, {"about": state.about}
        case ComplaintDraft():
            return Step.COMPLAINT_CONFIRM, {
                "about": state.about,
                "text": state.text,
                "attachment": list(state.attachment) if state.attachment else None,
                "k": state.key,
            }
        case FindingProcedure():
            return Step.STAFF_FIND, {"question": state.question_id}
        case ConfirmingAlias():
            return Step.ALIAS_CONFIRM, {
                "code": state.code,
                "question": state.question_id,
                "text": state.text,
            }
    raise TypeError(f"not a conversation state: {state!r}")
