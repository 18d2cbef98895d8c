"""``cer-docs fonti [--al AAAA-MM-GG] [--scadute-dal AAAA-MM-GG] [--json]``: manutenzione legale.

Elenca ogni parametro di legge (``cer_docs/rules/params``) con il valore in vigore alla data,
la data da cui vale, la fonte, l'ultima verifica (``last_value_still_valid_on``) e se è da
confermare. Con ``--scadute-dal`` solo i parametri non verificati da quella data in poi.

Uscita: 0 riuscito; 2 data sbagliata o file di parametri scritto male (chiave o data doppia).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any, Optional

import typer

from cer_docs.services import fonti as svc

from ._util import errore, oggi, parse_data


def _d(x: dt.date | None) -> str:
    return x.strftime("%d/%m/%Y") if x else "—"


def valore_leggibile(v: Any) -> str:
    """Un valore di parametro in una riga: date all'italiana, sì/no, mappe «chiave: valore»."""
    if v is None:
        return "—"
    if isinstance(v, bool):
        return "sì" if v else "no"
    if isinstance(v, dt.date):
        return _d(v)
    if isinstance(v, dict):
        return "; ".join(f"{k}: {valore_leggibile(x)}" for k, x in v.items())
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(valore_leggibile(x) for x in v) + "]" if v else "[]"
    return str(v)


def testo(voci: list[svc.ParametroAllaData], al: dt.date, scadute_dal: dt.date | None) -> str:
    righe = []
    if scadute_dal is not None:
        righe.append(f"Parametri non verificati dal {_d(scadute_dal)} ({len(voci)}), valori al {_d(al)}:")
    else:
        righe.append(f"Parametri di legge al {_d(al)} ({len(voci)}):")
    for p in voci:
        righe.append("")
        segno = "  [DA CONFERMARE]" if p.non_confermato else ""
        righe.append(f"{p.id}{segno}")
        righe.append(f"  {p.descrizione}")
        if p.in_vigore:
            unita = f" ({p.unita})" if p.unita else ""
            righe.append(f"  Valore{unita}: {valore_leggibile(p.valore)} — in vigore dal {_d(p.dal)}")
        else:
            righe.append(f"  Nessun valore al {_d(al)}: la regola vale dal {_d(p.primo_dal)}")
        if p.prossimo_dal:
            righe.append(f"  Nuovo valore già registrato dal {_d(p.prossimo_dal)}")
        for f in p.fonti:
            art = f", {f.articolo}" if f.articolo else ""
            righe.append(f"  Fonte: {f.titolo}{art} — {f.url or 'indirizzo non indicato'}")
        righe.append(f"  Ultima verifica (last_value_still_valid_on): {_d(p.last_value_still_valid_on)}")
        if p.da_confermare:
            righe.append(f"  {p.da_confermare}")
    return "\n".join(righe)


def register(app: typer.Typer) -> None:
    @app.command("fonti")
    def fonti(
        al: Annotated[Optional[str], typer.Option("--al", metavar="AAAA-MM-GG",
                                                  help="Data a cui leggere i valori (predefinita: oggi).",
                                                  show_default=False)] = None,
        scadute_dal: Annotated[Optional[str], typer.Option(
            "--scadute-dal", metavar="AAAA-MM-GG",
            help="Solo i parametri non verificati da questa data (last_value_still_valid_on anteriore).",
            show_default=False)] = None,
        come_json: Annotated[bool, typer.Option("--json", help="Elenco in JSON.")] = False,
    ) -> None:
        """Parametri di legge: valore alla data, fonte, ultima verifica e se sono da confermare."""
        data = parse_data(al) or oggi()
        limite = parse_data(scadute_dal, "--scadute-dal")
        try:
            voci = svc.elenco(data, scadute_dal=limite)
        except svc.ParametroNonValido as e:
            raise errore(f"parametri non leggibili: {e}", 2) from None
        if come_json:
            typer.echo(json.dumps([v.as_dict() for v in voci], ensure_ascii=False, indent=2))
        else:
            typer.echo(testo(voci, data, limite))
