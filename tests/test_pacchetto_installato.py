"""Il pacchetto, non la copia di lavoro (issue 18, punto 4).

``pip install .`` (non modificabile) in un ambiente virtuale nuovo, poi, da una cartella fuori dal
progetto e senza ``PYTHONPATH``: ``cer-docs --version``, ``cer-docs genera`` su ogni pratica
d'esempio installata con il pacchetto, ``cer-docs avvia`` che risponde sulla sua porta. Il test gira
a ogni esecuzione della CI: se la ruota perde i modelli, l'interfaccia o gli esempi, fallisce qui.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from aiuti_server import attendi_salute

import cer_docs

RADICE = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


def _ambiente_pulito(dati: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "VIRTUAL_ENV", "CER_DOCS_DATABASE_URL", "PYTHONHOME")}
    env["CER_DOCS_DATA_DIR"] = str(dati)
    return env


@pytest.fixture(scope="module")
def installato(tmp_path_factory) -> tuple[Path, dict[str, str], Path]:
    base = tmp_path_factory.mktemp("pacchetto")
    # una copia dei sorgenti: il build non lascia build/ né *.egg-info nella copia di lavoro
    sorgenti = base / "sorgenti"
    shutil.copytree(RADICE, sorgenti, ignore=shutil.ignore_patterns(
        ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache", "tmp", "out"))
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    dati = base / "dati"
    dati.mkdir()
    env = _ambiente_pulito(dati)
    r = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", str(sorgenti)],
                       cwd=base, env=env, capture_output=True, text=True, timeout=1500)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    shutil.rmtree(sorgenti)  # da qui in poi esiste solo ciò che è installato
    return venv, env, base


def _cli(installato, *argomenti: str, timeout: int = 600) -> subprocess.CompletedProcess:
    venv, env, base = installato
    return subprocess.run([str(venv / "bin" / "cer-docs"), *argomenti], cwd=base, env=env,
                          capture_output=True, text=True, timeout=timeout)


def test_versione(installato):
    r = _cli(installato, "--version")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == f"cer-docs {cer_docs.__version__}"


def test_risorse_dentro_il_pacchetto(installato):
    venv, env, base = installato
    r = subprocess.run([str(venv / "bin" / "python"), "-c",
                        "from cer_docs.risorse import cartella\n"
                        "for n in ('templates', 'ui', 'samples'): print(cartella(n))"],
                       cwd=base, env=env, capture_output=True, text=True, check=True)
    cartelle = [Path(riga) for riga in r.stdout.split()]
    assert len(cartelle) == 3
    for c in cartelle:
        assert c.is_dir() and venv in c.parents, c
    # le pratiche d'esempio del progetto ci sono tutte, e la pratica normativa è identica
    esempi = cartelle[2]
    assert {p.name for p in esempi.glob("*.yaml")} == {p.name for p in (RADICE / "samples").glob("*.yaml")}
    assert (esempi / "pratica-esempio.yaml").read_bytes() == (RADICE / "samples" / "pratica-esempio.yaml").read_bytes()


@pytest.mark.parametrize("esempio", sorted(p.name for p in (RADICE / "samples").glob("*.yaml")))
def test_genera_ogni_esempio_dal_pacchetto(installato, esempio):
    venv, env, base = installato
    esempi = next((venv / "lib").glob("python*/site-packages/cer_docs/_risorse/samples"))
    out = base / f"out-{esempio}"
    r = _cli(installato, "genera", str(esempi / esempio), "--out", str(out), "--al", "2026-12-02")
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["documenti"], "nessun documento generato"
    for f in manifest["documenti"]:
        assert (out / f["file"]).stat().st_size > 0, f["file"]
    assert any(f["formato"] == "pdf" for f in manifest["documenti"])
    assert any(f["formato"] == "docx" for f in manifest["documenti"])
    assert (out / manifest["dossier"]["pdf"]["file"]).is_file()


def test_avvia_risponde(installato):
    venv, env, base = installato
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        porta = s.getsockname()[1]
    registro = base / "avvia.log"
    with open(registro, "wb") as log:
        # «cer-docs avvia» diventa il server Streamlit (exec): il SIGTERM lo ferma, senza orfani
        proc = subprocess.Popen([str(venv / "bin" / "cer-docs"), "avvia", "--porta", str(porta)], cwd=base, env=env,
                                stdout=log, stderr=subprocess.STDOUT)
        try:
            url = f"http://127.0.0.1:{porta}"
            assert attendi_salute(url, 120), "cer-docs avvia non risponde: " + registro.read_text(errors="replace")
            with urllib.request.urlopen(url + "/", timeout=10) as r:
                assert r.status == 200
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
                pytest.fail("cer-docs avvia non si è fermato con SIGTERM")
    uscita = registro.read_bytes()
    testo = uscita.decode(errors="replace")
    assert "Pratiche d'esempio caricate nell'archivio" in testo, testo[-2000:]
    assert "Traceback" not in testo, testo[-3000:]
