"""Avvio: prepara l'archivio predefinito con le pratiche d'esempio."""

from __future__ import annotations

from pathlib import Path

from cer_docs.services import archivio

CARTELLA_ESEMPI = Path(__file__).resolve().parents[2] / "samples"


def carica_esempi(cartella: Path = CARTELLA_ESEMPI) -> list[str]:
    """Importa nell'archivio i file d'esempio non ancora presenti; restituisce i codici importati."""
    presenti = {v.codice for v in archivio.elenco_pratiche()}
    importati = []
    for f in sorted(cartella.glob("*.yaml")):
        if f.name.startswith("_"):
            continue
        pratica = archivio.load_pratica(f)
        if pratica.pratica.id in presenti:
            continue
        archivio.importa_pratica(pratica, autore="cer-docs (esempi)")
        importati.append(pratica.pratica.id)
    return importati
