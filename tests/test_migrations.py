"""Alembic migrations build the whole schema on an empty SQLite and PostgreSQL database."""

from __future__ import annotations

import uuid

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url
from sqlmodel import SQLModel

from app.db import make_engine
from app.migrations.config import alembic_config


def _upgrade_and_compare(engine) -> None:
    from alembic import command

    command.upgrade(alembic_config(engine), "head")
    with engine.connect() as connection:
        tables = set(inspect(connection).get_table_names())
        assert {table.name for table in SQLModel.metadata.sorted_tables} <= tables
        diff = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
        assert diff == [], f"models and migrations differ: {diff}"
        if connection.dialect.name == "sqlite":
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_migrations_on_an_empty_database(database_url, tmp_path):
    if database_url.startswith("sqlite"):
        engine = make_engine(f"sqlite:///{tmp_path / 'empty.sqlite3'}")
        _upgrade_and_compare(engine)
        engine.dispose()
        return
    # PostgreSQL: a brand-new database next to the test database, dropped afterwards.
    name = f"traedesten_migrate_{uuid.uuid4().hex[:8]}"
    admin = make_engine(database_url).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(make_engine(database_url).url).set(database=name)
    engine = make_engine(url.render_as_string(hide_password=False))
    try:
        _upgrade_and_compare(engine)
    finally:
        engine.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE "{name}"'))
        admin.dispose()


def test_test_database_is_migrated_to_head(app):
    from alembic.script import ScriptDirectory

    engine = app.extensions["engine"]
    head = ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
    with engine.connect() as connection:
        revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    assert revision == head
