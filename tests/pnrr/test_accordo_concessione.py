"""Accordo di concessione e altri fondi UE nel file pratica: facoltativi, assenti se non impostati,
andata e ritorno senza perdite."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from cer_docs.model import dumps_json, dumps_yaml, load_pratica, parse_text
from cer_docs.model.pnrr import AccordoConcessione, AltroFondoUe, TappaRendicontazione

from .conftest import ESEMPIO


def test_la_pratica_di_riferimento_non_cambia():
    p = load_pratica(ESEMPIO)
    cp = p.configurazioni[0].impianti[1].contributo_pnrr
    assert cp.accordo_concessione is None and cp.altri_fondi_ue == []
    for testo in (dumps_yaml(p), dumps_json(p)):
        assert "accordo_concessione" not in testo and "altri_fondi_ue" not in testo


def test_andata_e_ritorno_con_accordo_e_fondi():
    p = load_pratica(ESEMPIO)
    cp = p.configurazioni[0].impianti[1].contributo_pnrr
    cp.accordo_concessione = AccordoConcessione(
        estremi="GSE/PNRR-CACER/2026/0457", data_firma=dt.date(2026, 5, 12), data_notifica=dt.date(2026, 5, 14),
        termine_pagamenti=dt.date(2026, 6, 30),
        rendicontazione=[TappaRendicontazione(entro=dt.date(2026, 9, 30), descrizione="Rendiconto finale delle spese")])
    cp.altri_fondi_ue = [AltroFondoUe(programma="PR FESR Toscana 2021-2027", importo_euro="20000.00",
                                      stesse_spese=False)]
    for testo, nome in ((dumps_yaml(p), "x.yaml"), (dumps_json(p), "x.json")):
        assert parse_text(testo, nome) == p
    assert "termine_pagamenti: 2026-06-30" in dumps_yaml(p)


def test_la_notifica_non_precede_la_firma():
    with pytest.raises(ValidationError):
        AccordoConcessione(data_firma=dt.date(2026, 5, 12), data_notifica=dt.date(2026, 5, 1))


def test_campo_sconosciuto_rifiutato():
    with pytest.raises(ValidationError):
        AccordoConcessione(termine_pagamento=dt.date(2026, 6, 30))
