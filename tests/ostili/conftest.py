"""Fixture dei test di input ostile: una campagna aperta nel database del test."""

from __future__ import annotations

import datetime as dt

import pytest

from aiuti_ostili import ROOT

ORA = dt.datetime(2026, 9, 20, 10, 0, tzinfo=dt.timezone.utc)


@pytest.fixture
def campagna_aperta():
    from cer_docs.campagne.file import carica_campagna
    from cer_docs.services import campagne

    fc = carica_campagna(ROOT / "samples" / "campagne" / "avviso-san-godenzo.yaml")
    c = fc.campagna.model_copy(update={"stato": "aperta", "codice": "mi-ostile"})
    campagne.crea_campagna(c)
    return c


def dati_validi(**extra):
    d = {"tipo": "persona_fisica", "nome": "Marco", "cognome": "Vannini", "nato_il": "1968-02-14",
         "codice_fiscale": "VNNMRC68B14H937Q",
         "indirizzo": {"indirizzo": "Via del Mulino 4", "cap": "50060", "comune": "San Godenzo", "provincia": "FI"},
         "ruolo": "consumatore", "pod": [{"pod": "IT001E00223344", "cabina_primaria": "AC001E00934"}],
         "consumo_annuo_kwh": 2700, "consenso_privacy": True}
    d.update(extra)
    return d


def ente(n: int, **extra):
    """Un'associazione con un codice fiscale numerico valido diverso per ogni ``n`` (e un POD suo)."""
    from stdnum import luhn

    base = f"94{n:08d}"
    d = dati_validi(tipo="associazione", nome=None, cognome=None, nato_il=None, denominazione=f"Associazione {n}",
                    codice_fiscale=base + luhn.calc_check_digit(base),
                    pod=[{"pod": f"IT001E{n:08d}", "cabina_primaria": "AC001E00934"}])
    d.update(extra)
    return d
