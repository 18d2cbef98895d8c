"""Aiuti comuni agli scenari YAML (regole e scadenze): le modifiche alla pratica di riferimento."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from cer_docs.model.io import parse_path

ROOT = Path(__file__).resolve().parents[1]
BASE = yaml.safe_load((ROOT / "samples" / "pratica-esempio.yaml").read_text(encoding="utf-8"))


def casi(cartella: Path):
    """Ogni scenario di ogni file YAML della cartella, come parametro di pytest con il suo nome."""
    for f in sorted(cartella.glob("*.yaml")):
        for caso in yaml.safe_load(f.read_text(encoding="utf-8")):
            yield pytest.param(caso, id=f"{f.stem}: {caso['nome']}")


def _naviga(dati, parti):
    for p in parti:
        dati = dati[p]
    return dati


def applica(dati: dict, modifiche: list[dict] | None) -> dict:
    """Applica a una copia dei dati le modifiche ``imposta`` / ``aggiungi`` / ``rimuovi`` (percorsi del file pratica)."""
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
            if isinstance(ultimo, str) and isinstance(contenitore.get(ultimo), list):
                contenitore[ultimo] = []
            else:
                contenitore.pop(ultimo)
        else:
            raise ValueError(f"modifica sconosciuta: {m}")
    return dati
