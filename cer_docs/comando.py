"""Il punto d'ingresso del comando ``cer-docs`` (script installato e ``python -m cer_docs``).

Prima di caricare qualunque cosa alza le soglie del raccoglitore dei cicli (``gc.set_threshold``;
Python: 700, 10, 10). L'avvio crea centinaia di migliaia di oggetti (Typer, modelli pydantic,
clausole) che vivono fino alla fine del comando: con le soglie di Python ``cer-docs genera``
passava ~30 ms (un quindicesimo dei tre documenti costitutivi) in ~100 raccolte che non trovano
nulla da liberare. Gli oggetti senza cicli si liberano comunque subito (conteggio dei
riferimenti); i cicli si raccolgono ancora, ogni ``SOGLIE_GC[0]`` contenitori nuovi."""

from __future__ import annotations

import gc

SOGLIE_GC = (100_000, 20, 20)


def main() -> None:
    gc.set_threshold(*SOGLIE_GC)
    from cer_docs.cli import main as principale

    principale()
