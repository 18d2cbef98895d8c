"""Codici identificativi: valori validi passano, quelli sbagliati hanno un messaggio che dice come correggere."""

from __future__ import annotations

import datetime as dt

import pytest

from cer_docs.rules import identificativi as idf

AL = dt.date(2026, 11, 22)


@pytest.mark.parametrize("cf", ["RSSMRA75D12D612N", "BNCGLI82P43B036N", "RSSMRA75D12D61NC", "rssmra75d12d612n",
                                "RSSMRA 75D12 D612N"])
def test_cf_persona_valido(cf):
    assert idf.codice_fiscale_persona(cf) is None


@pytest.mark.parametrize("cf, parola", [
    ("RSSMRA75D12D612X", "controllo"),
    ("RSSMRA75D12D612", "16 caratteri"),
    ("12345678901234567", "16 caratteri"),
    ("RSSMRA75Z12D612N", "forma"),
    ("", "manca"),
])
def test_cf_persona_errato(cf, parola):
    m = idf.codice_fiscale_persona(cf)
    assert m and parola in m


def test_cf_omocodia_data_di_nascita():
    assert idf.data_nascita_da_cf("RSSMRA75D12D61NC") == dt.date(1975, 4, 12)


@pytest.mark.parametrize("piva, parola", [("12345670488", None), ("12345670489", "controllo"),
                                          ("01234567897", "ufficio"), ("1234567048", "11 cifre")])
def test_partita_iva(piva, parola):
    m = idf.partita_iva(piva)
    assert (m is None) if parola is None else (parola in m)


def test_iban_cin():
    assert idf.iban("IT48B0867302800000000012345") is None
    assert "CIN" in idf.iban("IT44A0867302800000000012345")
    assert "controllo" in idf.iban("IT49B0867302800000000012345")
    assert "27 caratteri" in idf.iban("IT48B086730280000000001234")


@pytest.mark.parametrize("pod, ok", [("IT001E00112233", True), ("it001e00112233", True), ("IT001E001122339", True),
                                     ("IT001X00112233", False), ("IT01E00112233", False), ("", False)])
def test_pod(pod, ok):
    assert (idf.pod(pod, AL) is None) == ok


def test_cup_cig_cabina_ateco_cap_provincia():
    assert idf.cup("J81B25000340006", AL) is None
    assert idf.cup("J81B2500034000", AL)[0] == "errore"
    assert idf.cup("123456789012345", AL)[0] == "avviso"
    # la lettera O (o I) dove il CUP ha una cifra: si dice dove e come si scrive (la O al posto di una lettera va bene)
    gravita, m = idf.cup("J81B25O00340006", AL)
    assert gravita == "avviso" and "contiene la lettera O alla posizione 7" in m and "'J81B25000340006'" in m
    assert "alla posizione 12" in idf.cup("J81B2500034I006", AL)[1] and "l'uno al posto della I" in idf.cup(
        "J81B2500034I006", AL)[1]
    assert idf.cup("J81O25000340006", AL) is None
    # una O dove va una lettera e due dove va una cifra: si correggono solo le due
    assert "alle posizioni 7 e 8" in idf.cup("J81O25OO0340006", AL)[1] and "'J81O25000340006'" in idf.cup(
        "J81O25OO0340006", AL)[1]
    # tutto O: una risposta (non un blocco), con le lettere al loro posto
    assert "'O00O00000000000'" in idf.cup("OOOOOOOOOOOOOOO", AL)[1]
    assert "forma consueta" in idf.cup("JJ1B25000340006", AL)[1]
    assert idf.cig("95156957EC", AL) is None and idf.cig("95156957E", AL)
    assert idf.cabina_primaria("AC001E00934", AL) is None and idf.cabina_primaria("AC1E934", AL)
    assert idf.ateco("01.21.00", AL) is None and "00.00.00" in idf.ateco("0121", AL)
    assert idf.cap("50060") is None and idf.cap("5006")
    assert idf.provincia("FI") is None and idf.provincia("ZZ")
