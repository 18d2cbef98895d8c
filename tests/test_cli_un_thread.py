"""La riga di comando parte con un solo thread e senza numpy né pandas (simulazione, riparto), che
avviano thread propri e costano all'avvio: si caricano solo per i comandi che li usano."""

from __future__ import annotations

import subprocess
import sys


def test_la_cli_carica_i_comandi_senza_avviare_thread():
    codice = ("import os, sys\n"
              "from cer_docs.cli import _register_all\n"
              "_register_all()\n"
              "print(len(os.listdir('/proc/self/task')), sorted(m for m in ('numpy', 'pandas') if m in sys.modules))\n")
    r = subprocess.run([sys.executable, "-c", codice], capture_output=True, text=True, check=True, timeout=120)
    assert r.stdout.strip() == "1 []"


def test_la_tabella_dei_comandi_coincide_con_cio_che_i_moduli_registrano():
    """Per un comando la CLI carica solo il suo modulo (avvio rapido): la tabella deve dire il vero."""
    import importlib
    import pkgutil

    import typer

    import cer_docs.cli as cli

    trovati = {}
    for m in pkgutil.iter_modules(cli.__path__):
        if m.name.startswith("_"):
            continue
        registra = getattr(importlib.import_module(f"cer_docs.cli.{m.name}"), "register", None)
        if registra is None:
            continue
        prova = typer.Typer()
        registra(prova)
        for c in prova.registered_commands:
            trovati[c.name or c.callback.__name__.replace("_", "-")] = m.name
        for g in prova.registered_groups:
            trovati[g.name or g.typer_instance.info.name] = m.name
    assert trovati == cli.COMANDI


def test_versione_senza_caricare_comandi_ne_database():
    codice = ("import sys\n"
              "from cer_docs.cli import main\n"
              "try:\n    main(['--version'])\nexcept SystemExit:\n    pass\n"
              "print(sorted(m for m in ('cer_docs.cli.genera', 'cer_docs.store', 'alembic', 'sqlalchemy') "
              "if m in sys.modules))\n")
    r = subprocess.run([sys.executable, "-c", codice], capture_output=True, text=True, check=True, timeout=120)
    assert r.stdout.splitlines() == [r.stdout.splitlines()[0], "[]"] and r.stdout.startswith("cer-docs ")
