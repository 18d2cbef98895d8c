"""`cer-docs verifica`: rapporto italiano, JSON, codici d'uscita, input ostile."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
ESEMPIO = ROOT / "samples" / "pratica-esempio.yaml"


def cer_docs(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cer_docs", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=120)


def _variante(tmp_path: Path, modifica) -> Path:
    dati = yaml.safe_load(ESEMPIO.read_text(encoding="utf-8"))
    modifica(dati)
    f = tmp_path / "variante.yaml"
    f.write_text(yaml.safe_dump(dati, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return f


def test_riferimento_senza_errori_json():
    r = cer_docs("verifica", str(ESEMPIO), "--al", "2026-11-22", "--json")
    assert r.returncode == 0, r.stderr
    rilievi = json.loads(r.stdout)
    assert isinstance(rilievi, list)
    assert not [x for x in rilievi if x["gravita"] == "errore"]
    for x in rilievi:
        assert {"codice", "gravita", "oggetto", "messaggio", "riferimento"} <= set(x)


def test_rapporto_leggibile_raggruppato():
    r = cer_docs("verifica", str(ESEMPIO), "--al", "2026-11-22")
    assert r.returncode == 0
    assert "Verifica della pratica «Comunità Energetica Rinnovabile Colline della Sieve»" in r.stdout
    assert "== Configurazioni, POD e referente ==" in r.stdout
    assert "Fonte:" in r.stdout


def test_errore_esce_con_1_e_punta_all_elemento(tmp_path):
    def grande_impresa(d):
        d["membri"].append({"soggetto": "energia-verde-mugello", "ruolo": "produttore"})
        d["produttori_terzi"] = []
    r = cer_docs("verifica", str(_variante(tmp_path, grande_impresa)), "--al", "2026-11-22", "--json")
    assert r.returncode == 1
    errori = [x for x in json.loads(r.stdout) if x["gravita"] == "errore"]
    assert any(x["oggetto"] == "soggetti[6]" and "grande impresa" in x["messaggio"] for x in errori)


@pytest.mark.parametrize("contenuto, atteso", [
    ("formato: cer-docs/pratica@1\npratica: {id: x\n", "riga"),
    ("- solo\n- una lista\n", "non contiene una pratica"),
    ("formato: altro@9\npratica: {id: x}\n", "formato"),
])
def test_file_illeggibile_esce_con_2_senza_traceback(tmp_path, contenuto, atteso):
    f = tmp_path / "rotto.yaml"
    f.write_text(contenuto, encoding="utf-8")
    r = cer_docs("verifica", str(f))
    assert r.returncode == 2
    assert "Traceback" not in r.stderr
    assert str(f) in r.stderr and atteso in r.stderr


def test_tipo_sbagliato_nomina_riga_e_campo(tmp_path):
    testo = ESEMPIO.read_text(encoding="utf-8").replace("potenza_kw: 80.0", "potenza_kw: ottanta")
    f = tmp_path / "tipo.yaml"
    f.write_text(testo, encoding="utf-8")
    r = cer_docs("verifica", str(f))
    assert r.returncode == 2
    riga = next(i for i, l in enumerate(testo.splitlines(), 1) if "ottanta" in l)
    assert f"riga {riga}" in r.stderr
    assert "configurazioni[0].impianti[1].potenza_kw" in r.stderr
    assert "Traceback" not in r.stderr


def test_riferimento_a_id_inesistente(tmp_path):
    testo = ESEMPIO.read_text(encoding="utf-8").replace("presidente: bianchi-giulia", "presidente: bianchi-giulio")
    f = tmp_path / "rif.yaml"
    f.write_text(testo, encoding="utf-8")
    r = cer_docs("verifica", str(f))
    assert r.returncode == 2
    assert "comunita.organi.presidente" in r.stderr and "bianchi-giulio" in r.stderr


def test_file_enorme_rifiutato(tmp_path):
    f = tmp_path / "enorme.yaml"
    with f.open("wb") as fh:
        fh.write(b"formato: cer-docs/pratica@1\n# ")
        fh.seek(70 * 1024 * 1024)
        fh.write(b"\n")
    r = cer_docs("verifica", str(f))
    assert r.returncode == 2
    assert "MB" in r.stderr and "Traceback" not in r.stderr


def test_yaml_bomba_rifiutata(tmp_path):
    righe = ["formato: cer-docs/pratica@1", "a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 12):
        righe.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i-1}"] * 10) + "]")
    f = tmp_path / "bomba.yaml"
    f.write_text("\n".join(righe) + "\n", encoding="utf-8")
    r = cer_docs("verifica", str(f))
    assert r.returncode == 2
    assert "alias" in r.stderr


def test_data_non_valida():
    r = cer_docs("verifica", str(ESEMPIO), "--al", "2025-02-30")
    assert r.returncode == 2
    assert "AAAA-MM-GG" in r.stderr


def test_schema_json():
    r = cer_docs("schema")
    assert r.returncode == 0
    schema = json.loads(r.stdout)
    assert "soggetti" in schema["properties"] and "configurazioni" in schema["properties"]
