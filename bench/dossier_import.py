"""Dossier import benchmark: a province's year (622,039 rows) into a fresh SQLite file.

Run: make bench-dossiers   (or .venv/bin/python -m bench.dossier_import [ROWS])
Writes a synthetic export in the one-stop layout (the sample's columns), then, each in
a child process: a bare insert of the same rows (csv.reader into sqlite3's executemany,
one text column per field, no validation: the floor any importer stands on), the real
import (all new), and the real import again (nothing changed). Prints rows/s, peak
memory (RSS) and the ratio of the first import to the bare insert, measured in the same
run so a busy machine slows both.
"""

from __future__ import annotations

import csv
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

HEADER = [
    "Mã hồ sơ", "Mã thủ tục", "Tên thủ tục", "Lĩnh vực", "Cơ quan tiếp nhận", "Cấp thực hiện",
    "Người nộp", "Số điện thoại", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả",
    "Ngày trả kết quả", "Trạng thái", "Hình thức nhận kết quả",
]  # fmt: skip
UNITS = ["000.00.20.H56", "000.25.31.H56", "000.12.07.H56", "000.31.40.H56"]
STATUSES = ["Đã trả kết quả"] * 88 + ["Đã xử lý xong"] * 9 + ["Đang xử lý", "Yêu cầu bổ sung giấy tờ", "Được tiếp nhận"]  # fmt: skip
RETURNS = ["Trực tiếp tại bộ phận một cửa", "Qua dịch vụ bưu chính công ích", "Trực tuyến"]
FMT = "%d/%m/%Y %H:%M"


CHANNELS = ["Trực tuyến"] * 40 + ["Trực tiếp"] * 55 + ["Bưu chính công ích"] * 5


def write_export(path: Path, rows: int, seed: int = 7, *, channel: bool = False) -> None:
    """A synthetic year: real-looking codes, dates and statuses, unique receipt codes.

    `channel` adds the submission channel ("Hình thức nộp"), as some one-stop exports do.
    """
    rnd = random.Random(seed)
    start = datetime(2024, 1, 1, 7, 30)
    per_day: dict[tuple[str, str], int] = {}
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([*HEADER, "Hình thức nộp"] if channel else HEADER)
        for _ in range(rows):
            received = start + timedelta(minutes=rnd.randrange(365 * 24 * 60))
            unit = rnd.choice(UNITS)
            day = received.strftime("%y%m%d")
            seq = per_day[(unit, day)] = per_day.get((unit, day), 0) + 1
            due = received + timedelta(days=rnd.choice((1, 3, 5, 7, 15, 30)))
            status = rnd.choice(STATUSES)
            done = due - timedelta(hours=rnd.randrange(0, 72)) if status in STATUSES[:97] else None
            returned = done + timedelta(days=1) if done and status == "Đã trả kết quả" else None
            writer.writerow([
                f"{unit}-{day}-{seq:04d}", f"1.00{rnd.randrange(1000, 9999)}", "Đăng ký khai sinh",
                "Hộ tịch", "Ủy ban nhân dân cấp xã", rnd.choice(("Cấp xã", "Cấp tỉnh")),
                "Nguyễn Văn An", f"09{rnd.randrange(10**8):08d}", received.strftime(FMT),
                due.strftime(FMT), done.strftime(FMT) if done else "",
                returned.strftime(FMT) if returned else "", status, rnd.choice(RETURNS),
                *([rnd.choice(CHANNELS)] if channel else []),
            ])  # fmt: skip


def import_once(path: Path, url: str) -> None:
    """Child process: one import, then its timing and peak memory."""
    from tthc.core.database import Database
    from tthc.core.settings import Settings
    from tthc.dossiers.importer import import_dossiers
    from tthc.dossiers.records import RowReader

    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    reader = RowReader(
        settings.secret_key.get_secret_value().encode(), settings.dossier_code_pattern
    )
    db = Database(url)
    started = time.perf_counter()
    report = import_dossiers(db, path, reader, source=path.name)
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"  {report.rows:,} rows in {elapsed:.1f} s = {report.rows / elapsed:,.0f} rows/s; "
        f"added {report.added:,}, changed {report.changed:,}, unchanged {report.unchanged:,}; "
        f"peak RSS {peak:.0f} MiB"
    )


def bare_insert(path: Path, database: Path) -> None:
    """Child process: the same rows into a plain table, as fast as Python can."""
    import sqlite3

    started = time.perf_counter()
    connection = sqlite3.connect(database)
    connection.execute(f"CREATE TABLE bare ({', '.join(f'c{i} TEXT' for i in range(len(HEADER)))})")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        marks = ", ".join("?" * len(HEADER))
        connection.executemany(f"INSERT INTO bare VALUES ({marks})", reader)
    connection.commit()
    connection.close()
    print(f"  {time.perf_counter() - started:.2f}")


def _child(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "bench.dossier_import", *args],
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        import_once(Path(sys.argv[2]), sys.argv[3])
        return
    if len(sys.argv) == 4 and sys.argv[1] == "--bare":
        bare_insert(Path(sys.argv[2]), Path(sys.argv[3]))
        return
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 622_039
    from tthc.app.migrations import upgrade

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "dossiers.csv"
        started = time.perf_counter()
        write_export(path, rows)
        size = path.stat().st_size / 2**20
        print(f"wrote {rows:,} rows ({size:.0f} MiB) in {time.perf_counter() - started:.1f} s")
        bare = float(_child("--bare", str(path), str(Path(tmp) / "bare.db")).split()[-1])
        print(f"bare insert of the same rows: {bare:.1f} s = {rows / bare:,.0f} rows/s")
        url = f"sqlite:///{tmp}/bench.db"
        upgrade(url)
        first = 0.0
        for label in ("first import (all new)", "second import (no changes)"):
            out = _child("--child", str(path), url)
            print(label + "\n" + out.rstrip())
            if not first:
                first = float(out.split(" rows in ")[1].split(" s")[0])
        print(f"first import / bare insert: {first / bare:.1f}×  (goal: ≤ 5×, and < 30 s)")


if __name__ == "__main__":
    main()
