"""Prova in un browser vero (Chromium di Debian, Playwright): ogni pagina si apre senza errori e
si salvano le schermate a larghezza da computer (1366×900) e da telefono (390×844).

Le schermate finiscono in una cartella temporanea, o in ``CER_DOCS_SCHERMATE`` se indicata.
Server, browser e attese: ``browser_comune.py`` e ``conftest.py``.
"""

from __future__ import annotations

import pytest
from browser_comune import LARGHEZZE, SEGNI_BROWSER
from browser_comune import attendi as _attendi
from browser_comune import controlla_e_fotografa as _controlla_e_fotografa

pytestmark = SEGNI_BROWSER


VISITE = [
    # (nome, percorso, testo che deve comparire)
    ("procedura-1-comunita", "/procedura?pratica=cer-colline-sieve&passo=comunita", "Atto costitutivo"),
    ("procedura-2-soggetti", "/procedura?pratica=cer-colline-sieve&passo=soggetti", "Importa soggetti"),
    ("procedura-3-configurazioni", "/procedura?pratica=cer-colline-sieve&passo=configurazioni",
     "Punti di connessione"),
    ("procedura-4-impianti", "/procedura?pratica=cer-colline-sieve&passo=impianti", "Un impianto per riga"),
    ("procedura-5-referente", "/procedura?pratica=cer-colline-sieve&passo=referente", "Mandato al referente"),
    ("procedura-6-produttori-terzi", "/procedura?pratica=cer-colline-sieve&passo=produttori_terzi",
     "Produttori che non sono membri"),
    ("procedura-7-statuto", "/procedura?pratica=cer-colline-sieve&passo=statuto", "Ripartizione dei benefici"),
    ("procedura-8-riepilogo", "/procedura?pratica=cer-colline-sieve&passo=riepilogo", "Verifica alla data del"),
    ("procedura-9-documenti", "/procedura?pratica=cer-colline-sieve&passo=documenti", "Documenti da generare"),
    ("verifiche", "/verifiche?pratica=cer-fondazione-borgo", "Verifica alla data"),
    ("documenti", "/documenti?pratica=cer-colline-sieve", "Documenti da generare"),
    ("scadenze", "/scadenze", "Tra 61 e 90 giorni"),
    ("cronologia", "/cronologia?pratica=cer-colline-sieve", "Registra un fatto"),
    ("pnrr", "/pnrr?pratica=cer-colline-sieve", "Spesa ammissibile"),
    ("simulazione", "/simulazione?pratica=cer-colline-sieve", "Beneficio netto all'anno"),
    ("riparto", "/riparto?pratica=cer-colline-sieve", "Carica le misure del periodo"),
    ("campagne", "/campagne", "Importa una campagna"),
]


@pytest.mark.slow
@pytest.mark.parametrize("larghezza", list(LARGHEZZE))
def test_ogni_pagina_si_apre_senza_errori(server, browser, schermate, larghezza):
    w, h = LARGHEZZE[larghezza]
    contesto = browser.new_context(viewport={"width": w, "height": h}, locale="it-IT")
    pagina = contesto.new_page()
    try:
        pagina.goto(server + "/", wait_until="domcontentloaded")
        _attendi(pagina, "Pratiche")
        if pagina.get_by_text("I passi che ti aspettano").count():
            _controlla_e_fotografa(pagina, schermate, f"{larghezza}-pratiche-vuota")
            pagina.get_by_role("button", name="Apri un esempio").click()
            _attendi(pagina, "Aperta la pratica d'esempio")
            pagina.goto(server + "/", wait_until="domcontentloaded")
            _attendi(pagina, "pratiche nell'archivio")
        _controlla_e_fotografa(pagina, schermate, f"{larghezza}-pratiche")
        for nome, percorso, testo in VISITE:
            pagina.goto(server + percorso, wait_until="domcontentloaded")
            _attendi(pagina, testo)
            _controlla_e_fotografa(pagina, schermate, f"{larghezza}-{nome}")
        if larghezza == "computer":
            # una generazione vera (bozza), con anteprima della prima pagina
            pagina.goto(server + "/documenti?pratica=cer-fondazione-borgo", wait_until="domcontentloaded")
            _attendi(pagina, "Documenti da generare")
            pagina.get_by_role("button", name="Genera i documenti").click()
            _attendi(pagina, "Prima pagina di")
            _controlla_e_fotografa(pagina, schermate, f"{larghezza}-documenti-generati")
    finally:
        contesto.close()
    assert len(list(schermate.glob(f"{larghezza}-*.png"))) >= len(VISITE) + 1
