"""Callback data of the staff desk's buttons (64 bytes at most; ids are numbers).

- `up:a:<id>` apply an upload, `up:p:<id>` ask to confirm removing what the file lacks,
  `up:d:<id>` apply and remove it (the confirmation), `up:v:<id>` the preview again,
  `up:x:<id>` apply a dossier file clearing the values it leaves empty, `up:c:<id>` cancel;
- `un:l:<page>` a page of unanswered questions, `un:q:<id>` one of them,
  `un:m:<id>:<code>` answer it with a procedure, `un:f:<id>` search for another procedure,
  `un:x:<id>` set it aside as not a procedure question;
- `au:<page>` a page of the audit journal;
- `ga:y` / `ga:n` confirm or drop a mapping that redirects a question (kept in the state);
- `hu:<change id>` undo that applied catalogue file (if it is still the latest);
- `bg:<journal entry id>` remove the alias that entry's mapping added.
"""

from __future__ import annotations

CODE = r"[\w.\-]{1,32}"
UPLOAD = r"^up:[apdvxc]:\d{1,12}$"
INBOX = rf"^un:(?:[lqfx]:\d{{1,12}}|m:\d{{1,12}}:{CODE})$"
AUDIT = r"^au:\d{1,6}$"
ALIAS_CONFIRM = r"^ga:[yn]$"
UNDO = r"^hu:\d{1,12}$"
UNMAP = r"^bg:\d{1,12}$"


def unmap(entry_id: int) -> str:
    return f"bg:{entry_id}"


def alias_confirm(yes: bool) -> str:
    return "ga:y" if yes else "ga:n"


def undo(change_id: int) -> str:
    return f"hu:{change_id}"


def apply(upload_id: int) -> str:
    return f"up:a:{upload_id}"


def apply_pruning(upload_id: int) -> str:
    return f"up:p:{upload_id}"


def confirm_pruning(upload_id: int) -> str:
    return f"up:d:{upload_id}"


def preview(upload_id: int) -> str:
    return f"up:v:{upload_id}"


def apply_clearing(upload_id: int) -> str:
    return f"up:x:{upload_id}"


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
