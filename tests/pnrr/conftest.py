"""Fixture dei test PNRR: la pratica di riferimento, le date, l'archivio con la pratica caricata."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from cer_docs.model import Pratica, load_pratica

ROOT = Path(__file__).resolve().parents[2]
ESEMPIO = ROOT / "samples" / "pratica-esempio.yaml"
# durante i lavori della cantina (avvio 03/06/2026, fine 29/06/2026), prima del termine del 30/06/2026
AL = dt.date(2026, 6, 15)


@pytest.fixture
def pratica() -> Pratica:
    return load_pratica(ESEMPIO)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def engine(request, tmp_path, monkeypatch):
    """Database vuoto del test (SQLite, e PostgreSQL se c'è ``TEST_DATABASE_URL``), usato anche dai servizi."""
    import os
    import uuid

    import sqlalchemy as sa
    from sqlalchemy.engine import make_url

    from cer_docs.store import dispose_engines, open_engine

    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'archivio.db'}"
        monkeypatch.setenv("CER_DOCS_DATABASE_URL", url)
        yield open_engine(url)
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
        url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
            hide_password=False)
        monkeypatch.setenv("CER_DOCS_DATABASE_URL", url)
        yield open_engine(url)
    finally:
        dispose_engines()
        with admin.begin() as c:
            c.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        admin.dispose()


@pytest.fixture
def archiviata(engine):
    """La pratica di riferimento importata nell'archivio (database temporaneo del test)."""
    from cer_docs.services.archivio import Archivio

    return Archivio(engine).importa_file(ESEMPIO, autore="Test")


@pytest.fixture
def conta(engine):
    """(documenti caricati, eventi, versione della pratica) per controllare che nulla sia stato scritto."""

    import sqlalchemy as sa

    def _conta(codice: str = "cer-colline-sieve") -> tuple[int, int, int]:
        with engine.connect() as c:
            docs = c.exec_driver_sql("SELECT count(*) FROM documento_caricato").scalar_one()
            eventi = c.exec_driver_sql("SELECT count(*) FROM evento").scalar_one()
            versione = c.execute(sa.text("SELECT version FROM pratica WHERE codice = :c"), {"c": codice}).scalar_one()
        return docs, eventi, versione

    return _conta
