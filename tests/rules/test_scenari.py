"""Scenari YAML delle regole: nome della proposizione giuridica, data, modifiche alla pratica
di riferimento, rilievi attesi (codice, gravità, oggetto) e rilievi che non devono comparire."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from cer_docs.model import parse_data
from cer_docs.rules import verifica
from scenari_comuni import BASE, applica, casi

SCENARI = Path(__file__).parent / "scenari"


@pytest.mark.parametrize("caso", list(casi(SCENARI)))
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
