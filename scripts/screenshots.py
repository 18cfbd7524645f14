"""Screenshots of the main pages at phone (360 × 740) and desktop size, per language.

Usage: .venv/bin/python scripts/screenshots.py [OUTDIR] [LANG,LANG…] — runs the app on a
temporary SQLite database with the demo data and writes PNGs (default: screenshots/, every
language).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright
from sqlmodel import Session, select
from werkzeug.serving import make_server

from app import create_app
from app.cli import upgrade_database
from app.demo import load_demo
from app.i18n import LANGUAGES
from app.models import Enrolment, User

SIZES = {"phone": (360, 740), "desktop": (1280, 860)}
PARTICIPANT_PAGES = ["/plan/", "/attendance/", "/walks/", "/messages/", "/me/", "/aftercare/week"]
# {pid}: a participant of the consultant's caseload.
STAFF_PAGES = ["/caseload/", "/caseload/new", "/messages/inbox", "/messages/phrases", "/settings/",
               "/groups/", "/caseload/{pid}", "/plan/for/{pid}", "/attendance/for/{pid}",
               "/walks/for/{pid}", "/records/for/{pid}", "/records/for/{pid}/print",
               "/programme/for/{pid}", "/observations/for/{pid}/new", "/caseload/{pid}/days",
               "/aftercare/for/{pid}"]
ADMIN_PAGES = ["/admin/consultants", "/admin/participants", "/admin/access-log",
               "/admin/aftercare"]


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
            consultant_id = session.exec(
                select(User.id).where(User.login == next(
                    login for role, login, _p in logins if role == "consultant"))).one()
            pid = session.exec(select(Enrolment.participant_id).where(
                Enrolment.consultant_id == consultant_id)).first()
    participant = next(login for login in logins if login[0] == "participant")
    consultant = next(login for login in logins if login[0] == "consultant")
    admin = next(login for login in logins if login[0] == "admin")
    pages_of = {"participant": PARTICIPANT_PAGES, "consultant": STAFF_PAGES, "admin": ADMIN_PAGES}
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    languages = sys.argv[2].split(",") if len(sys.argv) > 2 else list(LANGUAGES)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=shutil.which("chromium"),
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu"])
        for size, (width, height) in SIZES.items():
            for lang in languages:
                for role, login, password in (participant, consultant, admin):
                    pages = [path.format(pid=pid) for path in pages_of[role]]
                    _use_language(app, login, lang)
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
                        slug = path.strip("/").replace("/", "-").replace(str(pid), "p") or "home"
                        name = f"{size}-{lang}-{role}-{slug}"
                        page.screenshot(path=str(out / f"{name}.png"), full_page=True)
                    context.close()
        browser.close()
    server.shutdown()
    print(f"Screenshots in {out}/")


def _use_language(app, login: str, lang: str) -> None:
    """Signed-in people see their stored language, as in real use; store the one to shoot."""
    with Session(app.extensions["engine"]) as session:
        user = session.exec(select(User).where(User.login == login)).one()
        user.locale = lang
        session.add(user)
        session.commit()


if __name__ == "__main__":
    main()
