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
    from cer_docs.services import accesso, utenti

    if utente is None:
        accesso.imposta_attore_predefinito(None)
        return
    try:
        accesso.imposta_attore_predefinito(utenti.attore_da_username(utente))
    except (utenti.ErroreUtenti, accesso.AccessoNegato) as e:
        typer.echo(f"Errore: {e}", err=True)
        raise typer.Exit(1) from None


def _register_all() -> None:
    global _registered
    if _registered:
        return
    for mod in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if mod.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{mod.name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(app)
    _registered = True


def main(argv: list[str] | None = None) -> None:
    _register_all()
    from cer_docs.services.accesso import AccessoNegato

    try:
        app(args=argv, prog_name="cer-docs")
    except AccessoNegato as e:
        print(f"Errore: {e}.", file=sys.stderr)
        raise SystemExit(1) from None
    except KeyboardInterrupt:
        print("Interrotto.", file=sys.stderr)
        raise SystemExit(130) from None
