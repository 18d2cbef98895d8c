"""Calendario ``.ics`` (RFC 5545) delle scadenze di una pratica.

* Un evento di un giorno intero per scadenza (``DTSTART;VALUE=DATE``, fine il giorno dopo).
* UID stabile: pratica + codice della scadenza + identità dell'oggetto (fatta di id, non di
  posizioni negli elenchi). Reimportare il calendario aggiorna gli eventi invece di duplicarli.
* ``X-WR-TIMEZONE:Europe/Rome`` e il ``VTIMEZONE`` di Roma per i programmi che li vogliono.
* Promemoria (``VALARM``) 30 e 7 giorni prima per le scadenze ancora da fare.
* ``DTSTAMP`` è l'istante passato da chi esporta (i servizi): il modulo non legge l'orologio.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable

from icalendar import Alarm, Calendar, Event, Timezone

from cer_docs.italiano import data_lunga

from .scadenze import FINESTRA_IMMINENTE_GIORNI, Scadenza
from .testo import con_data

__all__ = ["PROMEMORIA_GIORNI", "FUSO", "uid_scadenza", "build_ics"]

FUSO = "Europe/Rome"
PRODID = "-//cer-docs//Scadenze delle pratiche CER//IT"
# Promemoria prima della scadenza: scelta di presentazione, non di legge.
PROMEMORIA_GIORNI = (FINESTRA_IMMINENTE_GIORNI, 7)
_DOMINIO_UID = "cer-docs"
_LUNGHEZZA_IMPRONTA = 16  # caratteri esadecimali dell'impronta nell'UID


def _slug(testo: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", testo.lower()).strip("-") or "x"


def uid_scadenza(id_pratica: str, s: Scadenza) -> str:
    """UID stabile e leggibile: ``<pratica>-<codice>-<impronta dell'oggetto>@cer-docs``."""
    impronta = hashlib.sha256(f"{id_pratica}\x1f{s.codice}\x1f{s.chiave or s.oggetto}".encode()).hexdigest()[:_LUNGHEZZA_IMPRONTA]
    return f"{_slug(id_pratica)}-{_slug(s.codice)}-{impronta}@{_DOMINIO_UID}"


_STATI = {"futura": "da fare", "imminente": "da fare, imminente", "scaduta": "scaduta", "adempiuta": "adempiuta"}


def _descrizione(s: Scadenza, denominazione: str) -> str:
    righe = [s.titolo, "", f"Pratica: {denominazione}", f"Riguarda: {s.nome_oggetto} ({s.oggetto})",
             f"Stato: {_STATI.get(s.stato, s.stato)}"
             + (f" (adempiuta {con_data('il', s.adempiuta_il)})" if s.adempiuta_il else ""),
             f"Nasce da: {s.fatto}", f"Calcolo: {s.calcolo}" if s.calcolo else "",
             f"Se non rispettata: {s.conseguenza}", f"Fonte: {s.riferimento}"]
    if s.decorrenza:
        righe.append(f"Decorrenza degli incentivi: {data_lunga(s.decorrenza)}")
    if s.non_confermato:
        righe.append("Attenzione: regola non confermata da una fonte primaria, da verificare.")
    return "\n".join(r for r in righe if r is not None)


def _vtimezone(primo: dt.date, ultimo: dt.date, oggi: dt.date) -> Timezone:
    """VTIMEZONE di Roma per gli anni delle scadenze (compatto, valido anche oltre il 2038).

    Con date assurde (anno 1, anno 9999) la libreria non riesce a calcolare le transizioni:
    allora basta l'anno dell'esportazione (gli eventi di un giorno intero non dipendono dal fuso).
    """
    try:
        fine = dt.date(ultimo.year + 1, 1, 1)
        return Timezone.from_tzid(FUSO, first_date=dt.date(primo.year, 1, 1), last_date=fine)
    except (OverflowError, ValueError):
        return Timezone.from_tzid(FUSO, first_date=dt.date(oggi.year, 1, 1), last_date=dt.date(oggi.year + 1, 1, 1))


def build_ics(id_pratica: str, denominazione: str, scadenze: Iterable[Scadenza], dtstamp: dt.datetime) -> bytes:
    """Il calendario delle scadenze come byte UTF-8 (righe CRLF, come vuole RFC 5545)."""
    if dtstamp.tzinfo is None:
        raise ValueError("dtstamp deve avere il fuso orario (UTC)")
    dtstamp = dtstamp.astimezone(dt.timezone.utc).replace(microsecond=0)
    elenco = list(scadenze)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"Scadenze – {denominazione}")
    cal.add("x-wr-caldesc", f"Scadenze della pratica {id_pratica} calcolate da cer-docs")
    cal.add("x-wr-timezone", FUSO)
    if elenco:
        primo = min(s.data for s in elenco)
        ultimo = max(s.data for s in elenco)
    else:
        primo = ultimo = dtstamp.date()
    # VTIMEZONE limitato agli anni delle scadenze (compatto, valido anche oltre il 2038)
    cal.add_component(_vtimezone(primo, ultimo, dtstamp.date()))
    for s in elenco:
        ev = Event()
        ev.add("uid", uid_scadenza(id_pratica, s))
        ev.add("dtstamp", dtstamp)
        ev.add("last-modified", dtstamp)
        ev.add("dtstart", s.data)
        if s.data < dt.date.max:  # senza DTEND un evento di un giorno intero dura comunque un giorno
            ev.add("dtend", s.data + dt.timedelta(days=1))
        prefisso = {"adempiuta": "✓ ", "scaduta": "⚠ "}.get(s.stato, "")
        ev.add("summary", f"{prefisso}{s.codice} · {s.titolo}")
        ev.add("description", _descrizione(s, denominazione))
        ev.add("categories", ["CER", s.codice])
        ev.add("transp", "TRANSPARENT")
        ev.add("status", "CONFIRMED")
        ev.add("x-cer-docs-stato", s.stato)
        ev.add("x-cer-docs-oggetto", s.oggetto)
        if s.stato in ("futura", "imminente"):
            for giorni in PROMEMORIA_GIORNI:
                al = Alarm()
                al.add("action", "DISPLAY")
                al.add("description", f"Tra {giorni} giorni: {s.codice} · {s.titolo}")
                al.add("trigger", dt.timedelta(days=-giorni))
                ev.add_component(al)
        cal.add_component(ev)
    return cal.to_ical()
