"""Finding the need inside a story.

Citizens write to the centre the way they write to a newspaper's legal column: who died
when, which house was sold, where they moved, and only then the question. Searched whole,
the backstory outvotes the question ("bố tôi bị xóa hộ khẩu … muốn đăng ký lại" found
"Xóa đăng ký thường trú"). So a long message is read as sentences; the question sentence
(and the sentence stating what the writer wants, when the question itself is only
"thủ tục thế nào?") is the focus, searched on its own and compared with the whole.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from tthc.core.text import fold

STORY_WORDS = 24  # a message this long (in words) is read as a story
_SENTENCE = re.compile(r"(?<=[.?!;:\n])\s+|\n+")
_ASKING = re.compile(
    r"\b(xin hoi|cho hoi|cho em hoi|cho toi hoi|hoi|thu tuc (?:gi|the nao|nhu the nao|ra sao)|"
    r"lam (?:the nao|sao|gi)|phai lam|can lam|co duoc|duoc khong|o dau|can (?:nhung )?gi|"
    r"gom (?:nhung )?gi|nhu the nao|the nao|ra sao|bao lau|bao nhieu|co phai|co can|"
    r"can (?:nhung )?giay to)\b"
)
_WANTING = re.compile(r"\b(muon|dinh|can|xin|nhu cau|de nghi)\b")
_BACKSTORY = re.compile(r"\b(truoc day|truoc kia|hoi do|cach day|nam (?:19|20)\d\d|tu nam)\b")


@dataclass(frozen=True)
class Focus:
    """The sentences that say what is wanted, and how many sentences the story had."""

    text: str
    sentences: int


def is_story(text: str) -> bool:
    """Whether a message is long enough to hold a backstory."""
    return len(text.split()) >= STORY_WORDS


def focus(text: str, names_service: Callable[[str], bool] | None = None) -> Focus:
    """The question sentence, with the wish before it when the question names no service.

    `names_service` tells whether a sentence names a service at all ("làm lại cả hai"
    does not); without it, a short question sentence is taken to name none.
    """
    sentences = [s.strip() for s in _SENTENCE.split(text) if s and s.strip()]
    if len(sentences) < 2:
        sentences = [s.strip() for s in re.split(r",\s+", text) if s.strip()]
    scored = [(_weight(s), i) for i, s in enumerate(sentences)]
    best_weight, best = max(scored, key=lambda w: (w[0], w[1]))
    chosen = [best]
    vague = (
        not names_service(sentences[best])
        if names_service is not None
        else len(fold(sentences[best]).split()) < 12
    )
    if vague and best > 0:
        # "Xin hỏi thủ tục thế nào?" names no service: an earlier sentence says which.
        naming = [i for i in range(best) if names_service and names_service(sentences[i])]
        wishes = [i for w, i in scored if i < best and _WANTING.search(fold(sentences[i]))]
        chosen.insert(0, (naming or wishes or [best - 1])[-1])
    return Focus(" ".join(sentences[i] for i in chosen), len(sentences))


def _weight(sentence: str) -> int:
    folded = fold(sentence)
    weight = 3 if "?" in sentence else 0
    weight += 2 * bool(_ASKING.search(folded)) + bool(_WANTING.search(folded))
    return weight - bool(_BACKSTORY.search(folded))
