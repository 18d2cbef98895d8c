"""Salute del codice: la legge è dato con data e fonte; le regole non leggono l'orologio."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml

from cer_docs.rules import base

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT / "cer_docs"


def _param_files():
    return sorted(base.PARAMS_DIR.glob("*.yaml"))


@pytest.mark.parametrize("f", _param_files(), ids=lambda f: f.stem)
def test_parametro_ha_date_e_fonti(f):
    d = yaml.safe_load(f.read_text(encoding="utf-8"))
    assert d.get("id") == f.stem, "l'id del parametro deve coincidere con il nome del file"
    assert d.get("descrizione"), "manca la descrizione"
    assert isinstance(d.get("last_value_still_valid_on"), dt.date), "manca last_value_still_valid_on"
    valori = d.get("values")
    assert valori, "il parametro non ha valori"
    fonti = base.tutte_le_fonti()
    for dal, voce in valori.items():
        assert isinstance(dal, dt.date), f"la chiave {dal!r} non è una data"
        assert "valore" in voce, f"manca 'valore' alla data {dal}"
        refs = voce.get("reference")
        refs = refs if isinstance(refs, list) else [refs]
        assert refs and all(refs), f"il valore dal {dal} non ha una fonte (reference)"
        for r in refs:
            assert r.get("fonte") in fonti, f"fonte '{r.get('fonte')}' non censita in rules/fonti/"


def test_fonti_complete():
    for fid, f in base.tutte_le_fonti().items():
        assert f.titolo and f.url and f.url.startswith("http"), fid


def test_tutti_i_parametri_si_caricano():
    params = base.tutti_i_parametri()
    assert len(params) >= 20
    for p in params.values():
        assert p.voci == tuple(sorted(p.voci, key=lambda v: v.dal))


@pytest.mark.parametrize("cartella", ["rules", "practice", "pnrr"])
def test_nessun_orologio_nelle_regole(cartella):
    d = PKG / cartella
    if not d.exists():
        pytest.skip(f"cer_docs/{cartella} non esiste ancora")
    for f in d.rglob("*.py"):
        testo = f.read_text(encoding="utf-8")
        for vietato in ("date.today(", "datetime.now(", "datetime.today(", "time.time("):
            assert vietato not in testo, f"{f.relative_to(ROOT)} legge l'orologio ({vietato}): la data va passata"


_CONSENTITI = {0, 1, 2, 100, 0.01, 0.1}
# etichette e lunghezze di formato, non soglie di legge
_CONSENTITI_PER_FILE = {"identificativi.py": {11, 13, 16}, "membri.py": {2007, 2025}, "fatti.py": {2007, 2025}}


def test_nessun_numero_di_legge_nel_codice_delle_regole():
    """Soglie, percentuali, termini e date di legge stanno nei parametri, non nel codice."""
    import ast

    for f in (PKG / "rules").glob("*.py"):
        albero = ast.parse(f.read_text(encoding="utf-8"))
        ammessi = _CONSENTITI | _CONSENTITI_PER_FILE.get(f.name, set())
        for nodo in ast.walk(albero):
            if isinstance(nodo, ast.Constant) and type(nodo.value) in (int, float):
                assert nodo.value in ammessi, (
                    f"{f.name}:{nodo.lineno}: numero {nodo.value} nel codice delle regole; "
                    "spostalo in rules/params/ con data e fonte")
            if (isinstance(nodo, ast.Call) and getattr(nodo.func, "attr", getattr(nodo.func, "id", "")) == "date"
                    and nodo.args and all(isinstance(a, ast.Constant) for a in nodo.args)):
                raise AssertionError(f"{f.name}:{nodo.lineno}: data letterale nel codice delle regole")


# --------------------------------------------------------------------------- un solo vocabolario

def _testi_del_vocabolario() -> dict[str, str]:
    """Ogni etichetta, nome e plurale del vocabolario → il vocabolario che lo definisce."""
    from cer_docs.model import vocabolario as voc

    codici = {c for v in voc.TUTTI.values() for c in v}
    testi: dict[str, str] = {}
    for nome_voc, v in voc.TUTTI.items():
        for voce in v.values():
            for t in (voce.etichetta, voce.nome, voce.plurale, voce.breve):
                if t and len(t) > 3 and t not in codici:
                    testi[t] = f"{nome_voc}.{voce.codice}"
    return testi


def test_le_etichette_dei_valori_sono_scritte_solo_nel_vocabolario():
    """Etichetta, nome giuridico e plurale di ogni valore enumerato stanno in
    cer_docs/model/vocabolario.py: un altro modulo che li riscrive come testo letterale li farebbe
    divergere (era successo a qualifiche del referente, tipi di soggetto e voci del riparto)."""
    import ast

    testi = _testi_del_vocabolario()
    assert "Scrittura privata autenticata" in testi and "persone fisiche" in testi
    trovati = []
    radice = PKG.parent
    for f in sorted([*PKG.rglob("*.py"), *(radice / "ui").rglob("*.py")]):
        if f.name == "vocabolario.py":
            continue
        for nodo in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            if isinstance(nodo, ast.Constant) and isinstance(nodo.value, str) and nodo.value in testi:
                trovati.append(f"{f.relative_to(radice)}:{nodo.lineno}: «{nodo.value}» è {testi[nodo.value]}")
    voci = radice / "templates" / "clausole" / "voci"
    assert not voci.exists() or not any(voci.iterdir()), "le descrizioni delle categorie stanno nel vocabolario"
    assert not trovati, "etichette riscritte fuori dal vocabolario:\n" + "\n".join(trovati)


def test_il_vocabolario_copre_ogni_valore_del_modello():
    from cer_docs.model import vocabolario as voc

    for nome, tipo in voc.tipi_del_modello().items():
        assert set(voc.TUTTI[nome]) == set(voc.codici_del_modello(nome)), nome
        for v in voc.TUTTI[nome].values():
            assert v.genere in ("m", "f") and v.numero in ("s", "p"), v
    assert all(v.plurale for v in voc.CATEGORIE_SOGGETTO.values())
