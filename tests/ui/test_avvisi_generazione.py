"""Gli avvisi della generazione parlano all'utente: niente percorsi tecnici («(comunita.fondatori)»),
ma un pulsante verso il passo della procedura dove si corregge il dato che manca."""

from __future__ import annotations

import pytest
from guida_ui import APP, CAMPIONI, messaggi, pulsante
from streamlit.testing.v1 import AppTest

from cer_docs.services import archivio, lavori
from ui.passi.documenti import avviso_e_passo

CODICE = "cer-colline-sieve"


@pytest.fixture(autouse=True)
def _nessun_esecutore_nell_app(monkeypatch):
    monkeypatch.setattr(lavori, "assicura_esecutore_locale", lambda *a, **k: False)


def test_il_percorso_diventa_il_passo():
    testo, dest = avviso_e_passo("la pratica non indica i fondatori (comunita.fondatori): l'atto resta senza parti")
    assert testo == "la pratica non indica i fondatori: l'atto resta senza parti"
    assert dest is not None and dest.titolo == "Statuto e riparto"
    testo, dest = avviso_e_passo("manca la cabina (configurazioni[1].punti_connessione[0].cabina_primaria)")
    assert testo == "manca la cabina" and dest.passo == "configurazioni" and dest.configurazione == 1
    # una parentesi qualunque resta com'è
    assert avviso_e_passo("la quota (facoltativa) non è indicata") == ("la quota (facoltativa) non è indicata", None)


def test_avviso_senza_percorso_e_pulsante_correggi(app):
    lavoro = archivio.importa_file(CAMPIONI / "pratica-esempio.yaml", autore="test")
    aperta = archivio.apri(CODICE)
    senza = aperta.pratica.model_copy(deep=True)
    senza.comunita.fondatori = []
    archivio.salva(CODICE, senza, aperta.versione, autore="test", descrizione="tolgo i fondatori")
    assert lavoro is not None

    app.query_params["pratica"] = CODICE
    app.run()
    app.switch_page("pagine/documenti.py").run()
    versione = archivio.apri(CODICE).versione
    app.multiselect(key=f"doc-scelti-v{versione}").set_value(["atto_costitutivo"])
    app.multiselect(key=f"doc-formati-v{versione}").set_value(["docx"])
    pulsante(app, "Genera i documenti").click().run()
    assert lavori.Esecutore().esegui_uno().stato == "fatto"
    app.run()
    assert not app.exception, [e.value for e in app.exception]

    avvisi = messaggi(app, "warning")
    assert any("non indica i fondatori" in a for a in avvisi), avvisi
    assert not any("comunita.fondatori" in a for a in avvisi), avvisi
    pulsante(app, "Correggi in «Statuto e riparto»").click().run()
    assert not app.exception, [e.value for e in app.exception]
    assert app.radio(key="passo").value == "statuto"


def test_correggi_nomina_la_colonna_e_la_riga():
    from cer_docs.services import procedura as proc

    dest = proc.destinazione("configurazioni[0].impianti[1].ubicazione.popolazione")
    assert (dest.passo, dest.configurazione) == ("impianti", 0)
    assert dest.indicazione == "Da correggere: «Abitanti del comune», riga 2."
    # un rilievo sull'intero impianto porta al passo senza nominare un campo
    assert proc.destinazione("configurazioni[0].impianti[1]").indicazione is None


def _verifiche_dopo(app, cambia) -> None:
    """L'esempio con un dato cambiato da ``cambia(pratica)``, aperto nella pagina Verifiche."""
    archivio.importa_file(CAMPIONI / "pratica-esempio.yaml", autore="test")
    aperta = archivio.apri(CODICE)
    p = aperta.pratica.model_copy(deep=True)
    cambia(p)
    archivio.salva(CODICE, p, aperta.versione)
    app.query_params["pratica"] = CODICE
    app.run()
    app.switch_page("pagine/verifiche.py").run()


def test_dalle_verifiche_il_passo_dice_che_cosa_correggere(app):
    def cabina_diversa(p):
        p.configurazioni[0].punti_connessione[2].cabina_primaria = "AC001E00999"

    _verifiche_dopo(app, cabina_diversa)
    pulsante(app, "Correggi in «Configurazioni»").click().run()
    assert not app.exception, [e.value for e in app.exception]
    assert app.radio(key="passo").value == "configurazioni"
    assert "Da correggere: «Cabina primaria del POD», riga 3." in messaggi(app, "info")
    # cambiato passo, l'indicazione non segue
    app.radio(key="passo").set_value("comunita").run()
    assert not any(m.startswith("Da correggere") for m in messaggi(app, "info"))


def test_correggi_su_un_dato_pnrr_apre_l_impianto_giusto(app):
    import datetime as dt

    def lavori_al_contrario(p):
        cantina = p.configurazioni[0].impianti[1]
        assert cantina.id == "fv-cantina" and cantina.contributo_pnrr is not None
        cantina.contributo_pnrr.data_avvio_lavori = dt.date(2025, 9, 1)
        cantina.contributo_pnrr.data_fine_lavori = dt.date(2025, 7, 15)

    _verifiche_dopo(app, lavori_al_contrario)
    # i rilievi del passo Impianti di questa pratica riguardano tutti la cantina (secondo impianto)
    pulsante(app, "Correggi in «Impianti»").click().run()
    assert not app.exception, [e.value for e in app.exception]
    assert app.radio(key="passo").value == "impianti"
    # il modulo del contributo mostra la cantina (il rilievo), non il primo impianto
    assert app.selectbox(key="pnrr-impianto-0").value == "fv-cantina"
    assert any(m.startswith("Da correggere: «") for m in messaggi(app, "info"))


def test_avviso_dei_dati_da_completare_li_nomina_e_porta_al_soggetto(app):
    """Un documento con spazi da completare: l'avviso nomina i dati (etichette della procedura), non il
    percorso, e «Correggi» porta al soggetto a cui mancano."""
    archivio.importa_file(CAMPIONI / "pratica-esempio.yaml", autore="test")
    app.query_params["pratica"] = CODICE
    app.run()
    app.switch_page("pagine/documenti.py").run()
    versione = archivio.apri(CODICE).versione
    app.multiselect(key=f"doc-scelti-v{versione}").set_value(["accordo_produttore_terzo"])
    app.multiselect(key=f"doc-formati-v{versione}").set_value(["docx"])
    pulsante(app, "Genera i documenti").click().run()
    assert lavori.Esecutore().esegui_uno().stato == "fatto"
    app.run()
    assert not app.exception, [e.value for e in app.exception]

    (avviso,) = [a for a in messaggi(app, "warning") if "da completare a mano" in a]
    assert "luogo di nascita del rappresentante; data di nascita del rappresentante" in avviso, avviso
    assert "soggetti[" not in avviso and "dato mancante" not in avviso
    pulsante(app, "Correggi in «Soggetti e membri»").click().run()
    assert not app.exception, [e.value for e in app.exception]
    assert app.radio(key="passo").value == "soggetti"
