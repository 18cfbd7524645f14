"""Page benchmark: queries per page, first-load weight and latency, on the demo data.

Usage: .venv/bin/python bench/pages.py [--requests N] [--database-url URL]
Prints, per page: SQL statements, compressed HTML size, p50/p99 time in-process. And the
participant home's first load (HTML + CSS + JS, gzip) against the 40 KB budget.
"""

from __future__ import annotations

import argparse
import gzip
import re
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import event
from sqlmodel import Session

from app import create_app
from app.cli import upgrade_database
from app.demo import load_demo

PARTICIPANT_PAGES = ["/plan/", "/attendance/", "/walks/", "/messages/", "/me/"]
STAFF_PAGES = ["/caseload/", "/messages/inbox"]
HOME_BUDGET = 40 * 1024


def _sign_in(client, login: str, password: str) -> None:
    page = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post("/auth/login", data={"login": login, "password": password,
                                                "csrf_token": token})
    assert response.status_code == 303, "sign-in failed"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.sqlite3'}"
    app = create_app({"DATABASE_URL": url, "SESSION_COOKIE_SECURE": False,
                      "SESSION_COOKIE_NAME": "traedesten", "WTF_CSRF_SSL_STRICT": False})
    with app.app_context():
        upgrade_database()
        with Session(app.extensions["engine"]) as session:
            logins = load_demo(session)
    statements: list[str] = []
    event.listen(app.extensions["engine"], "before_cursor_execute",
                 lambda *a: statements.append(a[2]))

    print(f"{'page':<16}{'queries':>8}{'html gz':>10}{'p50 ms':>9}{'p99 ms':>9}")
    for role, pages in (("participant", PARTICIPANT_PAGES), ("consultant", STAFF_PAGES)):
        _role, login, password = next(entry for entry in logins if entry[0] == role)
        client = app.test_client()
        _sign_in(client, login, password)
        for path in pages:
            statements.clear()
            body = client.get(path).data
            queries = len([s for s in statements if not s.startswith(("BEGIN", "PRAGMA"))])
            times = []
            for _ in range(args.requests):
                start = time.perf_counter()
                client.get(path)
                times.append((time.perf_counter() - start) * 1000)
            p99 = statistics.quantiles(times, n=100)[98]
            print(f"{path:<16}{queries:>8}{len(gzip.compress(body)):>10}"
                  f"{statistics.median(times):>9.1f}{p99:>9.1f}")

    client = app.test_client()
    _role, login, password = next(entry for entry in logins if entry[0] == "participant")
    _sign_in(client, login, password)
    html = client.get("/plan/").data
    total = len(gzip.compress(html))
    # Static URLs carry a fingerprint (?v=…).
    for asset in re.findall(rb'(?:href|src)="(/static/[^"?]+\.(?:css|js)(?:\?v=\w+)?)"', html):
        with client.get(asset.decode()) as response:
            total += len(gzip.compress(response.data))
    verdict = "within" if total <= HOME_BUDGET else "OVER"
    print(f"participant home first load: {total / 1024:.1f} KB gzip ({verdict} the 40 KB budget)")


if __name__ == "__main__":
    main()
