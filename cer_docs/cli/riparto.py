"""``cer-docs riparto PRATICA --periodo AAAA[-MM]``: atteso contro ricevuto, riparto ai membri, bonifici, estratti.

Uscita: 0 riuscito, 1 errore di scrittura o d'archivio, 2 file o dati illeggibili.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from cer_docs.italiano import importo

from cer_docs.services import archivio as svc_archivio

from ._util import errore, oggi, parse_data


def _scrivi(percorso: Path, dati: bytes) -> None:
    try:
        percorso.expanduser().write_bytes(dati)
    except OSError as e:
        raise errore(f"non posso scrivere '{percorso}' ({e.strerror or e})", 1) from None


def register(app: typer.Typer) -> None:
    @app.command("riparto")
    def riparto(
        pratica: Annotated[str, typer.Argument(metavar="PRATICA", show_default=False,
                                               help="File pratica YAML/JSON o codice di una pratica dell'archivio.")],
        periodo: Annotated[str, typer.Option("--periodo", metavar="AAAA[-MM]", show_default=False,
                                             help="Anno (2026) o mese (2026-03) da ripartire.")],
        misure: Annotated[Optional[Path], typer.Option("--misure", metavar="FILE", show_default=False,
                                                       help="Misure del distributore: CSV punto,tipo,inizio,kwh o righe "
                                                            "giornaliere (pod, data, E1…E96), anche .gz.")] = None,
        incassi: Annotated[Optional[Path], typer.Option("--incassi", metavar="FILE", show_default=False,
                                                        help="CSV degli importi del GSE: periodo (AAAA-MM), componente, "
                                                             "importo_euro.")] = None,
        come_json: Annotated[bool, typer.Option("--json", help="Risultato in JSON.")] = False,
        sepa: Annotated[Optional[Path], typer.Option("--sepa", metavar="FILE.xml", show_default=False,
                                                     help="Scrive i bonifici SEPA (pain.001.001.09).")] = None,
        estratti: Annotated[Optional[Path], typer.Option("--estratti", metavar="CARTELLA", show_default=False,
                                                         help="Scrive un estratto PDF per membro nella cartella.")] = None,
        contabile: Annotated[Optional[Path], typer.Option("--csv", metavar="FILE", show_default=False,
                                                          help="Scrive il CSV contabile del riparto.")] = None,
        iban: Annotated[Optional[str], typer.Option("--iban", metavar="IBAN", show_default=False,
                                                    help="IBAN della comunità, se non è nella pratica.")] = None,
        esecuzione: Annotated[Optional[str], typer.Option("--esecuzione", metavar="AAAA-MM-GG", show_default=False,
                                                          help="Data di esecuzione dei bonifici (predefinita: oggi).")] = None,
    ) -> None:
        """Confronta gli importi del GSE con l'atteso dalle misure, ripartisce il periodo tra i membri (fondo A e
        fondo B, produttori terzi, categorie, contributo nelle ore condivise) e prepara bonifici ed estratti."""
        # numpy e pandas solo qui: caricarli all'avvio (con i loro thread) costerebbe a ogni comando
        from cer_docs.services import riparto as svc

        try:
            p, codice = svc.apri_pratica(pratica)
        except svc_archivio.PraticaNonTrovata:
            raise errore(f"'{pratica}' non è un file pratica né il codice di una pratica dell'archivio "
                         "(l'elenco: cer-docs pratiche)", 2) from None
        except svc_archivio.ErroreDatabase as e:
            raise errore(str(e), 1) from None
        except Exception as e:  # noqa: BLE001 - ErrorePratica e simili: messaggio già in italiano
            raise errore(str(e), 2) from None
        if misure is None:
            raise errore("servono le misure del periodo: --misure FILE (il riparto si fa sui dati del distributore)", 2)
        oggi_ = oggi()
        data_bonifici = parse_data(esecuzione, "--esecuzione") or oggi_
        try:
            richiesta = svc.Richiesta(periodo=periodo, misure=svc.leggi_file(misure),
                                      incassi=svc.leggi_file(incassi) if incassi else None)
            liq, p = svc.liquidazione(p, richiesta, oggi_)
            f = svc.bonifici(p, liq, data_bonifici, iban=iban) if sepa is not None else None
            pdf = svc.estratti(liq, p, oggi_) if estratti is not None else {}
        except svc.ErroreRiparto as e:
            raise errore(str(e), 2) from None
        if contabile is not None:
            _scrivi(contabile, svc.csv_contabile(liq).encode("utf-8"))
        if f is not None:
            _scrivi(sepa, f.xml)
            if codice is not None:       # pratica d'archivio: il file dei bonifici è un evento
                try:
                    aperta = svc_archivio.apri(codice)
                    nuova = svc.registra_pagamento(aperta.pratica, liq, f, oggi_, sepa.name)
                    svc_archivio.salva(codice, nuova, aperta.versione,
                                       descrizione=f"File dei bonifici del riparto {liq.periodo}")
                except svc_archivio.ErroreDatabase as e:
                    raise errore(str(e), 1) from None
        if estratti is not None:
            try:
                estratti.expanduser().mkdir(parents=True, exist_ok=True)
            except OSError as e:
                raise errore(f"non posso creare la cartella '{estratti}' ({e.strerror or e})", 1) from None
            for nome, dati in pdf.items():
                _scrivi(estratti / nome, dati)
        if come_json:
            typer.echo(svc.json_riparto(liq))
            return
        typer.echo(svc.report_testo(liq), nl=False)
        if f is not None:
            typer.echo(f"Bonifici SEPA ({f.schema}) scritti in {sepa}: {f.bonifici} per {importo(f.totale_euro)} "
                       "(totale di controllo verificato)")
            for x in f.esclusi:
                typer.echo(f"  non pagato con bonifico: {x.nome}, {importo(x.importo_euro)} – {x.motivo}")
        if estratti is not None:
            typer.echo(f"{len(pdf)} estratti PDF scritti in {estratti}")
