"""Ogni passo della procedura si apre senza errori per ogni pratica d'esempio (CER, AUC, due cabine)."""

from __future__ import annotations

import pytest
from guida_ui import CAMPIONI, messaggi, nessun_errore

from cer_docs.services import archivio, procedura


@pytest.mark.parametrize("file", sorted(CAMPIONI.glob("*.yaml")), ids=lambda p: p.stem)
def test_ogni_passo_si_apre(app, file):
    aperta = archivio.importa_file(file)
    app.query_params["pratica"] = aperta.codice
    app.run()
    app.switch_page("pagine/procedura.py").run()
    for passo in procedura.PASSI:
        app.radio(key="passo").set_value(passo.id).run()
        nessun_errore(app)
        assert app.subheader[0].value == passo.titolo
    if aperta.pratica.comunita is None:   # AUC: niente comunità né statuto, e lo si dice
        app.radio(key="passo").set_value("statuto").run()
        assert any("autoconsumatori" in t for t in messaggi(app, "info"))
    if len(aperta.pratica.configurazioni) > 1:   # due cabine: si sceglie la configurazione
        app.radio(key="passo").set_value("impianti").run()
        app.selectbox(key=f"scelta-conf-{aperta.codice}").set_value(1).run()
        nessun_errore(app)
        assert app.session_state["_configurazione"] == 1
