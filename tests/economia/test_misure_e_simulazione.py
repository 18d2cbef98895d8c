"""Misure del distributore (quarti d'ora, cambi d'ora) e simulazione della pratica intera."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from cer_docs.economia import dati
from cer_docs.economia.misure import ErroreMisure, leggi_misure, leggi_prezzi
from cer_docs.economia.simulazione import ErroreSimulazione, ImpiantoIpotetico, Opzioni, simula
from cer_docs.model import load_pratica

QUI = Path(__file__).resolve().parent
RADICE = QUI.parents[1]
PICCOLA = QUI / "fixtures" / "piccola.yaml"
ESEMPIO = RADICE / "samples" / "pratica-esempio.yaml"
ROMA = ZoneInfo("Europe/Rome")
POD_FV, POD_FAM, POD_DITTA = "IT001E00000001", "IT001E00000002", "IT001E00000003"


def _csv(righe: list[tuple[str, str, str, float]]) -> str:
    return "punto,tipo,inizio,kwh\n" + "".join(f"{p},{t},{i},{k}\n" for p, t, i, k in righe)


def _quarti(inizio: dt.datetime, valori: list[float]) -> list[tuple[str, float]]:
    return [((inizio + dt.timedelta(minutes=15 * q)).isoformat(), v) for q, v in enumerate(valori)]


# --------------------------------------------------------------------------- misure

def test_quarti_d_ora_sommati_all_ora_prima_del_minimo():
    """Immissione e prelievo alternati nei quarti d'ora: la somma dei minimi per quarto sarebbe 0, il
    minimo sull'ora (8 kWh immessi, 8 prelevati) è 8 kWh."""
    t0 = dt.datetime(2026, 6, 15, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    righe = [(POD_FV, "immissione", i, k) for i, k in _quarti(t0, [4, 0, 4, 0])]
    righe += [(POD_FAM, "prelievo", i, k) for i, k in _quarti(t0, [0, 4, 0, 4])]
    m = leggi_misure(_csv(righe))
    assert m.risoluzione_minuti == 15 and len(m.ore) == 1
    assert m.immissione[POD_FV].tolist() == [8.0] and m.prelievo[POD_FAM].tolist() == [8.0]
    s = simula(load_pratica(PICCOLA), Opzioni(anno=2026, misure=m))
    c = s.configurazioni[0]
    assert s.ore == 1 and c.energia_condivisa_kwh == pytest.approx(8.0)
    somma_minimi_quarti = sum(min(a, b) for a, b in zip([4, 0, 4, 0], [0, 4, 0, 4]))
    assert somma_minimi_quarti == 0


def test_giorno_di_23_ore_e_giorno_di_25_ore():
    righe = []
    for giorno, ore_attese in ((dt.date(2026, 3, 29), 23), (dt.date(2026, 10, 25), 25)):
        # mezzanotte locale in UTC; si avanza per istanti UTC, come fa il contatore
        inizio = dt.datetime(giorno.year, giorno.month, giorno.day, tzinfo=ROMA).astimezone(dt.timezone.utc)
        for h in range(ore_attese):
            locale = (inizio + dt.timedelta(hours=h)).astimezone(ROMA)
            assert locale.date() == giorno
            righe.append((POD_FAM, "prelievo", locale.isoformat(), 1.0))
            righe.append((POD_FV, "immissione", locale.isoformat(), 2.0))
    m = leggi_misure(_csv(righe))
    assert len(m.ore) == 48                      # 23 + 25 ore distinte, nessun buco né doppione
    cal = dati.calendario_ore(m.ore)
    assert np.bincount(cal.giorno_anno).tolist() == [23, 25]
    s = simula(load_pratica(PICCOLA), Opzioni(anno=2026, misure=m))
    assert s.ore == 48 and s.configurazioni[0].energia_condivisa_kwh == pytest.approx(48.0)
    # anno civile: 8760 ore con un giorno di 23 e uno di 25
    conteggi = np.bincount(dati.calendario_anno(2026).giorno_anno)
    assert len(conteggi) == 365 and sorted(set(conteggi)) == [23, 24, 25]


def test_ora_doppia_di_ottobre_non_si_confonde():
    m = leggi_misure(_csv([(POD_FAM, "prelievo", "2026-10-25T02:00:00+02:00", 1),
                           (POD_FAM, "prelievo", "2026-10-25T02:00:00+01:00", 2)]))
    assert m.prelievo[POD_FAM].tolist() == [1.0, 2.0]


@pytest.mark.parametrize("testo, parole", [
    ("punto,tipo,inizio\n", "kwh"),
    ("punto,tipo,inizio,kwh\nIT1,prelievo,2026-01-01T00:00:00,1\n", "scarto da UTC"),
    ("punto,tipo,inizio,kwh\nIT1,consumo,2026-01-01T00:00:00+01:00,1\n", "prelievo oppure immissione"),
    ("punto,tipo,inizio,kwh\nIT1,prelievo,2026-01-01T00:00:00+01:00,-1\n", "negativo"),
    ("punto,tipo,inizio,kwh\nIT1,prelievo,2026-01-01T00:00:00+01:00,1\nIT1,prelievo,2026-01-01T00:00:00+01:00,1\n",
     "ripetuta"),
    ("punto,tipo,inizio,kwh\nIT1,prelievo,ieri,1\n", "ISO 8601"),
])
def test_misure_errate_dicono_cosa_correggere(testo, parole):
    with pytest.raises(ErroreMisure, match=parole):
        leggi_misure(testo)


def test_scenario_di_prezzo_sostituisce_la_serie():
    t0 = dt.datetime(2026, 6, 15, 12, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    righe = [(POD_FV, "immissione", t0.isoformat(), 10.0), (POD_FAM, "prelievo", t0.isoformat(), 10.0)]
    m = leggi_misure(_csv(righe))
    prezzi = leggi_prezzi(f"inizio,prezzo_euro_mwh\n{t0.isoformat()},200\n")
    s = simula(load_pratica(PICCOLA), Opzioni(anno=2026, misure=m, prezzi=prezzi))
    imp = s.configurazioni[0].impianti[0]
    # Pz 200 ≥ 180: solo la parte fissa 80 + correzione Nord 10 = 90 €/MWh × 10 kWh = 0,90 €
    assert imp.tariffa_premio_euro == Decimal("0.90")
    with pytest.raises(ErroreSimulazione, match="non copre"):
        simula(load_pratica(PICCOLA), Opzioni(anno=2026, misure=m, prezzi=leggi_prezzi(
            "inizio,prezzo_euro_mwh\n2026-06-15T15:00:00+02:00,100\n")))


# --------------------------------------------------------------------------- pratica di riferimento

@pytest.fixture(scope="module")
def sim_esempio():
    return simula(load_pratica(ESEMPIO), Opzioni(anno=2027))


def test_pratica_di_riferimento_simulata(sim_esempio):
    s = sim_esempio
    assert s.ore == 8760
    c = s.configurazioni[0]
    assert 0 < c.energia_condivisa_kwh <= min(c.energia_immessa_kwh, c.energia_prelevata_kwh)
    # producibilità del fotovoltaico in Toscana con il metodo dichiarato: 1.200–1.450 kWh/kW
    kw = sum(i.potenza_kw for i in c.impianti)
    assert 1200 < c.energia_prodotta_kwh / kw < 1450
    per_id = {i.id: i for i in c.impianti}
    assert per_id["fv-mugello-terzo"].fascia == 1           # 200 kW esatti: prima fascia
    assert per_id["fv-cantina"].fattore_f > 0                # contributo PNRR → F
    # tariffa media: Centro, prima fascia, 80–120 + 4; F riduce quella del PNRR
    assert 84 <= per_id["fv-municipio"].tariffa_media_euro_mwh <= 124
    assert per_id["fv-cantina"].tariffa_media_euro_mwh < per_id["fv-municipio"].tariffa_media_euro_mwh
    # corrispettivi GSE annui: 40 kW → 35 €, 80 → 75, 6 → 15, 200 → 195
    assert c.corrispettivi_gse_euro == Decimal("320.00")
    assert c.corrispettivi_gse_una_tantum_euro == Decimal("450.00")   # PNRR, 80 kW


def test_riparto_della_pratica_somma_al_centesimo(sim_esempio):
    for c in sim_esempio.configurazioni:
        membri = sum((m.beneficio_euro for m in c.membri), Decimal(0))
        comunita = sum(c.comunita_euro.values(), Decimal(0))
        assert membri + comunita == c.beneficio_netto_euro
        assert c.beneficio_netto_euro == c.tariffa_premio_euro + c.valorizzazione_euro - c.corrispettivi_gse_euro
        assert sum(c.categorie_euro.values(), Decimal(0)) == c.beneficio_netto_euro
    nomi = {m.soggetto: m for m in sim_esempio.membri()}
    assert nomi["energia-verde-mugello"].categorie.get("produttori_terzi", 0) > 0   # produttore terzo, 30 %
    assert nomi["rossi-mario"].categorie.get("produttori") is None                  # solo consumatore


def test_what_if_impianto_e_famiglie_in_piu(sim_esempio):
    p = load_pratica(ESEMPIO)
    s = simula(p, Opzioni(anno=2027, famiglie_aggiunte=20))
    assert s.configurazioni[0].energia_condivisa_kwh > sim_esempio.configurazioni[0].energia_condivisa_kwh
    assert len(s.membri()) == len(sim_esempio.membri()) + 20
    s2 = simula(p, Opzioni(anno=2027, impianti_aggiunti=[ImpiantoIpotetico(potenza_kw=50, contributo_pnrr_pct=40)]))
    nuovo = s2.configurazioni[0].impianti[-1]
    assert nuovo.fattore_f == pytest.approx(0.5) and nuovo.energia_prodotta_kwh > 0
    assert len(p.configurazioni[0].impianti) == 4             # la pratica non cambia


def test_riparto_diverso_cambia_solo_le_quote(sim_esempio):
    p = load_pratica(ESEMPIO)
    s = simula(p, Opzioni(anno=2027, riparto={"consumatori": Decimal(100)}))
    assert s.beneficio_netto_euro == sim_esempio.beneficio_netto_euro
    assert s.categorie().get("produttori", Decimal(0)) == 0


def test_json_ha_le_voci_richieste(sim_esempio):
    d = sim_esempio.as_dict()
    c = d["configurazioni"][0]
    for k in ("energia_condivisa_kwh", "energia_immessa_kwh", "energia_prelevata_kwh", "tariffa_premio_euro",
              "valorizzazione_euro", "quota_eccedentaria_euro", "corrispettivi_gse_euro"):
        assert k in c
    assert all("beneficio_euro" in m for m in c["membri"])
    assert {"id", "energia_condivisa_kwh", "fascia", "tariffa_premio_euro"} <= set(c["impianti"][0])


def test_membro_receduto_non_riceve_e_non_conta():
    p = load_pratica(PICCOLA)
    p.membri[1].data_recesso = dt.date(2025, 12, 31)          # la famiglia è uscita prima del 2026
    s = simula(p, Opzioni(anno=2026))
    membri = {m.soggetto: m for m in s.configurazioni[0].membri}
    assert "fam" not in membri or membri["fam"].beneficio_euro == 0
    assert s.configurazioni[0].consumo_kwh == pytest.approx(20000, rel=1e-6)   # solo la ditta


def test_misure_di_punti_estranei_alla_pratica_segnalate():
    t0 = "2026-06-15T12:00:00+02:00"
    m = leggi_misure(_csv([(POD_FV, "immissione", t0, 5.0), ("it001e99999999", "prelievo", t0, 5.0)]))
    s = simula(load_pratica(PICCOLA), Opzioni(anno=2026, misure=m))
    assert any("IT001E99999999" in a for a in s.avvisi)
    assert s.configurazioni[0].energia_condivisa_kwh == 0


def test_testo_dell_utente_resta_testo_nel_rapporto():
    import io

    from pypdf import PdfReader

    from cer_docs.services import economia

    p = load_pratica(PICCOLA)
    p.soggetti[1].cognome = "Verdi <b>& {{ x }} **"
    p.comunita.denominazione = "CER <script>alert(1)</script> & soci"
    pdf = economia.rapporto_pdf(p, economia.Richiesta(anno=2026), dt.date(2026, 12, 2))
    testo = "\n".join(pg.extract_text() for pg in PdfReader(io.BytesIO(pdf)).pages)
    assert "Verdi <b>& {{ x }} **" in testo
    assert "CER <script>alert(1)</script> & soci" in testo


def test_quota_eccedentaria_della_pratica_ai_soli_consumatori_non_imprese():
    righe = []
    for h in range(6):
        t = f"2026-07-01T{10 + h:02d}:00:00+02:00"
        righe += [(POD_FV, "immissione", t, 20.0), (POD_FAM, "prelievo", t, 4.0), (POD_DITTA, "prelievo", t, 8.0)]
    s = simula(load_pratica(PICCOLA), Opzioni(anno=2026, misure=leggi_misure(_csv(righe))))
    c = s.configurazioni[0]
    # condivisa 72 su immessa 120 = 60 %: 60 − 55 = 5 punti percentuali della tariffa
    assert c.quota_eccedente_pct["solo_tariffa"] == pytest.approx(5.0)
    assert c.quota_eccedentaria_euro == (c.tariffa_premio_euro * Decimal("0.05")).quantize(Decimal("0.01"))
    membri = {m.soggetto: m for m in c.membri}
    assert membri["fam"].categorie["eccedenza"] == c.quota_eccedentaria_euro      # la ditta è un'impresa
    assert "eccedenza" not in membri["ditta"].categorie


def test_prezzi_quartorari_mediati_sull_ora():
    from cer_docs.services import economia

    t0 = dt.datetime(2026, 6, 15, 12, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    misure = _csv([(POD_FV, "immissione", t0.isoformat(), 10.0), (POD_FAM, "prelievo", t0.isoformat(), 10.0)])
    prezzi = "inizio,prezzo_euro_mwh\n" + "".join(
        f"{(t0 + dt.timedelta(minutes=15 * q)).isoformat()},{p}\n" for q, p in enumerate([100, 140, 160, 200]))
    s = economia.simulazione(load_pratica(PICCOLA), economia.Richiesta(anno=2026, misure=misure.encode(),
                                                                       prezzi=prezzi.encode()))
    # media 150 → min(120; 80 + 30) + 10 = 120 €/MWh × 10 kWh = 1,20 €
    assert s.configurazioni[0].impianti[0].tariffa_premio_euro == Decimal("1.20")
    assert "mediati sull'ora" in s.prezzi


def test_ipotesi_nella_configurazione_scelta():
    p = load_pratica(RADICE / "samples" / "cer-valle-due-cabine.yaml")
    s = simula(p, Opzioni(anno=2026, impianti_aggiunti=[ImpiantoIpotetico(potenza_kw=30, configurazione=1)],
                          famiglie_aggiunte=2, configurazione_famiglie=1))
    assert [i.id for i in s.configurazioni[1].impianti][-1] == "ipotesi-impianto-1"
    assert "ipotesi-impianto-1" not in [i.id for i in s.configurazioni[0].impianti]
    def con_prelievo(c):
        return {m.soggetto for m in c.membri if m.prelievo_condiviso_kwh > 0}
    assert {"ipotesi-famiglia-1", "ipotesi-famiglia-2"} <= con_prelievo(s.configurazioni[1])
    assert not {"ipotesi-famiglia-1", "ipotesi-famiglia-2"} & con_prelievo(s.configurazioni[0])
