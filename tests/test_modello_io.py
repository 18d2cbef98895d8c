"""File pratica: il riferimento si legge invariato, YAML e JSON fanno andata e ritorno senza perdite,
la via veloce per i file grandi dà lo stesso risultato di PyYAML."""

from __future__ import annotations

import filecmp
from pathlib import Path

import pytest
import yaml

from cer_docs.model import ErrorePratica, dumps_json, dumps_yaml, load_pratica, parse_data, parse_text
from cer_docs.model import io

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted((ROOT / "samples").glob("*.yaml"))
SHARED = ROOT.parent / "shared" / "reference" / "pratica-esempio.yaml"


def test_riferimento_presente_e_invariato():
    copia = ROOT / "samples" / "pratica-esempio.yaml"
    assert copia.exists()
    if SHARED.exists():
        assert filecmp.cmp(copia, SHARED, shallow=False), "samples/pratica-esempio.yaml deve restare identico"
    p = load_pratica(copia)
    assert p.pratica.id == "cer-colline-sieve"
    assert len(p.soggetti) == 7 and len(p.membri) == 6
    imp = p.configurazioni[0].impianti[1]
    assert imp.contributo_pnrr.cup == "J81B25000340006"
    assert str(imp.contributo_pnrr.spesa_ammissibile_euro) == "92000.00"


@pytest.mark.parametrize("f", SAMPLES, ids=lambda f: f.name)
def test_andata_e_ritorno_yaml_json(f):
    p = load_pratica(f)
    assert parse_text(dumps_yaml(p), "x.yaml") == p
    assert parse_text(dumps_json(p), "x.json") == p
    assert parse_text(dumps_yaml(parse_text(dumps_json(p), "x.json")), "y.yaml") == p


@pytest.mark.parametrize("f", SAMPLES, ids=lambda f: f.name)
def test_via_veloce_uguale_a_pyyaml(f):
    testo = f.read_text(encoding="utf-8").replace("&", "e").replace("*", "x").replace("!", ".")
    grande = testo + "\n#" + " " * (io._SOGLIA_VIA_VELOCE + 10) + "\n"
    assert io._yaml_veloce(grande) is not None
    assert parse_text(grande, "g.yaml") == parse_data(yaml.load(testo, Loader=io._Loader), "p")


def test_via_veloce_non_usata_per_alias_e_tag():
    base = (ROOT / "samples" / "pratica-esempio.yaml").read_text(encoding="utf-8")
    pad = "\n#" + " " * (io._SOGLIA_VIA_VELOCE + 10) + "\n"
    assert io._yaml_veloce(base + "x: !!python/object:os.system ls\n" + pad) is None
    with pytest.raises(ErrorePratica):
        parse_text(base + "x: !!python/object/apply:os.system [ls]\n" + pad, "t.yaml")


def test_campo_sconosciuto_e_rifiutato():
    testo = (ROOT / "samples" / "pratica-esempio.yaml").read_text(encoding="utf-8")
    testo = testo.replace("    potenza_kw: 40.0", "    potenza_kW: 40.0", 1)
    with pytest.raises(ErrorePratica) as e:
        parse_text(testo, "t.yaml")
    msg = str(e.value)
    assert "potenza_kW" in msg and "non è un campo previsto" in msg and "riga" in msg
