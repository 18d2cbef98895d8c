"""Database dei test degli accessi: SQLite e PostgreSQL (se c'è ``TEST_DATABASE_URL``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from database_prova import TIPI, database_vuoto


@pytest.fixture(params=TIPI)
def db_url(request, tmp_path) -> Iterator[str]:
    with database_vuoto(request.param, tmp_path) as url:
        yield url
