"""La riga di comando parla italiano anche dove il testo viene da Typer e Click: aiuto, versione,
errori d'uso. Si prova il programma vero (``python -m cer_docs``), come lo lancia un utente."""

from __future__ import annotations

import subprocess
import sys

import cer_docs


def _cer_docs(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cer_docs", *args], capture_output=True, text=True, timeout=120)


def test_aiuto_in_italiano():
    r = _cer_docs("--help")
    assert r.returncode == 0
    assert r.stdout.startswith("Utilizzo: cer-docs [OPZIONI] COMANDO [ARGOMENTI]...")
    assert "Mostra questo messaggio ed esci." in r.stdout
    for inglese in ("Usage:", "Show this message", "Options:", "Commands:", "[OPTIONS]"):
        assert inglese not in r.stdout
    r = _cer_docs("genera", "--help")
    assert "Opzioni:" in r.stdout and "predefinito:" in r.stdout and "obbligatorio" in r.stdout
    assert "default:" not in r.stdout and "required" not in r.stdout


def test_versione():
    r = _cer_docs("--version")
    assert r.returncode == 0 and r.stdout.strip() == f"cer-docs {cer_docs.__version__}"


def test_errori_d_uso_in_italiano():
    r = _cer_docs("genera", "--nonesiste")
    assert r.returncode == 2
    assert "Errore: Nessuna opzione: --nonesiste" in r.stderr
    assert "Prova 'cer-docs genera --help' per l'aiuto." in r.stderr
    r = _cer_docs("generaa")
    assert r.returncode == 2 and "Nessun comando 'generaa'. Forse intendevi 'genera'?" in r.stderr
    r = _cer_docs("genera")
    assert r.returncode == 2 and "Manca l'argomento 'pratica'." in r.stderr
    r = _cer_docs("genera", "x.yaml", "--formati")
    assert r.returncode == 2 and "L'opzione '--formati' vuole un valore." in r.stderr
    for inglese in ("Error:", "Try '", "No such", "Missing", "Did you mean"):
        assert inglese not in r.stderr
