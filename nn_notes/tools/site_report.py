"""Weight and speed of the built site: per-page transfer size, search index size, Lighthouse.

    python scripts/site_report.py [--site site] [--lighthouse]

Serves site/ on localhost with gzip (as any real host does), loads every page in headless
Chromium and sums what each page transfers. With --lighthouse it also runs Lighthouse (npm
package, installed on demand into .cache/lighthouse) with the system Chromium on the home
page, a content page and a notebook page, mobile profile. Prints a table and writes
bench/site_report.json.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import shutil
import subprocess
import threading
from pathlib import Path

from nn_notes.content import project_root
from nn_notes.tools.chromium import CHROMIUM, CHROMIUM_ARGS

LIGHTHOUSE_VERSION = "13.5.0"
LIGHTHOUSE_PAGES = ["", "training/overfitting-and-dropout/", "generated/pages/training/overfitting-and-dropout/"]
COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".xml", ".ipynb", ".py")


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzip-encoded when the browser accepts it (GitHub Pages does the same)."""

    def log_message(self, *args):
        pass

    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            path = os.path.join(path, "index.html")
        if not (path.endswith(COMPRESSIBLE) and "gzip" in self.headers.get("Accept-Encoding", "")
                and os.path.isfile(path)):
            return super().send_head()
        body = gzip.compress(Path(path).read_bytes(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        import io
        return io.BytesIO(body)


def serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(GzipHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def page_weights(site: Path, url: str) -> list[dict]:
    from playwright.sync_api import sync_playwright

    paths = sorted(str(p.relative_to(site).parent).replace(".", "") + "/" for p in site.rglob("index.html"))
    rows = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for path in paths:
            context = browser.new_context()
            page = context.new_page()
            sizes: list[int] = []
            page.on("requestfinished", lambda r: sizes.append(r.sizes()["responseBodySize"] + r.sizes()["responseHeadersSize"]))
            page.goto(url + path.lstrip("/"), wait_until="networkidle")
            rows.append({"page": path, "requests": len(sizes), "transfer_kib": round(sum(sizes) / 1024, 1)})
            context.close()
        browser.close()
    return rows


def lighthouse(url: str, root: Path) -> list[dict]:
    tools = root / ".cache" / "lighthouse"
    binary = tools / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        tools.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--prefix", str(tools), "--no-audit", "--no-fund",
                        f"lighthouse@{LIGHTHOUSE_VERSION}"], check=True, capture_output=True)
    results = []
    for path in LIGHTHOUSE_PAGES:
        report = tools / "report.json"
        subprocess.run([str(binary), url + path, "--quiet", "--output=json", f"--output-path={report}",
                        "--only-categories=performance,accessibility", "--form-factor=mobile",
                        f"--chrome-flags=--headless=new {' '.join(CHROMIUM_ARGS)}"],
                       check=True, env={**os.environ, "CHROME_PATH": CHROMIUM})
        data = json.loads(report.read_text())
        results.append({"page": path or "/", **{k: v["score"] for k, v in data["categories"].items()},
                        "total_kib": round(data["audits"]["total-byte-weight"]["numericValue"] / 1024, 1),
                        "lcp_s": round(data["audits"]["largest-contentful-paint"]["numericValue"] / 1000, 2)})
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=None, help="the built site (default: site/)")
    parser.add_argument("--lighthouse", action="store_true", help="also run Lighthouse (needs npm)")
    args = parser.parse_args()
    root = project_root()
    args.site = args.site or root / "site"
    server, url = serve(args.site)
    index = args.site / "search" / "search_index.json"
    report = {"search_index_kib": round(index.stat().st_size / 1024, 1),
              "search_index_gzip_kib": round(len(gzip.compress(index.read_bytes())) / 1024, 1),
              "pages": page_weights(args.site, url)}
    if args.lighthouse and shutil.which("npm"):
        report["lighthouse"] = lighthouse(url, root)
    server.shutdown()
    print(f"search index: {report['search_index_kib']} KiB ({report['search_index_gzip_kib']} KiB gzipped)")
    for row in sorted(report["pages"], key=lambda r: -r["transfer_kib"]):
        print(f"{row['transfer_kib']:8.1f} KiB {row['requests']:4d} requests  {row['page']}")
    for row in report.get("lighthouse", []):
        print(f"lighthouse {row['page']}: performance {row['performance']:.2f}, accessibility "
              f"{row['accessibility']:.2f}, {row['total_kib']} KiB, LCP {row['lcp_s']} s")
    (root / "bench").mkdir(exist_ok=True)
    (root / "bench" / "site_report.json").write_text(json.dumps(report, indent=1) + "\n")


if __name__ == "__main__":
    main()
