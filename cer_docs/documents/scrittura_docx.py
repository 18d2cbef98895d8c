"""Scrittore DOCX: documento risolto → Word con stili veri (python-docx).

Stili usati, perché un notaio possa modificare il file senza combattere il formato:
``Title``/``Subtitle`` per il titolo, ``Heading 1`` per le sezioni («Titolo I – …»),
``Heading 2`` per gli articoli («Art. N – Titolo», visibili nel riquadro di spostamento): il
numero «Art. N» non è testo ma l'etichetta di una numerazione di Word legata allo stile
(``w:numPr`` nello stile, ``w:lvlText`` «Art. %1»), così che un articolo inserito dal notaio
rinumeri tutti i successivi; ogni titolo d'articolo porta il segnalibro ``art_<id>`` e ogni
rinvio interno («dell'art. 7») è un campo ``REF art_<id> \\r \\h \\* Lower`` con il risultato già scritto;
``w:updateFields`` chiede a Word di aggiornare i campi all'apertura (LibreOffice li ricalcola
sempre: vedi ``lettura_docx``). Ogni clausola è avvolta dal segnalibro ``cl_<id>`` e la sua
impronta (sha256 del testo generato) sta nelle proprietà personalizzate del file
(``docProps/custom.xml``), che Word e LibreOffice conservano;
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
    Documento, Elenco, Firme, Inclusione, Intestazione, Paragrafo, SaltoPagina, Segmento, Tabella, Titolo,
    ETICHETTA_ARTICOLO, TitoloArticolo, ambiti, identita, titolo_metadati,
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


def _imposta_pagina(sez) -> None:
    L = _layout()
    m = L["margini_mm"]
    sez.page_width, sez.page_height = Mm(L["pagina_mm"]["larghezza"]), Mm(L["pagina_mm"]["altezza"])
    sez.top_margin, sez.bottom_margin = Mm(m["sopra"]), Mm(m["sotto"])
    sez.left_margin, sez.right_margin = Mm(m["sinistra"]), Mm(m["destra"])
    sez.header_distance, sez.footer_distance = Mm(m["intestazione"]), Mm(m["pie"])
    sez.start_type = WD_SECTION.NEW_PAGE
    sez.different_first_page_header_footer = True


def _riga_intestazione_pagina(d, par, testo: str) -> None:
    par.style = d.styles["Header"]
    par.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    r = par.add_run(_t(testo))
    r.italic = True
    _bordo_sotto(par)


def _testate(d, sez, intestazione: str, piede: str, bozza: bool, n: int, solo_pagina: bool = False) -> None:
    """Intestazione e piè di pagina di una sezione. La prima pagina (il titolo, il frontespizio
    di un allegato) non ripete il nome della CER, tranne nelle bozze: «BOZZA – …» su ogni
    pagina. ``n`` distingue le forme della filigrana delle diverse sezioni."""
    for testata in (sez.header, sez.first_page_header, sez.footer, sez.first_page_footer):
        testata.is_linked_to_previous = False
    testo = ("BOZZA – " if bozza else "") + intestazione
    _riga_intestazione_pagina(d, sez.header.paragraphs[0], testo)
    prima = sez.first_page_header.paragraphs[0]
    if bozza:
        _riga_intestazione_pagina(d, prima, testo)
        _filigrana(sez.header.paragraphs[0], 2 * n + 1)
        _filigrana(prima, 2 * n + 2)
    else:
        prima.style = d.styles["Header"]

    for footer in (sez.footer, sez.first_page_footer):
        p = footer.paragraphs[0]
        p.style = d.styles["Footer"]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if piede or solo_pagina:
            # LibreOffice 7.4 non calcola SECTIONPAGES: l'allegato mostra «pagina X» della
            # sua numerazione (che riparte da 1), senza un totale che sarebbe sbagliato
            p.add_run((_t(piede) + " – " if piede else "") + "pagina ")
            _campo(p, "PAGE")
        else:
            p.add_run("pagina ")
            _campo(p, "PAGE")
            p.add_run(" di ")
            _campo(p, "NUMPAGES")


def _prepara_pagina(d, doc: Documento) -> None:
    sez = d.sections[0]
    _imposta_pagina(sez)
    # con un allegato che numera le sue pagine da 1, NUMPAGES (il totale del file) direbbe il
    # falso anche qui: si scrive solo «pagina X»
    con_allegato = any(inc.allegato and inc.inizio is not None for inc in doc.inclusi)
    _testate(d, sez, doc.intestazione, doc.piede, doc.bozza, 0, solo_pagina=con_allegato)


def _nuova_sezione_allegato(d, inc: Inclusione, bozza: bool, n: int) -> None:
    """Una sezione nuova per l'allegato: comincia su una pagina nuova, con la numerazione delle
    pagine che riparte da 1 e intestazione e piè di pagina propri."""
    sez = d.add_section(WD_SECTION.NEW_PAGE)
    _imposta_pagina(sez)
    pg = OxmlElement("w:pgNumType")
    pg.set(qn("w:start"), "1")
    _inserisci_in_sectpr(sez._sectPr, pg)
    _testate(d, sez, inc.documento.intestazione, inc.documento.piede, bozza, n)


_ORDINE_SECTPR = ("headerReference", "footerReference", "footnotePr", "endnotePr", "type", "pgSz", "pgMar",
                  "paperSrc", "pgBorders", "lnNumType", "pgNumType", "cols", "formProt", "vAlign", "noEndnote",
                  "titlePg", "textDirection", "bidi", "rtlGutter", "docGrid", "printerSettings")


def _inserisci_in_sectpr(sectpr, el) -> None:
    """Inserisce ``el`` in ``w:sectPr`` al posto che lo schema gli assegna."""
    nome = el.tag.split("}")[1]
    dopo = set(_ORDINE_SECTPR[_ORDINE_SECTPR.index(nome) + 1:])
    for figlio in sectpr.iterchildren():
        if figlio.tag.split("}")[1] in dopo:
            figlio.addprevious(el)
            return
    sectpr.append(el)


# ----------------------------------------------------------------------------- numerazione e campi

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _numerazione_articoli(d, stile_id: str, ambiti_con_articoli: list[str]) -> dict[str, int]:
    """Una numerazione di Word per gli articoli di ciascun ambito (documento principale,
    statuto allegato): ``{prefisso: numId}``. Quella del documento principale è legata allo
    stile del titolo d'articolo (``w:pStyle`` nel livello, ``w:numPr`` nello stile); quella di
    un allegato riparte da 1 e si applica ai suoi titoli con ``w:numPr`` diretto. Il primo
    ambito con articoli è quello legato allo stile."""
    numerazione = d.part.numbering_part.element
    abs_ids = [int(x) for x in numerazione.xpath("./w:abstractNum/@w:abstractNumId")]
    num_ids = [int(x) for x in numerazione.xpath("./w:num/@w:numId")]
    prossimo_abs, prossimo_num = max(abs_ids, default=0) + 1, max(num_ids, default=0) + 1
    etichetta = ETICHETTA_ARTICOLO.format(n="%1")
    out: dict[str, int] = {}
    for k, prefisso in enumerate(ambiti_con_articoli):
        a, n = prossimo_abs + k, prossimo_num + k
        lega = f'<w:pStyle w:val="{stile_id}"/>' if k == 0 else ""
        nsid = f"{0x43455200 + k:08X}"
        astratto = parse_xml(
            f'<w:abstractNum xmlns:w="{_W}" w:abstractNumId="{a}"><w:nsid w:val="{nsid}"/>'
            f'<w:multiLevelType w:val="singleLevel"/><w:name w:val="Articoli{(" " + prefisso[:-1]) if prefisso else ""}"/>'
            f'<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>{lega}<w:suff w:val="space"/>'
            f'<w:lvlText w:val="{etichetta}"/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:ind w:left="0" w:firstLine="0"/></w:pPr></w:lvl></w:abstractNum>')
        primo_num = numerazione.find(qn("w:num"))
        if primo_num is not None:
            primo_num.addprevious(astratto)
        else:
            numerazione.append(astratto)
        numerazione.append(parse_xml(f'<w:num xmlns:w="{_W}" w:numId="{n}"><w:abstractNumId w:val="{a}"/></w:num>'))
        out[prefisso] = n
    if out:
        ppr = d.styles["Heading 2"].element.get_or_add_pPr()
        for vecchio in ppr.findall(qn("w:numPr")):
            ppr.remove(vecchio)
        numpr = parse_xml(f'<w:numPr xmlns:w="{_W}"><w:numId w:val="{out[ambiti_con_articoli[0]]}"/></w:numPr>')
        ppr.insert(0, numpr)  # numPr precede gli altri figli di pPr che lo stile imposta
        _riordina_ppr(ppr)
    return out


_ORDINE_PPR = ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
               "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
               "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
               "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
               "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr",
               "sectPr", "pPrChange")


def _riordina_ppr(ppr) -> None:
    figli = list(ppr)
    figli.sort(key=lambda e: _ORDINE_PPR.index(e.tag.split("}")[1]) if e.tag.split("}")[1] in _ORDINE_PPR else 99)
    for f in figli:
        ppr.remove(f)
    for f in figli:
        ppr.append(f)


def _numpr_diretto(par, num_id: int) -> None:
    ppr = par._p.get_or_add_pPr()
    ppr.append(parse_xml(f'<w:numPr xmlns:w="{_W}"><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>'))
    _riordina_ppr(ppr)


def _rinvio(par, segnalibro: str, testo: str, evidenzia: bool) -> None:
    """Campo REF al segnalibro del titolo d'articolo: riporta l'etichetta «Art. N» della sua
    numerazione (``\\r``) in minuscolo (``\\* Lower``: «dell'art. 7» dentro la frase), è un
    collegamento (``\\h``); il risultato è già scritto, così il testo è giusto anche prima che i
    campi si aggiornino."""
    colore = getattr(WD_COLOR_INDEX, _layout()["evidenziatore"]) if evidenzia else None

    def run_con(el=None, testo_run=None):
        r = par.add_run(testo_run)
        if el is not None:
            r._r.append(el)
        if colore is not None:
            r.font.highlight_color = colore
        return r

    b = OxmlElement("w:fldChar")
    b.set(qn("w:fldCharType"), "begin")
    run_con(b)
    it = OxmlElement("w:instrText")
    it.set(qn("xml:space"), "preserve")
    it.text = f" REF {segnalibro} \\r \\h \\* Lower "
    run_con(it)
    sep = OxmlElement("w:fldChar")
    sep.set(qn("w:fldCharType"), "separate")
    run_con(sep)
    run_con(testo_run=_t(testo))
    e = OxmlElement("w:fldChar")
    e.set(qn("w:fldCharType"), "end")
    run_con(e)


class _Segnalibri:
    def __init__(self) -> None:
        self.n = 0

    def avvolgi(self, nome: str, primo, ultimo) -> None:
        """Segnalibro dall'inizio del paragrafo ``primo`` alla fine del paragrafo ``ultimo``
        (elementi ``w:p``), dopo le proprietà del paragrafo come vuole lo schema."""
        self.n += 1
        inizio = OxmlElement("w:bookmarkStart")
        inizio.set(qn("w:id"), str(self.n))
        inizio.set(qn("w:name"), nome)
        fine = OxmlElement("w:bookmarkEnd")
        fine.set(qn("w:id"), str(self.n))
        ppr = primo.find(qn("w:pPr"))
        if ppr is not None:
            ppr.addnext(inizio)
        else:
            primo.insert(0, inizio)
        ultimo.append(fine)


_CT_CUSTOM = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
_RT_CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
PROPRIETA_VERSIONE = "cer-docs identità"
"""Proprietà personalizzata che dice quale forma hanno le identità delle clausole."""


def _proprieta_identita(d, voci: list[tuple[str, str]]) -> None:
    """``docProps/custom.xml``: una proprietà per segnalibro (nome → «tipo documento id sha256»)."""
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from xml.sax.saxutils import quoteattr, escape

    props = [(PROPRIETA_VERSIONE, "1")] + voci
    corpo = "".join(
        f'<property fmtid="{_FMTID}" pid="{i}" name={quoteattr(nome)}><vt:lpwstr>{escape(valore)}</vt:lpwstr></property>'
        for i, (nome, valore) in enumerate(props, start=2))
    xml = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
           'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
           f'{corpo}</Properties>').encode("utf-8")
    pacchetto = d.part.package
    pacchetto.relate_to(Part(PackURI("/docProps/custom.xml"), _CT_CUSTOM, xml, pacchetto), _RT_CUSTOM)


def _aggiorna_campi_all_apertura(d) -> None:
    impostazioni = d.settings.element
    for vecchio in impostazioni.findall(qn("w:updateFields")):
        impostazioni.remove(vecchio)
    u = OxmlElement("w:updateFields")
    u.set(qn("w:val"), "true")
    # nello schema updateFields viene dopo gli elementi di protezione e di vista: in coda a
    # quelli che lo precedono, prima di quelli che lo seguono
    seguenti = {"hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids", "mathPr",
                "attachedSchema", "themeFontLang", "clrSchemeMapping", "doNotIncludeSubdocsInStats",
                "doNotAutoCompressPictures", "forceUpgrade", "captions", "readModeInkLockDown", "smartTagType",
                "schemaLibrary", "shapeDefaults", "doNotEmbedSmartTags", "decimalSymbol", "listSeparator"}
    for figlio in impostazioni.iterchildren():
        if figlio.tag.split("}")[1] in seguenti:
            figlio.addprevious(u)
            return
    impostazioni.append(u)


# ----------------------------------------------------------------------------- blocchi


def _runs(par, segmenti: list[Segmento], evidenzia: bool, rinvii: dict[str, str] | None = None) -> None:
    colore = getattr(WD_COLOR_INDEX, _layout()["evidenziatore"])
    for s in segmenti:
        if s.rinvio and rinvii and s.rinvio in rinvii:
            _rinvio(par, rinvii[s.rinvio], s.testo, evidenzia and bool(s.evidenza))
            continue
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
    # ``tab.rows[i]`` di python-docx ricrea la lista di tutte le righe a ogni accesso: con il
    # registro di 10.000 membri diventava quadratico. Le righe e le celle si leggono una volta.
    righe_tab = list(tab.rows)
    celle = righe_tab[0].cells
    for j, c in enumerate(t.colonne):
        _cella(celle[j], c.titolo, stili, _ALLINEA[c.allineamento], grassetto=True,
               sfondo=L["grigio_intestazione_tabella"])
    _riga_intestazione(righe_tab[0])
    for riga, row in zip(t.righe, righe_tab[1:]):
        _non_dividere(row)
        celle = row.cells
        for j, v in enumerate(riga):
            _cella(celle[j], v, stili, _ALLINEA[t.colonne[j].allineamento])
    _larghezze_fisse(tab, larghezze, righe_tab)
    _paragrafo(d, stili, "Testo tabella")  # respiro dopo la tabella


def _larghezze_fisse(tab, larghezze_mm: list[float], righe=None) -> None:
    """Colonne a larghezza fissa: Word legge le celle, LibreOffice la griglia; si scrivono
    entrambe, con la tabella a impaginazione fissa."""
    twip = [int(round(Mm(w).twips)) for w in larghezze_mm]
    for gc, w in zip(tab._tbl.tblGrid.findall(qn("w:gridCol")), twip):
        gc.set(qn("w:w"), str(w))
    for row in (righe if righe is not None else tab.rows):
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


@lru_cache(maxsize=1)
def _base_docx() -> bytes:
    """Il documento vuoto con gli stili della casa, preparato una volta per processo: ogni DOCX
    riparte da questi byte (misurato: ~20 ms invece di ~90 ms per aprire il modello di
    python-docx e rifare gli stili a ogni documento)."""
    d = _NuovoDocx()
    _prepara_stili(d)
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def render_docx(doc: Documento) -> bytes:
    """Il DOCX del documento risolto, in memoria."""
    d = _NuovoDocx(io.BytesIO(_base_docx()))
    stili = _Stili(d)
    _prepara_pagina(d, doc)
    L = _layout()
    larghezza = L["pagina_mm"]["larghezza"] - L["margini_mm"]["sinistra"] - L["margini_mm"]["destra"]
    corpo = d.element.body
    # il modello vuoto di python-docx ha un paragrafo iniziale: lo si toglie
    for p in list(corpo.iterchildren(qn("w:p"))):
        corpo.remove(p)

    pref = ambiti(doc)
    ident = identita(doc)
    segnalibro_articolo = {(pref[x.inizio], x.id): x.segnalibro for x in ident if x.tipo == "articolo"}
    con_articoli = sorted({pref[x.inizio] for x in ident if x.tipo == "articolo"}, key=lambda p: (p != "", p))
    num_articoli = _numerazione_articoli(d, stili.id["Heading 2"], con_articoli)
    sezioni_allegato = {inc.inizio: inc for inc in doc.inclusi if inc.allegato and inc.inizio is not None}

    def rinvii(prefisso: str) -> dict[str, str]:
        return {aid: nome for (p, aid), nome in segnalibro_articolo.items() if p == prefisso}

    paragrafi: list[tuple[Any, Any] | None] = []  # per blocco: (primo w:p, ultimo w:p)
    salto_in_attesa = False
    n_sezione = 0
    for i, b in enumerate(doc.blocchi):
        par = None
        ultimo = None
        if i in sezioni_allegato:
            n_sezione += 1
            _nuova_sezione_allegato(d, sezioni_allegato[i], doc.bozza, n_sezione)
            salto_in_attesa = False
        if isinstance(b, SaltoPagina):
            salto_in_attesa = True
            paragrafi.append(None)
            continue
        if isinstance(b, Titolo):
            par = _paragrafo(d, stili, "Title", _t(b.testo).replace("\n", " "))
            if salto_in_attesa:
                par.paragraph_format.page_break_before = True
                salto_in_attesa = False
            for s in b.sottotitoli:
                _paragrafo(d, stili, "Subtitle", _t(s))
            paragrafi.append((par._p, par._p))
            continue
        if isinstance(b, Intestazione):
            par = _paragrafo(d, stili, "Heading 1" if b.livello == 1 else "Heading 3", _t(b.testo))
        elif isinstance(b, TitoloArticolo):
            # «Art. N» è l'etichetta della numerazione di Word; il testo è «– Titolo»
            par = _paragrafo(d, stili, "Heading 2", _t(f"– {b.titolo}"))
            if pref[i] != con_articoli[0]:
                _numpr_diretto(par, num_articoli[pref[i]])
        elif isinstance(b, Paragrafo):
            par = _paragrafo(d, stili, "Normal")
            if b.allineamento != "giustificato":
                par.alignment = _ALLINEA[b.allineamento]
            if b.comma:
                par.add_run(b.comma + " ")
            _runs(par, b.segmenti, doc.evidenzia, rinvii(pref[i]))
        elif isinstance(b, Elenco):
            for v in b.voci:
                if b.lettere:
                    p = _paragrafo(d, stili, "Elenco lettere", f"{v.segno}\t")
                else:
                    p = _paragrafo(d, stili, "List Bullet")
                _runs(p, v.segmenti, doc.evidenzia, rinvii(pref[i]))
                if par is None:
                    par = p
                ultimo = p
        elif isinstance(b, Tabella):
            if salto_in_attesa:
                d.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
                salto_in_attesa = False
            _tabella(d, b, larghezza, stili)
            paragrafi.append(None)
            continue
        elif isinstance(b, Firme):
            _firme(d, b, larghezza, stili)
            paragrafi.append(None)
            continue
        if salto_in_attesa and par is not None:
            par.paragraph_format.page_break_before = True
            salto_in_attesa = False
        paragrafi.append((par._p, (ultimo or par)._p) if par is not None else None)

    # segnalibri: titoli d'articolo e clausole
    segnalibri = _Segnalibri()
    proprieta: list[tuple[str, str]] = []
    for x in ident:
        estremi = [paragrafi[k] for k in range(x.inizio, x.fine) if paragrafi[k] is not None]
        if not estremi:
            continue
        segnalibri.avvolgi(x.segnalibro, estremi[0][0], estremi[-1][1])
        proprieta.append((x.segnalibro, f"{x.tipo} {x.documento} {x.id} {x.sha256}"))
    _proprieta_identita(d, proprieta)
    _aggiorna_campi_all_apertura(d)

    cp = d.core_properties
    # le proprietà del documento DOCX ammettono al massimo 255 caratteri
    cp.title = _t(titolo_metadati(doc))[:255]
    cp.subject = _t(doc.titolo)[:255]
    cp.author = "cer-docs"
    cp.last_modified_by = "cer-docs"
    cp.language = doc.lingua
    cp.keywords = "; ".join([_t(doc.titolo), "comunità energetica", "cer-docs"] + (["BOZZA"] if doc.bozza else []))
    cp.created = cp.modified = dt.datetime(2025, 1, 1)
    cp.revision = 1
    return _salva_stabile(d)


class _ZipStabile:
    """Scrittore del pacchetto per python-docx: membri con data fissa, in un solo passaggio
    (gli stessi byte di ``_zip_stabile`` applicato al salvataggio normale, senza ricomprimere)."""

    def __init__(self, out) -> None:
        self._zip = zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED)

    def write(self, pack_uri, blob: bytes) -> None:
        info = zipfile.ZipInfo(pack_uri.membername, date_time=_DATA_FISSA)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o600 << 16  # come ``ZipFile.writestr`` con un nome
        self._zip.writestr(info, blob)

    def close(self) -> None:
        self._zip.close()


def _salva_stabile(d) -> bytes:
    out = io.BytesIO()
    try:
        from docx.opc.pkgwriter import PackageWriter

        pkg = d.part.package
        for part in pkg.parts:
            part.before_marshal()
        w = _ZipStabile(out)
        PackageWriter._write_content_types_stream(w, pkg.parts)
        PackageWriter._write_pkg_rels(w, pkg.rels)
        PackageWriter._write_parts(w, pkg.parts)
        w.close()
        return out.getvalue()
    except (ImportError, AttributeError):  # python-docx cambiato: la via lenta ma sicura
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
