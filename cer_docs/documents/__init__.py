"""Documenti: catalogo, libreria delle clausole, scrittori DOCX e PDF, verifica dello statuto.

Documenti costitutivi: libreria delle clausole → documento risolto → DOCX e PDF.

Percorso: ``specifiche`` (quali clausole, con quali flag) + ``clausole`` (il testo, una volta
sola) + ``contesto`` (campi, flag ed elenchi preparati dalla pratica alla data ``al``) →
``motore.resolve`` → ``struttura.Documento`` → ``scrittura_docx.render_docx`` e
``scrittura_pdf.render_pdf``. ``catalogo`` sa quali documenti servono a una pratica.
``lettura_docx.leggi_clausole`` rilegge un DOCX generato (anche modificato in Word o
LibreOffice): clausole con id, testo e impronta (vedi ``docs/contesto-modelli.md`` §8).

I nomi sotto si importano al primo uso: chi usa solo un modulo del pacchetto (per esempio
il verificatore degli statuti) non paga l'avvio di python-docx o di Typst.
"""

from __future__ import annotations

import importlib
from typing import Any

_DOVE = {
    "CATALOGO": "catalogo", "ORDINE": "catalogo", "Richiesta": "catalogo", "nome_file": "catalogo",
    "richieste": "catalogo", "risolvi": "catalogo",
    "ErroreLibreria": "clausole", "carica_clausole": "clausole",
    "Contesto": "motore", "resolve": "motore",
    "render_docx": "scrittura_docx", "render_pdf": "scrittura_pdf",
    "Documento": "struttura", "testo_canonico": "struttura", "identita": "struttura",
    "ClausolaLetta": "lettura_docx", "leggi_clausole": "lettura_docx",
}

__all__ = sorted(_DOVE)


def __getattr__(nome: str) -> Any:
    modulo = _DOVE.get(nome)
    if modulo is None:
        raise AttributeError(f"module {__name__!r} has no attribute {nome!r}")
    return getattr(importlib.import_module(f"{__name__}.{modulo}"), nome)
