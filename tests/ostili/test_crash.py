"""Categoria «crash»: kill -9 durante genera, disco pieno, database non disponibile, pratica enorme.

La cartella dei documenti contiene sempre un insieme completo e coerente con il suo
``manifest.json`` (il vecchio o il nuovo); i comandi dicono in italiano cosa non va.
"""

from __future__ import annotations

import errno
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from aiuti_ostili import ESEMPIO, ROOT, cli, cli_interno, controlla_manifest, senza_traceback


def _genera_processo(out: Path, *extra: str) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT), CER_DOCS_PDF_SEQUENZIALE="1")
    return subprocess.Popen([sys.executable, "-m", "cer_docs", "genera", str(ESEMPIO), "--out", str(out),
                             "--al", "2026-11-22", *extra], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)


@pytest.mark.slow  # circa 5 generazioni complete (45 s a macchina scarica); gira comunque in CI
def test_kill_9_durante_genera_lascia_sempre_un_insieme_completo(tmp_path):
    """Interrompe ``genera`` con SIGKILL in momenti casuali; dopo ognuno la cartella è coerente col manifest.

    Le generazioni si alternano tra BOZZA e definitiva, così il vecchio e il nuovo insieme hanno hash
    diversi e un miscuglio dei due non passerebbe il controllo.
    """
    out = tmp_path / "documenti"
    seme = int(os.environ.get("CER_DOCS_SEME_KILL", random.randrange(10**6)))
    caso = random.Random(seme)
    inizio = time.monotonic()
    p = _genera_processo(out, "--bozza")
    assert p.wait(timeout=240) == 0
    durata = time.monotonic() - inizio
    bozza = controlla_manifest(out)["bozza"]
    assert bozza is True
    # due momenti qualunque, e due scelti mentre i file vengono scritti (la fase che una volta lasciava
    # documenti nuovi accanto al manifest vecchio): appena compare la cartella temporanea, più un poco
    momenti: list[tuple[str, float]] = [("a caso", caso.uniform(0.2, 1.0) * durata) for _ in range(2)]
    momenti += [("in scrittura", caso.uniform(0.0, 0.6)) for _ in range(2)]
    for i, (quando, momento) in enumerate(momenti):
        extra = () if i % 2 == 0 else ("--bozza",)
        prima = out.stat().st_mtime_ns
        p = _genera_processo(out, *extra)
        if quando == "in scrittura":  # comincia la scrittura: una cartella temporanea accanto o un file dentro
            while (p.poll() is None and not list(tmp_path.glob(".documenti.nuova-*"))
                   and out.stat().st_mtime_ns == prima):
                time.sleep(0.005)
        try:
            p.wait(timeout=momento)
            finito = True
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()
            finito = False
        manifest = controlla_manifest(out)  # coerente, qualunque sia stato il momento (seme {seme})
        if finito:
            assert manifest["bozza"] == bool(extra), (seme, quando, momento)
        assert manifest["bozza"] in (True, False)
    # le cartelle temporanee dei processi uccisi stanno accanto alla destinazione, mai dentro,
    # e la generazione successiva le toglie
    p = _genera_processo(out, "--documenti", "statuto", "--formati", "docx")
    assert p.wait(timeout=120) == 0
    controlla_manifest(out)
    assert [x.name for x in tmp_path.iterdir()] == ["documenti"], list(tmp_path.iterdir())


def test_disco_pieno_durante_la_scrittura(tmp_path, monkeypatch):
    """Il disco si riempie al decimo file: «disco pieno», e la cartella resta quella di prima."""
    from cer_docs.documents import parallelo

    out = tmp_path / "documenti"
    e = cli_interno("genera", str(ESEMPIO), "--out", str(out), "--al", "2026-11-22", "--formati", "docx")
    assert e.codice == 0, e.testo
    prima = {p.name: p.read_bytes() for p in out.iterdir()}
    scritti = []
    vera = parallelo._scrivi  # ogni documento si scrive da qui, appena reso (issue 18)

    def scrivi_poi_riempi(percorso, dati):
        if len(scritti) >= 10:
            raise OSError(errno.ENOSPC, "No space left on device", str(percorso))
        scritti.append(percorso.name)
        vera(percorso, dati)

    monkeypatch.setattr(parallelo, "_scrivi", scrivi_poi_riempi)
    monkeypatch.setenv("CER_DOCS_CACHE_DOCUMENTI", "0")  # niente file già pronti: si scrive tutto
    e = cli_interno("genera", str(ESEMPIO), "--out", str(out), "--al", "2026-11-22", "--bozza")
    senza_traceback(e)
    assert e.codice == 2 and "disco pieno" in e.err and "No space" not in e.err, e.testo
    assert {p.name: p.read_bytes() for p in out.iterdir()} == prima
    assert [x.name for x in tmp_path.iterdir()] == ["documenti"]


def test_disco_pieno_vero_su_tmpfs(tmp_path):
    """Con un vero disco pieno (tmpfs di 3 MB, solo dove si può montare) la vecchia cartella resta intera."""
    punto = tmp_path / "piccolo"
    punto.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(punto)],
                                           capture_output=True).returncode != 0:
        pytest.skip("montare un tmpfs richiede i privilegi di root")
    try:
        out = punto / "documenti"
        e = cli("genera", str(ESEMPIO), "--out", str(out), "--formati", "docx", "--al", "2026-11-22")
        assert e.codice == 0, e.testo
        prima = controlla_manifest(out)
        e = cli("genera", str(ESEMPIO), "--out", str(out), "--al", "2026-11-22", "--bozza")
        senza_traceback(e)
        assert e.codice == 2 and "disco pieno" in e.err, e.testo
        assert controlla_manifest(out) == prima
        assert [x.name for x in punto.iterdir()] == ["documenti"]
    finally:
        subprocess.run(["umount", str(punto)], check=False)


@pytest.fixture
def base_condivisa():
    """Una cartella che l'utente nobody può attraversare (quella di pytest è riservata a root)."""
    base = Path(tempfile.mkdtemp(prefix="cer-docs-sola-lettura-"))
    base.chmod(0o755)
    yield base
    for p in base.rglob("*"):
        p.chmod(0o755)
    shutil.rmtree(base, ignore_errors=True)


def _sola_lettura(base: Path, *preparazione: str) -> tuple[dict[str, str], int | None]:
    """Una cartella dati con il database già creato, poi resa in sola lettura (per root: utente nobody)."""
    dati = base / "dati"
    env = {"CER_DOCS_DATA_DIR": str(dati)}
    assert cli(*(preparazione or ("campagna", "elenco")), env=env).codice == 0
    for p in [dati, *dati.iterdir()]:
        p.chmod(0o555 if p.is_dir() else 0o444)
    if os.geteuid() != 0:
        return env, None
    # root scrive ovunque: il comando gira come «nobody», se può eseguire l'interprete di questo ambiente
    prova = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable, "-c",
                            "import cer_docs"], capture_output=True, cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    if prova.returncode != 0:
        pytest.skip("l'utente nobody non può eseguire l'interprete di questo ambiente")
    return env, 65534


IMPORTA_CAMPAGNA = ("campagna", "importa", "samples/campagne/avviso-san-godenzo.yaml")


@pytest.mark.parametrize("preparazione, comando", [
    ((), IMPORTA_CAMPAGNA),
    (IMPORTA_CAMPAGNA, ("campagna", "decidi", "MI-2026-000001", "--decisione", "ammessa", "--autore", "U")),
], ids=["importa", "decidi"])
def test_campagna_con_database_in_sola_lettura(base_condivisa, preparazione, comando):
    env, utente = _sola_lettura(base_condivisa, *preparazione)
    e = cli(*comando, env=env, utente=utente)
    senza_traceback(e)
    assert e.codice == 1, e.testo
    assert "ErroreDatabase" not in e.testo and "sola lettura" in e.err, e.err


@pytest.mark.parametrize("comando", [("campagna", "elenco"), ("campagna", "esame", "x"),
                                     ("campagna", "importa", "samples/campagne/avviso-san-godenzo.yaml"),
                                     ("campagna", "esporta", "x", "--out", "x.csv")])
def test_campagna_con_postgresql_irraggiungibile(comando):
    e = cli(*comando, env={"CER_DOCS_DATABASE_URL": "postgresql+psycopg://cer@127.0.0.1:9/cer?connect_timeout=3"},
            tempo=60)
    senza_traceback(e)
    assert e.codice == 1, e.testo
    assert "ErroreDatabase" not in e.testo and "non è raggiungibile" in e.err, e.err


def test_campagna_con_database_sqlite_aperto_in_sola_lettura(tmp_path):
    db = tmp_path / "archivio.db"
    assert cli("campagna", "elenco", env={"CER_DOCS_DATABASE_URL": f"sqlite:///{db}"}).codice == 0
    url = f"sqlite:///file:{db}?mode=ro&uri=true"
    e = cli("campagna", "importa", "samples/campagne/avviso-san-godenzo.yaml", env={"CER_DOCS_DATABASE_URL": url})
    senza_traceback(e)
    assert e.codice == 1 and "sola lettura" in e.err, e.testo


@pytest.fixture(scope="module")
def pratica_10000(tmp_path_factory):
    sys.path.insert(0, str(ROOT))
    from bench.genera_pratica import genera_pratica
    from cer_docs.model import save_pratica

    f = tmp_path_factory.mktemp("grande") / "diecimila.yaml"
    save_pratica(genera_pratica(10_000), f)
    return f


@pytest.mark.parametrize("documenti", [None, "statuto,registro_membri"])
def test_genera_con_10000_membri_rifiuta_subito(tmp_path, pratica_10000, documenti):
    """Prima 537 s e 1,9 GB: ora un messaggio italiano prima di lavorare, in poca memoria, niente scritto."""
    args = ["genera", str(pratica_10000), "--out", str(tmp_path / "out"), "--al", "2026-11-22"]
    if documenti:
        args += ["--documenti", documenti]
    e = cli(*args, memoria=1024 * 1024 * 1024, tempo=60)
    senza_traceback(e)
    assert e.codice == 2, e.testo
    assert "10000 membri" in e.err and "CER_DOCS_LIMITE_MEMBRI_MASSIMI_GENERA" in e.err
    assert not (tmp_path / "out").exists()


def test_genera_pacchetto_con_troppi_documenti_rifiuta_subito(tmp_path, pratica_10000):
    """Sotto il limite di membri ma oltre quello dei documenti (un modulo di adesione per membro)."""
    e = cli("genera", str(pratica_10000), "--out", str(tmp_path / "out"), "--al", "2026-11-22",
            env={"CER_DOCS_LIMITE_MEMBRI_MASSIMI_GENERA": "20000"}, memoria=1024 * 1024 * 1024, tempo=90)
    senza_traceback(e)
    assert e.codice == 2 and "documenti" in e.err and "--documenti" in e.err, e.testo
    assert not (tmp_path / "out").exists()


def test_cartella_atomica_conserva_file_utente_permessi_e_collegamenti(tmp_path):
    """Lo scambio non perde i file che l'utente teneva nella cartella, né i suoi permessi o un link simbolico."""
    from cer_docs.sicurezza.cartelle import cartella_atomica, scrivi_file

    vera = tmp_path / "vera"
    (vera / "sotto").mkdir(parents=True)
    (vera / "appunti.txt").write_text("miei", encoding="utf-8")
    (vera / "sotto" / "firma.p7m").write_bytes(b"x")
    vera.chmod(0o700)
    link = tmp_path / "documenti"
    link.symlink_to(vera)
    with cartella_atomica(link) as t:
        scrivi_file(t, "manifest.json", b"{}")
    assert link.is_symlink() and sorted(p.name for p in vera.iterdir()) == ["appunti.txt", "manifest.json", "sotto"]
    assert (vera / "sotto" / "firma.p7m").read_bytes() == b"x" and (vera.stat().st_mode & 0o777) == 0o700
    with pytest.raises(RuntimeError):  # un errore a metà: la cartella resta com'era, nessun avanzo
        with cartella_atomica(vera) as t:
            scrivi_file(t, "mezzo.docx", b"1")
            raise RuntimeError("interrotto")
    assert sorted(p.name for p in vera.iterdir()) == ["appunti.txt", "manifest.json", "sotto"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["documenti", "vera"]
