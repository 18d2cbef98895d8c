"""Il DOCX che un notaio modifica in Word: articoli numerati da Word, rinvii come campi REF,
identità delle clausole (segnalibri e impronte), sezione dell'allegato, proprietà, BOZZA.

Le prove con LibreOffice (inserire un articolo e vedere rinumerati titoli e rinvii; andata e
ritorno del file) si saltano se ``soffice`` non c'è."""

from __future__ import annotations

import io
import re
import subprocess
import tempfile
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from lxml import etree

from cer_docs.documents import catalogo as cat
from cer_docs.documents.libreoffice import soffice
from cer_docs.documents.lettura_docx import leggi_clausole
from cer_docs.documents.lettura_docx import testo_paragrafi as paragrafi_docx
from cer_docs.documents.scrittura_docx import render_docx
from cer_docs.documents.scrittura_pdf import render_pdf
from cer_docs.documents.struttura import Firme, TitoloArticolo, identita

from aiuti_documenti import AL, esempio, estrai_pdf

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_NOME_VALIDO = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,39}$")


def _doc(tipo: str, bozza: bool = False, pratica=None):
    p = pratica or esempio()
    r = cat.richieste(p, [tipo])[0][0]
    return cat.risolvi(p, r, AL, bozza=bozza)


@pytest.fixture(scope="module")
def statuto():
    doc = _doc("statuto")
    return doc, render_docx(doc)


@pytest.fixture(scope="module")
def atto():
    doc = _doc("atto_costitutivo", bozza=True)
    return doc, render_docx(doc)


def _xml(docx: bytes, parte: str = "word/document.xml"):
    return etree.fromstring(zipfile.ZipFile(io.BytesIO(docx)).read(parte))


def _campi_ref(radice) -> list[tuple[str, str]]:
    """(segnalibro, risultato) di ogni campo REF del corpo."""
    out = []
    for p in radice.iter(W + "p"):
        stato, istr, ris = None, "", ""
        for el in p.iter():
            if el.tag == W + "fldChar":
                t = el.get(W + "fldCharType")
                if t == "begin":
                    stato, istr, ris = "istr", "", ""
                elif t == "separate":
                    stato = "ris"
                elif t == "end":
                    if istr.split()[:1] == ["REF"]:
                        out.append((istr.split()[1], ris))
                    stato = None
            elif el.tag == W + "instrText" and stato == "istr":
                istr += el.text or ""
            elif el.tag == W + "t" and stato == "ris":
                ris += el.text or ""
    return out


def _etichette_segnalibri(docx: bytes) -> dict[str, str]:
    """Segnalibro di ogni titolo d'articolo → l'etichetta «Art. N» che Word gli dà."""
    titoli = [t for t in paragrafi_docx(docx)]
    radice = _xml(docx)
    out = {}
    for i, p in enumerate(radice.iter(W + "p")):
        for b in p.iter(W + "bookmarkStart"):
            nome = b.get(W + "name")
            m = re.match(r"^(Art\. \d+) – ", titoli[i])
            if m and "art_" in nome:
                out[nome] = m.group(1)
    return out


# ------------------------------------------------------------------------ numerazione


def test_gli_articoli_sono_numerati_da_word_non_dal_testo(statuto):
    doc, docx = statuto
    d = Document(io.BytesIO(docx))
    titoli = [p for p in d.paragraphs if p.style.name == "Heading 2"]
    assert len(titoli) == len(doc.articoli()) > 20
    # nessun numero scritto nel testo dei titoli
    assert not any(re.search(r"Art\.\s*\d", p.text) for p in titoli)
    # lo stile del titolo d'articolo porta la numerazione, il cui livello scrive «Art. %1»
    numpr = d.styles["Heading 2"].element.pPr.find(qn("w:numPr"))
    num_id = numpr.find(qn("w:numId")).get(qn("w:val"))
    numerazione = _xml(docx, "word/numbering.xml")
    astratto = numerazione.find(f"{W}num[@{W}numId='{num_id}']/{W}abstractNumId").get(W + "val")
    lvl = numerazione.find(f"{W}abstractNum[@{W}abstractNumId='{astratto}']/{W}lvl")
    assert lvl.find(W + "lvlText").get(W + "val") == "Art. %1"
    assert lvl.find(W + "numFmt").get(W + "val") == "decimal"
    assert lvl.find(W + "pStyle").get(W + "val") == d.styles["Heading 2"].style_id
    # Word mostra gli stessi numeri del PDF
    mostrati = [t for t in paragrafi_docx(docx) if re.match(r"Art\. \d+ – ", t)]
    assert mostrati == [a.testo for a in doc.articoli()]


def test_lo_statuto_allegato_riparte_da_uno_in_una_sezione_propria(atto):
    doc, docx = atto
    mostrati = [t for t in paragrafi_docx(docx) if re.match(r"Art\. \d+ – ", t)]
    numeri = [int(t.split()[1]) for t in mostrati]
    ripresa = numeri.index(1, 1)
    assert numeri[:ripresa] == list(range(1, ripresa + 1))
    assert numeri[ripresa:] == list(range(1, len(numeri) - ripresa + 1)) and len(numeri) - ripresa > 20
    d = Document(io.BytesIO(docx))
    assert len(d.sections) == 2
    allegato = d.sections[1]
    pg = allegato._sectPr.find(qn("w:pgNumType"))
    assert pg is not None and pg.get(qn("w:start")) == "1"
    assert allegato.footer.paragraphs[0].text.startswith("Allegato A – Statuto – pagina ")
    assert "PAGE" in allegato.footer._element.xml
    assert "Statuto" in allegato.header.paragraphs[0].text
    # l'atto non dichiara un totale di pagine che comprenderebbe l'allegato
    assert "NUMPAGES" not in d.sections[0].footer._element.xml


def test_lo_statuto_allegato_porta_le_firme_delle_parti(atto):
    doc, docx = atto
    inc = next(i for i in doc.inclusi if i.allegato)
    firme_atto = [b for b in doc.blocchi[:inc.inizio] if isinstance(b, Firme)][0]
    assert isinstance(doc.blocchi[-1], Firme)
    assert [f.nome for f in doc.blocchi[-1].firmatari] == [f.nome for f in firme_atto.firmatari]
    ultimo = paragrafi_docx(docx)[-60:]
    assert firme_atto.firmatari[0].nome in ultimo
    pdf = estrai_pdf(render_pdf(doc))
    coda = pdf[pdf.rindex("Art. "):]
    assert all(f.nome in coda for f in firme_atto.firmatari)


# ------------------------------------------------------------------------ rinvii


def test_i_rinvii_interni_sono_campi_ref_al_titolo_con_il_numero_giusto(statuto, atto):
    for doc, docx in (statuto, atto):
        campi = _campi_ref(_xml(docx))
        attesi = sum(1 for b in doc.blocchi for s in getattr(b, "segmenti", []) if s.rinvio) + sum(
            1 for b in doc.blocchi for v in getattr(b, "voci", []) for s in v.segmenti if s.rinvio)
        assert len(campi) == attesi > 10
        etichette = _etichette_segnalibri(docx)
        for nome, risultato in campi:
            # dentro la frase il rinvio è in minuscolo («dell'art. 7»): il campo chiede a Word di
            # scrivere l'etichetta del titolo («Art. 7») in minuscolo
            assert etichette[nome].lower() == risultato, (nome, risultato)
    istruzioni = [t.text for t in _xml(statuto[1]).iter(W + "instrText") if "REF" in t.text]
    assert all(re.fullmatch(r" REF [A-Za-z0-9_]+ \\r \\h \\\* Lower ", t) for t in istruzioni)
    impostazioni = _xml(statuto[1], "word/settings.xml")
    assert impostazioni.find(W + "updateFields").get(W + "val") == "true"


# ------------------------------------------------------------------------ identità


def test_ogni_clausola_ha_un_segnalibro_unico_e_l_impronta_del_suo_testo(statuto, atto):
    for doc, docx in (statuto, atto):
        nomi = [b.get(W + "name") for b in _xml(docx).iter(W + "bookmarkStart")]
        assert len(nomi) == len(set(nomi)) and all(_NOME_VALIDO.match(n) for n in nomi)
        attese = identita(doc)
        clausole_doc = {getattr(b, "id_clausola", None) for b in doc.blocchi} - {None}
        assert clausole_doc <= {x.id for x in attese if x.tipo == "clausola"}
        lette = leggi_clausole(docx)
        assert [(c.segnalibro, c.id, c.documento) for c in lette] == [(x.segnalibro, x.id, x.documento) for x in attese]
        assert not [c.segnalibro for c in lette if c.modificata]
        assert all(c.sha256 == x.sha256 for c, x in zip(lette, attese))
    # nell'atto le clausole dello statuto allegato sono dello statuto, con il prefisso dell'allegato
    lette = leggi_clausole(atto[1])
    assert any(c.segnalibro == "A1_cl_sede_legale" and c.documento == "statuto" for c in lette)
    assert any(c.segnalibro == "cl_sede_legale" and c.documento == "atto_costitutivo" for c in lette)
    # un nome di clausola troppo lungo resta entro 40 caratteri e unico
    assert max(len(c.segnalibro) for c in lette) <= 40


def test_una_modifica_con_python_docx_cambia_l_impronta_della_sola_clausola(statuto):
    doc, docx = statuto
    modificato = _modifica_sede(docx)
    lette = leggi_clausole(modificato)
    assert [c.segnalibro for c in lette if c.modificata] == ["cl_sede_legale"]
    assert "Via Nuova 1" in next(c.testo for c in lette if c.segnalibro == "cl_sede_legale")


def _modifica_sede(docx: bytes) -> bytes:
    d = Document(io.BytesIO(docx))
    for p in d.paragraphs:
        if any(b.get(qn("w:name")) == "cl_sede_legale" for b in p._p.iter(qn("w:bookmarkStart"))):
            p.runs[-1].text = p.runs[-1].text + " La sede operativa è in Via Nuova 1."
            break
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


# ------------------------------------------------------------------------ proprietà e bozza


def test_proprieta_senza_titoli_doppi_e_bozza_anche_in_prima_pagina():
    doc = _doc("statuto", bozza=True)
    docx = render_docx(doc)
    d = Document(io.BytesIO(docx))
    cp = d.core_properties
    assert cp.title == doc.intestazione and cp.title.count("Statuto") == 1
    assert cp.subject == "Statuto" and "BOZZA" in cp.keywords
    assert d.sections[0].different_first_page_header_footer
    assert d.sections[0].first_page_header.paragraphs[0].text.startswith("BOZZA – ")
    pdf = render_pdf(doc)
    from pypdf import PdfReader

    r = PdfReader(io.BytesIO(pdf))
    assert r.metadata.title == doc.intestazione
    prima = estrai_pdf(pdf).split("\f")[0]
    assert "BOZZA – " + doc.intestazione in " ".join(prima.split())


def test_senza_bozza_la_prima_pagina_non_ha_intestazione():
    doc = _doc("regolamento")
    d = Document(io.BytesIO(render_docx(doc)))
    assert d.sections[0].first_page_header.paragraphs[0].text == ""
    prima = estrai_pdf(render_pdf(doc)).split("\f")[0]
    assert doc.intestazione not in " ".join(prima.split()[:3])


def test_il_pdf_dell_atto_numera_le_pagine_dell_allegato_da_capo(atto):
    doc, _ = atto
    testo = " ".join(estrai_pdf(render_pdf(doc)).split())
    assert "Allegato A – Statuto – pagina 1 di" in testo
    n = int(re.search(r"Allegato A – Statuto – pagina 1 di (\d+)", testo).group(1))
    assert f"Allegato A – Statuto – pagina {n} di {n}" in testo
    assert "pagina 1 di" in testo.split("Allegato A – Statuto – pagina 1")[0]


# ------------------------------------------------------------------------ LibreOffice


def _converti(dati: bytes, formato: str) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        f = Path(tmp) / "d.docx"
        f.write_bytes(dati)
        out = Path(tmp) / "out"
        subprocess.run([soffice(), f"-env:UserInstallation={(Path(tmp) / 'profilo').as_uri()}", "--headless",
                        "--norestore", "--convert-to", formato, "--outdir", str(out), str(f)],
                       check=True, capture_output=True, timeout=180)
        return (out / f"d.{formato}").read_bytes()


def _inserisci_articolo(docx: bytes, prima_di: str) -> bytes:
    """Come un notaio in Word: copia un titolo d'articolo, lo mette prima dell'articolo
    ``prima_di`` con un titolo nuovo e un comma."""
    d = Document(io.BytesIO(docx))
    titolo = next(p for p in d.paragraphs if any(
        b.get(qn("w:name")) == prima_di for b in p._p.iter(qn("w:bookmarkStart"))))
    nuovo = titolo.insert_paragraph_before("– Articolo aggiunto dal notaio", style="Heading 2")
    corpo = titolo.insert_paragraph_before("Testo dell'articolo aggiunto.", style="Normal")
    assert nuovo is not None and corpo is not None
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


lo = pytest.mark.skipif(soffice() is None, reason="LibreOffice non installato")


@lo
def test_inserito_un_articolo_libreoffice_rinumera_titoli_e_rinvii(statuto):
    doc, docx = statuto
    controllo = next(a for a in doc.articoli() if a.id == "controllo")
    n = controllo.numero
    modificato = _inserisci_articolo(docx, "art_controllo")
    # PDF di LibreOffice: i titoli dal nuovo in poi crescono di uno, i rinvii seguono
    testo = " ".join(estrai_pdf(_converti(modificato, "pdf")).split())
    assert f"Art. {n} – Articolo aggiunto dal notaio" in testo
    assert f"Art. {n + 1} – {controllo.titolo}" in testo
    ultimo = doc.articoli()[-1]
    assert f"Art. {ultimo.numero + 1} – {ultimo.titolo}" in testo
    # LibreOffice ricalcola i rinvii e non applica «\\* Lower»: il numero segue, la maiuscola resta
    assert f"nel rispetto dell'Art. {n + 1}" in testo and f"nel rispetto dell'Art. {n};" not in testo
    # nel DOCX salvato da LibreOffice ogni campo REF ha il numero nuovo del suo articolo
    rt = _converti(modificato, "docx")
    campi = _campi_ref(_xml(rt))
    etichette = _etichette_segnalibri(rt)
    assert len(campi) == len(_campi_ref(_xml(docx)))
    for nome, risultato in campi:
        # LibreOffice 7.4 ricalcola i rinvii senza l'interruttore «\\* Lower» («Art. 8»)
        assert etichette[nome].lower() == risultato.lower()
    prima = dict(_campi_ref(_xml(docx)))
    spostati = {nome for nome, r in campi if r.lower() != prima[nome].lower()}
    attesi = {nome for nome, r in prima.items() if int(r.split()[1]) >= n}
    assert spostati == attesi and spostati


@lo
def test_le_identita_sopravvivono_a_libreoffice_e_a_python_docx(atto):
    doc, docx = atto
    rt = _converti(docx, "docx")
    lette = leggi_clausole(rt)
    assert [c.segnalibro for c in lette] == [x.segnalibro for x in identita(doc)]
    assert not [c.segnalibro for c in lette if c.modificata]
    # modificata con python-docx e poi risalvata da LibreOffice: cambia solo quella clausola
    statuto = render_docx(_doc("statuto"))
    due_volte = _converti(_modifica_sede(statuto), "docx")
    lette = leggi_clausole(due_volte)
    assert [c.segnalibro for c in lette if c.modificata] == ["cl_sede_legale"]
    assert len(lette) == len(leggi_clausole(statuto))


def test_nessun_documento_ripete_il_titolo_nelle_proprieta():
    p = esempio()
    rs, _ = cat.richieste(p, list(cat.ORDINE))
    for r in rs:
        doc = cat.risolvi(p, r, AL)
        titolo = Document(io.BytesIO(render_docx(doc))).core_properties.title
        prima_parola = doc.titolo.split()[0]
        assert titolo.count(prima_parola) == 1, titolo


def test_senza_proprieta_le_clausole_si_riconoscono_dai_segnalibri(statuto):
    doc, docx = statuto
    src = zipfile.ZipFile(io.BytesIO(docx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            if info.filename != "docProps/custom.xml":
                dst.writestr(info, src.read(info.filename))
    lette = leggi_clausole(out.getvalue())
    assert [c.segnalibro for c in lette] == [x.segnalibro for x in identita(doc)]
    assert any(c.id == "sede_legale" and c.tipo == "clausola" and c.modificata is None for c in lette)


def test_nessuna_clausola_scrive_articolo_davanti_a_un_rinvio():
    """``{{ art.x }}`` vale «Art. 7» (l'etichetta che il campo REF riporta): «dell'articolo
    {{ art.x }}» stamperebbe «dell'articolo Art. 7»."""
    from cer_docs.documents.clausole import CLAUSOLE_DIR

    sbagliate = []
    for f in sorted(CLAUSOLE_DIR.rglob("*.j2")):
        testo = f.read_text(encoding="utf-8")
        if re.search(r"\b(articol[oi]|art\.)\s*(\{%[^%]*%\}\s*)*\{\{\s*art\.", testo, re.IGNORECASE):
            sbagliate.append(f.name)
    assert not sbagliate, f"«articolo» davanti a {{{{ art.… }}}} in: {sbagliate}"
