"""Instances started at the same moment on an empty PostgreSQL all come up.

Each `tthc` process migrates and seeds the bundled catalogue at start-up; run together,
the first does the work and the others wait for it and find it done.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.conftest import _admin
from tests.pg import PostgresServer
from tthc.core.database import Database


@pytest.mark.postgres
def test_two_instances_started_together_on_an_empty_database_both_come_up(
    pg_server: PostgresServer | None,
) -> None:
    if pg_server is None:
        pytest.skip("PostgreSQL binaries not found (install Debian's postgresql package)")
    _admin(pg_server, 'CREATE DATABASE "startup_race"')
    url = pg_server.url("startup_race")
    env = {**os.environ, "DATABASE_URL": url, "ENVIRONMENT": "development"}
    env.pop("TELEGRAM_BOT_TOKEN", None)
    command = [str(Path(sys.executable).with_name("tthc")), "catalog", "stats"]
    processes = [
        subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(3)
    ]
    results = [p.communicate(timeout=300) for p in processes]
    for process, (out, err) in zip(processes, results, strict=True):
        assert process.returncode == 0, err.decode()
        assert out.decode().startswith("2834 procedures"), out.decode()
    db = Database(url)
    with db.engine.connect() as connection:
        count = connection.execute(text("SELECT count(*) FROM procedure")).scalar()
        imports = connection.execute(
            text("SELECT count(*) FROM audit_log WHERE action = 'import'")
        ).scalar()
    db.dispose()
    assert (count, imports) == (2834, 1)  # seeded once
