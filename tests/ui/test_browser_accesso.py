"""Il login dell'app dell'ufficio in modalità server, in un browser vero a 390 px (telefono):
prima dell'accesso nessun dato, dopo solo la pratica condivisa. Chromium di Debian, mai
``playwright install``."""

from __future__ import annotations

import subprocess
import sys

import pytest
from browser_comune import RADICE, SEGNI_BROWSER, ambiente, avvia_streamlit
from browser_comune import attendi as _attendi
from browser_comune import controlla_e_fotografa as _controlla_e_fotografa

pytestmark = SEGNI_BROWSER
PW = "cavallo batteria graffetta"


@pytest.fixture(scope="module")
def server_ufficio(tmp_path_factory):
    dati = tmp_path_factory.mktemp("dati-server")
    env = ambiente(dati)
    cli = [sys.executable, "-m", "cer_docs"]
    for args, ingresso in (
            (["importa", str(RADICE / "samples" / "pratica-esempio.yaml")], None),
            (["importa", str(RADICE / "samples" / "cer-fondazione-borgo.yaml")], None),
            (["utente", "crea", "amm", "--nome", "Alba Amministratrice", "--amministratore", "--password-stdin"], PW),
            (["utente", "crea", "bruno", "--nome", "Bruno Bianchi", "--password-stdin"], PW),
            (["utente", "ruolo", "bruno", "revisore", "--pratica", "cer-colline-sieve"], None)):
        subprocess.run(cli + args, input=(ingresso + "\n") if ingresso else None, text=True, env=env, cwd=RADICE,
                       check=True, capture_output=True)
    env["CER_DOCS_MODALITA"] = "server"
    with avvia_streamlit(dati, env, ("--server.enableXsrfProtection", "true")) as url:
        yield url


def test_login_a_390_px(server_ufficio, browser, schermate):
    cartella = schermate
    contesto = browser.new_context(viewport={"width": 390, "height": 844}, locale="it-IT")
    pagina = contesto.new_page()
    try:
        pagina.goto(server_ufficio + "/?pratica=cer-colline-sieve", wait_until="domcontentloaded")
        _attendi(pagina, "Nome utente")
        testo = pagina.inner_text("body")
        assert "Colline" not in testo and "cer-colline-sieve" not in testo and "Borgo" not in testo
        # il modulo sta nella larghezza del telefono, senza scorrimento orizzontale
        assert pagina.evaluate("() => document.documentElement.scrollWidth") <= 390
        _controlla_e_fotografa(pagina, cartella, "telefono-accesso")

        pagina.get_by_role("textbox", name="Nome utente").fill("bruno")
        pagina.get_by_role("textbox", name="Password").fill("password sbagliata!!")
        pagina.get_by_role("button", name="Accedi").click()
        _attendi(pagina, "nome utente o password non corretti")
        assert "Colline" not in pagina.inner_text("body")

        pagina.get_by_role("textbox", name="Password").fill(PW)
        pagina.get_by_role("button", name="Accedi").click()
        _attendi(pagina, "1 pratica nell'archivio")
        testo = pagina.inner_text("body")
        assert "cer-fondazione-borgo" not in testo
        _controlla_e_fotografa(pagina, cartella, "telefono-dopo-accesso")
    finally:
        contesto.close()


def test_ricaricare_la_pagina_non_fa_perdere_l_accesso(server_ufficio, browser):
    """Dopo il login, ricaricare la pagina o aprirla da un segnalibro in un'altra scheda lascia dentro;
    dopo «Esci» la pagina ricaricata chiede di nuovo l'accesso (senza dire «scaduta»), e il cookie non
    porta più a nessuna sessione."""
    contesto = browser.new_context(viewport={"width": 1366, "height": 900}, locale="it-IT")
    pagina = contesto.new_page()
    try:
        pagina.goto(server_ufficio, wait_until="domcontentloaded")
        _attendi(pagina, "Nome utente")
        pagina.get_by_role("textbox", name="Nome utente").fill("bruno")
        pagina.get_by_role("textbox", name="Password").fill(PW)
        pagina.get_by_role("button", name="Accedi").click()
        _attendi(pagina, "1 pratica nell'archivio")
        pagina.wait_for_function("() => document.cookie.includes('cer_docs_sessione=')", timeout=30_000)
        cookie = [c for c in contesto.cookies() if c["name"] == "cer_docs_sessione"]
        assert cookie and cookie[0]["sameSite"] == "Strict" and cookie[0]["value"]

        pagina.reload(wait_until="domcontentloaded")
        _attendi(pagina, "1 pratica nell'archivio")
        assert "Nome utente" not in pagina.inner_text("body")

        altra = contesto.new_page()  # un segnalibro aperto in un'altra scheda
        altra.goto(server_ufficio + "/?pratica=cer-colline-sieve", wait_until="domcontentloaded")
        _attendi(altra, "Colline")
        altra.close()

        pagina.get_by_role("button", name="Esci").first.click()
        _attendi(pagina, "Nome utente")
        pagina.wait_for_function("() => !document.cookie.includes('cer_docs_sessione=')", timeout=30_000)
        pagina.reload(wait_until="domcontentloaded")
        _attendi(pagina, "Nome utente")
        testo = pagina.inner_text("body")
        assert "scaduta" not in testo and "Colline" not in testo
    finally:
        contesto.close()

    # un cookie rubato dopo l'uscita non apre nulla: la sessione è chiusa nel database
    ladro = browser.new_context(locale="it-IT")
    try:
        ladro.add_cookies([{"name": "cer_docs_sessione", "value": cookie[0]["value"], "url": server_ufficio}])
        p = ladro.new_page()
        p.goto(server_ufficio, wait_until="domcontentloaded")
        _attendi(p, "Nome utente")
        assert "Colline" not in p.inner_text("body")
    finally:
        ladro.close()


def test_segnalibro_di_una_pagina_aperto_prima_del_login_porta_al_login_e_poi_alla_pagina(server_ufficio, browser,
                                                                                        schermate):
    contesto = browser.new_context(viewport={"width": 1366, "height": 900}, locale="it-IT")
    pagina = contesto.new_page()
    try:
        pagina.goto(server_ufficio + "/cronologia?pratica=cer-colline-sieve", wait_until="domcontentloaded")
        _attendi(pagina, "Nome utente")
        testo = pagina.inner_text("body")
        # il login in italiano, non la finestra inglese di Streamlit per un indirizzo sconosciuto
        assert "Page not found" not in testo and "not found" not in testo.lower(), testo[:500]
        assert pagina.get_by_role("dialog").count() == 0
        assert "Colline" not in testo
        _controlla_e_fotografa(pagina, schermate, "computer-segnalibro-prima-del-login")
        pagina.get_by_role("textbox", name="Nome utente").fill("bruno")
        pagina.get_by_role("textbox", name="Password").fill(PW)
        pagina.get_by_role("button", name="Accedi").click()
        _attendi(pagina, "Cronologia e scadenze")
        assert "/cronologia" in pagina.url
        assert "Colline della Sieve" in pagina.inner_text("body")
        _controlla_e_fotografa(pagina, schermate, "computer-segnalibro-dopo-il-login")
    finally:
        contesto.close()
