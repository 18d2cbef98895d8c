"""Un ``cer-docs worker`` per i test PostgreSQL: lo stesso comando, con due osservatori attorno a
``procedura.genera_documenti``.

- ``PROVA_REGISTRO``: file a cui ogni generazione completata aggiunge «pid codice» (così il test
  conta quante volte ogni pratica è stata generata davvero, e da quali processi);
- ``PROVA_PAUSA_PRATICA`` / ``PROVA_PAUSA_SECONDI``: la generazione di quella pratica si ferma tanti
  secondi prima del primo documento, più della durata dell'affitto (lo deve tenere il battito);
- ``PROVA_BLOCCA_PRATICA`` / ``PROVA_SEGNALE``: alla prima generazione di quella pratica, dopo aver
  scritto il primo documento, scrive il proprio pid in ``PROVA_SEGNALE`` e si ferma in attesa, per
  essere ucciso a metà lavoro (le volte successive, trovando il segnale, genera normalmente).

Uso: ``python esecutore_prova.py worker --affitto 2``.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from cer_docs.services import procedura

_vero = procedura.genera_documenti


def _genera(pratica, documenti, **k):  # noqa: ANN001
    codice = pratica.pratica.id
    segnale = os.environ.get("PROVA_SEGNALE")
    if codice == os.environ.get("PROVA_BLOCCA_PRATICA") and segnale and not Path(segnale).exists():
        avanzamento = k["avanzamento"]

        def blocca(fatti: int, totale: int, descrizione: str) -> None:
            avanzamento(fatti, totale, descrizione)
            if fatti == 1:  # il primo documento è già scritto nella cartella della generazione
                Path(segnale).write_text(str(os.getpid()), encoding="utf-8")
                time.sleep(3600)

        k["avanzamento"] = blocca
    if codice == os.environ.get("PROVA_PAUSA_PRATICA"):
        time.sleep(float(os.environ["PROVA_PAUSA_SECONDI"]))
    gen = _vero(pratica, documenti, **k)
    with open(os.environ["PROVA_REGISTRO"], "a", encoding="utf-8") as f:
        f.write(f"{os.getpid()} {codice}\n")
    return gen


procedura.genera_documenti = _genera

if __name__ == "__main__":
    from cer_docs.cli import main

    main(sys.argv[1:])
