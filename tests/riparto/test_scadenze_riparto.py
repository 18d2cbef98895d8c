"""Scadenze del riparto: approvazione in assemblea dopo il pagamento del conguaglio, poi bonifici ai membri."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from cer_docs.model import load_pratica
from cer_docs.model.pratica import Evento, RipartoApprovato
from cer_docs.practice.scadenze import compute_scadenze

ESEMPIO = Path(__file__).resolve().parents[2] / "samples" / "pratica-esempio.yaml"


def _attiva():  # noqa: ANN202
    p = load_pratica(ESEMPIO)
    ra = p.configurazioni[0].richiesta_accesso
    ra.data_invio, ra.esito, ra.data_esito = dt.date(2025, 11, 3), "accolta", dt.date(2025, 12, 1)
    return p


def _riparto(p, al):  # noqa: ANN001, ANN202
    return {(s.codice, s.titolo): s for s in compute_scadenze(p, al) if s.codice in ("D10a", "D10b")}


def test_approvazione_e_pagamento_dopo_il_conguaglio():
    p = _attiva()
    s = _riparto(p, dt.date(2027, 6, 10))
    appr = s[("D10a", "Approvazione del riparto 2026 in assemblea")]
    # il GSE paga il conguaglio 2026 (pubblicato entro il 15/05/2027) entro il 30/06/2027; 60 giorni dopo
    assert appr.data_fatto == dt.date(2027, 6, 30)
    assert dt.date(2027, 8, 28) <= appr.data <= dt.date(2027, 8, 29)
    assert appr.non_confermato and appr.stato in ("futura", "imminente")
    pag = s[("D10b", "Pagamento ai membri delle quote del riparto 2026")]
    assert (pag.data - appr.data).days in (29, 30)


def test_riparto_approvato_e_pagato_sono_adempiuti():
    p = _attiva()
    p.riparti_approvati.append(RipartoApprovato(periodo="2026", versione=1, approvato_il=dt.date(2027, 7, 10),
                                                totale_euro=Decimal("100.00"), fondo_a_euro=Decimal("100.00"),
                                                fondo_b_euro=Decimal("0.00"), impronta="x"))
    p.eventi.append(Evento(data=dt.date(2027, 7, 20), tipo="pagamento_membri", nota="2026"))
    s = _riparto(p, dt.date(2027, 8, 1))
    appr = s[("D10a", "Approvazione del riparto 2026 in assemblea")]
    pag = s[("D10b", "Pagamento ai membri delle quote del riparto 2026")]
    assert appr.stato == "adempiuta" and appr.adempiuta_il == dt.date(2027, 7, 10)
    assert pag.data_fatto == dt.date(2027, 7, 10) and pag.stato == "adempiuta"
