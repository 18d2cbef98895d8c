"""La procedura guidata per intero, da un archivio vuoto ai documenti scaricati (AppTest).

Si compila ogni passo come farebbe una persona, con i dati di un file d'esempio, e alla fine
la pratica salvata nel database deve coincidere con il file (a parte gli id, che la procedura
ricava dai nomi, e il contributo PNRR, che la procedura non gestisce).
"""

from __future__ import annotations

import io
import json

import pytest
from docx import Document
from guida_ui import (
    CAMPIONI,
    compila_procedura,
    conteggi,
    contenuto_zip,
    forma_canonica,
    nessun_errore,
    pulsante,
    scaricati,
    scaricato,
    messaggi,
    vai_al_passo,
)

from cer_docs.model import load_pratica
from cer_docs.services import archivio, lavori


def _genera_e_scarica(at, codice: str, denominazione: str) -> dict[str, bytes]:
    vai_al_passo(at, "documenti")
    nessun_errore(at)
    scelti = at.multiselect(key=f"doc-scelti-v{archivio.apri(codice).versione}")
    assert scelti.value, "i documenti possibili sono proposti già scelti"
    pulsante(at, "Genera i documenti").click().run()
    nessun_errore(at)
    # la generazione è un lavoro in sottofondo: la pagina mostra l'avanzamento e resta libera
    lav = lavori.ultimo_lavoro(codice)
    assert lav is not None and lav.bozza and lav.documenti == scelti.value
    assert at.get("progress"), "la generazione mostra la barra di avanzamento"
    assert lavori.attendi(lav.id, secondi=300).stato == "fatto"
    at.run()
    nessun_errore(at)
    assert any("Documenti generati" in t for t in messaggi(at, "success"))
    assert at.get("progress")[0].proto.value == 100
    nome, dati = scaricato(at, "Scarica tutto (ZIP)")
    assert nome == f"documenti-{codice}.zip"
    files = contenuto_zip(dati)
    statuti = [n for n in files if n.startswith("statuto/") and n.endswith(".docx")]
    assert statuti, sorted(files)
    assert "statuto/manifest.json" in files
    manifest = json.loads(files["statuto/manifest.json"])
    assert manifest["bozza"] is True and manifest["pratica"] == codice
    testo = "\n".join(p.text for p in Document(io.BytesIO(files[statuti[0]])).paragraphs)
    assert denominazione in testo
    # un solo file, con il nome giusto
    singoli = dict(scaricati(at))
    assert any(n.endswith(".pdf") and d.startswith(b"%PDF") for n, d in singoli.items())
    assert any(n.endswith(".docx") and d.startswith(b"PK") for n, d in singoli.items())
    # l'anteprima della prima pagina del PDF
    assert at.image, "l'anteprima del PDF è un'immagine della prima pagina"
    assert at.image[0].captions[0].startswith("Prima pagina di Statuto")
    return files


@pytest.mark.slow
def test_procedura_completa_pratica_di_riferimento(app):
    ref = load_pratica(CAMPIONI / "pratica-esempio.yaml")
    compila_procedura(app, ref)

    salvata = archivio.apri(ref.pratica.id).pratica
    assert forma_canonica(salvata) == forma_canonica(ref)
    # il riepilogo mostra gli stessi rilievi della verifica del file, con la fonte
    assert app.radio(key="passo").value == "riepilogo"
    # gli avvisi: il corrispettivo di recesso PNRR «dopo» il vincolo non è proporzionato (RECESSO_PNRR_DOPO_VINCOLO);
    # la parrocchia è rappresentata da chi non è parroco (ECCLESIASTICO_RAPPRESENTANTE)
    assert conteggi(app) == (0, 2, 1)
    markdown = " ".join(m.value for m in app.markdown)
    # il rilievo si legge in italiano (il codice della regola, TERZO_ACCORDO, non si mostra)
    assert "Con il produttore terzo Energia Verde Mugello S.p.A. serve un accordo" in markdown
    assert "TERZO" not in markdown
    assert any("Regole Operative GSE 2024" in c.value for c in app.caption)
    pulsante(app, "Correggi in «Produttori terzi»")
    # ogni passo ha lasciato un evento con l'autore
    descrizioni = [e.descrizione for e in archivio.eventi(ref.pratica.id)]
    assert {"dati della comunità", "soggetti e membri", "statuto e riparto"} <= set(descrizioni)

    files = _genera_e_scarica(app, ref.pratica.id, ref.comunita.denominazione)
    assert any(n.startswith("regolamento/") for n in files)
    assert any(n.startswith("atto_costitutivo/") for n in files)


@pytest.mark.slow
def test_procedura_completa_cer_in_fondazione(app):
    ref = load_pratica(CAMPIONI / "cer-fondazione-borgo.yaml")
    compila_procedura(app, ref)

    salvata = archivio.apri(ref.pratica.id).pratica
    assert forma_canonica(salvata) == forma_canonica(ref)
    assert salvata.comunita.atto_costitutivo.data is None
    assert all(m.data_adesione is None for m in salvata.membri)
    codici = " ".join(m.value for m in app.markdown)
    assert "La CER non è ancora costituita: l'atto costitutivo non è firmato" in codici
    assert "COSTITUITA" not in codici
    # un ente del Terzo settore non ancora iscritto nel RUNTS non usa l'acronimo «ETS» nello statuto
    _genera_e_scarica(app, ref.pratica.id, ref.comunita.denominazione.removesuffix(" ETS"))
