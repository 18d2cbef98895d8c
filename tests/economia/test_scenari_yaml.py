"""Scenari YAML delle regole economiche: tariffa premio per fascia e zona, corrispettivi GSE."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
import yaml

from cer_docs.economia.motore import fascia_di, tariffa_oraria
from cer_docs.economia.simulazione import _parametri, correzione_geografica
from cer_docs.rules.corrispettivi_gse import corrispettivo_pnrr, corrispettivo_servizio_annuo

SCENARI = Path(__file__).resolve().parent / "scenari"


def _casi(nome: str):
    for caso in yaml.safe_load((SCENARI / nome).read_text(encoding="utf-8")):
        yield pytest.param(caso, id=caso["nome"])


@pytest.mark.parametrize("caso", _casi("tariffa_premio.yaml"))
def test_tariffa_premio(caso):
    i, al = caso["ingressi"], caso["al"]
    par = _parametri(al, "CER")
    corr = correzione_geografica(i["fonte"], i["zona"], al)
    assert fascia_di(i["potenza_kw"], par.fasce).numero == caso["atteso"]["fascia"]
    assert tariffa_oraria(i["potenza_kw"], corr, np.array([float(i["pz"])]), par)[0] == pytest.approx(
        caso["atteso"]["tariffa"])


@pytest.mark.parametrize("caso", _casi("corrispettivi_gse.yaml"))
def test_corrispettivi_gse(caso):
    kw, al = Decimal(str(caso["ingressi"]["potenza_kw"])), caso["al"]
    assert corrispettivo_servizio_annuo(kw, al) == Decimal(caso["atteso"]["servizio_annuo"])
    assert corrispettivo_pnrr(kw, al) == Decimal(caso["atteso"]["pnrr"])
