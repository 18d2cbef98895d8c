"""Nel browser vero: il DOCX modificato dall'avvocato si carica dalla pagina Documenti e il
confronto affiancato compare con le parole tolte e aggiunte. Si salva la schermata."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

from cer_docs.model import load_pratica
from cer_docs.services.documenti import genera_documento

from browser_comune import RADICE, SEGNI_BROWSER
from browser_comune import attendi as _attendi
from browser_comune import controlla_e_fotografa as _controlla_e_fotografa

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "documents"))
from avvocato import cambia_frase, elimina_clausola  # noqa: E402

pytestmark = SEGNI_BROWSER


@pytest.mark.slow
def test_carica_il_file_dell_avvocato_e_vedi_il_confronto(server, browser, schermate, tmp_path):
    _nome, g = genera_documento(load_pratica(RADICE / "samples" / "pratica-esempio.yaml"), "statuto", "docx",
                                al=dt.date.today())
    m = cambia_frase(g, "cl_sede_trasferimento", "nell'ambito dello stesso Comune", "all'interno del medesimo Comune")
    m = elimina_clausola(m, "cl_recesso_libero")
    file = tmp_path / "statuto-notaio.docx"
    file.write_bytes(m)
    contesto = browser.new_context(viewport={"width": 1366, "height": 900}, locale="it-IT")
    pagina = contesto.new_page()
    try:
        pagina.goto(server + "/", wait_until="domcontentloaded")
        _attendi(pagina, "Pratiche")
        if pagina.get_by_text("I passi che ti aspettano").count():
            pagina.get_by_role("button", name="Apri un esempio").click()
            _attendi(pagina, "Aperta la pratica d'esempio")
        pagina.goto(server + "/documenti?pratica=cer-colline-sieve", wait_until="domcontentloaded")
        _attendi(pagina, "Documenti da generare")
        pagina.get_by_role("tab", name="Versioni e revisione dell'avvocato").click()
        _attendi(pagina, "Carica il file dell'avvocato")
        pagina.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(file))
        pagina.get_by_role("button", name="Carica come nuova versione").click()
        _attendi(pagina, "conservato come versione 2")
        if not pagina.get_by_text("Che cosa è cambiato").is_visible():
            pagina.get_by_role("tab", name="Versioni e revisione dell'avvocato").click()
        _attendi(pagina, "Che cosa è cambiato")
        corpo = pagina.inner_text("body")
        assert "1 modificata, 1 rimossa" in corpo
        assert pagina.locator(".cer-diff del", has_text="nell'ambito dello stesso").count() == 1
        assert pagina.locator(".cer-diff ins", has_text="all'interno del medesimo").count() == 1
        assert "elemento essenziale e)" in corpo
        _controlla_e_fotografa(pagina, schermate, "computer-documenti-revisione")
    finally:
        contesto.close()
    assert (schermate / "computer-documenti-revisione.png").is_file()
