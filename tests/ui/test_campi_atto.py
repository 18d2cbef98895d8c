"""I dati che l'atto costitutivo notarile chiede (issue 11) si compilano nella procedura guidata:
sesso e poteri di firma del rappresentante di un ente, cittadinanza e sesso di una persona, dati
del notaio (solo per le forme notarili), luogo di firma del mandato e dell'accordo con il produttore terzo."""

from __future__ import annotations

import datetime as dt

from guida_ui import apri_passo as apri, chiave, dettaglio_soggetto, nessun_errore, pulsante, scrivi_data, vai_al_passo

from cer_docs.services import archivio

CODICE = "cer-colline-sieve"


def test_rappresentante_poteri_e_notaio_finiscono_nella_pratica_salvata(app, riferimento):
    apri(app, "soggetti")
    dettaglio_soggetto(app, "comune-san-godenzo")
    k = lambda n: chiave(CODICE, f"det-comune-san-godenzo-{n}")  # noqa: E731
    sesso = app.selectbox(key=k("rapp-sesso"))
    assert sesso.value is None and sesso.format_func(None) == "Ricavato dal codice fiscale"
    sesso.set_value("F")
    app.text_input(key=k("rapp-poteri-fonte")).input("deliberazione del Consiglio comunale")
    app.text_input(key=k("rapp-poteri-atto")).input("n. 42")
    scrivi_data(app, k("rapp-poteri-data"), dt.date(2026, 3, 12))
    pulsante(app, "Salva i dettagli").click().run()
    nessun_errore(app)

    # la persona: sesso e cittadinanza
    dettaglio_soggetto(app, "rossi-mario")
    kp = lambda n: chiave(CODICE, f"det-rossi-mario-{n}")  # noqa: E731
    app.selectbox(key=kp("sesso")).set_value("M")
    app.text_input(key=kp("cittadinanza")).input("italiana")
    pulsante(app, "Salva i dettagli").click().run()
    nessun_errore(app)

    # il notaio compare solo quando l'atto è notarile
    vai_al_passo(app, "comunita")
    kc = lambda n: chiave(CODICE, n)  # noqa: E731
    assert not [t for t in app.text_input if t.key == kc("com-notaio-sede")]
    app.selectbox(key=kc("com-atto-forma")).set_value("atto_pubblico").run()
    app.text_input(key=kc("com-notaio")).input("Federica Landini")
    app.selectbox(key=kc("com-notaio-sesso")).set_value("F")
    app.text_input(key=kc("com-notaio-sede")).input("Bibbiena")
    app.text_input(key=kc("com-notaio-distretto")).input("Arezzo")
    app.text_input(key=kc("com-notaio-raccolta")).input("9912")
    app.text_input(key=kc("com-repertorio")).input("18437")
    pulsante(app, "Salva e continua").click().run()
    nessun_errore(app)

    p = archivio.apri(CODICE).pratica
    rap = p.soggetto("comune-san-godenzo").rappresentante
    assert rap.sesso == "F"
    assert (rap.poteri.fonte, rap.poteri.atto, rap.poteri.data) == (
        "deliberazione del Consiglio comunale", "n. 42", dt.date(2026, 3, 12))
    assert rap.nome == riferimento.pratica.soggetto("comune-san-godenzo").rappresentante.nome  # il resto resta
    mario = p.soggetto("rossi-mario")
    assert (mario.sesso, mario.cittadinanza) == ("M", "italiana")
    atto = p.comunita.atto_costitutivo
    n = atto.dati_notaio
    assert (atto.forma, n.nome_completo, n.sesso, n.sede, n.distretto, n.raccolta) == (
        "atto_pubblico", "Federica Landini", "F", "Bibbiena", "Arezzo", "9912")
    assert (n.repertorio or atto.repertorio) == "18437"


def test_luogo_del_mandato_e_dell_accordo(app, riferimento):
    apri(app, "referente")
    app.text_input(key=chiave(CODICE, "ref-0-mandato-luogo")).input("San Godenzo")
    pulsante(app, "Salva e continua").click().run()
    nessun_errore(app)
    assert app.radio(key="passo").value == "produttori_terzi"
    app.session_state[chiave(CODICE, "tabella-terzi")] = {
        "edited_rows": {0: {"luogo_accordo": "Dicomano"}}, "added_rows": [], "deleted_rows": []}
    pulsante(app, "Salva e continua").click().run()
    nessun_errore(app)
    p = archivio.apri(CODICE).pratica
    assert p.configurazioni[0].referente.mandato.luogo_firma == "San Godenzo"
    assert p.produttori_terzi[0].luogo_accordo == "Dicomano"
