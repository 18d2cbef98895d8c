"""Dati energetici che viaggiano nel pacchetto (``cer_docs/data/energia``) e il calendario orario.

Nessun accesso alla rete: profili ARERA, prezzi zonali orari, comuni con zona di mercato e zona di
correzione geografica, anno tipo PVGIS di un sito piemontese. Fonti e licenze nel README accanto ai
file. Tutto è letto una volta sola e tenuto in memoria.
"""

from __future__ import annotations

import csv
import gzip
import io
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd

FUSO = "Europe/Rome"
ZONE_MERCATO = ("CALA", "CNOR", "CSUD", "NORD", "SARD", "SICI", "SUD")


def _file(nome: str):  # noqa: ANN202
    return resources.files("cer_docs").joinpath("data", "energia", nome)


# --------------------------------------------------------------------------- calendario

@dataclass(frozen=True)
class Calendario:
    """Le ore simulate: inizio di ogni ora in UTC (secondi) e i suoi attributi di ora locale italiana."""

    utc: np.ndarray          # int64, secondi dall'epoca, inizio dell'ora
    mese: np.ndarray         # 1-12, ora locale
    giorno: np.ndarray       # 1-31
    ora: np.ndarray          # 0-23, ora dell'orologio locale
    tipo_giorno: np.ndarray  # 0 feriale, 1 sabato, 2 domenica o festivo
    giorno_anno: np.ndarray  # 0.. indice del giorno locale nel periodo

    @property
    def n(self) -> int:
        return len(self.utc)

    def indice(self) -> pd.DatetimeIndex:
        return pd.to_datetime(self.utc, unit="s", utc=True).tz_convert(FUSO)


def _da_istanti(utc: np.ndarray) -> Calendario:
    idx = pd.to_datetime(utc, unit="s", utc=True).tz_convert(FUSO)
    import holidays

    anni = sorted(set(idx.year))
    feste = holidays.country_holidays("IT", years=anni)
    date_locali = idx.date
    festivo = np.fromiter((d in feste for d in date_locali), dtype=bool, count=len(idx))
    dow = idx.day_of_week.values
    tipo = np.where(festivo | (dow == 6), 2, np.where(dow == 5, 1, 0)).astype(np.int8)
    giorni = pd.factorize(pd.Index(date_locali))[0]
    return Calendario(utc=np.asarray(utc, dtype=np.int64), mese=idx.month.values.astype(np.int8),
                      giorno=idx.day.values.astype(np.int8), ora=idx.hour.values.astype(np.int8),
                      tipo_giorno=tipo, giorno_anno=giorni.astype(np.int32))


@lru_cache(maxsize=8)
def calendario_anno(anno: int) -> Calendario:
    """Tutte le ore dell'anno civile italiano: 8760 (8784 se bisestile), con i giorni di 23 e 25 ore."""
    idx = pd.date_range(f"{anno}-01-01", f"{anno + 1}-01-01", tz=FUSO, freq="h", inclusive="left")
    return _da_istanti(idx.tz_convert("UTC").as_unit("s").asi8.astype(np.int64))


def calendario_ore(utc: np.ndarray) -> Calendario:
    """Calendario per ore qualsiasi (per esempio quelle misurate)."""
    return _da_istanti(np.asarray(utc, dtype=np.int64))


# --------------------------------------------------------------------------- comuni

def _chiave(testo: str | None) -> str:
    t = unicodedata.normalize("NFKD", (testo or "").strip().lower())
    t = "".join(c for c in t if not unicodedata.combining(c))
    return " ".join(t.replace("'", " ").replace("-", " ").split())


@dataclass(frozen=True)
class Comune:
    codice_istat: str
    comune: str
    provincia: str
    regione: str
    zona_mercato: str
    zona_correzione_geografica: str


@lru_cache(maxsize=1)
def _comuni() -> tuple[dict[tuple[str, str], Comune], dict[str, list[Comune]], dict[str, str]]:
    per_nome_prov: dict[tuple[str, str], Comune] = {}
    per_nome: dict[str, list[Comune]] = {}
    zona_regione: dict[str, str] = {}
    with gzip.open(io.BytesIO(_file("comuni.csv.gz").read_bytes()), "rt", encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            c = Comune(r["codice_istat"], r["comune"], r["provincia_sigla"], r["regione"], r["zona_mercato"],
                       r["zona_correzione_geografica"])
            per_nome_prov[(_chiave(c.comune), c.provincia.upper())] = c
            per_nome.setdefault(_chiave(c.comune), []).append(c)
            zona_regione[_chiave(c.regione)] = c.regione
    return per_nome_prov, per_nome, zona_regione


def trova_comune(nome: str | None, provincia: str | None = None) -> Comune | None:
    """Il comune per nome (senza badare ad accenti e maiuscole) e sigla di provincia, se data."""
    per_nome_prov, per_nome, _ = _comuni()
    if not nome:
        return None
    if provincia:
        c = per_nome_prov.get((_chiave(nome), provincia.strip().upper()))
        if c:
            return c
    trovati = per_nome.get(_chiave(nome), [])
    return trovati[0] if len(trovati) == 1 else None


def regione_normalizzata(nome: str | None) -> str | None:
    return _comuni()[2].get(_chiave(nome)) if nome else None


@lru_cache(maxsize=1)
def _regioni_info() -> dict[str, tuple[str, str, float, float]]:
    """regione → (zona di mercato, zona di correzione, lat, lon del capoluogo)."""
    zone: dict[str, tuple[str, str]] = {}
    for c in _comuni()[0].values():
        zone.setdefault(c.regione, (c.zona_mercato, c.zona_correzione_geografica))
    out = {}
    testo = _file("capoluoghi_regione.csv").read_text(encoding="utf-8")
    for r in csv.DictReader(io.StringIO(testo)):
        zm, zc = zone[r["regione"]]
        out[r["regione"]] = (zm, zc, float(r["latitudine"]), float(r["longitudine"]))
    return out


def info_regione(regione: str) -> tuple[str, str, float, float]:
    return _regioni_info()[regione]


# --------------------------------------------------------------------------- prezzi

@lru_cache(maxsize=1)
def _prezzi() -> tuple[np.ndarray, np.ndarray, list[str]]:
    with _file("prezzi_zonali.npz").open("rb") as f:
        d = np.load(f)
        return d["inizio_utc"].copy(), d["prezzi"].astype(np.float64), [str(c) for c in d["colonne"]]


@lru_cache(maxsize=1)
def _griglia_prezzi() -> np.ndarray:
    """Prezzi per (mese, giorno, ora locale, zona): la serie fornita ridisposta sul calendario civile.

    L'ora che manca nel giorno di 23 ore prende il valore dell'ora prima; nell'ora ripetuta del giorno
    di 25 ore vale la prima delle due. Il 29 febbraio prende il 28.
    """
    utc, prezzi, _ = _prezzi()
    cal = calendario_ore(utc)
    g = np.full((12, 31, 24, prezzi.shape[1]), np.nan)
    for i in range(len(utc) - 1, -1, -1):  # a ritroso: nell'ora doppia resta la prima
        g[cal.mese[i] - 1, cal.giorno[i] - 1, cal.ora[i]] = prezzi[i]
    g[1, 28] = g[1, 27]
    piatta = g.reshape(-1, prezzi.shape[1])
    for k in range(1, len(piatta)):
        if np.isnan(piatta[k]).any():
            piatta[k] = piatta[k - 1]
    return piatta.reshape(g.shape)


def prezzi_zonali(cal: Calendario, zona: str) -> np.ndarray:
    """Prezzo zonale orario (euro/MWh) della serie fornita, per le ore del calendario."""
    _, _, colonne = _prezzi()
    j = colonne.index(zona.lower())
    return _griglia_prezzi()[cal.mese - 1, cal.giorno - 1, cal.ora, j]


# --------------------------------------------------------------------------- profili ARERA

@lru_cache(maxsize=1)
def _profili() -> tuple[np.ndarray, np.ndarray, list[str], list[str]]:
    with _file("profili_arera.npz").open("rb") as f:
        d = np.load(f)
        return (d["kwh"].astype(np.float64), d["ripiego"].copy(), [str(x) for x in d["regioni"]],
                [str(x) for x in d["classi"]])


CLASSI_POTENZA = ("0<P<=1.5", "1.5<P<=3", "3<P<=4.5", "4.5<P<=6", "P>6")
LIMITI_CLASSI_KW = (1.5, 3.0, 4.5, 6.0)


def classe_potenza(potenza_kw: float | None) -> int:
    """Indice della classe ARERA per la potenza impegnata (3 kW, il contratto più comune, se manca)."""
    p = 3.0 if potenza_kw is None else float(potenza_kw)
    return int(np.searchsorted(np.array(LIMITI_CLASSI_KW), p, side="left"))


def profilo_domestico(cal: Calendario, regione: str, potenza_kw: float | None) -> tuple[np.ndarray, bool]:
    """Prelievo orario medio (kWh) di una famiglia ARERA; True se è servito un ripiego (dato mancante)."""
    kwh, ripiego, regioni, _ = _profili()
    i = regioni.index(regione)
    k = classe_potenza(potenza_kw)
    serie = kwh[i, k][cal.mese - 1, cal.tipo_giorno, cal.ora]
    return serie, bool(ripiego[i, k].any())


# --------------------------------------------------------------------------- PVGIS

@lru_cache(maxsize=1)
def anno_tipo_pvgis() -> dict[str, np.ndarray | float]:
    with _file("pvgis_tmy_45N_8E.npz").open("rb") as f:
        d = np.load(f)
        out: dict[str, np.ndarray | float] = {str(c): d["valori"][:, j].astype(np.float64)
                                              for j, c in enumerate(d["colonne"])}
        out.update(mese=d["mese"].copy(), giorno=d["giorno"].copy(), ora_utc=d["ora_utc"].copy(),
                   latitudine=float(d["latitudine"]), longitudine=float(d["longitudine"]),
                   altitudine=float(d["altitudine"]))
        return out
