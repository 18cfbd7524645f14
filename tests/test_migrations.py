"""Alembic migrations build the whole schema on an empty SQLite and PostgreSQL database, step
back down, and carry existing rows forward."""

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

    config = alembic_config(engine)
    # Up, all the way down and up again: every downgrade runs too.
    command.upgrade(config, "head")
    command.downgrade(config, "base")
    command.upgrade(config, "head")
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


def test_workspace_migration_keeps_earlier_rows_valid(tmp_path):
    from alembic import command

    engine = make_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    config = alembic_config(engine)
    command.upgrade(config, "0001")
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO organisation (id, name, timezone, created_at)"
            " VALUES (1, 'Fiktiv', 'Europe/Copenhagen', '2026-01-05 08:00:00')"))
        connection.execute(text(
            "INSERT INTO user (id, organisation_id, role, login, display_name, full_name, active,"
            " created_at, work_days, work_start, work_end) VALUES (1, 1, 'participant', 'ida',"
            " 'Ida', '', 1, '2026-01-05 08:00:00', '0,1,2,3,4', '08:30:00', '15:30:00')"))
        connection.execute(text(
            "INSERT INTO goalplan (id, participant_id, job_goal, job_wishes, accommodations,"
            " updated_at) VALUES (1, 1, '', '[]', '', '2026-01-05 08:00:00')"))
        connection.execute(text(
            "INSERT INTO attendance (participant_id, day, minutes, recorded_by_id, updated_at)"
            " VALUES (1, '2026-01-05', 240, 1, '2026-01-05 12:00:00')"))
    command.upgrade(config, "head")
    with engine.connect() as connection:
        assert connection.execute(text("SELECT status FROM attendance")).scalar() == "present"
        assert connection.execute(text("SELECT planned_weekdays FROM goalplan")).scalar() == (
            "0,1,2,3,4")
    engine.dispose()
