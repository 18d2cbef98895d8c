"""Riparti calcolati a mano: arrotondamento, ingresso a metà anno, punto esente con impianto finanziato,
soglie 55 % e 45 %, produttore terzo, corrispettivi e costi."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from cer_docs.model.pratica import CostoComunita
from cer_docs.riparto.liquidazione import liquida

from .piccola import OGGI, con_incasso, misure, pratica

GEN = (dt.date(2026, 1, 1), dt.date(2026, 1, 31))
D = Decimal


def _somma_esatta(liq) -> None:  # noqa: ANN001
    totale = sum((q.importo_euro for q in liq.quote), D("0.00")) + sum(liq.comunita_euro.values(), D("0.00"))
    assert totale == liq.totale_euro
    assert liq.fondo_a_euro + liq.fondo_b_euro == liq.totale_euro


def test_totale_dispari_diviso_in_tre_al_centesimo():
    # 3 kW: nessun corrispettivo GSE (esente fino a 3 kW); tre consumatori con lo stesso prelievo;
    # 100,00 € / 3 = 33,333…: un centesimo in più al primo in elenco (resti uguali), somma esatta.
    # Condivisa/immessa = 3/10 = 30 %: sotto la soglia, nessuna quota eccedentaria.
    p = con_incasso(pratica(), "2026-01", "100.00")
    m = misure(*GEN, {"anna": 1, "bruno": 1, "ditta": 1}, immissione=10)
    liq = liquida(p, "2026-01", m, OGGI)
    assert liq.corrispettivi_gse_euro == D("0.00")
    assert [liq.quota(s).importo_euro for s in ("anna", "bruno", "ditta")] == [D("33.34"), D("33.33"), D("33.33")]
    assert liq.quota("prod").importo_euro == D("0.00") and liq.fondo_b_euro == D("0.00")
    _somma_esatta(liq)


@pytest.mark.parametrize("importo", ["0.01", "0.02", "999.99", "1234.57"])
def test_somme_esatte_con_totali_dispari(importo):
    p = con_incasso(pratica(), "2026-01", importo)
    m = misure(*GEN, {"anna": 1.3, "bruno": 0.7, "ditta": 2.9}, immissione=5)
    liq = liquida(p, "2026-01", m, OGGI)
    assert liq.totale_euro == D(importo)
    _somma_esatta(liq)


def test_membro_entrato_a_meta_anno_conta_i_suoi_giorni():
    # Bruno entra il 1° luglio 2026. Prelievi costanti di 1 kWh/ora, immissione abbondante: ogni kWh
    # prelevato è condiviso. Anna: 8.760 ore; Bruno: 184 giorni = 4.416 ore + 1 (il 25 ottobre ha 25 ore)
    # = 4.417 ore. 1.000,00 € × 8.760 / 13.177 = 664,7947… ; × 4.417 / 13.177 = 335,2053… → resti maggiori:
    # Anna 664,79, Bruno 335,21.
    def entra(d):  # noqa: ANN001, ANN202
        d["membri"][2]["data_adesione"] = "2026-07-01"
        d["membri"] = d["membri"][:3]
    p = con_incasso(pratica(entra), "2026-06", "1000.00")
    m = misure(dt.date(2026, 1, 1), dt.date(2026, 12, 31), {"anna": 1, "bruno": 1}, immissione=5)
    liq = liquida(p, "2026", m, OGGI)
    anna, bruno = liq.quota("anna"), liq.quota("bruno")
    assert anna.prelievo_condiviso_kwh == pytest.approx(8760)
    assert bruno.prelievo_condiviso_kwh == pytest.approx(4417)
    assert (anna.importo_euro, bruno.importo_euro) == (D("664.79"), D("335.21"))
    assert (anna.giorni_attivi, bruno.giorni_attivi, bruno.giorni_periodo) == (365, 184, 365)
    assert [r["mese"] for r in bruno.mensile][:1] == ["2026-01"] and bruno.mensile[0]["prelievo_kwh"] == 0
    _somma_esatta(liq)


def test_membro_uscito_non_conta_dopo_il_recesso():
    def esce(d):  # noqa: ANN001, ANN202
        d["membri"][1]["data_recesso"] = "2026-01-11"     # Anna attiva dal 1° al 10 gennaio: 240 ore
    p = con_incasso(pratica(esce), "2026-01", "100.00")
    m = misure(*GEN, {"anna": 1, "bruno": 1}, immissione=5)
    liq = liquida(p, "2026-01", m, OGGI)
    # Anna 240 kWh, Bruno 744 kWh: 100 × 240/984 = 24,39…; 100 × 744/984 = 75,60…
    assert liq.quota("anna").prelievo_condiviso_kwh == pytest.approx(240)
    assert (liq.quota("anna").importo_euro, liq.quota("bruno").importo_euro) == (D("24.39"), D("75.61"))
    assert liq.quota("anna").giorni_attivi == 10


def _con_contributo(d):  # noqa: ANN001, ANN202
    # 3 kW con 1.800 € di contributo: 600 €/kW su 1.500 €/kW di costo massimo = 40 % → F = 0,5
    d["configurazioni"][0]["impianti"][0]["contributo_pnrr"] = {"spesa_ammissibile_euro": 4500.00,
                                                               "contributo_richiesto_euro": 1800.00}


def test_punto_esente_con_impianto_finanziato():
    # Anna (persona fisica, esente da F dal 26/06/2025) e la Ditta (impresa, non esente) prelevano 1 kWh
    # ciascuna ogni ora. Con F = 0,5: tariffa = Σ t_h × (1 esente + 1 × 0,5) = 1,5 Σ t_h. Se anche Anna
    # fosse un'impresa: Σ t_h × (2 × 0,5) = 1 Σ t_h. Il rapporto fatto a mano è 1,5.
    m = misure(*GEN, {"anna": 1, "ditta": 1}, immissione=5)
    con_esente = liquida(pratica(_con_contributo), "2026-01", m, OGGI)

    def tutti_imprese(d):  # noqa: ANN001, ANN202
        _con_contributo(d)
        d["soggetti"][1] = {"id": "anna", "tipo": "impresa", "denominazione": "Anna S.r.l."}
    senza = liquida(pratica(tutti_imprese), "2026-01", m, OGGI)
    imp = con_esente.simulazione.configurazioni[0].impianti[0]
    assert imp.fattore_f == pytest.approx(0.5)
    tip_esente = con_esente.simulazione.configurazioni[0].tariffa_premio_euro
    tip_senza = senza.simulazione.configurazioni[0].tariffa_premio_euro
    assert tip_esente > 0
    assert float(tip_esente) / float(tip_senza) == pytest.approx(1.5, abs=0.002)
    # senza incassi il riparto è una stima dell'atteso, dichiarata
    assert con_esente.stimato and any(a.codice == "RIP-SENZA-INCASSI" for a in con_esente.avvisi)


@pytest.mark.parametrize("finanziato, prelievo, punti", [
    (False, 8.0, 25.0),     # 80 % − 55 % = 25 punti
    (True, 8.0, 35.0),      # 80 % − 45 % = 35 punti
    (False, 5.5, 0.0),      # esattamente 55 %: nessuna eccedenza
    (True, 4.5, 0.0),       # esattamente 45 %
])
def test_quota_eccedentaria_oltre_le_soglie_e_fondo_b(finanziato, prelievo, punti):
    # Immissione 10 kWh/ora, prelievi costanti: condivisa/immessa = prelievo/10. La quota eccedentaria è
    # la differenza in punti percentuali × la tariffa premio; va ai consumatori non imprese (fondo B).
    p = pratica(_con_contributo if finanziato else None)
    m = misure(*GEN, {"anna": prelievo / 2, "ditta": prelievo / 2}, immissione=10)
    stima = liquida(p, "2026-01", m, OGGI)
    c = stima.simulazione.configurazioni[0]
    atteso_ecc = (c.tariffa_premio_euro * D(str(punti)) / 100).quantize(D("0.01"))
    assert abs(c.quota_eccedentaria_euro - atteso_ecc) <= D("0.01")
    # il GSE paga esattamente l'atteso, in tariffa premio e valorizzazione
    p2 = con_incasso(con_incasso(p, "2026-01", str(c.tariffa_premio_euro), "tariffa_premio"),
                     "2026-01", str(c.valorizzazione_euro), "valorizzazione")
    liq = liquida(p2, "2026-01", m, OGGI)
    assert liq.fondo_b_euro == c.quota_eccedentaria_euro
    assert liq.quota("ditta").fondo_b_euro == D("0.00")          # l'impresa non riceve l'eccedenza
    assert liq.quota("anna").fondo_b_euro == liq.fondo_b_euro
    _somma_esatta(liq)


def test_quota_eccedentaria_pagata_dal_gse_prevale_sulla_stima():
    p = con_incasso(con_incasso(pratica(), "2026-01", "80.00", "tariffa_premio"), "2026-01", "20.00",
                    "quota_eccedentaria")
    m = misure(*GEN, {"anna": 4, "ditta": 4}, immissione=10)
    liq = liquida(p, "2026-01", m, OGGI)
    assert (liq.totale_euro, liq.fondo_b_euro, liq.fondo_a_euro) == (D("100.00"), D("20.00"), D("80.00"))
    assert liq.quota("anna").fondo_b_euro == D("20.00")
    assert liq.quota("anna").fondo_a_euro == D("40.00") and liq.quota("ditta").importo_euro == D("40.00")


def _terzo(d):  # noqa: ANN001, ANN202
    d["soggetti"].append({"id": "terzo", "tipo": "impresa", "denominazione": "Sole Terzo S.p.A.",
                          "iban": "IT60X0542811101000000123456"})
    d["configurazioni"][0]["impianti"][0]["produttore"] = "terzo"
    d["configurazioni"][0]["punti_connessione"][0]["soggetto"] = "terzo"
    d["membri"] = d["membri"][1:]
    d["produttori_terzi"] = [{"soggetto": "terzo", "impianti": ["fv1"], "quota_incentivo_pct": 30}]


@pytest.mark.parametrize("frazione", [D("1"), D("0.5")])
def test_quota_del_produttore_terzo(frazione):
    # Il terzo ha pattuito il 30 % del beneficio del suo impianto (tariffa + valorizzazione). Se il GSE paga
    # l'atteso riceve il 30 % dell'atteso; se paga la metà, il 30 % della metà.
    p = pratica(_terzo)
    m = misure(*GEN, {"anna": 1, "bruno": 1}, immissione=5)
    atteso = liquida(p, "2026-01", m, OGGI).atteso_euro
    pagato = (atteso * frazione).quantize(D("0.01"))
    liq = liquida(con_incasso(p, "2026-01", str(pagato)), "2026-01", m, OGGI)
    terzo = liq.quota("terzo")
    assert terzo.produttore_terzo
    assert abs(terzo.importo_euro - (pagato * D("0.30")).quantize(D("0.01"))) <= D("0.01")
    assert liq.produttori_terzi_euro == terzo.importo_euro
    resto = liq.totale_euro - terzo.importo_euro
    assert liq.quota("anna").importo_euro + liq.quota("bruno").importo_euro == resto
    _somma_esatta(liq)


def test_corrispettivi_gse_e_costi_della_comunita_tolti_prima_del_riparto():
    # 100 kW: 15 € + 80 kW × 1 € = 95 €/anno (DM 106/2024); anno intero → 95,00; costi 10,00.
    def grande(d):  # noqa: ANN001, ANN202
        d["configurazioni"][0]["impianti"][0]["potenza_kw"] = 100
    p = con_incasso(pratica(grande), "2026-03", "1000.00")
    p.costi_comunita.append(CostoComunita(periodo="2026", descrizione="Commercialista", importo_euro=D("10.00")))
    m = misure(dt.date(2026, 1, 1), dt.date(2026, 12, 31), {"anna": 1}, immissione=5)
    liq = liquida(p, "2026", m, OGGI)
    assert liq.corrispettivi_gse_euro == D("95.00")
    assert liq.costi_euro == D("10.00")
    assert liq.totale_euro == D("895.00") == liq.quota("anna").importo_euro
