"""Versioni dei documenti nella pratica e il giro dell'avvocato dal servizio e dalla riga di comando."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from cer_docs.cli import documenti as cli_documenti
from cer_docs.model import load_pratica
from cer_docs.services import archivio
from cer_docs.services.revisione import ErroreRevisione, revisione

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "documents"))
from avvocato import cambia_frase, elimina_clausola  # noqa: E402

RADICE = Path(__file__).resolve().parents[2]
ESEMPIO = RADICE / "samples" / "pratica-esempio.yaml"
CODICE = "cer-colline-sieve"
FRASE = ("nell'ambito dello stesso Comune", "all'interno del medesimo Comune")


@pytest.fixture
def rev():
    archivio.importa_file(ESEMPIO, autore="Anna")
    return revisione()


def test_carica_riconosce_il_documento_e_conserva_ogni_versione(rev):
    g = rev.archivia_generato(CODICE, "statuto", attore="Anna")
    m = elimina_clausola(rev.contenuto(CODICE, g.id), "cl_recesso_libero")
    e = rev.carica(CODICE, "statuto notaio.docx", m, attore="Avv. Bruni", nota="bozza del notaio")
    v = e.versione
    assert (v.documento, v.versione, v.origine, v.autore, v.base_id) == ("statuto", 2, "caricato", "Avv. Bruni", g.id)
    assert v.nota == "bozza del notaio" and len(v.sha256) == 64
    assert [x.segnalibro for x in e.confronto.cambiate()] == ["cl_recesso_libero"]
    assert any(r.segnalibro == "cl_recesso_libero" and r.gravita == "errore" for r in e.rilievi)
    assert rev.contenuto(CODICE, v.id) == m
    with pytest.raises(ErroreRevisione, match="già nella pratica"):
        rev.carica(CODICE, "di nuovo.docx", m)
    with pytest.raises(ErroreRevisione, match="è un documento «statuto», non «atto_costitutivo»"):
        rev.carica(CODICE, "sbagliato.docx", cambia_frase(m, "cl_sede_trasferimento", *FRASE),
                   documento="atto_costitutivo")
    assert [(x.versione, x.origine) for x in rev.versioni(CODICE, "statuto")] == [(1, "generato"), (2, "caricato")]
    eventi = [ev.tipo for ev in archivio.eventi(CODICE)]
    assert eventi[-2:] == ["documento_generato", "documento_caricato"]


def test_senza_versione_generata_la_si_archivia_come_partenza(rev):
    from cer_docs.services.documenti import genera_documento

    _nome, g = genera_documento(load_pratica(ESEMPIO), "statuto", "docx", al=rev._oggi())
    e = rev.carica(CODICE, "statuto.docx", cambia_frase(g, "cl_sede_trasferimento", *FRASE))
    assert e.base is not None and e.base.origine == "generato" and e.versione.versione == 2
    assert [x.segnalibro for x in e.confronto.cambiate()] == ["cl_sede_trasferimento"]
    assert any("archiviato" in n for n in e.note)


def test_pdf_solo_lettura_e_versione_firmata(rev):
    with pytest.raises(ErroreRevisione, match="indica di quale documento"):
        rev.carica(CODICE, "firmato.pdf", b"%PDF-1.4\n%%EOF\n")
    with pytest.raises(ErroreRevisione, match="non è un documento Word"):
        rev.carica(CODICE, "nota.txt", b"ciao", documento="statuto")
    import io
    import zipfile

    rotto = io.BytesIO()
    with zipfile.ZipFile(rotto, "w") as z:
        z.writestr("word/document.xml", "<w:document><non chiuso")
    with pytest.raises(ErroreRevisione, match="non si riesce a leggere"):
        rev.carica(CODICE, "rotto.docx", rotto.getvalue(), documento="statuto")
    g = rev.archivia_generato(CODICE, "statuto")
    p = rev.carica(CODICE, "firmato.pdf", b"%PDF-1.4\n%%EOF\n", documento="statuto").versione
    assert p.tipo == "pdf" and p.base_id is None
    with pytest.raises(ErroreRevisione, match="due DOCX"):
        rev.confronta(CODICE, p.id, g.id)
    rev.segna_firmata(CODICE, g.id)
    rev.segna_firmata(CODICE, p.id, attore="Notaio")
    assert [(x.versione, x.firmato) for x in rev.versioni(CODICE, "statuto")] == [(1, False), (2, True)]
    # le versioni dei documenti non finiscono tra le fatture caricate per il PNRR
    from cer_docs.services.pnrr import documenti_caricati

    assert documenti_caricati(CODICE) == []
    assert archivio.eventi(CODICE)[-1].tipo == "documento_firmato"


def _cambia_rossi(indirizzo: str) -> None:
    aperta = archivio.apri(CODICE)
    p = aperta.pratica.model_copy(deep=True)
    (rossi,) = [s for s in p.soggetti if s.id == "rossi-mario"]
    rossi.residenza.indirizzo = indirizzo
    archivio.salva(CODICE, p, aperta.versione, "Anna", "nuovo indirizzo di Mario Rossi")


def test_unisci_conflitti_poi_scelta_nuova_versione(rev):
    g = rev.archivia_generato(CODICE, "atto_costitutivo")
    avv = cambia_frase(rev.contenuto(CODICE, g.id), "A1_cl_sede_trasferimento", *FRASE)
    avv = cambia_frase(avv, "cl_atto_preambolo_privato", "Via del Castagno 3", "Via del Castagno 3 (interno 2)")
    rev.carica(CODICE, "atto.docx", avv, attore="Avv. Bruni")
    assert rev.unisci(CODICE, "atto_costitutivo").nulla_da_unire
    _cambia_rossi("Via dei Mille 8")
    prima = len(rev.versioni(CODICE, "atto_costitutivo"))
    e = rev.unisci(CODICE, "atto_costitutivo")
    assert e.versione is None and [c.segnalibro for c in e.unione.conflitti] == ["cl_atto_preambolo_privato"]
    assert len(rev.versioni(CODICE, "atto_costitutivo")) == prima  # niente scritto
    e = rev.unisci(CODICE, "atto_costitutivo", {"cl_atto_preambolo_privato": "generato"}, attore="Anna")
    assert e.versione.origine == "unito" and e.versione.base_id == e.generata.id
    from cer_docs.documents.lettura_docx import leggi_clausole

    testi = {c.segnalibro: c.testo for c in leggi_clausole(rev.contenuto(CODICE, e.versione.id))}
    assert FRASE[1] in testi["A1_cl_sede_trasferimento"] and "Via dei Mille 8" in testi["cl_atto_preambolo_privato"]
    assert [x.origine for x in rev.versioni(CODICE, "atto_costitutivo")] == ["generato", "caricato", "generato", "unito"]
    assert rev.confronta(CODICE, e.versione.id).cambiate()[0].segnalibro == "A1_cl_sede_trasferimento"
    # l'avvocato rimodifica la versione unita: viene da quella, e il confronto mostra solo la modifica nuova
    ancora = cambia_frase(rev.contenuto(CODICE, e.versione.id), "A1_cl_durata_illimitata", "tempo indeterminato",
                          "tempo indeterminato, salvo scioglimento")
    c = rev.carica(CODICE, "atto-2.docx", ancora)
    assert c.base.id == e.versione.id
    assert [x.segnalibro for x in c.confronto.cambiate()] == ["A1_cl_durata_illimitata"]


# ----------------------------------------------------------------------------- riga di comando

@pytest.fixture
def cli():
    app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
    cli_documenti.register(app)
    runner = CliRunner()
    return lambda *a: runner.invoke(app, ["documenti", *map(str, a)], catch_exceptions=False)


def test_cli_carica_confronta_unisci(rev, cli, tmp_path):
    g = rev.archivia_generato(CODICE, "atto_costitutivo")
    orig = tmp_path / "atto.docx"
    orig.write_bytes(rev.contenuto(CODICE, g.id))
    mod = tmp_path / "atto-avvocato.docx"
    mod.write_bytes(cambia_frase(orig.read_bytes(), "cl_atto_preambolo_privato", "Via del Castagno 3",
                                 "Via del Castagno 3 (interno 2)"))
    r = cli("confronta", orig, mod, "--json")
    assert r.exit_code == 0
    voci = [v for v in json.loads(r.stdout)["clausole"] if v["esito"] != "invariata"]
    assert [(v["clausola"], v["esito"]) for v in voci] == [("atto_preambolo_privato", "modificata")]
    assert "(interno 2)" in voci[0]["testo_modificato"] and "(interno 2)" not in voci[0]["testo_originale"]
    r = cli("carica", CODICE, mod, "--autore", "Avv. Bruni")
    assert r.exit_code == 0 and "versione 2 di atto_costitutivo" in r.stdout and "MODIFICATA" in r.stdout
    _cambia_rossi("Via dei Mille 8")
    r = cli("unisci", CODICE, "atto_costitutivo")
    assert r.exit_code == 1 and "CONFLITTO cl_atto_preambolo_privato" in r.stdout and "nulla è stato scritto" in r.stderr
    out = tmp_path / "unito.docx"
    r = cli("unisci", CODICE, "atto_costitutivo", "--scegli", "cl_atto_preambolo_privato=avvocato", "-o", out)
    assert r.exit_code == 0 and "versione 4" in r.stdout and out.is_file()
    r = cli("unisci", CODICE, "atto_costitutivo")  # il conflitto risolto non torna
    assert r.exit_code == 0 and "già aggiornata" in r.stdout
    r = cli("redline", orig, mod, "-o", tmp_path / "redline.docx")
    assert r.exit_code == 0 and (tmp_path / "redline.docx").is_file()
    r = cli("versioni", CODICE)
    assert r.exit_code == 0 and "unita ai dati nuovi" in r.stdout
    r = cli("unisci", "non-esiste", "statuto")
    assert r.exit_code == 1 and "non è nell'archivio" in r.stderr
