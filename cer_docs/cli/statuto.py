"""``cer-docs statuto verifica``: gli elementi essenziali (a–g) in uno statuto DOCX o PDF."""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from pathlib import Path

import typer

from cer_docs.italiano import data_lunga
from cer_docs.services import statuto as svc

ESTRATTO_MASSIMO = 320


def _data(valore: str | None) -> dt.date | None:
    if valore is None:
        return None
    try:
        return dt.date.fromisoformat(valore.strip())
    except ValueError:
        raise typer.BadParameter(
            f"«{valore}» non è una data nel formato AAAA-MM-GG (per esempio 2025-10-20)"
        ) from None


def _estratto(testo: str, massimo: int = ESTRATTO_MASSIMO) -> str:
    piatto = " ".join(testo.split())
    if len(piatto) <= massimo:
        return piatto
    return piatto[: massimo - 1].rsplit(" ", 1)[0] + " …"


def _rientro(testo: str, prefisso: str = "    ") -> str:
    return textwrap.fill(testo, width=96, initial_indent=prefisso, subsequent_indent=prefisso)


def _stampa_esito(esito: svc.EsitoVerifica) -> None:
    v = esito.versione
    typer.echo(f"Verifica dello statuto «{esito.file}»")
    typer.echo(
        f"Elementi essenziali secondo: {v.titolo}, in vigore dal {data_lunga(v.dal)} "
        f"(verifica al {data_lunga(esito.al)})"
    )
    typer.echo("")
    for e in esito.elementi:
        segno = "✓" if e.presente else "✗"
        typer.echo(f"{segno} {e.lettera}) {e.titolo}")
        if e.presente:
            for passaggio in e.passaggi:
                typer.echo(_rientro(f"«{_estratto(passaggio)}»"))
        else:
            typer.echo(_rientro("Manca: " + "; ".join(e.concetti_mancanti) + "."))
            for consiglio in e.cosa_scrivere:
                typer.echo(_rientro("Cosa scrivere: " + consiglio))
            if e.passaggio:
                typer.echo(_rientro(f"Passaggio più vicino: «{_estratto(e.passaggio)}»"))
        typer.echo(_rientro("Fonte: " + e.riferimento))
        typer.echo("")
    presenti = sum(1 for e in esito.elementi if e.presente)
    totale = len(esito.elementi)
    if esito.completo:
        typer.echo(f"Esito: tutti gli elementi essenziali sono presenti ({presenti} su {totale}).")
    else:
        lettere = ", ".join(f"{e.lettera})" for e in esito.mancanti)
        typer.echo(f"Esito: {presenti} elementi su {totale} presenti; mancano: {lettere}.")


def register(app: typer.Typer) -> None:
    statuto = typer.Typer(
        name="statuto",
        help="Statuto della comunità: verifica degli elementi essenziali richiesti dal GSE.",
        no_args_is_help=True,
    )

    @statuto.command("verifica")
    def verifica(
        file: Path = typer.Argument(..., help="Statuto da verificare, in formato .docx o .pdf."),
        al: str | None = typer.Option(
            None, "--al", metavar="AAAA-MM-GG",
            help="Data a cui applicare le regole (RO 2024 o RO 2025); se manca, oggi.",
        ),
        come_json: bool = typer.Option(False, "--json", help="Stampa l'esito in JSON."),
    ) -> None:
        """Dice, elemento per elemento (a–g), se lo statuto contiene ciò che il GSE verifica,
        con il passaggio che lo soddisfa e la fonte. Esce con 0 se ci sono tutti, 1 se ne
        manca almeno uno, 2 se il file non si può leggere."""
        try:
            giorno = _data(al)
            esito = svc.verifica_statuto(file, giorno)
        except typer.BadParameter as exc:
            typer.echo(f"Errore: {exc}", err=True)
            raise typer.Exit(2) from None
        except (svc.ErroreLetturaStatuto, ValueError) as exc:
            typer.echo(f"Errore: {exc}", err=True)
            raise typer.Exit(2) from None
        if come_json:
            typer.echo(json.dumps([e.as_dict() for e in esito.elementi], ensure_ascii=False, indent=2))
        else:
            _stampa_esito(esito)
        raise typer.Exit(0 if esito.completo else 1)

    app.add_typer(statuto)
