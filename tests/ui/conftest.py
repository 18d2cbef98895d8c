"""Aiuti per i test dell'interfaccia con ``streamlit.testing.v1.AppTest``.

Ogni test parte da un archivio vuoto in una cartella temporanea (fixture autouse di
``tests/conftest.py``). I widget si trovano per etichetta (ciò che vede l'utente) o, dove le
etichette si ripetono, per chiave; le tabelle (``st.data_editor``) si compilano scrivendo il
loro stato di modifica nella sessione, come fa il browser (ecosistema.md §3.3).
"""

from __future__ import annotations

import pytest
from guida_ui import APP, ArchivioMedia, GestoreMedia
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1 import app_test as modulo_app_test


@pytest.fixture(autouse=True)
def _download_leggibili(monkeypatch):
    monkeypatch.setattr(modulo_app_test, "MemoryMediaFileStorage", ArchivioMedia)
    monkeypatch.setattr(modulo_app_test, "MediaFileManager", GestoreMedia)


@pytest.fixture
def app() -> AppTest:
    return AppTest.from_file(str(APP), default_timeout=180)


