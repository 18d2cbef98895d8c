"""Pagine «Scadenze» (cruscotto) e «Cronologia» (eventi, scadenze, fatti, calendario)."""

from __future__ import annotations

import datetime as dt

from guida_ui import CAMPIONI, messaggi, nessun_errore, pulsante, scrivi_data

from cer_docs.italiano import con_data
from cer_docs.services import archivio


def test_cruscotto_vuoto(app):
    app.run()
    app.switch_page("pagine/scadenze.py").run()
    nessun_errore(app)
    assert any("Nessuna pratica" in m for m in messaggi(app, "info"))


def test_cruscotto_con_le_pratiche_d_esempio(app):
    for f in ("pratica-esempio.yaml", "cer-valle-due-cabine.yaml"):
        archivio.importa_file(CAMPIONI / f, autore="test")
    app.run()
    app.switch_page("pagine/scadenze.py").run()
    nessun_errore(app)
    badge = " ".join(m.value for m in app.markdown)
    assert "Scadute: " in badge and "Entro 30 giorni: " in badge and "Tra 61 e 90 giorni: " in badge
    # la comunicazione di avvio lavori PNRR della cantina risulta mancata nella pratica di riferimento
    assert "Scadute: 0]" not in badge
    tabella = app.dataframe[0].value
    assert "Comunicazione al GSE dell'avvio dei lavori" in " ".join(tabella["Che cosa"])
    assert tabella["Scadenza"].str.fullmatch(r"\d{1,2}°? [a-z]+ \d{4}").all()
    assert tabella["Quando"].str.startswith("scaduta da").all()


def test_cronologia_registra_fatto_con_conferma(app):
    archivio.importa_file(CAMPIONI / "pratica-esempio.yaml", autore="test")
    app.query_params["pratica"] = "cer-colline-sieve"
    app.run()
    app.switch_page("pagine/cronologia.py").run()
    nessun_errore(app)
    assert app.dataframe, "la cronologia deve mostrare eventi e scadenze"
    # senza conferma non registra nulla
    app.selectbox(key="fatto-tipo").select("mandato_firmato")
    pulsante(app, "Registra il fatto").click().run()
    assert any("conferma" in m for m in messaggi(app, "warning"))
    assert archivio.apri("cer-colline-sieve").versione == 1
    # un fatto impossibile è rifiutato con il motivo
    app.selectbox(key="fatto-tipo").select("mandato_revocato")
    app.checkbox(key="fatto-conferma").check()
    pulsante(app, "Registra il fatto").click().run()
    assert not app.exception
    assert any("Fatto non registrato" in m for m in messaggi(app, "error"))
    assert archivio.apri("cer-colline-sieve").versione == 1


def test_cronologia_registra_un_fatto_valido(app):
    archivio.importa_file(CAMPIONI / "pratica-esempio.yaml", autore="test")
    app.query_params["pratica"] = "cer-colline-sieve"
    app.run()
    app.switch_page("pagine/cronologia.py").run()
    app.selectbox(key="fatto-tipo").select("avvio_lavori").run()
    riferito = app.selectbox(key="fatto-oggetto-avvio_lavori")
    # l'utente sceglie per nome, non per id interno
    assert "Impianto: Fotovoltaico sul tetto del Municipio · " in " ".join(riferito.options)
    assert not any("fv-municipio" in o for o in riferito.options)
    riferito.set_value("configurazioni[0].impianti[0]")
    scrivi_data(app, "fatto-data", dt.date(2026, 10, 1))
    app.checkbox(key="fatto-conferma").check()
    pulsante(app, "Registra il fatto").click().run()
    nessun_errore(app)
    aperta = archivio.apri("cer-colline-sieve")
    assert aperta.versione == 2
    assert any(e.tipo == "avvio_lavori" for e in aperta.pratica.eventi)
    assert any("Fatto registrato" in m for m in messaggi(app, "success"))
    evento = next(e for e in aperta.pratica.eventi if e.tipo == "avvio_lavori")
    assert evento.oggetto == "configurazioni[0].impianti[0]"
    # nella cronologia il fatto è riferito all'impianto per nome
    tabella = app.dataframe[0].value
    assert "Fotovoltaico sul tetto del Municipio" in " ".join(tabella["Riferito a"])
    # il modulo riparte vuoto: la conferma non resta spuntata, pronta per registrare due volte lo stesso fatto
    assert app.checkbox(key="fatto-conferma").value is False
    assert app.text_area(key="fatto-nota").value == ""


def test_cronologia_annulla_un_fatto_con_conferma_e_lo_mostra_barrato(app):
    from cer_docs.services import scadenze as svc

    archivio.importa_file(CAMPIONI / "pratica-esempio.yaml", autore="test")
    svc.registra_fatto("cer-colline-sieve", "mandato_firmato", dt.date(2026, 3, 1), autore="Anna")
    app.query_params["pratica"] = "cer-colline-sieve"
    app.run()
    app.switch_page("pagine/cronologia.py").run()
    nessun_errore(app)
    scelta = app.selectbox(key="annulla-fatto")
    assert any("1° marzo 2026 – Firma del mandato" in o for o in scelta.options)
    scelta.set_value(0).run()
    # senza conferma il pulsante non agisce
    assert pulsante(app, "Annulla il fatto").disabled
    app.text_area(key="annulla-motivo").input("mandato firmato da un'altra CER")
    app.checkbox(key="annulla-conferma").check().run()
    pulsante(app, "Annulla il fatto").click().run()
    nessun_errore(app)
    aperta = archivio.apri("cer-colline-sieve")
    assert aperta.versione == 3 and [e.tipo for e in aperta.pratica.eventi] == ["mandato_firmato", "annullamento"]
    assert aperta.pratica.configurazioni[0].referente.mandato.data_firma is None
    assert any("Fatto annullato" in m for m in messaggi(app, "success"))
    tabella = app.dataframe[0].value
    riga = tabella[tabella["Tipo"] == "Evento"].iloc[0]
    oggi = svc.cronologia("cer-colline-sieve").al
    assert riga["Stato"].startswith(f"Annullato {con_data('il', oggi)} da ")
    assert riga["Stato"].endswith(": mandato firmato da un'altra CER")
    assert riga["Che cosa"].startswith(f"Annullato {con_data('il', oggi)} da ")
    assert " — Firma del mandato" in riga["Che cosa"].replace("\u0336", "")
    # il fatto annullato non si propone più; resta solo l'annullamento, che non si annulla
    assert not any(s.key == "annulla-fatto" for s in app.selectbox)


def test_cronologia_annullamento_senza_motivo_rifiutato(app):
    from cer_docs.services import scadenze as svc

    archivio.importa_file(CAMPIONI / "pratica-esempio.yaml", autore="test")
    svc.registra_fatto("cer-colline-sieve", "mandato_firmato", dt.date(2026, 3, 1))
    app.query_params["pratica"] = "cer-colline-sieve"
    app.run()
    app.switch_page("pagine/cronologia.py").run()
    app.selectbox(key="annulla-fatto").set_value(0).run()
    app.checkbox(key="annulla-conferma").check().run()
    pulsante(app, "Annulla il fatto").click().run()
    assert any("scrivi perché" in m for m in messaggi(app, "error"))
    assert archivio.apri("cer-colline-sieve").versione == 2


def test_cronologia_l_espansore_dell_annullamento_resta_aperto_con_la_scelta_dopo_un_messaggio(app):
    archivio.importa_file(CAMPIONI / "pratica-esempio.yaml", autore="test")
    app.query_params["pratica"] = "cer-colline-sieve"
    app.run()
    app.switch_page("pagine/cronologia.py").run()
    # si registra un fatto: in cima compare il messaggio «Fatto registrato»
    app.selectbox(key="fatto-tipo").select("mandato_firmato").run()
    scrivi_data(app, "fatto-data", dt.date(2026, 3, 1))
    app.checkbox(key="fatto-conferma").check()
    pulsante(app, "Registra il fatto").click().run()
    assert any("Fatto registrato" in m for m in messaggi(app, "success"))

    def espansore():
        return next(e for e in app.expander if e.label == "Annulla un fatto registrato per errore")

    posizione = espansore().proto
    # si sceglie il fatto da annullare: il messaggio sparisce, l'espansore resta aperto con la scelta
    app.selectbox(key="annulla-fatto").set_value(0).run()
    nessun_errore(app)
    assert not messaggi(app, "success")
    assert espansore().proto.expanded
    assert app.selectbox(key="annulla-fatto").value == 0
    assert posizione.label == espansore().proto.label
