"""Riga di comando: ``cer-docs utente``, ``--utente`` verificato, ``avvia`` personale e server."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from cer_docs import cli
from cer_docs.cli import avvia as cli_avvia
from cer_docs.services import archivio

ROOT = Path(__file__).resolve().parents[2]
ESEMPIO = ROOT / "samples" / "pratica-esempio.yaml"
PW = "cavallo batteria graffetta"


@pytest.fixture
def cer_docs(db_url, monkeypatch):
    monkeypatch.setenv("CER_DOCS_DATABASE_URL", db_url)
    cli._register_all()
    runner = CliRunner()

    def run(*args: str, input: str | None = None):
        return runner.invoke(cli.app, [str(a) for a in args], input=input, catch_exceptions=False)

    return run


def test_la_password_non_e_mai_un_argomento(cer_docs):
    r = cer_docs("utente", "crea", "anna", "--nome", "Anna Rossi", "--password", PW)
    assert r.exit_code == 2 and "Nessuna opzione" in r.output
    # dal prompt, con conferma
    r = cer_docs("utente", "crea", "anna", "--nome", "Anna Rossi", "--amministratore", input=f"{PW}\n{PW}\n")
    assert r.exit_code == 0, r.output
    assert PW not in r.stdout
    r = cer_docs("utente", "crea", "bruno", "--nome", "Bruno Bianchi", "--password-stdin", input=f"{PW}\n")
    assert r.exit_code == 0, r.output
    r = cer_docs("utente", "crea", "carla", "--nome", "Carla", "--password-stdin", input="corta\n")
    assert r.exit_code == 1 and "almeno 12 caratteri" in r.stderr


def test_utente_ruolo_elenco_disattiva_e_autore_vero(cer_docs, tmp_path):
    cer_docs("utente", "crea", "bruno", "--nome", "Bruno Bianchi", "--password-stdin", input=f"{PW}\n")
    assert cer_docs("importa", ESEMPIO, "--autore", "Ufficio").exit_code == 0
    r = cer_docs("utente", "ruolo", "bruno", "revisore", "--pratica", "cer-colline-sieve")
    assert r.exit_code == 0 and "revisore" in r.stdout
    r = cer_docs("utente", "elenco")
    assert "bruno  Bruno Bianchi  (attivo)" in r.stdout and "pratica cer-colline-sieve: revisore" in r.stdout
    # --utente: l'account con i suoi ruoli; un revisore non esporta i dati personali
    r = cer_docs("--utente", "bruno", "pratiche")
    assert r.exit_code == 0 and "cer-colline-sieve" in r.stdout
    r = cer_docs("--utente", "bruno", "esporta", "cer-colline-sieve", "-o", tmp_path / "x.yaml")
    assert r.exit_code == 1 and "revisore" in r.stderr and not (tmp_path / "x.yaml").exists()
    cer_docs("utente", "ruolo", "bruno", "titolare", "--pratica", "cer-colline-sieve")
    r = cer_docs("--utente", "bruno", "importa", ESEMPIO, "--sostituisci", "--autore", "Sindaco (finto)")
    assert r.exit_code == 0, r.output
    assert archivio.eventi("cer-colline-sieve")[-1].autore == "Bruno Bianchi (bruno)"
    # un utente sconosciuto o disattivato è rifiutato, prima di fare qualunque cosa
    r = cer_docs("--utente", "intruso", "pratiche")
    assert r.exit_code == 1 and "nessun utente attivo 'intruso'" in r.stderr
    cer_docs("utente", "crea", "amm", "--nome", "Alba", "--amministratore", "--password-stdin", input=f"{PW}\n")
    assert cer_docs("utente", "disattiva", "bruno").exit_code == 0
    r = cer_docs("--utente", "bruno", "pratiche")
    assert r.exit_code == 1
    # chi non è amministratore non gestisce gli account
    cer_docs("utente", "crea", "dario", "--nome", "Dario", "--password-stdin", input=f"{PW}\n")
    r = cer_docs("--utente", "dario", "utente", "elenco")
    assert r.exit_code == 1 and "amministratore" in r.stderr


def test_avvia_personale_solo_su_127_0_0_1(cer_docs, monkeypatch):
    chiamate = []
    monkeypatch.setattr(cli_avvia, "esegui_streamlit", lambda cmd, env: chiamate.append((cmd, env)))
    r = cer_docs("avvia")
    assert r.exit_code == 0, r.output
    [(cmd, env)] = chiamate
    assert cmd[cmd.index("--server.address") + 1] == "127.0.0.1"
    assert cmd[cmd.index("--server.enableXsrfProtection") + 1] == "true"
    assert env["CER_DOCS_MODALITA"] == "personale"
    assert "cer-colline-sieve" in r.stdout  # l'esempio di riferimento è caricato
    r = cer_docs("avvia", "--indirizzo", "0.0.0.0")
    assert r.exit_code == 2 and "--server" in r.stderr and len(chiamate) == 1


def test_avvia_server_rifiuta_senza_amministratore_e_senza_chiave(cer_docs, monkeypatch, tmp_path):
    chiamate = []
    monkeypatch.setattr(cli_avvia, "esegui_streamlit", lambda cmd, env: chiamate.append((cmd, env)))
    r = cer_docs("avvia", "--server")
    assert r.exit_code == 2 and "almeno un amministratore attivo" in r.stderr and chiamate == []
    cer_docs("utente", "crea", "bruno", "--nome", "Bruno", "--password-stdin", input=f"{PW}\n")
    assert cer_docs("avvia", "--server").exit_code == 2  # un utente qualsiasi non basta
    cer_docs("utente", "crea", "amm", "--nome", "Alba", "--amministratore", "--password-stdin", input=f"{PW}\n")
    r = cer_docs("avvia", "--server")  # manca ancora la chiave di cifratura
    assert r.exit_code == 2 and "cer-docs chiave genera" in r.stderr and chiamate == []
    chiave = tmp_path / "segreti" / "chiave"
    r = cer_docs("chiave", "genera", "--file", chiave)
    assert r.exit_code == 0 and oct(chiave.stat().st_mode & 0o777) == "0o600"
    assert cer_docs("chiave", "genera", "--file", chiave).exit_code == 1  # mai sovrascritta
    monkeypatch.setenv("CER_DOCS_CHIAVE_FILE", str(chiave))
    r = cer_docs("avvia", "--server")
    assert r.exit_code == 0, r.output
    [(cmd, env)] = chiamate
    assert env["CER_DOCS_MODALITA"] == "server"
    assert cmd[cmd.index("--server.enableCORS") + 1] == "true"
    assert cmd[cmd.index("--server.allowedHosts") + 1] == "*" and "nessun nome indicato con --host" in r.stderr
    assert archivio.elenco_pratiche() == []  # in un ufficio non si caricano pratiche d'esempio
    # la stessa cosa con l'impostazione invece dell'opzione
    monkeypatch.setenv("CER_DOCS_MODALITA", "server")
    cer_docs("utente", "disattiva", "bruno")
    assert cer_docs("avvia").exit_code == 0 and chiamate[-1][1]["CER_DOCS_MODALITA"] == "server"


def test_modulo_pubblico_in_un_processo_suo_senza_account(cer_docs, monkeypatch):
    chiamate = []
    monkeypatch.setattr(cli_avvia, "esegui_streamlit", lambda cmd, env: chiamate.append((cmd, env)))
    assert cer_docs("modulo-pubblico").exit_code == 0
    [(cmd, env)] = chiamate
    assert cmd[cmd.index("run") + 1].endswith("modulo_pubblico.py")
    assert "CER_DOCS_MODALITA" not in env or env["CER_DOCS_MODALITA"] != "server"
    assert cmd[cmd.index("--server.enableCORS") + 1] == "true"


def test_avvia_server_con_i_nomi_pubblicati(cer_docs, monkeypatch, tmp_path):
    """``--host`` (o ``CER_DOCS_HOST``) diventa ``server.allowedHosts``: le richieste con un altro nome
    sono rifiutate da Streamlit."""
    chiamate = []
    monkeypatch.setattr(cli_avvia, "esegui_streamlit", lambda cmd, env: chiamate.append((cmd, env)))
    cer_docs("utente", "crea", "amm", "--nome", "Alba", "--amministratore", "--password-stdin", input=f"{PW}\n")
    chiave = tmp_path / "chiave"
    cer_docs("chiave", "genera", "--file", chiave)
    monkeypatch.setenv("CER_DOCS_CHIAVE_FILE", str(chiave))
    r = cer_docs("avvia", "--server", "--host", "CER-Docs.Comune.example.it", "--host", "cer-docs.comune.example.it")
    assert r.exit_code == 0 and "nessun nome indicato" not in r.stderr
    cmd = chiamate[-1][0]
    assert [cmd[i + 1] for i, x in enumerate(cmd) if x == "--server.allowedHosts"] == ["cer-docs.comune.example.it"]
    monkeypatch.setenv("CER_DOCS_HOST", "partecipa.comune.example.it, altro.example.it")
    assert cer_docs("modulo-pubblico").exit_code == 0
    cmd = chiamate[-1][0]
    assert [cmd[i + 1] for i, x in enumerate(cmd) if x == "--server.allowedHosts"] == [
        "partecipa.comune.example.it", "altro.example.it"]


def test_ip_del_cliente_solo_da_un_proxy_fidato():
    from cer_docs.services.accesso import ip_cliente

    xff = {"X-Forwarded-For": "203.0.113.7, 10.0.0.5"}
    # senza proxy fidati l'intestazione si ignora: chiunque potrebbe scriverla
    assert ip_cliente("198.51.100.9", xff, {}) == "198.51.100.9"
    assert ip_cliente(None, xff, {}) is None
    # il proxy sulla stessa macchina (Streamlit dà None) e uno interno, fidati: conta il primo non fidato da destra
    env = {"CER_DOCS_PROXY_FIDATI": "127.0.0.1, 10.0.0.5"}
    assert ip_cliente(None, xff, env) == "203.0.113.7"
    assert ip_cliente(None, {"x-forwarded-for": "1.2.3.4, 203.0.113.7"}, env) == "203.0.113.7"
    # una connessione diretta da fuori non diventa fidata perché lo dice
    assert ip_cliente("198.51.100.9", xff, env) == "198.51.100.9"
