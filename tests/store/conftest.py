"""Database dei test: SQLite in una cartella temporanea e PostgreSQL (se c'è ``TEST_DATABASE_URL``).

Su PostgreSQL ogni test ha uno schema suo (``search_path`` nell'URL), eliminato alla fine.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from cer_docs.services.archivio import Archivio
from cer_docs.store import open_engine
from database_prova import TIPI, database_vuoto


@pytest.fixture(params=TIPI)
def db_url(request, tmp_path) -> Iterator[str]:
    """URL di un database vuoto e tutto per il test."""
    with database_vuoto(request.param, tmp_path) as url:
        yield url


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
