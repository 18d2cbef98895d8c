"""``cer-docs fatture verifica|carica``: controlli delle fatture di spesa PNRR (XML, .p7m, PDF).

Uscita di ``verifica``: 0 tutte conformi, 1 qualcuna non conforme, 2 qualcuna illeggibile
(o pratica illeggibile).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from cer_docs.services.errori import messaggio_os
from cer_docs.model.pnrr import TIPI_SPESA
from cer_docs.services import archivio as svc_archivio
from cer_docs.services import pnrr as svc

from ._util import errore, oggi, parse_data
from .pnrr import OPT_AL, OPT_IMPIANTO, _apri

LETTURA_MASSIMA = 64 * 1024 * 1024  # oltre, il file non si legge nemmeno (i limiti veri sono in pnrr.lettura)


def _leggi(f: Path) -> tuple[bytes | None, str | None]:
    try:
        with f.open("rb") as h:
            return h.read(LETTURA_MASSIMA + 1), None
    except FileNotFoundError:
        return None, "il file non esiste: controlla il percorso"
    except IsADirectoryError:
        return None, "è una cartella, non un file"
    except OSError as e:
        return None, f"il file non si può aprire: {messaggio_os(e)}"


def _tipo(tipo_spesa: str | None) -> str | None:
    if tipo_spesa is not None and tipo_spesa not in TIPI_SPESA:
        raise errore(f"tipo di spesa '{tipo_spesa}' non previsto; valori: {', '.join(TIPI_SPESA)}", 2)
    return tipo_spesa


def register(app: typer.Typer) -> None:
    fatture = typer.Typer(name="fatture", help="Controlli delle fatture di spesa PNRR (XML, .p7m, PDF).",
                          no_args_is_help=True, rich_markup_mode=None)
    app.add_typer(fatture, name="fatture")

    @fatture.command("verifica")
    def verifica(
        file: Annotated[list[Path], typer.Argument(metavar="FILE...", help="Fatture: XML, .p7m o PDF.",
                                                   show_default=False)],
        pratica: Annotated[str, typer.Option("--pratica", metavar="PRATICA",
                                             help="File pratica o codice nell'archivio.", show_default=False)],
        impianto: Annotated[Optional[str], OPT_IMPIANTO] = None,
        tipo_spesa: Annotated[Optional[str], typer.Option("--tipo-spesa", metavar="TIPO",
                                                          help="Tipo di spesa (es. progettazione).",
                                                          show_default=False)] = None,
        al: Annotated[Optional[str], OPT_AL] = None,
        come_json: Annotated[bool, typer.Option("--json", help="Risultati in JSON.")] = False,
    ) -> None:
        """Controlla le fatture per la pratica: CUP, CIG, beneficiario, codice GSE, dicitura, pagamento, date."""
        data = parse_data(al) or oggi()
        tipo = _tipo(tipo_spesa)
        p = _apri(pratica)
        esiti = []
        for f in file:
            contenuto, problema = _leggi(f)
            if contenuto is None:
                from cer_docs.pnrr.fatture import esito_illeggibile
                from cer_docs.pnrr.lettura import FileIlleggibile

                esiti.append(esito_illeggibile(str(f), FileIlleggibile("FILE_NON_APERTO", f"Il file {problema}.")))
                continue
            try:
                esiti.append(svc.verifica_fattura(contenuto, str(f), p, data, impianto=impianto, tipo_spesa=tipo))
            except svc.ErrorePnrr as e:
                raise errore(str(e), 2) from None
        if come_json:
            typer.echo(json.dumps([e.as_dict() for e in esiti], ensure_ascii=False, indent=2))
        else:
            typer.echo(svc.report_fatture(esiti))
        if any(e.esito == "illeggibile" for e in esiti):
            raise typer.Exit(2)
        raise typer.Exit(1 if any(e.esito == "non_conforme" for e in esiti) else 0)

    @fatture.command("carica")
    def carica(
        codice: Annotated[str, typer.Argument(metavar="CODICE", help="Codice della pratica nell'archivio.",
                                              show_default=False)],
        file: Annotated[list[Path], typer.Argument(metavar="FILE...", help="Fatture: XML, .p7m o PDF.",
                                                   show_default=False)],
        impianto: Annotated[Optional[str], OPT_IMPIANTO] = None,
        tipo_spesa: Annotated[Optional[str], typer.Option("--tipo-spesa", metavar="TIPO",
                                                          help="Tipo di spesa (es. progettazione).",
                                                          show_default=False)] = None,
        autore: Annotated[Optional[str], typer.Option("--autore", metavar="NOME", help="Chi carica.",
                                                      show_default=False)] = None,
        al: Annotated[Optional[str], OPT_AL] = None,
    ) -> None:
        """Controlla e aggiunge le fatture al registro spese della pratica (file conservato nell'archivio)."""
        data = parse_data(al) or oggi()
        tipo = _tipo(tipo_spesa)
        peggiore = 0
        for f in file:
            contenuto, problema = _leggi(f)
            if contenuto is None:
                typer.echo(f"{f}: non caricata – il file {problema}.", err=True)
                peggiore = 2
                continue
            try:
                r = svc.carica_fattura(codice, contenuto, f.name, autore, data, impianto=impianto, tipo_spesa=tipo)
            except svc.FatturaRifiutata as e:
                typer.echo(f"{f}: {e}", err=True)
                peggiore = 2
                continue
            except (svc.ErrorePnrr, svc_archivio.ErroreArchivio, svc.ErrorePratica) as e:
                typer.echo(f"{f}: non caricata – {e}", err=True)
                peggiore = max(peggiore, 1)
                continue
            except svc_archivio.ErroreDatabase as e:
                raise errore(str(e), 1) from None
            voci = ", ".join(s.id for s in r.spese)
            typer.echo(f"{f}: caricata nel registro dell'impianto {r.impianto_id} ({voci}), esito {r.esito.esito}"
                       f" – versione {r.versione} della pratica.")
            for ril in r.esito.rilievi:
                if ril.gravita != "info":
                    typer.echo(f"    [{ril.gravita.upper()}] {ril.messaggio}")
            if r.esito.esito == "non_conforme":
                peggiore = max(peggiore, 1)
        raise typer.Exit(peggiore)
