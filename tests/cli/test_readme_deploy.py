"""The README's production example, run as written (as far as a machine without systemd allows).

The env files are read the way systemd's EnvironmentFile= reads them (everything after
`=` is the value: an inline comment would become part of it), the unit's ExecStart runs
`tthc run` with them, its ExecStartPost health loop must pass, an update reaches the
bot through the webhook path with the secret, /metrics and /healthz answer, KillSignal
stops it within TimeoutStopSec, and `tthc health` then exits 1.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import secrets
import signal
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from aiohttp import ClientSession

from tests.cli.test_webhook_cli import _free_port, _tthc
from tests.harness import TOKEN, FakeServer
from tthc import __version__
from tthc.cli.serve import _reachable

README = Path(__file__).resolve().parents[2] / "README.md"
BIN = str(Path(sys.executable).parent)
INSTALLED_BIN = "/opt/tthc-bot/current/.venv/bin"


def _blocks() -> dict[str, str]:
    """README code blocks whose first line names the file they are: `# /etc/...`."""
    found = {}
    for body in re.findall(r"^```[^\n]*\n(.*?)^```", README.read_text(), re.S | re.M):
        first = body.splitlines()[0] if body.strip() else ""
        if first.startswith("# /etc/"):
            found[first[2:].strip()] = body
    return found


def systemd_env(text: str) -> dict[str, str]:
    """KEY=VALUE as systemd's EnvironmentFile= reads it (no inline comments)."""
    values = {}
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line[0] in "#;":
            continue
        key, sep, value = line.partition("=")
        assert sep and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key.strip()), raw
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[key.strip()] = value
    return values


def unit_settings(text: str) -> dict[str, list[str]]:
    """Each key of the unit file, with all its values (a key may repeat)."""
    settings: dict[str, list[str]] = {}
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line[0] in "#;[":
            continue
        key, _, value = line.partition("=")
        settings.setdefault(key.strip(), []).append(value.strip())
    return settings


def test_the_documented_files_parse_and_the_unit_is_hardened() -> None:
    blocks = _blocks()
    common = systemd_env(blocks["/etc/tthc/common.env"])
    for key, value in common.items():
        assert "#" not in value, f"{key}: an inline comment would become part of the value"
    unit = unit_settings(blocks["/etc/systemd/system/tthc@.service"])
    assert unit["Wants"] == ["network-online.target"]
    assert "network-online.target" in unit["After"][0]
    assert unit["NoNewPrivileges"] == ["yes"] and unit["ProtectSystem"] == ["strict"]
    assert int(unit["LimitNOFILE"][0]) > 512  # above WEB_MAX_CONNECTIONS's default
    assert unit["WorkingDirectory"][0] in unit["ReadWritePaths"][0].split()
    assert unit["EnvironmentFile"] == ["/etc/tthc/common.env", "/etc/tthc/instance-%i.env"]


async def test_tthc_run_starts_from_the_documented_files(
    server: FakeServer, seeded_sqlite_url: str, tmp_path: Path
) -> None:
    blocks = _blocks()
    unit = unit_settings(blocks["/etc/systemd/system/tthc@.service"])
    env = {
        **systemd_env(blocks["/etc/tthc/common.env"]),
        **systemd_env(blocks["/etc/tthc/instance-1.env"]),
    }
    for key in ("TELEGRAM_BOT_TOKEN", "SECRET_KEY", "WEBHOOK_SECRET"):
        assert env[key] == "…", f"{key} is documented as a placeholder to replace"
    port = _free_port()
    env |= {
        # What an operator fills in, and what this machine has instead of the real ones.
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "SECRET_KEY": secrets.token_urlsafe(32),
        "WEBHOOK_SECRET": secrets.token_urlsafe(24),
        "DATABASE_URL": seeded_sqlite_url,
        "TELEGRAM_BASE_URL": server.base_url,
        "PORT": str(port),
        "LISTEN": "127.0.0.1",  # not a wildcard: `tthc health` must ask this address
        "PATH": os.environ["PATH"],
    }
    for line in unit.get("Environment", []):
        key, _, value = line.partition("=")
        env[key] = str(tmp_path) if value == unit["WorkingDirectory"][0] else value
    command = unit["ExecStart"][0].replace(INSTALLED_BIN, BIN).split()
    process = await asyncio.create_subprocess_exec(
        *command, env=env, cwd=tmp_path,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        health_step = unit["ExecStartPost"][0].replace(INSTALLED_BIN, BIN)
        shell = await asyncio.create_subprocess_exec(
            *health_step.split(" ", 2)[:2], health_step.split(" ", 2)[2].strip("'"), env=env
        )
        assert await asyncio.wait_for(shell.wait(), 90) == 0, "the unit's health step failed"
        path = urlsplit(env["WEBHOOK_URL"]).path
        assert server.api.webhook is not None
        assert server.api.webhook["secret_token"] == env["WEBHOOK_SECRET"]
        async with ClientSession() as http:
            update = {
                "update_id": 1,
                "message": {
                    "message_id": 1, "date": int(time.time()),
                    "chat": {"id": 88, "type": "private"},
                    "from": {"id": 88, "is_bot": False, "first_name": "An"},
                    "text": "lam lai can cuoc",
                },
            }  # fmt: skip
            secret = {"X-Telegram-Bot-Api-Secret-Token": env["WEBHOOK_SECRET"]}
            base = f"http://127.0.0.1:{port}"
            async with http.post(f"{base}{path}", json=update, headers=secret) as response:
                assert response.status == 200
            async with http.get(f"{base}/healthz") as response:
                assert (await response.json())["version"] == __version__
            async with http.get(f"{base}/metrics") as response:
                exposition = await response.text()
        assert [m.plain.splitlines()[0] for m in server.api.sent if m.chat_id == 88] == [
            "📋 Cấp lại thẻ căn cước"
        ]
        assert (
            'tthc_updates_total{channel="telegram",kind="message",outcome="ok",'
            'route="catalog.search.question"} 1.0'
        ) in exposition
        code, out = await _tthc(env, "health")
        assert code == 0 and json.loads(out)["ok"] is True
    finally:
        process.send_signal(getattr(signal, unit["KillSignal"][0]))
        stop_within = float(unit["TimeoutStopSec"][0])
        await asyncio.wait_for(process.wait(), stop_within)
    assert process.returncode == 0
    assert process.stderr is not None
    first = json.loads((await process.stderr.readline()).decode())
    assert first["msg"] == "tthc-bot starting" and first["version"] == __version__
    assert first["ts"].endswith("+00:00")
    code, out = await _tthc(env, "health")
    assert code == 1 and "unhealthy" in out


@pytest.mark.parametrize("listen", ["0.0.0.0", "::"])
def test_health_asks_loopback_for_a_wildcard_listen(listen: str) -> None:
    assert _reachable(listen) in ("127.0.0.1", "[::1]")
    assert _reachable("10.0.0.11") == "10.0.0.11"
