"""How the developer tools and the browser tests start Chromium: the system build (never a
browser Playwright downloads), headless, with nothing that reaches another host on its own."""

from __future__ import annotations

import os

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
