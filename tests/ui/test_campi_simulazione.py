"""Le ipotesi della simulazione economica si compilano nella procedura guidata: consumo, profilo e potenza
impegnata di ogni POD (e i consumi mese per mese), inclinazione, orientamento, producibilità e coordinate
di ogni impianto. I valori salvati restano dopo un altro salvataggio della tabella; gli errori dicono riga e
colonna; i costi della comunità si scrivono nella pagina «Riparto e pagamenti»."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from guida_ui import apri_passo as apri, CAMPIONI, chiave, messaggi, nessun_errore, pulsante, vai_al_passo, versione

from cer_docs.services import archivio
from cer_docs.services import procedura as proc

CODICE = "cer-colline-sieve"


def _punto(pod: str):
    return next(pc for pc in archivio.apri(CODICE).pratica.configurazioni[0].punti_connessione if pc.pod == pod)


def _impianto(iid: str):
    return next(imp for _p, _c, imp in archivio.apri(CODICE).pratica.impianti() if imp.id == iid)


def test_consumo_profilo_e_potenza_impegnata_di_un_pod_si_salvano(app, riferimento):
    apri(app, "configurazioni")
    app.session_state[chiave(CODICE, "tabella-punti-0")] = {
        "edited_rows": {1: {"consumo_annuo_kwh": 2700.5, "profilo_consumo": "domestico",
                            "potenza_impegnata_kw": 4.5}},          # Mario Rossi, seconda riga
        "added_rows": [], "deleted_rows": []}
    pulsante(app, "Salva e continua").click().run()
    nessun_errore(app)
    assert app.radio(key="passo").value == "impianti"
    pc = _punto("IT001E00112234")
    assert (pc.consumo_annuo_kwh, pc.profilo_consumo, pc.potenza_impegnata_kw) == (
        Decimal("2700.5"), "domestico", Decimal("4.5"))
    # la tabella li mostra al ritorno, con l'etichetta italiana del profilo tra le scelte
    vai_al_passo(app, "configurazioni")
    df = app.session_state["_bozze_basi"][chiave(CODICE, "tabella-punti-0")]
    assert df.loc[2, "consumo_annuo_kwh"] == 2700.5 and df.loc[2, "profilo_consumo"] == "domestico"
    assert proc.ETICHETTE_PROFILO_CONSUMO["domestico"].startswith("Abitazione")


def test_inclinazione_e_orientamento_di_un_impianto_si_salvano(app, riferimento):
    apri(app, "impianti")
    app.session_state[chiave(CODICE, "tabella-impianti-0")] = {
        "edited_rows": {0: {"inclinazione_gradi": 15.0, "orientamento_gradi": -20.0, "producibilita_kwh_kw": 1250.0,
                            "latitudine": 43.9271, "longitudine": 11.6199}},
        "added_rows": [], "deleted_rows": []}
    pulsante(app, "Salva e continua").click().run()
    nessun_errore(app)
    imp = _impianto("fv-municipio")
    assert imp.inclinazione_gradi == 15 and imp.orientamento_gradi == -20
    assert imp.producibilita_kwh_kw == 1250
    assert imp.latitudine == Decimal("43.9271") and imp.longitudine == Decimal("11.6199")
    assert imp.contributo_pnrr is None and _impianto("fv-cantina").inclinazione_gradi is None


def test_i_valori_salvati_restano_quando_si_salva_di_nuovo_la_tabella(app, riferimento):
    aperta = archivio.apri(CODICE)
    p = proc.applica_consumi_mensili(aperta.pratica, 0, "IT001E00112234", [200] * 12)
    righe = proc.righe_impianti(p, 0)
    righe[0]["inclinazione_gradi"] = 12
    p = proc.applica_impianti(p, 0, righe, dt.date(2026, 12, 1))
    righe = proc.righe_punti(p, 0)
    righe[1]["consumo_annuo_kwh"] = 2400
    p, _ = proc.applica_configurazione(p, 0, proc.valori_configurazione(p, 0), righe, dt.date(2026, 12, 1))
    archivio.salva(CODICE, p, aperta.versione, autore="prova")
    # si cambia un'altra colonna in ciascuna tabella: consumi, consumi mensili e inclinazione restano
    apri(app, "configurazioni")
    app.session_state[chiave(CODICE, "tabella-punti-0")] = {
        "edited_rows": {1: {"uso": "abitazione principale"}}, "added_rows": [], "deleted_rows": []}
    pulsante(app, "Salva e continua").click().run()
    nessun_errore(app)
    app.session_state[chiave(CODICE, "tabella-impianti-0")] = {
        "edited_rows": {0: {"censimp": "IM_0001"}}, "added_rows": [], "deleted_rows": []}
    pulsante(app, "Salva e continua").click().run()
    nessun_errore(app)
    pc = _punto("IT001E00112234")
    assert pc.uso == "abitazione principale" and pc.consumo_annuo_kwh == 2400
    assert pc.consumi_mensili_kwh == [Decimal(200)] * 12
    imp = _impianto("fv-municipio")
    assert imp.censimp == "IM_0001" and imp.inclinazione_gradi == 12


def test_numeri_sbagliati_dicono_riga_e_colonna_e_nulla_si_salva(app, riferimento):
    apri(app, "impianti")
    prima = versione(CODICE)
    app.session_state[chiave(CODICE, "tabella-impianti-0")] = {
        "edited_rows": {1: {"latitudine": 43.9}}, "added_rows": [], "deleted_rows": []}
    pulsante(app, "Salva e continua").click().run()
    errori = " ".join(messaggi(app))
    assert "Riga 2 (Fotovoltaico sulla copertura della cantina), longitudine: scrivi latitudine e longitudine " \
           "insieme" in errori
    assert versione(CODICE) == prima
    # anche dal servizio, con i numeri scritti all'italiana come in una cella di testo
    p = archivio.apri(CODICE).pratica
    righe = proc.righe_punti(p, 0)
    righe[1].update(consumo_annuo_kwh="2.700,5", potenza_impegnata_kw="0", profilo_consumo="villa")
    with pytest.raises(proc.ErrorePasso) as e:
        proc.applica_configurazione(p, 0, proc.valori_configurazione(p, 0), righe, dt.date(2026, 12, 1))
    testo = str(e.value)
    assert "Riga 2 (IT001E00112234), potenza impegnata (kW): deve essere maggiore di zero" in testo
    assert "Riga 2 (IT001E00112234), profilo di consumo: 'villa' non è un profilo previsto" in testo
    assert "consumo annuo" not in testo                                 # «2.700,5» è un numero italiano
    righe = proc.righe_impianti(p, 0)
    righe[0].update(inclinazione_gradi="95", orientamento_gradi="-200")
    with pytest.raises(proc.ErrorePasso) as e:
        proc.applica_impianti(p, 0, righe, dt.date(2026, 12, 1))
    assert "inclinazione (gradi): non può essere maggiore di 90" in str(e.value)
    assert "orientamento (gradi): non può essere minore di -180" in str(e.value)


def test_consumi_mese_per_mese_dal_dettaglio_del_pod(app, riferimento):
    apri(app, "configurazioni")
    app.selectbox(key=chiave(CODICE, "mensili-pod-0")).set_value("IT001E00112234").run()
    k = chiave(CODICE, "mensili-0-IT001E00112234")
    app.session_state[k] = {"edited_rows": {i: {"kwh": 150.0 + i} for i in range(11)}, "added_rows": [],
                            "deleted_rows": []}
    pulsante(app, "Salva i consumi mensili").click().run()
    errori = " ".join(messaggi(app))
    assert "servono tutti e dodici i mesi (oppure nessuno); mancano: dicembre" in errori
    assert _punto("IT001E00112234").consumi_mensili_kwh is None
    app.session_state[k] = {"edited_rows": {i: {"kwh": 150.0 + i} for i in range(12)}, "added_rows": [],
                            "deleted_rows": []}
    pulsante(app, "Salva i consumi mensili").click().run()
    nessun_errore(app)
    assert _punto("IT001E00112234").consumi_mensili_kwh == [Decimal(150 + i) for i in range(12)]
    assert app.radio(key="passo").value == "configurazioni"


# --------------------------------------------------------------------------- costi della comunità (Riparto)

def test_costi_della_comunita_si_scrivono_nella_pagina_del_riparto(app, riferimento):
    app.query_params["pratica"] = CODICE
    app.run()
    app.switch_page("pagine/riparto.py").run()
    nessun_errore(app)
    k = chiave(CODICE, "rip_costi_tabella")
    app.session_state[k] = {"edited_rows": {0: {"periodo": "2026", "descrizione": "Assicurazione",
                                                "importo_euro": 120.5}},
                            "added_rows": [{"periodo": "2026-01", "descrizione": "", "importo_euro": -3.0}],
                            "deleted_rows": []}
    pulsante(app, "Salva i costi").click().run()
    errore = " ".join(messaggi(app))
    assert "riga 2, descrizione: manca" in errore and "riga 2, importo: un costo non può essere negativo" in errore
    assert archivio.apri(CODICE).pratica.costi_comunita == []
    app.session_state[k] = {"edited_rows": {0: {"periodo": "2026", "descrizione": "Assicurazione",
                                                "importo_euro": 120.5}},
                            "added_rows": [{"periodo": "2026-01", "descrizione": "Commercialista",
                                            "importo_euro": 300.0}],
                            "deleted_rows": []}
    pulsante(app, "Salva i costi").click().run()
    nessun_errore(app)
    costi = archivio.apri(CODICE).pratica.costi_comunita
    assert [(c.periodo, c.descrizione, c.importo_euro) for c in costi] == [
        ("2026", "Assicurazione", Decimal("120.50")), ("2026-01", "Commercialista", Decimal("300.00"))]
    assert any("Costi salvati: 2 righe" in m for m in messaggi(app, "success") + messaggi(app, "info")
               + [t.value for t in app.toast])


def test_un_costo_del_mese_riduce_quanto_si_riparte(app, riferimento):
    import gzip

    from cer_docs.services import riparto as svc

    aperta = archivio.apri(CODICE)
    p = svc.registra_incassi(aperta.pratica, b"periodo,componente,importo_euro\n2026-01,acconto,1570.65\n"
                                             b"2026-01,conguaglio,-1373.30\n")
    archivio.salva(CODICE, p, aperta.versione, autore="test")
    righe = gzip.decompress((CAMPIONI / "riparto" / "misure-2026.csv.gz").read_bytes()).decode().splitlines()
    misure = ("\n".join([righe[0]] + [r for r in righe[1:] if ",2026-01-" in r]) + "\n").encode()
    app.query_params["pratica"] = CODICE
    app.session_state["rip_misure_dati"] = ("misure-gennaio.csv", misure)
    app.run()
    app.switch_page("pagine/riparto.py").run()
    app.text_input(key="rip_periodo").set_value("2026-01").run()
    nessun_errore(app)
    prima = {m.label: m.value for m in app.metric}["Da ripartire"]
    app.session_state[chiave(CODICE, "rip_costi_tabella")] = {
        "edited_rows": {0: {"periodo": "2026-01", "descrizione": "Commercialista", "importo_euro": 50.0}},
        "added_rows": [], "deleted_rows": []}
    pulsante(app, "Salva i costi").click().run()
    nessun_errore(app)
    dopo = {m.label: m.value for m in app.metric}["Da ripartire"]

    def euro(testo: str) -> Decimal:
        return Decimal(testo.replace("€", "").replace(".", "").replace(",", ".").strip())

    assert euro(prima) - euro(dopo) == Decimal("50.00"), (prima, dopo)
