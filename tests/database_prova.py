"""Un database vuoto per un test: SQLite in una cartella temporanea oppure PostgreSQL
(``TEST_DATABASE_URL``) con uno schema proprio (``search_path`` nell'URL), eliminato alla fine."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from cer_docs.store import dispose_engines

TIPI = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def pg_url_con_schema(base: str, schema: str) -> str:
    url = make_url(base)
    return url.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)


@contextmanager
def database_vuoto(tipo: str, cartella: Path) -> Iterator[str]:
    """L'URL di un database vuoto e tutto per il test; alla fine chiude i motori e pulisce."""
    if tipo == "sqlite":
        try:
            yield f"sqlite:///{cartella / 'archivio.db'}"
        finally:
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
        yield pg_url_con_schema(base, schema)
    finally:
        dispose_engines()
        with admin.begin() as c:
            c.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        admin.dispose()
