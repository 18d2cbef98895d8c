"""Calendario .ics: si rilegge con icalendar, UID stabili alla riesportazione, promemoria, fuso di Roma."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from icalendar import Calendar

from cer_docs.model import load_pratica
from cer_docs.practice import Fatto, build_ics, compute_scadenze, record_fatto

ROOT = Path(__file__).resolve().parents[2]
D = dt.date
AL = D(2027, 8, 10)
ADESSO = dt.datetime(2027, 8, 10, 9, 30, tzinfo=dt.timezone.utc)


@pytest.fixture
def pratica():
    p = load_pratica(ROOT / "samples" / "pratica-esempio.yaml")
    p = record_fatto(p, Fatto("entrata_esercizio", D(2027, 3, 10), "fv-bianchi"), AL).pratica
    return record_fatto(p, Fatto("mandato_firmato", D(2027, 4, 1)), AL).pratica


def _ics(pratica, al=AL, adesso=ADESSO) -> Calendar:
    dati = build_ics(pratica.pratica.id, pratica.denominazione, compute_scadenze(pratica, al), adesso)
    assert isinstance(dati, bytes) and dati.startswith(b"BEGIN:VCALENDAR\r\n")
    return Calendar.from_ical(dati)


def _uid(cal: Calendar) -> dict[str, object]:
    return {str(e["uid"]): e for e in cal.walk("VEVENT")}


def test_calendario_valido_con_fuso_e_promemoria(pratica):
    cal = _ics(pratica)
    assert str(cal["x-wr-timezone"]) == "Europe/Rome"
    assert [str(tz["tzid"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/Rome"]
    eventi = cal.walk("VEVENT")
    scadenze = compute_scadenze(pratica, AL)
    assert len(eventi) == len(scadenze) > 5
    per_codice = {}
    for e in eventi:
        inizio = e.decoded("dtstart")
        assert type(inizio) is dt.date, "le scadenze sono eventi di un giorno intero"
        assert e.decoded("dtend") == inizio + dt.timedelta(days=1)
        assert e.decoded("dtstamp") == ADESSO
        assert str(e["uid"]).endswith("@cer-docs")
        per_codice.setdefault(str(e["x-cer-docs-stato"]), []).append(e)
    # promemoria 30 e 7 giorni prima per le scadenze da fare; nessuno per quelle adempiute
    for e in per_codice["futura"]:
        trigger = sorted(a.decoded("trigger") for a in e.walk("VALARM"))
        assert trigger == [dt.timedelta(days=-30), dt.timedelta(days=-7)]
    for e in per_codice["adempiuta"]:
        assert not e.walk("VALARM")
    # il testo è italiano e completo
    d3 = next(e for e in eventi if "D3" in str(e["summary"]))
    testo = str(d3["description"])
    assert "Se non rispettata:" in testo and "Fonte: Regole Operative GSE 2024" in testo
    assert "10 marzo 2027" in testo and str(d3["x-cer-docs-stato"]) == "scaduta"


def test_uid_unici_e_stabili_alla_riesportazione(pratica):
    primo = _uid(_ics(pratica))
    assert len(primo) == len(compute_scadenze(pratica, AL)), "UID duplicati"
    # riesportazione in un altro momento: stessi UID
    assert set(_uid(_ics(pratica, adesso=ADESSO + dt.timedelta(days=3)))) == set(primo)
    # un fatto che sposta una scadenza (la data certa D12 segue l'entrata in esercizio reale): stesso UID, data nuova
    dopo = record_fatto(pratica, Fatto("entrata_esercizio", D(2027, 5, 20), "fv-municipio"), AL).pratica
    secondo = _uid(_ics(dopo))
    comuni = set(primo) & set(secondo)
    cambiati = [u for u in comuni if primo[u].decoded("dtstart") != secondo[u].decoded("dtstart")]
    assert cambiati, "la D12 del municipio doveva cambiare data mantenendo l'UID"
    assert set(primo) <= set(secondo)


def test_uid_non_dipendono_dall_ordine_degli_elenchi(pratica):
    primo = _uid(_ics(pratica))
    riordinata = pratica.model_copy(deep=True)
    riordinata.configurazioni[0].impianti.reverse()
    riordinata.configurazioni[0].punti_connessione.reverse()
    assert set(_uid(_ics(riordinata))) == set(primo)


def test_testo_con_caratteri_speciali(pratica):
    p = pratica.model_copy(deep=True)
    p.comunita.denominazione = 'CER "Sole & Luna", <prova>; a\\b'
    cal = _ics(p)
    assert str(cal["x-wr-calname"]).endswith('CER "Sole & Luna", <prova>; a\\b')


def test_dtstamp_senza_fuso_rifiutato(pratica):
    with pytest.raises(ValueError):
        build_ics("x", "x", [], dt.datetime(2027, 1, 1))


def test_date_estreme_non_rompono_nulla(pratica):
    from cer_docs.practice import compute_stati

    p = pratica.model_copy(deep=True)
    p.configurazioni[0].impianti[0].data_entrata_esercizio = dt.date(9999, 12, 30)
    p.configurazioni[0].referente.mandato.data_firma = dt.date(9999, 1, 1)
    p.configurazioni[0].richiesta_accesso.data_invio = dt.date(9999, 12, 31)
    for al in (dt.date(1, 1, 1), dt.date(2026, 11, 22), dt.date.max):
        scadenze = compute_scadenze(p, al)
        compute_stati(p, al)
        cal = Calendar.from_ical(build_ics("x", "x", scadenze, ADESSO))
        assert len(cal.walk("VEVENT")) == len(scadenze)
