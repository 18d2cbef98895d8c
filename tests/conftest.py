"""Fixture comuni a tutti i test."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _archivio_isolato(tmp_path_factory, monkeypatch):
    """Nessun test scrive nella cartella dati dell'utente né in un database indicato dall'ambiente."""
    monkeypatch.setenv("CER_DOCS_DATA_DIR", str(tmp_path_factory.mktemp("dati")))
    monkeypatch.delenv("CER_DOCS_DATABASE_URL", raising=False)
    monkeypatch.delenv("CER_DOCS_AUTORE", raising=False)
    monkeypatch.delenv("CER_DOCS_MODALITA", raising=False)
    yield
    from cer_docs.services import accesso, lavori
    from cer_docs.store import dispose_engines

    lavori.ferma_esecutori_locali()  # il thread dei lavori dell'app lavora sul database di questo test
    accesso._reimposta()  # modalità server e --utente valgono per il processo: ogni test riparte da zero
    dispose_engines()
