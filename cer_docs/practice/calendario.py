"""Convenzione di calcolo dei termini: giorni, mesi, anni e proroga dei festivi.

La convenzione è essa stessa una regola con la sua fonte (``rules/params/termini_computo.yaml``
e ``termini_proroga_festivi.yaml``): qui la si applica e basta.

* I giorni sono giorni di calendario e il giorno del fatto non si conta: 120 giorni dal
  10 marzo 2027 scadono l'8 luglio 2027 (art. 2963 c. 2 c.c.).
* Mesi e anni scadono nel giorno corrispondente del mese finale, o nell'ultimo giorno del mese
  se quel giorno manca: un mese dal 31 gennaio scade il 28 (o 29) febbraio (art. 2963 c. 4-5 c.c.).
* Un termine che cade di domenica o in un festivo nazionale si sposta al primo giorno utile solo
  per i regimi in cui la convenzione lo prevede (``regime``); il sabato solo se indicato.
  Le date fisse di legge (31/12/2027) e gli anniversari non si spostano mai: per loro non si
  passa da qui.

Ogni calcolo restituisce un ``Termine``: la data e la spiegazione in italiano di come è stata
ottenuta, da mostrare accanto alla scadenza.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

import holidays
from dateutil.relativedelta import relativedelta

from cer_docs.italiano import data_lunga
from cer_docs.practice.testo import con_data
from cer_docs.rules.base import in_vigore, leggi

__all__ = ["Termine", "TermineFuoriCalendario", "festivo", "giorno_utile", "termine_giorni", "termine_mesi", "termine_anni",
           "REGIME_GSE", "REGIME_REGISTRO"]

REGIME_GSE = "procedura_gse"
REGIME_REGISTRO = "registro"

_SABATO = calendar.SATURDAY
_DOMENICA = calendar.SUNDAY


class TermineFuoriCalendario(ValueError):
    """Il termine cadrebbe fuori dal calendario rappresentabile (oltre l'anno 9999): date di prova assurde."""


@dataclass(frozen=True)
class Termine:
    """Una data di scadenza con la spiegazione del calcolo."""

    data: dt.date
    calcolo: str
    prorogato: bool = False
    non_confermato: bool = False


@lru_cache(maxsize=None)
def _festivi(anno: int) -> holidays.HolidayBase:
    return holidays.Italy(years=anno, language="it_IT")


def festivo(d: dt.date) -> bool:
    """Domenica o festività nazionale italiana."""
    return d.weekday() == _DOMENICA or d in _festivi(d.year)


def nome_festivo(d: dt.date) -> str:
    if d in _festivi(d.year):
        return str(_festivi(d.year).get(d))
    if d.weekday() == _DOMENICA:
        return "domenica"
    if d.weekday() == _SABATO:
        return "sabato"
    return ""


def _convenzione(dal: dt.date) -> dict:
    """Convenzione di computo in vigore alla data del fatto; prima del codice civile non c'è regola
    (``ParametroNonInVigore``: il motore delle scadenze non produce quella scadenza)."""
    return leggi("termini_computo", dal).valore


def _proroga(regime: str | None, scadenza: dt.date) -> tuple[dict, bool]:
    """Regola di proroga del regime alla data di scadenza: ({festivi, sabato}, non_confermato)."""
    if regime is None:
        return {}, False
    lettura = in_vigore("termini_proroga_festivi", scadenza)
    if lettura is None:
        return {}, False
    return dict(lettura.valore.get(regime) or {}), lettura.non_confermato


def giorno_utile(d: dt.date, regime: str | None) -> tuple[dt.date, str]:
    """Sposta ``d`` al primo giorno utile se il regime lo prevede; restituisce la data e la spiegazione."""
    regola, _ = _proroga(regime, d)
    if not regola.get("festivi"):
        return d, ""

    def chiuso(x: dt.date) -> bool:
        return festivo(x) or (bool(regola.get("sabato")) and x.weekday() == _SABATO)

    if not chiuso(d):
        return d, ""
    motivo = nome_festivo(d)
    x = d
    while chiuso(x):
        x += dt.timedelta(days=1)
    return x, f"; cadeva {con_data('il', d)} ({motivo}) e passa al primo giorno utile, {data_lunga(x)}"


def _somma(dal: dt.date, delta) -> dt.date:
    try:
        return dal + delta
    except (OverflowError, ValueError):
        raise TermineFuoriCalendario(f"il termine che parte {con_data('dal', dal)} cade fuori dal calendario") from None


def _chiudi(fine: dt.date, spiegazione: str, regime: str | None) -> Termine:
    try:
        spostata, nota = giorno_utile(fine, regime)
    except (OverflowError, ValueError):
        raise TermineFuoriCalendario("il termine cade fuori dal calendario") from None
    _, incerto = _proroga(regime, fine)
    # la regola di proroga (non confermata) conta solo se il termine cade in un giorno non lavorativo
    conta = festivo(fine) or fine.weekday() == _SABATO
    return Termine(data=spostata, calcolo=spiegazione + nota, prorogato=spostata != fine,
                   non_confermato=incerto and conta)


def termine_giorni(dal: dt.date, giorni: int, regime: str | None = None) -> Termine:
    """``giorni`` giorni di calendario dal fatto del giorno ``dal``."""
    conv = _convenzione(dal)
    if conv.get("giorni") != "calendario":
        raise ValueError(f"convenzione dei giorni non gestita: {conv.get('giorni')!r}")
    if conv.get("giorno_iniziale") == "escluso":
        fine = _somma(dal, dt.timedelta(days=giorni))
        spiegazione = f"{giorni} giorni di calendario {con_data('dal', dal)}, senza contare il primo giorno"
    else:
        fine = _somma(dal, dt.timedelta(days=giorni - 1))
        spiegazione = f"{giorni} giorni di calendario {con_data('dal', dal)}, contando il primo giorno"
    return _chiudi(fine, spiegazione, regime)


def _aggiungi_mesi(dal: dt.date, mesi: int) -> dt.date:
    conv = _convenzione(dal)
    if conv.get("mesi_e_anni") != "giorno_corrispondente_o_ultimo_del_mese":
        raise ValueError(f"convenzione dei mesi non gestita: {conv.get('mesi_e_anni')!r}")
    # relativedelta porta al giorno corrispondente o, se manca, all'ultimo giorno del mese
    return _somma(dal, relativedelta(months=mesi))


def termine_mesi(dal: dt.date, mesi: int, regime: str | None = None) -> Termine:
    fine = _aggiungi_mesi(dal, mesi)
    nota = "" if fine.day == dal.day else " (quel giorno manca nel mese finale: vale l'ultimo del mese)"
    return _chiudi(fine, f"{mesi} mesi {con_data('dal', dal)}{nota}", regime)


def termine_anni(dal: dt.date, anni: int, regime: str | None = None) -> Termine:
    fine = _somma(dal, relativedelta(years=anni))
    _aggiungi_mesi(dal, 0)  # controlla che la convenzione sia quella gestita
    parola = "anno" if anni == 1 else "anni"
    nota = "" if fine.day == dal.day else " (il 29 febbraio manca: vale l'ultimo giorno del mese)"
    return _chiudi(fine, f"{anni} {parola} {con_data('dal', dal)}{nota}", regime)
