"""Dalla prova di un promotore: il modulo del contributo PNRR dice al salvataggio quale campo è sbagliato
(CUP con la lettera O al posto dello zero, fine dei lavori prima dell'avvio); la pagina Verifiche dice che
le modifiche non salvate non sono verificate; «Correggi» fa scorrere la pagina fino al campo."""

from __future__ import annotations

import datetime as dt

from guida_ui import apri_passo as apri, chiave, messaggi, nessun_errore, pulsante, scrivi_data, vai_al_passo, versione

from cer_docs.services import archivio

CODICE = "cer-colline-sieve"


def _contributo_cantina(at):
    apri(at, passo="impianti")
    at.selectbox(key="pnrr-impianto-0").set_value("fv-cantina").run()
    return lambda n: chiave(CODICE, f"pnrr-0-fv-cantina-{n}")


def _cantina():
    return next(i for _p, _c, i in archivio.apri(CODICE).pratica.impianti() if i.id == "fv-cantina").contributo_pnrr


def _script_della_pagina(at) -> str:
    return " ".join(e.proto.srcdoc for e in at.get("iframe"))


# --------------------------------------------------------------------------- contributo PNRR al salvataggio

def test_cup_con_la_o_al_posto_dello_zero_si_salva_e_lo_dice_accanto_al_pulsante(app, riferimento):
    k = _contributo_cantina(app)
    prima = versione(CODICE)
    app.text_input(key=k("cup")).input("J81B25OO0340006")
    pulsante(app, "Salva il contributo PNRR").click().run()
    nessun_errore(app)
    # la gravità è quella della regola (ID_CUP, un avviso): si salva, e si dice che cosa ricontrollare
    assert versione(CODICE) == prima + 1
    assert _cantina().cup == "J81B25OO0340006"
    avvisi = [m for m in messaggi(app, "warning") if m.startswith("**Salvato, ma ricontrolla questo dato.**")]
    atteso = ("CUP: il CUP 'J81B25OO0340006' contiene la lettera O alle posizioni 7 e 8, dove il CUP ha una cifra "
              "(15 caratteri: lettera, 2 cifre, lettera, 11 cifre): usa lo zero al posto della O, cioè "
              "'J81B25000340006'")
    # in cima al passo e accanto al pulsante (in cima è fuori vista)
    assert len(avvisi) == 2 and all(atteso in m for m in avvisi), messaggi(app, "warning")
    assert app.radio(key="passo").value == "impianti"
    # lo stesso controllo, con le stesse parole, nel riepilogo
    vai_al_passo(app, "riepilogo")
    assert any("contiene la lettera O alle posizioni 7 e 8" in m.value for m in app.markdown)
    # corretto il CUP, l'avviso non c'è più
    vai_al_passo(app, "impianti")
    app.selectbox(key="pnrr-impianto-0").set_value("fv-cantina").run()
    app.text_input(key=k("cup")).input("J81B25000340006")
    pulsante(app, "Salva il contributo PNRR").click().run()
    nessun_errore(app)
    assert not [m for m in messaggi(app, "warning") if "ricontrolla" in m]
    assert _cantina().cup == "J81B25000340006"


def test_fine_dei_lavori_prima_dell_avvio_non_si_salva_e_lo_dice_accanto_al_pulsante(app, riferimento):
    k = _contributo_cantina(app)
    prima = versione(CODICE)
    scrivi_data(app, k("fine"), dt.date(2026, 5, 29))      # l'avvio è il 3 giugno 2026
    pulsante(app, "Salva il contributo PNRR").click().run()
    errori = messaggi(app)
    atteso = ("Data di fine dei lavori: la fine dei lavori (29/05/2026) viene prima del loro avvio (03/06/2026): "
              "correggi «Avvio dei lavori» o «Fine dei lavori»")
    assert len(errori) == 2 and all("Non salvato" in e and atteso in e for e in errori), errori
    assert versione(CODICE) == prima                              # la regola è un errore: nulla si salva
    assert _cantina().data_fine_lavori == dt.date(2026, 6, 29)
    assert app.text_input(key=k("fine")).value == "29/05/2026"   # ciò che si è scritto resta
    scrivi_data(app, k("avvio"), dt.date(2026, 5, 4))
    pulsante(app, "Salva il contributo PNRR").click().run()
    nessun_errore(app)
    c = _cantina()
    assert (c.data_avvio_lavori, c.data_fine_lavori) == (dt.date(2026, 5, 4), dt.date(2026, 5, 29))


# --------------------------------------------------------------------------- Verifiche con modifiche non salvate

def test_verifiche_dice_quali_passi_hanno_modifiche_non_salvate(app, riferimento):
    apri(app, passo="statuto")
    app.switch_page("pagine/verifiche.py").run()
    nessun_errore(app)
    assert not [m for m in messaggi(app, "warning") if "non salvate" in m]       # nessuna bozza, niente avviso
    app.switch_page("pagine/procedura.py").run()
    app.text_input(key=chiave(CODICE, "st-durata")).input("fino al 2060").run()
    vai_al_passo(app, "impianti")
    k = lambda n: chiave(CODICE, f"pnrr-0-fv-cantina-{n}")  # noqa: E731
    app.selectbox(key="pnrr-impianto-0").set_value("fv-cantina").run()
    app.text_input(key=k("cig")).input("Z9Z9Z9Z9Z9").run()
    app.switch_page("pagine/verifiche.py").run()
    nessun_errore(app)
    avvisi = [m for m in messaggi(app, "warning") if "non salvate" in m]
    assert avvisi == ["**Hai modifiche non salvate nei passi «Impianti», «Statuto e riparto»**: le verifiche "
                      f"riguardano la versione salvata (la {versione(CODICE)}). Salvale per verificarle."], avvisi
    pulsante(app, "Vai a «Statuto e riparto»").click().run()
    nessun_errore(app)
    assert app.radio(key="passo").value == "statuto"
    assert app.text_input(key=chiave(CODICE, "st-durata")).value == "fino al 2060"   # la bozza è lì
    # anche il riepilogo e la pagina Documenti lavorano sulla versione salvata, e lo dicono
    app.switch_page("pagine/procedura.py").run()       # AppTest: la pagina aperta dallo script
    vai_al_passo(app, "riepilogo")
    assert any(m.startswith("**Hai modifiche non salvate nei passi «Impianti», «Statuto e riparto»**: il riepilogo")
               for m in messaggi(app, "warning")), messaggi(app, "warning")
    app.switch_page("pagine/documenti.py").run()
    nessun_errore(app)
    assert any("i documenti si generano dalla versione salvata" in m for m in messaggi(app, "warning"))


# --------------------------------------------------------------------------- «Correggi» porta al campo

def test_correggi_fa_scorrere_fino_al_campo_dello_statuto(app, riferimento):
    apri(app, passo="riepilogo")
    assert "st-key" not in _script_della_pagina(app)
    pulsante(app, "Correggi in «Statuto e riparto»").click().run()
    nessun_errore(app)
    assert app.radio(key="passo").value == "statuto"
    assert any("Da correggere: «Quota da restituire dopo (%)»" in m for m in messaggi(app, "info"))
    script = _script_della_pagina(app)
    assert f'"st-key-{chiave(CODICE, "st-pnrr-dopo")}"' in script and "scrollIntoView" in script
    # una volta sola: la riesecuzione dopo un clic sul passo non riporta la pagina al campo
    app.run()
    assert "scrollIntoView" not in _script_della_pagina(app)


def test_correggi_dalle_verifiche_porta_al_campo_del_contributo_pnrr(app, riferimento):
    aperta = archivio.apri(CODICE)
    p = aperta.pratica.model_copy(deep=True)
    cantina = next(i for _p, _c, i in p.impianti() if i.id == "fv-cantina")
    cantina.contributo_pnrr.data_fine_lavori = dt.date(2026, 5, 29)     # prima dell'avvio (3 giugno)
    archivio.salva(CODICE, p, aperta.versione)
    app.query_params["pratica"] = CODICE
    app.run()
    app.switch_page("pagine/verifiche.py").run()
    assert any("viene prima del loro avvio" in m.value for m in app.markdown)
    pulsante(app, "Correggi in «Impianti»").click().run()           # il primo: l'errore
    nessun_errore(app)
    assert app.radio(key="passo").value == "impianti"
    assert app.selectbox(key="pnrr-impianto-0").value == "fv-cantina"
    assert any("Da correggere: «Fine dei lavori»" in m for m in messaggi(app, "info"))
    assert f'"st-key-{chiave(CODICE, "pnrr-0-fv-cantina-fine")}"' in _script_della_pagina(app)


def test_l_indicazione_del_correggi_sparisce_quando_il_passo_si_salva(app, riferimento):
    """«Da correggere: «CUP».» resta finché si sta sul passo; corretto e salvato il CUP (si resta sul passo, il
    contributo PNRR non va avanti da sé), l'indicazione non c'è più."""
    aperta = archivio.apri(CODICE)
    p = aperta.pratica.model_copy(deep=True)
    next(i for _p, _c, i in p.impianti() if i.id == "fv-cantina").contributo_pnrr.cup = "J81B25OO0340006"
    archivio.salva(CODICE, p, aperta.versione)
    app.query_params["pratica"] = CODICE
    app.run()
    app.switch_page("pagine/verifiche.py").run()
    pulsanti = [b for b in app.button if b.label == "Correggi in «Impianti»"]
    for b in pulsanti:      # quello del CUP
        app.switch_page("pagine/verifiche.py").run()
        [x for x in app.button if x.key == b.key][0].click().run()
        if "Da correggere: «CUP»." in messaggi(app, "info"):
            break
    else:
        raise AssertionError("nessun «Correggi» porta al CUP")
    nessun_errore(app)
    app.switch_page("pagine/procedura.py").run()                     # AppTest: la pagina aperta dallo script
    assert "Da correggere: «CUP»." in messaggi(app, "info")         # resta mentre si corregge
    app.text_input(key=chiave(CODICE, "pnrr-0-fv-cantina-cup")).input("J81B25000340006")
    pulsante(app, "Salva il contributo PNRR").click().run()
    nessun_errore(app)
    assert _cantina().cup == "J81B25000340006"
    assert app.radio(key="passo").value == "impianti"
    assert not any(m.startswith("Da correggere") for m in messaggi(app, "info")), messaggi(app, "info")


def test_correggi_su_una_parte_intera_mostra_il_suo_primo_campo(app, riferimento):
    apri(app, passo="riepilogo")
    # l'accordo di concessione della cantina manca: il rilievo nomina la parte, la pagina va al suo primo campo
    pulsante(app, "Correggi in «Impianti»").click().run()
    nessun_errore(app)
    assert app.selectbox(key="pnrr-impianto-0").value == "fv-cantina"
    assert f'"st-key-{chiave(CODICE, "pnrr-0-fv-cantina-acc-estremi")}"' in _script_della_pagina(app)


def test_correggi_verso_una_colonna_mostra_la_tabella(app, riferimento):
    aperta = archivio.apri(CODICE)
    p = aperta.pratica.model_copy(deep=True)
    p.configurazioni[0].punti_connessione[2].cabina_primaria = "AC001E00999"
    archivio.salva(CODICE, p, aperta.versione)
    app.query_params["pratica"] = CODICE
    app.query_params["passo"] = "riepilogo"
    app.run()
    app.switch_page("pagine/procedura.py").run()
    pulsante(app, "Correggi in «Configurazioni»").click().run()
    nessun_errore(app)
    assert app.radio(key="passo").value == "configurazioni"
    assert f'"st-key-{chiave(CODICE, "tabella-punti-0")}"' in _script_della_pagina(app)
