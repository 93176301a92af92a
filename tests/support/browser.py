"""Headless Chromium for the browser tests: Debian's package, driven by Python playwright.

No browser is downloaded: playwright launches ``/usr/bin/chromium`` (``executable_path``)
with the flags a root user in a container needs. Import :func:`require_chromium` at the
top of a test module to skip it where Chromium is missing (CI must have it).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def require_chromium() -> Any:
    """Skip the calling module without Chromium (fail on CI); return playwright's sync API."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            raise RuntimeError("CI needs Debian's chromium for the browser tests (.ci/run)")
        pytest.skip("Debian's chromium is not installed", allow_module_level=True)
    return pytest.importorskip("playwright.sync_api")


@contextmanager
def chromium_context(profile: Path, **options: Any) -> Iterator[Any]:
    """Launch Chromium with a fresh profile in ``profile``; yield its browser context."""
    api = require_chromium()
    with api.sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(profile),
            executable_path=CHROMIUM,
            headless=True,
            args=FLAGS,
            **{"viewport": {"width": 1280, "height": 800}, **options},
        )
        try:
            yield context
        finally:
            context.close()
