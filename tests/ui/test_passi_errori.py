"""Ingressi sbagliati nella procedura guidata: il messaggio compare al passo giusto e nulla si salva;
i rilievi del riepilogo portano al passo che li corregge; conflitti di modifica; riapertura da link."""

from __future__ import annotations

import re

from guida_ui import CAMPIONI, chiave, conteggi, messaggi, nessun_errore, pulsante, scrivi_data, vai_al_passo, versione

from cer_docs.services import archivio

CODICE = "cer-colline-sieve"


def apri(at, codice: str = CODICE, passo: str = "comunita"):
    at.query_params["pratica"] = codice
    at.query_params["passo"] = passo
    at.run()
    at.switch_page("pagine/procedura.py").run()
    nessun_errore(at)
    return at


def test_codice_fiscale_sbagliato_nella_tabella_dei_membri(app, riferimento):
    apri(app, passo="soggetti")
    prima = versione(CODICE)
    app.session_state[chiave(CODICE, "tabella-soggetti")] = {
        "edited_rows": {1: {"codice_fiscale": "RSSMRA75D12D612X"}},          # Mario Rossi, seconda riga
        "added_rows": [{"tipo": "persona_fisica", "nome": "Lucia", "cognome": "Neri", "cap": "501",
                        "provincia": "ZZ"}],
        "deleted_rows": [],
    }
    pulsante(app, "Salva e continua").click().run()
    errori = " ".join(messaggi(app))
    assert "Riga 2 (Mario Rossi), codice fiscale: il carattere di controllo" in errori
    assert "Riga 8 (Lucia Neri), CAP: il CAP '501' deve avere 5 cifre" in errori
    assert "Riga 8 (Lucia Neri), provincia: 'ZZ' non è la sigla di una provincia italiana" in errori
    assert "Non salvato" in errori
    assert app.radio(key="passo").value == "soggetti"          # si resta al passo
    assert versione(CODICE) == prima                              # nulla è stato salvato
    assert archivio.apri(CODICE).pratica.soggetto("rossi-mario").codice_fiscale == "RSSMRA75D12D612N"


def test_riparto_che_non_fa_cento(app, riferimento):
    apri(app, passo="statuto")
    prima = versione(CODICE)
    app.text_input(key=chiave(CODICE, "st-riparto-consumatori")).input("33")
    pulsante(app, "Salva e continua").click().run()
    errori = " ".join(messaggi(app))
    assert "Ripartizione dei benefici: le quote sommano a 95%, ma devono fare 100%: mancano 5%" in errori
    assert app.radio(key="passo").value == "statuto"
    assert versione(CODICE) == prima
    assert archivio.apri(CODICE).pratica.comunita.riparto_benefici.consumatori == 38


def test_pod_su_altra_cabina_nel_riepilogo_porta_alle_configurazioni(app, riferimento):
    apri(app, passo="configurazioni")
    app.session_state[chiave(CODICE, "tabella-punti-0")] = {
        "edited_rows": {2: {"cabina_primaria": "AC001E00999"}}, "added_rows": [], "deleted_rows": []}
    pulsante(app, "Salva e continua").click().run()
    nessun_errore(app)                  # il formato è giusto: si salva, la regola lo segnala nel riepilogo
    assert app.radio(key="passo").value == "impianti"
    pc = archivio.apri(CODICE).pratica.configurazioni[0].punti_connessione[2]
    assert pc.cabina_primaria == "AC001E00999"

    vai_al_passo(app, "riepilogo")
    # un errore; gli avvisi chiedono l'accordo di concessione PNRR (dal 20/02/2026, DL 19/2026 art. 27) e
    # segnalano il corrispettivo di recesso PNRR «dopo» il vincolo, che non è proporzionato, e la parrocchia
    # rappresentata da chi non è parroco (ECCLESIASTICO_RAPPRESENTANTE)
    assert conteggi(app) == (1, 3, 1)
    testo = " ".join(m.value for m in app.markdown)
    assert "IT001E00112235" in testo and "AC001E00999" in testo
    assert any("D.lgs. 199/2021" in c.value or "199/2021" in c.value for c in app.caption)
    pulsante(app, "Correggi in «Configurazioni»").click().run()
    assert app.radio(key="passo").value == "configurazioni"
    assert app.query_params["passo"] == "configurazioni"


def test_dati_sbagliati_al_passo_comunita_non_salvano(app, riferimento):
    apri(app)
    prima = versione(CODICE)
    app.text_input(key=chiave(CODICE, "com-cf")).input("12345")
    app.text_input(key=chiave(CODICE, "com-provincia")).input("XY")
    pulsante(app, "Salva e continua").click().run()
    errori = " ".join(messaggi(app))
    assert "Codice fiscale della comunità: il codice fiscale di un ente" in errori
    assert "Provincia della sede: 'XY' non è la sigla" in errori
    assert versione(CODICE) == prima


def test_conflitto_di_modifica_spiegato_e_ricaricabile(app, riferimento, monkeypatch):
    monkeypatch.setenv("CER_DOCS_AUTORE", "Marco")
    apri(app)
    # nel frattempo un'altra persona salva la stessa pratica
    aperta = archivio.apri(CODICE)
    altra = aperta.pratica.model_copy(deep=True)
    altra.comunita.sigla = "CER Sieve (Anna)"
    archivio.salva(CODICE, altra, aperta.versione, autore="Anna Verdi", descrizione="sigla")

    app.run()
    avvisi = " ".join(messaggi(app, "warning"))
    assert "modificata da Anna Verdi" in avvisi
    app.text_input(key=f"com-sigla-v{aperta.versione}").input("CER Sieve (Marco)")
    pulsante(app, "Salva e continua").click().run()
    errori = " ".join(messaggi(app))
    assert "modificata da Anna Verdi il " in errori and "Le tue modifiche a questo passo non sono state scritte" in errori
    assert re.search(r"il \d{1,2}°? [a-z]+ \d{4}, ore \d\d:\d\d", errori)
    assert archivio.apri(CODICE).pratica.comunita.sigla == "CER Sieve (Anna)"     # nulla sovrascritto

    pulsante(app, "Ricarica la pratica").click().run()
    nessun_errore(app)
    assert not any("modificata da" in w for w in messaggi(app, "warning"))
    assert app.text_input(key=chiave(CODICE, "com-sigla")).value == "CER Sieve (Anna)"
    app.text_input(key=chiave(CODICE, "com-sigla")).input("CER Sieve (Marco)")
    pulsante(app, "Salva e continua").click().run()
    nessun_errore(app)
    assert archivio.apri(CODICE).pratica.comunita.sigla == "CER Sieve (Marco)"
    assert archivio.eventi(CODICE)[-1].autore == "Marco"


def test_un_link_riapre_la_pratica_al_passo(app, riferimento):
    apri(app, passo="statuto")
    assert app.header[0].value == riferimento.pratica.denominazione
    assert app.radio(key="passo").value == "statuto"
    assert app.query_params["pratica"] == CODICE


def test_nulla_si_perde_tra_un_passo_e_l_altro_e_tra_le_sessioni(app, riferimento):
    apri(app, passo="comunita")
    app.text_input(key=chiave(CODICE, "com-sigla")).input("CER Sieve")
    pulsante(app, "Salva e continua").click().run()
    # una nuova sessione (browser chiuso e riaperto) con lo stesso link
    from streamlit.testing.v1 import AppTest
    from guida_ui import APP

    nuova = AppTest.from_file(str(APP), default_timeout=60)
    apri(nuova, passo="comunita")
    assert nuova.text_input(key=chiave(CODICE, "com-sigla")).value == "CER Sieve"


def test_riepilogo_senza_rilievi_e_positivo(app):
    archivio.importa_file(CAMPIONI / "auc-condominio-aurora.yaml")
    apri(app, "auc-condominio-aurora", "riepilogo")
    assert any("Nessun rilievo" in s for s in messaggi(app, "success"))
    pulsante(app, "Vai ai documenti").click().run()
    assert app.radio(key="passo").value == "documenti"


def test_importazione_csv_dei_membri_scarta_solo_le_righe_sbagliate(app, riferimento):
    apri(app, passo="soggetti")
    csv = ("nome;cognome;codice fiscale;data di nascita;comune;provincia;ruolo\n"
           "Lucia;Neri;NRELCU80A41D612A;01/01/1980;San Godenzo;FI;consumatore\n"
           "Piero;Sarti;SRTPRI70A01D612X;01/01/1970;San Godenzo;FI;consumatore\n"
           "Carla;Bini;BNICRL85M50D612V;10/08/1985;San Godenzo;FI;prosumer\n").encode("utf-8")
    app.file_uploader(key=chiave(CODICE, "importa-soggetti")).set_value(("soci.csv", csv, "text/csv"))
    app.run()
    avvisi = " ".join(messaggi(app, "warning"))
    assert "1 riga scartata" in avvisi          # al singolare (non «1 righe»)
    assert "Riga 3 (Piero Sarti), codice fiscale: il carattere di controllo" in avvisi
    pulsante(app, "Aggiungi 2 soggetti alla pratica").click().run()
    nessun_errore(app)
    p = archivio.apri(CODICE).pratica
    nomi = {s.nome_completo for s in p.soggetti}
    assert {"Lucia Neri", "Carla Bini"} <= nomi and "Piero Sarti" not in nomi
    assert len(p.soggetti) == 9 and len(p.membri) == 8


def test_verifiche_correggi_porta_alla_procedura(app, riferimento):
    aperta = archivio.apri(CODICE)
    p = aperta.pratica.model_copy(deep=True)
    p.configurazioni[0].punti_connessione[2].cabina_primaria = "AC001E00999"
    archivio.salva(CODICE, p, aperta.versione)
    app.query_params["pratica"] = CODICE
    app.run()
    app.switch_page("pagine/verifiche.py").run()
    assert not app.exception
    assert conteggi(app)[0] == 1
    assert "C’è 1 errore" in messaggi(app)[0]
    pulsante(app, "Correggi in «Configurazioni»").click().run()
    nessun_errore(app)
    assert app.radio(key="passo").value == "configurazioni"
    assert app.header[0].value == p.denominazione


def test_verifica_a_una_data_non_coperta(app, riferimento):
    import datetime as dt

    app.query_params["pratica"] = CODICE
    app.run()
    app.switch_page("pagine/verifiche.py").run()
    scrivi_data(app, "verifica-al", dt.date(2020, 1, 1)).run()
    assert any("24/01/2024" in e for e in messaggi(app))
    assert not app.exception

