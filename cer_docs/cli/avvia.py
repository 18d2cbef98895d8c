"""``cer-docs avvia``: prepara l'archivio con gli esempi e avvia l'interfaccia (se installata)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import typer

from cer_docs.model import ErrorePratica
from cer_docs.services import archivio, avvio
from cer_docs.services import verifica as svc_verifica

from ._util import fail, oggi

APP_UI = Path(__file__).resolve().parents[2] / "ui" / "app.py"


def register(app: typer.Typer) -> None:
    _register_pubblico(app)

    @app.command("avvia")
    def avvia(
        porta: int = typer.Option(8501, "--porta", help="Porta dell'interfaccia web"),
        senza_ui: bool = typer.Option(False, "--senza-ui", help="Prepara l'archivio e mostra la verifica, senza web"),
    ) -> None:
        """Carica le pratiche d'esempio nell'archivio predefinito (SQLite) e avvia cer-docs."""
        try:
            nuovi = avvio.carica_esempi()
        except (ErrorePratica, archivio.ErroreArchivio, archivio.ErroreDatabase) as e:
            fail(str(e), 2)
        if nuovi:
            typer.echo(f"Pratiche d'esempio caricate nell'archivio: {', '.join(nuovi)}")
        voci = archivio.elenco_pratiche()
        typer.echo(f"Archivio: {len(voci)} pratiche.")
        for v in voci:
            typer.echo(f"  - {v.codice}: {v.denominazione} ({v.stato}, {v.numero_membri} membri)")
        if APP_UI.exists() and not senza_ui:
            typer.echo(f"Avvio dell'interfaccia su http://localhost:{porta}")
            cmd = [sys.executable, "-m", "streamlit", "run", str(APP_UI), "--server.port", str(porta),
                   "--server.headless", "true", "--browser.gatherUsageStats", "false"]
            raise typer.Exit(subprocess.call(cmd, env=os.environ.copy()))
        aperta = archivio.apri("cer-colline-sieve") if any(v.codice == "cer-colline-sieve" for v in voci) else None
        if aperta is not None:
            typer.echo("")
            typer.echo(svc_verifica.report_testo(svc_verifica.verifica_pratica(aperta.pratica, oggi())))
        typer.echo("")
        typer.echo("Prossimi passi: 'cer-docs verifica FILE', 'cer-docs genera FILE --out CARTELLA', "
                   "'cer-docs pratiche', 'cer-docs --help'.")


APP_PUBBLICA = Path(__file__).resolve().parents[2] / "ui" / "modulo_pubblico.py"


def _register_pubblico(app: typer.Typer) -> None:
    @app.command("modulo-pubblico")
    def modulo_pubblico(porta: int = typer.Option(8502, "--porta", help="Porta dell'app pubblica")) -> None:
        """Avvia l'app pubblica delle manifestazioni di interesse (solo il modulo di candidatura)."""
        cmd = [sys.executable, "-m", "streamlit", "run", str(APP_PUBBLICA), "--server.port", str(porta),
               "--server.headless", "true", "--browser.gatherUsageStats", "false",
               "--server.maxUploadSize", "20", "--client.toolbarMode", "viewer"]
        typer.echo(f"Modulo pubblico su http://localhost:{porta}/?campagna=CODICE")
        raise typer.Exit(subprocess.call(cmd, env=os.environ.copy()))
