"""«Correggi» verso un dettaglio di un soggetto (rappresentante, poteri di firma, PEC...): il riquadro «Dettagli
di un soggetto» si apre con quel soggetto scelto, l'indicazione dice di chi è il dato e la pagina scorre fino
al campo."""

from __future__ import annotations

import pytest
from guida_ui import CAMPIONI, apri_passo, chiave, messaggi, nessun_errore, pulsante, scrivi_data

from cer_docs.services import archivio, lavori
from ui.passi import soggetti as passo

CODICE = "cer-fondazione-borgo"


@pytest.fixture(autouse=True)
def _nessun_esecutore_nell_app(monkeypatch):
    monkeypatch.setattr(lavori, "assicura_esecutore_locale", lambda *a, **k: False)


def _script_della_pagina(at) -> str:
    return " ".join(e.proto.srcdoc for e in at.get("iframe"))


def test_dalla_generazione_al_campo_dei_poteri_del_comune(app):
    archivio.importa_file(CAMPIONI / "cer-fondazione-borgo.yaml", autore="prova")
    app.query_params["pratica"] = CODICE
    app.run()
    app.switch_page("pagine/documenti.py").run()
    versione = archivio.apri(CODICE).versione
    app.multiselect(key=f"doc-scelti-v{versione}").set_value(["atto_costitutivo"])
    app.multiselect(key=f"doc-formati-v{versione}").set_value(["docx"])
    pulsante(app, "Genera i documenti").click().run()
    assert lavori.Esecutore().esegui_uno().stato == "fatto"
    app.run()
    nessun_errore(app)
    assert any("poteri di firma del rappresentante di Comune di Montese" in m for m in messaggi(app, "warning"))
    pulsante(app, "Correggi in «Soggetti e membri»").click().run()
    nessun_errore(app)
    assert app.radio(key="passo").value == "soggetti"
    assert "Da correggere: «Da dove vengono i poteri di firma» di Comune di Montese." in messaggi(app, "info")
    # il riquadro è aperto, con il Comune scelto; la pagina scorre fino al campo e lo incornicia
    assert app.session_state[passo.CHIAVE_DETTAGLIO_APERTO] is True
    assert app.selectbox(key=passo.CHIAVE_SCELTA).value == "comune-montese"
    campo = chiave(CODICE, "det-comune-montese-rapp-poteri-fonte")
    assert app.text_input(key=campo).label == "Da dove vengono i poteri di firma"
    script = _script_della_pagina(app)
    assert f'"st-key-{campo}"' in script and "scrollIntoView" in script
    assert not app.warning, messaggi(app, "warning")        # nessun avviso di Streamlit sul doppio valore


def test_dal_riepilogo_il_riquadro_si_apre_sul_soggetto_e_si_salva(app):
    """Un rilievo su una parte intera (i poteri di firma del Comune): il riquadro si apre sul Comune e la
    pagina scorre al primo campo della parte. Salvati i dettagli, l'indicazione non resta."""
    archivio.importa_file(CAMPIONI / "cer-fondazione-borgo.yaml", autore="prova")
    apri_passo(app, "riepilogo", CODICE)
    pulsante(app, "Correggi in «Soggetti e membri»").click().run()
    nessun_errore(app)
    assert app.radio(key="passo").value == "soggetti"
    assert app.session_state[passo.CHIAVE_DETTAGLIO_APERTO] is True
    assert app.selectbox(key=passo.CHIAVE_SCELTA).value == "comune-montese"
    k = lambda n: chiave(CODICE, f"det-comune-montese-{n}")  # noqa: E731
    assert f'"st-key-{k("rapp-poteri-fonte")}"' in _script_della_pagina(app)
    assert not app.warning, messaggi(app, "warning")
    app.text_input(key=k("rapp-poteri-fonte")).input("Statuto comunale")
    app.text_input(key=k("rapp-poteri-atto")).input("art. 50 TUEL")
    scrivi_data(app, k("rapp-poteri-data"), "12/06/2024")
    pulsante(app, "Salva i dettagli").click().run()
    nessun_errore(app)
    r = archivio.apri(CODICE).pratica.soggetto("comune-montese").rappresentante
    assert r.poteri.fonte == "Statuto comunale"
    # il riquadro resta sul Comune; un'altra esecuzione non riporta la pagina al campo
    assert app.selectbox(key=passo.CHIAVE_SCELTA).value == "comune-montese"
    assert "scrollIntoView" not in _script_della_pagina(app)
    # un altro soggetto si sceglie come sempre
    app.selectbox(key=passo.CHIAVE_SCELTA).set_value("caseificio-borgo").run()
    nessun_errore(app)
    assert app.text_input(key=chiave(CODICE, "det-caseificio-borgo-rapp-poteri-fonte")).value == ""
