"""Numeri negativi che ``importa`` accettava e ``genera`` non sapeva scrivere in lettere
(preavviso di recesso, quote del riparto): ora ``verifica`` li rifiuta con un messaggio
italiano che nomina file e campo, e nulla si salva."""

from __future__ import annotations

import pytest

from aiuti_ostili import ESEMPIO, cli_interno, senza_traceback

TESTO = ESEMPIO.read_text(encoding="utf-8")

CASI = [
    ("preavviso_negativo", "preavviso_mesi: 6", "preavviso_mesi: -6", "recesso.preavviso_mesi"),
    ("riparto_negativo", "spese_gestione: 12", "spese_gestione: -12", "riparto_benefici.spese_gestione"),
]


@pytest.mark.parametrize("nome, vecchio, nuovo, campo", CASI, ids=[c[0] for c in CASI])
def test_revisione_numeri_negativi_rifiutati(tmp_path, nome, vecchio, nuovo, campo):
    assert vecchio in TESTO
    f = tmp_path / f"{nome}.yaml"
    f.write_text(TESTO.replace(vecchio, nuovo, 1), encoding="utf-8")
    e = cli_interno("verifica", str(f))
    senza_traceback(e)
    assert e.codice == 2, e.testo
    assert str(f) in e.err and campo in e.err, e.err
