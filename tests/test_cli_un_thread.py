"""La riga di comando parte con un solo thread: ``genera`` e ``worker`` possono impaginare i PDF in
parallelo (``documents/parallelo.py`` usa ``fork`` solo in un processo a un thread). numpy e pandas
(simulazione, riparto) avviano thread propri al caricamento: si caricano solo quando servono."""

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
