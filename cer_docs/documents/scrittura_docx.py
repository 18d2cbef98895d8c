"""Scrittore DOCX: documento risolto → Word con stili veri (python-docx).

Stili usati, perché un notaio possa modificare il file senza combattere il formato:
``Title``/``Subtitle`` per il titolo, ``Heading 1`` per le sezioni («Titolo I – …»),
``Heading 2`` per gli articoli («Art. N – Titolo», visibili nel riquadro di spostamento),
``Heading 3`` per l'indicazione dell'allegato, ``List Bullet`` per gli elenchi puntati,
``Elenco lettere`` (rientro sporgente) per le voci a), b), c), ``Testo tabella`` e lo stile
di tabella ``Table Grid`` per le tabelle (riga d'intestazione ripetuta), intestazione di
pagina con il nome della CER, piè di pagina «pagina X di Y» con i campi PAGE e NUMPAGES,
filigrana BOZZA (forma VML come quella che inserisce Word) a richiesta, margini A4.

Il testo dell'utente è già pulito dal motore; qui si ripulisce comunque ogni stringa dai
caratteri che XML non ammette, perché un file corrotto non deve mai uscire.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from functools import lru_cache
from typing import Any

import yaml
from docx import Document as _NuovoDocx
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_COLOR_INDEX, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from .clausole import TEMPLATES_DIR
from .motore import pulisci_testo
from .struttura import (
    Documento, Elenco, Firme, Intestazione, Paragrafo, SaltoPagina, Segmento, Tabella, Titolo, TitoloArticolo,
)

LAYOUT_DIR = TEMPLATES_DIR / "layout"
_ALLINEA = {
    "giustificato": WD_ALIGN_PARAGRAPH.JUSTIFY, "centrato": WD_ALIGN_PARAGRAPH.CENTER,
    "destra": WD_ALIGN_PARAGRAPH.RIGHT, "sinistra": WD_ALIGN_PARAGRAPH.LEFT,
}
_DATA_FISSA = (2025, 1, 1, 0, 0, 0)  # orario dei membri dello ZIP: file identici per dati identici


@lru_cache(maxsize=1)
def _layout() -> dict[str, Any]:
    return yaml.safe_load((LAYOUT_DIR / "docx.yaml").read_text(encoding="utf-8"))


def _t(x: str) -> str:
    return pulisci_testo(x)


# ----------------------------------------------------------------------------- stili


def _carattere(rpr_owner, nome: str) -> None:
    """Imposta il carattere su tutti gli script e toglie i riferimenti al tema."""
    rpr = rpr_owner.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        if rfonts.get(qn(attr)) is not None:
            del rfonts.attrib[qn(attr)]
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        rfonts.set(qn(attr), nome)


def _lingua(rpr_owner, lingua: str) -> None:
    rpr = rpr_owner.get_or_add_rPr()
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), lingua)
    lang.set(qn("w:eastAsia"), lingua)
    lang.set(qn("w:bidi"), "ar-SA")


def _senza_bordi_paragrafo(style) -> None:
    ppr = style.element.get_or_add_pPr()
    for b in ppr.findall(qn("w:pBdr")):
        ppr.remove(b)


def _senza_spaziatura_caratteri(style) -> None:
    rpr = style.element.get_or_add_rPr()
    for el in rpr.findall(qn("w:spacing")):
        rpr.remove(el)


def _stile(doc, nome: str, *, base: str | None = None, pt: float | None = None, grassetto: bool | None = None,
           corsivo: bool | None = None, allinea=None, prima: float | None = None, dopo: float | None = None,
           con_seguente: bool | None = None, carattere: str | None = None, interlinea: float | None = None,
           tipo=WD_STYLE_TYPE.PARAGRAPH):
    stili = doc.styles
    try:
        s = stili[nome]
    except KeyError:
        s = stili.add_style(nome, tipo)
        s.quick_style = True
        if base:
            s.base_style = stili[base]
    f = s.font
    if pt is not None:
        f.size = Pt(pt)
    if grassetto is not None:
        f.bold = grassetto
    if corsivo is not None:
        f.italic = corsivo
    f.color.rgb = RGBColor(0, 0, 0)
    if carattere:
        _carattere(s.element, carattere)
    pf = s.paragraph_format
    if allinea is not None:
        pf.alignment = allinea
    if prima is not None:
        pf.space_before = Pt(prima)
    if dopo is not None:
        pf.space_after = Pt(dopo)
    if con_seguente is not None:
        pf.keep_with_next = con_seguente
    if interlinea is not None:
        pf.line_spacing = interlinea
    return s


def _prepara_stili(d) -> None:
    L = _layout()
    font = L["carattere"]
    normal = _stile(d, "Normal", pt=L["corpo_pt"], allinea=WD_ALIGN_PARAGRAPH.JUSTIFY, prima=0,
                    dopo=L["spazio_dopo_pt"], carattere=font, interlinea=L["interlinea"])
    _lingua(normal.element, "it-IT")
    normal.paragraph_format.widow_control = True
    t = _stile(d, "Title", pt=L["titolo_pt"], grassetto=True, allinea=WD_ALIGN_PARAGRAPH.CENTER, prima=12, dopo=4,
               carattere=font, interlinea=1.1)
    _senza_bordi_paragrafo(t)
    t.font.all_caps = False
    sub = _stile(d, "Subtitle", pt=L["sottotitolo_pt"], corsivo=True, allinea=WD_ALIGN_PARAGRAPH.CENTER, prima=0,
                 dopo=4, carattere=font)
    _senza_spaziatura_caratteri(sub)
    cap = _stile(d, "Caption", pt=9.5, grassetto=False, corsivo=True, allinea=WD_ALIGN_PARAGRAPH.LEFT, prima=6,
                 dopo=3, carattere=font)
    _senza_spaziatura_caratteri(cap)
    _stile(d, "Heading 1", pt=L["sezione_pt"], grassetto=True, corsivo=False, allinea=WD_ALIGN_PARAGRAPH.CENTER,
           prima=18, dopo=6, con_seguente=True, carattere=font, interlinea=1.1)
    _stile(d, "Heading 2", pt=L["articolo_pt"], grassetto=True, corsivo=False, allinea=WD_ALIGN_PARAGRAPH.LEFT,
           prima=12, dopo=4, con_seguente=True, carattere=font, interlinea=1.1)
    # frontespizio di un allegato (da solo sulla sua pagina)
    _stile(d, "Heading 3", pt=15, grassetto=True, corsivo=False, allinea=WD_ALIGN_PARAGRAPH.CENTER,
           prima=250, dopo=0, con_seguente=False, carattere=font, interlinea=1.2)
    lb = _stile(d, "List Bullet", carattere=font, dopo=3)
    lb.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    el = _stile(d, "Elenco lettere", base="Normal", dopo=3)
    el.paragraph_format.left_indent = Mm(L["elenco_rientro_mm"])
    el.paragraph_format.first_line_indent = Mm(-L["elenco_sporgenza_mm"])
    el.paragraph_format.tab_stops.add_tab_stop(Mm(L["elenco_rientro_mm"]), WD_TAB_ALIGNMENT.LEFT)
    _stile(d, "Testo tabella", base="Normal", pt=L["tabella_pt"], allinea=WD_ALIGN_PARAGRAPH.LEFT, prima=0, dopo=0,
           interlinea=1.0)
    _stile(d, "Firma", base="Normal", allinea=WD_ALIGN_PARAGRAPH.LEFT, prima=0, dopo=0, interlinea=1.0)
    for nome in ("Header", "Footer"):
        _stile(d, nome, pt=L["intestazione_pt"], carattere=L["carattere_intestazione"], prima=0, dopo=0,
               interlinea=1.0)


# ----------------------------------------------------------------------------- pagina


def _campo(par, istruzione: str, segnaposto: str = "1") -> None:
    def run_con(el):
        r = par.add_run()
        r._r.append(el)
        return r

    b = OxmlElement("w:fldChar")
    b.set(qn("w:fldCharType"), "begin")
    run_con(b)
    it = OxmlElement("w:instrText")
    it.set(qn("xml:space"), "preserve")
    it.text = f" {istruzione} "
    run_con(it)
    s = OxmlElement("w:fldChar")
    s.set(qn("w:fldCharType"), "separate")
    run_con(s)
    par.add_run(segnaposto)
    e = OxmlElement("w:fldChar")
    e.set(qn("w:fldCharType"), "end")
    run_con(e)


def _bordo_sotto(par) -> None:
    ppr = par._p.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", "4"), ("w:space", "1"), ("w:color", "777777")):
        bottom.set(qn(k), v)
    bdr.append(bottom)
    ppr.append(bdr)


_VML = (
    '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office">'
    '<w:rPr><w:noProof/></w:rPr><w:pict>'
    '<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" '
    'path="m@7,l@8,m@5,21600l@6,21600e">'
    '<v:formulas><v:f eqn="sum #0 0 10800"/><v:f eqn="prod #0 2 1"/><v:f eqn="sum 21600 0 @1"/>'
    '<v:f eqn="sum 0 0 @2"/><v:f eqn="sum 21600 0 @3"/><v:f eqn="if @0 @3 0"/><v:f eqn="if @0 21600 @1"/>'
    '<v:f eqn="if @0 0 @2"/><v:f eqn="if @0 @4 21600"/><v:f eqn="mid @5 @6"/><v:f eqn="mid @8 @5"/>'
    '<v:f eqn="mid @7 @8"/><v:f eqn="mid @6 @7"/><v:f eqn="sum @6 0 @5"/></v:formulas>'
    '<v:path textpathok="t" o:connecttype="custom" '
    'o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800" o:connectangles="270,180,90,0"/>'
    '<v:textpath on="t" fitshape="t"/><v:handles><v:h position="#0,bottomRight" xrange="6629,14971"/>'
    '</v:handles><o:lock v:ext="edit" text="t" shapetype="t"/></v:shapetype>'
    '<v:shape id="FiligranaBozza{n}" o:spid="_x0000_s20{n}5" type="#_x0000_t136" '
    'style="position:absolute;margin-left:0;margin-top:0;width:430pt;height:140pt;rotation:315;'
    'z-index:-251655168;mso-position-horizontal:center;mso-position-horizontal-relative:margin;'
    'mso-position-vertical:center;mso-position-vertical-relative:margin" o:allowincell="f" '
    'fillcolor="{colore}" stroked="f"><v:fill opacity="{opacita}"/>'
    '<v:textpath style="font-family:&quot;Liberation Sans&quot;;font-size:1pt;font-weight:bold" '
    'string="{testo}"/></v:shape></w:pict></w:r>'
)


def _filigrana(par, n: int) -> None:
    f = _layout()["filigrana"]
    par._p.append(parse_xml(_VML.format(n=n, colore=f["colore"], opacita=f["opacita"], testo=f["testo"])))


def _prepara_pagina(d, doc: Documento) -> None:
    L = _layout()
    m = L["margini_mm"]
    sez = d.sections[0]
    sez.page_width, sez.page_height = Mm(L["pagina_mm"]["larghezza"]), Mm(L["pagina_mm"]["altezza"])
    sez.top_margin, sez.bottom_margin = Mm(m["sopra"]), Mm(m["sotto"])
    sez.left_margin, sez.right_margin = Mm(m["sinistra"]), Mm(m["destra"])
    sez.header_distance, sez.footer_distance = Mm(m["intestazione"]), Mm(m["pie"])
    sez.start_type = WD_SECTION.NEW_PAGE
    sez.different_first_page_header_footer = True

    # intestazione delle pagine successive alla prima: il nome della CER
    h = sez.header.paragraphs[0]
    h.style = d.styles["Header"]
    h.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    r = h.add_run((("BOZZA – " if doc.bozza else "") + _t(doc.intestazione)))
    r.italic = True
    _bordo_sotto(h)
    prima = sez.first_page_header.paragraphs[0]
    prima.style = d.styles["Header"]
    if doc.bozza:
        _filigrana(h, 1)
        _filigrana(prima, 2)

    for footer in (sez.footer, sez.first_page_footer):
        p = footer.paragraphs[0]
        p.style = d.styles["Footer"]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run("pagina ")
        _campo(p, "PAGE")
        p.add_run(" di ")
        _campo(p, "NUMPAGES")


# ----------------------------------------------------------------------------- blocchi


def _runs(par, segmenti: list[Segmento], evidenzia: bool) -> None:
    colore = getattr(WD_COLOR_INDEX, _layout()["evidenziatore"])
    for s in segmenti:
        r = par.add_run(_t(s.testo))  # python-docx: \n → <w:br/>, \t → <w:tab/>
        if s.grassetto:
            r.bold = True
        if s.corsivo:
            r.italic = True
        if evidenzia and s.evidenza:
            r.font.highlight_color = colore
        if s.da_completare:  # dato mancante: sempre evidenziato, di un colore diverso nella copia GSE
            r.font.highlight_color = getattr(WD_COLOR_INDEX, _layout()["evidenziatore_lacune"][evidenzia])


def _larghezze(t: Tabella, totale_mm: float) -> list[float]:
    tot = sum(c.larghezza for c in t.colonne) or 1
    return [totale_mm * c.larghezza / tot for c in t.colonne]


def _cella(cell, testo: str, stili: _Stili, allinea, grassetto: bool = False, sfondo: str | None = None) -> None:
    p = cell.paragraphs[0]
    stili.applica(p, "Testo tabella")
    p.alignment = allinea
    r = p.add_run(_t(testo))
    if grassetto:
        r.bold = True
    if sfondo:
        tcpr = cell._tc.get_or_add_tcPr()
        shd = OxmlElement("w:shd")
        shd.set(qn("w:val"), "clear")
        shd.set(qn("w:color"), "auto")
        shd.set(qn("w:fill"), sfondo)
        tcpr.append(shd)


def _riga_intestazione(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    h = OxmlElement("w:tblHeader")
    h.set(qn("w:val"), "true")
    trpr.append(h)


def _non_dividere(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    c = OxmlElement("w:cantSplit")
    c.set(qn("w:val"), "true")
    trpr.append(c)


def _tabella(d, t: Tabella, larghezza_mm: float, stili: _Stili) -> None:
    L = _layout()
    if t.didascalia:
        p = _paragrafo(d, stili, "Caption")
        p.add_run(_t(t.didascalia)).italic = True
        p.paragraph_format.keep_with_next = True
    tab = d.add_table(rows=1 + len(t.righe), cols=len(t.colonne))
    tab.style = d.styles["Table Grid"]
    tab.alignment = WD_TABLE_ALIGNMENT.CENTER
    tab.autofit = False
    larghezze = _larghezze(t, larghezza_mm)
    for j, c in enumerate(t.colonne):
        _cella(tab.rows[0].cells[j], c.titolo, stili, _ALLINEA[c.allineamento], grassetto=True,
               sfondo=L["grigio_intestazione_tabella"])
    _riga_intestazione(tab.rows[0])
    for i, riga in enumerate(t.righe, start=1):
        row = tab.rows[i]
        _non_dividere(row)
        for j, v in enumerate(riga):
            _cella(row.cells[j], v, stili, _ALLINEA[t.colonne[j].allineamento])
    _larghezze_fisse(tab, larghezze)
    _paragrafo(d, stili, "Testo tabella")  # respiro dopo la tabella


def _larghezze_fisse(tab, larghezze_mm: list[float]) -> None:
    """Colonne a larghezza fissa: Word legge le celle, LibreOffice la griglia; si scrivono
    entrambe, con la tabella a impaginazione fissa."""
    twip = [int(round(Mm(w).twips)) for w in larghezze_mm]
    for gc, w in zip(tab._tbl.tblGrid.findall(qn("w:gridCol")), twip):
        gc.set(qn("w:w"), str(w))
    for row in tab.rows:
        for cell, w in zip(row.cells, larghezze_mm):
            cell.width = Mm(w)
    tblpr = tab._tbl.tblPr
    for vecchio in tblpr.findall(qn("w:tblW")) + tblpr.findall(qn("w:tblLayout")):
        tblpr.remove(vecchio)
    tw = OxmlElement("w:tblW")
    tw.set(qn("w:w"), str(sum(twip)))
    tw.set(qn("w:type"), "dxa")
    tblpr.append(tw)
    lay = OxmlElement("w:tblLayout")
    lay.set(qn("w:type"), "fixed")
    tblpr.append(lay)
    margini = OxmlElement("w:tblCellMar")
    for lato, mm in (("top", 0.6), ("left", 1.3), ("bottom", 0.6), ("right", 1.3)):
        m = OxmlElement(f"w:{lato}")
        m.set(qn("w:w"), str(int(round(Mm(mm).twips))))
        m.set(qn("w:type"), "dxa")
        margini.append(m)
    tblpr.append(margini)


def _firme(d, f: Firme, larghezza_mm: float, stili: _Stili) -> None:
    if f.intestazione:
        p = _paragrafo(d, stili, "Normal", _t(f.intestazione))
        p.paragraph_format.space_before = Pt(12)
        p.paragraph_format.keep_with_next = True
    tab = d.add_table(rows=len(f.firmatari), cols=2)
    tab.autofit = False
    for i, firma in enumerate(f.firmatari):
        row = tab.rows[i]
        _non_dividere(row)
        nome, linea = row.cells
        p = nome.paragraphs[0]
        stili.applica(p, "Firma")
        p.paragraph_format.space_before = Pt(16)
        p.add_run(_t(firma.nome))
        if firma.qualifica:
            q = nome.add_paragraph()
            stili.applica(q, "Firma")
            rq = q.add_run(_t(firma.qualifica))
            rq.italic = True
            rq.font.size = Pt(9.5)
        stili.applica(linea.paragraphs[0], "Firma")
        tcpr = linea._tc.get_or_add_tcPr()
        borders = OxmlElement("w:tcBorders")
        bottom = OxmlElement("w:bottom")
        for k, v in (("w:val", "single"), ("w:sz", "4"), ("w:space", "0"), ("w:color", "000000")):
            bottom.set(qn(k), v)
        borders.append(bottom)
        tcpr.append(borders)
    _larghezze_fisse(tab, [larghezza_mm * 0.55, larghezza_mm * 0.45])


class _Stili:
    """Id degli stili risolti una volta: cercare uno stile per nome in python-docx scorre
    tutti gli stili a ogni paragrafo (era metà del tempo di resa)."""

    def __init__(self, d) -> None:
        self.id = {s.name: s.style_id for s in d.styles}

    def applica(self, par, nome: str) -> None:
        par._p.style = self.id[nome]


def _paragrafo(d, stili: _Stili, nome: str, testo: str | None = None):
    par = d.add_paragraph()
    stili.applica(par, nome)
    if testo:
        par.add_run(testo)
    return par


def render_docx(doc: Documento) -> bytes:
    """Il DOCX del documento risolto, in memoria."""
    d = _NuovoDocx()
    _prepara_stili(d)
    stili = _Stili(d)
    _prepara_pagina(d, doc)
    L = _layout()
    larghezza = L["pagina_mm"]["larghezza"] - L["margini_mm"]["sinistra"] - L["margini_mm"]["destra"]
    corpo = d.element.body
    # il modello vuoto di python-docx ha un paragrafo iniziale: lo si toglie
    for p in list(corpo.iterchildren(qn("w:p"))):
        corpo.remove(p)

    salto_in_attesa = False
    for b in doc.blocchi:
        par = None
        if isinstance(b, SaltoPagina):
            salto_in_attesa = True
            continue
        if isinstance(b, Titolo):
            par = _paragrafo(d, stili, "Title", _t(b.testo).replace("\n", " "))
            if salto_in_attesa:
                par.paragraph_format.page_break_before = True
                salto_in_attesa = False
            for s in b.sottotitoli:
                _paragrafo(d, stili, "Subtitle", _t(s))
            continue
        if isinstance(b, Intestazione):
            par = _paragrafo(d, stili, "Heading 1" if b.livello == 1 else "Heading 3", _t(b.testo))
        elif isinstance(b, TitoloArticolo):
            par = _paragrafo(d, stili, "Heading 2", _t(b.testo))
        elif isinstance(b, Paragrafo):
            par = _paragrafo(d, stili, "Normal")
            if b.allineamento != "giustificato":
                par.alignment = _ALLINEA[b.allineamento]
            if b.comma:
                par.add_run(b.comma + " ")
            _runs(par, b.segmenti, doc.evidenzia)
        elif isinstance(b, Elenco):
            for v in b.voci:
                if b.lettere:
                    p = _paragrafo(d, stili, "Elenco lettere", f"{v.segno}\t")
                else:
                    p = _paragrafo(d, stili, "List Bullet")
                _runs(p, v.segmenti, doc.evidenzia)
                if par is None:
                    par = p
        elif isinstance(b, Tabella):
            if salto_in_attesa:
                d.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
                salto_in_attesa = False
            _tabella(d, b, larghezza, stili)
            continue
        elif isinstance(b, Firme):
            _firme(d, b, larghezza, stili)
            continue
        if salto_in_attesa and par is not None:
            par.paragraph_format.page_break_before = True
            salto_in_attesa = False

    cp = d.core_properties
    cp.title = _t(f"{doc.titolo} – {doc.intestazione}")
    cp.subject = _t(doc.titolo)
    cp.author = "cer-docs"
    cp.last_modified_by = "cer-docs"
    cp.language = doc.lingua
    cp.keywords = "CER; comunità energetica rinnovabile" + ("; BOZZA" if doc.bozza else "")
    cp.created = cp.modified = dt.datetime(2025, 1, 1)
    cp.revision = 1
    out = io.BytesIO()
    d.save(out)
    return _zip_stabile(out.getvalue())


def _zip_stabile(dati: bytes) -> bytes:
    """Riscrive lo ZIP con date fisse: stesso documento, stessi byte (e stesso sha256)."""
    src = zipfile.ZipFile(io.BytesIO(dati))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            nuovo = zipfile.ZipInfo(info.filename, date_time=_DATA_FISSA)
            nuovo.compress_type = zipfile.ZIP_DEFLATED
            nuovo.external_attr = info.external_attr
            dst.writestr(nuovo, src.read(info.filename))
    return out.getvalue()
