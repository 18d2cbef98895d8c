"""Gli oggetti della pratica a cui si riferiscono fatti, stati e scadenze.

Un oggetto si indica con il percorso nel file pratica (``configurazioni[0].impianti[1]``,
anche con un campo in coda: ``configurazioni[0].impianti[1].contributo_pnrr``) oppure con il
suo identificativo: l'id della configurazione o dell'impianto, il codice POD, ``comunita``.

Ogni oggetto ha anche una ``chiave`` fatta di identificativi (``conf-1/fv-cantina``), che non
cambia se qualcuno riordina gli elenchi: serve agli UID del calendario.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from cer_docs.model.io import parse_path
from cer_docs.model.pratica import Configurazione, Impianto, Pratica, PuntoConnessione

__all__ = ["Genere", "Oggetto", "individua", "oggetto_comunita", "oggetto_configurazione", "oggetto_impianto",
           "oggetto_pod", "entro", "impianto_del_pod", "pod_dell_impianto"]

Genere = Literal["comunita", "configurazione", "impianto", "punto_connessione"]

NOMI_GENERE = {
    "comunita": "la comunità",
    "configurazione": "una configurazione",
    "impianto": "un impianto",
    "punto_connessione": "un punto di connessione (POD)",
}


@dataclass(frozen=True)
class Oggetto:
    genere: Genere
    percorso: str
    chiave: str
    nome: str
    ci: int | None = None
    ii: int | None = None
    pi: int | None = None

    def contiene(self, altro: "Oggetto") -> bool:
        """Vero se ``altro`` è questo oggetto o una sua parte (un impianto di questa configurazione)."""
        return altro.percorso == self.percorso or altro.percorso.startswith(self.percorso + ".")


def entro(d: dt.date | None, al: dt.date) -> dt.date | None:
    """La data di un fatto se è già avvenuto alla data ``al``; altrimenti ``None``."""
    return d if d is not None and d <= al else None


def _nome_conf(c: Configurazione) -> str:
    return f"«{c.denominazione or c.id}»"


def _nome_imp(imp: Impianto) -> str:
    return f"«{imp.denominazione or imp.id}»"


def oggetto_comunita(p: Pratica) -> Oggetto:
    nome = f"«{p.comunita.denominazione}»" if p.comunita else f"«{p.denominazione}»"
    return Oggetto("comunita", "comunita", "comunita", nome)


def oggetto_configurazione(p: Pratica, ci: int) -> Oggetto:
    c = p.configurazioni[ci]
    return Oggetto("configurazione", f"configurazioni[{ci}]", c.id, _nome_conf(c), ci=ci)


def oggetto_impianto(p: Pratica, ci: int, ii: int) -> Oggetto:
    c = p.configurazioni[ci]
    imp = c.impianti[ii]
    return Oggetto("impianto", f"configurazioni[{ci}].impianti[{ii}]", f"{c.id}/{imp.id}", _nome_imp(imp), ci=ci, ii=ii)


def oggetto_pod(p: Pratica, ci: int, pi: int) -> Oggetto:
    c = p.configurazioni[ci]
    pc = c.punti_connessione[pi]
    return Oggetto("punto_connessione", f"configurazioni[{ci}].punti_connessione[{pi}]", f"{c.id}/{pc.pod}",
                   f"POD {pc.pod}", ci=ci, pi=pi)


def _norm(testo: str) -> str:
    return "".join(testo.split()).casefold()


def individua(p: Pratica, testo: str | None) -> Oggetto | None:
    """L'oggetto indicato da un percorso o da un identificativo; ``None`` se non esiste."""
    if not testo or not testo.strip():
        return None
    testo = testo.strip()
    if testo.startswith(("comunita", "configurazioni[")):
        trovato = _da_percorso(p, testo)
        if trovato is not None:
            return trovato
    chiave = _norm(testo)
    if chiave in ("comunita", "comunità") and p.comunita is not None:
        return oggetto_comunita(p)
    for ci, c in enumerate(p.configurazioni):
        if _norm(c.id) == chiave:
            return oggetto_configurazione(p, ci)
    for ci, c in enumerate(p.configurazioni):
        for ii, imp in enumerate(c.impianti):
            if _norm(imp.id) == chiave:
                return oggetto_impianto(p, ci, ii)
    for ci, c in enumerate(p.configurazioni):
        for pi, pc in enumerate(c.punti_connessione):
            if _norm(pc.pod) == chiave:
                return oggetto_pod(p, ci, pi)
    return None


def _da_percorso(p: Pratica, testo: str) -> Oggetto | None:
    parti = parse_path(testo)
    if not parti:
        return None
    if parti[0] == "comunita":
        return oggetto_comunita(p) if p.comunita is not None else None
    if parti[0] != "configurazioni" or len(parti) < 2 or not isinstance(parti[1], int):
        return None
    ci = parti[1]
    if not 0 <= ci < len(p.configurazioni):
        return None
    c = p.configurazioni[ci]
    resto = parti[2:]
    if len(resto) >= 2 and isinstance(resto[1], int):
        if resto[0] == "impianti" and 0 <= resto[1] < len(c.impianti):
            return oggetto_impianto(p, ci, resto[1])
        if resto[0] == "punti_connessione" and 0 <= resto[1] < len(c.punti_connessione):
            return oggetto_pod(p, ci, resto[1])
        if resto[0] in ("impianti", "punti_connessione"):
            return None
    return oggetto_configurazione(p, ci)


def pod_dell_impianto(c: Configurazione, imp: Impianto) -> tuple[int, PuntoConnessione] | None:
    for pi, pc in enumerate(c.punti_connessione):
        if _norm(pc.pod) == _norm(imp.pod):
            return pi, pc
    return None


def impianto_del_pod(c: Configurazione, pc: PuntoConnessione) -> tuple[int, Impianto] | None:
    for ii, imp in enumerate(c.impianti):
        if _norm(imp.pod) == _norm(pc.pod):
            return ii, imp
    return None
