"""Modifiche a un DOCX generato come le farebbe un avvocato in Word: cambiare una frase,
cancellare una clausola, scrivere un articolo nuovo, spostare un articolo, rinominare la CER.

Si lavora sull'XML come Word: i segnalibri restano dove sono, un paragrafo cancellato porta
via i suoi segnalibri, un articolo scritto a mano non ne ha."""

from __future__ import annotations

import copy
import io
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from lxml import etree

from cer_docs.documents.lettura_docx import leggi_documento

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def q(nome: str) -> str:
    return f"{{{W}}}{nome}"


class Docx:
    def __init__(self, dati: bytes):
        self.dati = dati
        self.z = zipfile.ZipFile(io.BytesIO(dati))
        self.radice = etree.fromstring(self.z.read("word/document.xml"))
        self.corpo = self.radice.find(q("body"))
        self.par = list(self.corpo.iter(q("p")))
        self.letto = leggi_documento(dati)

    def intervallo(self, segnalibro: str) -> list:
        for c, i, f in self.letto.clausole:
            if c.segnalibro == segnalibro:
                return self.par[i:f + 1]
        raise KeyError(segnalibro)

    def salva(self) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            for info in self.z.infolist():
                dati = self.z.read(info.filename)
                if info.filename == "word/document.xml":
                    dati = etree.tostring(self.radice, xml_declaration=True, encoding="UTF-8", standalone=True)
                z.writestr(info, dati)
        return out.getvalue()


def _testo(p) -> str:
    return "".join(t.text or "" for t in p.iter(q("t")))


def cambia_frase(dati: bytes, segnalibro: str, vecchio: str, nuovo: str) -> bytes:
    d = Docx(dati)
    for p in d.intervallo(segnalibro):
        t = [x for x in p.iter(q("t"))]
        tutto = "".join(x.text or "" for x in t)
        if vecchio in tutto:
            for x in t:  # il cambio dentro un solo w:t quando si può, come fa Word
                if vecchio in (x.text or ""):
                    x.text = x.text.replace(vecchio, nuovo)
                    x.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
                    return d.salva()
            t[0].text = tutto.replace(vecchio, nuovo)
            for x in t[1:]:
                x.text = ""
            return d.salva()
    raise AssertionError(f"«{vecchio}» non è in {segnalibro}")


def elimina_clausola(dati: bytes, segnalibro: str) -> bytes:
    d = Docx(dati)
    for p in d.intervallo(segnalibro):
        p.getparent().remove(p)
    return d.salva()


def _senza_segnalibri(p):
    p = copy.deepcopy(p)
    for b in list(p.iter(q("bookmarkStart"), q("bookmarkEnd"))):
        b.getparent().remove(b)
    return p


def _metti_testo(p, testo: str):
    runs = p.findall(q("r"))
    for r in runs[1:]:
        p.remove(r)
    for el in list(p):
        if el.tag not in (q("pPr"), q("r")):
            p.remove(el)
    r = runs[0]
    for el in list(r):
        if el.tag != q("rPr"):
            r.remove(el)
    t = etree.SubElement(r, q("t"))
    t.text = testo
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return p


def inserisci_articolo(dati: bytes, dopo: str, titolo: str, testo: str, modello_titolo: str = "art_sede",
                       modello_corpo: str = "cl_sede_legale") -> bytes:
    """Scrive un articolo nuovo (titolo nello stile degli articoli e un comma) dopo la clausola ``dopo``."""
    d = Docx(dati)
    ultimo = d.intervallo(dopo)[-1]
    tit = _metti_testo(_senza_segnalibri(d.intervallo(modello_titolo)[0]), f"– {titolo}")
    corpo = _metti_testo(_senza_segnalibri(d.intervallo(modello_corpo)[0]), testo)
    ultimo.addnext(tit)
    tit.addnext(corpo)
    return d.salva()


def sposta_articolo(dati: bytes, articolo: str, dopo: str) -> bytes:
    """Taglia l'articolo (titolo e clausole fino al titolo seguente) e lo incolla dopo la clausola ``dopo``."""
    d = Docx(dati)
    inizio = d.par.index(d.intervallo(articolo)[0])
    titoli = sorted(i for c, i, _f in d.letto.clausole if c.tipo == "articolo" and i > inizio)
    fine = titoli[0] if titoli else len(d.par)
    blocco = d.par[inizio:fine]
    ancora = d.intervallo(dopo)[-1]
    for p in reversed(blocco):
        ancora.addnext(p)
    return d.salva()


def rinomina(dati: bytes, vecchio: str, nuovo: str) -> bytes:
    d = Docx(dati)
    for t in d.corpo.iter(q("t")):
        if t.text and vecchio in t.text:
            t.text = t.text.replace(vecchio, nuovo)
    return d.salva()


def andata_e_ritorno_libreoffice(dati: bytes) -> bytes:
    """Il file aperto e salvato da LibreOffice Writer (``soffice --convert-to docx``)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    with tempfile.TemporaryDirectory() as t:
        src = Path(t) / "in" / "documento.docx"
        src.parent.mkdir()
        src.write_bytes(dati)
        out = Path(t) / "out"
        subprocess.run([soffice, f"-env:UserInstallation=file://{t}/profilo", "--headless", "--convert-to",
                        "docx:MS Word 2007 XML", "--outdir", str(out), str(src)],
                       check=True, capture_output=True, timeout=180)
        return (out / "documento.docx").read_bytes()
