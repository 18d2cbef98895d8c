"""``cer-docs importa``, ``esporta``, ``pratiche``: l'archivio delle pratiche nel database.

Il database è quello di ``CER_DOCS_DATABASE_URL`` (es. ``postgresql+psycopg://utente@host/db``)
oppure il file SQLite nella cartella dati (``CER_DOCS_DATA_DIR`` per sceglierla).
Uscita: 0 riuscito, 1 errore dell'archivio o del database, 2 file o dati illeggibili.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Optional

import typer

from cer_docs.italiano import plurale
from cer_docs.services.errori import messaggio_os
from cer_docs.services import archivio as svc

from ._util import errore

ESITO_ERRORE = 1
ESITO_INPUT = 2



@contextmanager
def _errori_in_italiano() -> Iterator[None]:
    """Traduce le eccezioni note in un messaggio su stderr e un codice d'uscita, mai un traceback."""
    try:
        yield
    except typer.Exit:
        raise
    except svc.ErrorePratica as e:
        raise errore(str(e), ESITO_INPUT) from None
    except svc.PraticaEsistente as e:
        raise errore(f"{e} (opzione --sostituisci)", ESITO_ERRORE) from None
    except svc.PraticaNonTrovata as e:
        raise errore(f"{e} (l'elenco: cer-docs pratiche)", ESITO_ERRORE) from None
    except svc.ErroreArchivio as e:
        raise errore(str(e), ESITO_ERRORE) from None
    except svc.ErroreDatabase as e:
        raise errore(str(e), ESITO_ERRORE) from None
    except svc.AccessoNegato as e:
        raise errore(str(e), ESITO_ERRORE) from None
    except OSError as e:
        raise errore(f"operazione non riuscita: {messaggio_os(e)}", ESITO_ERRORE) from None
    except Exception as e:  # noqa: BLE001 - ultima difesa: niente traceback per chi usa la riga di comando
        import sqlalchemy.exc

        if isinstance(e, sqlalchemy.exc.SQLAlchemyError):
            raise errore("il database non ha risposto come previsto; riprova, e se il problema resta "
                          f"controlla CER_DOCS_DATABASE_URL ({type(e).__name__})", ESITO_ERRORE) from None
        raise


def _tabella(voci: list[svc.VocePratica]) -> str:
    intest = ("CODICE", "DENOMINAZIONE", "STATO", "MEMBRI", "VERSIONE", "AGGIORNATA")
    righe = [(v.codice, _accorcia(v.denominazione, 48), v.stato_etichetta, str(v.numero_membri), str(v.versione),
              svc.ora_locale(v.aggiornata_il)) for v in voci]
    larg = [max(len(r[i]) for r in [intest, *righe]) for i in range(len(intest))]
    numeriche = {3, 4}

    def fmt(r: tuple[str, ...]) -> str:
        return "  ".join(c.rjust(larg[i]) if i in numeriche else c.ljust(larg[i]) for i, c in enumerate(r)).rstrip()

    return "\n".join([fmt(intest), *(fmt(r) for r in righe)])


def _accorcia(testo: str, n: int) -> str:
    testo = " ".join(testo.split())
    return testo if len(testo) <= n else testo[: n - 1] + "…"


def register(app: typer.Typer) -> None:
    @app.command("importa")
    def importa(
        file: Annotated[str, typer.Argument(metavar="FILE", help="File pratica YAML o JSON da mettere nell'archivio.", show_default=False)],
        sostituisci: Annotated[bool, typer.Option("--sostituisci", help="Sostituisce la pratica con lo stesso codice, se c'è già.")] = False,
        autore: Annotated[Optional[str], typer.Option("--autore", metavar="NOME", help="Chi fa l'importazione (predefinito: CER_DOCS_AUTORE o l'utente del sistema).", show_default=False)] = None,
    ) -> None:
        """Importa un file pratica nell'archivio (database) e ne registra l'evento."""
        with _errori_in_italiano():
            aperta = svc.importa_file(file, autore=autore, sostituisci=sostituisci)
        typer.echo(f"Pratica '{aperta.codice}' importata (versione {aperta.versione}, "
                   f"{plurale(len(aperta.pratica.membri), 'membro', 'membri')}).")

    @app.command("esporta")
    def esporta(
        id: Annotated[str, typer.Argument(metavar="ID", help="Codice della pratica (pratica.id) o il suo numero nell'archivio.", show_default=False)],
        out: Annotated[Optional[str], typer.Option("--out", "-o", metavar="FILE", help="File da scrivere (in modo atomico); senza, il testo va sullo standard output.", show_default=False)] = None,
        formato: Annotated[Optional[str], typer.Option("--formato", "-f", metavar="yaml|json", help="yaml o json (predefinito: dall'estensione di --out, altrimenti yaml).", show_default=False)] = None,
    ) -> None:
        """Esporta una pratica dell'archivio come file pratica YAML o JSON."""
        with _errori_in_italiano():
            if formato is not None and formato.lower() not in svc.FORMATI:
                raise errore(f"formato '{formato}' non previsto: usa yaml o json", ESITO_INPUT)
            if out is None:
                testo = svc.esporta(id, (formato or "yaml").lower())
                sys.stdout.write(testo if testo.endswith("\n") else testo + "\n")
                return
            percorso = svc.esporta_file(id, out, formato.lower() if formato else None)
        typer.echo(f"Pratica '{id}' esportata in {percorso}.")

    @app.command("pratiche")
    def pratiche(
        come_json: Annotated[bool, typer.Option("--json", help="Elenco in JSON (per altri programmi).")] = False,
    ) -> None:
        """Elenca le pratiche dell'archivio: codice, denominazione, stato, membri, versione, ultima modifica."""
        with _errori_in_italiano():
            voci = svc.elenco_pratiche()
        if come_json:
            typer.echo(json.dumps([v.to_dict() for v in voci], ensure_ascii=False, indent=2))
        elif not voci:
            typer.echo("Nessuna pratica nell'archivio. Aggiungine una con: cer-docs importa FILE")
        else:
            typer.echo(_tabella(voci))

