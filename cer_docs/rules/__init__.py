"""Regole come codice: funzioni pure dei fatti della pratica e di una data esplicita ``al``.

``verifica(pratica, al)`` restituisce l'elenco dei rilievi (``Rilievo``), ciascuno con codice,
gravità, oggetto (percorso nel file pratica), messaggio in italiano e riferimento normativo.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from .base import ORDINE_GRAVITA, ParametroNonDefinito, Rilievo, param, rif

if TYPE_CHECKING:
    from cer_docs.model.pratica import Pratica

# I moduli delle regole si caricano alla prima richiesta (``REGOLE``, ``regole_*``, ``Contesto``,
# ``verifica``), non con ``import cer_docs.rules.base``: chi legge solo i parametri (i documenti)
# non paga l'importazione di tutte le regole (e di python-stdnum con ssl).
_PIGRI = {
    "regole_comunita": "comunita", "regole_configurazioni": "configurazioni", "regole_forma_ente": "forma_ente",
    "regole_dati_atto": "forma_ente", "Contesto": "contesto", "regole_identificativi": "identita",
    "regole_impianti": "impianti", "regole_membri": "membri", "regole_pnrr": "pnrr",
    "regole_rappresentanza": "rappresentanza",
}


def __getattr__(nome: str):
    import importlib

    if nome == "REGOLE":
        from .comunita import regole_comunita
        from .configurazioni import regole_configurazioni
        from .forma_ente import regole_dati_atto, regole_forma_ente
        from .identita import regole_identificativi
        from .impianti import regole_impianti
        from .membri import regole_membri
        from .pnrr import regole_pnrr
        from .rappresentanza import regole_rappresentanza

        regole = (regole_comunita, regole_forma_ente, regole_dati_atto, regole_membri, regole_configurazioni,
                  regole_impianti, regole_pnrr, regole_identificativi, regole_rappresentanza)
        globals()["REGOLE"] = regole
        return regole
    if nome in _PIGRI:
        valore = getattr(importlib.import_module(f"{__name__}.{_PIGRI[nome]}"), nome)
        globals()[nome] = valore
        return valore
    raise AttributeError(f"module {__name__!r} has no attribute {nome!r}")


__all__ = ["verifica", "Rilievo", "param", "rif", "ORDINE_GRAVITA", "DataNonCoperta"]


class DataNonCoperta(ValueError):
    """La data chiesta precede le regole codificate (es. verifica al 2020)."""



def verifica(pratica: Pratica, al: dt.date) -> list[Rilievo]:
    if not isinstance(al, dt.date):
        raise TypeError("la data della verifica 'al' è obbligatoria")
    from .contesto import Contesto

    ctx = Contesto.da_pratica(pratica, al)
    rilievi: list[Rilievo] = []
    try:
        for regola in globals().get("REGOLE") or __getattr__("REGOLE"):
            rilievi.extend(regola(ctx))
    except ParametroNonDefinito as e:
        raise DataNonCoperta(
            f"Le regole codificate non coprono la data del {al.strftime('%d/%m/%Y')} ({e}): scegli una data "
            "dal 24/01/2024, entrata in vigore del DM 414/2023, in poi."
        ) from None
    return rilievi
