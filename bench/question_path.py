"""Which of our modules a citizen's question passes through, from update to reply.

A map of the code, not a speed figure: the console chat (the real Application) answers one
question while a profile hook records every project function entered, in every thread.

    .venv/bin/python -m bench.question_path ["lam lai can cuoc"]
"""

from __future__ import annotations

import asyncio
import io
import sys
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import FrameType
from typing import Any

from tthc.app.console import ConsoleChat
from tthc.app.migrations import upgrade
from tthc.app.services import build_services
from tthc.core.settings import Settings

SOURCE = Path(__file__).resolve().parents[1]


def _module(filename: str) -> str | None:
    path = Path(filename)
    if (
        path.suffix != ".py"
        or not path.is_absolute()
        or SOURCE not in path.parents
        or ".venv" in path.parts
    ):
        return None
    parts = path.relative_to(SOURCE).with_suffix("").parts
    if parts[0] in ("src",):
        parts = parts[1:]
    if parts[0] in ("bench", "tests"):
        return None
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


async def trace(question: str) -> set[str]:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        upgrade(url)
        services = build_services(Settings(database_url=url, environment="development"))
        services.catalog.ensure_seeded()
        chat = ConsoleChat(services)
        chat.request.out = io.StringIO()
        app = chat.application
        await app.initialize()
        await app.process_update(chat._update("/start"))
        await app.process_update(chat._update("giay khai sinh"))  # warm caches and index
        seen: set[str] = set()

        def hook(frame: FrameType, event: str, _arg: Any) -> None:
            if event == "call":
                name = _module(frame.f_code.co_filename)
                if name:
                    seen.add(name)

        sys.setprofile(hook)
        threading.setprofile(hook)
        # Worker threads started from now on carry the hook (blocking work runs in them).
        asyncio.get_running_loop().set_default_executor(ThreadPoolExecutor(2))
        try:
            await app.process_update(chat._update(question))
        finally:
            sys.setprofile(None)
            threading.setprofile(None)  # type: ignore[arg-type]
        await app.shutdown()
        services.close()
        return seen


def main() -> None:
    question = sys.argv[1] if len(sys.argv) > 1 else "lam lai can cuoc"
    modules = asyncio.run(trace(question))
    packages = {m.split(".")[1] if m.startswith("tthc.") else m.split(".")[0] for m in modules}
    print(f"question: {question!r}")
    print(f"modules: {len(modules)} in {len(packages)} packages ({', '.join(sorted(packages))})")
    for name in sorted(modules):
        print(f"  {name}")


if __name__ == "__main__":
    main()
