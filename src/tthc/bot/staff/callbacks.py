"""Callback data of the staff desk's buttons (64 bytes at most; ids are numbers).

- `up:a:<id>` apply an upload, `up:p:<id>` apply and remove what the file lacks,
  `up:c:<id>` cancel it;
- `un:l:<page>` a page of unanswered questions, `un:q:<id>` one of them,
  `un:m:<id>:<code>` answer it with a procedure, `un:f:<id>` search for another procedure,
  `un:x:<id>` set it aside as not a procedure question;
- `au:<page>` a page of the audit journal.
"""

from __future__ import annotations

CODE = r"[\w.\-]{1,32}"
UPLOAD = r"^up:[apc]:\d{1,12}$"
INBOX = rf"^un:(?:[lqfx]:\d{{1,12}}|m:\d{{1,12}}:{CODE})$"
AUDIT = r"^au:\d{1,6}$"


def apply(upload_id: int) -> str:
    return f"up:a:{upload_id}"


def apply_pruning(upload_id: int) -> str:
    return f"up:p:{upload_id}"


def cancel(upload_id: int) -> str:
    return f"up:c:{upload_id}"


def inbox_page(page: int) -> str:
    return f"un:l:{page}"


def question(question_id: int) -> str:
    return f"un:q:{question_id}"


def map_to(question_id: int, code: str) -> str:
    return f"un:m:{question_id}:{code}"


def find_other(question_id: int) -> str:
    return f"un:f:{question_id}"


def set_aside(question_id: int) -> str:
    return f"un:x:{question_id}"


AUDIT_PAGE = "au:"


def parse_upload(data: str) -> tuple[str, int]:
    """(action a|p|c, upload id)."""
    _, action, number = data.split(":")
    return action, int(number)


def parse_inbox(data: str) -> tuple[str, int, str | None]:
    """(action l|q|m|f|x, page or question id, procedure code for m)."""
    parts = data.split(":", 3)
    return parts[1], int(parts[2]), parts[3] if len(parts) > 3 else None
