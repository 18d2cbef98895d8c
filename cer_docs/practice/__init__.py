"""Gestione della pratica: fatti, stati, scadenze, calendario.

Tutto è funzione pura della pratica e di una data esplicita ``al``: l'orologio lo passano i
servizi. ``record_fatto`` registra un fatto (evento + campo datato) o lo rifiuta spiegando
perché; ``compute_stati`` e ``compute_scadenze`` ricavano stati e scadenze dai fatti;
``build_ics`` scrive il calendario; ``annulla_fatto`` ritira un fatto registrato per errore
con un evento di annullamento (la cronologia non si cancella).
"""

from .annullamento import TIPO_ANNULLAMENTO, annulla_fatto, annullabile
from .calendario import Termine, festivo, termine_anni, termine_giorni, termine_mesi
from .fatti import Fatto, FattoRegistrato, FattoRifiutato, TipoFattoSconosciuto, record_fatto, tipo_fatto
from .ics import build_ics, uid_scadenza
from .oggetti import Oggetto, individua
from .scadenze import (FINESTRA_IMMINENTE_GIORNI, STATI_SCADENZA, Decorrenza, Scadenza, compute_decorrenze,
                       compute_scadenze)
from .stati import ETICHETTE, Stati, StatoOggetto, compute_stati, stato_pratica
from .tipi import ALIAS, TIPI_FATTO, TipoFatto, canonico

__all__ = [
    "ALIAS", "TIPO_ANNULLAMENTO", "annulla_fatto", "annullabile", "Decorrenza", "ETICHETTE", "FINESTRA_IMMINENTE_GIORNI", "Fatto", "FattoRegistrato", "FattoRifiutato",
    "Oggetto", "STATI_SCADENZA", "Scadenza", "Stati", "StatoOggetto", "TIPI_FATTO", "Termine", "TipoFatto",
    "TipoFattoSconosciuto", "build_ics", "canonico", "compute_decorrenze", "compute_scadenze", "compute_stati",
    "festivo", "individua", "record_fatto", "stato_pratica", "termine_anni", "termine_giorni", "termine_mesi",
    "tipo_fatto", "uid_scadenza",
]
