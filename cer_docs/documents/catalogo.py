"""Il catalogo dei documenti costitutivi: che cosa si può generare per una pratica e come.

Ogni voce lega un tipo di documento alla sua specifica, al costruttore del contesto e al
nome del file. Statuto, atto costitutivo e copia GSE richiedono una comunità (ente
giuridico); il regolamento si genera per ogni configurazione CER o AUC.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from cer_docs.model.pratica import Configurazione, Pratica

from .contesto import contesto_comunita, contesto_regolamento
from .elementi import mappa_elementi
from .motore import Contesto, resolve
from .specifiche import load_spec
from .struttura import Documento


@dataclass(frozen=True)
class TipoDocumento:
    id: str
    titolo: str
    prefisso_file: str
    per_configurazione: bool = False
    richiede_comunita: bool = True


CATALOGO: dict[str, TipoDocumento] = {
    "statuto": TipoDocumento("statuto", "Statuto", "statuto"),
    "atto_costitutivo": TipoDocumento("atto_costitutivo", "Atto costitutivo", "atto-costitutivo"),
    "regolamento": TipoDocumento("regolamento", "Regolamento della configurazione", "regolamento",
                                 per_configurazione=True, richiede_comunita=False),
    "statuto_gse": TipoDocumento("statuto_gse", "Statuto – copia per il GSE con gli elementi essenziali evidenziati",
                                 "statuto-gse"),
}
ORDINE = ("statuto", "atto_costitutivo", "regolamento", "statuto_gse")


@dataclass
class Richiesta:
    """Un documento da produrre: tipo e, per il regolamento, la configurazione."""

    tipo: TipoDocumento
    configurazione: Configurazione | None = None

    @property
    def chiave(self) -> str:
        return f"{self.tipo.id}:{self.configurazione.id}" if self.configurazione else self.tipo.id


def slug(testo: str) -> str:
    t = unicodedata.normalize("NFKD", testo).encode("ascii", "ignore").decode("ascii").lower()
    t = re.sub(r"[^a-z0-9]+", "-", t).strip("-")
    return t[:80] or "documento"


def nome_file(pratica: Pratica, r: Richiesta) -> str:
    base = r.tipo.prefisso_file
    if r.configurazione is not None:
        base += "-" + slug(r.configurazione.id)
    return f"{base}-{slug(pratica.pratica.id)}"


def richieste(pratica: Pratica, documenti: list[str]) -> tuple[list[Richiesta], list[str]]:
    """I documenti effettivamente producibili e, per gli altri, il motivo in italiano."""
    out: list[Richiesta] = []
    note: list[str] = []
    for d in documenti:
        tipo = CATALOGO[d]
        if tipo.richiede_comunita and pratica.comunita is None:
            tipi = sorted({c.tipo for c in pratica.configurazioni}) or ["senza configurazioni"]
            note.append(
                f"{tipo.titolo}: non generato, perché la pratica non descrive una comunità (ente giuridico). "
                f"Una configurazione {', '.join(tipi)} non ha statuto né atto costitutivo: i rapporti tra i "
                "partecipanti sono regolati dal contratto di diritto privato e dal regolamento della configurazione."
            )
            continue
        if tipo.per_configurazione:
            confs = [c for c in pratica.configurazioni if c.tipo in ("CER", "AUC")]
            for c in pratica.configurazioni:
                if c.tipo == "AID":
                    note.append(f"{tipo.titolo} '{c.id}': non generato, perché l'autoconsumatore individuale a "
                                "distanza è un solo cliente finale e non ripartisce benefici tra più partecipanti.")
            if not confs and not any(c.tipo == "AID" for c in pratica.configurazioni):
                note.append(f"{tipo.titolo}: non generato, perché la pratica non ha configurazioni.")
            out += [Richiesta(tipo, c) for c in confs]
        else:
            out.append(Richiesta(tipo))
    return out, note


def contesto_per(pratica: Pratica, r: Richiesta, al: dt.date) -> Contesto:
    if r.tipo.per_configurazione:
        assert r.configurazione is not None
        return contesto_regolamento(pratica, r.configurazione, al)
    return contesto_comunita(pratica, al)


def risolvi(pratica: Pratica, r: Richiesta, al: dt.date, *, bozza: bool = False,
            contesto: Contesto | None = None) -> Documento:
    """Il documento risolto per la richiesta, alla data ``al``."""
    ctx = contesto or contesto_per(pratica, r, al)

    def incluso(doc_id: str) -> Documento:
        return resolve(load_spec(doc_id), ctx, bozza=bozza)

    doc = resolve(load_spec(r.tipo.id), ctx, risolvi=incluso, mappa=mappa_elementi,
                  evidenzia=r.tipo.id == "statuto_gse", bozza=bozza)
    return doc
