"""`cer-docs simula`: testo, JSON con le voci richieste, misure, prezzi, PVGIS, PDF."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

from pypdf import PdfReader

QUI = Path(__file__).resolve().parent
ROOT = QUI.parents[1]
ESEMPIO = ROOT / "samples" / "pratica-esempio.yaml"
PICCOLA = QUI / "fixtures" / "piccola.yaml"


def cer_docs(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cer_docs", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=300)


def test_json_e_pdf_della_pratica_di_riferimento(tmp_path):
    out = tmp_path / "simulazione.pdf"
    r = cer_docs("simula", str(ESEMPIO), "--anno", "2027", "--json", "--pdf", str(out))
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    c = d["configurazioni"][0]
    assert c["energia_condivisa_kwh"] > 0 and c["tariffa_premio_euro"] > 0
    assert {i["id"]: i["fascia"] for i in c["impianti"]}["fv-mugello-terzo"] == 1
    totale = sum(Decimal(str(m["beneficio_euro"])) for m in c["membri"]) + \
        sum(Decimal(str(v)) for v in c["comunita_euro"].values())
    assert totale == Decimal(str(c["beneficio_netto_euro"]))
    testo = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(out.read_bytes())).pages)
    for atteso in ("Colline della Sieve", "Sensibilità al prezzo", "Fonti e parametri", "DM 106/2024",
                   "Mario Rossi", "resti maggiori"):
        assert atteso in testo, atteso


def test_misure_coprono_esattamente_le_ore_misurate(tmp_path):
    f = tmp_path / "misure.csv"
    righe = ["punto,tipo,inizio,kwh"]
    for h in range(6):       # 6 ore, quartorarie
        for q in range(4):
            t = f"2026-07-01T{10 + h:02d}:{15 * q:02d}:00+02:00"
            righe += [f"IT001E00000001,immissione,{t},5", f"IT001E00000002,prelievo,{t},1",
                      f"IT001E00000003,prelievo,{t},2"]
    f.write_text("\n".join(righe) + "\n", encoding="utf-8")
    r = cer_docs("simula", str(PICCOLA), "--misure", str(f), "--json")
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["ore"] == 6 and d["misurato"] is True
    c = d["configurazioni"][0]
    # immessi 20 kWh/ora, prelevati 12: condivisa 12 kWh × 6 ore
    assert c["energia_condivisa_kwh"] == 72 and c["energia_immessa_kwh"] == 120
    membri = {m["soggetto"]: m for m in c["membri"]}
    # la famiglia preleva 1/3 della condivisa, la ditta 2/3
    assert membri["fam"]["prelievo_condiviso_kwh"] == 24 and membri["ditta"]["prelievo_condiviso_kwh"] == 48


def test_prezzi_file_e_errori_leggibili(tmp_path):
    prezzi = tmp_path / "prezzi.csv"
    prezzi.write_text("inizio,prezzo_euro_mwh\n2026-01-01T00:00:00+01:00,100\n", encoding="utf-8")
    r = cer_docs("simula", str(PICCOLA), "--anno", "2026", "--prezzi", str(prezzi))
    assert r.returncode == 2 and "non copre" in r.stderr and "Traceback" not in r.stderr
    r = cer_docs("simula", str(PICCOLA), "--pvgis", "nessuno=x.csv")
    assert r.returncode == 2 and "x.csv" in r.stderr
    r = cer_docs("simula", "non-esiste.yaml")
    assert r.returncode == 2 and "Traceback" not in r.stderr
