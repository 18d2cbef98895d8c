"""``cer-docs genera``: documenti costitutivi e pacchetto GSE in DOCX e PDF, con il dossier."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer

from cer_docs.italiano import plurale

from cer_docs.services import documenti as svc


def _data(testo: str | None) -> dt.date | None:
    if testo is None:
        return None
    try:
        return dt.date.fromisoformat(testo)
    except ValueError:
        raise svc.ErroreGenerazione(f"la data '{testo}' non è valida: scrivila come AAAA-MM-GG") from None


def register(app: typer.Typer) -> None:
    @app.command("genera")
    def genera(
        pratica: Path = typer.Argument(..., help="File pratica (YAML o JSON)."),
        out: Path = typer.Option(..., "--out", "-o", help="Cartella in cui scrivere i documenti."),
        documenti: str = typer.Option(
            None, "--documenti",
            help="Documenti da generare, separati da virgola: " + ", ".join(svc.DOCUMENTI)
                 + ". Senza questa opzione si genera tutto, con il dossier (PDF unico con indice e zip).",
        ),
        formati: str = typer.Option("docx,pdf", "--formati", help="Formati, separati da virgola: docx, pdf."),
        bozza: bool = typer.Option(False, "--bozza", help="Filigrana e intestazione BOZZA su ogni pagina."),
        al: str = typer.Option(None, "--al", help="Data (AAAA-MM-GG) a cui applicare le regole; di norma oggi."),
        modello: Path = typer.Option(
            None, "--modello",
            help="Cartella con i modelli DOCX dello studio (statuto.docx, atto_costitutivo.docx, ...).",
        ),
    ) -> None:
        """Genera i documenti costitutivi della pratica e il file manifest.json."""
        def avanza(fatti: int, totale: int, cosa: str) -> None:
            # i file si scrivono mentre i documenti dopo si preparano: le righe si alternano
            if cosa == "dossier" and fatti == totale:
                typer.echo("Dossier: PDF unico con indice e archivio ZIP…", err=True)
            elif cosa.startswith(svc.PREPARO):
                typer.echo(cosa, err=True)
            else:
                typer.echo(f"[{fatti + 1}/{totale}] scritto {cosa}", err=True)

        try:
            esito = svc.genera(
                pratica, out,
                documenti=svc.leggi_elenco(documenti, svc.DOCUMENTI, "documento") if documenti else None,
                formati=svc.leggi_elenco(formati, svc.FORMATI, "formato"),
                bozza=bozza, al=_data(al), modelli=modello, avanzamento=avanza,
            )
        except svc.ErrorePratica as e:
            typer.echo(str(e), err=True)
            raise typer.Exit(2) from None
        except svc.ErroreGenerazione as e:
            typer.echo(f"Errore: {e}", err=True)
            raise typer.Exit(2) from None
        except OSError as e:  # disco pieno, sola lettura, permessi: la cartella resta com'era
            typer.echo(f"Errore di scrittura: {svc.messaggio_os(e, out)}", err=True)
            raise typer.Exit(2) from None

        typer.echo(f"Documenti scritti in {esito.cartella}:")
        for f in esito.file:
            pagine = "" if f.pagine is None else f" – {'circa ' if f.pagine_stimate else ''}{plurale(f.pagine, 'pagina', 'pagine')}"
            typer.echo(f"  {f.file}{pagine}")
        if esito.dossier:
            for chiave in ("pdf", "zip"):
                if chiave in esito.dossier:
                    typer.echo(f"  {esito.dossier[chiave]['file']} (dossier)")
        typer.echo(f"  manifest.json")
        for n in esito.note:
            typer.echo(f"Nota: {n}")
        for a in esito.avvisi:
            typer.echo(f"Avviso: {a}", err=True)
