"""Riga di comando ``cer-docs``.

Ogni modulo di questo pacchetto definisce ``register(app)`` e aggiunge i propri comandi;
i comandi sono sottili: leggono gli argomenti, chiamano ``cer_docs.services`` e stampano.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys

import typer

from ._italiano import installa

installa()  # aiuto ed errori d'uso di Typer e Click in italiano, anche per chi usa ``app`` direttamente

app = typer.Typer(
    name="cer-docs",
    help="Documenti, verifiche e scadenze per comunità energetiche rinnovabili (CER, AUC, AID).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

_registered = False


def _versione(valore: bool) -> None:
    if valore:
        from cer_docs import __version__

        typer.echo(f"cer-docs {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    versione: bool = typer.Option(False, "--version", "--versione", callback=_versione, is_eager=True,
                                  help="Mostra la versione di cer-docs ed esci."),
    utente: str | None = typer.Option(
        None, "--utente", metavar="NOME_UTENTE", show_default=False,
        help="Agisci come questo account (deve esistere ed essere attivo): le modifiche portano il suo nome e "
             "valgono i suoi ruoli. Senza, agisci come amministratore locale."),
) -> None:
    """Documenti, verifiche e scadenze per comunità energetiche rinnovabili (CER, AUC, AID)."""
    if utente is None:
        # l'attore predefinito è già «nessuno» finché accesso non è caricato: non lo si carica per
        # dirlo (importerebbe il database anche per un comando che lavora su un file)
        if "cer_docs.services.accesso" in sys.modules:
            sys.modules["cer_docs.services.accesso"].imposta_attore_predefinito(None)
        return
    from cer_docs.services import accesso
    from cer_docs.services import utenti

    try:
        accesso.imposta_attore_predefinito(utenti.attore_da_username(utente))
    except (utenti.ErroreUtenti, accesso.AccessoNegato) as e:
        typer.echo(f"Errore: {e}", err=True)
        raise typer.Exit(1) from None


# comando → modulo che lo registra: per un comando si carica solo il suo modulo (un avvio di
# «cer-docs genera» non paga l'importazione di account, campagne, riparto...). Il test
# tests/test_cli_un_thread.py controlla che la tabella coincida con ciò che i moduli registrano.
COMANDI: dict[str, str] = {
    "importa": "archivio", "esporta": "archivio", "pratiche": "archivio", "avvia": "avvia",
    "modulo-pubblico": "avvia", "campagna": "campagna", "chiave": "chiave", "documenti": "documenti",
    "fatture": "fatture", "fonti": "fonti", "genera": "genera", "persona": "persona", "pnrr": "pnrr",
    "riparto": "riparto", "scadenze": "scadenze", "fatto": "scadenze", "annulla-fatto": "scadenze",
    "schema": "schema", "simula": "simula", "statuto": "statuto", "utente": "utente", "verifica": "verifica",
    "worker": "worker",
}
_registrati: set[str] = set()


def _registra(moduli: list[str]) -> None:
    for nome in moduli:
        if nome in _registrati:
            continue
        register = getattr(importlib.import_module(f"{__name__}.{nome}"), "register", None)
        if register is not None:
            register(app)
        _registrati.add(nome)


def _register_all() -> None:
    global _registered
    if _registered:
        return
    _registra([m.name for m in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name)
               if not m.name.startswith("_")])
    _registered = True


def _comando(argv: list[str]) -> str | None:
    """Il comando chiesto sulla riga (dopo le opzioni globali), se è uno di quelli noti."""
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--utente":
            i += 2
        elif a.startswith("--utente="):
            i += 1
        elif a.startswith("-"):
            return None  # --help, --version, un'opzione sbagliata: serve l'elenco completo
        else:
            return a if a in COMANDI else None
    return None


def main(argv: list[str] | None = None) -> None:
    """Il punto d'ingresso ``cer-docs``. Chiamato senza ``argv`` (il processo è il comando), alla fine
    esce con ``_esci_subito``; con ``argv`` (da un altro programma Python) solleva ``SystemExit`` come Typer.

    Come comando, niente plugin di pydantic (``PYDANTIC_DISABLE_PLUGINS``, se non è già impostata):
    cercarli scorre i metadati di tutti i pacchetti installati (~8 ms a ogni avvio) e cer-docs non ne usa."""
    if argv is None:
        import os

        os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
        _termina_come_interruzione()
    try:
        _esegui(argv)
    except SystemExit as e:
        if argv is not None:
            raise
        _esci_subito(e.code)
    if argv is None:
        _esci_subito(0)


def _termina_come_interruzione() -> None:
    """SIGTERM (``kill``, lo spegnimento di un servizio, ``timeout``) fa come Ctrl-C: si esce con
    «Interrotto.» e codice 143 dopo aver fatto pulizia (la cartella temporanea di ``genera`` si cancella
    e la destinazione resta com'era), invece di morire lasciando la cartella nascosta ``.nome.nuova-…``
    fino alla generazione dopo. I comandi che gestiscono i segnali da sé (``worker``) lo sostituiscono."""
    import signal

    def _segnale(numero, _frame):
        raise _Terminato(numero)

    try:
        signal.signal(signal.SIGTERM, _segnale)
    except ValueError:  # non nel thread principale (un programma che ci incorpora): si lascia com'è
        pass


class _Terminato(SystemExit):
    """SIGTERM ricevuto: si esce con il codice 128 + 15 attraversando i ``finally`` e i gestori di contesto
    (``SystemExit``, che Click e Typer lasciano passare; un ``KeyboardInterrupt`` lo trasformerebbero in
    un'uscita con codice 130)."""

    def __init__(self, numero: int) -> None:
        super().__init__(128 + numero)


def _esegui(argv: list[str] | None) -> None:
    argomenti = list(sys.argv[1:] if argv is None else argv)
    comando = _comando(argomenti)
    if comando is not None:
        _registra([COMANDI[comando]])
    elif not {"--version", "--versione"} & set(argomenti):
        _register_all()
    try:
        app(args=argv, prog_name="cer-docs")
    except KeyboardInterrupt:
        print("Interrotto.", file=sys.stderr)
        raise SystemExit(130) from None
    except _Terminato:
        if sys.stderr is not None:
            print("Interrotto.", file=sys.stderr)
        raise
    except Exception as e:
        # accesso (e con lui il database) si carica solo se serve: qui, per riconoscere un rifiuto
        from cer_docs.services.accesso import AccessoNegato

        if not isinstance(e, AccessoNegato):
            raise
        print(f"Errore: {e}.", file=sys.stderr)
        raise SystemExit(1) from None


def _esci_subito(codice: object) -> None:
    """Fine del processo senza smontare a uno a uno i moduli e gli oggetti caricati (~40–50 ms su
    ``cer-docs genera``, un decimo del comando): prima le funzioni ``atexit`` (log, cartelle
    temporanee…) e lo svuotamento di stdout e stderr, poi ``os._exit``. Solo se il comando non ha
    lasciato altri thread vivi; altrimenti l'uscita normale di Python, che li aspetta."""
    import os
    import threading

    if isinstance(codice, bool) or not isinstance(codice, int):
        if codice is not None and sys.stderr is not None:
            print(codice, file=sys.stderr)
        codice = 0 if codice is None else 1
    if threading.active_count() > 1:
        raise SystemExit(codice)
    import atexit

    atexit._run_exitfuncs()
    for flusso in (sys.stdout, sys.stderr):
        try:
            if flusso is not None:  # None: il descrittore era chiuso all'avvio (``>&-``)
                flusso.flush()
        except (OSError, ValueError):
            pass
    os._exit(codice)
