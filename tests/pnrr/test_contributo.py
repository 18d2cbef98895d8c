"""Contributo PNRR: importo, costi massimi per fascia ai bordi, anticipo per data, fattore F, esenzioni."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from cer_docs.pnrr.contributo import calcola_contributi, fascia_potenza, fattore_f
from cer_docs.rules.pnrr import costo_massimo_kw
from cer_docs.services import pnrr as svc

D = Decimal


def _cantina(pratica):
    return next(c for c in calcola_contributi(pratica, dt.date(2026, 1, 15)) if c.impianto_id == "fv-cantina")


def _con(pratica, *, potenza=None, spesa=None, richiesto=None, altri=None):
    imp = pratica.configurazioni[0].impianti[1]
    if potenza is not None:
        imp.potenza_kw = D(potenza)
    cp = imp.contributo_pnrr
    cp.spesa_ammissibile_euro = D(spesa) if spesa is not None else cp.spesa_ammissibile_euro
    cp.contributo_richiesto_euro = D(richiesto) if richiesto is not None else None
    cp.altri_contributi_euro = D(altri) if altri is not None else None
    return pratica


def test_cantina_36800(pratica):
    c = _cantina(pratica)
    assert c.potenza_kw == D("80.0")
    assert c.costo_massimo_kw == D(1200) and c.spesa_massima == D("96000.00")
    assert c.base_calcolo == D("92000.00")
    assert c.contributo_massimo == D("36800.00") and c.contributo == D("36800.00")
    assert c.fascia == "oltre 20 e fino a 200 kW"
    assert not [r for r in c.rilievi if r.gravita == "errore"]


@pytest.mark.parametrize("kw, euro_kw", [
    ("0.5", 1500), ("20", 1500), ("20.01", 1200), ("200", 1200), ("200.01", 1100),
    ("600", 1100), ("600.01", 1050), ("1000", 1050),
])
def test_costo_massimo_ai_bordi_delle_fasce(kw, euro_kw):
    assert costo_massimo_kw(D(kw), dt.date(2025, 3, 1)) == D(euro_kw)


def test_oltre_1_mw_niente_contributo(pratica):
    assert costo_massimo_kw(D("1000.01"), dt.date(2025, 3, 1)) is None
    c = next(x for x in calcola_contributi(_con(pratica, potenza="1000.01"), dt.date(2026, 1, 1))
             if x.impianto_id == "fv-cantina")
    assert c.contributo is None
    assert [r.codice for r in c.rilievi if r.gravita == "errore"] == ["PNRR_POTENZA"]


@pytest.mark.parametrize("kw, spesa, atteso", [
    ("20", "40000.00", "12000.00"),       # 40 % × min(40.000, 1.500 × 20 = 30.000)
    ("20.01", "40000.00", "9604.80"),     # 40 % × min(40.000, 1.200 × 20,01 = 24.012)
    ("200", "300000.00", "96000.00"),     # 40 % × 240.000
    ("200.01", "300000.00", "88004.40"),  # 40 % × 1.100 × 200,01
])
def test_contributo_ai_bordi(pratica, kw, spesa, atteso):
    c = next(x for x in calcola_contributi(_con(pratica, potenza=kw, spesa=spesa), dt.date(2026, 1, 1))
             if x.impianto_id == "fv-cantina")
    assert c.contributo_massimo == D(atteso)
    assert any(r.codice == "PNRR_SPESA_OLTRE_COSTO_MASSIMO" for r in c.rilievi)


def test_fasce_in_parole():
    al = dt.date(2025, 1, 1)
    assert fascia_potenza(D(20), al) == "fino a 20 kW"
    assert fascia_potenza(D("200.01"), al) == "oltre 200 e fino a 600 kW"


@pytest.mark.parametrize("al, pct, importo", [
    (dt.date(2025, 6, 25), 10, "3680.00"),   # Regole Operative 2024
    (dt.date(2025, 6, 26), 30, "11040.00"),  # DM 127/2025 in vigore dal 26/06/2025
])
def test_anticipo_10_poi_30(pratica, al, pct, importo):
    c = next(x for x in calcola_contributi(pratica, al) if x.impianto_id == "fv-cantina")
    assert c.anticipo_massimo_pct == pct
    op = c.opzioni_erogazione[0]
    assert op.codice == "anticipo_e_saldo"
    assert [r.importo for r in op.rate] == [D(importo), D("36800.00") - D(importo)]
    assert [o.codice for o in c.opzioni_erogazione] == ["anticipo_e_saldo", "saldo_unico"]


def test_quota_intermedia_solo_oltre_200_kw(pratica):
    al = dt.date(2025, 7, 1)
    a200 = next(x for x in calcola_contributi(_con(pratica, potenza="200", spesa="240000.00"), al)
                if x.impianto_id == "fv-cantina")
    assert [o.codice for o in a200.opzioni_erogazione] == ["anticipo_e_saldo", "saldo_unico"]
    oltre = next(x for x in calcola_contributi(_con(pratica, potenza="200.01", spesa="220011.00"), al)
                 if x.impianto_id == "fv-cantina")
    codici = [o.codice for o in oltre.opzioni_erogazione]
    assert codici == ["anticipo_e_saldo", "intermedia_e_saldo", "saldo_unico"]
    intermedia = oltre.opzioni_erogazione[1].rate[0]
    assert intermedia.quota_pct == 40 and intermedia.importo == (oltre.contributo * D("0.4")).quantize(D("0.01"))


def test_cumulo_con_altri_contributi(pratica):
    c = next(x for x in calcola_contributi(_con(pratica, altri="10000.00"), dt.date(2026, 1, 1))
             if x.impianto_id == "fv-cantina")
    assert c.contributo_massimo == D("26800.00")
    assert any(r.codice == "PNRR_CUMULO" for r in c.rilievi)
    # l'intensità per il fattore F conta tutti i contributi in conto capitale
    assert c.intensita_pct == D("38.33")


def test_richiesto_oltre_il_massimo(pratica):
    c = next(x for x in calcola_contributi(_con(pratica, richiesto="40000.00"), dt.date(2026, 1, 1))
             if x.impianto_id == "fv-cantina")
    assert c.contributo == D("36800.00")
    assert [r.codice for r in c.rilievi if r.gravita == "errore"] == ["PNRR_CONTRIBUTO_MASSIMO"]


def test_fattore_f_lineare():
    al = dt.date(2025, 1, 1)
    assert fattore_f(D(0), D(80), D(1200), al) == (D("0.00"), D("0.0000"))
    # 40 % del costo massimo di riferimento → F = 0,5
    assert fattore_f(D("38400"), D(80), D(1200), al) == (D("40.00"), D("0.5000"))
    # metà intensità → metà F
    assert fattore_f(D("19200"), D(80), D(1200), al) == (D("20.00"), D("0.2500"))
    # oltre il 40 % F resta 0,5
    assert fattore_f(D("60000"), D(80), D(1200), al)[1] == D("0.5000")


def test_fattore_f_cantina(pratica):
    c = _cantina(pratica)
    # 36.800 € / 80 kW = 460 €/kW su 1.200 €/kW = 38,33 % → F = 0,5 × 38,33 / 40
    assert c.intensita_pct == D("38.33")
    assert c.fattore_f == D("0.4792")


def test_persone_fisiche_esenti_dal_dm_127(pratica):
    prima = next(x for x in calcola_contributi(pratica, dt.date(2025, 6, 25)) if x.impianto_id == "fv-cantina")
    dopo = next(x for x in calcola_contributi(pratica, dt.date(2025, 6, 26)) if x.impianto_id == "fv-cantina")
    tipi_prima = {p.tipo for p in prima.punti_esenti}
    tipi_dopo = {p.tipo for p in dopo.punti_esenti}
    assert "persona_fisica" not in tipi_prima and {"ente_territoriale", "ente_religioso"} <= tipi_prima
    assert "persona_fisica" in tipi_dopo
    assert {p.soggetto for p in dopo.punti_esenti} >= {"Mario Rossi", "Giulia Bianchi"}
    assert "Il Poggio Società Agricola S.r.l." not in {p.soggetto for p in dopo.punti_esenti}


def test_avviso_nuove_regole_dopo_dl_19_2026(pratica):
    prima = next(x for x in calcola_contributi(pratica, dt.date(2026, 2, 19)) if x.impianto_id == "fv-cantina")
    dopo = next(x for x in calcola_contributi(pratica, dt.date(2026, 2, 20)) if x.impianto_id == "fv-cantina")
    assert not any(r.codice == "PNRR_EROGAZIONI_NUOVE_REGOLE" for r in prima.rilievi)
    assert any(r.codice == "PNRR_EROGAZIONI_NUOVE_REGOLE" and r.gravita == "avviso" for r in dopo.rilievi)


def test_senza_spesa_si_usa_il_costo_massimo(pratica):
    pratica.configurazioni[0].impianti[1].contributo_pnrr.spesa_ammissibile_euro = None
    pratica.configurazioni[0].impianti[1].contributo_pnrr.contributo_richiesto_euro = None
    c = _cantina(pratica)
    assert c.contributo == D("38400.00")
    assert any(r.codice == "PNRR_SPESA_NON_INDICATA" for r in c.rilievi)


def test_servizio_data_non_coperta(pratica):
    with pytest.raises(svc.ErrorePnrr, match="24/01/2024"):
        svc.contributo(pratica, dt.date(2023, 12, 31))


def test_as_dict_serializzabile(pratica):
    import json

    d = _cantina(pratica).as_dict()
    testo = json.dumps(d, ensure_ascii=False)
    assert d["contributo"] == "36800.00" and "opzioni_erogazione" in d and "Regole Operative" in testo
