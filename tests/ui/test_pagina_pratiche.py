"""Pagina Pratiche (elenco, esempi, nuova, importa, esporta, duplica, elimina) e stati vuoti delle pagine."""

from __future__ import annotations

import pytest
from guida_ui import CAMPIONI, messaggi, nessun_errore, pulsante, scaricato

from cer_docs.model import load_pratica, parse_text
from cer_docs.services import archivio


def _con_esempi(app):
    app.run()
    pulsante(app, "Apri un esempio").click().run()
    nessun_errore(app)
    app.switch_page("pagine/pratiche.py").run()
    nessun_errore(app)
    return app


def test_archivio_vuoto_dice_cosa_fare(app):
    app.run()
    nessun_errore(app)
    assert app.title[0].value == "Pratiche"
    assert "pratica d'esempio che si apre" not in " ".join(m.value for m in app.markdown)   # niente testo di servizio
    # la prima azione è evidente: i due pulsanti in cima, poi i passi che aspettano
    assert [b.label for b in app.button][:2] == ["Nuova pratica", "Apri un esempio"]
    assert pulsante(app, "Nuova pratica").proto.type == "primary"
    passi = " ".join(m.value for m in app.markdown)
    assert "1. **Comunità**" in passi and "9. **Documenti**" in passi
    # «Apri un esempio» carica gli esempi e apre quello di riferimento nella procedura guidata
    pulsante(app, "Apri un esempio").click().run()
    nessun_errore(app)
    assert app.header[0].value == "Comunità Energetica Rinnovabile Colline della Sieve"
    assert app.radio(key="passo").value == "comunita"
    assert any("Aperta la pratica d'esempio" in m for m in messaggi(app, "success"))
    app.switch_page("pagine/pratiche.py").run()
    elenco = app.dataframe[0].value
    assert set(elenco["Codice"]) == {"cer-colline-sieve", "cer-fondazione-borgo", "auc-condominio-aurora",
                                     "cer-valle-due-cabine"}
    # date all'italiana: "22 novembre 2026, ore 10:32"
    assert elenco["Ultima modifica"].str.fullmatch(r"\d{1,2}°? [a-z]+ \d{4}, ore \d\d:\d\d").all()
    assert "In costituzione" in set(elenco["Stato"])


@pytest.mark.parametrize("pagina,testo", [("pagine/procedura.py", "L'archivio è vuoto"),
                                          ("pagine/verifiche.py", "L'archivio è vuoto"),
                                          ("pagine/documenti.py", "L'archivio è vuoto")])
def test_pagine_senza_pratiche(app, pagina, testo):
    app.run()
    app.switch_page(pagina).run()
    nessun_errore(app)
    assert any(testo in t for t in messaggi(app, "info"))
    pulsante(app, "Vai alle pratiche").click().run()
    assert app.title[0].value == "Pratiche"


def test_pagine_con_pratiche_ma_nessuna_scelta(app):
    _con_esempi(app)
    app.session_state["pratica_corrente"] = None
    app.query_params.clear()
    app.switch_page("pagine/procedura.py").run()
    assert any("Scegli una pratica" in t for t in messaggi(app, "info"))
    app.selectbox(key="scelta-pratica-vuoto").set_value("cer-valle-due-cabine").run()
    nessun_errore(app)
    assert app.header[0].value.startswith("Comunità Energetica Rinnovabile Valle")


@pytest.mark.parametrize("pagina", ["pagine/documenti.py", "pagine/verifiche.py"])
def test_una_sola_scelta_della_pratica_nelle_pagine_col_selettore(app, pagina):
    _con_esempi(app)
    app.session_state["pratica_corrente"] = None
    app.query_params.clear()
    app.switch_page(pagina).run()
    nessun_errore(app)
    assert any("Scegli una pratica" in t for t in messaggi(app, "info"))
    assert [s.label for s in app.selectbox] == ["Pratica"]
    app.selectbox[0].set_value("cer-valle-due-cabine").run()
    nessun_errore(app)
    assert not any("Scegli una pratica" in t for t in messaggi(app, "info"))


def test_nuova_pratica_con_dati_mancanti_non_crea_nulla(app):
    app.run()
    pulsante(app, "Nuova pratica").click().run()
    app.text_input(key="nuova-codice").input("con spazi")
    pulsante(app, "Crea e apri la procedura guidata").click().run()
    errori = " ".join(messaggi(app))
    assert "Denominazione: scrivi il nome" in errori
    assert "Codice: il codice può contenere solo lettere" in errori
    assert archivio.elenco_pratiche() == []


def test_importa_file_sbagliato_elenca_i_problemi_e_non_salva(app):
    app.run()
    rotto = (b"formato: cer-docs/pratica@1\npratica:\n  id: prova\nsoggetti:\n"
             b"  - {id: a, tipo: alieno, nome: A, cognome: B}\nmembri:\n  - {soggetto: zeta}\n")
    app.file_uploader(key="importa-pratica").set_value(("rotta.yaml", rotto, "application/yaml"))
    app.run()
    pulsante(app, "Importa").click().run()
    errori = " ".join(messaggi(app))
    assert "«rotta.yaml» non è stato importato: nulla è stato salvato" in errori
    assert "Riga 5, campo 'soggetti[0].tipo': valore 'alieno' non ammesso" in errori
    assert archivio.elenco_pratiche() == []
    app.file_uploader(key="importa-pratica").set_value(("x.yaml", "à".encode("latin-1"), "application/yaml"))
    app.run()
    pulsante(app, "Importa").click().run()
    assert "non è testo UTF-8" in " ".join(messaggi(app))
    assert archivio.elenco_pratiche() == []


def test_importa_file_buono_e_gia_presente(app):
    app.run()
    dati = (CAMPIONI / "pratica-esempio.yaml").read_bytes()
    app.file_uploader(key="importa-pratica").set_value(("pratica-esempio.yaml", dati, "application/yaml"))
    app.run()
    pulsante(app, "Importa").click().run()
    nessun_errore(app)
    assert [v.codice for v in archivio.elenco_pratiche()] == ["cer-colline-sieve"]
    pulsante(app, "Importa").click().run()
    assert "c'è già una pratica con codice 'cer-colline-sieve'" in " ".join(messaggi(app))
    app.checkbox(key="importa-sostituisci").check().run()
    pulsante(app, "Importa").click().run()
    nessun_errore(app)


def test_esporta_duplica_elimina(app):
    _con_esempi(app)
    app.selectbox(key="pratiche-scelta").set_value("cer-colline-sieve").run()
    nome, yaml = scaricato(app, "Esporta in YAML")
    assert nome == "cer-colline-sieve.yaml"
    assert parse_text(yaml.decode("utf-8"), nome) == archivio.apri("cer-colline-sieve").pratica
    nome, js = scaricato(app, "Esporta in JSON")
    assert nome == "cer-colline-sieve.json" and js.startswith(b"{")

    app.text_input(key="duplica-codice-cer-colline-sieve").input("cer-colline-sieve-bis")
    pulsante(app, "Duplica la pratica").click().run()
    nessun_errore(app)
    assert archivio.apri("cer-colline-sieve-bis").pratica.comunita == load_pratica(
        CAMPIONI / "pratica-esempio.yaml").comunita

    app.selectbox(key="pratiche-scelta").set_value("cer-colline-sieve-bis").run()
    pulsante(app, "Elimina questa pratica…").click().run()
    assert "Vuoi davvero eliminare" in messaggi(app, "warning")[0]
    pulsante(app, "Annulla").click().run()
    assert "cer-colline-sieve-bis" in {v.codice for v in archivio.elenco_pratiche()}
    pulsante(app, "Elimina questa pratica…").click().run()
    pulsante(app, "Sì, elimina definitivamente").click().run()
    nessun_errore(app)
    assert "cer-colline-sieve-bis" not in {v.codice for v in archivio.elenco_pratiche()}
    assert "Pratica «cer-colline-sieve-bis» eliminata." in messaggi(app, "success")


def test_apri_nella_procedura(app):
    _con_esempi(app)
    app.selectbox(key="pratiche-scelta").set_value("cer-fondazione-borgo").run()
    pulsante(app, "Apri nella procedura guidata").click().run()
    nessun_errore(app)
    assert app.header[0].value == "Comunità Energetica Rinnovabile del Borgo di Montese ETS"
    assert app.query_params["pratica"] == "cer-fondazione-borgo"
    assert app.radio(key="passo").value == "comunita"


def test_errore_imprevisto_senza_traceback(app, monkeypatch):
    def guasto():
        raise RuntimeError("boom interno")

    monkeypatch.setattr(archivio, "elenco_pratiche", guasto)
    app.run()
    assert not app.exception
    errori = " ".join(messaggi(app))
    assert "errore imprevisto" in errori and "boom" not in errori and "Traceback" not in errori


def test_nuova_pratica_si_apre_e_si_chiude(app):
    app.run()
    assert not any(t.key == "nuova-denominazione" for t in app.text_input)
    pulsante(app, "Nuova pratica").click().run()
    assert any(t.key == "nuova-denominazione" for t in app.text_input)
    # con il modulo vuoto il problema si dice, il modulo resta aperto
    pulsante(app, "Crea e apri la procedura guidata").click().run()
    assert messaggi(app) and any(t.key == "nuova-denominazione" for t in app.text_input)
    pulsante(app, "Chiudi").click().run()
    assert not any(t.key == "nuova-denominazione" for t in app.text_input)
