"""CLI delle campagne: importa, esame, decidi, esporta, converti; la pratica risultante passa `verifica`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parents[2]


def run(*args, env):
    return subprocess.run([sys.executable, "-m", "cer_docs", *args], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=120)


def test_flusso_completo(tmp_path):
    env = dict(os.environ, CER_DOCS_DATA_DIR=str(tmp_path / "dati"))
    env.pop("CER_DOCS_DATABASE_URL", None)
    assert run("importa", "samples/pratica-esempio.yaml", env=env).returncode == 0
    assert run("campagna", "importa", "samples/campagne/avviso-san-godenzo.yaml", env=env).returncode == 0
    r = run("campagna", "esame", "mi-san-godenzo-2026", "--al", "2026-11-22", "--json", env=env)
    esame = json.loads(r.stdout)
    assert {c["protocollo"] for c in esame["candidature"]} >= {"MI-2026-000001", "MI-2026-000005"}
    r = run("campagna", "decidi", "MI-2026-000005", "--decisione", "forse", "--autore", "U", env=env)
    assert r.returncode == 2 and "ammessa" in r.stderr
    out = tmp_path / "c.xlsx"
    assert run("campagna", "esporta", "mi-san-godenzo-2026", "--out", str(out), env=env).returncode == 0
    assert load_workbook(out).active["A1"].value == "Protocollo"
    r = run("campagna", "converti", "mi-san-godenzo-2026", "--autore", "Ufficio", env=env)
    assert r.returncode == 0, r.stderr
    assert "3 candidati inseriti" in r.stdout
    f = tmp_path / "dopo.yaml"
    assert run("esporta", "cer-colline-sieve", "--out", str(f), env=env).returncode == 0
    r = run("verifica", str(f), "--al", "2026-11-22", env=env)
    assert r.returncode == 0, r.stdout
    assert run("campagna", "converti", "inesistente", env=env).returncode == 1
