"""I costruttori del contesto dei documenti: un modulo per tipo di documento, più i pezzi
comuni (``parti``: identificazione delle parti e firmatari; ``ente``: l'ente giuridico e il suo
lessico; ``comuni``: numeri, date, luoghi, impianti; ``oggetti``: per chi si genera un documento).

``COSTRUTTORI`` lega ogni tipo di documento del catalogo al suo costruttore; il catalogo lo usa
e ``docs/contesto-modelli.md`` descrive i campi che ciascuno produce.
"""

from __future__ import annotations

from collections.abc import Callable

from .accordo import contesto_accordo
from .adesione import contesto_adesione
from .atto import contesto_atto
from .campagna import contesto_campagna
from .dsan import contesto_dsan
from .gruppo import contesto_gruppo
from .informativa import contesto_informativa
from .lettera import contesto_lettera
from .mandato import contesto_mandato
from .registro import contesto_registro
from .regolamento import contesto_regolamento
from .statuto import contesto_statuto

# Come si chiama il costruttore per ogni tipo di documento, e su che cosa lavora:
# "pratica" (pratica, al), "configurazione" (pratica, conf, al), "oggetto" (pratica, id, al).
COSTRUTTORI: dict[str, tuple[str, Callable]] = {
    "statuto": ("pratica", contesto_statuto),
    "statuto_gse": ("pratica", contesto_statuto),
    "atto_costitutivo": ("pratica", contesto_atto),
    "regolamento": ("configurazione", contesto_regolamento),
    "mandato_referente": ("configurazione", contesto_mandato),
    "accordo_produttore_terzo": ("oggetto", contesto_accordo),
    "dsan": ("oggetto", contesto_dsan),
    "lettera_fornitori_pnrr": ("oggetto", contesto_lettera),
    "modulo_adesione": ("oggetto", contesto_adesione),
    "informativa_privacy": ("pratica", contesto_informativa),
    "registro_membri": ("pratica", contesto_registro),
    "atto_costitutivo_gruppo": ("configurazione", contesto_gruppo),
}

__all__ = ["COSTRUTTORI", "contesto_accordo", "contesto_adesione", "contesto_atto", "contesto_campagna",
           "contesto_dsan", "contesto_gruppo", "contesto_informativa", "contesto_lettera", "contesto_mandato", "contesto_registro",
           "contesto_regolamento", "contesto_statuto"]
