"""Misure orarie o quartorarie del distributore e scenari di prezzo, da CSV.

Misure: colonne ``punto`` (POD), ``tipo`` (``prelievo`` | ``immissione``), ``inizio`` (ISO 8601 con
scarto da UTC, per esempio ``2026-03-29T02:00:00+02:00``), ``kwh``. I valori quartorari si sommano
all'ora **prima** di ogni altro conto (l'energia condivisa è il minimo sull'ora, non la somma dei
minimi sui quarti d'ora). Le ore sono istanti UTC: i giorni di 23 e 25 ore non creano buchi né
doppioni. Scenario di prezzo: colonne ``inizio`` e ``prezzo_euro_mwh``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field

import numpy as np

ORA = 3600
TIPI = ("prelievo", "immissione")


class ErroreMisure(ValueError):
    """Il file non si può usare: il messaggio dice riga e campo, in italiano."""


def _testo(contenuto: bytes | str) -> str:
    if isinstance(contenuto, str):
        return contenuto
    try:
        return contenuto.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ErroreMisure("il file non è testo UTF-8: salvalo come CSV UTF-8") from None


def _lettore(testo: str, colonne: tuple[str, ...], cosa: str) -> csv.DictReader:
    prima = testo.splitlines()[0] if testo.strip() else ""
    sep = ";" if prima.count(";") > prima.count(",") else ","
    r = csv.DictReader(io.StringIO(testo), delimiter=sep)
    intest = [(c or "").strip().lower() for c in (r.fieldnames or [])]
    mancanti = [c for c in colonne if c not in intest]
    if mancanti:
        raise ErroreMisure(f"il file {cosa} non ha le colonne {', '.join(mancanti)} "
                           f"(servono: {', '.join(colonne)}; trovate: {', '.join(intest) or 'nessuna'})")
    r.fieldnames = intest
    return r


def _istante(valore: str, riga: int) -> int:
    try:
        t = dt.datetime.fromisoformat((valore or "").strip().replace("Z", "+00:00"))
    except ValueError:
        raise ErroreMisure(f"riga {riga}: «{valore}» non è una data e ora ISO 8601 "
                           "(esempio 2026-03-29T02:00:00+02:00)") from None
    if t.tzinfo is None or t.utcoffset() is None:
        raise ErroreMisure(f"riga {riga}: «{valore}» non dice lo scarto da UTC: aggiungi +01:00 (ora solare) "
                           "o +02:00 (ora legale), così le ore dei cambi d'ora non si confondono")
    return int(t.timestamp())


def _numero(valore: str, riga: int, campo: str) -> float:
    try:
        x = float((valore or "").strip().replace(",", "."))
    except ValueError:
        raise ErroreMisure(f"riga {riga}: {campo} «{valore}» non è un numero") from None
    if not np.isfinite(x):
        raise ErroreMisure(f"riga {riga}: {campo} «{valore}» non è un numero finito")
    return x


@dataclass
class Misure:
    """Energia oraria per punto: ``ore`` (istanti UTC d'inizio, ordinati) e una serie per POD e tipo."""

    ore: np.ndarray
    prelievo: dict[str, np.ndarray] = field(default_factory=dict)
    immissione: dict[str, np.ndarray] = field(default_factory=dict)
    ore_incomplete: int = 0          # ore con meno quarti d'ora del previsto
    risoluzione_minuti: int = 60

    def serie(self, tipo: str, pod: str) -> np.ndarray | None:
        return (self.prelievo if tipo == "prelievo" else self.immissione).get(pod.strip().upper())

    def punti(self) -> set[str]:
        return set(self.prelievo) | set(self.immissione)


def leggi_misure(contenuto: bytes | str) -> Misure:
    testo = _testo(contenuto)
    righe: list[tuple[str, str, int, float]] = []
    visti: set[tuple[str, str, int]] = set()
    for n, r in enumerate(_lettore(testo, ("punto", "tipo", "inizio", "kwh"), "delle misure"), start=2):
        pod = (r.get("punto") or "").strip().upper()
        tipo = (r.get("tipo") or "").strip().lower()
        if not pod:
            raise ErroreMisure(f"riga {n}: manca il punto (POD)")
        if tipo not in TIPI:
            raise ErroreMisure(f"riga {n}: tipo «{tipo}» non valido: scrivi prelievo oppure immissione")
        t = _istante(r.get("inizio", ""), n)
        kwh = _numero(r.get("kwh", ""), n, "kwh")
        if kwh < 0:
            raise ErroreMisure(f"riga {n}: kwh negativo ({kwh}): prelievo e immissione sono righe separate")
        if (pod, tipo, t) in visti:
            raise ErroreMisure(f"riga {n}: misura ripetuta per {pod} {tipo} alle {r.get('inizio')}")
        visti.add((pod, tipo, t))
        righe.append((pod, tipo, t, kwh))
    if not righe:
        raise ErroreMisure("il file delle misure non contiene righe")
    istanti = np.array([x[2] for x in righe], dtype=np.int64)
    passi = np.diff(np.unique(istanti))
    risoluzione = int(passi.min() // 60) if len(passi) else 60
    if risoluzione not in (15, 30, 60) and len(passi):
        raise ErroreMisure(f"le misure sono ogni {risoluzione} minuti: servono dati orari o quartorari")
    ore_di = (istanti // ORA) * ORA
    ore = np.unique(ore_di)
    pos = np.searchsorted(ore, ore_di)
    out = Misure(ore=ore, risoluzione_minuti=risoluzione)
    attesi = 60 // risoluzione
    conteggio: dict[tuple[str, str], np.ndarray] = {}
    for (pod, tipo, _t, kwh), p in zip(righe, pos):
        dest = out.prelievo if tipo == "prelievo" else out.immissione
        if pod not in dest:
            dest[pod] = np.zeros(len(ore))
            conteggio[(pod, tipo)] = np.zeros(len(ore), dtype=np.int32)
        dest[pod][p] += kwh          # somma all'ora prima di tutto
        conteggio[(pod, tipo)][p] += 1
    out.ore_incomplete = int(sum(((c > 0) & (c < attesi)).sum() for c in conteggio.values()))
    return out


def leggi_prezzi(contenuto: bytes | str) -> tuple[np.ndarray, np.ndarray]:
    """Scenario di prezzo: (istanti UTC d'inizio ora, euro/MWh). Valori sub-orari: media aritmetica sull'ora
    (parametro ``prezzo_zonale_aggregazione_oraria``; ``prezzi_suborari`` dice se è servita)."""
    testo = _testo(contenuto)
    istanti, valori = [], []
    for n, r in enumerate(_lettore(testo, ("inizio", "prezzo_euro_mwh"), "dei prezzi"), start=2):
        istanti.append(_istante(r.get("inizio", ""), n))
        valori.append(_numero(r.get("prezzo_euro_mwh", ""), n, "prezzo_euro_mwh"))
    if not istanti:
        raise ErroreMisure("il file dei prezzi non contiene righe")
    ore_di = (np.array(istanti, dtype=np.int64) // ORA) * ORA
    ore, inv = np.unique(ore_di, return_inverse=True)
    somma = np.bincount(inv, weights=np.array(valori))
    conta = np.bincount(inv)
    return ore, somma / conta


def prezzi_suborari(contenuto: bytes | str) -> bool:
    """True se lo scenario ha più di un prezzo in almeno un'ora (per esempio prezzi quartorari)."""
    testo = _testo(contenuto)
    istanti = [_istante(r.get("inizio", ""), n)
               for n, r in enumerate(_lettore(testo, ("inizio", "prezzo_euro_mwh"), "dei prezzi"), start=2)]
    ore = np.array(istanti, dtype=np.int64) // ORA
    return len(np.unique(ore)) < len(ore)


def allinea(ore_sorgente: np.ndarray, valori: np.ndarray, ore: np.ndarray) -> tuple[np.ndarray, int]:
    """Valori della sorgente sulle ``ore`` richieste; restituisce anche quante ore mancano (messe a NaN)."""
    pos = np.searchsorted(ore_sorgente, ore)
    pos_c = np.clip(pos, 0, len(ore_sorgente) - 1)
    trovato = ore_sorgente[pos_c] == ore
    out = np.where(trovato, valori[pos_c], np.nan)
    return out, int((~trovato).sum())
