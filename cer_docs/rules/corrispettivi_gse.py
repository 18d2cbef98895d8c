"""Corrispettivi dovuti al GSE (DM 106/2024): funzioni pure della potenza e della data ``al``.

* servizio per la tariffa incentivante, ogni anno, per impianto o UP: nulla fino a 3 kW, una quota
  fissa fino a 20 kW, oltre la stessa quota più un importo per ogni kW oltre i primi 20;
* contributo PNRR, una volta, per fascia di potenza dell'impianto;
* verifica preliminare di ammissibilità, una volta per richiesta.

Importi IVA esclusa, in ``Decimal`` al centesimo. I numeri stanno in ``params/corrispettivi_gse.yaml``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from cer_docs.model.pratica import Configurazione

from .base import param, rif

CENT = Decimal("0.01")


def _d(x: object) -> Decimal:
    return Decimal(str(x))


def corrispettivo_servizio_annuo(potenza_kw: Decimal | float, al: dt.date) -> Decimal:
    """Corrispettivo annuo del servizio per la tariffa incentivante di un impianto di questa potenza."""
    s = param("corrispettivi_gse", al)["servizio_tariffa"]
    p = _d(potenza_kw)
    if p <= _d(s["esente_fino_a_kw"]):
        return Decimal(0).quantize(CENT)
    euro = _d(s["fisso_euro_anno"])
    soglia = _d(s["variabile_oltre_kw"])
    if p > soglia:
        euro += (p - soglia) * _d(s["variabile_euro_kw_anno"])
    return euro.quantize(CENT, rounding=ROUND_HALF_UP)


def corrispettivo_pnrr(potenza_kw: Decimal | float, al: dt.date) -> Decimal | None:
    """Corrispettivo una tantum per il contributo PNRR; None oltre l'ultima fascia."""
    p = _d(potenza_kw)
    for f in param("corrispettivi_gse", al)["contributo_pnrr"]:
        if p <= _d(f["fino_a_kw"]):
            return _d(f["euro"]).quantize(CENT)
    return None


def corrispettivo_verifica_preliminare(al: dt.date) -> Decimal:
    return _d(param("corrispettivi_gse", al)["verifica_preliminare_euro"]).quantize(CENT)


@dataclass(frozen=True)
class CorrispettivoImpianto:
    impianto_id: str
    potenza_kw: Decimal
    servizio_annuo_euro: Decimal
    pnrr_una_tantum_euro: Decimal


@dataclass(frozen=True)
class CorrispettiviConfigurazione:
    configurazione_id: str
    impianti: tuple[CorrispettivoImpianto, ...]
    riferimento: str

    @property
    def annuo_euro(self) -> Decimal:
        return sum((i.servizio_annuo_euro for i in self.impianti), Decimal(0)).quantize(CENT)

    @property
    def una_tantum_euro(self) -> Decimal:
        return sum((i.pnrr_una_tantum_euro for i in self.impianti), Decimal(0)).quantize(CENT)


def corrispettivi_configurazione(conf: Configurazione, al: dt.date,
                                 incentivati: set[str] | None = None) -> CorrispettiviConfigurazione:
    """Corrispettivi GSE di ogni impianto della configurazione che riceve la tariffa (tutti se
    ``incentivati`` è None); il corrispettivo PNRR solo per gli impianti con il contributo."""
    righe = []
    for imp in conf.impianti:
        if incentivati is not None and imp.id not in incentivati:
            continue
        pnrr = corrispettivo_pnrr(imp.potenza_kw, al) if imp.contributo_pnrr is not None else None
        righe.append(CorrispettivoImpianto(imp.id, imp.potenza_kw, corrispettivo_servizio_annuo(imp.potenza_kw, al),
                                           pnrr if pnrr is not None else Decimal(0).quantize(CENT)))
    return CorrispettiviConfigurazione(conf.id, tuple(righe), rif("corrispettivi_gse", al))
