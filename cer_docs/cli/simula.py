"""``cer-docs simula PRATICA``: simulazione economica (energia condivisa, incentivi, riparto ai membri).

Uscita: 0 riuscito, 1 errore di scrittura o d'archivio, 2 file o dati illeggibili.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from cer_docs.services import archivio as svc_archivio

from ._util import errore, oggi


def register(app: typer.Typer) -> None:
    @app.command("simula")
    def simula(
        pratica: Annotated[str, typer.Argument(metavar="PRATICA", show_default=False,
                                               help="File pratica YAML/JSON o codice di una pratica dell'archivio.")],
        anno: Annotated[Optional[int], typer.Option("--anno", metavar="AAAA", show_default=False,
                                                    help="Anno da simulare (predefinito: l'anno in corso).")] = None,
        misure: Annotated[Optional[Path], typer.Option("--misure", metavar="FILE", show_default=False,
                                                       help="CSV delle misure (punto, tipo, inizio, kwh), orarie o "
                                                            "quartorarie: i conti coprono esattamente le ore misurate.")] = None,
        prezzi: Annotated[Optional[Path], typer.Option("--prezzi", metavar="FILE", show_default=False,
                                                       help="CSV dello scenario di prezzo (inizio, prezzo_euro_mwh) al "
                                                            "posto dei prezzi zonali forniti.")] = None,
        pvgis: Annotated[Optional[list[str]], typer.Option("--pvgis", metavar="IMPIANTO=FILE", show_default=False,
                                                           help="CSV orario scaricato da PVGIS per un impianto (ripetibile).")] = None,
        orizzonte: Annotated[Optional[int], typer.Option("--orizzonte", metavar="ANNI", show_default=False,
                                                         help="Anni dell'orizzonte (predefinito: la durata della tariffa premio).")] = None,
        come_json: Annotated[bool, typer.Option("--json", help="Risultato in JSON.")] = False,
        pdf: Annotated[Optional[Path], typer.Option("--pdf", metavar="FILE", show_default=False,
                                                    help="Scrive il rapporto PDF (ipotesi, fonti, sensibilità al prezzo).")] = None,
    ) -> None:
        """Energia condivisa ora per ora, tariffa premio, valorizzazione, quota eccedentaria, corrispettivi GSE e
        beneficio di ogni membro secondo il riparto del regolamento."""
        # numpy e pandas solo qui: caricarli all'avvio (con i loro thread) costerebbe a ogni comando
        from cer_docs.services import economia as svc

        try:
            p = svc.apri_pratica(pratica)[0]
        except svc_archivio.PraticaNonTrovata:
            raise errore(f"'{pratica}' non è un file pratica né il codice di una pratica dell'archivio "
                         "(l'elenco: cer-docs pratiche)", 2) from None
        except svc_archivio.ErroreDatabase as e:
            raise errore(str(e), 1) from None
        except Exception as e:  # noqa: BLE001 - ErrorePratica e simili: messaggio già in italiano
            raise errore(str(e), 2) from None
        oggi_ = oggi()
        try:
            file_pvgis = {}
            for voce in pvgis or []:
                iid, sep, percorso = voce.partition("=")
                if not sep or not iid or not percorso:
                    raise svc.ErroreEconomia(f"--pvgis vuole IMPIANTO=FILE, non «{voce}»")
                file_pvgis[iid.strip()] = svc.leggi_file(percorso)
            richiesta = svc.Richiesta(anno=anno or oggi_.year,
                                      misure=svc.leggi_file(misure) if misure else None,
                                      prezzi=svc.leggi_file(prezzi) if prezzi else None,
                                      pvgis=file_pvgis, orizzonte_anni=orizzonte)
            ignoti = set(file_pvgis) - {imp.id for _p, _c, imp in p.impianti()}
            if ignoti:
                raise svc.ErroreEconomia(f"--pvgis: l'impianto {', '.join(sorted(ignoti))} non è nella pratica")
            sim = svc.simulazione(p, richiesta)
            if pdf is not None:
                dati = svc.rapporto_pdf(p, richiesta, oggi_, sim)
        except svc.ErroreEconomia as e:
            raise errore(str(e), 2) from None
        if pdf is not None:
            try:
                pdf.expanduser().write_bytes(dati)
            except OSError as e:
                raise errore(f"non posso scrivere '{pdf}' ({e.strerror or e})", 1) from None
        if come_json:
            typer.echo(svc.json_simulazione(sim))
        else:
            typer.echo(svc.report_testo(sim), nl=False)
            if pdf is not None:
                typer.echo(f"Rapporto PDF scritto in {pdf}")
