"""``cer-docs avvia``: l'app dell'ufficio; ``cer-docs modulo-pubblico``: l'app pubblica (processo a parte).

Due modi di usare l'app dell'ufficio:

- **personale** (predefinito, ``make run``): una persona, sul proprio computer. Ascolta solo su
  127.0.0.1, niente login, carica le pratiche d'esempio.
- **server** (``--server`` o ``CER_DOCS_MODALITA=server``): più persone in rete. Serve almeno un
  amministratore attivo (``cer-docs utente crea ... --amministratore``), ogni persona entra con il
  suo account e vede solo le pratiche condivise con lei; protezione XSRF attiva.

In tutti e due i modi Streamlit accetta le connessioni WebSocket solo dalla stessa origine
(``server.enableCORS`` acceso: una pagina di un altro sito aperta nello stesso browser non può
pilotare l'app) e, se sono indicati i nomi con cui si raggiunge l'app (``--host`` o
``CER_DOCS_HOST``; in modalità personale sempre ``localhost`` e ``127.0.0.1``), solo le richieste
con quel nome (difesa dal DNS rebinding).

Il modulo pubblico non chiede account e gira sempre in un processo suo, separato dall'ufficio.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Optional

import typer

from cer_docs.italiano import plurale
from cer_docs.model import ErrorePratica
from cer_docs.risorse import cartella
from cer_docs.services import accesso, archivio, avvio, chiave, utenti
from cer_docs.services import verifica as svc_verifica

from ._util import fail, oggi

APP_UI = cartella("ui") / "app.py"
APP_PUBBLICA = cartella("ui") / "modulo_pubblico.py"

# opzioni di Streamlit sempre attive: nessun dettaglio tecnico agli utenti, protezione XSRF, e CORS acceso:
# con ``enableCORS=false`` Streamlit accetterebbe WebSocket da qualunque sito (avviso di Streamlit 1.67)
_SICUREZZA = ["--server.headless", "true", "--browser.gatherUsageStats", "false",
              "--server.enableXsrfProtection", "true", "--server.enableCORS", "true"]

ENV_HOST = "CER_DOCS_HOST"
HOST_LOCALI = ("localhost", "127.0.0.1")


def host_consentiti(dati: list[str] | None = None, environ: dict[str, str] | None = None) -> list[str]:
    """I nomi con cui si raggiunge l'app (opzione ``--host``, ripetibile o separata da virgole, oppure
    ``CER_DOCS_HOST``), in minuscolo e senza doppioni; vuoto se non indicati."""
    grezzi = list(dati or []) or [(environ if environ is not None else os.environ).get(ENV_HOST, "")]
    nomi: list[str] = []
    for g in grezzi:
        for n in g.split(","):
            n = n.strip().lower().rstrip(".")
            if n and n not in nomi:
                nomi.append(n)
    return nomi


def comando_streamlit(app: Path, porta: int, indirizzo: str, extra: list[str] | None = None, *,
                      host: list[str] | None = None) -> list[str]:
    """La riga di comando di Streamlit; ``host`` = nomi accettati nell'intestazione Host (``["*"]``:
    qualunque; ``None``: quelli del file di configurazione, cioè ``localhost`` e ``127.0.0.1``)."""
    nomi = [x for h in (host or []) for x in ("--server.allowedHosts", h)]
    return [sys.executable, "-m", "streamlit", "run", str(app), "--server.port", str(porta),
            "--server.address", indirizzo, *_SICUREZZA, *nomi, *(extra or [])]


def _host_server(host: list[str] | None) -> list[str]:
    nomi = host_consentiti(host)
    if not nomi:
        typer.echo(f"Nota: nessun nome indicato con --host (o {ENV_HOST}): si accetta qualunque nome nella "
                   "richiesta. Indica quello pubblicato dal proxy (per esempio --host cer-docs.comune.example.it) "
                   "per difenderti dal DNS rebinding.", err=True)
        return ["*"]
    return nomi


def esegui_streamlit(cmd: list[str], env: dict[str, str]) -> None:
    """Passa il processo a Streamlit: un segnale (SIGTERM da systemd, da un supervisore o da un test)
    arriva direttamente al server, che non resta orfano di un ``cer-docs`` terminato."""
    sys.stdout.flush()
    sys.stderr.flush()
    if os.name == "posix":
        os.execve(cmd[0], cmd, env)
    raise typer.Exit(subprocess.call(cmd, env=env))


def prepara_server(indirizzo: str | None) -> tuple[str, dict[str, str]]:
    """Controlli prima di servire in rete: almeno un amministratore attivo. Restituisce indirizzo e ambiente."""
    try:
        n = utenti.amministratori_attivi()
    except archivio.ErroreDatabase as e:
        fail(f"Errore: {e}", 2)
    if n < 1:
        fail("Errore: la modalità server richiede almeno un amministratore attivo, e non ce n'è nessuno. "
             "Crealo con: cer-docs utente crea NOME_UTENTE --nome 'Nome Cognome' --amministratore", 2)
    try:
        cifrato = chiave.attiva()
    except chiave.ErroreChiave as e:
        fail(f"Errore: {e}", 2)
    if not cifrato:
        fail(f"Errore: in modalità server i dati personali vanno cifrati con una chiave fuori dal database, e "
             f"non ce n'è: generala con 'cer-docs chiave genera --file /percorso/chiave', indicala con "
             f"{chiave.ENV_CHIAVE_FILE}, poi cifra ciò che c'è già con 'cer-docs chiave cifra-archivio'.", 2)
    env = os.environ.copy()
    env[accesso.ENV_MODALITA] = "server"
    return indirizzo or "0.0.0.0", env  # noqa: S104 - la modalità server serve apposta in rete


def register(app: typer.Typer) -> None:
    _register_pubblico(app)

    @app.command("avvia")
    def avvia(
        porta: int = typer.Option(8501, "--porta", help="Porta dell'interfaccia web"),
        senza_ui: bool = typer.Option(False, "--senza-ui", help="Prepara l'archivio e mostra la verifica, senza web"),
        server: bool = typer.Option(False, "--server", help="Modalità server: più persone in rete, ciascuna con il "
                                                            "suo account (serve un amministratore attivo)"),
        indirizzo: Optional[str] = typer.Option(None, "--indirizzo", metavar="IP", show_default=False,
                                                help="Indirizzo su cui ascoltare (personale: sempre 127.0.0.1; "
                                                     "server: predefinito 0.0.0.0, 127.0.0.1 dietro un proxy)"),
        host: Optional[list[str]] = typer.Option(None, "--host", metavar="NOME", show_default=False,
                                                 help=f"Modalità server: il nome con cui le persone raggiungono "
                                                      f"l'app (ripetibile; oppure {ENV_HOST}, separati da virgole). "
                                                      "Le richieste con un altro nome sono rifiutate."),
    ) -> None:
        """Avvia cer-docs: da solo sul tuo computer (predefinito) o in rete per un ufficio (--server)."""
        try:
            server = server or accesso.modalita() == "server"
        except ValueError as e:
            fail(f"Errore: {e}", 2)
        if server:
            indirizzo, env = prepara_server(indirizzo)
            if APP_UI.exists() and not senza_ui:
                typer.echo(f"cer-docs in modalità server su http://{indirizzo}:{porta} (accesso con account)")
                esegui_streamlit(comando_streamlit(APP_UI, porta, indirizzo, host=_host_server(host)), env)
            typer.echo("Modalità server pronta: almeno un amministratore attivo.")
            return
        if indirizzo is not None and not accesso.e_locale(indirizzo):
            fail(f"Errore: in modalità personale cer-docs ascolta solo su questo computer (127.0.0.1), non su "
                 f"{indirizzo}: per servirlo in rete usa 'cer-docs avvia --server' con gli account.", 2)
        try:
            nuovi = avvio.carica_esempi()
        except (ErrorePratica, archivio.ErroreArchivio, archivio.ErroreDatabase) as e:
            fail(str(e), 2)
        if nuovi:
            typer.echo(f"Pratiche d'esempio caricate nell'archivio: {', '.join(nuovi)}")
        voci = archivio.elenco_pratiche()
        typer.echo(f"Archivio: {plurale(len(voci), 'pratica', 'pratiche')}.")
        for v in voci:
            typer.echo(f"  - {v.codice}: {v.denominazione} ({v.stato_etichetta.lower()}, {plurale(v.numero_membri, 'membro', 'membri')})")
        if APP_UI.exists() and not senza_ui:
            typer.echo(f"Avvio dell'interfaccia su http://localhost:{porta} (solo da questo computer)")
            env = os.environ.copy()
            env[accesso.ENV_MODALITA] = "personale"
            esegui_streamlit(comando_streamlit(APP_UI, porta, "127.0.0.1", host=list(HOST_LOCALI)), env)
        aperta = archivio.apri("cer-colline-sieve") if any(v.codice == "cer-colline-sieve" for v in voci) else None
        if aperta is not None:
            typer.echo("")
            typer.echo(svc_verifica.report_testo(svc_verifica.verifica_pratica(aperta.pratica, oggi())))
        typer.echo("")
        typer.echo("Prossimi passi: 'cer-docs verifica FILE', 'cer-docs genera FILE --out CARTELLA', "
                   "'cer-docs pratiche', 'cer-docs --help'.")


def _register_pubblico(app: typer.Typer) -> None:
    @app.command("modulo-pubblico")
    def modulo_pubblico(
        porta: int = typer.Option(8502, "--porta", help="Porta dell'app pubblica"),
        indirizzo: str = typer.Option("127.0.0.1", "--indirizzo", metavar="IP",
                                      help="Indirizzo su cui ascoltare (127.0.0.1 dietro un proxy inverso)"),
        host: Optional[list[str]] = typer.Option(None, "--host", metavar="NOME", show_default=False,
                                                 help=f"Il nome pubblico del modulo (ripetibile; oppure {ENV_HOST}). "
                                                      "Le richieste con un altro nome sono rifiutate."),
    ) -> None:
        """Avvia l'app pubblica delle manifestazioni di interesse (solo il modulo di candidatura, senza account)."""
        cmd = comando_streamlit(APP_PUBBLICA, porta, indirizzo,
                                ["--server.maxUploadSize", "20", "--client.toolbarMode", "viewer"],
                                host=_host_server(host))
        typer.echo(f"Modulo pubblico su http://{indirizzo}:{porta}/?campagna=CODICE")
        esegui_streamlit(cmd, os.environ.copy())
