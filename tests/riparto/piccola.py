"""Una CER piccola costruita nei test, con misure orarie costanti: i conti si fanno a mano."""

from __future__ import annotations

import datetime as dt
from copy import deepcopy
from decimal import Decimal
from zoneinfo import ZoneInfo

import numpy as np

from cer_docs.economia.misure import Misure
from cer_docs.model import parse_data

ROMA = ZoneInfo("Europe/Rome")
BASE = {
    "formato": "cer-docs/pratica@1",
    "pratica": {"id": "cer-prova-riparto"},
    "comunita": {"denominazione": "CER di prova", "sede": {"comune": "Firenze", "provincia": "FI", "regione": "Toscana"},
                 "riparto_benefici": {"spese_gestione": 0, "produttori": 0, "consumatori": 100, "fondo_sociale": 0},
                 "destinazione_eccedenza": ["consumatori_non_imprese"]},
    "soggetti": [
        {"id": "prod", "tipo": "persona_fisica", "nome": "Piero", "cognome": "Produttore", "iban": "IT60X0542811101000000123456"},
        {"id": "anna", "tipo": "persona_fisica", "nome": "Anna", "cognome": "Uno", "iban": "IT48B0867302800000000012345"},
        {"id": "bruno", "tipo": "persona_fisica", "nome": "Bruno", "cognome": "Due", "iban": "IT64J0306902887100000001234"},
        {"id": "ditta", "tipo": "impresa", "denominazione": "Ditta Tre S.r.l."},
    ],
    "membri": [
        {"soggetto": "prod", "ruolo": "produttore", "data_adesione": "2025-01-01"},
        {"soggetto": "anna", "ruolo": "consumatore", "data_adesione": "2025-01-01"},
        {"soggetto": "bruno", "ruolo": "consumatore", "data_adesione": "2025-01-01"},
        {"soggetto": "ditta", "ruolo": "consumatore", "data_adesione": "2025-01-01"},
    ],
    "configurazioni": [{
        "id": "c1", "tipo": "CER", "cabina_primaria": "AC001E00001",
        "punti_connessione": [
            {"pod": "IT001E00000001", "soggetto": "prod", "cabina_primaria": "AC001E00001"},
            {"pod": "IT001E00000002", "soggetto": "anna", "cabina_primaria": "AC001E00001"},
            {"pod": "IT001E00000003", "soggetto": "bruno", "cabina_primaria": "AC001E00001"},
            {"pod": "IT001E00000004", "soggetto": "ditta", "cabina_primaria": "AC001E00001"},
        ],
        "impianti": [{"id": "fv1", "potenza_kw": 3, "pod": "IT001E00000001", "produttore": "prod",
                      "ubicazione": {"comune": "Firenze", "provincia": "FI"}}],
    }],
}
POD = {"prod": "IT001E00000001", "anna": "IT001E00000002", "bruno": "IT001E00000003", "ditta": "IT001E00000004"}


def pratica(modifica=None):  # noqa: ANN001, ANN201
    d = deepcopy(BASE)
    if modifica:
        modifica(d)
    return parse_data(d, "piccola")


def ore(inizio: dt.date, fine: dt.date) -> np.ndarray:
    """Istanti UTC d'inizio di ogni ora italiana da ``inizio`` a ``fine`` compreso."""
    a = int(dt.datetime.combine(inizio, dt.time(0), ROMA).timestamp())
    b = int(dt.datetime.combine(fine + dt.timedelta(days=1), dt.time(0), ROMA).timestamp())
    return np.arange(a, b, 3600, dtype=np.int64)


def misure(inizio: dt.date, fine: dt.date, prelievi: dict[str, float], immissione: float) -> Misure:
    h = ore(inizio, fine)
    return Misure(ore=h, prelievo={POD[s]: np.full(len(h), float(v)) for s, v in prelievi.items()},
                  immissione={POD["prod"]: np.full(len(h), float(immissione))})


def con_incasso(p, periodo: str, importo: str, componente: str = "conguaglio"):  # noqa: ANN001, ANN201
    from cer_docs.model.pratica import IncassoGse

    q = p.model_copy(deep=True)
    q.incassi_gse.append(IncassoGse(periodo=periodo, componente=componente, importo_euro=Decimal(importo)))
    return q


OGGI = dt.date(2026, 12, 2)
