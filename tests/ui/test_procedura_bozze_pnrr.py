"""Nulla si perde e tutto si compila: contributo PNRR per impianto, bozze dei passi, righe con
dati tolte solo con conferma, salvataggio senza modifiche che non crea versioni, errori in cima."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from guida_ui import (
    apri_passo as apri,
    CAMPIONI,
    chiave,
    messaggi,
    nessun_errore,
    pulsante,
    scrivi_data,
    vai_al_passo,
    versione,
)

from cer_docs.services import archivio

CODICE = "cer-colline-sieve"


def _script_della_pagina(at) -> list[str]:
    return [e.proto.srcdoc for e in at.get("iframe")]


def _etichette_passi(at) -> list[str]:
    return list(at.radio(key="passo").proto.options)


# --------------------------------------------------------------------------- contributo PNRR

def test_contributo_pnrr_compilato_nel_passo_impianti(app, riferimento):
    apri(app, passo="impianti")
    app.selectbox(key="pnrr-impianto-0").set_value("fv-municipio").run()
    k = lambda n: chiave(CODICE, f"pnrr-0-fv-municipio-{n}")  # noqa: E731
    assert not app.checkbox(key=k("finanziato")).value
    app.checkbox(key=k("finanziato")).check().run()
    app.text_input(key=k("cup")).input("j21b24000120006")
    app.text_input(key=k("cig")).input("Z1A2B3C4D5")
    scrivi_data(app, k("domanda"), dt.date(2025, 3, 10))
    scrivi_data(app, k("concessione"), dt.date(2025, 6, 20))
    app.text_input(key=k("spesa")).input("96.000,00")
    app.text_input(key=k("contributo")).input("38.400")
    app.text_input(key=k("acc-estremi")).input("GSE/PNRR/2025/123")
    scrivi_data(app, k("acc-notifica"), dt.date(2025, 6, 25))
    app.session_state[k("fondi")] = {"edited_rows": {}, "deleted_rows": [],
                                     "added_rows": [{"programma": "FESR Toscana", "importo_euro": 5000.0,
                                                     "stesse_spese": False}]}
    prima = versione(CODICE)
    pulsante(app, "Salva il contributo PNRR").click().run()
    nessun_errore(app)
    assert versione(CODICE) == prima + 1
    assert any("Contributo PNRR di Fotovoltaico sul tetto del Municipio" in m for m in messaggi(app, "success"))
    imp = next(i for _p, _c, i in archivio.apri(CODICE).pratica.impianti() if i.id == "fv-municipio")
    c = imp.contributo_pnrr
    assert c.cup == "J21B24000120006" and c.cig == "Z1A2B3C4D5"
    assert c.data_domanda == dt.date(2025, 3, 10) and c.data_concessione == dt.date(2025, 6, 20)
    assert c.spesa_ammissibile_euro == Decimal("96000.00") and c.contributo_richiesto_euro == Decimal("38400.00")
    assert c.accordo_concessione.estremi == "GSE/PNRR/2025/123"
    assert c.accordo_concessione.data_notifica == dt.date(2025, 6, 25)
    assert [(f.programma, f.importo_euro, f.stesse_spese) for f in c.altri_fondi_ue] == [
        ("FESR Toscana", Decimal("5000.00"), False)]
    assert app.radio(key="passo").value == "impianti"       # si resta sul passo


def test_cup_sbagliato_non_salva_e_lo_dice_in_cima(app, riferimento):
    apri(app, passo="impianti")
    app.selectbox(key="pnrr-impianto-0").set_value("fv-cantina").run()
    k = lambda n: chiave(CODICE, f"pnrr-0-fv-cantina-{n}")  # noqa: E731
    assert app.checkbox(key=k("finanziato")).value           # la cantina ha già il contributo
    prima = versione(CODICE)
    app.text_input(key=k("cup")).input("J21B2400")
    pulsante(app, "Salva il contributo PNRR").click().run()
    errori = " ".join(messaggi(app))
    assert "CUP: il CUP deve avere 15 caratteri" in errori and "Non salvato" in errori
    assert versione(CODICE) == prima
    # ciò che l'utente aveva scritto è ancora lì per correggerlo
    assert app.text_input(key=k("cup")).value == "J21B2400"


def test_togliere_il_contributo_con_spese_registrate_non_si_puo(riferimento):
    from cer_docs.model.pnrr import Spesa
    from cer_docs.services import procedura as proc

    pratica = archivio.apri(CODICE).pratica
    cantina = next(i for _p, _c, i in pratica.impianti() if i.id == "fv-cantina")
    cantina.contributo_pnrr.spese.append(Spesa.model_validate({
        "id": "s1", "fattura": {"numero": "1", "data": "2025-07-01", "fornitore": {"denominazione": "Ditta"},
                                "imponibile_euro": "100.00", "totale_euro": "122.00"}}))
    with pytest.raises(proc.ErrorePasso, match="1 spesa nel registro PNRR: toglila prima"):
        proc.applica_contributo_pnrr(pratica, 0, "fv-cantina", {"finanziato": False}, dt.date(2026, 12, 1))
    # cambiare il CUP invece lascia il registro com'era
    v = proc.valori_contributo_pnrr(pratica, 0, "fv-cantina")
    v["cup"] = "J51B25000010006"
    nuova = proc.applica_contributo_pnrr(pratica, 0, "fv-cantina", v, dt.date(2026, 12, 1))
    c = next(i for _p, _c, i in nuova.impianti() if i.id == "fv-cantina").contributo_pnrr
    assert c.cup == "J51B25000010006" and [x.id for x in c.spese] == ["s1"]


def test_pagina_pnrr_senza_contributi_porta_al_passo_impianti(app):
    archivio.importa_file(CAMPIONI / "auc-condominio-aurora.yaml", autore="prova")
    codice = archivio.elenco_pratiche()[0].codice
    app.query_params["pratica"] = codice
    app.run()
    app.switch_page("pagine/pnrr.py").run()
    nessun_errore(app)
    assert any("sezione «Contributo PNRR»" in t for t in messaggi(app, "info"))
    pulsante(app, "Apri il passo «Impianti»").click().run()
    nessun_errore(app)
    assert app.radio(key="passo").value == "impianti"
    assert any(m.value == "#### Contributo PNRR" for m in app.markdown)


# --------------------------------------------------------------------------- bozze

def test_modifiche_non_salvate_restano_cambiando_passo(app, riferimento):
    apri(app, passo="comunita")
    prima = versione(CODICE)
    app.text_input(key=chiave(CODICE, "com-sigla")).input("SIGLA NON SALVATA")
    scrivi_data(app, chiave(CODICE, "com-atto-prevista"), dt.date(2027, 1, 15))
    app.run()
    vai_al_passo(app, "soggetti")
    nessun_errore(app)
    assert any(e.endswith("✎") and "Comunità" in e for e in _etichette_passi(app)), _etichette_passi(app)
    # ricaricare la scheda perderebbe la sessione: il browser chiede conferma prima
    assert any("onbeforeunload=function" in x for x in _script_della_pagina(app))
    # anche passando da un'altra pagina
    app.switch_page("pagine/verifiche.py").run()
    app.switch_page("pagine/procedura.py").run()
    vai_al_passo(app, "comunita")
    nessun_errore(app)
    assert app.text_input(key=chiave(CODICE, "com-sigla")).value == "SIGLA NON SALVATA"
    assert app.text_input(key=chiave(CODICE, "com-atto-prevista")).value == "15/01/2027"
    assert versione(CODICE) == prima                          # nulla salvato finché non lo si chiede
    pulsante(app, "Salva e continua").click().run()
    nessun_errore(app)
    assert archivio.apri(CODICE).pratica.comunita.sigla == "SIGLA NON SALVATA"
    assert not any(e.endswith("✎") for e in _etichette_passi(app))
    assert any("onbeforeunload=null" in x for x in _script_della_pagina(app))


def test_bozza_di_un_passo_sopravvive_al_salvataggio_di_un_altro(app, riferimento):
    apri(app, passo="comunita")
    app.text_input(key=chiave(CODICE, "com-pec")).input("cer@pec.esempio.it")
    app.run()
    vai_al_passo(app, "statuto")
    app.text_input(key=chiave(CODICE, "st-durata")).input("fino al 2060")
    pulsante(app, "Salva e continua").click().run()
    nessun_errore(app)
    vai_al_passo(app, "comunita")
    assert app.text_input(key=chiave(CODICE, "com-pec")).value == "cer@pec.esempio.it"


def test_tabella_non_salvata_resta_al_ritorno(app, riferimento):
    apri(app, passo="soggetti")
    app.session_state[chiave(CODICE, "tabella-soggetti")] = {
        "edited_rows": {1: {"email": "mario@esempio.it"}}, "deleted_rows": [],
        "added_rows": [{"tipo": "persona_fisica", "nome": "Lucia", "cognome": "Neri"}]}
    app.run()
    vai_al_passo(app, "comunita")
    assert any(e.endswith("✎") and "Soggetti" in e for e in _etichette_passi(app))
    assert not any(e.endswith("✎") and "Comunità" in e for e in _etichette_passi(app))
    vai_al_passo(app, "soggetti")
    nessun_errore(app)
    df = app.session_state["_bozze_basi"][chiave(CODICE, "tabella-soggetti")]
    assert df.loc[2, "email"] == "mario@esempio.it"
    assert df.iloc[-1]["nome"] == "Lucia"


def test_annulla_le_modifiche(app, riferimento):
    apri(app, passo="comunita")
    originale = archivio.apri(CODICE).pratica.comunita.sigla
    app.text_input(key=chiave(CODICE, "com-sigla")).input("DA BUTTARE")
    app.run()
    pulsante(app, "Annulla le modifiche").click().run()
    nessun_errore(app)
    campo = next(t for t in app.text_input if t.label == "Sigla")
    assert (campo.value or None) == originale


# --------------------------------------------------------------------------- salvataggi

def test_salvare_senza_modifiche_non_crea_una_versione(app, riferimento):
    apri(app, passo="comunita")
    prima = versione(CODICE)
    eventi = len(archivio.eventi(CODICE))
    pulsante(app, "Salva e continua").click().run()
    nessun_errore(app)
    assert versione(CODICE) == prima
    assert len(archivio.eventi(CODICE)) == eventi
    assert any("nessuna modifica da salvare" in s for s in messaggi(app, "success"))
    assert app.radio(key="passo").value == "soggetti"          # si va comunque avanti


def test_togliere_una_riga_con_dati_chiede_conferma(app, riferimento):
    apri(app, passo="soggetti")
    prima = versione(CODICE)
    app.session_state[chiave(CODICE, "tabella-soggetti")] = {"edited_rows": {}, "added_rows": [],
                                                              "deleted_rows": [1]}        # Mario Rossi
    app.run()
    avvisi = " ".join(messaggi(app, "warning"))
    assert "Stai eliminando una riga che contiene dati" in avvisi and "riga 2 (Mario Rossi)" in avvisi
    salva = pulsante(app, "Salva e continua")
    assert salva.disabled
    app.checkbox(key=f"conferma-tolte-{chiave(CODICE, 'tabella-soggetti')}-1").check().run()
    assert not pulsante(app, "Salva e continua").disabled
    pulsante(app, "Salva e continua").click().run()
    # Mario Rossi è membro e titolare di un POD: il servizio spiega perché non si può togliere
    assert versione(CODICE) == prima or archivio.apri(CODICE).pratica.soggetto("rossi-mario") is None


def test_righe_numerate_come_nei_messaggi_dopo_un_errore(app, riferimento):
    apri(app, passo="soggetti")
    app.session_state[chiave(CODICE, "tabella-soggetti")] = {
        "edited_rows": {}, "deleted_rows": [],
        "added_rows": [{"tipo": "persona_fisica", "nome": "Lucia", "cognome": "Neri", "cap": "501"}]}
    pulsante(app, "Salva e continua").click().run()
    errori = " ".join(messaggi(app))
    assert "Riga 8 (Lucia Neri), CAP" in errori
    # la tabella riparte da ciò che si vedeva, e Lucia Neri ha il numero 8
    df = app.session_state["_bozze_basi"][chiave(CODICE, "tabella-soggetti")]
    assert df.loc[8, "nome"] == "Lucia"
    # i problemi stanno in cima al passo, prima della tabella
    assert app.main.children  # il primo errore viene prima dell'editor
    tipi = [type(e).__name__ for e in app.main]
    assert "Error" in tipi


def test_bozza_di_una_tabella_non_copre_i_dati_cambiati_nel_frattempo(app, riferimento):
    """Una tabella vista e non toccata, poi cambiata da un'importazione: al ritorno si vedono i dati nuovi."""
    apri(app, passo="impianti")
    app.run()
    vai_al_passo(app, "comunita")
    assert not any(e.endswith("✎") for e in _etichette_passi(app))
    pratica = archivio.apri(CODICE).pratica
    from cer_docs.services import procedura as proc
    righe = proc.righe_impianti(pratica, 0)
    righe.append({**righe[0], "id": None, "denominazione": "Impianto nuovo", "contributo_pnrr": False})
    nuova = proc.applica_impianti(pratica, 0, righe, dt.date(2026, 12, 1))
    archivio.salva(CODICE, nuova, versione(CODICE), autore="altro")
    app.run()
    pulsante(app, "Ricarica la pratica").click().run()
    vai_al_passo(app, "impianti")
    nessun_errore(app)
    df = app.session_state["_bozze_basi"][chiave(CODICE, "tabella-impianti-0")]
    assert "Impianto nuovo" in list(df["denominazione"])


def test_bozza_di_una_tabella_su_dati_cambiati_lo_dice(app, riferimento):
    """Impianti modificati e non salvati; poi un'importazione di membri aggiunge un impianto: al ritorno
    la bozza non copre in silenzio l'impianto nuovo."""
    apri(app, passo="impianti")
    app.session_state[chiave(CODICE, "tabella-impianti-0")] = {
        "edited_rows": {0: {"censimp": "IM_0001"}}, "added_rows": [], "deleted_rows": []}
    app.run()
    vai_al_passo(app, "soggetti")
    assert any(e.endswith("✎") and "Impianti" in e for e in _etichette_passi(app))
    csv = "nome;cognome;POD;potenza impianto kW\nAnna;Blu;IT001E77700001;3\n".encode()
    app.file_uploader(key=chiave(CODICE, "importa-soggetti")).set_value(("m.csv", csv, "text/csv"))
    app.run()
    pulsante(app, "Aggiungi 1 soggetto alla pratica").click().run()
    nessun_errore(app)
    vai_al_passo(app, "impianti")
    assert any("le modifiche che non avevi salvato non si possono riapplicare" in w for w in messaggi(app, "warning"))
    df = app.session_state["_bozze_basi"][chiave(CODICE, "tabella-impianti-0")]
    assert "Fotovoltaico Anna Blu" in list(df["denominazione"])


def test_salva_e_continua_non_lascia_indietro_il_contributo_in_bozza(app, riferimento):
    apri(app, passo="impianti")
    app.selectbox(key="pnrr-impianto-0").set_value("fv-cantina").run()
    k = lambda n: chiave(CODICE, f"pnrr-0-fv-cantina-{n}")  # noqa: E731
    app.text_input(key=k("cig")).input("Z9Z9Z9Z9Z9").run()
    prima = versione(CODICE)
    pulsante(app, "Salva e continua").click().run()
    nessun_errore(app)
    # la tabella non è cambiata: nessuna versione; ma non si passa oltre e si dice che cosa resta da salvare
    assert versione(CODICE) == prima
    assert app.radio(key="passo").value == "impianti"
    assert any("ha modifiche non ancora salvate" in m and "«Salva il contributo PNRR»" in m
               for m in messaggi(app, "warning"))
    assert app.text_input(key=k("cig")).value == "Z9Z9Z9Z9Z9"
    # salvato il contributo, «Salva e continua» va avanti
    pulsante(app, "Salva il contributo PNRR").click().run()
    nessun_errore(app)
    pulsante(app, "Salva e continua").click().run()
    assert app.radio(key="passo").value != "impianti"
