"""Fixture dei test di input ostile: una campagna aperta nel database del test."""

from __future__ import annotations


import pytest

from aiuti_ostili import ROOT


@pytest.fixture
def campagna_aperta():
    from cer_docs.campagne.file import carica_campagna
    from cer_docs.services import campagne

    fc = carica_campagna(ROOT / "samples" / "campagne" / "avviso-san-godenzo.yaml")
    c = fc.campagna.model_copy(update={"stato": "aperta", "codice": "mi-ostile"})
    campagne.crea_campagna(c)
    return c
