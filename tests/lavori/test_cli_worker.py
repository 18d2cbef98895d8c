"""``cer-docs worker``: esegue la coda e si ferma pulito; errori in italiano, senza traceback."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from cer_docs.services import archivio, lavori
from cer_docs.services import procedura as proc

RADICE = Path(__file__).resolve().parents[2]
AL = dt.date(2026, 12, 1)


def _worker(*args: str, **variabili: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(RADICE), **variabili}
    return subprocess.Popen([sys.executable, "-m", "cer_docs", "worker", *args], env=env, cwd=RADICE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_worker_esegue_la_coda_e_si_ferma_quando_e_vuota():
    archivio.importa_file(RADICE / "samples" / "pratica-esempio.yaml", autore="Anna")
    lav = lavori.accoda_generazione("cer-colline-sieve", ["statuto"], bozza=True, al=AL, formati=["docx"])
    p = _worker("--fino-a-coda-vuota", "--nome", "prova")
    out, err = p.communicate(timeout=300)
    assert p.returncode == 0, err
    assert "Esecutore prova avviato" in err and "Esecutore prova fermato: 1 lavoro eseguito." in err
    assert "Traceback" not in err
    assert lavori.lavoro(lav.id).stato == "fatto"
    assert proc.ultima_generazione("cer-colline-sieve").file[0].documento == "statuto"


def test_l_aiuto_del_worker_e_in_italiano():
    p = _worker("--help")
    out, err = p.communicate(timeout=60)
    assert p.returncode == 0, err
    assert "--nome NOME" in out and "<str>" not in out
    assert "--affitto SECONDI" in out and "SIGTERM" in out


def test_worker_si_ferma_con_sigterm():
    p = _worker("--attesa", "0.2")
    inizio = time.monotonic()
    while "avviato" not in (riga := p.stderr.readline()):
        assert riga and time.monotonic() - inizio < 120, "il worker non è partito"
    p.send_signal(signal.SIGTERM)
    _out, err = p.communicate(timeout=60)
    assert p.returncode == 0
    assert "Finisco il lavoro in corso e mi fermo" in err and "fermato: 0 lavori eseguiti" in err


def test_worker_con_un_database_irraggiungibile_spiega_l_errore():
    p = _worker(CER_DOCS_DATABASE_URL="postgresql+psycopg://nessuno@127.0.0.1:1/niente")
    _out, err = p.communicate(timeout=120)
    assert p.returncode == 2
    assert err.startswith("Errore: il database") and "non è raggiungibile" in err
    assert "Traceback" not in err
