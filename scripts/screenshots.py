"""Screenshots of the main pages at phone (360 × 740) and desktop size, per language.

Usage: .venv/bin/python scripts/screenshots.py [OUTDIR] — runs the app on a temporary SQLite
database with the demo data and writes PNGs (default: screenshots/).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright
from sqlmodel import Session
from werkzeug.serving import make_server

from app import create_app
from app.cli import upgrade_database
from app.demo import load_demo
from app.i18n import LANGUAGES

SIZES = {"phone": (360, 740), "desktop": (1280, 860)}
PARTICIPANT_PAGES = ["/plan/", "/attendance/", "/walks/", "/messages/", "/me/"]
STAFF_PAGES = ["/caseload/", "/caseload/new", "/messages/inbox", "/messages/phrases", "/settings/"]


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots")
    out.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp())
    app = create_app({"DATABASE_URL": f"sqlite:///{workdir / 'shots.sqlite3'}",
                      "SESSION_COOKIE_SECURE": False, "SESSION_COOKIE_NAME": "traedesten",
                      "WTF_CSRF_SSL_STRICT": False, "SECRET_KEY": "screenshots-only"})
    with app.app_context():
        upgrade_database()
        with Session(app.extensions["engine"]) as session:
            logins = load_demo(session)
    participant = next(login for login in logins if login[0] == "participant")
    consultant = next(login for login in logins if login[0] == "consultant")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    languages = list(LANGUAGES)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=shutil.which("chromium"),
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu"])
        for size, (width, height) in SIZES.items():
            for lang in languages:
                for role, login, password in (participant, consultant):
                    pages = PARTICIPANT_PAGES if role == "participant" else STAFF_PAGES
                    context = browser.new_context(viewport={"width": width, "height": height},
                                                  locale=lang)
                    page = context.new_page()
                    page.goto(f"{base}/auth/login")
                    page.fill("#login", login)
                    page.fill("#password", password)
                    page.click("button[type=submit].primary")
                    page.wait_for_load_state("networkidle")
                    for path in pages:
                        page.goto(base + path)
                        name = f"{size}-{lang}-{role}-{path.strip('/').replace('/', '-') or 'home'}"
                        page.screenshot(path=str(out / f"{name}.png"), full_page=True)
                    context.close()
        browser.close()
    server.shutdown()
    print(f"Screenshots in {out}/")


if __name__ == "__main__":
    main()
