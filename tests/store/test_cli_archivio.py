"""``cer-docs importa / esporta / pratiche``: esiti, messaggi italiani, nessun traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from cer_docs.cli import archivio as cli_archivio
from cer_docs.model import load_pratica, parse_text

REPO = Path(__file__).resolve().parents[2]
ESEMPIO = REPO / "samples" / "pratica-esempio.yaml"
CODICE = "cer-colline-sieve"


@pytest.fixture
def cli(db_url, monkeypatch):
    """Esegue un comando con il database del test (via CER_DOCS_DATABASE_URL)."""
    monkeypatch.setenv("CER_DOCS_DATABASE_URL", db_url)
    app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
    cli_archivio.register(app)
    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)

    return run


def test_importa_esporta_pratiche(cli, tmp_path):
    r = cli("pratiche")
    assert r.exit_code == 0 and "Nessuna pratica" in r.stdout

    r = cli("importa", ESEMPIO, "--autore", "Anna")
    assert r.exit_code == 0, r.output
    assert f"Pratica '{CODICE}' importata (versione 1, 6 membri)" in r.stdout

    r = cli("pratiche")
    assert r.exit_code == 0
    intestazione, riga = r.stdout.splitlines()
    assert intestazione.split() == ["CODICE", "DENOMINAZIONE", "STATO", "MEMBRI", "VERSIONE", "AGGIORNATA"]
    assert riga.startswith(CODICE) and "Costituita" in riga and " 6 " in riga

    r = cli("pratiche", "--json")
    [voce] = json.loads(r.stdout)
    assert (voce["codice"], voce["numero_membri"], voce["versione"]) == (CODICE, 6, 1)

    r = cli("esporta", CODICE)
    assert r.exit_code == 0
    assert parse_text(r.stdout, "stdout.yaml") == load_pratica(ESEMPIO)

    r = cli("esporta", CODICE, "--formato", "json")
    assert parse_text(r.stdout, "stdout.json") == load_pratica(ESEMPIO)

    out = tmp_path / "uscita" / "copia.json"
    out.parent.mkdir()
    r = cli("esporta", CODICE, "--out", out)
    assert r.exit_code == 0, r.output
    assert out.read_text(encoding="utf-8").lstrip().startswith("{")  # formato dall'estensione
    assert load_pratica(out) == load_pratica(ESEMPIO)
    assert [p.name for p in out.parent.iterdir()] == ["copia.json"]  # nessun file temporaneo rimasto


def test_importa_due_volte_e_sostituisci(cli):
    assert cli("importa", ESEMPIO, "--autore", "Anna").exit_code == 0
    r = cli("importa", ESEMPIO)
    assert r.exit_code == 1
    assert "c'è già una pratica con codice 'cer-colline-sieve'" in r.stderr and "--sostituisci" in r.stderr
    r = cli("importa", ESEMPIO, "--sostituisci", "--autore", "Bruno")
    assert r.exit_code == 0 and "versione 2" in r.stdout


@pytest.mark.parametrize("contenuto, atteso", [
    ("formato: cer-docs/pratica@1\npratica: [\n", "YAML non valido"),
    (ESEMPIO.read_text(encoding="utf-8").replace("{soggetto: rossi-mario,", "{soggetto: nessuno,"),
     "il soggetto 'nessuno' non esiste"),
])
def test_importa_file_illeggibile(cli, tmp_path, contenuto, atteso):
    p = tmp_path / "errato.yaml"
    p.write_text(contenuto, encoding="utf-8")
    r = cli("importa", p)
    assert r.exit_code == 2
    assert atteso in r.stderr and "Traceback" not in r.output
    assert r.stdout == ""
    assert json.loads(cli("pratiche", "--json").stdout) == []


def test_importa_file_mancante(cli, tmp_path):
    r = cli("importa", tmp_path / "manca.yaml")
    assert r.exit_code == 2 and "il file non esiste" in r.stderr


def test_esporta_errori(cli, tmp_path):
    r = cli("esporta", "non-esiste")
    assert r.exit_code == 1 and "non è nell'archivio" in r.stderr
    cli("importa", ESEMPIO)
    r = cli("esporta", CODICE, "--formato", "xml")
    assert r.exit_code == 2 and "usa yaml o json" in r.stderr
    r = cli("esporta", CODICE, "--out", tmp_path / "manca" / "x.yaml")
    assert r.exit_code == 1 and "non esiste" in r.stderr


def test_database_irraggiungibile(monkeypatch):
    monkeypatch.setenv("CER_DOCS_DATABASE_URL", "postgresql+psycopg://nessuno@127.0.0.1:1/nulla?connect_timeout=2")
    app = typer.Typer(add_completion=False)
    cli_archivio.register(app)
    r = CliRunner().invoke(app, ["pratiche"], catch_exceptions=False)
    assert r.exit_code == 1
    assert "non è raggiungibile" in r.stderr and "Traceback" not in r.output


@pytest.mark.parametrize("url, atteso", [
    ("niente-di-valido", "l'indirizzo del database non è valido"),
    ("mysql+nessundriver://x@y/z", "non è utilizzabile: cer-docs usa SQLite (sqlite:///percorso/del/file.db) o "
                                   "PostgreSQL (postgresql+psycopg://utente@host/database)"),
    ("mysql://x@y/z", "non è utilizzabile: cer-docs usa SQLite"),
    ("postgres://cer@db/cer", "scrivi 'postgresql+psycopg://' al posto di 'postgres://'"),
])
def test_indirizzo_database_sbagliato(monkeypatch, url, atteso):
    monkeypatch.setenv("CER_DOCS_DATABASE_URL", url)
    app = typer.Typer(add_completion=False)
    cli_archivio.register(app)
    r = CliRunner().invoke(app, ["pratiche"], catch_exceptions=False)
    assert r.exit_code == 1 and atteso in " ".join(r.stderr.split())
    assert "CER_DOCS_DATABASE_URL" in r.stderr and "plugin" not in r.stderr and "module" not in r.stderr


def test_cartella_dati_non_creabile(monkeypatch, tmp_path):
    (tmp_path / "file").write_text("x")
    monkeypatch.setenv("CER_DOCS_DATA_DIR", str(tmp_path / "file" / "sotto"))
    app = typer.Typer(add_completion=False)
    cli_archivio.register(app)
    r = CliRunner().invoke(app, ["pratiche"], catch_exceptions=False)
    assert r.exit_code == 1 and "non posso creare la cartella dati" in r.stderr


def test_comando_vero_con_cartella_dati(tmp_path):
    """Il programma installato, in un processo a parte, con una cartella dati nuova."""
    env = {k: v for k, v in os.environ.items() if k not in ("CER_DOCS_DATABASE_URL", "CER_DOCS_AUTORE")}
    env["CER_DOCS_DATA_DIR"] = str(tmp_path / "dati")

    def run(*args):
        return subprocess.run([sys.executable, "-c", "from cer_docs.cli import main; main()", *map(str, args)],
                              env=env, capture_output=True, text=True, timeout=120)

    r = run("importa", ESEMPIO, "--autore", "Anna")
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "dati" / "cer-docs.db").is_file()
    r = run("importa", tmp_path / "manca.yaml")
    assert r.returncode == 2 and "il file non esiste" in r.stderr and "Traceback" not in r.stderr
    r = run("esporta", CODICE, "--formato", "json")
    assert r.returncode == 0 and json.loads(r.stdout)["pratica"]["id"] == CODICE
    r = run("pratiche")
    assert r.returncode == 0 and CODICE in r.stdout
