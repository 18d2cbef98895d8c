"""Fixture dei test PNRR: la pratica di riferimento, le date, l'archivio con la pratica caricata."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from cer_docs.model import Pratica, load_pratica
from database_prova import TIPI, database_vuoto

ROOT = Path(__file__).resolve().parents[2]
ESEMPIO = ROOT / "samples" / "pratica-esempio.yaml"
# durante i lavori della cantina (avvio 03/06/2026, fine 29/06/2026), prima del termine del 30/06/2026
AL = dt.date(2026, 6, 15)


# L'accordo di concessione di prova (DL 19/2026 art. 27 c. 6): il termine dei pagamenti lo fissa l'accordo
ACCORDO = {"estremi": "GSE/PNRR-CACER/2026/0457", "data_firma": dt.date(2026, 5, 12),
           "data_notifica": dt.date(2026, 5, 14), "termine_pagamenti": dt.date(2026, 6, 30)}


def con_accordo(p: Pratica, **campi) -> Pratica:
    """La pratica con l'accordo di concessione registrato sull'impianto «fv-cantina»."""
    from cer_docs.model.pnrr import AccordoConcessione

    p.configurazioni[0].impianti[1].contributo_pnrr.accordo_concessione = AccordoConcessione(**{**ACCORDO, **campi})
    return p


@pytest.fixture
def pratica() -> Pratica:
    return load_pratica(ESEMPIO)


@pytest.fixture
def pratica_con_accordo() -> Pratica:
    return con_accordo(load_pratica(ESEMPIO))


@pytest.fixture(params=TIPI)
def engine(request, tmp_path, monkeypatch):
    """Database vuoto del test (SQLite, e PostgreSQL se c'è ``TEST_DATABASE_URL``), usato anche dai servizi."""
    from cer_docs.store import open_engine

    with database_vuoto(request.param, tmp_path) as url:
        monkeypatch.setenv("CER_DOCS_DATABASE_URL", url)
        yield open_engine(url)


@pytest.fixture
def archiviata(engine):
    """La pratica di riferimento importata nell'archivio (database temporaneo del test)."""
    from cer_docs.services.archivio import Archivio

    return Archivio(engine).importa_file(ESEMPIO, autore="Test")


@pytest.fixture
def archiviata_con_accordo(engine):
    """Come ``archiviata``, con l'accordo di concessione (termine dei pagamenti 30/06/2026) registrato."""
    from cer_docs.services.archivio import Archivio

    return Archivio(engine).importa_pratica(con_accordo(load_pratica(ESEMPIO)), "Test")


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
