"""Casi d'uso sullo statuto: verifica degli elementi essenziali (a–g) in un file DOCX o PDF."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from cer_docs.documents.verifica_statuto import (
    ErroreLetturaStatuto,
    EsitoElemento,
    EsitoVerifica,
    verifica_file,
)

__all__ = [
    "ErroreLetturaStatuto",
    "EsitoElemento",
    "EsitoVerifica",
    "verifica_statuto",
]


def verifica_statuto(path: str | Path, al: dt.date | None = None) -> EsitoVerifica:
    """Verifica lo statuto in ``path`` secondo le regole in vigore alla data ``al``
    (oggi, se non indicata: l'orologio si legge qui, non nelle regole).

    Solleva ``ErroreLetturaStatuto`` se il file non si può leggere e ``ValueError`` se
    alla data non è in vigore nessuna versione delle regole.
    """
    return verifica_file(path, al or dt.date.today())
