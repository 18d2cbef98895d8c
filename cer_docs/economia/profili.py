"""Profili orari di prelievo dei punti di connessione.

* abitazioni: profili ARERA per regione, classe di potenza, mese, tipo di giorno e ora (dati RSE);
* edifici pubblici, attività commerciali e produttive: forme standard dichiarate in
  ``profili_standard.yaml`` (ipotesi di modello, non dati pubblicati);
* illuminazione pubblica: accesa quando il sole è sotto l'orizzonte (posizione del sole con pvlib);
* consumo annuo o dodici consumi mensili dalle bollette riscalano la forma.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd
import yaml

from .dati import Calendario, profilo_domestico

# tipo di soggetto → profilo predefinito del suo punto
PROFILO_PER_TIPO = {
    "persona_fisica": "domestico", "condominio": "domestico",
    "impresa": "attivita_produttiva",
}
PAROLE_ILLUMINAZIONE = ("illuminazione", "lampion")
PAROLE_COMMERCIO = ("negozio", "bar", "ristorante", "bottega", "commerci", "alimentari")
PAROLE_IMPIANTO = ("impianto",)


@lru_cache(maxsize=1)
def standard() -> dict:
    return yaml.safe_load(resources.files("cer_docs.economia").joinpath("profili_standard.yaml").read_text("utf-8"))


def etichetta(profilo: str) -> str:
    return standard()["profili"][profilo]["etichetta"]


def profilo_predefinito(tipo_soggetto: str, uso: str | None) -> str:
    u = (uso or "").lower()
    if any(p in u for p in PAROLE_ILLUMINAZIONE):
        return "illuminazione_pubblica"
    if any(p in u for p in PAROLE_IMPIANTO):
        return "nessuno"
    if any(p in u for p in PAROLE_COMMERCIO):
        return "attivita_commerciale"
    return PROFILO_PER_TIPO.get(tipo_soggetto, "edificio_pubblico")


def _forma_standard(cal: Calendario, profilo: str) -> np.ndarray:
    d = standard()["profili"][profilo]
    pesi = np.array([d["feriale"], d["sabato"], d["domenica"]], dtype=np.float64)
    mesi = np.array(d["mesi"], dtype=np.float64)
    return pesi[cal.tipo_giorno, cal.ora] * mesi[cal.mese - 1]


def _forma_illuminazione(cal: Calendario, lat: float, lon: float) -> np.ndarray:
    import pvlib

    tempi = pd.DatetimeIndex(pd.to_datetime(cal.utc, unit="s", utc=True)) + pd.Timedelta(minutes=30)
    zen = pvlib.solarposition.get_solarposition(tempi, lat, lon)["apparent_zenith"].to_numpy()
    return (zen > 90.0).astype(np.float64)


def _riscala_mensile(serie: np.ndarray, cal: Calendario, mensili: list[float]) -> np.ndarray:
    out = serie.copy()
    for m in range(1, 13):
        sel = cal.mese == m
        s = serie[sel].sum()
        if sel.any():
            out[sel] = serie[sel] / s * mensili[m - 1] if s > 0 else mensili[m - 1] / sel.sum()
    return out


def prelievo_orario(cal: Calendario, profilo: str, *, regione: str, lat: float, lon: float,
                    potenza_kw: float | None = None, consumo_annuo_kwh: float | None = None,
                    consumi_mensili_kwh: list[float] | None = None) -> tuple[np.ndarray, list[str]]:
    """kWh per ora del calendario e le note sulle ipotesi usate (ripieghi, consumi stimati)."""
    note: list[str] = []
    if profilo == "nessuno":
        return np.zeros(cal.n), note
    if profilo == "domestico":
        serie, ripiego = profilo_domestico(cal, regione, potenza_kw)
        if ripiego:
            note.append(f"profilo ARERA incompleto per {regione}: usato quello di una classe, mese o regione vicina")
    elif profilo == "illuminazione_pubblica":
        serie = _forma_illuminazione(cal, lat, lon)
    else:
        serie = _forma_standard(cal, profilo)
    if consumi_mensili_kwh is not None:
        return _riscala_mensile(serie, cal, [float(x) for x in consumi_mensili_kwh]), note
    annuo = consumo_annuo_kwh if consumo_annuo_kwh is not None else standard()["profili"][profilo]["consumo_annuo_kwh"]
    if annuo is None:      # domestico senza consumo dichiarato: la famiglia media ARERA
        return serie, note
    # il consumo annuo vale per un anno intero: su un periodo più breve si riporta in proporzione
    quota_anno = cal.n / 8760.0
    s = serie.sum()
    return (serie / s * float(annuo) * quota_anno if s > 0 else np.zeros(cal.n)), note
