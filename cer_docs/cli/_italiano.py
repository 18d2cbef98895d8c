"""I messaggi di Click e Typer in italiano: aiuto («Utilizzo:», «Mostra questo messaggio ed esci.»)
ed errori d'uso («Nessuna opzione '--x'.», «Prova 'cer-docs --help' per l'aiuto.»).

Typer scrive parte dei suoi testi attraverso ``gettext`` (``_`` e ``ngettext`` importati nei suoi
moduli e in quelli di Click): invece di dipendere dalla lingua del sistema (un catalogo ``.mo`` che
nessun server ha), quelle funzioni si sostituiscono con una traduzione da questo dizionario. Il resto
(la copia di Click dentro Typer, ``typer._click``) ha i testi scritti nel codice: si traducono i
messaggi nei pochi punti dove escono (riga «Usage:», opzione ``--help``, errori d'uso). Se una
versione futura cambia quei punti, i testi restano in inglese, senza errori; il test
``tests/test_cli_italiano.py`` lo segnala. ``installa()`` è idempotente.
"""

from __future__ import annotations

import importlib
import re
import sys

_MODULI = ("click.core", "click.exceptions", "click.formatting", "click.decorators", "click.parser",
           "click.types", "click.termui", "click.utils", "typer.core")
AIUTO = "Mostra questo messaggio ed esci."

# messaggi d'errore scritti nel codice di typer._click: (espressione, sostituzione)
_ERRORI = [
    (re.compile(r"^No such option: (.*)$", re.S), r"Nessuna opzione: \1"),
    (re.compile(r"^No such command (.*)$", re.S), r"Nessun comando \1"),
    (re.compile(r"^Got unexpected extra arguments? \((.*)\)$", re.S), r"Argomenti in più non previsti (\1)"),
    (re.compile(r"^Missing argument (.*)\.$", re.S), r"Manca l'argomento \1."),
    (re.compile(r"^Missing option (.*)\.$", re.S), r"Manca l'opzione \1."),
    (re.compile(r"^Missing parameter: (.*)$", re.S), r"Manca il parametro: \1"),
    (re.compile(r"^Option (.*) requires (.*)$", re.S), r"L'opzione \1 vuole \2"),
    (re.compile(r"^Option (.*) does not take a value\.$", re.S), r"L'opzione \1 non accetta un valore."),
    (re.compile(r"^Invalid value for (.*?): (.*)$", re.S), r"Valore non valido per \1: \2"),
    (re.compile(r"^Invalid value: (.*)$", re.S), r"Valore non valido: \1"),
]
_FRASI = [("Did you mean", "Forse intendevi"), ("(Possible options:", "(Opzioni possibili:"),
          ("is not one of", "non è uno tra"), ("is not a valid integer", "non è un numero intero valido"),
          ("is not a valid float", "non è un numero valido"), ("an argument", "un valore"),
          ("arguments", "valori")]


def traduci_errore(testo: str) -> str:
    for espressione, sostituzione in _ERRORI:
        if espressione.match(testo):
            testo = espressione.sub(sostituzione, testo)
            break
    for inglese, italiano in _FRASI:
        testo = testo.replace(inglese, italiano)
    return testo

TRADUZIONI: dict[str, str] = {
    "Usage:": "Utilizzo:",
    "Options": "Opzioni",
    "Arguments": "Argomenti",
    "Commands": "Comandi",
    "Positional arguments": "Argomenti posizionali",
    "Show this message and exit.": "Mostra questo messaggio ed esci.",
    "Show the version and exit.": "Mostra la versione ed esci.",
    "Error: {message}": "Errore: {message}",
    "Try '{command} {option}' for help.": "Prova '{command} {option}' per l'aiuto.",
    "No such option {name!r}.": "Nessuna opzione {name!r}.",
    "No such command {name!r}.": "Nessun comando {name!r}.",
    "Missing command.": "Manca il comando.",
    "Missing argument": "Manca l'argomento",
    "Missing option": "Manca l'opzione",
    "Missing parameter": "Manca il parametro",
    "Missing parameter: {param_name}": "Manca il parametro: {param_name}",
    "Missing {param_type}": "Manca {param_type}",
    "Invalid value for {param_hint}: {message}": "Valore non valido per {param_hint}: {message}",
    "Invalid value: {message}": "Valore non valido: {message}",
    "Option {name!r} does not take a value.": "L'opzione {name!r} non accetta un valore.",
    "Argument {name!r} takes {nargs} values.": "L'argomento {name!r} vuole {nargs} valori.",
    "Aborted!": "Interrotto.",
    "Do you want to continue?": "Vuoi continuare?",
    "Confirm the action without prompting.": "Conferma l'operazione senza chiedere.",
    "Repeat for confirmation": "Ripeti per conferma",
    "Error: The two entered values do not match.": "Errore: i due valori inseriti non coincidono.",
    "Error: invalid input": "Errore: valore non valido",
    "default: {default}": "predefinito: {default}",
    "required": "obbligatorio",
    "env var: {var}": "variabile d'ambiente: {var}",
    "(dynamic)": "(calcolato)",
    "deprecated": "deprecato",
    "file": "file",
    "directory": "cartella",
    "path": "percorso",
    "Choose from:\n\t{choices}": "Scegli tra:\n\t{choices}",
    "{value!r} is not a valid {number_type}.": "{value!r} non è un {number_type} valido.",
    "{value} is not in the range {range}.": "{value} non è nell'intervallo {range}.",
    "{name} {filename!r} does not exist.": "{name} {filename!r} non esiste.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} è una cartella.",
    "{name} {filename!r} is a file.": "{name} {filename!r} è un file.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} non si può leggere.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} non si può scrivere.",
    "Could not open file {filename!r}: {message}": "Non riesco ad aprire il file {filename!r}: {message}",
    # plurali (ngettext): (singolare, plurale) → (singolare, plurale)
    ("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"):
        ("Argomento in più non previsto ({args})", "Argomenti in più non previsti ({args})"),
    ("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."):
        ("L'opzione {name!r} vuole un valore.", "L'opzione {name!r} vuole {nargs} valori."),
    ("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"):
        ("Forse intendevi {possibility}?", "(Forse intendevi uno di: {possibilities}?)"),
    ("{value!r} is not {choice}.", "{value!r} is not one of {choices}."):
        ("{value!r} non è {choice}.", "{value!r} non è uno tra {choices}."),
    ("{value!r} does not match the format {format}.", "{value!r} does not match the formats {formats}."):
        ("{value!r} non rispetta il formato {format}.", "{value!r} non rispetta i formati {formats}."),
    ("Takes {nargs} values but 1 was given.", "Takes {nargs} values but {len} were given."):
        ("Vuole {nargs} valori, ma ne è stato dato 1.", "Vuole {nargs} valori, ma ne sono stati dati {len}."),
}  # type: ignore[dict-item]


def traduci(testo: str) -> str:
    return TRADUZIONI.get(testo, testo)


def traduci_plurale(singolare: str, plurale: str, n: int) -> str:
    s, p = TRADUZIONI.get((singolare, plurale), (singolare, plurale))  # type: ignore[call-overload]
    return s if n == 1 else p


def _serve(nome: str) -> bool:
    """Click vero si traduce solo se serve: questa Typer usa la sua copia (``typer._click``) e
    importare ``click`` solo per tradurlo costava ~7 ms a ogni avvio della riga di comando."""
    return not (nome.startswith("click.") and "click" not in sys.modules and "typer._click" in sys.modules)


def installa() -> None:
    for nome in _MODULI:
        if not _serve(nome):
            continue
        try:
            modulo = importlib.import_module(nome)
        except ImportError:  # un modulo che una versione futura non ha più
            continue
        if hasattr(modulo, "_"):
            modulo._ = traduci
        if hasattr(modulo, "ngettext"):
            modulo.ngettext = traduci_plurale
    _usa_segnaposto_italiani()
    try:
        _typer_click()
    except (ImportError, AttributeError):  # un'altra versione di Typer: restano i testi originali
        pass


def _typer_click() -> None:
    from typer._click import core, exceptions, formatting
    from typer._click.utils import echo

    if getattr(exceptions.UsageError.show, "_italiano", False):
        return
    scrivi_uso = formatting.HelpFormatter.write_usage

    def write_usage(self, prog, args="", prefix=None):
        return scrivi_uso(self, prog, args, "Utilizzo: " if prefix is None else prefix)

    formatting.HelpFormatter.write_usage = write_usage

    opzione_aiuto = core.Command.get_help_option

    def get_help_option(self, ctx):
        opzione = opzione_aiuto(self, ctx)
        if opzione is not None and opzione.help == "Show this message and exit.":
            opzione.help = AIUTO
        return opzione

    core.Command.get_help_option = get_help_option

    def mostra_errore(self, file=None):
        echo(f"Errore: {traduci_errore(self.format_message())}", file=file or exceptions.get_text_stderr())

    def mostra_errore_uso(self, file=None):
        file = file or exceptions.get_text_stderr()
        if self.ctx is not None:
            aiuto = ""
            if self.ctx.command.get_help_option(self.ctx) is not None:
                aiuto = f"Prova '{self.ctx.command_path} {self.ctx.help_option_names[0]}' per l'aiuto.\n"
            echo(f"{self.ctx.get_usage()}\n{aiuto}", file=file, color=self.ctx.color)
        echo(f"Errore: {traduci_errore(self.format_message())}", file=file,
             color=self.ctx.color if self.ctx is not None else None)

    mostra_errore._italiano = mostra_errore_uso._italiano = True  # type: ignore[attr-defined]
    exceptions.ClickException.show = mostra_errore
    exceptions.UsageError.show = mostra_errore_uso


_SEGNAPOSTO = {"[OPTIONS]": "[OPZIONI]", "COMMAND [ARGS]...": "COMANDO [ARGOMENTI]...",
               "[ARGS]...": "[ARGOMENTI]..."}


def _usa_segnaposto_italiani() -> None:
    """«Usage: cer-docs [OPTIONS] COMMAND [ARGS]...» → «Utilizzo: cer-docs [OPZIONI] COMANDO [ARGOMENTI]...»."""
    classi = []
    for nome in ("click.core", "typer._click.core", "typer.core"):
        if not _serve(nome):
            continue
        try:
            modulo = importlib.import_module(nome)
        except ImportError:
            continue
        classi += [getattr(modulo, c) for c in ("Command", "Group", "TyperCommand", "TyperGroup") if hasattr(modulo, c)]
    for classe in classi:
        originale = classe.__dict__.get("collect_usage_pieces")
        if originale is None or getattr(originale, "_italiano", False):
            continue

        def pezzi(self, ctx, _originale=originale):
            return [_SEGNAPOSTO.get(p, p) for p in _originale(self, ctx)]

        pezzi._italiano = True  # type: ignore[attr-defined]
        classe.collect_usage_pieces = pezzi  # type: ignore[method-assign]
