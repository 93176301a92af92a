"""Headless Chromium for the browser tests: Debian's package, driven by Python playwright.

No browser is downloaded: playwright launches ``/usr/bin/chromium`` (``executable_path``)
with the flags a root user in a container needs. :func:`chromium_context` calls
:func:`require_chromium`, which **fails** the test where Chromium or playwright is
missing: ``make test`` installs both (``make system``), and a browser check that was
skipped has not passed. Mark browser tests ``@pytest.mark.browser`` so that
``-m "not browser"`` leaves them out where no browser is wanted.
"""

from __future__ import annotations

import importlib
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
    """Return playwright's sync API; fail the calling test if it or Chromium is missing."""
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Debian's chromium is not installed ({CHROMIUM}): 'make system' installs it",
            pytrace=False,
        )
    try:
        return importlib.import_module("playwright.sync_api")
    except ImportError:
        pytest.fail("playwright is not installed: 'make install' installs it", pytrace=False)


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
