"""``cer-docs scadenze PRATICA [--al] [--json] [--ics FILE]``, ``cer-docs fatto CODICE TIPO --data`` e
``cer-docs annulla-fatto CODICE [NUMERO] --motivo TESTO``.

PRATICA è un file pratica (YAML o JSON) oppure, se non è un file, il codice di una pratica
dell'archivio. Uscita: 0 riuscito; 1 fatto rifiutato, conflitto o errore del database;
2 input illeggibile (file non valido, pratica inesistente, data o tipo sbagliati).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Optional

import typer

from cer_docs.services.errori import messaggio_os
from cer_docs.italiano import data_lunga, plurale
from cer_docs.model import ErrorePratica
from cer_docs.services import archivio as arc
from cer_docs.services import scadenze as svc

from ._util import errore, oggi, parse_data

ESITO_RIFIUTO = 1
ESITO_INPUT = 2

_STATI = {"scaduta": "SCADUTA", "imminente": "imminente", "futura": "futura", "adempiuta": "adempiuta"}



@contextmanager
def _errori_in_italiano() -> Iterator[None]:
    """Eccezioni note → messaggio su stderr e codice d'uscita; mai un traceback."""
    try:
        yield
    except typer.Exit:
        raise
    except svc.TipoFattoSconosciuto as e:
        raise errore(str(e), ESITO_INPUT) from None
    except svc.FattoRifiutato as e:
        raise errore(f"fatto non registrato. {e}", ESITO_RIFIUTO) from None
    except (ErrorePratica, svc.PraticaNonDisponibile) as e:
        raise errore(str(e), ESITO_INPUT) from None
    except arc.PraticaNonTrovata as e:
        raise errore(f"{e} (l'elenco: cer-docs pratiche)", ESITO_INPUT) from None
    except (arc.ErroreArchivio, arc.ErroreDatabase) as e:
        raise errore(str(e), ESITO_RIFIUTO) from None
    except OSError as e:
        raise errore(f"operazione non riuscita: {messaggio_os(e)}", ESITO_RIFIUTO) from None
    except Exception as e:  # noqa: BLE001 - ultima difesa per chi usa la riga di comando
        import sqlalchemy.exc

        if isinstance(e, sqlalchemy.exc.SQLAlchemyError):
            raise errore("il database non ha risposto come previsto; riprova, e se il problema resta controlla "
                          f"CER_DOCS_DATABASE_URL ({type(e).__name__})", ESITO_RIFIUTO) from None
        raise


def tabella(risultato: svc.ScadenzePratica) -> str:
    """Le scadenze in una tabella italiana ordinata per data, con i dettagli sotto ogni riga."""
    st = risultato.stati
    righe = [f"Scadenze di «{risultato.denominazione}» ({risultato.codice}) al {data_lunga(risultato.al)}",
             f"Stato della pratica: {st.etichetta_pratica}", ""]
    if not risultato.scadenze:
        righe.append("Nessuna scadenza: registra i fatti della pratica (firma dell'atto, entrata in esercizio degli "
                     "impianti, richiesta al GSE...) perché ne nascano.")
        return "\n".join(righe)
    date = [data_lunga(s.data) for s in risultato.scadenze]
    intest = ("DATA", "CODICE", "STATO", "SCADENZA")
    larg = [max(len(intest[0]), *(len(d) for d in date)),
            max(len(intest[1]), *(len(s.codice) for s in risultato.scadenze)),
            max(len(intest[2]), *(len(_STATI[s.stato]) for s in risultato.scadenze))]
    rientro = " " * (sum(larg) + 2 * len(larg))

    def riga(a: str, b: str, c: str, d: str) -> str:
        return f"{a.ljust(larg[0])}  {b.ljust(larg[1])}  {c.ljust(larg[2])}  {d}".rstrip()

    righe.append(riga(*intest))
    for d, s in zip(date, risultato.scadenze):
        righe.append(riga(d, s.codice, _STATI[s.stato], s.titolo))
        dettagli = [f"Riguarda: {s.oggetto}"]
        if s.adempiuta_il:
            dettagli.append(f"adempiuta: {data_lunga(s.adempiuta_il)}")
        if s.decorrenza:
            dettagli.append(f"decorrenza degli incentivi: {data_lunga(s.decorrenza)}")
        righe.append(rientro + " · ".join(dettagli))
        if s.stato != "adempiuta":
            righe.append(rientro + f"Se non rispettata: {s.conseguenza}")
        righe.append(rientro + f"Fonte: {s.riferimento}" + (" [regola da verificare]" if s.non_confermato else ""))
    c = risultato.conta()
    righe += ["", f"Totale: {plurale(len(risultato.scadenze), 'scadenza', 'scadenze')} — "
                  f"{plurale(c['scaduta'], 'scaduta', 'scadute')}, {plurale(c['imminente'], 'imminente', 'imminenti')}, "
                  f"{plurale(c['futura'], 'futura', 'future')}, {plurale(c['adempiuta'], 'adempiuta', 'adempiute')}."]
    return "\n".join(righe)


def _aiuto_fatto() -> str:
    tipi = "\n".join(f"  {t.codice}: {t.etichetta}" for t in svc.tipi_fatto())
    alias = ", ".join(f"{a} = {b}" for a, b in svc.nomi_alternativi().items())
    return ("Registra un fatto su una pratica dell'archivio: aggiorna il campo datato, aggiunge l'evento e salva una "
            "nuova versione. Un fatto non ammesso (per esempio la richiesta al GSE prima della costituzione) è "
            "rifiutato con il motivo.\n\n"
            f"Tipi di fatto:\n\n\b\n{tipi}\n\nNomi alternativi accettati: {alias}.\n\n"
            "Uscita: 0 registrato, 1 rifiutato (o conflitto di modifica), 2 dati illeggibili.")


def register(app: typer.Typer) -> None:
    @app.command("scadenze")
    def scadenze(
        pratica: Annotated[str, typer.Argument(metavar="PRATICA", help="File pratica YAML o JSON, oppure il codice di una pratica dell'archivio.", show_default=False)],
        al: Annotated[Optional[str], typer.Option("--al", metavar="AAAA-MM-GG", help="Data a cui guardare le scadenze (predefinita: oggi).", show_default=False)] = None,
        come_json: Annotated[bool, typer.Option("--json", help="Stampa le scadenze in JSON.")] = False,
        ics: Annotated[Optional[str], typer.Option("--ics", metavar="FILE", help="Scrive anche il calendario .ics (da importare nel proprio calendario).", show_default=False)] = None,
    ) -> None:
        """Calcola le scadenze della pratica alla data scelta: tabella, JSON o calendario .ics.

        Uscita: 0 riuscito, 1 file .ics non scrivibile o errore del database, 2 pratica illeggibile.
        """
        data = parse_data(al) or oggi()
        with _errori_in_italiano():
            risultato = svc.scadenze(pratica, data)
            if ics is not None:
                percorso = svc.scrivi_ics(ics, svc.esporta_ics(pratica, data))
        if come_json:
            typer.echo(json.dumps(risultato.as_json(), ensure_ascii=False, indent=2))
        else:
            typer.echo(tabella(risultato))
        if ics is not None:
            typer.echo(f"Calendario scritto in {percorso} ({plurale(len(risultato.scadenze), 'scadenza', 'scadenze')}).",
                       err=come_json)

    @app.command("fatto", help=_aiuto_fatto())
    def fatto(
        codice: Annotated[str, typer.Argument(metavar="PRATICA_CODICE", help="Codice della pratica nell'archivio (pratica.id).", show_default=False)],
        tipo: Annotated[str, typer.Argument(metavar="TIPO", help="Tipo di fatto (vedi l'elenco sopra).", show_default=False)],
        data: Annotated[str, typer.Option("--data", metavar="AAAA-MM-GG", help="Data in cui il fatto è avvenuto.", show_default=False)],
        oggetto: Annotated[Optional[str], typer.Option("--oggetto", metavar="PATH", help="A che cosa si riferisce: id della configurazione o dell'impianto, codice POD o percorso (es. configurazioni[0].impianti[1]). Si può omettere se non c'è ambiguità.", show_default=False)] = None,
        nota: Annotated[Optional[str], typer.Option("--nota", metavar="TESTO", help="Nota libera da conservare con l'evento.", show_default=False)] = None,
        autore: Annotated[Optional[str], typer.Option("--autore", metavar="NOME", help="Chi registra (predefinito: CER_DOCS_AUTORE o l'utente del sistema).", show_default=False)] = None,
        riferimento: Annotated[Optional[str], typer.Option("--riferimento", metavar="TESTO", help="Estremi del documento (protocollo, numero di registrazione, codice progetto).", show_default=False)] = None,
        al: Annotated[Optional[str], typer.Option("--al", metavar="AAAA-MM-GG", help="Data di oggi per i controlli (predefinita: oggi).", show_default=False)] = None,
    ) -> None:
        quando = parse_data(data, "--data")
        oggi_ = parse_data(al) or oggi()
        with _errori_in_italiano():
            esito = svc.registra_fatto(codice, tipo, quando, oggetto, nota, autore, riferimento=riferimento, al=oggi_)
        ev = esito.evento
        typer.echo(f"Registrato: {ev.descrizione} ({data_lunga(ev.data)}). Pratica '{esito.codice}', "
                   f"versione {esito.versione}.")
        stato = esito.stati.di(ev.oggetto or "")
        if stato is not None:
            typer.echo(f"Stato di {stato.nome}: {stato.etichetta}.")
        typer.echo(f"Stato della pratica: {esito.stati.etichetta_pratica}.")
        for a in esito.avvisi:
            typer.echo(f"Attenzione: {a}")

    @app.command("annulla-fatto")
    def annulla_fatto(
        codice: Annotated[str, typer.Argument(metavar="PRATICA_CODICE", help="Codice della pratica nell'archivio (pratica.id).", show_default=False)],
        numero: Annotated[Optional[int], typer.Argument(metavar="NUMERO", help="Numero del fatto da annullare (senza: elenca i fatti con il loro numero).", show_default=False)] = None,
        motivo: Annotated[Optional[str], typer.Option("--motivo", metavar="TESTO", help="Perché si annulla (obbligatorio: resta nella cronologia).", show_default=False)] = None,
        autore: Annotated[Optional[str], typer.Option("--autore", metavar="NOME", help="Chi annulla (predefinito: CER_DOCS_AUTORE o l'utente del sistema).", show_default=False)] = None,
        al: Annotated[Optional[str], typer.Option("--al", metavar="AAAA-MM-GG", help="Data dell'annullamento (predefinita: oggi).", show_default=False)] = None,
    ) -> None:
        """Annulla un fatto registrato per errore: il fatto resta nella cronologia, segnato come annullato (chi,
        quando, perché), e non conta più per stati e scadenze. Senza NUMERO elenca i fatti della pratica.

        Uscita: 0 annullato (o elenco stampato), 1 rifiutato (già annullato, un fatto successivo ne dipende,
        conflitto di modifica), 2 dati illeggibili.
        """
        oggi_ = parse_data(al) or oggi()
        with _errori_in_italiano():
            if numero is None:
                voci = [v for v in svc.cronologia(codice, oggi_).voci if v.genere == "evento"]
                if not voci:
                    typer.echo("Nessun fatto registrato su questa pratica.")
                for v in voci:
                    stato = ""
                    if v.annullato:
                        da = f" da {v.annullato_da}" if v.annullato_da else ""
                        stato = f"  [annullato il {data_lunga(v.annullato_il)}{da}]"
                    typer.echo(f"{v.indice + 1:>3}. {data_lunga(v.data)}  {v.titolo}{stato}")
                return
            if numero < 1:
                raise errore("NUMERO è il numero del fatto nell'elenco (da 1): lancia il comando senza NUMERO per "
                             "vederlo", ESITO_INPUT)
            if not (motivo or "").strip():
                raise errore("indica perché annulli il fatto con --motivo (resta nella cronologia)", ESITO_INPUT)
            esito = svc.annulla_fatto(codice, numero - 1, motivo, autore, al=oggi_)
        typer.echo(f"{esito.evento.descrizione}. Pratica '{esito.codice}', versione {esito.versione}.")
        typer.echo(f"Stato della pratica: {esito.stati.etichetta_pratica}.")
        for a in esito.avvisi:
            typer.echo(f"Attenzione: {a}")
