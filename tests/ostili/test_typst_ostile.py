"""Testo ostile per Typst: ciò che in Typst sarebbe codice o markup esce dal PDF come testo.

Lo scrittore PDF passa il documento alla cornice come dati JSON (``sys.inputs``): nessuna
stringa dell'utente diventa codice Typst. Se lo diventasse, ``#read("documento.typ")`` metterebbe
nel PDF il testo della cornice e ``#import "x"`` farebbe fallire la compilazione.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from cer_docs.documents.scrittura_pdf import CORNICE, render_pdf
from cer_docs.documents.struttura import (
    Colonna, Documento, Elenco, Firma, Firme, Intestazione, Paragrafo, Segmento, Tabella, Titolo, TitoloArticolo, Voce,
)

OSTILI_TYPST = [
    '#import "x": *',
    '#read("documento.typ")',
    '#read("/etc/passwd")',
    "$x^2$ e $ y $",
    "\\u{0} e \\\\ e \\n",
    "] chiude [ apre #[ contenuto ]",
    "@etichetta <etichetta> = Titolo finto == Sotto",
    "`codice` *grassetto* _corsivo_ ~ -- --- ... 'virgolette' \"doppie\"",
    "#set page(paper: \"a5\") #show: none #let x = 1",
    "{{ 7*7 }} & < > ** # /* commento */ // riga",
    "emoji 😀 fine",  # (un carattere che nessun font installato ha esce come riquadro vuoto, come con WeasyPrint)
]
RTL = ["ebraico", "שלום", "עולם", "arabo", "مرحبا"]
IBAN = "IT60X0542811101000000123456" * 11  # 297 caratteri senza spazi


def _pdftotext(dati: bytes, *args: str) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        f = Path(tmp) / "d.pdf"
        f.write_bytes(dati)
        # pdftotext scrive su stderr avvisi innocui sui PDF di Typst («Syntax Error: Suspects
        # object…», poppler 22): conta solo l'uscita
        return subprocess.run(["pdftotext", *args, "-enc", "UTF-8", str(f), "-"], check=True,
                              capture_output=True).stdout.decode("utf-8")


def _compatto(s: str) -> str:
    # senza spazi e senza i segni di direzione che pdftotext aggiunge attorno al testo da destra a sinistra
    return re.sub(r"[\s\u202a-\u202e]+", "", s)


def _documento_ostile() -> Documento:
    doc = Documento(tipo="prova", titolo="Prova #titolo $x$", intestazione='CER #read("documento.typ") [x]',
                    piede="Allegato #1 $y$", bozza=True)  # bozza: intestazione anche sulla prima pagina
    doc.blocchi.append(Titolo(testo="Titolo #strong[x]", sottotitoli=["sotto $z$ ]["]))
    doc.blocchi.append(Intestazione(testo="Sezione = #heading[finto]"))
    doc.blocchi.append(TitoloArticolo(numero=1, titolo="Articolo @rif #emph[x]", id="uno"))
    doc.blocchi.append(Paragrafo(segmenti=[Segmento(" ".join(RTL))]))
    for s in OSTILI_TYPST:
        doc.blocchi.append(Paragrafo(segmenti=[Segmento("Prima "), Segmento(s, grassetto=True), Segmento(" dopo.")]))
    doc.blocchi.append(Paragrafo(segmenti=[Segmento("NUL\x00dentro e a capo\nqui")], comma="#1."))
    doc.blocchi.append(Elenco(voci=[Voce("a)", [Segmento(s)]) for s in OSTILI_TYPST[:4]], lettere=True))
    doc.blocchi.append(Tabella(colonne=[Colonna("#col $1$", 1.0), Colonna("IBAN ]", 2.0), Colonna("[x]", 1.0, "destra")],
                               righe=[[OSTILI_TYPST[0], IBAN, "\\"], [OSTILI_TYPST[1], "$", "]"]],
                               didascalia="Didascalia #read(\"x\")"))
    doc.blocchi.append(Firme(firmatari=[Firma('#read("/etc/passwd")', "qualifica $q$")], intestazione="Firme ]["))
    return doc


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) non installato")
def test_il_testo_ostile_per_typst_esce_letterale_e_nessun_file_si_legge():
    pdf = render_pdf(_documento_ostile())
    testo = _compatto(_pdftotext(pdf, "-raw"))
    for s in OSTILI_TYPST + ['CER#read("documento.typ")[x]', "Titolo#strong[x]", "sotto$z$][", "Sezione=#heading[finto]",
                             "Articolo@rif#emph[x]", "#col$1$", "IBAN]", 'Didascalia#read("x")', "Firme][",
                             "qualifica$q$", "Allegato#1$y$", "#1.NULdentro"]:
        assert _compatto(s) in testo, s
    # il testo da destra a sinistra: ogni parola c'è (pdftotext le mette nell'ordine visivo)
    for parola in RTL:
        assert parola in testo, parola
    # il lungo codice senza spazi va a capo dentro la sua cella, ma c'è tutto
    assert _compatto(IBAN) in testo
    # niente file letti: né la cornice né /etc/passwd sono nel PDF
    assert "Nessuntestogiuridicoqui" not in testo and _compatto(CORNICE.read_text()[:60]) not in testo
    assert "root:" not in testo
    # il titolo dei metadati è quello dato, letterale
    from pypdf import PdfReader
    import io

    assert PdfReader(io.BytesIO(pdf)).metadata.title == "Prova #titolo $x$ – CER #read(\"documento.typ\") [x]"
