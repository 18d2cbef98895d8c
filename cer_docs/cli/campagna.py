"""``cer-docs campagna …``: manifestazioni di interesse lato ufficio."""

from __future__ import annotations

import functools
import json
import os
import tempfile
from pathlib import Path
from typing import Optional

import typer

from cer_docs.italiano import numero, plurale

from cer_docs.model import ErrorePratica
from cer_docs.services import archivio, campagne, errori

from ._util import fail, oggi, parse_data

app = typer.Typer(help="Manifestazioni di interesse: campagne, candidature, screening, passaggio alla pratica.",
                  no_args_is_help=True)

_ERRORI = (ErrorePratica, campagne.CampagnaNonTrovata, campagne.CandidaturaNonTrovata, campagne.CampagnaEsistente,
           campagne.ConflittoCandidatura, campagne.ErroreConversione, archivio.ErroreArchivio)


def _scrivi(path: Path, dati: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent or Path("."), prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(dati)
        os.replace(tmp, path)
    except BaseException:  # disco pieno, interruzione: nessun avanzo accanto al file
        Path(tmp).unlink(missing_ok=True)
        raise


@app.command("importa")
def importa(file: Path = typer.Argument(..., help="File campagna YAML/JSON (formato cer-docs/campagna@1)")) -> None:
    """Crea nel database una campagna (con le candidature già raccolte nel file)."""
    try:
        v = campagne.importa_file_campagna(file)
    except ErrorePratica as e:
        fail(str(e), 2)
    except _ERRORI as e:
        fail(f"Errore: {e}", 1)
    typer.echo(f"Campagna '{v.codice}' importata con {plurale(v.candidature, 'candidatura', 'candidature')}.")


@app.command("elenco")
def elenco(come_json: bool = typer.Option(False, "--json")) -> None:
    """Le campagne nel database."""
    voci = campagne.elenco_campagne()
    if come_json:
        typer.echo(json.dumps([{"codice": v.codice, "titolo": v.titolo, "stato": v.stato,
                                "candidature": v.candidature} for v in voci], ensure_ascii=False, indent=2))
        return
    if not voci:
        typer.echo("Nessuna campagna. Importane una con 'cer-docs campagna importa FILE'.")
    for v in voci:
        typer.echo(f"{v.codice}\t{v.stato}\t{plurale(v.candidature, 'candidatura', 'candidature')}\t{v.titolo}")


@app.command("esame")
def esame(codice: str, al: Optional[str] = typer.Option(None, "--al"),
          come_json: bool = typer.Option(False, "--json")) -> None:
    """Screening delle candidature: rilievi per candidato e sull'insieme delle ammesse."""
    data = parse_data(al) or oggi()
    try:
        esami, insieme, bil = campagne.esamina(codice, data)
    except _ERRORI as e:
        fail(f"Errore: {e}", 1)
    if come_json:
        typer.echo(json.dumps({
            "candidature": [{"protocollo": e.protocollo, "candidato": e.candidatura.nome_completo,
                             "decisione": e.candidatura.decisione, "rilievi": [r.as_dict() for r in e.rilievi]}
                            for e in esami],
            "insieme": [r.as_dict() for r in insieme]}, ensure_ascii=False, indent=2))
        return
    for e in esami:
        stato = "✗" if e.errori else "✓"
        typer.echo(f"{stato} {e.protocollo}  {e.candidatura.nome_completo}  [{e.candidatura.decisione}]")
        for r in e.rilievi:
            typer.echo(f"    {r.gravita.upper()}: {r.messaggio} ({r.riferimento})")
    typer.echo(f"\nAmmesse: consumi dichiarati {numero(bil.consumo_kwh, 0)} kWh/anno, produzione prevista "
               f"{numero(bil.produzione_kwh, 0)} kWh/anno, {plurale(bil.produttori, 'produttore', 'produttori')}, "
               f"{plurale(bil.consumatori, 'consumatore', 'consumatori')}.")
    for r in insieme:
        typer.echo(f"  {r.gravita.upper()}: {r.messaggio}")


@app.command("decidi")
def decidi(protocollo: str,
           decisione: str = typer.Option(..., "--decisione", help="ammessa | riserva | esclusa | da_valutare"),
           note: Optional[str] = typer.Option(None, "--note"),
           autore: str = typer.Option(..., "--autore")) -> None:
    """Registra la decisione dell'ufficio su una candidatura."""
    if decisione not in ("ammessa", "riserva", "esclusa", "da_valutare"):
        fail("Errore: --decisione vale ammessa, riserva, esclusa o da_valutare.", 2)
    try:
        codice = next(v.codice for v in campagne.elenco_campagne()
                      if any(c.protocollo == protocollo for c in campagne.candidature(v.codice)))
        voce = next(c for c in campagne.candidature(codice) if c.protocollo == protocollo)
        campagne.decidi(protocollo, decisione, note, autore, voce.versione)  # type: ignore[arg-type]
    except StopIteration:
        fail(f"Errore: nessuna candidatura con protocollo '{protocollo}'.", 1)
    except _ERRORI as e:
        fail(f"Errore: {e}", 1)
    typer.echo(f"Candidatura {protocollo}: {decisione}.")


@app.command("esporta")
def esporta(codice: str, out: Path = typer.Option(..., "--out", help="File .csv o .xlsx")) -> None:
    """Esporta le candidature in CSV (separatore ;) o XLSX con intestazioni in italiano."""
    try:
        dati = campagne.esporta_xlsx(codice) if out.suffix.lower() == ".xlsx" else campagne.esporta_csv(codice)
    except _ERRORI as e:
        fail(f"Errore: {e}", 1)
    _scrivi(out, dati)
    typer.echo(f"Scritto {out}.")


@app.command("converti")
def converti(codice: str,
             protocolli: Optional[str] = typer.Option(None, "--protocolli", help="Elenco separato da virgole; "
                                                       "predefinito: tutte le ammesse"),
             pratica: Optional[str] = typer.Option(None, "--pratica", help="Codice della pratica di destinazione"),
             nuova: Optional[str] = typer.Option(None, "--nuova", help="Codice di una pratica nuova"),
             denominazione: Optional[str] = typer.Option(None, "--denominazione"),
             autore: Optional[str] = typer.Option(None, "--autore")) -> None:
    """Porta le candidature ammesse nella pratica: soggetti, membri, POD e impianti, in un solo passo."""
    elenco = [p.strip() for p in protocolli.split(",")] if protocolli else None
    try:
        esito = campagne.converti_in_pratica(codice, elenco, codice_pratica=pratica, nuova_codice=nuova,
                                             nuova_denominazione=denominazione, autore=autore)
    except _ERRORI as e:
        fail(f"Errore: {e}", 1)
    typer.echo(f"{len(esito.soggetti)} candidati inseriti nella pratica '{esito.codice_pratica}' "
               f"({'nuova' if esito.nuova else 'esistente'}, versione {esito.versione}).")
    for prot, sid in esito.soggetti.items():
        typer.echo(f"  {prot} → {sid}")


def _senza_traceback(comando):
    """Database non disponibile (sola lettura, PostgreSQL spento), disco pieno: messaggio italiano, uscita 1."""
    @functools.wraps(comando)
    def avvolto(*args, **kwargs):
        try:
            return comando(*args, **kwargs)
        except typer.Exit:
            raise
        except Exception as e:  # noqa: BLE001 - solo gli errori tecnici noti; gli altri risalgono
            messaggio = errori.messaggio_tecnico(e)
            if messaggio is None:
                raise
            fail(f"Errore: {messaggio}", 1)
    return avvolto


def register(root: typer.Typer) -> None:
    for comando in app.registered_commands:
        if comando.callback is not None and not hasattr(comando.callback, "__wrapped__"):
            comando.callback = _senza_traceback(comando.callback)
    root.add_typer(app, name="campagna")


@app.command("documenti")
def documenti(
    campagna: str = typer.Argument(..., help="File campagna (YAML/JSON) oppure codice di una campagna nel database."),
    out: Path = typer.Option(..., "--out", "-o", help="Cartella in cui scrivere avviso e modulo."),
    formati: str = typer.Option("docx,pdf", "--formati", help="Formati, separati da virgola: docx, pdf."),
    bozza: bool = typer.Option(False, "--bozza", help="Filigrana e intestazione BOZZA su ogni pagina."),
    al: Optional[str] = typer.Option(None, "--al", help="Data (AAAA-MM-GG) a cui applicare le regole."),
) -> None:
    """Avviso pubblico e modulo di manifestazione di interesse, in DOCX e PDF, con manifest.json."""
    from cer_docs.campagne.file import carica_campagna
    from cer_docs.services import documenti as svc

    try:
        c = carica_campagna(campagna).campagna if Path(campagna).is_file() else campagne.apri_campagna(campagna)[0]
        esito = svc.genera_campagna(c, out, formati=svc.leggi_elenco(formati, svc.FORMATI, "formato"),
                                    bozza=bozza, al=parse_data(al) or oggi())
    except ErrorePratica as e:
        fail(str(e), 2)
    except svc.ErroreGenerazione as e:
        fail(f"Errore: {e}", 2)
    except _ERRORI as e:
        fail(f"Errore: {e}", 1)
    typer.echo(f"Documenti scritti in {esito.cartella}:")
    for f in esito.file:
        typer.echo(f"  {f.file}" + ("" if f.pagine is None else f" – {plurale(f.pagine, 'pagina', 'pagine')}"))
    typer.echo("  manifest.json")
    for a in esito.avvisi:
        typer.echo(f"Avviso: {a}", err=True)
