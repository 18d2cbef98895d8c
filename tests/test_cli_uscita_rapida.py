"""L'uscita rapida del comando (``cli._esci_subito``: ``os._exit`` dopo le funzioni ``atexit``) non
cambia ciò che vede chi lo usa: codici d'uscita, messaggi, database completo nel suo file."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ESEMPIO = ROOT / "samples" / "pratica-esempio.yaml"


def _shell(comando: str, dati: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CER_DOCS_DATA_DIR": str(dati)}
    return subprocess.run(["bash", "-c", f"{sys.executable} -m cer_docs {comando}"], capture_output=True, text=True,
                          env=env, timeout=300)


def test_con_stdout_o_stderr_chiusi_i_codici_restano_quelli(tmp_path):
    for comando, codice in (("--version >&-", 0), ("--version 2>&-", 0),
                            (f"genera {tmp_path / 'manca.yaml'} --out {tmp_path / 'x'} >&-", 2),
                            (f"genera {tmp_path / 'manca.yaml'} --out {tmp_path / 'x'} 2>&-", 2)):
        r = _shell(comando, tmp_path / "dati")
        assert r.returncode == codice, (comando, r.returncode, r.stderr)
        assert "Traceback" not in r.stderr, (comando, r.stderr)
        if "2>&-" not in comando and codice:
            assert "non si può leggere" in r.stderr


def test_dopo_un_comando_il_file_del_database_da_solo_contiene_tutto(tmp_path):
    """Con SQLite la chiusura delle connessioni a fine processo riporta il giornale (-wal) nel file: una
    copia del solo ``cer-docs.db`` (come dice il README per la copia di sicurezza) è completa."""
    r = _shell(f"importa {ESEMPIO}", tmp_path / "dati")
    assert r.returncode == 0, r.stderr
    assert not (tmp_path / "dati" / "cer-docs.db-wal").exists() or \
        (tmp_path / "dati" / "cer-docs.db-wal").stat().st_size == 0
    (tmp_path / "copia").mkdir()
    shutil.copy2(tmp_path / "dati" / "cer-docs.db", tmp_path / "copia" / "cer-docs.db")
    r = _shell("pratiche", tmp_path / "copia")
    assert r.returncode == 0, r.stderr
    assert "cer-colline-sieve" in r.stdout


def test_sigterm_a_meta_generazione_non_lascia_cartelle_mezze(tmp_path):
    """``kill`` (SIGTERM) durante ``genera`` fa come Ctrl-C: «Interrotto.», codice 143, la cartella
    temporanea accanto a ``--out`` cancellata e ``--out`` com'era (qui: non esiste)."""
    import signal
    import time

    import yaml

    from bench.genera_pratica import genera_pratica

    pratica = tmp_path / "p.yaml"
    pratica.write_text(yaml.safe_dump(genera_pratica(120).model_dump(mode="json", exclude_none=True),
                                      allow_unicode=True, sort_keys=False), encoding="utf-8")
    uscita = tmp_path / "pacchetto"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CER_DOCS_DATA_DIR": str(tmp_path / "dati")}
    proc = subprocess.Popen([sys.executable, "-m", "cer_docs", "genera", str(pratica), "--documenti", "dsan",
                             "--out", str(uscita), "--al", "2025-10-20"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    righe = []
    for riga in proc.stderr:          # si aspetta il primo file scritto: la generazione è a metà
        righe.append(riga)
        if "scritto" in riga:
            break
    assert any("scritto" in r for r in righe), "".join(righe)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".pacchetto")], "nessuna cartella temporanea"
    proc.send_signal(signal.SIGTERM)
    resto = proc.stderr.read()
    assert proc.wait(timeout=60) == 128 + signal.SIGTERM, resto[-2000:]
    assert "Interrotto." in resto and "Traceback" not in resto, resto[-2000:]
    time.sleep(0.1)
    assert not uscita.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
