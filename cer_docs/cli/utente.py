"""``cer-docs utente``: gli account di un'installazione in modalità server.

La password non si scrive mai come argomento (resterebbe nella cronologia della shell e
nell'elenco dei processi): si digita quando viene chiesta oppure arriva dallo standard input
con ``--password-stdin``. Chi usa la riga di comando sulla macchina è l'amministratore locale.
"""

from __future__ import annotations

import sys
from typing import Annotated, Optional

import typer

from cer_docs.services import accesso, utenti
from cer_docs.services.archivio import ErroreDatabase, ora_locale

from ._util import errore

ESITO_ERRORE = 1


def _password(da_stdin: bool, domanda: str = "Password") -> str:
    if da_stdin:
        riga = sys.stdin.readline()
        return riga.rstrip("\r\n")
    return typer.prompt(domanda, hide_input=True, confirmation_prompt=True)


def _esegui(fn, *args, **kwargs):  # noqa: ANN001, ANN202
    try:
        return fn(*args, **kwargs)
    except (utenti.ErroreUtenti, accesso.AccessoNegato, ErroreDatabase, ValueError) as e:
        raise errore(str(e), ESITO_ERRORE) from None


def register(app: typer.Typer) -> None:
    gruppo = typer.Typer(help="Account dell'installazione (modalità server): crea, elenca, ruoli, disattiva.",
                         no_args_is_help=True, add_completion=False, rich_markup_mode=None)
    app.add_typer(gruppo, name="utente")

    @gruppo.command("crea")
    def crea(
        username: Annotated[str, typer.Argument(metavar="NOME_UTENTE", help="Nome per entrare (minuscole, cifre, . _ - @).", show_default=False)],
        nome: Annotated[str, typer.Option("--nome", metavar="'NOME COGNOME'", help="Nome e cognome della persona: firma le modifiche nel registro.", show_default=False)],
        amministratore: Annotated[bool, typer.Option("--amministratore", help="Amministratore dell'installazione (vede e può tutto).")] = False,
        email: Annotated[Optional[str], typer.Option("--email", metavar="INDIRIZZO", show_default=False)] = None,
        password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Legge la password dalla prima riga dello standard input.")] = False,
    ) -> None:
        """Crea un account; la password si digita (due volte) o arriva dallo standard input."""
        password = _password(password_stdin)
        u = _esegui(utenti.crea_utente, username, nome, password, amministratore=amministratore, email=email)
        typer.echo(f"Utente '{u.username}' creato{' (amministratore)' if u.amministratore else ''}.")

    @gruppo.command("elenco")
    def elenco() -> None:
        """Elenca gli account con i loro ruoli sulle pratiche e sulle campagne."""
        voci = _esegui(utenti.elenco_utenti)
        if not voci:
            typer.echo("Nessun utente. Crea il primo amministratore con: "
                       "cer-docs utente crea NOME_UTENTE --nome 'Nome Cognome' --amministratore")
            return
        for v in voci:
            stato = "attivo" if v.attivo else "disattivato"
            if v.bloccato_fino is not None:
                stato += f", bloccato fino alle {ora_locale(v.bloccato_fino, '%H:%M del %d/%m/%Y')}"
            ruoli = [f"pratica {c}: {r}" for c, r in sorted(v.pratiche.items())]
            ruoli += [f"campagna {c}: {r}" for c, r in sorted(v.campagne.items())]
            typer.echo(f"{v.username}  {v.nome}{'  [amministratore]' if v.amministratore else ''}  ({stato})")
            for r in ruoli:
                typer.echo(f"    {r}")

    @gruppo.command("ruolo")
    def ruolo(
        username: Annotated[str, typer.Argument(metavar="NOME_UTENTE", show_default=False)],
        ruolo: Annotated[Optional[str], typer.Argument(metavar="RUOLO", help=f"Uno tra: {', '.join(accesso.RUOLI)}.", show_default=False)] = None,
        pratica: Annotated[Optional[str], typer.Option("--pratica", metavar="CODICE", help="La pratica da condividere.", show_default=False)] = None,
        campagna: Annotated[Optional[str], typer.Option("--campagna", metavar="CODICE", help="La campagna da condividere.", show_default=False)] = None,
        revoca: Annotated[bool, typer.Option("--revoca", help="Toglie l'accesso invece di darlo.")] = False,
        amministratore: Annotated[Optional[bool], typer.Option("--amministratore/--non-amministratore", help="Dà o toglie il ruolo di amministratore dell'installazione.", show_default=False)] = None,
    ) -> None:
        """Dà (o con --revoca toglie) un ruolo su una pratica o una campagna; il cambio è nel registro."""
        if amministratore is not None:
            _esegui(utenti.imposta_amministratore, username, amministratore)
            typer.echo(f"{username}: amministratore {'sì' if amministratore else 'no'}.")
            return
        if bool(pratica) == bool(campagna):
            raise errore("indica --pratica CODICE oppure --campagna CODICE", 2)
        if not revoca and not ruolo:
            raise errore(f"indica il ruolo: {', '.join(accesso.RUOLI)} (oppure --revoca)", 2)
        nuovo = None if revoca else ruolo
        if pratica:
            _esegui(utenti.condividi_pratica, pratica, username, nuovo)
        else:
            _esegui(utenti.condividi_campagna, campagna, username, nuovo)
        dove = f"pratica '{pratica}'" if pratica else f"campagna '{campagna}'"
        typer.echo(f"{username}: accesso alla {dove} revocato." if revoca else f"{username}: {ruolo} sulla {dove}.")

    @gruppo.command("disattiva")
    def disattiva(username: Annotated[str, typer.Argument(metavar="NOME_UTENTE", show_default=False)]) -> None:
        """Disattiva l'account e chiude le sue sessioni (il registro resta com'è)."""
        _esegui(utenti.disattiva, username)
        typer.echo(f"Utente '{username}' disattivato.")

    @gruppo.command("riattiva")
    def riattiva(username: Annotated[str, typer.Argument(metavar="NOME_UTENTE", show_default=False)]) -> None:
        """Riattiva un account disattivato o bloccato."""
        _esegui(utenti.riattiva, username)
        typer.echo(f"Utente '{username}' riattivato.")

    @gruppo.command("password")
    def password(
        username: Annotated[str, typer.Argument(metavar="NOME_UTENTE", show_default=False)],
        password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Legge la password dalla prima riga dello standard input.")] = False,
    ) -> None:
        """Reimposta la password (provvisoria: al prossimo accesso la persona la deve cambiare)."""
        nuova = _password(password_stdin, "Password provvisoria")
        _esegui(utenti.reimposta_password, username, nuova)
        typer.echo(f"Password di '{username}' reimpostata: al prossimo accesso dovrà cambiarla.")
