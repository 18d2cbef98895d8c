"""Scenari YAML delle regole: nome della proposizione giuridica, data, modifiche alla pratica
di riferimento, rilievi attesi (codice, gravità, oggetto) e rilievi che non devono comparire."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

import pytest
import yaml

from cer_docs.model import parse_data
from cer_docs.model.io import parse_path
from cer_docs.rules import verifica

ROOT = Path(__file__).resolve().parents[2]
SCENARI = Path(__file__).parent / "scenari"
BASE = yaml.safe_load((ROOT / "samples" / "pratica-esempio.yaml").read_text(encoding="utf-8"))


def _casi():
    for f in sorted(SCENARI.glob("*.yaml")):
        for caso in yaml.safe_load(f.read_text(encoding="utf-8")):
            yield pytest.param(caso, id=f"{f.stem}: {caso['nome']}")


def _naviga(dati, parti):
    for p in parti:
        dati = dati[p]
    return dati


def applica(dati: dict, modifiche: list[dict]) -> dict:
    dati = copy.deepcopy(dati)
    for m in modifiche or []:
        if "imposta" in m:
            *testa, ultimo = parse_path(m["imposta"])
            _naviga(dati, testa)[ultimo] = copy.deepcopy(m["valore"])
        elif "aggiungi" in m:
            _naviga(dati, parse_path(m["aggiungi"])).append(copy.deepcopy(m["valore"]))
        elif "rimuovi" in m:
            *testa, ultimo = parse_path(m["rimuovi"])
            contenitore = _naviga(dati, testa)
            if isinstance(ultimo, int):
                contenitore.pop(ultimo)
            elif isinstance(contenitore.get(ultimo), list):
                contenitore[ultimo] = []
            else:
                contenitore.pop(ultimo)
        else:
            raise ValueError(f"modifica sconosciuta: {m}")
    return dati


@pytest.mark.parametrize("caso", list(_casi()))
def test_scenario(caso):
    pratica = parse_data(applica(BASE, caso.get("modifiche", [])), caso["nome"])
    al = caso["al"] if isinstance(caso["al"], dt.date) else dt.date.fromisoformat(caso["al"])
    rilievi = verifica(pratica, al)
    trovati = {(r.codice, r.gravita, r.oggetto) for r in rilievi}
    descr = "\n".join(f"  {r.gravita} {r.codice} {r.oggetto}: {r.messaggio}" for r in rilievi)
    for atteso in caso.get("atteso", []):
        chiave = (atteso["codice"], atteso["gravita"], atteso["oggetto"])
        assert chiave in trovati, f"manca il rilievo atteso {chiave}; trovati:\n{descr}"
    codici = {r.codice for r in rilievi}
    for assente in caso.get("atteso_assenti", []):
        assert assente not in codici, f"il rilievo {assente} non doveva comparire:\n{descr}"
    for gravita in caso.get("atteso_nessun", []):
        assert not [r for r in rilievi if r.gravita == gravita], f"nessun '{gravita}' atteso:\n{descr}"
    for r in rilievi:
        assert r.messaggio and r.riferimento, f"rilievo senza messaggio o riferimento: {r}"
