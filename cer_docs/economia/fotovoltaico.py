"""Produzione fotovoltaica oraria senza rete, con pvlib.

Metodo (documentato anche nel rapporto e in ``docs/simulazione-economica.md``):

1. **Meteo**: l'anno tipo PVGIS (SARAH3 + ERA5, 2005–2023) del sito 45° N 8° E che viaggia nel pacchetto.
   Per ogni ora UTC si calcola l'indice di serenità ``kt = GHI_PVGIS / GHI_cielo_sereno`` (modello di
   cielo sereno di Haurwitz: non chiede la torbidità di Linke né altri dati scaricati).
2. **Trasferimento al sito**: la radiazione globale orizzontale dell'impianto è ``kt × GHI_cielo_sereno``
   calcolata con la posizione del sole del sito (latitudine e longitudine dell'impianto o del capoluogo
   di regione). Il tempo meteorologico resta quello piemontese: per il Centro-Sud la stima è prudente.
3. **Scomposizione e trasposizione**: Erbs (diretta/diffusa), Hay-Davies sul piano dei moduli.
4. **Impianto**: PVWatts (coefficiente di temperatura −0,37 %/°C, temperatura di cella PVsyst, perdite di
   sistema 14 %, inverter al 96 %).

Errore misurato contro l'anno PVGIS nel suo stesso sito (1 kW, 30°, sud; riferimento = stessa catena
con la radiazione diretta e diffusa di PVGIS e il modello di Perez): annuo −1,9 %; mensile tra −4,5 %
(dicembre) e −1,0 % (aprile); errore quadratico medio orario 6,4 % della produzione oraria media; con
15° verso sud-est −4,1 % annuo, con 35° verso sud-ovest +1,8 %.
(``bench/bench_fotovoltaico.py`` lo ricalcola.)

Quando la producibilità annua dell'impianto è nota (``producibilita_kwh_kw``, dal progettista o da
PVGIS) la forma oraria si riscala a quel totale; un CSV orario di PVGIS scaricato per l'impianto
sostituisce tutto il metodo.
"""

from __future__ import annotations

import io
import warnings
from functools import lru_cache

import numpy as np
import pandas as pd

from .dati import Calendario, anno_tipo_pvgis

DESCRIZIONE_METODO = (
    "Meteo dell'anno tipo PVGIS (SARAH3 + ERA5, 2005–2023) di 45° N 8° E, che viaggia con il programma: per ogni "
    "ora l'indice di serenità (radiazione misurata / radiazione a cielo sereno, modello di Haurwitz) è applicato "
    "al cielo sereno del sito dell'impianto (coordinate dichiarate o capoluogo di regione); scomposizione Erbs, "
    "trasposizione Hay-Davies sul piano dei moduli, PVWatts con perdite di sistema del 14% e inverter al 96%. "
    "Nessun dato scaricato. Errore contro l'anno PVGIS nel suo sito (1 kW, 30°, sud): annuo −1,9%, mensile "
    "tra −4,5% e −1,0%, scarto quadratico medio orario 6,4%; con altri orientamenti l'errore annuo va da "
    "−4,1% (15°, sud-est) a +1,8% (35°, sud-ovest). Il tempo meteorologico resta quello piemontese: "
    "al Centro-Sud la stima è prudente (meno sole del vero); la producibilità dichiarata dell'impianto o un CSV "
    "orario di PVGIS la sostituiscono.")
PERDITE_SISTEMA = 0.14
EFFICIENZA_INVERTER = 0.96
COEFF_TEMPERATURA = -0.0037
KT_MASSIMO = 1.3
SOGLIA_CIELO_SERENO_W = 20.0


def _posizione(tempi: pd.DatetimeIndex, lat: float, lon: float):  # noqa: ANN202
    import pvlib

    return pvlib.solarposition.get_solarposition(tempi, lat, lon)


@lru_cache(maxsize=1)
def _kt_riferimento() -> np.ndarray:
    """Indice di serenità orario dell'anno tipo PVGIS, ordinato per (mese, giorno, ora UTC)."""
    import pvlib

    t = anno_tipo_pvgis()
    tempi = pd.DatetimeIndex(pd.to_datetime(dict(year=2023, month=t["mese"], day=t["giorno"], hour=t["ora_utc"]),
                                            utc=True)) + pd.Timedelta(minutes=30)
    sp = _posizione(tempi, t["latitudine"], t["longitudine"])
    cs = pvlib.clearsky.haurwitz(sp["apparent_zenith"])["ghi"].to_numpy()
    kt = np.where(cs > SOGLIA_CIELO_SERENO_W, t["ghi"] / np.where(cs > 0, cs, 1.0), 0.0)
    return np.clip(kt, 0.0, KT_MASSIMO)


def _indice_anno_tipo(cal: Calendario) -> np.ndarray:
    """Per ogni ora del calendario, la riga dell'anno tipo con lo stesso mese, giorno e ora UTC."""
    t = anno_tipo_pvgis()
    chiave_tipo = (t["mese"].astype(np.int64) * 31 + t["giorno"]) * 24 + t["ora_utc"]
    ordine = np.argsort(chiave_tipo)
    tempi = pd.to_datetime(cal.utc, unit="s", utc=True)
    giorno = np.where((tempi.month == 2) & (tempi.day == 29), 28, tempi.day)
    chiave = (tempi.month.to_numpy().astype(np.int64) * 31 + giorno) * 24 + tempi.hour.to_numpy()
    pos = np.searchsorted(chiave_tipo[ordine], chiave)
    return ordine[np.clip(pos, 0, len(ordine) - 1)]


def _catena(tempi: pd.DatetimeIndex, lat: float, lon: float, inclinazione: float, orientamento: float,
            ghi: np.ndarray, temperatura: np.ndarray, vento: np.ndarray) -> np.ndarray:
    import pvlib

    sp = _posizione(tempi, lat, lon)
    zen = sp["zenith"].to_numpy()
    ghi_s = pd.Series(ghi, index=tempi)
    scomp = pvlib.irradiance.erbs(ghi_s, sp["zenith"], tempi)
    dni_extra = pvlib.irradiance.get_extra_radiation(tempi)
    poa = pvlib.irradiance.get_total_irradiance(
        inclinazione, 180.0 + orientamento, sp["apparent_zenith"], sp["azimuth"],
        scomp["dni"], ghi_s, scomp["dhi"], dni_extra=dni_extra, model="haydavies")
    globale = np.nan_to_num(poa["poa_global"].to_numpy(), nan=0.0)
    globale[zen >= 90] = 0.0
    cella = pvlib.temperature.pvsyst_cell(globale, temperatura, vento)
    pdc = pvlib.pvsystem.pvwatts_dc(globale, cella, 1000.0, COEFF_TEMPERATURA)
    pac = pvlib.inverter.pvwatts(pdc * (1 - PERDITE_SISTEMA), 1000.0 / EFFICIENZA_INVERTER,
                                 eta_inv_nom=EFFICIENZA_INVERTER)
    return np.clip(np.asarray(pac, dtype=np.float64), 0, None) / 1000.0


@lru_cache(maxsize=64)
def _specifica(utc_bytes: bytes, lat: float, lon: float, inclinazione: float, orientamento: float) -> np.ndarray:
    utc = np.frombuffer(utc_bytes, dtype=np.int64)
    from .dati import calendario_ore

    cal = calendario_ore(utc)
    t = anno_tipo_pvgis()
    riga = _indice_anno_tipo(cal)
    tempi = pd.DatetimeIndex(pd.to_datetime(utc, unit="s", utc=True)) + pd.Timedelta(minutes=30)
    import pvlib

    cs = pvlib.clearsky.haurwitz(_posizione(tempi, lat, lon)["apparent_zenith"])["ghi"].to_numpy()
    ghi = _kt_riferimento()[riga] * cs
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return _catena(tempi, lat, lon, inclinazione, orientamento, ghi, t["temp_air"][riga], t["wind_speed"][riga])


def produzione_specifica(cal: Calendario, lat: float, lon: float, inclinazione: float = 30.0,
                         orientamento: float = 0.0) -> np.ndarray:
    """kWh prodotti in ogni ora del calendario da 1 kW di picco (orientamento 0 = sud, negativo = est)."""
    return _specifica(cal.utc.tobytes(), round(lat, 3), round(lon, 3), float(inclinazione), float(orientamento))


def produzione_riferimento_pvgis(inclinazione: float = 30.0, orientamento: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """(metodo, riferimento) per 1 kW nel sito PVGIS: per misurare l'errore del metodo (bench)."""
    import pvlib

    t = anno_tipo_pvgis()
    tempi = pd.DatetimeIndex(pd.to_datetime(dict(year=2023, month=t["mese"], day=t["giorno"], hour=t["ora_utc"]),
                                            utc=True)) + pd.Timedelta(minutes=30)
    lat, lon = t["latitudine"], t["longitudine"]
    sp = _posizione(tempi, lat, lon)
    cs = pvlib.clearsky.haurwitz(sp["apparent_zenith"])["ghi"].to_numpy()
    metodo = _catena(tempi, lat, lon, inclinazione, orientamento, _kt_riferimento() * cs, t["temp_air"], t["wind_speed"])
    poa = pvlib.irradiance.get_total_irradiance(
        inclinazione, 180.0 + orientamento, sp["apparent_zenith"], sp["azimuth"], pd.Series(t["dni"], index=tempi),
        pd.Series(t["ghi"], index=tempi), pd.Series(t["dhi"], index=tempi),
        dni_extra=pvlib.irradiance.get_extra_radiation(tempi),
        airmass=pvlib.atmosphere.get_relative_airmass(sp["apparent_zenith"]), model="perez")
    g = np.nan_to_num(poa["poa_global"].to_numpy(), nan=0.0)
    cella = pvlib.temperature.pvsyst_cell(g, t["temp_air"], t["wind_speed"])
    pdc = pvlib.pvsystem.pvwatts_dc(g, cella, 1000.0, COEFF_TEMPERATURA)
    rif = np.clip(np.asarray(pvlib.inverter.pvwatts(pdc * (1 - PERDITE_SISTEMA), 1000.0 / EFFICIENZA_INVERTER,
                                                    eta_inv_nom=EFFICIENZA_INVERTER)), 0, None) / 1000.0
    return metodo, rif


def _potenza_picco(meta: dict) -> float | None:
    """Potenza di picco (kW) del calcolo PVGIS: dai metadati JSON o dalla riga «Nominal power…» del CSV."""
    ingressi = (meta or {}).get("inputs", {})
    try:
        return float(ingressi["pv_module"]["peak_power"]["value"])
    except (KeyError, TypeError, ValueError):
        pass
    for chiave, valore in ingressi.items():
        if isinstance(chiave, str) and ("nominal power" in chiave.lower() or "peak power" in chiave.lower()):
            try:
                return float(str(valore).split()[0])
            except (ValueError, IndexError):
                return None
    return None


class ErrorePvgis(ValueError):
    """Il CSV di PVGIS non si può usare (messaggio italiano)."""


def da_pvgis_csv(contenuto: bytes, cal: Calendario, potenza_kw: float) -> np.ndarray:
    """kWh orari di un impianto da un CSV orario scaricato da PVGIS (strumento «Dati orari»).

    Con la colonna ``P`` (potenza in W calcolata da PVGIS per la potenza di picco indicata nel file) si
    riscala alla potenza dell'impianto; con le sole componenti sul piano si applica PVWatts. Se il file
    copre più anni, per ogni (mese, giorno, ora UTC) si prende la media degli anni.
    """
    import pvlib

    testo = contenuto.decode("utf-8-sig", errors="replace")
    formato = "json" if testo.lstrip().startswith("{") else "csv"
    try:
        dati, meta = pvlib.iotools.read_pvgis_hourly(io.StringIO(testo), pvgis_format=formato, map_variables=True)[:2]
    except Exception as e:  # noqa: BLE001 - il parser di pvlib solleva tipi diversi
        raise ErrorePvgis(f"il file non è un CSV (o JSON) orario di PVGIS leggibile ({e})") from None
    if len(dati) == 0:
        raise ErrorePvgis("il file di PVGIS non contiene ore")
    if "P" in dati:
        picco = _potenza_picco(meta)
        if picco is None:
            raise ErrorePvgis("il file di PVGIS ha la potenza «P» ma non la potenza di picco del calcolo")
        kwh = dati["P"].to_numpy(dtype=float) / 1000.0 * (potenza_kw / picco)
    elif "poa_global" in dati:
        cella = pvlib.temperature.pvsyst_cell(dati["poa_global"], dati.get("temp_air", 20.0), dati.get("wind_speed", 1.0))
        pdc = pvlib.pvsystem.pvwatts_dc(dati["poa_global"], cella, 1000.0, COEFF_TEMPERATURA)
        kwh = np.clip(np.asarray(pdc), 0, None) * (1 - PERDITE_SISTEMA) * EFFICIENZA_INVERTER / 1000.0 * potenza_kw
    else:
        raise ErrorePvgis("il CSV di PVGIS non ha né la potenza «P» né l'irraggiamento sul piano «G(i)»")
    tempi = pd.DatetimeIndex(dati.index).tz_convert("UTC") if dati.index.tz is not None else \
        pd.DatetimeIndex(dati.index).tz_localize("UTC")
    serie = pd.Series(np.asarray(kwh, dtype=float), index=tempi)
    chiave = (tempi.month * 31 + tempi.day) * 24 + tempi.hour
    media = serie.groupby(np.asarray(chiave)).mean()
    c = pd.to_datetime(cal.utc, unit="s", utc=True)
    giorno = np.where((c.month == 2) & (c.day == 29), 28, c.day)
    k = (c.month.to_numpy() * 31 + giorno) * 24 + c.hour.to_numpy()
    return media.reindex(k).fillna(0.0).to_numpy()
