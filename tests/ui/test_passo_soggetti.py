"""Il passo «Soggetti e membri» generato dal catalogo: date della tabella all'italiana in ogni browser,
il pannello «Dettagli di un soggetto» che resta aperto mentre lo si compila."""

from __future__ import annotations

import datetime as dt

from guida_ui import chiave, messaggi, nessun_errore, pulsante, versione

from cer_docs.services import archivio
from ui.passi import soggetti as passo

CODICE = "cer-colline-sieve"


def apri(at):
    at.query_params["pratica"] = CODICE
    at.query_params["passo"] = "soggetti"
    at.run()
    at.switch_page("pagine/procedura.py").run()
    nessun_errore(at)
    return at


def _tabella(at):
    return next(df for df in at.dataframe if "data_adesione" in df.value.columns).value


def test_le_date_della_tabella_sono_testo_italiano_e_si_leggono_all_italiana(app, riferimento):
    """Un calendario della tabella segue la lingua del browser (in inglese «10/03/2025» è il 3 ottobre):
    la tabella mostra e legge le date come testo GG/MM/AAAA, lo stesso ovunque."""
    apri(app)
    df = _tabella(app)
    mario = df.index[df["nome"] == "Mario"][0]
    adesione = riferimento.pratica.membri[[m.soggetto for m in riferimento.pratica.membri].index("rossi-mario")]
    assert df.loc[mario, "data_adesione"] == adesione.data_adesione.strftime("%d/%m/%Y")
    riga = list(df.index).index(mario)
    app.session_state[chiave(CODICE, "tabella-soggetti")] = {
        "edited_rows": {riga: {"data_adesione": "10/03/2025"}}, "added_rows": [], "deleted_rows": []}
    pulsante(app, "Salva e continua").click().run()
    nessun_errore(app)
    p = archivio.apri(CODICE).pratica
    assert next(m for m in p.membri if m.soggetto == "rossi-mario").data_adesione == dt.date(2025, 3, 10)


def test_una_data_che_non_si_legge_nomina_riga_e_colonna(app, riferimento):
    apri(app)
    prima = versione(CODICE)
    riga = list(_tabella(app)["nome"]).index("Mario")
    app.session_state[chiave(CODICE, "tabella-soggetti")] = {
        "edited_rows": {riga: {"data_adesione": "31/02/2025", "nato_il": "3/10/25"}}, "added_rows": [],
        "deleted_rows": []}
    pulsante(app, "Salva e continua").click().run()
    errori = " ".join(messaggi(app))
    assert f"Riga {riga + 1} (Mario Rossi), data di adesione: '31/02/2025' non esiste: febbraio 2025 ha 28 " \
           "giorni" in errori
    assert f"Riga {riga + 1} (Mario Rossi), data di nascita: '3/10/25' ha l'anno con due cifre" in errori
    assert versione(CODICE) == prima


def test_i_dettagli_di_un_soggetto_restano_aperti_mentre_si_compilano(app, riferimento):
    apri(app)
    app.session_state[passo.CHIAVE_DETTAGLIO_APERTO] = True          # l'utente apre il pannello
    app.run()
    app.selectbox(key="dettaglio-soggetto").set_value("il-poggio").run()
    k = lambda n: chiave(CODICE, f"det-il-poggio-{n}")  # noqa: E731
    for nome, valore in (("pec", "poggio@pec.example.it"), ("telefono", "055 123456"), ("rapp-carica", "Socio")):
        app.text_input(key=k(nome)).input(valore).run()
        nessun_errore(app)
        pannello = next(e for e in app.expander if e.label.startswith("Dettagli di un soggetto"))
        assert pannello.proto.expanded, f"il pannello si è chiuso dopo aver scritto «{nome}»"
    pulsante(app, "Salva i dettagli").click().run()
    nessun_errore(app)
    assert next(e for e in app.expander if e.label.startswith("Dettagli di un soggetto")).proto.expanded
    assert app.selectbox(key="dettaglio-soggetto").value == "il-poggio"
    s = archivio.apri(CODICE).pratica.soggetto("il-poggio")
    assert (s.pec, s.telefono, s.rappresentante.carica) == ("poggio@pec.example.it", "055 123456", "Socio")


def test_chiuso_e_riaperto_il_pannello_ricorda_il_soggetto_scelto(app, riferimento):
    apri(app)
    app.session_state[passo.CHIAVE_DETTAGLIO_APERTO] = True
    app.run()
    app.selectbox(key="dettaglio-soggetto").set_value("il-poggio").run()
    app.session_state[passo.CHIAVE_DETTAGLIO_APERTO] = False           # chiuso: il pannello non disegna nulla
    app.run()
    assert not any(s.key == "dettaglio-soggetto" for s in app.selectbox)
    app.session_state[passo.CHIAVE_DETTAGLIO_APERTO] = True
    app.run()
    nessun_errore(app)
    assert app.selectbox(key="dettaglio-soggetto").value == "il-poggio"


def test_un_errore_nei_dettagli_si_vede_accanto_al_pulsante(app, riferimento):
    apri(app)
    app.session_state[passo.CHIAVE_DETTAGLIO_APERTO] = True
    app.run()
    app.selectbox(key="dettaglio-soggetto").set_value("il-poggio").run()
    app.text_input(key=chiave(CODICE, "det-il-poggio-rapp-cf")).input("RSSMRA75D12D612X").run()
    pulsante(app, "Salva i dettagli").click().run()
    # in cima al passo e nel pannello, dove l'utente ha premuto il pulsante
    dentro = [e for e in next(x for x in app.expander if x.label.startswith("Dettagli di un soggetto")).error]
    assert any("codice fiscale del rappresentante" in e.value.lower() for e in dentro), [e.value for e in dentro]
