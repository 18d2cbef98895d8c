"""Fatti derivati dalla pratica, calcolati una volta sola per tutte le regole."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from cer_docs.model.pratica import Configurazione, Impianto, Pratica, Soggetto

from . import fatti


@dataclass
class Contesto:
    pratica: Pratica
    al: dt.date
    soggetti: dict[str, tuple[int, Soggetto]] = field(default_factory=dict)
    membri: dict[str, int] = field(default_factory=dict)
    terzi: dict[str, int] = field(default_factory=dict)
    data_costituzione: dt.date | None = None

    @classmethod
    def da_pratica(cls, p: Pratica, al: dt.date) -> "Contesto":
        c = cls(pratica=p, al=al)
        c.soggetti = {s.id: (i, s) for i, s in enumerate(p.soggetti)}
        c.membri = fatti.ids_membri_attivi(p, al)
        c.terzi = {t.soggetto: i for i, t in enumerate(p.produttori_terzi)}
        c.data_costituzione = data_costituzione(p)
        return c

    def soggetto(self, sid: str | None) -> Soggetto | None:
        x = self.soggetti.get(sid or "")
        return x[1] if x else None

    def path_soggetto(self, sid: str) -> str:
        x = self.soggetti.get(sid)
        return f"soggetti[{x[0]}]" if x else "soggetti"

    def nome(self, sid: str | None) -> str:
        s = self.soggetto(sid)
        return s.nome_completo if s else str(sid)


def data_costituzione(p: Pratica) -> dt.date | None:
    """Data certa di costituzione della CER: data dell'atto pubblico, altrimenti data di
    registrazione all'Agenzia delle Entrate (Regole Operative 2025, §2.4 di dominio)."""
    if p.comunita is None:
        return None
    atto = p.comunita.atto_costitutivo
    if atto.forma == "atto_pubblico":
        return atto.data
    if atto.registrazione is not None and atto.registrazione.data is not None:
        return atto.registrazione.data
    return None


def comune_di(s: Soggetto) -> str | None:
    luogo = s.luogo
    return luogo.comune.strip().casefold() if luogo and luogo.comune else None


def comuni_impianti(confs: list[Configurazione]) -> set[str]:
    return {imp.ubicazione.comune.strip().casefold() for c in confs for imp in c.impianti
            if imp.ubicazione and imp.ubicazione.comune}


def potenza_totale(impianti: list[Impianto]) -> Decimal:
    return sum((i.potenza_kw for i in impianti), Decimal(0))
