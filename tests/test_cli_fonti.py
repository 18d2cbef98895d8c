"""``cer-docs fonti``: ogni parametro con valore alla data, fonte, ultima verifica, flag da confermare."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

from cer_docs.rules.base import tutti_i_parametri

ROOT = Path(__file__).resolve().parents[1]


def cer_docs(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cer_docs", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=180)


def test_json_elenca_tutti_i_parametri_con_valore_alla_data():
    r = cer_docs("fonti", "--al", "2026-02-20", "--json")
    assert r.returncode == 0, r.stderr
    voci = {v["id"]: v for v in json.loads(r.stdout)}
    assert set(voci) == set(tutti_i_parametri())
    t = voci["pnrr_termini_realizzazione"]
    assert t["valore"]["schema"] == "accordo_concessione" and t["dal"] == "2026-02-20"
    assert t["non_confermato"] is False and t["da_confermare"] is None
    assert t["fonti"][0]["id"] == "dl-19-2026" and t["fonti"][0]["url"].startswith("https://")
    assert t["last_value_still_valid_on"]
    limite = voci["pnrr_entrata_esercizio_limite_gse"]
    assert limite["valore"] == "2027-12-31" and limite["non_confermato"] is True
    assert "gse-pnrr-facility" in [f["id"] for f in limite["fonti"]] and "Verifica su" in limite["da_confermare"]


def test_il_giorno_prima_vale_la_versione_precedente_e_le_regole_nuove_non_ci_sono():
    voci = {v["id"]: v for v in json.loads(cer_docs("fonti", "--al", "2026-02-19", "--json").stdout)}
    t = voci["pnrr_termini_realizzazione"]
    assert t["valore"]["schema"] == "fine_lavori" and t["prossimo_dal"] == "2026-02-20"
    assert t["non_confermato"] is True
    limite = voci["pnrr_entrata_esercizio_limite_gse"]
    assert limite["in_vigore"] is False and limite["valore"] is None and limite["primo_dal"] == "2026-02-20"


def test_testo_leggibile():
    r = cer_docs("fonti", "--al", "2026-12-02")
    assert r.returncode == 0, r.stderr
    assert "Parametri di legge al 02/12/2026" in r.stdout
    assert "pnrr_entrata_esercizio_limite_gse  [DA CONFERMARE]" in r.stdout
    assert "Valore (data): 31/12/2027 — in vigore dal 20/02/2026" in r.stdout
    assert "Ultima verifica (last_value_still_valid_on):" in r.stdout


def test_scadute_dal_elenca_solo_i_parametri_non_verificati_da_quella_data():
    tutti = tutti_i_parametri()
    attesi = {pid for pid, p in tutti.items() if p.last_value_still_valid_on < dt.date(2026, 12, 1)}
    assert attesi and attesi != set(tutti)
    r = cer_docs("fonti", "--scadute-dal", "2026-12-01", "--json")
    assert r.returncode == 0, r.stderr
    assert {v["id"] for v in json.loads(r.stdout)} == attesi
    r = cer_docs("fonti", "--scadute-dal", "2000-01-01", "--json")
    assert json.loads(r.stdout) == []


def test_data_sbagliata():
    r = cer_docs("fonti", "--scadute-dal", "ieri")
    assert r.returncode == 2 and "--scadute-dal" in r.stderr
