"""``cer-docs chiave``: la chiave che cifra i dati personali nel database (fuori dal database)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cer_docs.services import accesso, chiave

from ._util import errore


def register(app: typer.Typer) -> None:
    gruppo = typer.Typer(help="Chiave di cifratura dei dati personali: genera, cifra l'archivio esistente.",
                         no_args_is_help=True, add_completion=False, rich_markup_mode=None)
    app.add_typer(gruppo, name="chiave")

    @gruppo.command("genera")
    def genera(
        file: Annotated[Path, typer.Option("--file", metavar="FILE", help="Dove scrivere la chiave (file nuovo, permessi 0600), fuori dalla cartella dei backup del database.", show_default=False)],
    ) -> None:
        """Genera una chiave nuova in un file leggibile solo da te."""
        try:
            p = chiave.genera(file)
        except (chiave.ErroreChiave, OSError) as e:
            raise errore(str(e), 1) from None
        typer.echo(f"Chiave scritta in {p} (permessi 0600). Indicala a cer-docs con {chiave.ENV_CHIAVE_FILE}={p} "
                   "e conservane una copia al sicuro, separata dai backup del database: senza chiave i dati "
                   "cifrati non si leggono più.")

    @gruppo.command("cifra-archivio")
    def cifra_archivio() -> None:
        """Riscrive cifrate le pratiche, le candidature e i file ancora in chiaro."""
        try:
            n = chiave.cifra_archivio()
        except (chiave.ErroreChiave, accesso.AccessoNegato) as e:
            raise errore(str(e), 1) from None
        typer.echo(f"Righe cifrate: {n}.")
