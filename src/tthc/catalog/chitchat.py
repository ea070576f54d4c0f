"""Messages that are not questions about a procedure: greetings, thanks, insults, numbers.

They get a short friendly reply instead of a search, and are never logged as unanswered
questions (a phone number typed into the chat must not end up in a staff report).
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum

from tthc.core.text import fold


class Chitchat(StrEnum):
    """What kind of small talk a message is."""

    GREETING = "greeting"
    THANKS = "thanks"
    BYE = "bye"
    ACK = "ack"  # "ok", "vâng", 👍
    WHO = "who"  # "bạn là ai"
    INSULT = "insult"
    OFF_TOPIC = "off_topic"  # "kể chuyện cười đi"
    NUMBER = "number"  # digits only, a phone number


# Words that only make a message polite or address the bot; they never decide anything.
_POLITE = {
    "a", "ad", "admin", "ban", "bot", "oi", "nhe", "nha", "nhen", "ne", "em", "anh", "chi",
    "minh", "toi", "tui", "nhieu", "lam", "qua", "rat", "hi", "vay", "the", "di",
    "shop", "ca", "moi", "nguoi", "ah", "u", "oke",
}  # fmt: skip
# Each kind: phrases (folded) a message may consist of, alone or with polite words.
_PHRASES: dict[Chitchat, tuple[str, ...]] = {
    Chitchat.GREETING: (
        "xin chao", "chao", "hello", "helo", "hi", "hey", "alo", "alo alo", "chao buoi sang",
        "chao buoi chieu", "chao buoi toi", "good morning",
    ),
    Chitchat.THANKS: (
        "cam on", "cam ơn", "cam on nhieu", "thank", "thanks", "thank you", "tks", "thanks you",
        "ok cam on", "cam on ban", "da cam on",
    ),
    Chitchat.BYE: ("tam biet", "bye", "bai", "goodbye", "hen gap lai", "chao tam biet"),
    Chitchat.ACK: (
        "ok", "oki", "okie", "okay", "vang", "da", "u", "uh", "uhm", "um", "roi", "duoc",
        "duoc roi", "hieu roi", "da hieu", "tot", "hay", "good", "yes", "co", "khong", "ko",
        "k", "hihi", "haha", "hehe", "vang a", "da vang",
    ),
    Chitchat.WHO: (
        "ban la ai", "may la ai", "la ai", "ai vay", "ban ten gi", "ten gi", "ban la nguoi hay may",
        "ban la bot a", "ban co phai nguoi khong", "bot la gi", "day la dau", "ban lam duoc gi",
        "ban giup duoc gi", "huong dan", "giup toi", "giup", "help",
    ),
    Chitchat.INSULT: (
        "dm", "dmm", "dcm", "dit", "vcl", "vl", "vkl", "clm", "cc", "ngu", "do ngu", "bot ngu",
        "ngu the", "cut", "cut di", "khon nan", "mat day", "oc cho", "do dien", "stupid",
        "fuck", "shit", "lon", "cho", "do cho", "vo dung", "do vo dung", "ngu vl", "ngu vcl",
    ),
    Chitchat.OFF_TOPIC: (
        "ke chuyen cuoi", "chuyen cuoi", "hat", "hat di", "hat mot bai", "lam tho", "tho",
        "thoi tiet", "thoi tiet hom nay", "may gio roi", "hom nay ngay may", "an gi",
        "an com chua", "yeu em khong", "co nguoi yeu chua", "buon qua", "chan qua",
    ),
}  # fmt: skip
_INDEX = {phrase: kind for kind, phrases in _PHRASES.items() for phrase in phrases}
_LONGEST = max(len(p.split()) for p in _INDEX)
_NUMBER_ONLY = re.compile(r"^[\s+()\-.0-9]+$")
_PROCEDURE_CODE = re.compile(r"^\d\.\d{6}$")  # "1.001193" opens a procedure


def chitchat(text: str) -> Chitchat | None:
    """The kind of small talk `text` is, or None when it may be a real question."""
    stripped = text.strip()
    if not stripped:
        return None
    if (
        _NUMBER_ONLY.match(stripped)
        and sum(c.isdigit() for c in stripped) >= 3
        and not _PROCEDURE_CODE.match(stripped)
    ):
        return Chitchat.NUMBER
    if not any(c.isalnum() for c in stripped):
        return Chitchat.ACK if _emoji_or_punctuation(stripped) else None
    words = [w for w in fold(stripped).split() if w]
    kinds: set[Chitchat] = set()
    i = 0
    while i < len(words):
        for n in range(min(_LONGEST, len(words) - i), 0, -1):
            kind = _INDEX.get(" ".join(words[i : i + n]))
            if kind is not None:
                kinds.add(kind)
                i += n
                break
        else:
            if words[i] not in _POLITE:
                return None  # a word that is neither small talk nor politeness
            i += 1
    if not kinds:
        return None
    for kind in (Chitchat.INSULT, Chitchat.WHO, Chitchat.OFF_TOPIC, Chitchat.THANKS, Chitchat.BYE):
        if kind in kinds:
            return kind
    return Chitchat.GREETING if Chitchat.GREETING in kinds else Chitchat.ACK


def _emoji_or_punctuation(text: str) -> bool:
    return all(unicodedata.category(c)[0] in "SPZ" or c in "\ufe0f\u200d" for c in text)
