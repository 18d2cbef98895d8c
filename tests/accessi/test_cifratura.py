"""Cifratura a riposo: con la chiave (fuori dal database) codici fiscali, IBAN e allegati non
compaiono in chiaro nel file; senza la chiave giusta i dati non si leggono; il file della chiave
deve essere privato (0600)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from cer_docs.services import archivio, chiave, pnrr
from cer_docs.store import cifratura

ROOT = Path(__file__).resolve().parents[2]
ESEMPIO = ROOT / "samples" / "pratica-esempio.yaml"
SEGRETI = [b"RSSMRA75D12D612N", b"IT48B0867302800000000012345", b"mario.rossi@example.it"]
DOCUMENTO = b"%PDF-1.4 documento di identita RSSMRA75D12D612N"


@pytest.fixture
def db(db_url, monkeypatch, tmp_path):
    monkeypatch.setenv("CER_DOCS_DATABASE_URL", db_url)
    file_chiave = chiave.genera(tmp_path / "chiave")
    monkeypatch.setenv("CER_DOCS_CHIAVE_FILE", str(file_chiave))
    return db_url


def _grezzo(db_url: str) -> bytes:
    if db_url.startswith("sqlite"):
        f = Path(db_url.removeprefix("sqlite:///"))
        return b"".join(p.read_bytes() for p in f.parent.glob(f.name + "*"))
    from cer_docs.store import get_engine

    with get_engine().connect() as c:  # PostgreSQL: il contenuto delle colonne così come è conservato
        righe = c.exec_driver_sql("SELECT dati::bytea FROM pratica").all()
        righe += c.exec_driver_sql("SELECT contenuto FROM documento_caricato").all()
    return b"".join(bytes(r[0]) for r in righe)


def test_dati_personali_e_allegati_cifrati(db):
    archivio.importa_file(ESEMPIO, autore="ufficio")
    sha = archivio.carica_documento("cer-colline-sieve", "identita.pdf", DOCUMENTO)
    grezzo = _grezzo(db)
    for segreto in SEGRETI + [DOCUMENTO]:
        assert segreto not in grezzo, segreto
    # con la chiave tutto si legge come prima
    p = archivio.apri("cer-colline-sieve").pratica
    assert next(s for s in p.soggetti if s.id == "bianchi-giulia").iban == "IT48B0867302800000000012345"
    assert pnrr.contenuto_documento("cer-colline-sieve", sha) == ("identita.pdf", DOCUMENTO)


def test_senza_la_chiave_giusta_non_si_legge(db, monkeypatch, tmp_path):
    archivio.importa_file(ESEMPIO, autore="ufficio")
    monkeypatch.delenv("CER_DOCS_CHIAVE_FILE")
    with pytest.raises(archivio.ErroreDatabase, match="chiave non è impostata"):
        archivio.apri("cer-colline-sieve")
    monkeypatch.setenv("CER_DOCS_CHIAVE_FILE", str(chiave.genera(tmp_path / "altra")))
    with pytest.raises(archivio.ErroreDatabase, match="non è quella"):
        archivio.apri("cer-colline-sieve")


def test_file_della_chiave_leggibile_da_altri_rifiutato(tmp_path, monkeypatch):
    f = chiave.genera(tmp_path / "chiave")
    os.chmod(f, 0o644)
    monkeypatch.setenv("CER_DOCS_CHIAVE_FILE", str(f))
    with pytest.raises(cifratura.ErroreChiave, match="chmod 600"):
        chiave.attiva()


def test_archivio_in_chiaro_cifrato_dopo(db_url, monkeypatch, tmp_path):
    monkeypatch.setenv("CER_DOCS_DATABASE_URL", db_url)
    archivio.importa_file(ESEMPIO, autore="ufficio")
    assert SEGRETI[0] in _grezzo(db_url)
    monkeypatch.setenv("CER_DOCS_CHIAVE_FILE", str(chiave.genera(tmp_path / "chiave")))
    assert chiave.cifra_archivio() == 1
    assert chiave.cifra_archivio() == 0
    from cer_docs.services.persona import compatta_database

    compatta_database()
    assert SEGRETI[0] not in _grezzo(db_url)
    assert archivio.apri("cer-colline-sieve").versione == 1
