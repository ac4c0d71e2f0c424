"""The one storage seam: engine, sessions and schema migrations for SQLite or PostgreSQL."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from importlib import resources
from pathlib import Path

import orjson
from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from exodus.errors import DatabaseUnavailable
from exodus.settings import Settings, load_settings

log = logging.getLogger(__name__)


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # 64 MiB of page cache per connection (SQLite's default is 2 MiB): batch inserts
    # update the party-name, HS-code and audit indexes at random places, and with the
    # default cache each of those updates reads its page back from the file.
    cursor.execute("PRAGMA cache_size=-65536")
    cursor.close()


# Dates and dataclasses go to the json module, which refuses them as it always did.
_ORJSON_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


def json_text(value: object) -> str:
    """Write a JSON column value: orjson where it gives the same JSON as the json module.

    orjson is an order of magnitude faster. It writes NaN and infinities as null and
    refuses integers beyond 64 bits, so a value whose text holds a null, or that
    orjson refuses, is written by the json module as before (stored values then read
    back exactly as they always did).
    """
    try:
        text = orjson.dumps(value, option=_ORJSON_OPTIONS)
    except TypeError:
        return json.dumps(value)
    if b"null" in text:
        return json.dumps(value)
    return text.decode("utf-8")


def make_engine(url: str) -> Engine:
    """Create an engine for `url`; SQLite files get their folder and sane pragmas."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30},
                               json_serializer=json_text)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, json_serializer=json_text)


def alembic_config(engine: Engine) -> Config:
    """Return the Alembic configuration bound to `engine`."""
    config = Config()
    config.set_main_option("script_location", str(resources.files("exodus.storage") / "migrations"))
    config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    return config


def migrate(engine: Engine) -> None:
    """Bring the schema of `engine` to the newest migration."""
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def _first_line(exc: Exception) -> str:
    """Return the driver's own message of a database error, first line only."""
    cause = getattr(exc, "orig", None) or exc
    return (str(cause).strip().splitlines() or [type(cause).__name__])[0]


class Database:
    """An engine with its session factory; migrate once, then hand out sessions."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._migrated = False

    def ensure_schema(self) -> None:
        if not self._migrated:
            try:
                migrate(self.engine)
            except (OperationalError, InterfaceError) as exc:
                raise DatabaseUnavailable(
                    f"cannot reach the database at {self.engine.url.render_as_string(hide_password=True)} "
                    f"(EXODUS_DATABASE_URL): {_first_line(exc)}") from exc
            self._migrated = True

    @contextmanager
    def session(self) -> Iterator[Session]:
        """Yield a unit-of-work session: commit on success, roll back on error."""
        self.ensure_schema()
        session = self.sessions()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def dispose(self) -> None:
        self.engine.dispose()


@cache
def _database_for(url: str) -> Database:
    return Database(url)


def get_database(settings: Settings | None = None) -> Database:
    """Return the process-wide database for the configured URL."""
    settings = settings or load_settings()
    return _database_for(settings.database_url)
