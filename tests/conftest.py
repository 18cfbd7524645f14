"""Fixtures: an app per test on a migrated database (SQLite by default, PostgreSQL when
TEST_DATABASE_URL says so), signed-in clients, and factories for the domain."""

from __future__ import annotations

import os
import re
import shutil
import uuid
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, SQLModel, select

from app import create_app
from app.auth.service import hash_password
from app.caseload.service import create_participant, create_staff
from app.cli import upgrade_database
from app.models import Organisation, Role, User

PASSWORD = "et-godt-kodeord"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
    app = _make_app(url)
    with app.app_context():
        upgrade_database()
        app.extensions["engine"].dispose()
    return url


def _make_app(url: str) -> Flask:
    return create_app({
        "TESTING": True,
        "DATABASE_URL": url,
        "SECRET_KEY": "test-only-secret",
        "SESSION_COOKIE_SECURE": False,
        "SESSION_COOKIE_NAME": "traedesten",
        "WTF_CSRF_SSL_STRICT": False,
        "ARGON2_MEMORY_KIB": 1024,
    })


@pytest.fixture
def app(database_url: str) -> Iterator[Flask]:
    app = _make_app(database_url)
    yield app
    engine = app.extensions["engine"]
    with engine.begin() as connection:
        for table in reversed(SQLModel.metadata.sorted_tables):
            connection.execute(table.delete())
    engine.dispose()


@pytest.fixture
def db(app: Flask) -> Iterator[Session]:
    """A session for arranging and checking data, outside any request.

    No app context stays pushed: requests made by the test client must each get their own, or
    they would share one request session (and its stale identity map) through `g`. Its reads
    begin deferred, so a test that only looks does not hold SQLite's write lock.
    """
    engine = app.extensions["engine"].execution_options(immediate=False)
    with Session(engine, expire_on_commit=False) as session:
        yield session


@pytest.fixture
def csrf_off(app: Flask) -> Flask:
    """Most route tests post without a token; tests/test_security.py proves CSRF holds."""
    app.config["WTF_CSRF_ENABLED"] = False
    return app


@pytest.fixture
def org(db: Session) -> Organisation:
    org = Organisation(name="Fiktiv Værksted ApS")
    db.add(org)
    db.commit()
    return org


@pytest.fixture
def make_staff(app: Flask, db: Session, org: Organisation):
    def make(role: Role = Role.consultant, email: str = "konsulent@example.org",
             name: str = "Mette Fiktiv") -> User:
        with app.app_context():
            return create_staff(db, organisation=org, role=role, email=email, name=name,
                                password_hash=hash_password(PASSWORD))
    return make


@pytest.fixture
def consultant(make_staff) -> User:
    return make_staff()


@pytest.fixture
def other_consultant(make_staff) -> User:
    return make_staff(email="anden@example.org", name="Jonas Opdigtet")


@pytest.fixture
def make_participant(app: Flask, db: Session, consultant: User):
    """A participant who has activated their phone and chosen PASSWORD."""

    def make(name: str = "Sara", owner: User | None = None) -> User:
        with app.test_request_context():
            participant, _code = create_participant(db, consultant=owner or consultant,
                                                    display_name=name)
            participant.password_hash = hash_password(PASSWORD)
            db.commit()
        return participant
    return make


@pytest.fixture
def participant(make_participant) -> User:
    return make_participant()


@pytest.fixture
def other_participant(make_participant, other_consultant: User) -> User:
    return make_participant("Ahmad", owner=other_consultant)


def sign_in(client: FlaskClient, user: User, password: str = PASSWORD) -> FlaskClient:
    response = client.post("/auth/login", data={"login": user.login, "password": password,
                                                "csrf_token": csrf_token(client)})
    assert response.status_code == 303, response.get_data(as_text=True)
    return client


def csrf_token(client: FlaskClient, path: str = "/auth/login") -> str:
    page = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match, "no CSRF token on the page"
    return match.group(1)


@pytest.fixture
def participant_client(app: Flask, csrf_off: Flask, participant: User) -> FlaskClient:
    return sign_in(app.test_client(), participant)


@pytest.fixture
def consultant_client(app: Flask, csrf_off: Flask, consultant: User) -> FlaskClient:
    return sign_in(app.test_client(), consultant)


@pytest.fixture
def other_participant_client(app: Flask, csrf_off: Flask, other_participant: User) -> FlaskClient:
    return sign_in(app.test_client(), other_participant)


def htmx_headers(**extra: str) -> dict[str, str]:
    return {"HX-Request": "true", **extra}


class EnglishClient(FlaskClient):
    """Asks for English, so route tests assert on the msgids whatever the catalogs say."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def english(app: Flask) -> None:
    app.test_client_class = EnglishClient


@pytest.fixture
def me(english, participant_client: FlaskClient) -> FlaskClient:
    """The signed-in participant's phone, in English."""
    return participant_client


@pytest.fixture
def staff(english, consultant_client: FlaskClient) -> FlaskClient:
    """The signed-in consultant's browser, in English."""
    return consultant_client


def cid() -> str:
    """A client-made id, as a phone puts in every write."""
    return str(uuid.uuid4())


def rows(db: Session, query) -> list:
    """Fresh rows of a model or a select; ending the transaction lets the next look see what
    requests wrote since."""
    db.expire_all()
    statement = select(query) if isinstance(query, type) and issubclass(query, SQLModel) else query
    found = list(db.exec(statement))
    db.commit()
    return found


def text(response) -> str:
    return response.get_data(as_text=True)


def submit_sign_in(page, login: str, password: str = PASSWORD, *, at: str | None = None) -> None:
    """Sign in through the real form in a browser `page` (opened first at the URL `at`, or
    already open), and wait until the app has moved on from the sign-in pages."""
    if at:
        page.goto(at)
    page.fill("#login", login)
    page.fill("#password", password)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(lambda url: "/auth/" not in url)


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    """The app served on a free loopback port in a thread, for a real browser."""
    import threading

    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium through Playwright (no downloaded browser)."""
    sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright
    executable = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    if not executable:
        pytest.fail("Chromium is not installed: run scripts/test, which installs it.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable,
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        yield browser
        browser.close()


@pytest.fixture
def phone(browser):
    """A 360 × 740 phone-sized page in Danish; collects console errors and CSP violations."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="da-DK",
                                  device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.console_errors = []
    # Chromium reports every 4xx as a console error; 422 is how a form says "fix this field".
    page.on("console", lambda m: m.type == "error" and "status of 422" not in m.text
            and page.console_errors.append(m.text))
    page.on("pageerror", lambda e: page.console_errors.append(str(e)))
    yield page
    context.close()
