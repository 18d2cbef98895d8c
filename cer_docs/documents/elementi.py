"""Gli elementi essenziali dello statuto (a–g) e la mappa «elemento → articolo» della copia GSE.

Le clausole dello statuto dichiarano nell'intestazione quale elemento soddisfano
(``elemento_essenziale``); qui si legge l'elenco dei requisiti per versione delle Regole
Operative (``templates/documenti/elementi_essenziali.yaml``) e si costruisce, da un
documento risolto, la tabella che dice dove si trova ciascun elemento.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Mapping

import yaml

from .clausole import ErroreLibreria
from .motore import evidenze_per_articolo
from .specifiche import DOCUMENTI_DIR
from .struttura import Blocco, Colonna, Documento, Tabella, TitoloArticolo


@dataclass(frozen=True)
class Requisito:
    etichetta: str
    titolo: str
    lettere: tuple[str, ...]


@lru_cache(maxsize=1)
def _dati() -> dict[str, Any]:
    return yaml.safe_load((DOCUMENTI_DIR / "elementi_essenziali.yaml").read_text(encoding="utf-8"))


def requisiti(versione: str) -> list[Requisito]:
    try:
        v = _dati()[versione]
    except KeyError:
        raise ErroreLibreria(f"versione degli elementi essenziali sconosciuta: '{versione}'") from None
    return [Requisito(etichetta=str(r["etichetta"]), titolo=str(r["titolo"]), lettere=tuple(r["lettere"]))
            for r in v["requisiti"]]


def _elenco(voci: list[str]) -> str:
    return voci[0] if len(voci) == 1 else ", ".join(voci[:-1]) + " e " + voci[-1]


def dove_si_trova(doc: Documento, req: Requisito) -> list[str]:
    """«art. 7 (Titolo), commi 1, 2 e 3» per ogni articolo che contiene il requisito."""
    ev = evidenze_per_articolo(doc)
    per_articolo: dict[int, tuple[TitoloArticolo | None, list[str]]] = {}
    for lettera in req.lettere:
        for art, comma in ev.get(lettera, []):
            chiave = art.numero if art else 0
            _, commi = per_articolo.setdefault(chiave, (art, []))
            c = comma.rstrip(".") if comma else ""
            if c and c not in commi:
                commi.append(c)
    posti = []
    for chiave in sorted(per_articolo):
        art, commi = per_articolo[chiave]
        if art is None:
            posti.append("premessa")
            continue
        base = f"art. {art.numero} ({art.titolo})"
        if commi:
            base += (", comma " if len(commi) == 1 else ", commi ") + _elenco(commi)
        posti.append(base)
    return posti


def mancanti(doc: Documento, versione: str) -> list[Requisito]:
    """I requisiti che nessun passaggio del documento soddisfa (deve essere vuoto)."""
    return [r for r in requisiti(versione) if not dove_si_trova(doc, r)]


def mappa_elementi(doc: Documento, variabili: Mapping[str, Any]) -> list[Blocco]:
    """La tabella «elemento → articolo» per la copia destinata al GSE."""
    versione = variabili["elementi"]["versione"]
    righe = []
    for r in requisiti(versione):
        posti = dove_si_trova(doc, r)
        righe.append([r.etichetta, r.titolo, "\n".join(posti) if posti else "NON PRESENTE"])
    return [Tabella(
        # la terza colonna più larga della seconda: «art. 7 (…), commi 1, 2 e 3» su una riga, senza
        # lasciare «3» o «1» soli sulla riga dopo (revisione del notaio, rilievo 24)
        colonne=[Colonna("Elemento", 0.9, "centrato"), Colonna("Contenuto richiesto", 3.4),
                 Colonna("Dove si trova nello statuto", 4.4)],
        righe=righe,
        didascalia=f"Elementi essenziali secondo: {variabili['elementi']['fonte']}",
    )]
