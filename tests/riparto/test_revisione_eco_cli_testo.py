"""Il tesoriere legge il riepilogo di `cer-docs riparto`: importi e mesi in italiano."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_riepilogo_del_riparto_con_importi_e_mesi_all_italiana(tmp_path):
    r = subprocess.run([sys.executable, "-m", "cer_docs", "riparto", str(ROOT / "samples" / "pratica-esempio.yaml"),
                        "--periodo", "2026", "--misure", str(ROOT / "samples" / "riparto" / "misure-2026.csv.gz"),
                        "--incassi", str(ROOT / "samples" / "riparto" / "incassi-2026.csv"),
                        "--sepa", str(tmp_path / "b.xml"), "--iban", "IT60X0542811101000000123456"],
                       capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert not re.search(r"\d\.\d\d €", out), out          # 1436.55 € invece di 1.436,55 €
    assert not re.search(r"\b2026-\d\d\b", out), out        # 2026-08 invece di agosto 2026
    assert "agosto 2026" in out and "novembre 2026, dicembre 2026" in out
    assert re.search(r"Bonifici SEPA .*: 2 per [\d.]+,\d\d €", out), out


def test_riepilogo_senza_meno_zero():
    r = subprocess.run([sys.executable, "-m", "cer_docs", "riparto", str(ROOT / "samples" / "pratica-esempio.yaml"),
                        "--periodo", "2026-03", "--misure", str(ROOT / "samples" / "riparto" / "misure-2026.csv.gz")],
                       capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert r.returncode == 0, r.stderr
    assert "−0,00 €" not in r.stdout and "costi della comunità 0,00 €" in r.stdout, r.stdout
