"""Mattoni delle regole: il rilievo (finding) e i parametri datati con la loro fonte.

Un parametro è un file YAML in ``rules/params/``::

    id: impianto_potenza_massima_kw
    descrizione: Potenza massima di un impianto ammesso alla tariffa premio
    unita: kW
    values:
      2024-01-24: {valore: 1000, reference: {fonte: dm-414-2023, articolo: "art. 3 c. 2 lett. a"}}
    last_value_still_valid_on: 2026-11-22
    non_confermato: false

``param(id, al)`` restituisce il valore in vigore alla data ``al``: l'ultima voce con
data d'effetto <= al. Le regole non leggono mai l'orologio: la data arriva dai servizi.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml

PARAMS_DIR = Path(__file__).parent / "params"
FONTI_DIR = Path(__file__).parent / "fonti"

Gravita = Literal["errore", "avviso", "info"]
ORDINE_GRAVITA = {"errore": 0, "avviso": 1, "info": 2}


class ParametroNonDefinito(LookupError):
    pass


@dataclass(frozen=True)
class Fonte:
    id: str
    titolo: str
    data: dt.date | None
    url: str | None = None
    versione: str | None = None
    abbreviazione: str | None = None

    @property
    def breve(self) -> str:
        return self.abbreviazione or self.titolo


@dataclass(frozen=True)
class Riferimento:
    fonte: str
    articolo: str | None = None

    def testo(self) -> str:
        f = fonte(self.fonte)
        return f"{f.breve}, {self.articolo}" if self.articolo else f.breve


@dataclass(frozen=True)
class Voce:
    dal: dt.date
    valore: Any
    riferimenti: tuple[Riferimento, ...]


@dataclass(frozen=True)
class Parametro:
    id: str
    descrizione: str
    voci: tuple[Voce, ...]
    unita: str | None = None
    last_value_still_valid_on: dt.date | None = None
    non_confermato: bool = False
    nota: str | None = None

    def voce(self, al: dt.date) -> Voce:
        scelta = None
        for v in self.voci:
            if v.dal <= al:
                scelta = v
        if scelta is None:
            raise ParametroNonDefinito(
                f"il parametro '{self.id}' non ha un valore in vigore il {al.isoformat()} "
                f"(primo valore dal {self.voci[0].dal.isoformat()})"
            )
        return scelta


@dataclass
class Rilievo:
    """Un problema o un'osservazione sulla pratica, spiegato e con la sua fonte."""

    codice: str
    gravita: Gravita
    oggetto: str
    messaggio: str
    riferimento: str
    ambito: str = "generale"
    fonti: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _as_date(v: Any) -> dt.date:
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    return dt.date.fromisoformat(str(v))


def _riferimenti(raw: Any) -> tuple[Riferimento, ...]:
    if raw is None:
        return ()
    items = raw if isinstance(raw, list) else [raw]
    return tuple(Riferimento(fonte=str(r["fonte"]), articolo=r.get("articolo")) for r in items)


@lru_cache(maxsize=None)
def tutte_le_fonti() -> dict[str, Fonte]:
    out: dict[str, Fonte] = {}
    for p in sorted(FONTI_DIR.glob("*.yaml")):
        d = yaml.safe_load(p.read_text(encoding="utf-8"))
        out[d["id"]] = Fonte(
            id=d["id"], titolo=d["titolo"], data=_as_date(d["data"]) if d.get("data") else None,
            url=d.get("url"), versione=d.get("versione"), abbreviazione=d.get("abbreviazione"),
        )
    return out


def fonte(fid: str) -> Fonte:
    try:
        return tutte_le_fonti()[fid]
    except KeyError:
        raise ParametroNonDefinito(f"fonte '{fid}' non censita in rules/fonti/") from None


@lru_cache(maxsize=None)
def tutti_i_parametri() -> dict[str, Parametro]:
    out: dict[str, Parametro] = {}
    for p in sorted(PARAMS_DIR.glob("*.yaml")):
        d = yaml.safe_load(p.read_text(encoding="utf-8"))
        voci = []
        for dal, voce in sorted((d.get("values") or {}).items(), key=lambda kv: _as_date(kv[0])):
            voci.append(Voce(dal=_as_date(dal), valore=voce.get("valore"),
                             riferimenti=_riferimenti(voce.get("reference"))))
        lv = d.get("last_value_still_valid_on")
        out[d["id"]] = Parametro(
            id=d["id"], descrizione=d.get("descrizione", ""), voci=tuple(voci), unita=d.get("unita"),
            last_value_still_valid_on=_as_date(lv) if lv else None,
            non_confermato=bool(d.get("non_confermato", False)), nota=d.get("nota"),
        )
    return out


def parametro(pid: str) -> Parametro:
    try:
        return tutti_i_parametri()[pid]
    except KeyError:
        raise ParametroNonDefinito(f"parametro '{pid}' non definito in rules/params/") from None


def param(pid: str, al: dt.date) -> Any:
    """Valore del parametro ``pid`` in vigore alla data ``al``."""
    return parametro(pid).voce(al).valore


def rif(pid: str, al: dt.date) -> str:
    """Testo del riferimento normativo del parametro in vigore alla data ``al``."""
    voce = parametro(pid).voce(al)
    return "; ".join(r.testo() for r in voce.riferimenti)


def fonti_di(pid: str, al: dt.date) -> list[str]:
    return [r.fonte for r in parametro(pid).voce(al).riferimenti]


def cita(*voci: str | tuple[str, str]) -> str:
    """Riferimento testuale a una o più fonti: ``cita(("ro-2025", "§1.2.1"), "gse-faq-cer")``."""
    parti = []
    for v in voci:
        fid, art = (v if isinstance(v, tuple) else (v, None))
        parti.append(Riferimento(fid, art).testo())
    return "; ".join(parti)


def fonti_citate(*voci: str | tuple[str, str]) -> list[str]:
    return [v[0] if isinstance(v, tuple) else v for v in voci]
