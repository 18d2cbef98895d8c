"""Utilità comuni ai comandi: date in ingresso ed errori senza traceback."""

from __future__ import annotations

import datetime as dt
import sys

import typer


def parse_data(valore: str | None, opzione: str = "--al") -> dt.date | None:
    if valore is None:
        return None
    try:
        return dt.date.fromisoformat(valore)
    except ValueError:
        typer.echo(f"Errore: {opzione} vuole una data valida nel formato AAAA-MM-GG (es. 2026-03-31), "
                   f"non '{valore}'.", err=True)
        raise typer.Exit(2) from None


def oggi() -> dt.date:
    """L'orologio entra dai comandi, mai dalle regole."""
    return dt.date.today()


def fail(messaggio: str, codice: int = 2) -> None:
    print(messaggio, file=sys.stderr)
    raise typer.Exit(codice)


def errore(messaggio: str, esito: int) -> typer.Exit:
    """Stampa «Errore: …» su stderr e restituisce l'uscita da sollevare (``raise errore(...)``)."""
    typer.echo(f"Errore: {messaggio}", err=True)
    return typer.Exit(esito)
