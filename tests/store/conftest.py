"""Database dei test: SQLite in una cartella temporanea e PostgreSQL (se c'è ``TEST_DATABASE_URL``).

Su PostgreSQL ogni test ha uno schema suo (``search_path`` nell'URL), eliminato alla fine.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from cer_docs.services.archivio import Archivio
from cer_docs.store import dispose_engines, open_engine



def _pg_url_con_schema(base: str, schema: str) -> str:
    url = make_url(base)
    return url.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path) -> Iterator[str]:
    """URL di un database vuoto e tutto per il test."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'archivio.db'}"
        dispose_engines()
        return
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        pytest.skip("TEST_DATABASE_URL non impostata: test PostgreSQL saltato")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(base)
    try:
        with admin.begin() as c:
            c.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
        yield _pg_url_con_schema(base, schema)
    finally:
        dispose_engines()
        with admin.begin() as c:
            c.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        admin.dispose()


@pytest.fixture
def engine(db_url):
    return open_engine(db_url)


class Orologio:
    """Orologio finto: ogni lettura avanza di un minuto."""

    def __init__(self) -> None:
        self.ora = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.timezone.utc)

    def __call__(self) -> dt.datetime:
        self.ora += dt.timedelta(minutes=1)
        return self.ora


@pytest.fixture
def orologio() -> Orologio:
    return Orologio()


@pytest.fixture
def arch(engine, orologio) -> Archivio:
    return Archivio(engine, clock=orologio)


@pytest.fixture
def conta(engine):
    """Funzione che dà (righe in pratica, righe in evento)."""

    def _conta() -> tuple[int, int]:
        with engine.connect() as c:
            return (c.exec_driver_sql("SELECT count(*) FROM pratica").scalar_one(),
                    c.exec_driver_sql("SELECT count(*) FROM evento").scalar_one())

    return _conta
