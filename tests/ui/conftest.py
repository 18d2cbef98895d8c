"""Aiuti per i test dell'interfaccia con ``streamlit.testing.v1.AppTest``.

Ogni test parte da un archivio vuoto in una cartella temporanea (fixture autouse di
``tests/conftest.py``). I widget si trovano per etichetta (ciò che vede l'utente) o, dove le
etichette si ripetono, per chiave; le tabelle (``st.data_editor``) si compilano scrivendo il
loro stato di modifica nella sessione, come fa il browser (ecosistema.md §3.3).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from browser_comune import ARGOMENTI_CHROMIUM, CHROMIUM, avvia_streamlit
from guida_ui import APP, CAMPIONI, ArchivioMedia, GestoreMedia
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1 import app_test as modulo_app_test


@pytest.fixture(autouse=True)
def _download_leggibili(monkeypatch):
    monkeypatch.setattr(modulo_app_test, "MemoryMediaFileStorage", ArchivioMedia)
    monkeypatch.setattr(modulo_app_test, "MediaFileManager", GestoreMedia)


@pytest.fixture
def app() -> AppTest:
    return AppTest.from_file(str(APP), default_timeout=180)


@pytest.fixture
def riferimento():
    """La pratica d'esempio (``cer-colline-sieve``) importata nell'archivio del test."""
    from cer_docs.services import archivio

    return archivio.importa_file(CAMPIONI / "pratica-esempio.yaml", autore="prova")




# ----------------------------------------------------------------------------- browser vero


@pytest.fixture(scope="module")
def browser():
    """Chromium di Debian, senza schermo, per tutti i test di un modulo."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="manca il pacchetto Python playwright")
    if not CHROMIUM.exists():
        pytest.skip("manca /usr/bin/chromium (pacchetto Debian chromium)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGOMENTI_CHROMIUM, headless=True)
        yield b
        b.close()


@pytest.fixture(scope="module")
def schermate(tmp_path_factory) -> Path:
    """Dove vanno le schermate: ``CER_DOCS_SCHERMATE`` se indicata, altrimenti una cartella temporanea."""
    cartella = os.environ.get("CER_DOCS_SCHERMATE")
    if cartella:
        Path(cartella).mkdir(parents=True, exist_ok=True)
        return Path(cartella)
    return tmp_path_factory.mktemp("schermate")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """Un server Streamlit su un archivio vuoto (modalità personale), per tutti i test di un modulo."""
    with avvia_streamlit(tmp_path_factory.mktemp("dati-browser")) as url:
        yield url
