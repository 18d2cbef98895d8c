"""Limiti tecnici del servizio: configurabili, datati, **non normativi**.

Nessuno di questi numeri viene da una legge: proteggono il server condiviso dall'ufficio e il
modulo pubblico. Ognuno si può cambiare con una variabile d'ambiente (es. un ente grande alza la
quota di spazio di una campagna); il valore predefinito riporta la data in cui è stato deciso o
misurato. Per questo stanno qui e non in ``rules/params`` (che contiene solo grandezze di legge).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields

# Ultima revisione dei valori predefiniti (misure su 2 core, vedi bench/ e tests/ostili/).
RIVISTI_IL = "2026-12-02"


@dataclass(frozen=True)
class Limiti:
    # --- modulo pubblico (per campagna e per identità del mittente, conservati nel database)
    invii_per_identita_ora: int = 5          # stessa sessione, stesso codice fiscale o stessa e-mail, per campagna
    invii_globali_minuto: int = 30           # tutti gli invii di tutte le campagne in un minuto
    quota_campagna_mb: int = 2048            # spazio (dati + allegati) di una campagna
    # --- generazione dei documenti
    # Misurato il 2026-12-02 (2 core carichi): statuto e registro di 1.000 membri 60 s e 310 MB; 10.000
    # membri 537 s e 1,9 GB. Il pacchetto completo ha un modulo di adesione per membro (1.000 membri:
    # 2.007 documenti, oltre 10 minuti). Oltre questi numeri si rifiuta subito, con un messaggio.
    membri_massimi_genera: int = 2000
    documenti_massimi_genera: int = 400

    @classmethod
    def da_ambiente(cls, env: Mapping[str, str] | None = None) -> "Limiti":
        """Ogni campo si cambia con ``CER_DOCS_LIMITE_<NOME>`` (es. ``CER_DOCS_LIMITE_QUOTA_CAMPAGNA_MB=4096``)."""
        env = os.environ if env is None else env
        valori = {}
        for f in fields(cls):
            grezzo = env.get(f"CER_DOCS_LIMITE_{f.name.upper()}", "").strip()
            if grezzo:
                try:
                    valori[f.name] = max(0, int(grezzo))
                except ValueError:
                    pass  # un valore illeggibile non deve spegnere il servizio: resta il predefinito
        return cls(**valori)


def limiti() -> Limiti:
    return Limiti.da_ambiente()
