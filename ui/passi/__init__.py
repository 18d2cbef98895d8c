"""I passi della procedura guidata: un modulo per passo, ciascuno con ``mostra(lavoro)``.

L'ordine e i titoli dei passi stanno nel servizio (``cer_docs.services.procedura.PASSI``);
qui solo la presentazione.
"""

from __future__ import annotations

from typing import Callable

from cer_docs.services.procedura import PASSI

from . import (comunita, configurazioni, documenti, impianti, produttori_terzi, referente, riepilogo, soggetti,
               statuto)

PASSI_UI: dict[str, Callable] = {
    "comunita": comunita.mostra,
    "soggetti": soggetti.mostra,
    "configurazioni": configurazioni.mostra,
    "impianti": impianti.mostra,
    "referente": referente.mostra,
    "produttori_terzi": produttori_terzi.mostra,
    "statuto": statuto.mostra,
    "riepilogo": riepilogo.mostra,
    "documenti": documenti.mostra,
}
assert set(PASSI_UI) == {p.id for p in PASSI}, "ogni passo del servizio deve avere la sua pagina"
