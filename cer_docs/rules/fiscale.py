"""Trattamento fiscale degli incentivi: il testo esplicativo per regolamento e prospetti dei membri.

Nessun calcolo di imposte. Dal parametro datato ``incentivi_trattamento_fiscale`` (Agenzia delle
Entrate: Risposta 22/2026, Ris. 37/E/2024, Ris. 18/E/2021) si ricavano i valori e i flag della
clausola ``trattamento_fiscale_incentivi`` (``templates/clausole/regolamento/``), articolo «Trattamento
fiscale degli incentivi» del regolamento:

* ``fiscale_nota_presente``: c'è un orientamento da riportare alla data ``al``;
* ``fiscale_ente_non_commerciale`` con ``fiscale_chi_trattiene``: la quota che l'ente trattiene per i
  costi è non commerciale e fuori campo IVA (falso per un ente commerciale: ``FORME_COMMERCIALI``);
  ``fiscale_norma_ente`` resta nel contesto ma la clausola non la cita;
* ``fiscale_membri_non_utili``: le somme ripartite ai membri non sono distribuzione di utili;
* ``fiscale_vendita_imponibile``: per il membro resta imponibile solo la vendita dell'energia;
* ``fiscale_fonti`` (testo delle fonti) e ``fiscale_da_confermare`` (il parametro non è confermato): per
  l'avviso all'utente, mai stampati nel documento.

Il costruttore del contesto del regolamento unisce ``valori`` e ``flag`` (``documents/contesti/regolamento.py``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .base import in_vigore

__all__ = ["FORME_COMMERCIALI", "contesto_trattamento_fiscale"]

PARAMETRO = "incentivi_trattamento_fiscale"

FORME_COMMERCIALI = frozenset({"cooperativa", "impresa_sociale"})
"""Forme giuridiche (chiavi di ``FORME_GIURIDICHE``) che esercitano un'impresa: la lettura dell'Agenzia
sulla quota trattenuta come provento non commerciale non le riguarda."""


def contesto_trattamento_fiscale(al: dt.date, chi_trattiene: str = "la comunità",
                                 forma_giuridica: str | None = None, *,
                                 senza_ente: bool = False) -> dict[str, dict[str, Any]]:
    """``{"valori": {...}, "flag": {...}}`` per la clausola sul trattamento fiscale alla data ``al``;
    ``forma_giuridica`` è quella dell'ente che trattiene la quota; ``senza_ente`` per un gruppo di
    autoconsumatori senza ente giuridico, a cui la lettura dell'Agenzia sulla quota trattenuta
    dall'ente (provento non commerciale) non si applica."""
    lettura = in_vigore(PARAMETRO, al)
    if lettura is None:
        return {"valori": {"fiscale_norma_ente": "", "fiscale_fonti": "", "fiscale_chi_trattiene": chi_trattiene},
                "flag": {"fiscale_nota_presente": False, "fiscale_ente_non_commerciale": False,
                         "fiscale_membri_non_utili": False, "fiscale_vendita_imponibile": False,
                         "fiscale_da_confermare": False}}
    v = lettura.valore
    return {
        "valori": {"fiscale_norma_ente": v.get("norma_ente") or "", "fiscale_fonti": str(lettura.riferimento),
                   "fiscale_chi_trattiene": chi_trattiene},
        "flag": {
            "fiscale_nota_presente": True,
            "fiscale_ente_non_commerciale": (v.get("ente") == "non_commerciale_fuori_iva" and bool(v.get("norma_ente"))
                                             and forma_giuridica not in FORME_COMMERCIALI and not senza_ente),
            "fiscale_membri_non_utili": v.get("membri") == "non_distribuzione_utili",
            "fiscale_vendita_imponibile": v.get("vendita_energia") == "imponibile",
            "fiscale_da_confermare": lettura.non_confermato,
        },
    }
