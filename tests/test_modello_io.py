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


# --------------------------------------------------------------------------- campi facoltativi (issue 11)

_NUOVI = ("sesso", "poteri", "luogo_firma", "luogo_accordo", "distretto", "raccolta")


def test_campi_nuovi_assenti_dal_file_se_non_indicati():
    p = load_pratica(ROOT / "samples" / "pratica-esempio.yaml")
    testo = dumps_yaml(p)
    for campo in _NUOVI:
        assert f"{campo}:" not in testo, campo
    assert p.comunita.atto_costitutivo.dati_notaio is None


def test_notaio_testo_storico_e_notaio_strutturato():
    base = yaml.safe_load((ROOT / "samples" / "pratica-esempio.yaml").read_text(encoding="utf-8"))
    base["comunita"]["atto_costitutivo"]["notaio"] = "Federica Landini, notaio in Bibbiena"
    p = parse_data(base)
    n = p.comunita.atto_costitutivo.dati_notaio
    assert (n.nome_completo, n.sede) == ("Federica Landini", "Bibbiena")
    assert parse_text(dumps_yaml(p), "x.yaml") == p

    base["comunita"]["atto_costitutivo"]["notaio"] = {
        "nome": "Federica", "cognome": "Landini", "sesso": "F", "sede": "Bibbiena",
        "distretto": "Arezzo", "repertorio": "18437", "raccolta": "9912"}
    p = parse_data(base)
    n = p.comunita.atto_costitutivo.dati_notaio
    assert (n.nome_completo, n.sesso, n.distretto, n.raccolta) == ("Federica Landini", "F", "Arezzo", "9912")
    assert parse_text(dumps_yaml(p), "x.yaml") == p
    assert parse_text(dumps_json(p), "x.json") == p

    base["comunita"]["atto_costitutivo"]["notaio"] = {"nome": "X", "sesso": "Q"}
    with pytest.raises(ErrorePratica):
        parse_data(base)


def test_rappresentante_con_sesso_nascita_e_poteri():
    base = yaml.safe_load((ROOT / "samples" / "pratica-esempio.yaml").read_text(encoding="utf-8"))
    comune = base["soggetti"][0]
    comune["rappresentante"].update({
        "sesso": "M", "nato_a": "Vicchio", "nato_il": "1960-11-15",
        "poteri": {"fonte": "deliberazione del Consiglio comunale", "atto": "n. 42", "data": "2025-09-30"}})
    base["soggetti"][1]["sesso"] = "M"
    base["configurazioni"][0]["referente"]["mandato"]["luogo_firma"] = "San Godenzo"
    base["produttori_terzi"][0]["luogo_accordo"] = "Borgo San Lorenzo"
    p = parse_data(base)
    r = p.soggetti[0].rappresentante
    assert r.poteri.fonte == "deliberazione del Consiglio comunale" and str(r.poteri.data) == "2025-09-30"
    assert r.nome_completo == "Paolo Marini"
    assert p.configurazioni[0].referente.mandato.luogo_firma == "San Godenzo"
    assert parse_text(dumps_yaml(p), "x.yaml") == p
    assert "luogo_accordo: Borgo San Lorenzo" in dumps_yaml(p)
