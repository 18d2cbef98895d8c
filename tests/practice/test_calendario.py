"""Convenzione di calcolo dei termini: primo giorno escluso, fine mese, festivi per regime."""

from __future__ import annotations

import datetime as dt

import pytest

from cer_docs.practice.calendario import REGIME_GSE, REGIME_REGISTRO, festivo, termine_anni, termine_giorni, termine_mesi
from cer_docs.practice.testo import con_data
from cer_docs.rules.base import parametro

D = dt.date


def test_giorni_senza_contare_il_primo():
    t = termine_giorni(D(2027, 3, 10), 120)
    assert t.data == D(2027, 7, 8)
    assert "senza contare il primo giorno" in t.calcolo and "10 marzo 2027" in t.calcolo


@pytest.mark.parametrize("dal, mesi, atteso", [
    (D(2026, 1, 31), 1, D(2026, 2, 28)),     # febbraio non ha il 31: ultimo del mese
    (D(2027, 1, 31), 13, D(2028, 2, 29)),    # anno bisestile
    (D(2025, 5, 20), 24, D(2027, 5, 20)),
    (D(2024, 8, 31), 18, D(2026, 2, 28)),
])
def test_mesi_giorno_corrispondente_o_ultimo(dal, mesi, atteso):
    t = termine_mesi(dal, mesi)
    assert t.data == atteso
    if atteso.day != dal.day:
        assert "ultimo del mese" in t.calcolo


def test_anni_dal_29_febbraio():
    assert termine_anni(D(2024, 2, 29), 1).data == D(2025, 2, 28)
    assert termine_anni(D(2024, 2, 29), 4).data == D(2028, 2, 29)


def test_festivi_italiani():
    assert festivo(D(2025, 12, 8))       # Immacolata
    assert festivo(D(2027, 3, 29))       # lunedì dell'Angelo 2027
    assert festivo(D(2026, 6, 2))        # festa della Repubblica
    assert festivo(D(2025, 11, 9))       # domenica
    assert not festivo(D(2025, 11, 8))   # sabato: non è festivo
    assert not festivo(D(2025, 11, 10))


def test_registro_si_sposta_al_primo_giorno_non_festivo():
    # 25/12/2025 + 20 giorni = 14/01/2026 (mercoledì): nessuno spostamento
    assert termine_giorni(D(2025, 12, 25), 20, REGIME_REGISTRO).data == D(2026, 1, 14)
    # 18/11/2025 + 20 = 08/12/2025 (Immacolata) → 09/12/2025
    t = termine_giorni(D(2025, 11, 18), 20, REGIME_REGISTRO)
    assert t.data == D(2025, 12, 9) and t.prorogato
    assert "Immacolata" in t.calcolo and "primo giorno utile" in t.calcolo
    # 09/03/2027 + 20 = 29/03/2027 (Pasquetta) → 30/03/2027
    assert termine_giorni(D(2027, 3, 9), 20, REGIME_REGISTRO).data == D(2027, 3, 30)
    # sabato: la proroga del sabato non è applicata (fonte non censita, scelta prudente)
    assert termine_giorni(D(2025, 10, 19), 20, REGIME_REGISTRO).data == D(2025, 11, 8)


def test_termini_gse_non_si_spostano_e_la_regola_e_non_confermata():
    # 19/10/2025 + 21 = 09/11/2025, domenica: resta lì (prudenza), e lo si dice
    t = termine_giorni(D(2025, 10, 19), 21, REGIME_GSE)
    assert t.data == D(2025, 11, 9) and not t.prorogato and t.non_confermato
    assert parametro("termini_proroga_festivi").non_confermato
    # in un giorno feriale la regola di proroga non conta: nessuna incertezza
    assert not termine_giorni(D(2025, 10, 20), 21, REGIME_GSE).non_confermato


def test_date_nelle_frasi_con_elisione():
    assert con_data("il", D(2026, 3, 10)) == "il 10 marzo 2026"
    assert con_data("il", D(2026, 3, 8)) == "l'8 marzo 2026"
    assert con_data("dal", D(2025, 12, 11)) == "dall'11 dicembre 2025"
    assert con_data("del", D(2026, 5, 1)) == "del 1° maggio 2026"
