"""Avvio: prepara l'archivio predefinito con le pratiche d'esempio."""

from __future__ import annotations

from pathlib import Path

from cer_docs import risorse
from cer_docs.services import archivio

CARTELLA_ESEMPI = risorse.cartella("samples")


def carica_esempi(cartella: Path = CARTELLA_ESEMPI, *, attore: archivio.Attore | None = None) -> list[str]:
    """Importa nell'archivio i file d'esempio non ancora presenti; restituisce i codici importati.

    Con un account, gli esempi diventano pratiche di cui è titolare."""
    presenti = {v.codice for v in archivio.elenco_pratiche(attore=attore)}
    importati = []
    for f in sorted(cartella.glob("*.yaml")):
        if f.name.startswith("_"):
            continue
        pratica = archivio.load_pratica(f)
        if pratica.pratica.id in presenti:
            continue
        try:
            archivio.importa_pratica(pratica, autore="cer-docs (esempi)", attore=attore)
        except archivio.PraticaEsistente:
            continue  # c'è già, ma non è condivisa con chi la chiede
        importati.append(pratica.pratica.id)
    return importati
