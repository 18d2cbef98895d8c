"""La causale che il membro legge sull'estratto conto della banca."""

from types import SimpleNamespace

from cer_docs.riparto.uscite import causale


def test_causale_senza_cer_ripetuto():
    liq = SimpleNamespace(denominazione="Comunita Energetica Rinnovabile Colline della Sieve", periodo="2026")
    assert causale(liq, "CER Colline della Sieve") == "Riparto incentivi CER Colline della Sieve periodo 2026"
    assert causale(liq, "Sole di Borgo") == "Riparto incentivi CER Sole di Borgo periodo 2026"
