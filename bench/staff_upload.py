"""Staff desk benchmark: a whole catalogue and a dossier export sent in the chat.

Run: make bench-uploads   (or .venv/bin/python -m bench.staff_upload [ROWS])
On a fresh SQLite file seeded with the bundled catalogue: the catalogue exported as
JSON (what a staff member re-sends after editing one procedure) is previewed, then
applied; a synthetic one-stop export of ROWS dossiers (default 20,000, about a month of
a province, under Telegram's 20 MB download limit) is previewed, then applied. Prints
the file sizes and the seconds each step takes: the time between sending the file and
seeing the summary, and between pressing ✅ Áp dụng and the answer.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from bench.dossier_import import write_export
from tthc.app.migrations import upgrade
from tthc.app.services import Services, build_services
from tthc.catalog.service import CatalogService
from tthc.core.database import Database
from tthc.core.settings import Settings

T = TypeVar("T")


def _timed(label: str, work: Callable[[], T]) -> T:
    started = time.perf_counter()
    result = work()
    print(f"{label:34s} {time.perf_counter() - started:7.2f} s")
    return result


def _send_and_apply(services: Services, label: str, filename: str, content: bytes) -> None:
    """A file as a staff member sends it, then the press on ✅ Áp dụng."""
    upload = _timed(
        f"{label}: preview",
        lambda: services.uploads.receive(user_id=1, filename=filename, content=content),
    )
    outcome = _timed(
        f"{label}: apply", lambda: services.uploads.apply(upload.id, user_id=1, actor="bench")
    )
    print(f"{'':34s} {outcome.summary}")


def main(rows: int = 20_000) -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.db"
        upgrade(url)
        db = Database(url)
        CatalogService(db).ensure_seeded()
        services = build_services(Settings(_env_file=None, database_url=url), db=db)  # type: ignore[call-arg]
        records = services.catalog.export_records()
        records[0] = {**records[0], "fees": "Lệ phí: 10.000 đồng (mức mới)"}
        catalogue = json.dumps(records, ensure_ascii=False).encode()
        print(f"catalogue: {len(records)} procedures, {len(catalogue) / 2**20:.1f} MB as JSON")
        _send_and_apply(services, "catalogue", "dm.json", catalogue)
        export = Path(folder) / "mot-cua.csv"
        write_export(export, rows)
        content = export.read_bytes()
        print(f"dossiers: {rows} rows, {len(content) / 2**20:.1f} MB as CSV")
        _send_and_apply(services, "dossiers", "mot-cua.csv", content)
        services.close()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20_000)
