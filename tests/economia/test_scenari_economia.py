"""Scenari calcolati a mano per la simulazione economica (dominio.md §5 e «Aggiornamento dicembre 2026»).

Ogni test dice la proposizione che verifica; i numeri attesi sono scritti a mano nel test.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pytest

from cer_docs.economia.motore import (ImpiantoSim, IngressoConfigurazione, ParametriEconomici, calcola, fascia_di,
                                      percentuale_eccedente, ripartisci_per_anzianita, tariffa_oraria)
from cer_docs.economia.riparto import Avente, resti_maggiori, ripartisci
from cer_docs.economia.simulazione import _parametri, correzione_geografica
from cer_docs.rules.corrispettivi_gse import (corrispettivo_pnrr, corrispettivo_servizio_annuo,
                                              corrispettivo_verifica_preliminare)

AL = dt.date(2026, 12, 2)
PAR = _parametri(AL, "CER")


# --------------------------------------------------------------------------- fasce e tariffa

@pytest.mark.parametrize("kw, fascia", [(3, 1), (199.99, 1), (200, 1), (200.01, 2), (600, 2), (600.01, 3), (1000, 3)])
def test_le_soglie_di_potenza_sono_comprese_nella_fascia(kw, fascia):
    assert fascia_di(kw, PAR.fasce).numero == fascia


@pytest.mark.parametrize("kw, pz, attesa", [
    (200, 100, 120.0),   # prima fascia: min(120; 80 + 80) = 120
    (200, 160, 100.0),   # min(120; 80 + 20) = 100
    (200, 200, 80.0),    # prezzo sopra 180: solo la parte fissa
    (600, 100, 110.0),   # seconda fascia: min(110; 70 + 80)
    (600, 175, 75.0),    # 70 + 5
    (601, 100, 100.0),   # terza fascia: min(100; 60 + 80)
])
def test_tariffa_per_fascia_e_prezzo_zonale(kw, pz, attesa):
    assert tariffa_oraria(kw, 0.0, np.array([pz]), PAR)[0] == pytest.approx(attesa)


def test_correzione_geografica_fuori_dal_tetto():
    # Nord, prima fascia, Pz = 100: min(120; 160) + 10 = 130, non min(120; 160 + 10) = 120
    assert tariffa_oraria(100, 10.0, np.array([100.0]), PAR)[0] == pytest.approx(130.0)
    # Centro: esempio del dominio §5.2 (Pz 100 → 124, 150 → 114, 200 → 84)
    assert tariffa_oraria(100, 4.0, np.array([100.0, 150.0, 200.0]), PAR).tolist() == pytest.approx([124, 114, 84])


@pytest.mark.parametrize("fonte, zona, attesa", [
    ("fotovoltaico", "nord", 10.0), ("fotovoltaico", "centro", 4.0), ("fotovoltaico", "sud", 0.0),
    ("eolico", "nord", 0.0), ("idroelettrico", "centro", 0.0), ("biogas", "nord", 0.0),
])
def test_correzione_geografica_solo_per_il_fotovoltaico(fonte, zona, attesa):
    assert correzione_geografica(fonte, zona, AL) == attesa


# --------------------------------------------------------------------------- quota eccedentaria

def test_quota_eccedentaria_differenza_in_punti_percentuali():
    # condivisa 80 su immessa 100, soglia 55 → 25 punti (non (80 − 55)/80 = 31,25 %)
    assert percentuale_eccedente(80, 100, 55) == pytest.approx(25.0)
    assert percentuale_eccedente(50, 100, 55) == 0.0
    assert percentuale_eccedente(80, 100, 45) == pytest.approx(35.0)


def _ingresso(prelievi, esenti, immissioni, impianti, pz=100.0):
    prel = np.array(prelievi, dtype=float).reshape(len(prelievi), -1)
    imm = np.array(immissioni, dtype=float).reshape(len(immissioni), -1)
    return IngressoConfigurazione("c", prel, np.array(esenti), imm, impianti,
                                  np.full(imm.shape, pz), PAR)


def test_quota_eccedentaria_sulla_tariffa_annua_dell_insieme():
    # un impianto solo tariffa: immette 100 kWh in un'ora, i prelievi sono 80 → condivisa 80 (80 %)
    r = calcola(_ingresso([[80]], [False], [[100]], [ImpiantoSim("a", 100, (1,))]))
    assert r.eccedente_pct["solo_tariffa"] == pytest.approx(25.0)
    # tariffa: 80 kWh × 120 €/MWh = 9,60 €; eccedentaria = 25 % di 9,60 = 2,40 €
    assert r.tariffa_euro[0] == pytest.approx(9.60)
    assert r.quota_eccedentaria_euro == pytest.approx(2.40)


# --------------------------------------------------------------------------- anzianità e fattore F

def test_energia_condivisa_ai_piu_anziani_per_primi():
    cond = np.array([260.0, 120.0])
    imm = np.array([[100.0, 100.0], [150.0, 150.0], [50.0, 50.0]])
    # ordine d'anzianità: 2 (più vecchio), poi 0, poi 1
    out = ripartisci_per_anzianita(cond, imm, np.array([2, 0, 1]))
    assert out[:, 0].tolist() == [100.0, 110.0, 50.0]
    assert out[:, 1].tolist() == [70.0, 0.0, 50.0]


def test_esempio_gse_fattore_f_con_punto_esente():
    """dominio.md §5.4: UP1 100 kWh senza tariffa (il più anziano), UP2 150 con contributo (F = 0,5),
    UP3 50; prelievi 30, 80 (ente locale, esente), 150. Condivisa 260, incentivata 160: UP2 80 esenti
    + 70 ridotti, UP3 10. Centro, Pz = 100 → 124 €/MWh: 80 × 0,124 + 70 × 0,062 + 10 × 0,124 = 15,50 €."""
    impianti = [ImpiantoSim("UP1", 50, (1,), incentivato=False),
                ImpiantoSim("UP2", 100, (2,), fattore_f=0.5, correzione_euro_mwh=4.0),
                ImpiantoSim("UP3", 100, (3,), correzione_euro_mwh=4.0)]
    r = calcola(_ingresso([[30], [80], [150]], [False, True, False], [[100], [150], [50]], impianti))
    assert r.condivisa.sum() == 260
    assert r.incentivata.sum() == 160
    assert r.per_impianto[:, 0].tolist() == [100, 150, 10]
    assert r.tariffa_euro[1] == pytest.approx(80 * 0.124 + 70 * 0.062)
    assert r.tariffa_euro.sum() == pytest.approx(15.50)


# --------------------------------------------------------------------------- riparto al centesimo

def test_resti_maggiori_somma_esatta():
    assert resti_maggiori(10000, [1, 1, 1]) == [3334, 3333, 3333]
    assert sum(resti_maggiori(123457, [0.1, 0.2, 0.7, 1e-9])) == 123457
    assert resti_maggiori(100, [0, 0]) == [0, 0]


def test_riparto_categorie_e_membri_somma_al_centesimo():
    aventi = [Avente("a", "A", peso_consumo=1.0), Avente("b", "B", peso_consumo=1.0),
              Avente("c", "C", peso_consumo=1.0, impresa=True), Avente("p", "P", peso_produzione=7.0)]
    r = ripartisci(netto_cent=100001, eccedenza_cent=1000, percentuali={"spese_gestione": Decimal(12),
                   "produttori": Decimal(40), "consumatori": Decimal(38), "fondo_sociale": Decimal(10)},
                   aventi=aventi, terzi=[], eccedenza_ai_consumatori=True)
    totale = sum(sum(v.values()) for v in r.membri_cent.values()) + sum(r.comunita_cent.values())
    assert totale == 100001
    # eccedenza (10,00 €) solo ai consumatori non imprese: 5,00 € ciascuno
    assert r.membri_cent["a"]["eccedenza"] == 500 and "eccedenza" not in r.membri_cent["c"]
    # entro soglia 990,01 €: produttori 40 % = 396,00 (resti maggiori) → tutto a P
    assert r.membri_cent["p"]["produttori"] == r.categorie_cent["produttori"]
    assert sum(r.categorie_cent[k] for k in ("spese_gestione", "produttori", "consumatori", "fondo_sociale")) == 99001


# --------------------------------------------------------------------------- corrispettivi GSE (DM 106/2024)

@pytest.mark.parametrize("kw, euro", [(3, "0.00"), (3.01, "15.00"), (20, "15.00"), (21, "16.00"), (100, "95.00"),
                                      (200, "195.00"), (1000, "995.00")])
def test_corrispettivo_annuo_servizio_tariffa(kw, euro):
    assert corrispettivo_servizio_annuo(Decimal(str(kw)), AL) == Decimal(euro)


@pytest.mark.parametrize("kw, euro", [(20, "50.00"), (20.5, "450.00"), (200, "450.00"), (600, "1300.00"),
                                      (1000, "2300.00")])
def test_corrispettivo_pnrr_per_fascia(kw, euro):
    assert corrispettivo_pnrr(Decimal(str(kw)), AL) == Decimal(euro)


def test_corrispettivo_verifica_preliminare_e_assente_prima_del_decreto():
    assert corrispettivo_verifica_preliminare(AL) == Decimal("100.00")
    from cer_docs.rules.base import ParametroNonDefinito

    with pytest.raises(ParametroNonDefinito):
        corrispettivo_servizio_annuo(Decimal(10), dt.date(2024, 3, 14))
