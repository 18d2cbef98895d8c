"""Caso d'uso: verificare una pratica alla data scelta e presentare i rilievi."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from cer_docs.italiano import plurale
from cer_docs.model import Pratica, load_pratica
from cer_docs.rules import ORDINE_GRAVITA, DataNonCoperta, Rilievo, verifica

__all__ = ["DataNonCoperta", "Esito", "verifica_pratica", "verifica_file", "report_testo"]

TITOLI_AMBITO = {
    "comunita": "Comunità e statuto",
    "membri": "Membri e poteri di controllo",
    "configurazioni": "Configurazioni, POD e referente",
    "impianti": "Impianti",
    "pnrr": "Contributo PNRR",
    "codici": "Codici identificativi",
}


@dataclass
class Esito:
    pratica: Pratica
    al: dt.date
    rilievi: list[Rilievo]

    @property
    def errori(self) -> int:
        return sum(1 for r in self.rilievi if r.gravita == "errore")

    @property
    def avvisi(self) -> int:
        return sum(1 for r in self.rilievi if r.gravita == "avviso")

    def per_ambito(self) -> list[tuple[str, list[Rilievo]]]:
        gruppi: dict[str, list[Rilievo]] = {}
        for r in sorted(self.rilievi, key=lambda r: (ORDINE_GRAVITA[r.gravita], r.oggetto)):
            gruppi.setdefault(r.ambito, []).append(r)
        ordine = list(TITOLI_AMBITO)
        return sorted(gruppi.items(), key=lambda kv: ordine.index(kv[0]) if kv[0] in ordine else 99)


def verifica_pratica(pratica: Pratica, al: dt.date | None = None) -> Esito:
    al = al or dt.date.today()
    return Esito(pratica=pratica, al=al, rilievi=verifica(pratica, al))


def verifica_file(path: str | Path, al: dt.date | None = None) -> Esito:
    return verifica_pratica(load_pratica(path), al)


_SIMBOLI = {"errore": "✗ ERRORE", "avviso": "! AVVISO", "info": "i INFO"}


def report_testo(esito: Esito) -> str:
    p = esito.pratica
    righe = [f"Verifica della pratica «{p.denominazione}» ({p.pratica.id}) alla data del "
             f"{esito.al.strftime('%d/%m/%Y')}", ""]
    if not esito.rilievi:
        righe.append("Nessun rilievo: la pratica rispetta tutte le regole controllate.")
        return "\n".join(righe)
    for ambito, rilievi in esito.per_ambito():
        righe.append(f"== {TITOLI_AMBITO.get(ambito, ambito)} ==")
        for r in rilievi:
            righe.append(f"{_SIMBOLI[r.gravita]} [{r.codice}] {r.oggetto}")
            righe.append(f"    {r.messaggio}")
            righe.append(f"    Fonte: {r.riferimento}")
        righe.append("")
    info = len(esito.rilievi) - esito.errori - esito.avvisi
    righe.append(f"Totale: {plurale(esito.errori, 'errore', 'errori')}, {plurale(esito.avvisi, 'avviso', 'avvisi')}, "
                 f"{plurale(info, 'informazione', 'informazioni')}.")
    if esito.errori:
        righe.append("Con errori la pratica non può andare avanti così com'è: correggi i punti segnati ✗.")
    return "\n".join(righe)
