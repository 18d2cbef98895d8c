"""Profili di prelievo: ARERA sul calendario civile, bollette mensili, illuminazione pubblica, campi facoltativi."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from cer_docs.economia import dati, profili
from cer_docs.model import load_pratica
from cer_docs.model.io import dumps_yaml

QUI = Path(__file__).resolve().parent
CAL = dati.calendario_anno(2026)


def _giorno(mese: int, giorno: int) -> np.ndarray:
    return (CAL.mese == mese) & (CAL.giorno == giorno)


def test_profilo_arera_nei_giorni_di_23_e_25_ore():
    serie, _ = dati.profilo_domestico(CAL, "Lombardia", 3.0)
    # 29/03/2026 è domenica: manca l'ora 2; 25/10/2026 è domenica: l'ora 2 conta due volte
    kwh, _rip, regioni, _classi = dati._profili()
    dom = kwh[regioni.index("Lombardia"), 1, 2, 2]          # classe 1,5-3 kW, marzo, domenica
    assert serie[_giorno(3, 29)].sum() == pytest.approx(dom.sum() - dom[2])
    dom_ott = kwh[regioni.index("Lombardia"), 1, 9, 2]
    assert serie[_giorno(10, 25)].sum() == pytest.approx(dom_ott.sum() + dom_ott[2])


def test_classe_di_potenza_compresa_in_alto():
    assert dati.classe_potenza(3.0) == 1 and dati.classe_potenza(3.01) == 2
    assert dati.classe_potenza(6.0) == 3 and dati.classe_potenza(10) == 4    # oltre 6 kW: «P>6», non 4,5-6


def test_bollette_mensili_riscalano_ogni_mese():
    mensili = [100.0 * m for m in range(1, 13)]
    serie, _ = profili.prelievo_orario(CAL, "edificio_pubblico", regione="Toscana", lat=43.77, lon=11.26,
                                       consumi_mensili_kwh=mensili)
    for m in range(1, 13):
        assert serie[CAL.mese == m].sum() == pytest.approx(100.0 * m)


def test_illuminazione_pubblica_accesa_solo_di_notte():
    serie, _ = profili.prelievo_orario(CAL, "illuminazione_pubblica", regione="Toscana", lat=43.77, lon=11.26,
                                       consumo_annuo_kwh=8760)
    assert serie[_giorno(6, 21) & (CAL.ora == 13)].sum() == 0
    assert serie[_giorno(12, 21) & (CAL.ora == 23)].sum() > 0
    assert serie.sum() == pytest.approx(8760)


def test_regione_senza_profili_usa_il_ripiego_e_lo_dice():
    _serie, ripiego = dati.profilo_domestico(CAL, "Valle d'Aosta", 3.0)
    assert ripiego


def test_campi_della_simulazione_facoltativi_nel_file_pratica():
    piccola = dumps_yaml(load_pratica(QUI / "fixtures" / "piccola.yaml"))
    assert "consumo_annuo_kwh: 3000" in piccola and "profilo_consumo: nessuno" in piccola
    riferimento = dumps_yaml(load_pratica(QUI.parents[1] / "samples" / "pratica-esempio.yaml"))
    for campo in ("consumo_annuo_kwh", "profilo_consumo", "inclinazione_gradi", "producibilita_kwh_kw"):
        assert campo not in riferimento
