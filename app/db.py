"""Database engine per app, one SQLModel session per request.

SQLite (the embedded default) runs in WAL mode with a busy timeout. Several gunicorn workers
writing to one SQLite file fail with "database is locked" when a transaction starts as a reader
and later writes, so transactions of write requests begin IMMEDIATE (they take the write lock
up front and queue on the busy timeout instead).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy import Engine, event
from sqlalchemy.pool import NullPool
from sqlmodel import Session, create_engine

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_force_immediate: ContextVar[bool] = ContextVar("force_immediate", default=False)


def _wants_immediate() -> bool:
    if _force_immediate.get():
        return True
    # Outside requests (CLI, scripts) every transaction may write.
    return not has_request_context() or request.method not in SAFE_METHODS


def make_engine(url: str, echo: bool = False) -> Engine:
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if not url.startswith("sqlite"):
        return create_engine(url, echo=echo, pool_pre_ping=True)

    # A connection per checkout keeps file locks short-lived between workers and threads.
    engine = create_engine(
        url, echo=echo, poolclass=NullPool, connect_args={"check_same_thread": False}
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        # Let SQLAlchemy, not the driver, decide when a transaction begins.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:
        # The execution option `immediate` overrides the rule (e.g. a read-only report).
        immediate = connection.get_execution_options().get("immediate", _wants_immediate())
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def init_app(app: Flask) -> None:
    app.extensions["engine"] = make_engine(app.config["DATABASE_URL"], app.config["SQL_ECHO"])
    app.teardown_appcontext(_close_session)


def get_engine() -> Engine:
    return current_app.extensions["engine"]


def get_session() -> Session:
    """The request's session; views and services share it, services commit."""
    if "db_session" not in g:
        g.db_session = Session(get_engine(), expire_on_commit=False)
    return g.db_session


def _close_session(_exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()


@contextmanager
def write_transaction() -> Iterator[Session]:
    """A short separate transaction that writes, also from a GET request (e.g. last-seen)."""
    token = _force_immediate.set(True)
    try:
        with Session(get_engine(), expire_on_commit=False) as session:
            yield session
            session.commit()
    finally:
        _force_immediate.reset(token)
