"""Trattamento fiscale degli incentivi: parametro datato, contesto e clausola pronta da collegare."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import jinja2
import jinja2.meta
import pytest

from cer_docs.documents.clausole import _leggi_clausola
from cer_docs.documents import motore
from cer_docs.rules.base import tutte_le_fonti
from cer_docs.rules.fiscale import contesto_trattamento_fiscale

ROOT = Path(__file__).resolve().parents[2]
CLAUSOLA = ROOT / "templates" / "clausole" / "regolamento" / "trattamento_fiscale_incentivi.j2"


def _testo(al: dt.date) -> str:
    cl = _leggi_clausola(CLAUSOLA)
    c = contesto_trattamento_fiscale(al)
    return motore.testo_semplice(cl.corpo, {**c["valori"], **c["flag"]}, cl.id)


def test_intestazione_e_variabili_della_clausola():
    cl = _leggi_clausola(CLAUSOLA)
    assert {r.fonte for r in cl.fonti} <= set(tutte_le_fonti())
    c = contesto_trattamento_fiscale(dt.date(2026, 12, 2))
    assert cl.condizione in c["flag"]
    usate = jinja2.meta.find_undeclared_variables(jinja2.Environment().parse(cl.corpo))
    assert usate <= set(c["valori"]) | set(c["flag"]), usate


@pytest.mark.parametrize("al, attesi, assenti", [
    (dt.date(2024, 7, 21), ["provento di natura non commerciale", "vendita dell'energia"], ["distribuzione di utili"]),
    (dt.date(2024, 7, 22), ["provento di natura non commerciale", "non una distribuzione di utili"], []),
    (dt.date(2025, 12, 31), ["provento di natura non commerciale"], []),
    (dt.date(2026, 1, 1), ["provento di natura non commerciale", "non una distribuzione di utili"], []),
])
def test_il_testo_segue_la_data(al, attesi, assenti):
    t = _testo(al)
    for a in attesi:
        assert a in t, (a, t)
    for a in assenti:
        assert a not in t, (a, t)
    # il documento non cita norme (l'art. 148 TUIR non riguarda l'IVA) né fonti né riserve interne:
    # la riserva sul parametro non confermato resta nel contesto, per l'avviso all'utente
    for vietato in ("TUIR", "117/2017", "Risposta 22/2026", "non ancora verificato", "letto in sintesi"):
        assert vietato not in t, (vietato, t)
    assert contesto_trattamento_fiscale(al)["flag"]["fiscale_da_confermare"] is True


def test_per_la_cooperativa_la_quota_trattenuta_non_e_detta_non_commerciale():
    c = contesto_trattamento_fiscale(dt.date(2026, 1, 1), "la Comunità", "cooperativa")
    assert c["flag"]["fiscale_ente_non_commerciale"] is False and c["flag"]["fiscale_membri_non_utili"] is True
    c = contesto_trattamento_fiscale(dt.date(2026, 1, 1), "la Comunità", "ets_associazione")
    assert c["flag"]["fiscale_ente_non_commerciale"] is True


def test_prima_delle_fonti_nessuna_nota():
    c = contesto_trattamento_fiscale(dt.date(2021, 3, 11))
    assert c["flag"]["fiscale_nota_presente"] is False and not any(c["flag"].values())


def test_chi_trattiene_e_un_dato():
    c = contesto_trattamento_fiscale(dt.date(2026, 12, 2), "l'associazione")
    assert c["valori"]["fiscale_chi_trattiene"] == "l'associazione"
