"""Nel browser vero: «Correggi» dal riepilogo porta al passo «Statuto e riparto» e la pagina scorre fino
al campo da correggere (in fondo a un passo lungo), lo mette a fuoco e lo incornicia. Si salva la
schermata di ciò che si vede (non della pagina intera: deve mostrare il campo)."""

from __future__ import annotations

import pytest
from browser_comune import SEGNI_BROWSER, Esecuzioni, attendi

pytestmark = [*SEGNI_BROWSER, pytest.mark.slow]

_IN_VISTA = """(sel) => { const el = document.querySelector(sel); if (!el) return null;
  const r = el.getBoundingClientRect();
  return {top: r.top, bottom: r.bottom, alto: window.innerHeight,
          fuoco: el.contains(document.activeElement) && document.activeElement.tagName === 'INPUT',
          cornice: el.getAttribute('data-cer-da-correggere') === '1'}; }"""


@pytest.mark.parametrize("larghezza", [(1366, 900), (390, 844)], ids=["computer", "telefono"])
def test_correggi_porta_al_campo_dello_statuto(server, browser, schermate, larghezza):
    contesto = browser.new_context(viewport={"width": larghezza[0], "height": larghezza[1]}, locale="it-IT")
    pagina = contesto.new_page()
    Esecuzioni(pagina)
    try:
        pagina.goto(server + "/", wait_until="domcontentloaded")
        attendi(pagina, "Pratiche")
        if pagina.get_by_text("I passi che ti aspettano").count():
            pagina.get_by_role("button", name="Apri un esempio").click()
            attendi(pagina, "Aperta la pratica d'esempio")
        pagina.goto(server + "/procedura?pratica=cer-colline-sieve&passo=riepilogo", wait_until="domcontentloaded")
        attendi(pagina, "Correggi in «Statuto e riparto»")
        with Esecuzioni.di(pagina).dopo():
            pagina.get_by_role("button", name="Correggi in «Statuto e riparto»").click()
        attendi(pagina, "Da correggere: «Quota da restituire dopo (%)»")
        selettore = "[class*='st-key-st-pnrr-dopo-v']"
        pagina.wait_for_function(f"() => {{ const el = document.querySelector(\"{selettore}\");"
                                 " if (!el) return false; const r = el.getBoundingClientRect();"
                                 " return r.top >= 0 && r.bottom <= window.innerHeight; }", timeout=15_000)
        pagina.wait_for_timeout(2500)      # le tabelle e i campi data si disegnano poco dopo: il campo resta in vista
        stato = pagina.evaluate(_IN_VISTA, selettore)
        assert stato and 0 <= stato["top"] and stato["bottom"] <= stato["alto"], stato
        assert stato["fuoco"] and stato["cornice"], stato
        # il campo in cima al passo (la prima domanda) è fuori vista: la pagina è davvero scesa
        primo = pagina.evaluate(_IN_VISTA, "[class*='st-key-st-fondatori-v']")
        assert primo and primo["bottom"] < 0, primo
        nome = f"{'computer' if larghezza[0] > 800 else 'telefono'}-correggi-statuto"
        pagina.screenshot(path=str(schermate / f"{nome}.png"))
    finally:
        contesto.close()


def test_correggi_porta_al_contributo_pnrr_sotto_la_tabella_degli_impianti(server, browser, schermate):
    contesto = browser.new_context(viewport={"width": 1366, "height": 900}, locale="it-IT")
    pagina = contesto.new_page()
    Esecuzioni(pagina)
    try:
        pagina.goto(server + "/", wait_until="domcontentloaded")
        attendi(pagina, "Pratiche")
        if pagina.get_by_text("I passi che ti aspettano").count():
            pagina.get_by_role("button", name="Apri un esempio").click()
            attendi(pagina, "Aperta la pratica d'esempio")
        pagina.goto(server + "/procedura?pratica=cer-colline-sieve&passo=riepilogo", wait_until="domcontentloaded")
        attendi(pagina, "Correggi in «Impianti»")
        # il rilievo sull'accordo di concessione mancante: la pagina va al primo campo dell'accordo
        with Esecuzioni.di(pagina).dopo():
            pagina.get_by_role("button", name="Correggi in «Impianti»").first.click()
        selettore = "[class*='st-key-pnrr-0-fv-cantina-acc-estremi-v']"
        pagina.wait_for_function(f"() => {{ const el = document.querySelector(\"{selettore}\");"
                                 " if (!el) return false; const r = el.getBoundingClientRect();"
                                 " return r.top >= 0 && r.bottom <= window.innerHeight; }", timeout=15_000)
        # i campi data e le tabelle si disegnano poco dopo (caricati a parte): il campo resta in vista
        pagina.wait_for_timeout(2500)
        stato = pagina.evaluate(_IN_VISTA, selettore)
        assert 0 <= stato["top"] and stato["bottom"] <= stato["alto"], stato
        assert stato["fuoco"] and stato["cornice"], stato
        pagina.screenshot(path=str(schermate / "computer-correggi-contributo-pnrr.png"))
    finally:
        contesto.close()


def test_cup_con_la_o_lo_dice_accanto_al_pulsante_in_vista(server, browser, schermate):
    """Il contributo PNRR sta in fondo al passo: l'esito del salvataggio si vede accanto al pulsante."""
    contesto = browser.new_context(viewport={"width": 1366, "height": 900}, locale="it-IT")
    pagina = contesto.new_page()
    Esecuzioni(pagina)
    try:
        pagina.goto(server + "/", wait_until="domcontentloaded")
        attendi(pagina, "Pratiche")
        if pagina.get_by_text("I passi che ti aspettano").count():
            pagina.get_by_role("button", name="Apri un esempio").click()
            attendi(pagina, "Aperta la pratica d'esempio")
        pagina.goto(server + "/procedura?pratica=cer-colline-sieve&passo=riepilogo", wait_until="domcontentloaded")
        attendi(pagina, "Correggi in «Impianti»")
        with Esecuzioni.di(pagina).dopo():
            pagina.get_by_role("button", name="Correggi in «Impianti»").first.click()   # apre la cantina
        # come una persona: si scrive quando il campo da correggere è in vista e incorniciato
        pagina.locator("[data-cer-da-correggere='1']").wait_for(timeout=15_000)
        cup = pagina.locator("[class*='st-key-pnrr-0-fv-cantina-cup-v'] input")
        cup.fill("J81B25OO0340006")
        with Esecuzioni.di(pagina).dopo():
            cup.press("Enter")
        with Esecuzioni.di(pagina).dopo():
            pagina.get_by_role("button", name="Salva il contributo PNRR").click()
        avviso = pagina.locator("[data-testid='stAlert']", has_text="contiene la lettera O alle posizioni 7 e 8")
        avviso.last.wait_for(timeout=30_000)
        assert avviso.count() == 2                      # in cima al passo e accanto al pulsante
        pagina.wait_for_timeout(1000)
        r = avviso.last.bounding_box()
        assert r and 0 <= r["y"] and r["y"] + r["height"] <= 900, r
        pagina.screenshot(path=str(schermate / "computer-contributo-pnrr-cup-con-la-o.png"))
    finally:
        contesto.close()


def test_correggi_su_un_dettaglio_apre_il_riquadro_del_soggetto(server, browser, schermate):
    """Il rilievo sul rappresentante della Parrocchia: il riquadro «Dettagli di un soggetto» (chiuso di solito)
    si apre con la Parrocchia scelta, e la pagina scorre al primo campo del rappresentante e lo incornicia."""
    contesto = browser.new_context(viewport={"width": 1366, "height": 900}, locale="it-IT")
    pagina = contesto.new_page()
    Esecuzioni(pagina)
    try:
        pagina.goto(server + "/", wait_until="domcontentloaded")
        attendi(pagina, "Pratiche")
        if pagina.get_by_text("I passi che ti aspettano").count():
            pagina.get_by_role("button", name="Apri un esempio").click()
            attendi(pagina, "Aperta la pratica d'esempio")
        pagina.goto(server + "/procedura?pratica=cer-colline-sieve&passo=riepilogo", wait_until="domcontentloaded")
        attendi(pagina, "Correggi in «Soggetti e membri»")
        with Esecuzioni.di(pagina).dopo():
            pagina.get_by_role("button", name="Correggi in «Soggetti e membri»").first.click()
        selettore = "[class*='st-key-det-parrocchia-san-gaudenzio-rapp-nome-v']"
        pagina.wait_for_function(f"() => {{ const el = document.querySelector(\"{selettore}\");"
                                 " if (!el) return false; const r = el.getBoundingClientRect();"
                                 " return r.top >= 0 && r.bottom <= window.innerHeight; }", timeout=15_000)
        pagina.wait_for_timeout(2500)
        stato = pagina.evaluate(_IN_VISTA, selettore)
        assert 0 <= stato["top"] and stato["bottom"] <= stato["alto"], stato
        assert stato["fuoco"] and stato["cornice"], stato
        pagina.screenshot(path=str(schermate / "computer-correggi-dettaglio-soggetto.png"))
        scelta = pagina.get_by_role("combobox", name="Soggetto").input_value()
        assert scelta == "Parrocchia di San Gaudenzio", scelta
    finally:
        contesto.close()
