"""Riga di comando ``cer-docs``.

Ogni modulo di questo pacchetto definisce ``register(app)`` e aggiunge i propri comandi;
i comandi sono sottili: leggono gli argomenti, chiamano ``cer_docs.services`` e stampano.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys

import typer

app = typer.Typer(
    name="cer-docs",
    help="Documenti, verifiche e scadenze per comunità energetiche rinnovabili (CER, AUC, AID).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

_registered = False


@app.callback()
def _root() -> None:
    """Documenti, verifiche e scadenze per comunità energetiche rinnovabili (CER, AUC, AID)."""


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
    try:
        app(args=argv, prog_name="cer-docs")
    except KeyboardInterrupt:
        print("Interrotto.", file=sys.stderr)
        raise SystemExit(130) from None
