"""Fatti derivati dalla pratica: calcolati una volta sola, usati da regole, pratica e documenti.

Ogni funzione è pura: riceve la pratica (o un suo oggetto) e, quando il fatto dipende dal
tempo, la data ``al``. Prima questi fatti vivevano in tre o quattro copie che si erano
separate (un membro receduto riceveva ancora la DSAN; la classificazione ATECO predefinita
era 2007 per le regole e 2025 per i documenti).

- ``membro_attivo`` / ``membri_attivi``: chi è membro alla data (non receduto).
- ``produttori_terzi`` / ``e_produttore_terzo`` / ``impianti_di_terzi``.
- ``serve_mandato``: se il referente di una configurazione agisce con un mandato.
- ``classificazione_ateco``: la classificazione in cui leggere il codice ATECO di un soggetto.
- ``sesso``: il sesso di una persona, dichiarato o ricavato dal codice fiscale.
- ``firmatario``: chi firma per un soggetto (la persona, o il legale rappresentante dell'ente con
  la fonte dei suoi poteri).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from cer_docs.model.pratica import Configurazione, Impianto, Membro, Pratica, ProduttoreTerzo, Soggetto

from .base import param
from .identificativi import sesso_da_cf

def sesso_da_codice_fiscale(cf: str | None) -> str | None:
    """``"F"`` o ``"M"`` dal codice fiscale di una persona; ``None`` se non si ricava."""
    return sesso_da_cf(cf)


def sesso(persona: Any) -> str | None:
    """Il sesso di una persona fisica, di un rappresentante o del notaio: quello dichiarato
    (``sesso``), altrimenti quello del codice fiscale; ``None`` se non si può sapere."""
    if persona is None:
        return None
    dichiarato = getattr(persona, "sesso", None)
    if dichiarato:
        return dichiarato
    return sesso_da_codice_fiscale(getattr(persona, "codice_fiscale", None))


@dataclass(frozen=True)
class Firmatario:
    """Chi firma per un soggetto."""

    nome: str | None            # la persona che firma
    sesso: str | None
    codice_fiscale: str | None  # della persona che firma
    per_ente: str | None = None  # denominazione dell'ente rappresentato (None per una persona fisica)
    carica: str | None = None
    fonte_poteri: str | None = None


def firmatario(s: Soggetto) -> Firmatario:
    """La persona fisica firma per sé; un ente firma tramite il legale rappresentante, con la
    carica e la fonte dei poteri indicate nella pratica."""
    if s.tipo == "persona_fisica":
        return Firmatario(s.nome_completo, sesso(s), s.codice_fiscale)
    r = s.rappresentante
    if r is None:
        return Firmatario(None, None, None, s.denominazione or s.id)
    fonte = None
    if r.poteri is not None and (r.poteri.fonte or r.poteri.atto):
        fonte = " ".join(x for x in (r.poteri.fonte, r.poteri.atto) if x)
    return Firmatario(r.nome_completo, sesso(r), r.codice_fiscale, s.denominazione or s.id, r.carica, fonte)


# --------------------------------------------------------------------------- membri

def membro_attivo(m: Membro, al: dt.date) -> bool:
    """Membro alla data ``al``: non ha receduto prima di quel giorno (il recesso ha effetto dalla
    ``data_recesso``). L'adesione futura non esclude: il pacchetto di fondazione si prepara
    prima della firma."""
    return m.data_recesso is None or m.data_recesso > al


def membri_attivi(p: Pratica, al: dt.date) -> list[Membro]:
    return [m for m in p.membri if membro_attivo(m, al)]


def ids_membri_attivi(p: Pratica, al: dt.date) -> dict[str, int]:
    """id del soggetto → indice in ``membri`` dei soli membri attivi alla data."""
    return {m.soggetto: i for i, m in enumerate(p.membri) if membro_attivo(m, al)}


# --------------------------------------------------------------------------- produttori terzi

def produttori_terzi(p: Pratica) -> dict[str, ProduttoreTerzo]:
    return {t.soggetto: t for t in p.produttori_terzi}


def impianti_di_terzi(p: Pratica) -> set[str]:
    return {i for t in p.produttori_terzi for i in t.impianti}


def e_impianto_di_terzo(p: Pratica, imp: Impianto) -> bool:
    return imp.id in impianti_di_terzi(p) or imp.produttore in produttori_terzi(p)


# --------------------------------------------------------------------------- referente e mandato

def serve_mandato(p: Pratica, conf: Configurazione) -> bool:
    """Il referente agisce con un mandato dei partecipanti, salvo che sia la comunità stessa
    (CER con ente giuridico, tramite il legale rappresentante) o l'autoconsumatore a distanza
    che è referente di sé stesso (Regole Operative, §1.2.6)."""
    q = conf.referente.qualifica
    if q == "comunita" and p.comunita is not None and conf.tipo == "CER":
        return False
    if conf.tipo == "AID" and q == "autoconsumatore":
        return False
    return True


def configurazioni_con_mandato(p: Pratica) -> list[Configurazione]:
    return [c for c in p.configurazioni if serve_mandato(p, c)]


# --------------------------------------------------------------------------- ATECO

def classificazione_ateco(s: Soggetto, al: dt.date) -> int:
    """La classificazione in cui leggere il codice ATECO del soggetto alla data ``al``: quella
    dichiarata nella pratica, altrimenti ATECO 2025 dalla data del parametro
    ``ateco_2025_in_uso_dal`` e ATECO 2007 prima."""
    if s.classificazione_ateco:
        return int(s.classificazione_ateco)
    return 2025 if al >= param("ateco_2025_in_uso_dal", al) else 2007


def codici_ateco_esclusi(s: Soggetto, al: dt.date) -> list[str]:
    return list(param("ateco_esclusi", al).get(str(classificazione_ateco(s, al)), []))


def ateco_escluso(s: Soggetto, al: dt.date) -> bool:
    """Impresa la cui attività prevalente ha un codice ATECO escluso dalla partecipazione."""
    if s.tipo != "impresa" or not s.codice_ateco:
        return False
    return s.codice_ateco.strip() in codici_ateco_esclusi(s, al)
