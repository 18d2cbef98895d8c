"""``cer-docs persona``: i diritti dell'interessato (GDPR) su tutto l'archivio.

- ``esporta CF --out CARTELLA``: JSON completo (allegati compresi), PDF leggibile e gli allegati come file.
- ``cancella CF``: cancella la persona dove si può; dice che cosa resta, perché e fino a quando.
- ``purga-candidature``: cancella le candidature escluse oltre il periodo di conservazione.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from cer_docs.italiano import plurale
from cer_docs.services import accesso, archivio, persona

from ._util import errore, oggi, parse_data


def register(app: typer.Typer) -> None:
    gruppo = typer.Typer(help="Dati di una persona (GDPR): esportazione e cancellazione.", no_args_is_help=True,
                         add_completion=False, rich_markup_mode=None)
    app.add_typer(gruppo, name="persona")

    @gruppo.command("esporta")
    def esporta(
        cf: Annotated[str, typer.Argument(metavar="CODICE_FISCALE", show_default=False)],
        out: Annotated[Path, typer.Option("--out", "-o", metavar="CARTELLA", help="Cartella in cui scrivere JSON, PDF e allegati.", show_default=False)],
    ) -> None:
        """Tutto ciò che l'archivio conserva sulla persona, in JSON e in un PDF leggibile."""
        try:
            dati = persona.esporta_persona(cf)
            pdf = persona.pdf_persona(dati)
        except (ValueError, accesso.AccessoNegato, archivio.ErroreDatabase) as e:
            raise errore(str(e), 1) from None
        out.mkdir(parents=True, exist_ok=True, mode=0o700)
        nome = f"dati-personali-{dati['codice_fiscale']}"
        (out / f"{nome}.json").write_text(json.dumps(dati, ensure_ascii=False, indent=2), encoding="utf-8")
        (out / f"{nome}.pdf").write_bytes(pdf)
        n = 0
        for c in dati["candidature"]:
            for a in c["allegati"]:
                cartella = out / "allegati" / c["protocollo"]
                cartella.mkdir(parents=True, exist_ok=True)
                (cartella / Path(a["nome_file"]).name).write_bytes(base64.b64decode(a["contenuto_base64"]))
                n += 1
        typer.echo(f"Dati esportati in {out}: {plurale(len(dati['pratiche']), 'pratica', 'pratiche')}, "
                   f"{plurale(len(dati['candidature']), 'candidatura', 'candidature')}, "
                   f"{plurale(n, 'allegato', 'allegati')}.")

    @gruppo.command("cancella")
    def cancella(
        cf: Annotated[str, typer.Argument(metavar="CODICE_FISCALE", show_default=False)],
        al: Annotated[Optional[str], typer.Option("--al", metavar="AAAA-MM-GG", help="Data a cui valutare gli obblighi di conservazione (predefinita: oggi).", show_default=False)] = None,
    ) -> None:
        """Cancella la persona da pratiche e candidature, tranne ciò che la legge obbliga a conservare."""
        data = parse_data(al) or oggi()
        try:
            esito = persona.cancella_persona(cf, data)
        except (ValueError, accesso.AccessoNegato, archivio.ErroreArchivio, archivio.ErroreDatabase) as e:
            raise errore(str(e), 1) from None
        typer.echo(f"Cancellati: {plurale(len(esito.pratiche), 'pratica', 'pratiche')} "
                   f"({', '.join(esito.pratiche) or '—'}), "
                   f"{plurale(len(esito.candidature), 'candidatura', 'candidature')}.")
        for r in esito.rifiuti:
            quando = f" Cancellabile dal {r.possibile_dal.strftime('%d/%m/%Y')}." if r.possibile_dal else ""
            typer.echo(f"Non cancellato in '{r.dove}': {r.motivo}.{quando}")
        if esito.rifiuti:
            raise typer.Exit(3)

    @gruppo.command("purga-candidature")
    def purga(
        al: Annotated[Optional[str], typer.Option("--al", metavar="AAAA-MM-GG", show_default=False)] = None,
    ) -> None:
        """Cancella le candidature escluse da più del periodo di conservazione (parametro datato)."""
        try:
            tolte = persona.purga_candidature_non_ammesse(parse_data(al) or oggi())
        except (accesso.AccessoNegato, archivio.ErroreDatabase) as e:
            raise errore(str(e), 1) from None
        typer.echo(f"Candidature escluse cancellate: {len(tolte)}.")
