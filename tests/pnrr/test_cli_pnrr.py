"""`cer-docs pnrr ...` e `cer-docs fatture ...`: uscite, JSON, PDF e XML scritti."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest
from pypdf import PdfReader

from . import fatture_di_prova as F
from .conftest import ESEMPIO, ROOT


def cer_docs(*args: str, env=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cer_docs", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=180, env=env)


def _testo_pdf(dati: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(dati)).pages)


def test_contributo_testo_e_json():
    r = cer_docs("pnrr", "contributo", str(ESEMPIO), "--al", "2025-06-25")
    assert r.returncode == 0, r.stderr
    assert "36.800,00 €" in r.stdout and "Anticipo 10% = 3.680,00 €" in r.stdout
    r = cer_docs("pnrr", "contributo", str(ESEMPIO), "--al", "2025-07-01", "--json")
    (c,) = json.loads(r.stdout)
    assert c["contributo"] == "36800.00" and c["anticipo_massimo_pct"] == "30"
    assert c["fattore_f"] == "0.4792" and c["impianto_id"] == "fv-cantina"


def test_contributo_da_codice_in_archivio(tmp_path):
    import os

    env = {**os.environ, "CER_DOCS_DATA_DIR": str(tmp_path)}
    assert cer_docs("importa", str(ESEMPIO), env=env).returncode == 0
    r = cer_docs("pnrr", "contributo", "cer-colline-sieve", "--al", "2026-01-10", env=env)
    assert r.returncode == 0 and "36.800,00 €" in r.stdout
    r = cer_docs("pnrr", "contributo", "non-esiste", env=env)
    assert r.returncode == 2 and "non è un file pratica" in r.stderr


def test_fatture_verifica_uscite(tmp_path):
    buona, senza_cup, rotta = tmp_path / "buona.xml", tmp_path / "senza_cup.xml", tmp_path / "bomba.xml"
    buona.write_bytes(F.completa())
    senza_cup.write_bytes(F.senza_cup())
    rotta.write_bytes(F.billion_laughs())
    base = ["fatture", "verifica", "--pratica", str(ESEMPIO), "--al", "2026-06-15"]
    r = cer_docs(*base, str(buona))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "CONFORME" in r.stdout
    r = cer_docs(*base, str(buona), str(senza_cup), "--json")
    assert r.returncode == 1
    esiti = json.loads(r.stdout)
    assert [e["esito"] for e in esiti] == ["conforme", "non_conforme"]
    assert "FATTURA_CUP_MANCANTE" in [x["codice"] for x in esiti[1]["rilievi"]]
    assert {"file", "esito", "rilievi"} <= set(esiti[0])
    r = cer_docs(*base, str(buona), str(senza_cup), str(rotta))
    assert r.returncode == 2 and "ILLEGGIBILE" in r.stdout and "DOCTYPE" in r.stdout
    r = cer_docs(*base, str(tmp_path / "manca.xml"))
    assert r.returncode == 2 and "non esiste" in r.stdout


def test_fatture_carica(tmp_path):
    import os

    env = {**os.environ, "CER_DOCS_DATA_DIR": str(tmp_path)}
    assert cer_docs("importa", str(ESEMPIO), env=env).returncode == 0
    buona, bomba = tmp_path / "buona.xml", tmp_path / "bomba.xml"
    buona.write_bytes(F.completa())
    bomba.write_bytes(F.entita_esterna())
    r = cer_docs("fatture", "carica", "cer-colline-sieve", str(buona), "--al", "2026-06-15", env=env)
    assert r.returncode == 0, r.stderr
    assert "spesa-001" in r.stdout
    r = cer_docs("fatture", "carica", "cer-colline-sieve", str(bomba), "--al", "2026-06-15", env=env)
    assert r.returncode == 2 and "non è stata caricata" in r.stderr
    r = cer_docs("pnrr", "spese", "cer-colline-sieve", "--al", "2026-06-15", env=env)
    assert r.returncode == 0 and "FV/2026/0042" in r.stdout and "da pagare" in r.stdout


def test_rendiconto_pdf(tmp_path):
    out = tmp_path / "rendiconto.pdf"
    r = cer_docs("pnrr", "rendiconto", str(ESEMPIO), "--out", str(out), "--al", "2026-06-15")
    assert r.returncode == 0, r.stderr
    testo = _testo_pdf(out.read_bytes())
    assert "Rendiconto delle spese PNRR" in testo
    assert "15 giugno 2026" in testo and "36.800,00 €" in testo and "J81B25000340006" in testo


def test_scheda_e_esempio_per_i_fornitori(tmp_path):
    pdf, xml = tmp_path / "scheda.pdf", tmp_path / "esempio.xml"
    assert cer_docs("pnrr", "scheda-fornitori", str(ESEMPIO), "-o", str(pdf), "--al", "2026-05-20").returncode == 0
    testo = " ".join(_testo_pdf(pdf.read_bytes()).split())
    assert "J81B25000340006" in testo and "PNRR-CER-0001234" in testo and "IT12345670488" in testo
    # dal 20/02/2026 il termine dei pagamenti è quello dell'accordo di concessione (qui non registrato)
    assert "termine fissato dall'accordo di concessione con il GSE" in testo and "bonifico" in testo
    assert "30 giugno 2026" not in testo
    assert cer_docs("pnrr", "scheda-fornitori", str(ESEMPIO), "-o", str(pdf), "--al", "2026-02-19").returncode == 0
    assert "30 giugno 2026" in " ".join(_testo_pdf(pdf.read_bytes()).split())
    r = cer_docs("pnrr", "esempio-fattura", str(ESEMPIO), "-o", str(xml), "--al", "2026-05-20")
    assert r.returncode == 0, r.stderr
    r = cer_docs("fatture", "verifica", str(xml), "--pratica", str(ESEMPIO), "--al", "2026-06-05")
    assert r.returncode == 0, r.stdout


@pytest.mark.parametrize("args", [["pnrr", "contributo", "samples/pratica-esempio.yaml", "--al", "ieri"],
                                  ["fatture", "verifica", "x.xml", "--pratica", "samples/pratica-esempio.yaml",
                                   "--tipo-spesa", "vacanze"]])
def test_argomenti_sbagliati(args):
    r = cer_docs(*args)
    assert r.returncode == 2 and "Traceback" not in r.stderr


def test_fattura_del_20_giugno_pagata_entro_il_20_luglio(tmp_path):
    """Issue 12: sulla pratica di riferimento nessun ERRORE; con il termine dell'accordo al 30/06/2026 sì, e
    il messaggio nomina l'accordo."""
    import yaml

    fattura = tmp_path / "fattura.xml"
    fattura.write_bytes(F.fattura(data="2026-06-20", scadenza="2026-07-20"))
    r = cer_docs("fatture", "verifica", str(fattura), "--pratica", str(ESEMPIO), "--al", "2026-12-02")
    assert r.returncode == 0, r.stdout
    assert "[ERRORE]" not in r.stdout.upper() and "accordo di concessione" in r.stdout

    dati = yaml.safe_load(ESEMPIO.read_text(encoding="utf-8"))
    dati["configurazioni"][0]["impianti"][1]["contributo_pnrr"]["accordo_concessione"] = {
        "estremi": "GSE/PNRR-CACER/2026/0457", "data_notifica": "2026-05-14", "termine_pagamenti": "2026-06-30"}
    con_accordo = tmp_path / "pratica.yaml"
    con_accordo.write_text(yaml.safe_dump(dati, allow_unicode=True), encoding="utf-8")
    r = cer_docs("fatture", "verifica", str(fattura), "--pratica", str(con_accordo), "--al", "2026-12-02", "--json")
    assert r.returncode == 1, r.stdout
    (esito,) = json.loads(r.stdout)
    errori = [x for x in esito["rilievi"] if x["gravita"] == "errore"]
    assert [x["codice"] for x in errori] == ["FATTURA_SCADENZA_OLTRE_TERMINE"]
    assert "accordo di concessione GSE/PNRR-CACER/2026/0457" in errori[0]["messaggio"]
