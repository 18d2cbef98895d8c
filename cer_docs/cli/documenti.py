"""``cer-docs documenti …``: il giro dell'avvocato sui documenti della pratica.

* ``carica PRATICA FILE`` conserva il DOCX (o il PDF, solo lettura) modificato come nuova versione;
* ``versioni PRATICA`` elenca le versioni; ``firmata PRATICA VERSIONE`` segna quella firmata;
* ``confronta ORIGINALE MODIFICATO [--json]`` confronta due DOCX clausola per clausola;
* ``redline ORIGINALE MODIFICATO -o FILE`` scrive il confronto come revisioni di Word;
* ``verifica PRATICA VERSIONE`` controlla il testo (elementi essenziali, dati della pratica);
* ``unisci PRATICA DOCUMENTO [--scegli SEGNALIBRO=avvocato|generato] [--tutti …]`` rigenera
  dai dati attuali e unisce, senza perdere le modifiche dell'avvocato.

Uscita: 0 riuscito, 1 errore o conflitti da risolvere, 2 file o dati illeggibili.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from cer_docs.services import archivio as svc_archivio
from cer_docs.services import revisione as svc

from ._util import errore, parse_data

ESITO_ERRORE = 1
ESITO_INPUT = 2

app = typer.Typer(help="Documenti modificati dall'avvocato: versioni, confronto, redline, controlli, unione.",
                  no_args_is_help=True)

_SEGNO = {"invariata": " ", "modificata": "~", "aggiunta": "+", "rimossa": "-", "spostata": ">"}


def _esegui(f, *a, **k):  # noqa: ANN001, ANN202
    try:
        return f(*a, **k)
    except svc_archivio.PraticaNonTrovata as e:
        raise errore(f"{e} (l'elenco: cer-docs pratiche)", ESITO_ERRORE) from None
    except svc_archivio.ErroreArchivio as e:
        raise errore(str(e), ESITO_ERRORE) from None
    except OSError as e:
        raise errore(f"operazione non riuscita ({e.strerror or e})", ESITO_INPUT) from None


def _differenze(diff: list[tuple[str, str]]) -> str:
    return "".join(t if op == "=" else f"[-{t}-]" if op == "-" else f"{{+{t}+}}" for op, t in diff)


def _stampa_confronto(c: svc.Confronto, tutte: bool = False) -> None:
    conteggio = c.conteggio()
    typer.echo("Confronto clausola per clausola: " + ", ".join(f"{n} {k}" for k, n in conteggio.items()))
    for a in c.avvisi:
        typer.echo(f"Attenzione: {a}")
    for v in c.voci:
        if v.esito == "invariata" and not tutte:
            continue
        typer.echo(f"{_SEGNO[v.esito]} {v.esito.upper():10} {v.descrizione}"
                   + (f" · {v.articolo}" if v.articolo else "")
                   + (" (anche il testo è cambiato)" if v.anche_modificata else ""))
        if v.nota:
            typer.echo(f"    nota: {v.nota}")
        if v.differenze:
            typer.echo("    " + _differenze(v.differenze).replace("\n", "\n    "))
        elif v.esito in ("aggiunta", "rimossa"):
            typer.echo("    " + v.unita.testo.replace("\n", "\n    "))


def _stampa_rilievi(rilievi: list[svc.RilievoTesto], tutti: bool = False) -> None:
    mostrati = [r for r in rilievi if tutti or r.gravita != "info"]
    if not mostrati:
        typer.echo("Controlli sul testo: nessun problema.")
        return
    typer.echo("Controlli sul testo:")
    for r in mostrati:
        typer.echo(f"  [{r.gravita}] {r.messaggio}")


@app.command("carica")
def carica(
    pratica: Annotated[str, typer.Argument(metavar="PRATICA", help="Codice della pratica nell'archivio.", show_default=False)],
    file: Annotated[Path, typer.Argument(metavar="FILE", help="Il DOCX modificato (o un PDF, conservato solo per la lettura).", show_default=False)],
    documento: Annotated[Optional[str], typer.Option("--documento", "-d", metavar="CHIAVE", help="statuto, atto_costitutivo, regolamento:<configurazione>…; per un DOCX generato da cer-docs si riconosce da sé.", show_default=False)] = None,
    autore: Annotated[Optional[str], typer.Option("--autore", metavar="NOME", help="Chi carica (predefinito: CER_DOCS_AUTORE o l'utente del sistema).", show_default=False)] = None,
    nota: Annotated[Optional[str], typer.Option("--nota", metavar="TESTO", help="Una nota sulla versione (es. «bozza del notaio del 3 marzo»).", show_default=False)] = None,
    al: Annotated[Optional[str], typer.Option("--al", metavar="AAAA-MM-GG", help="Data delle regole per i controlli (predefinito: oggi).", show_default=False)] = None,
    come_json: Annotated[bool, typer.Option("--json", help="Esito in JSON.")] = False,
) -> None:
    """Conserva il file modificato come nuova versione del documento e dice che cosa è cambiato."""
    if not file.is_file():
        raise errore(f"il file «{file}» non esiste", ESITO_INPUT)
    esito = _esegui(svc.revisione().carica, pratica, file.name, file.read_bytes(), documento=documento,
                    attore=autore, al=parse_data(al), nota=nota)
    if come_json:
        typer.echo(json.dumps({"versione": esito.versione.as_dict(),
                               "base": esito.base.as_dict() if esito.base else None,
                               "confronto": esito.confronto.as_dict() if esito.confronto else None,
                               "rilievi": [r.as_dict() for r in esito.rilievi], "note": esito.note},
                              ensure_ascii=False, indent=2))
        return
    v = esito.versione
    typer.echo(f"Caricato come versione {v.versione} di {v.documento} (id {v.id}, sha256 {v.sha256[:12]}…).")
    for n in esito.note:
        typer.echo(f"Nota: {n}")
    if esito.confronto is not None and esito.base is not None:
        typer.echo(f"Rispetto alla versione {esito.base.versione}:")
        _stampa_confronto(esito.confronto)
        _stampa_rilievi(esito.rilievi)


@app.command("versioni")
def versioni(
    pratica: Annotated[str, typer.Argument(metavar="PRATICA", show_default=False)],
    documento: Annotated[Optional[str], typer.Option("--documento", "-d", metavar="CHIAVE", show_default=False)] = None,
    come_json: Annotated[bool, typer.Option("--json", help="Elenco in JSON.")] = False,
) -> None:
    """Le versioni dei documenti della pratica: chi, quando, impronta, quale è firmata."""
    vs = _esegui(svc.revisione().versioni, pratica, documento)
    if come_json:
        typer.echo(json.dumps([v.as_dict() for v in vs], ensure_ascii=False, indent=2))
    elif not vs:
        typer.echo("Nessuna versione conservata. Carica un documento con: cer-docs documenti carica PRATICA FILE")
    for v in vs if not come_json else []:
        typer.echo(f"{v.id:>5}  {v.documento:30} {v.descrizione}  {v.sha256[:12]}  {v.nome_file}")


@app.command("firmata")
def firmata(
    pratica: Annotated[str, typer.Argument(metavar="PRATICA", show_default=False)],
    versione: Annotated[int, typer.Argument(metavar="ID", help="Id della versione (cer-docs documenti versioni).", show_default=False)],
    autore: Annotated[Optional[str], typer.Option("--autore", metavar="NOME", show_default=False)] = None,
) -> None:
    """Segna la versione come quella firmata."""
    v = _esegui(svc.revisione().segna_firmata, pratica, versione, attore=autore)
    typer.echo(f"{v.documento}: la versione {v.versione} è segnata come firmata.")


@app.command("confronta")
def confronta(
    originale: Annotated[Path, typer.Argument(metavar="ORIGINALE", help="Il DOCX di partenza (generato).", show_default=False)],
    modificato: Annotated[Path, typer.Argument(metavar="MODIFICATO", help="Il DOCX modificato.", show_default=False)],
    come_json: Annotated[bool, typer.Option("--json", help="Elenco delle clausole in JSON (clausola, esito, testi).")] = False,
    tutte: Annotated[bool, typer.Option("--tutte", help="Mostra anche le clausole invariate.")] = False,
) -> None:
    """Confronta due DOCX clausola per clausola: invariata, modificata, aggiunta, rimossa, spostata."""
    c = _esegui(svc.confronta_file, originale, modificato)
    if come_json:
        typer.echo(json.dumps(c.as_dict(), ensure_ascii=False, indent=2))
    else:
        _stampa_confronto(c, tutte)


@app.command("redline")
def redline(
    originale: Annotated[Path, typer.Argument(metavar="ORIGINALE", show_default=False)],
    modificato: Annotated[Path, typer.Argument(metavar="MODIFICATO", show_default=False)],
    out: Annotated[Path, typer.Option("--out", "-o", metavar="FILE", help="Il DOCX con le revisioni da scrivere.", show_default=False)],
    autore: Annotated[Optional[str], typer.Option("--autore", metavar="NOME", help="Autore delle revisioni.", show_default=False)] = None,
) -> None:
    """Scrive il confronto come DOCX con revisioni di Word (da accettare o rifiutare)."""
    dati = _esegui(svc.redline_file, originale, modificato, autore=autore)
    _esegui(out.write_bytes, dati)
    typer.echo(f"Redline scritta in {out}.")


@app.command("verifica")
def verifica(
    pratica: Annotated[str, typer.Argument(metavar="PRATICA", show_default=False)],
    versione: Annotated[int, typer.Argument(metavar="ID", show_default=False)],
    al: Annotated[Optional[str], typer.Option("--al", metavar="AAAA-MM-GG", show_default=False)] = None,
    tutti: Annotated[bool, typer.Option("--tutti", help="Mostra anche gli elementi essenziali trovati.")] = False,
    come_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Controlla il testo di una versione: elementi essenziali (statuto) e dati della pratica."""
    rilievi = _esegui(svc.revisione().verifica, pratica, versione, al=parse_data(al))
    if come_json:
        typer.echo(json.dumps([r.as_dict() for r in rilievi], ensure_ascii=False, indent=2))
    else:
        _stampa_rilievi(rilievi, tutti)
    if any(r.gravita == "errore" for r in rilievi):
        raise typer.Exit(ESITO_ERRORE)


@app.command("unisci")
def unisci(
    pratica: Annotated[str, typer.Argument(metavar="PRATICA", show_default=False)],
    documento: Annotated[str, typer.Argument(metavar="DOCUMENTO", help="statuto, atto_costitutivo, regolamento:<configurazione>…", show_default=False)],
    scegli: Annotated[Optional[list[str]], typer.Option("--scegli", metavar="SEGNALIBRO=avvocato|generato", help="Come risolvere un conflitto (ripetibile).", show_default=False)] = None,
    tutti: Annotated[Optional[str], typer.Option("--tutti", metavar="avvocato|generato", help="La stessa scelta per i conflitti senza --scegli.", show_default=False)] = None,
    autore: Annotated[Optional[str], typer.Option("--autore", metavar="NOME", show_default=False)] = None,
    al: Annotated[Optional[str], typer.Option("--al", metavar="AAAA-MM-GG", show_default=False)] = None,
    out: Annotated[Optional[Path], typer.Option("--out", "-o", metavar="FILE", help="Scrive anche il DOCX unito qui.", show_default=False)] = None,
    come_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Rigenera il documento dai dati attuali e lo unisce all'ultima versione dell'avvocato.
    I conflitti (clausole cambiate da tutti e due) si risolvono con --scegli o --tutti;
    finché ne resta uno, non si scrive nulla."""
    scelte: dict[str, str] = {}
    for s in scegli or []:
        nome, _, valore = s.partition("=")
        if valore not in svc.SCELTE:
            raise errore(f"--scegli vuole SEGNALIBRO=avvocato oppure SEGNALIBRO=generato, non «{s}»", ESITO_INPUT)
        scelte[nome.strip()] = valore
    if tutti is not None and tutti not in svc.SCELTE:
        raise errore("--tutti vuole avvocato oppure generato", ESITO_INPUT)
    r = svc.revisione()
    if tutti is not None:
        prova = _esegui(r.unisci, pratica, documento, scelte, al=parse_data(al), attore=autore)
        for v in prova.unione.conflitti:
            scelte.setdefault(v.segnalibro, tutti)
    esito = _esegui(r.unisci, pratica, documento, scelte, al=parse_data(al), attore=autore)
    u = esito.unione
    if come_json:
        typer.echo(json.dumps({**u.as_dict(), "versione": esito.versione.as_dict() if esito.versione else None,
                               "nulla_da_unire": esito.nulla_da_unire}, ensure_ascii=False, indent=2))
    else:
        for a in u.avvisi:
            typer.echo(f"Attenzione: {a}")
        for v in u.cambiate():
            if v.conflitto:
                continue
            typer.echo(f"  {v.segnalibro}{f' ({v.articolo})' if v.articolo else ''}: {v.spiegazione}")
        for v in u.conflitti:
            scelta = f" → scelto: {v.scelta}" if v.scelta else ""
            typer.echo(f"CONFLITTO {v.segnalibro}{f' ({v.articolo})' if v.articolo else ''}{scelta}")
            typer.echo("    avvocato: " + (v.testo_avvocato or "(cancellata)").replace("\n", "\n              "))
            typer.echo("    generato: " + (v.testo_generato or "(non più prevista)").replace("\n", "\n              "))
    if esito.versione is None and not esito.nulla_da_unire:
        typer.echo(f"{len(u.senza_scelta)} conflitti da risolvere: nulla è stato scritto. Ripeti con "
                   "--scegli SEGNALIBRO=avvocato|generato per ciascuno, oppure --tutti avvocato|generato.", err=True)
        raise typer.Exit(ESITO_ERRORE)
    if esito.nulla_da_unire:
        if not come_json:
            typer.echo("I dati attuali non cambiano il testo: la versione dell'avvocato è già aggiornata, "
                       "nessuna versione nuova.")
        return
    if out is not None:
        _esegui(out.write_bytes, u.docx)
    if not come_json:
        typer.echo(f"Unione conservata come versione {esito.versione.versione} di {documento} "
                   f"(id {esito.versione.id})" + (f" e scritta in {out}" if out else "") + ".")


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="documenti")
