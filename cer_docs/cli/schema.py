"""``cer-docs schema``: lo schema JSON del file pratica."""

from __future__ import annotations

import json

import typer

from cer_docs.services import pratiche as svc


def register(app: typer.Typer) -> None:
    @app.command("schema")
    def schema() -> None:
        """Stampa lo schema JSON (draft 2020-12) del file pratica cer-docs/pratica@1."""
        typer.echo(json.dumps(svc.schema_pratica(), ensure_ascii=False, indent=2))
