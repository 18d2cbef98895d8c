"""``cer-docs pnrr ...``: contributo, registro spese, rendiconto, scheda e fattura d'esempio per i fornitori.

PRATICA è un file pratica (YAML/JSON) oppure il codice di una pratica dell'archivio.
Uscita: 0 riuscito, 1 errori nella pratica o nell'archivio, 2 file o dati illeggibili.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from cer_docs.services.errori import messaggio_os
from cer_docs.services import archivio as svc_archivio
from cer_docs.services import pnrr as svc

from ._util import errore, oggi, parse_data

ARG_PRATICA = typer.Argument(metavar="PRATICA", help="File pratica YAML/JSON o codice di una pratica dell'archivio.",
                             show_default=False)
OPT_AL = typer.Option("--al", metavar="AAAA-MM-GG", help="Data delle regole da applicare (predefinita: oggi).",
                      show_default=False)
OPT_IMPIANTO = typer.Option("--impianto", metavar="ID", help="Impianto (id) se più d'uno ha il contributo PNRR.",
                            show_default=False)



def _apri(pratica: str):  # noqa: ANN202
    try:
        return svc.apri_pratica(pratica)[0]
    except svc.ErrorePratica as e:
        raise errore(str(e), 2) from None
    except svc_archivio.PraticaNonTrovata:
        raise errore(f"'{pratica}' non è un file pratica né il codice di una pratica dell'archivio "
                      "(l'elenco: cer-docs pratiche)", 2) from None
    except svc_archivio.ErroreDatabase as e:
        raise errore(str(e), 1) from None


def _scrivi(out: Path, dati: bytes) -> None:
    try:
        out.expanduser().write_bytes(dati)
    except OSError as e:
        raise errore(f"non posso scrivere '{out}': {messaggio_os(e, out)}", 1) from None


def register(app: typer.Typer) -> None:
    pnrr = typer.Typer(name="pnrr", help="Contributo PNRR: importo, spese, rendiconto, indicazioni ai fornitori.",
                       no_args_is_help=True, rich_markup_mode=None)
    app.add_typer(pnrr, name="pnrr")

    @pnrr.command("contributo")
    def contributo(
        pratica: Annotated[str, ARG_PRATICA],
        al: Annotated[Optional[str], OPT_AL] = None,
        come_json: Annotated[bool, typer.Option("--json", help="Risultato in JSON.")] = False,
    ) -> None:
        """Contributo di ogni impianto: costi massimi per fascia, 40 %, cumulo, anticipo, fattore F."""
        data = parse_data(al) or oggi()
        p = _apri(pratica)
        try:
            calcoli = svc.contributo(p, data)
        except svc.ErrorePnrr as e:
            raise errore(str(e), 2) from None
        if come_json:
            typer.echo(json.dumps([c.as_dict() for c in calcoli], ensure_ascii=False, indent=2))
        else:
            typer.echo(svc.report_contributo(calcoli, p.denominazione, data), nl=False)
        raise typer.Exit(1 if any(r.gravita == "errore" for c in calcoli for r in c.rilievi) else 0)

    @pnrr.command("spese")
    def spese(
        pratica: Annotated[str, ARG_PRATICA],
        al: Annotated[Optional[str], OPT_AL] = None,
        come_json: Annotated[bool, typer.Option("--json", help="Rilievi in JSON.")] = False,
    ) -> None:
        """Registro delle spese: per ogni fattura l'esito dei controlli di ammissibilità."""
        data = parse_data(al) or oggi()
        p = _apri(pratica)
        try:
            reg = svc.registro_spese(p, data)
        except svc.ErrorePnrr as e:
            raise errore(str(e), 2) from None
        if come_json:
            typer.echo(json.dumps({"pratica": reg.pratica, "al": data.isoformat(), "impianti": [{
                "impianto": i.impianto_id, "totale_ammissibile": str(i.totale_ammissibile),
                "totale_fatture": str(i.totale_fatture), "totale_pagato": str(i.totale_pagato),
                "contributo_consuntivo": str(i.contributo_consuntivo) if i.contributo_consuntivo is not None else None,
                "spese": [{"id": v.spesa.id, "ammissibile": v.ammissibile, "rilievi": [r.as_dict() for r in v.rilievi]}
                          for v in i.voci]} for i in reg.impianti]}, ensure_ascii=False, indent=2))
        else:
            from cer_docs.italiano import importo

            for i in reg.impianti:
                typer.echo(f"== {i.denominazione} ({i.impianto_id}) – {len(i.voci)} spese ==")
                for v in i.voci:
                    f = v.spesa.fattura
                    typer.echo(f"  {v.spesa.id}: fattura {f.numero} del {f.data:%d/%m/%Y} – {f.fornitore.denominazione}"
                               f" – {importo(f.imponibile_euro)} – {v.stato_pagamento} – "
                               f"{'ammissibile' if v.ammissibile else 'DA SISTEMARE'}")
                    for r in v.rilievi:
                        typer.echo(f"      [{r.gravita.upper()}] {r.messaggio}")
                typer.echo(f"  Ammissibile: {importo(i.totale_ammissibile)}; pagato {importo(i.totale_pagato)}")
        raise typer.Exit(1 if any(r.gravita == "errore" for r in reg.rilievi) else 0)

    @pnrr.command("rendiconto")
    def rendiconto(
        pratica: Annotated[str, ARG_PRATICA],
        out: Annotated[Path, typer.Option("--out", "-o", metavar="FILE.pdf", help="PDF da scrivere.",
                                          show_default=False)],
        al: Annotated[Optional[str], OPT_AL] = None,
    ) -> None:
        """Rendiconto delle spese PNRR in PDF (registro, totali, contributo a consuntivo, cosa controllare)."""
        data = parse_data(al) or oggi()
        p = _apri(pratica)
        try:
            pdf = svc.rendiconto_pdf(p, data)
        except svc.ErrorePnrr as e:
            raise errore(str(e), 2) from None
        _scrivi(out, pdf)
        typer.echo(f"Rendiconto scritto in {out}.")

    @pnrr.command("scheda-fornitori")
    def scheda(
        pratica: Annotated[str, ARG_PRATICA],
        out: Annotated[Path, typer.Option("--out", "-o", metavar="FILE.pdf", help="PDF da scrivere.",
                                          show_default=False)],
        impianto: Annotated[Optional[str], OPT_IMPIANTO] = None,
        al: Annotated[Optional[str], OPT_AL] = None,
    ) -> None:
        """Scheda per i fornitori: a chi intestare, CUP, dicitura, campi della fattura elettronica, pagamenti."""
        data = parse_data(al) or oggi()
        p = _apri(pratica)
        try:
            pdf = svc.scheda_fornitori_pdf(p, data, impianto)
        except svc.ErrorePnrr as e:
            raise errore(str(e), 2) from None
        _scrivi(out, pdf)
        typer.echo(f"Scheda per i fornitori scritta in {out}.")

    @pnrr.command("esempio-fattura")
    def esempio(
        pratica: Annotated[str, ARG_PRATICA],
        out: Annotated[Optional[Path], typer.Option("--out", "-o", metavar="FILE.xml",
                                                    help="File XML da scrivere (senza: sullo standard output).",
                                                    show_default=False)] = None,
        impianto: Annotated[Optional[str], OPT_IMPIANTO] = None,
        al: Annotated[Optional[str], OPT_AL] = None,
    ) -> None:
        """Fattura elettronica d'esempio (FPR12, valida per lo schema) con i campi da compilare per il progetto."""
        data = parse_data(al) or oggi()
        p = _apri(pratica)
        try:
            xml = svc.esempio_fattura_xml(p, data, impianto)
        except svc.ErrorePnrr as e:
            raise errore(str(e), 2) from None
        if out is None:
            typer.echo(xml.decode("utf-8"), nl=False)
        else:
            _scrivi(out, xml)
            typer.echo(f"Fattura d'esempio scritta in {out}.")
