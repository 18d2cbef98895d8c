"""Quel che il sindaco legge nelle ipotesi e negli avvisi: nomi, non codici interni; date in italiano."""

from __future__ import annotations

import re
from pathlib import Path

from cer_docs.economia.simulazione import Opzioni, simula
from cer_docs.model import load_pratica

ESEMPIO = Path(__file__).resolve().parents[2] / "samples" / "pratica-esempio.yaml"


def test_ipotesi_e_avvisi_senza_id_interni_ne_date_iso():
    s = simula(load_pratica(ESEMPIO), Opzioni(anno=2026))
    testi = s.ipotesi + s.avvisi
    testo = "\n".join(testi)
    assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", testo), testo
    assert "conf-1" not in testo and "fv-municipio" not in testo, testo
    assert "31 maggio 2027" in testo
    assert "Fotovoltaico sul tetto del Municipio" in testo


def test_rapporto_spiega_il_produttore_terzo_senza_kwh():
    import datetime as dt

    from cer_docs.economia.report import contesto

    s = simula(load_pratica(ESEMPIO), Opzioni(anno=2026))
    membri = {m["nome"] for c in contesto(s, [], dt.date(2026, 12, 2))["configurazioni"] for m in c["membri"]}
    assert "Energia Verde Mugello S.p.A. (produttore terzo: quota pattuita sui suoi impianti)" in membri
    assert "Mario Rossi" in membri
