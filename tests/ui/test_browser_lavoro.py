"""Nel browser vero: «Genera i documenti» mette in coda un lavoro e la pagina resta libera; dopo
aver ricaricato la pagina l'avanzamento (letto dal database) continua e, alla fine, compaiono i
documenti generati con l'anteprima. Si salvano le schermate dell'avanzamento e del risultato."""

from __future__ import annotations

import pytest
from browser_comune import SEGNI_BROWSER, attendi, controlla_e_fotografa, script_fermo

pytestmark = [*SEGNI_BROWSER, pytest.mark.slow]


def test_genera_ricarica_e_vedi_il_risultato(server, browser, schermate):
    contesto = browser.new_context(viewport={"width": 1366, "height": 900}, locale="it-IT")
    pagina = contesto.new_page()
    try:
        pagina.goto(server + "/", wait_until="domcontentloaded")
        attendi(pagina, "Pratiche")
        if pagina.get_by_text("I passi che ti aspettano").count():
            pagina.get_by_role("button", name="Apri un esempio").click()
            attendi(pagina, "Aperta la pratica d'esempio")
        indirizzo = server + "/documenti?pratica=cer-colline-sieve"
        pagina.goto(indirizzo, wait_until="domcontentloaded")
        attendi(pagina, "Documenti da generare")
        assert pagina.get_by_text("Nessun documento generato finora").count() == 1

        pagina.get_by_role("button", name="Genera i documenti").click()
        # la pagina non aspetta la generazione: mostra subito la barra e il pulsante per annullare
        pagina.get_by_text("Generazione in corso").first.wait_for(timeout=60_000)
        pagina.locator("[data-testid='stProgress']").first.wait_for(timeout=60_000)
        pagina.get_by_role("button", name="Annulla").first.wait_for(timeout=60_000)
        controlla_e_fotografa(pagina, schermate, "computer-documenti-lavoro-in-corso")

        pagina.reload(wait_until="domcontentloaded")
        attendi(pagina, "Documenti da generare")
        # dopo la ricarica: o la generazione è ancora in corso (e la pagina la segue), o è già finita
        pagina.locator("text=Generazione in corso >> visible=true").or_(
            pagina.locator("text=Documenti generati >> visible=true")).first.wait_for(timeout=60_000)
        in_corso_dopo_ricarica = pagina.get_by_text("Generazione in corso").count() > 0

        pagina.get_by_text("Documenti generati").first.wait_for(timeout=240_000)
        pagina.get_by_text("Prima pagina di").first.wait_for(timeout=120_000)
        script_fermo(pagina)
        assert pagina.get_by_text("Generazione in corso").count() == 0
        assert pagina.get_by_role("button", name="Scarica tutto (ZIP)").count() == 1
        assert pagina.get_by_text("Nessun documento generato finora").count() == 0
        controlla_e_fotografa(pagina, schermate, "computer-documenti-lavoro-finito")
    finally:
        contesto.close()
    assert (schermate / "computer-documenti-lavoro-finito.png").is_file()
    print("in corso dopo la ricarica:", in_corso_dopo_ricarica)
