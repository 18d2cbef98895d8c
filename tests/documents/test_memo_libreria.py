"""Memo della libreria tra processi (``documents/memo.py``): intestazioni YAML delle clausole, parametri,
fonti, specifiche e alberi dei modelli ricavati una volta e ricordati per l'impronta del testo.

Ciò che conta per chi genera: un testo cambiato (clausola, parametro, modello) non riceve mai il dato
di prima; un memo guasto non cambia nulla; il memo pronto del pacchetto è aggiornato."""

from __future__ import annotations

import datetime as dt
import json
import marshal
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cer_docs.documents import memo as m
from cer_docs.documents import motore
from cer_docs.rules import base

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def memo():
    nuovo = m.MemoLibreria()
    m._installa(nuovo)
    yield nuovo
    m._installa(None)


def test_un_parametro_cambiato_non_riceve_il_valore_di_prima(tmp_path, memo):
    f = tmp_path / "p.yaml"
    f.write_text("id: p\nvalues:\n  2024-01-24: {valore: 1000}\n", encoding="utf-8")
    assert base.carica_yaml(f) == {"id": "p", "values": {dt.date(2024, 1, 24): {"valore": 1000}}}
    assert memo.nuove == 1
    assert base.carica_yaml(f) == {"id": "p", "values": {dt.date(2024, 1, 24): {"valore": 1000}}}
    assert memo.riusi == 1
    f.write_text("id: p\nvalues:\n  2024-01-24: {valore: 2000}\n", encoding="utf-8")  # stessa dimensione
    os.utime(f, ns=(0, 0))
    assert base.carica_yaml(f)["values"][dt.date(2024, 1, 24)]["valore"] == 2000


def test_il_memo_restituisce_gli_stessi_tipi_e_oggetti_nuovi(tmp_path, memo):
    f = tmp_path / "t.yaml"
    f.write_text("a: 2025-10-20\nb: 2025-10-20 10:30:00\nc: !!set {x: null}\nd: !!omap [{k: 1}]\n"
                 "e: [1, 2.5, true, null, '€']\n2024-01-01: x\n", encoding="utf-8")
    primo = base.carica_yaml(f)
    secondo = base.carica_yaml(f)
    assert memo.riusi == 1
    assert secondo == primo and repr(secondo) == repr(primo)
    assert secondo is not primo and secondo["e"] is not primo["e"]
    secondo["e"].append(3)
    assert base.carica_yaml(f)["e"] == [1, 2.5, True, None, "€"]


def test_le_chiavi_doppie_si_rifiutano_anche_con_il_memo(tmp_path, memo):
    f = tmp_path / "d.yaml"
    f.write_text("a: 1\na: 2\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(base.ParametroNonValido, match="compare due volte"):
            base.carica_yaml(f)
    assert memo.nuove == 0


def test_un_modello_cambiato_ha_il_suo_albero(memo):
    a = motore._albero_di("Ciao {{ nome }}{% if x %} sì{% endif %}")
    assert motore._albero_di("Ciao {{ nome }}{% if x %} sì{% endif %}") == a
    assert memo.riusi == 1
    b = motore._albero_di("Ciao {{ cognome }}{% if x %} sì{% endif %}")
    assert b != a and b[1] == ("v", ("n", "cognome"))
    assert motore._albero_di("{{ x | upper }}") is None  # filtro: lo decide Jinja compilato
    assert motore._albero_di("{{ x | upper }}") is None


def test_un_memo_guasto_non_cambia_nulla(tmp_path, memo):
    f = tmp_path / "g.yaml"
    f.write_text("a: 1\n", encoding="utf-8")
    sorgente = "Ciao {{ nome }}"
    memo.voci[m.chiave("yaml-rigoroso", "a: 1\n")] = b"non marshal"
    memo.voci[m.chiave("jinja", sorgente)] = marshal.dumps({"non": "un albero"})
    assert base.carica_yaml(f) == {"a": 1}
    assert motore._albero_di(sorgente) == [("t", "Ciao "), ("v", ("n", "nome"))]
    cache = type("C", (), {"leggi": lambda self, k: type("V", (), {"dati": b"\x00guasto"})()})()
    assert isinstance(m.apri(cache).voci, dict)  # voce guasta: il memo pronto, o vuoto
    m._installa(None)


def test_genera_con_il_memo_della_cache_scrive_gli_stessi_file(tmp_path):
    """Prima generazione a cache vuota (impara e salva il memo), seconda con il memo dalla cache e
    cartella d'uscita nuova, terza senza cache: stessi file, byte per byte."""
    codice = ("import sys\nfrom cer_docs.cli import main\n"
              "try:\n    main(sys.argv[1:])\nexcept SystemExit as e:\n    assert not e.code, e.code\n")
    pratica = str(ROOT / "samples" / "pratica-esempio.yaml")
    uscite = []
    for i, cache in enumerate(("", "", "off")):
        env = dict(os.environ, CER_DOCS_DATA_DIR=str(tmp_path / "dati"), PYTHONPATH=str(ROOT),
                   CER_DOCS_CACHE_DOCUMENTI=cache, CER_DOCS_PDF_SEQUENZIALE="1")
        out = tmp_path / f"out{i}"
        r = subprocess.run([sys.executable, "-c", codice, "genera", pratica, "--out", str(out), "--al", "2025-10-20",
                            "--documenti", "statuto,atto_costitutivo,regolamento"],
                           capture_output=True, text=True, timeout=300, env=env)
        assert r.returncode == 0, r.stderr[-2000:]
        uscite.append({f.name: f.read_bytes() for f in sorted(out.iterdir())})
    assert uscite[0] == uscite[1] == uscite[2]


_COSTRUISCI = r"""
import datetime as dt, json, marshal, sys
from pathlib import Path
from cer_docs.documents import memo as m
memo = m.MemoLibreria(); m._installa(memo)
from cer_docs.rules import base
from cer_docs.documents import catalogo as cat, motore
from cer_docs.documents.clausole import TEMPLATES_DIR, carica_clausole
from cer_docs.documents.specifiche import leggi_specifica
from cer_docs.model import load_pratica
for f in sorted(base.PARAMS_DIR.glob("*.yaml")) + sorted(base.FONTI_DIR.glob("*.yaml")):
    base.carica_yaml(f)
for c in carica_clausole().values():
    motore._modello(c.corpo)
for f in sorted(TEMPLATES_DIR.rglob("*.yaml")):
    try:
        leggi_specifica(f)
    except Exception:
        pass
al = dt.date(2025, 10, 20)
for f in sorted(Path(sys.argv[1]).glob("*.yaml")):
    p = load_pratica(f)
    for bozza in (False, True):
        richieste, _ = cat.richieste(p, list(cat.TUTTI), al)
        for r in richieste:
            cat.risolvi(p, r, al, bozza=bozza)
if sys.argv[2] == "scrivi":
    m.scrivi_pronto(memo.voci)
else:
    sys.stdout.buffer.write(marshal.dumps({"versione": m._versione(), "voci": memo.voci}))
"""


def test_il_memo_pronto_del_pacchetto_e_aggiornato():
    """Il memo pronto (``cer_docs/documents/memo_libreria.bin``) è della versione attuale del codice e
    contiene tutto ciò che servono a risolvere i documenti delle pratiche d'esempio. Dopo una modifica
    di motore, clausole, specifiche, ``rules/base.py`` o dei modelli:
    ``UPDATE_MEMO=1 pytest tests/documents/test_memo_libreria.py -k pronto``."""
    scrivi = os.environ.get("UPDATE_MEMO") == "1"
    env = dict(os.environ, PYTHONPATH=str(ROOT), CER_DOCS_CACHE_DOCUMENTI="off")
    r = subprocess.run([sys.executable, "-c", _COSTRUISCI, str(ROOT / "samples"), "scrivi" if scrivi else "-"],
                       capture_output=True, timeout=600, env=env)
    assert r.returncode == 0, r.stderr[-3000:]
    pronto = marshal.loads(m.FILE_PRONTO.read_bytes())
    if scrivi:
        return
    atteso = marshal.loads(r.stdout)
    assert pronto["versione"] == atteso["versione"], "memo pronto vecchio: rigeneralo (UPDATE_MEMO=1)"
    mancanti = [k for k in atteso["voci"] if k not in pronto["voci"]]
    assert not mancanti, f"{len(mancanti)} dati mancano dal memo pronto: rigeneralo (UPDATE_MEMO=1)"
    diversi = [k for k, v in atteso["voci"].items() if marshal.loads(pronto["voci"][k]) != marshal.loads(v)]
    assert not diversi, json.dumps([k.decode("latin-1") for k in diversi[:5]])
