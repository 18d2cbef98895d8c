"""Pagina Documenti con una generazione di molti file (una pratica di 300 membri): la pagina
raggruppa i file per tipo di documento, disegna pochi pulsanti di download e da ognuno si arriva
comunque al documento di un singolo membro, e lo si scarica."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from guida_ui import APP, contenuto_zip, messaggi, pulsante, scaricati, scaricato
from streamlit.testing.v1 import AppTest

from cer_docs.services import archivio, lavori
from cer_docs.services import procedura as proc

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from bench.genera_pratica import genera_pratica  # noqa: E402

MASSIMO_PULSANTI = 40
CARTELLA = "20261201-100000-bozza"


@pytest.fixture(autouse=True)
def _nessun_esecutore_nell_app(monkeypatch):
    monkeypatch.setattr(lavori, "assicura_esecutore_locale", lambda *a, **k: False)


def _file(cartella: Path, documento: str, titolo: str, nome: str, oggetto: str | None) -> list[dict]:
    """Un documento in DOCX e PDF (file piccoli, contenuto riconoscibile) e le sue voci di generazione.json."""
    (cartella / documento).mkdir(exist_ok=True)
    voci = []
    for formato, testa in (("docx", b"PK"), ("pdf", b"%PDF-1.4\n")):
        (cartella / documento / f"{nome}.{formato}").write_bytes(testa + f"{documento} {nome}".encode())
        voce = {"documento": documento, "titolo": titolo, "file": f"{nome}.{formato}", "formato": formato,
                "percorso": f"{documento}/{nome}.{formato}", "pagine": 1 if formato == "pdf" else None}
        if oggetto is not None:     # i moduli qui sotto sono scritti come le generazioni di prima, senza oggetto
            voce["oggetto"] = oggetto
        voci.append(voce)
    return voci


@pytest.fixture
def pratica_grande():
    """Una pratica di 300 membri e una generazione finta: statuto, una DSAN per soggetto, un modulo
    di adesione per membro (1.202 file)."""
    p = genera_pratica(300)
    codice = archivio.importa_pratica(p, autore="test").codice
    cartella = proc.cartella_documenti(codice) / CARTELLA
    cartella.mkdir(parents=True)
    voci = _file(cartella, "statuto", "Statuto", f"statuto-{codice}", None)
    for s in p.soggetti:
        voci += _file(cartella, "dsan", "Dichiarazione sostitutiva (DPR 445/2000)", f"dsan-{s.id}-{codice}", s.id)
    for m in p.membri:
        voci += _file(cartella, "modulo_adesione", "Modulo di adesione", f"modulo-adesione-{m.soggetto}-{codice}", None)
    # come il generatore: un avviso per ogni modulo con un dato mancante, più uno che porta a un passo
    avvisi = ["la pratica non indica i fondatori (comunita.fondatori): l'atto resta senza parti"]
    avvisi += [f"Modulo di adesione – {p.soggetto(m.soggetto).nome_completo}: 1 dato mancante è rimasto come "
               "spazio da completare (__________)" for m in p.membri]
    (cartella / "generazione.json").write_text(json.dumps({
        "bozza": True, "al": "2026-12-01", "creata_il": "2026-12-01T10:00:00", "versione": None, "note": [],
        "avvisi": avvisi, "file": voci}, ensure_ascii=False), encoding="utf-8")
    return codice, p


def _apri(codice: str) -> AppTest:
    app = AppTest.from_file(str(APP), default_timeout=180)
    app.query_params["pratica"] = codice
    app.run()
    app.switch_page("pagine/documenti.py").run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def _apri_gruppo(app: AppTest, documento: str) -> None:
    app.session_state[f"gruppo-{CARTELLA}-{documento}"] = True
    app.run()
    assert not app.exception, [e.value for e in app.exception]


def test_molti_file_pochi_pulsanti_e_ogni_membro_raggiungibile(pratica_grande):
    codice, p = pratica_grande
    assert len(proc.ultima_generazione(codice).file) == 1202
    app = _apri(codice)

    # i file sono raggruppati per tipo di documento, con quanti file e quante pagine
    assert [e.label for e in app.expander][1:] == [
        "Statuto · 2 file · 1 pagina",
        "Dichiarazione sostitutiva (DPR 445/2000) · 300 documenti · 600 file · 300 pagine",
        "Modulo di adesione · 300 documenti · 600 file · 300 pagine",
    ]
    # gli avvisi: i primi uno per uno (con il pulsante per correggere), gli altri in un riquadro da aprire
    avvisi = messaggi(app, "warning")
    assert len(avvisi) == 5 and "non indica i fondatori" in avvisi[0]
    pulsante(app, "Correggi in «Statuto e riparto»")
    assert [e.label for e in app.expander][0] == "Altri 296 avvisi"
    app.session_state[f"avvisi-{CARTELLA}"] = True
    app.run()
    (elenco,) = [a for a in messaggi(app, "warning") if a.count("\n- ") == 295]
    assert p.soggetto(p.membri[-1].soggetto).nome_completo in elenco
    app.session_state[f"avvisi-{CARTELLA}"] = False
    app.run()

    pulsanti = [b.label for b in app.download_button]
    assert len(pulsanti) <= MASSIMO_PULSANTI, len(pulsanti)
    assert "Scarica tutto (ZIP)" in pulsanti
    # i tipi con pochi file sono aperti: lo statuto si scarica subito
    nomi = dict(scaricati(app))
    assert nomi[f"statuto-{codice}.pdf"] == b"%PDF-1.4\nstatuto statuto-" + codice.encode()

    # la DSAN di un soggetto qualsiasi: si apre il tipo, si sceglie il soggetto per nome, si scarica
    _apri_gruppo(app, "dsan")
    s = p.soggetti[217]
    scelta = app.selectbox(key=f"scelta-{CARTELLA}-dsan")
    assert s.nome_completo in scelta.options and len(scelta.options) == 300
    scelta.set_value(s.id).run()
    assert not app.exception, [e.value for e in app.exception]
    assert len(app.download_button) <= MASSIMO_PULSANTI
    nomi = dict(scaricati(app))
    assert nomi[f"dsan-{s.id}-{codice}.pdf"] == f"%PDF-1.4\ndsan dsan-{s.id}-{codice}".encode()
    assert nomi[f"dsan-{s.id}-{codice}.docx"].startswith(b"PK")
    assert not any(n.startswith("dsan-") and s.id not in n for n in nomi if not n.endswith(".zip"))
    # tutte le DSAN insieme, in un solo ZIP fatto al clic
    nome, dati = scaricato(app, "Scarica tutti i 600 file (ZIP)")
    assert nome == f"dsan-{codice}.zip"
    assert len(contenuto_zip(dati)) == 600 and all(n.startswith("dsan/") for n in contenuto_zip(dati))

    # il modulo di un membro, anche da una generazione che non dice di chi è ogni file (si sceglie il file)
    _apri_gruppo(app, "modulo_adesione")
    m = p.soggetto(p.membri[-1].soggetto)
    scelta = app.selectbox(key=f"scelta-{CARTELLA}-modulo_adesione")
    scelta.set_value(f"modulo-adesione-{m.id}-{codice}").run()
    assert len(app.download_button) <= MASSIMO_PULSANTI
    nomi = dict(scaricati(app))
    assert nomi[f"modulo-adesione-{m.id}-{codice}.pdf"].endswith(m.id.encode() + b"-" + codice.encode())
    # la scelta resta dopo un'altra riesecuzione, e il riquadro si richiude
    app.run()
    assert app.selectbox(key=f"scelta-{CARTELLA}-modulo_adesione").value == f"modulo-adesione-{m.id}-{codice}"
    app.session_state[f"gruppo-{CARTELLA}-modulo_adesione"] = False
    app.session_state[f"gruppo-{CARTELLA}-dsan"] = False
    app.run()
    assert len(app.download_button) == len(pulsanti)
