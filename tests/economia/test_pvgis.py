"""CSV orario di PVGIS scaricato dall'utente per un impianto: sostituisce la stima."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from cer_docs.economia import dati
from cer_docs.economia.fotovoltaico import ErrorePvgis, da_pvgis_csv
from cer_docs.economia.simulazione import ErroreSimulazione, Opzioni, simula
from cer_docs.model import load_pratica

PICCOLA = Path(__file__).resolve().parent / "fixtures" / "piccola.yaml"


def _csv_pvgis(anni: tuple[int, ...], watt_mezzogiorno: dict[int, float], picco_kw: float = 1.0) -> bytes:
    """Un file come quello di PVGIS «Dati orari» (seriescalc, con il calcolo FV): P in W alle 12:10 UTC."""
    righe = ["Latitude (decimal degrees):\t45.464", "Longitude (decimal degrees):\t9.190", "Elevation (m):\t122",
             "Radiation database:\tPVGIS-SARAH3", "", "Slope: 30 deg.", "Azimuth: 0 deg.",
             f"Nominal power of the PV system (c-Si) (kWp):\t{picco_kw}", "System losses (%):\t14.0", "",
             "time,P,G(i),H_sun,T2m,WS10m,Int"]
    for anno in anni:
        g = dt.date(anno, 1, 1)
        while g.year == anno:
            for h in range(24):
                p = watt_mezzogiorno[anno] if h == 12 else 0.0
                righe.append(f"{g:%Y%m%d}:{h:02d}10,{p},0.0,0.0,10.0,1.0,0")
            g += dt.timedelta(days=1)
    righe += ["", "P: PV system power (W)", "G(i): Global irradiance on the inclined plane (plane of the array) (W/m2)"]
    return ("\n".join(righe) + "\n").encode()


def test_pvgis_riscalato_alla_potenza_e_mediato_sugli_anni():
    cal = dati.calendario_anno(2026)
    kwh = da_pvgis_csv(_csv_pvgis((2019, 2021), {2019: 600.0, 2021: 1000.0}, picco_kw=2.0), cal, 10.0)
    # media 800 W per 2 kWp → 0,4 kW/kWp × 10 kW = 4 kWh alle 12 UTC di ogni giorno
    assert kwh.sum() == pytest.approx(365 * 4.0)
    assert kwh.max() == pytest.approx(4.0)


def test_simulazione_usa_il_pvgis_dell_impianto():
    csv = _csv_pvgis((2021,), {2021: 1000.0})
    s = simula(load_pratica(PICCOLA), Opzioni(anno=2026, pvgis={"fv1": csv}))
    imp = s.configurazioni[0].impianti[0]
    assert imp.metodo_produzione == "CSV orario PVGIS dell'impianto"
    assert imp.energia_prodotta_kwh == pytest.approx(365 * 100.0)     # 100 kW × 1 kWh/kWp a mezzogiorno


def test_pvgis_illeggibile():
    with pytest.raises(ErrorePvgis):
        da_pvgis_csv(b"non sono PVGIS", dati.calendario_anno(2026), 10.0)
    with pytest.raises((ErrorePvgis, ErroreSimulazione)):
        simula(load_pratica(PICCOLA), Opzioni(anno=2026, pvgis={"fv1": b"time,P\n"}))
