"""`flask --app app …` commands: database, staff accounts, demo data, translations."""

from __future__ import annotations

import getpass
import subprocess
import sys

import click
from flask import Flask
from sqlmodel import Session, select

from app.config import ROOT
from app.db import get_engine
from app.models import Organisation, Role


def register(app: Flask) -> None:
    app.cli.add_command(db_upgrade)
    app.cli.add_command(create_admin)
    app.cli.add_command(create_consultant)
    app.cli.add_command(demo_data)
    app.cli.add_command(translate)
    app.cli.add_command(send_reminders)


def upgrade_database() -> None:
    """Bring the database to the newest migration (creates it on first run)."""
    from alembic import command

    from app.migrations.config import alembic_config

    command.upgrade(alembic_config(get_engine()), "head")


@click.command("send-reminders")
def send_reminders() -> None:
    """Record due reminders and send queued push notifications (cron: every 15 minutes)."""
    from app.push.service import run

    recorded, sent = run()
    click.echo(f"Reminders recorded: {recorded}; notifications sent: {sent}.")


@click.command("db-upgrade")
def db_upgrade() -> None:
    """Create or upgrade the database schema (Alembic)."""
    upgrade_database()
    click.echo("Database is up to date.")


def _organisation(session: Session, name: str) -> Organisation:
    org = session.exec(select(Organisation).where(Organisation.name == name)).first()
    if org is None:
        org = Organisation(name=name)
        session.add(org)
        session.flush()
    return org


def _create_staff(role: Role, email: str, name: str, organisation: str) -> None:
    from app.auth.service import PASSWORD_MIN, hash_password
    from app.caseload.service import create_staff

    password = getpass.getpass("Password: ") if sys.stdin.isatty() else sys.stdin.readline()
    password = password.rstrip("\n")
    if len(password) < PASSWORD_MIN:
        raise click.ClickException(f"The password must be at least {PASSWORD_MIN} characters.")
    with Session(get_engine()) as session:
        org = _organisation(session, organisation)
        staff = create_staff(session, organisation=org, role=role, email=email, name=name,
                             password_hash=hash_password(password))
        click.echo(f"Created {role.value} {staff.login} in {org.name}.")


@click.command("create-admin")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--organisation", required=True, help="Name; created if it does not exist.")
def create_admin(email: str, name: str, organisation: str) -> None:
    """Create an admin; the password is read from the terminal or standard input."""
    _create_staff(Role.admin, email, name, organisation)


@click.command("create-consultant")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--organisation", required=True, help="Name; created if it does not exist.")
def create_consultant(email: str, name: str, organisation: str) -> None:
    """Create a consultant; the password is read from the terminal or standard input."""
    _create_staff(Role.consultant, email, name, organisation)


@click.command("demo-data")
def demo_data() -> None:
    """Load a fictional organisation with 2 consultants and 8 participants; print the logins."""
    from app.demo import load_demo

    with Session(get_engine()) as session:
        logins = load_demo(session)
    click.echo("Demo logins (fictional people):")
    for role, login, password in logins:
        click.echo(f"  {role:<12} {login:<32} {password}")


@click.group()
def translate() -> None:
    """Translation workflow: extract, update, compile, init LANG."""


def _pybabel(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", *args], check=True, cwd=ROOT)


@translate.command()
def extract() -> None:
    """Collect marked strings into translations/messages.pot."""
    _pybabel("extract", "-F", "babel.cfg", "-k", "_l", "-c", "i18n:", "--add-location=file",
             "--sort-by-file", "--no-wrap", "-o", "translations/messages.pot", ".")


@translate.command()
def update() -> None:
    """Merge the .pot into every catalog."""
    extract.callback()
    _pybabel("update", "-i", "translations/messages.pot", "-d", "translations", "--no-wrap",
             "--no-fuzzy-matching", "--ignore-obsolete")


@translate.command()
def compile() -> None:  # noqa: A001 (the command's name)
    """Compile the catalogs to .mo files."""
    _pybabel("compile", "-d", "translations", "--statistics")


@translate.command()
@click.argument("lang")
def init(lang: str) -> None:
    """Start a catalog for a new language."""
    _pybabel("init", "-i", "translations/messages.pot", "-d", "translations", "-l", lang)
