"""Dove stanno le risorse che non sono codice: modelli dei documenti, interfaccia, pratiche d'esempio.

In una copia di lavoro (``git clone``, installazione modificabile) stanno nella radice del progetto,
accanto a ``cer_docs/``. Nel pacchetto installato (``pip install .``) il build le copia dentro il
pacchetto, in ``cer_docs/_risorse/`` (vedi ``setup.py``): così lo strumento funziona anche senza il
repository. Un solo posto decide quale delle due vale.
"""

from __future__ import annotations

from pathlib import Path

NOMI = ("templates", "ui", "samples")

_PACCHETTO = Path(__file__).resolve().parent


def cartella(nome: str) -> Path:
    """La cartella ``templates``, ``ui`` o ``samples``: quella installata se c'è, altrimenti quella del progetto."""
    if nome not in NOMI:
        raise ValueError(f"risorsa sconosciuta: {nome}")
    installata = _PACCHETTO / "_risorse" / nome
    if installata.is_dir():
        return installata
    return _PACCHETTO.parent / nome
