"""``cer-docs worker``: esegue in sottofondo le generazioni dei documenti chieste dall'interfaccia.

Con PostgreSQL se ne avviano quanti se ne vuole, anche su più macchine, con la stessa
``CER_DOCS_DATABASE_URL``, la stessa cartella dati (``CER_DOCS_DATA_DIR``, dove finiscono i
documenti) e la stessa chiave dei dati personali: si dividono i lavori, ognuno eseguito una volta
sola; se un esecutore muore, un altro riprende il suo lavoro. Con SQLite non serve: l'app esegue i
lavori da sé.
"""

from __future__ import annotations

import logging
import signal
import sys
import threading
from typing import Optional

import typer

from cer_docs.services import lavori

from ._util import fail


def register(app: typer.Typer) -> None:
    @app.command("worker")
    def worker(
        affitto: Optional[float] = typer.Option(
            None, "--affitto", min=0.5, metavar="SECONDI", show_default=False,
            help=f"Dopo quanti secondi di silenzio un esecutore è considerato morto e il suo lavoro passa a un "
                 f"altro (predefinito: {lavori.ENV_AFFITTO} o {lavori.AFFITTO_PREDEFINITO:g}). L'esecutore "
                 "rinnova l'affitto ogni terzo di questo tempo."),
        attesa: float = typer.Option(
            lavori.ATTESA_PREDEFINITA, "--attesa", min=0.1, metavar="SECONDI",
            help="Ogni quanti secondi controllare la coda quando è vuota."),
        nome: Optional[str] = typer.Option(
            None, "--nome", metavar="NOME", show_default=False,
            help="Nome dell'esecutore nel database (predefinito: macchina:processo)."),
        fino_a_coda_vuota: bool = typer.Option(
            False, "--fino-a-coda-vuota", help="Esegue i lavori in coda e si ferma quando la coda è vuota."),
    ) -> None:
        """Esegue le generazioni dei documenti messe in coda dall'interfaccia (Ctrl-C o SIGTERM: finisce il
        lavoro in corso e si ferma; una seconda volta: si ferma subito e il lavoro torna in coda)."""
        try:
            esecutore = lavori.nuovo_esecutore(nome=nome, affitto=affitto, attesa=attesa)
        except (lavori.ErroreDatabase, lavori.ErroreLavori) as e:
            fail(f"Errore: {e}.", 2)
        if esecutore.sqlite:
            typer.echo("Nota: con SQLite l'app esegue già i lavori da sé; questo esecutore si aggiunge sullo stesso "
                       "computer.", err=True)
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stderr)
        fermo = threading.Event()

        def _segnale(numero: int, _frame: object) -> None:
            if not fermo.is_set():
                fermo.set()
                esecutore.sveglia.set()
                typer.echo("Finisco il lavoro in corso e mi fermo (di nuovo per fermarmi subito: il lavoro tornerà "
                           "in coda).", err=True)
            else:
                esecutore.interrompi()

        vecchi = {s: signal.signal(s, _segnale) for s in (signal.SIGINT, signal.SIGTERM)}
        typer.echo(f"Esecutore {esecutore.nome} avviato su {esecutore.dove} (affitto {esecutore.affitto:g} s).",
                   err=True)
        try:
            esecutore.esegui(fermo, fino_a_coda_vuota=fino_a_coda_vuota)
        finally:
            for s, h in vecchi.items():
                signal.signal(s, h)
        eseguiti = "1 lavoro eseguito" if esecutore.eseguiti == 1 else f"{esecutore.eseguiti} lavori eseguiti"
        typer.echo(f"Esecutore {esecutore.nome} fermato: {eseguiti}.", err=True)
