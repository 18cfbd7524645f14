"""Alembic configured in code, so `flask --app app db-upgrade` needs no alembic.ini."""

from pathlib import Path

from alembic.config import Config
from sqlalchemy import Engine


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent))
    config.attributes["engine"] = engine
    return config
