"""``cer-docs verifica PRATICA [--al AAAA-MM-GG] [--json]``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

from cer_docs.model import ErrorePratica
from cer_docs.services import verifica as svc
from cer_docs.services.verifica import DataNonCoperta

from ._util import fail, oggi, parse_data


def register(app: typer.Typer) -> None:
    @app.command("verifica")
    def verifica(
        pratica: Path = typer.Argument(..., help="File pratica YAML o JSON"),
        al: Optional[str] = typer.Option(None, "--al", help="Data della verifica AAAA-MM-GG (predefinita: oggi)"),
        come_json: bool = typer.Option(False, "--json", help="Stampa i rilievi in JSON"),
    ) -> None:
        """Controlla la pratica con le regole in vigore alla data scelta.

        Esce con 0 se non ci sono errori, 1 se ce ne sono, 2 se il file non si può leggere.
        """
        data = parse_data(al) or oggi()
        try:
            esito = svc.verifica_file(pratica, data)
        except (ErrorePratica, DataNonCoperta) as e:
            fail(str(e), 2)
        if come_json:
            typer.echo(json.dumps([r.as_dict() for r in esito.rilievi], ensure_ascii=False, indent=2))
        else:
            typer.echo(svc.report_testo(esito))
        raise typer.Exit(1 if esito.errori else 0)
