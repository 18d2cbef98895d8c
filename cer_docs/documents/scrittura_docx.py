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

Come si scrive, in fretta (issue 18): python-docx costruisce una volta per processo lo
*scheletro* di ogni forma di documento (stili, numerazione, impostazioni, testate con segnaposto,
interruzioni di sezione degli allegati, relazioni), e le parti che non cambiano restano già
compresse; per ogni documento si scrivono come testo XML il corpo, le testate con i loro testi,
``core.xml`` e ``custom.xml``, con gli stessi elementi e attributi che python-docx scriverebbe.
I file sono byte per byte quelli che scriveva python-docx documento per documento
(``bench/confronta_uscite.py`` lo verifica su tutte le pratiche d'esempio). ~1–2 ms per una
dichiarazione sostitutiva invece di ~35 ms; il registro di 10.000 membri in ~0,3 s invece di ~20 s.
"""

from __future__ import annotations

import datetime as dt
import json
import hashlib
import io
import itertools
import re
import zipfile
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Iterator

import yaml

from .clausole import TEMPLATES_DIR
from .motore import pulisci_testo, segmenti_con_lacune
from .struttura import (
    Documento, Elenco, Firme, Intestazione, Paragrafo, SaltoPagina, Segmento, Tabella, Titolo,
    ETICHETTA_ARTICOLO, TitoloArticolo, ambiti, identita, titolo_metadati,
)

LAYOUT_DIR = TEMPLATES_DIR / "layout"
_DATA_FISSA = (2025, 1, 1, 0, 0, 0)  # orario dei membri dello ZIP: file identici per dati identici


@lru_cache(maxsize=1)
def _layout() -> dict[str, Any]:
    return yaml.safe_load((LAYOUT_DIR / "docx.yaml").read_text(encoding="utf-8"))


def _t(x: str) -> str:
    return pulisci_testo(x)


# ----------------------------------------------------------------------------- stili


def _carattere(rpr_owner, nome: str) -> None:
    """Imposta il carattere su tutti gli script e toglie i riferimenti al tema."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

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
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rpr = rpr_owner.get_or_add_rPr()
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), lingua)
    lang.set(qn("w:eastAsia"), lingua)
    lang.set(qn("w:bidi"), "ar-SA")


def _senza_bordi_paragrafo(style) -> None:
    from docx.oxml.ns import qn

    ppr = style.element.get_or_add_pPr()
    for b in ppr.findall(qn("w:pBdr")):
        ppr.remove(b)


def _senza_spaziatura_caratteri(style) -> None:
    from docx.oxml.ns import qn

    rpr = style.element.get_or_add_rPr()
    for el in rpr.findall(qn("w:spacing")):
        rpr.remove(el)


def _stile(doc, nome: str, *, base: str | None = None, pt: float | None = None, grassetto: bool | None = None,
           corsivo: bool | None = None, allinea=None, prima: float | None = None, dopo: float | None = None,
           con_seguente: bool | None = None, carattere: str | None = None, interlinea: float | None = None,
           tipo=None):
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Pt, RGBColor

    tipo = WD_STYLE_TYPE.PARAGRAPH if tipo is None else tipo
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
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
    from docx.shared import Mm

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
    # sotto-voci («--)», «--»): il segno dove comincia il testo della voce, il testo un passo più in là
    rientro2 = L["elenco_rientro_mm"] + L["elenco_sporgenza_mm"]
    el2 = _stile(d, "Elenco lettere 2", base="Normal", dopo=3)
    el2.paragraph_format.left_indent = Mm(rientro2)
    el2.paragraph_format.first_line_indent = Mm(-L["elenco_sporgenza_mm"])
    el2.paragraph_format.tab_stops.add_tab_stop(Mm(rientro2), WD_TAB_ALIGNMENT.LEFT)
    _stile(d, "Testo tabella", base="Normal", pt=L["tabella_pt"], allinea=WD_ALIGN_PARAGRAPH.LEFT, prima=0, dopo=0,
           interlinea=1.0)
    _stile(d, "Firma", base="Normal", allinea=WD_ALIGN_PARAGRAPH.LEFT, prima=0, dopo=0, interlinea=1.0)
    for nome in ("Header", "Footer"):
        _stile(d, nome, pt=L["intestazione_pt"], carattere=L["carattere_intestazione"], prima=0, dopo=0,
               interlinea=1.0)


# ----------------------------------------------------------------------------- pagina


def _campo(par, istruzione: str, segnaposto: str = "1") -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

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
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

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
    from docx.oxml import parse_xml

    f = _layout()["filigrana"]
    par._p.append(parse_xml(_VML.format(n=n, colore=f["colore"], opacita=f["opacita"], testo=f["testo"])))


def _imposta_pagina(sez) -> None:
    from docx.enum.section import WD_SECTION
    from docx.shared import Mm

    L = _layout()
    m = L["margini_mm"]
    sez.page_width, sez.page_height = Mm(L["pagina_mm"]["larghezza"]), Mm(L["pagina_mm"]["altezza"])
    sez.top_margin, sez.bottom_margin = Mm(m["sopra"]), Mm(m["sotto"])
    sez.left_margin, sez.right_margin = Mm(m["sinistra"]), Mm(m["destra"])
    sez.header_distance, sez.footer_distance = Mm(m["intestazione"]), Mm(m["pie"])
    sez.start_type = WD_SECTION.NEW_PAGE
    sez.different_first_page_header_footer = True


def _riga_intestazione_pagina(d, par, testo: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    par._p.style = _base()[1]["Header"]  # l'id dello stile: cercarlo per nome scorre tutti gli stili
    par.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    r = par.add_run(_t(testo))
    r.italic = True
    _bordo_sotto(par)


def _testate(d, sez, intestazione: str, piede: str, bozza: bool, n: int, solo_pagina: bool = False) -> None:
    """Intestazione e piè di pagina di una sezione. La prima pagina (il titolo, il frontespizio
    di un allegato) non ripete il nome della CER, tranne nelle bozze: «BOZZA – …» su ogni
    pagina. ``n`` distingue le forme della filigrana delle diverse sezioni."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

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
        prima._p.style = _base()[1]["Header"]

    for footer in (sez.footer, sez.first_page_footer):
        p = footer.paragraphs[0]
        p._p.style = _base()[1]["Footer"]
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
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn

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



_CT_CUSTOM = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
_RT_CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
PROPRIETA_VERSIONE = "cer-docs identità"
"""Proprietà personalizzata che dice quale forma hanno le identità delle clausole."""


def _escape(testo: str) -> str:
    """Come ``xml.sax.saxutils.escape`` (senza importare xml.sax e urllib: ~8 ms d'avvio)."""
    return testo.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def _quoteattr(testo: str) -> str:
    """Come ``xml.sax.saxutils.quoteattr``."""
    testo = _escape(testo).replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' in testo:
        if "'" in testo:
            return '"%s"' % testo.replace('"', "&quot;")
        return "'%s'" % testo
    return '"%s"' % testo


def _xml_proprieta(voci: list[tuple[str, str]]) -> bytes:
    """``docProps/custom.xml``: una proprietà per segnalibro (nome → «tipo documento id sha256»)."""
    props = [(PROPRIETA_VERSIONE, "1")] + voci
    corpo = "".join(
        f'<property fmtid="{_FMTID}" pid="{i}" name={_quoteattr(nome)}>'
        f'<vt:lpwstr>{_escape(valore)}</vt:lpwstr></property>'
        for i, (nome, valore) in enumerate(props, start=2))
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
            'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
            f'{corpo}</Properties>').encode("utf-8")


def _proprieta_identita(d) -> None:
    """La parte ``docProps/custom.xml`` nel pacchetto (il contenuto vero lo scrive ``render_docx``)."""
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    pacchetto = d.part.package
    pacchetto.relate_to(Part(PackURI("/docProps/custom.xml"), _CT_CUSTOM, _xml_proprieta([]), pacchetto),
                        _RT_CUSTOM)


def _aggiorna_campi_all_apertura(d) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

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


@lru_cache(maxsize=1)
def _base() -> tuple[bytes, dict[str, str]]:
    """Il documento vuoto con gli stili della casa, preparato una volta per processo (ogni
    scheletro riparte da questi byte), e l'id di ogni stile per nome («Heading 2» → «Heading2»)."""
    from docx import Document as _NuovoDocx

    d = _NuovoDocx()
    _prepara_stili(d)
    stili = {s.name: s.style_id for s in d.styles}
    out = io.BytesIO()
    d.save(out)
    return out.getvalue(), stili


# ----------------------------------------------------------------------------- scheletro
#
# Tutto ciò che non è il corpo del documento (stili, numerazione, impostazioni, tema, caratteri,
# intestazioni e piè di pagina, le interruzioni di sezione degli allegati, le relazioni e i tipi
# del pacchetto) dipende solo dalla *forma* del documento: bozza o no, quali sezioni hanno un
# piè di pagina proprio, quali ambiti hanno articoli numerati. Lo scheletro di una forma si
# costruisce con python-docx una volta per processo, con segnaposto al posto dei testi delle
# testate e delle proprietà; ogni documento riusa le sue parti (già compresse) e scrive solo
# il corpo, le testate con i suoi testi, ``core.xml`` e ``custom.xml``.

_SEGNO_TESTATA = "\ue010{}\ue011"   # testo della testata k nello scheletro (caratteri d'uso privato)
_SEGNO_CORE = "\ue012{}\ue013"      # proprietà k di core.xml nello scheletro
_T_CON_SEGNO = re.compile('<w:t(?: xml:space="preserve")?>([^<]*\ue010[^<]*)</w:t>')
_SEGNO_IN_TESTO = re.compile("\ue010(\\d+)\ue011")
_SEGNO_CORE_IN_TESTO = re.compile("\ue012(\\d+)\ue013")
_DOCUMENTO = "word/document.xml"
_CUSTOM = "docProps/custom.xml"
_CORE = "docProps/core.xml"


@dataclass(frozen=True)
class _Scheletro:
    parti: tuple[tuple[str, bytes | None, tuple[int, bytes, int] | None], ...]
    """(nome nello ZIP, contenuto dello scheletro, ``None``, o, se la parte resta com'è, ``None`` e
    (crc, dati compressi, dimensione))."""
    testa: str                       # document.xml fino a ``<w:body>`` compreso
    coda: str                        # il ``w:sectPr`` finale e la chiusura
    interruzioni: tuple[str, ...]    # i paragrafi d'interruzione di sezione, uno per allegato
    stili: dict[str, str]            # nome dello stile → id (già pronto per un attributo XML)
    numerazioni: dict[str, int]      # ambito → numId della numerazione degli articoli
    colori: dict[str, str]           # nome dell'evidenziatore (docx.yaml) → valore di ``w:highlight``


class _Registratore:
    """Raccoglie le parti che python-docx scriverebbe nello ZIP, nell'ordine in cui le scrive."""

    def __init__(self) -> None:
        self.parti: list[tuple[str, bytes]] = []

    def write(self, pack_uri, blob: bytes) -> None:
        self.parti.append((pack_uri.membername, blob))


def _parti_pacchetto(d) -> list[tuple[str, bytes]]:
    try:
        from docx.opc.pkgwriter import PackageWriter

        pkg = d.part.package
        for part in pkg.parts:
            part.before_marshal()
        w = _Registratore()
        PackageWriter._write_content_types_stream(w, pkg.parts)
        PackageWriter._write_pkg_rels(w, pkg.rels)
        PackageWriter._write_parts(w, pkg.parts)
        return w.parti
    except (ImportError, AttributeError):  # python-docx cambiato: la via lenta ma sicura
        out = io.BytesIO()
        d.save(out)
        with zipfile.ZipFile(io.BytesIO(out.getvalue())) as z:
            return [(i.filename, z.read(i.filename)) for i in z.infolist()]


_compressi: dict[bytes, tuple[int, bytes]] = {}


def _comprimi(dati: bytes, ricorda: bool = False) -> tuple[int, bytes]:
    """CRC e dati compressi come li scrive ``zipfile`` (deflate, livello predefinito). Le parti
    fisse (stili: ~800 kB) si comprimono una volta per processo."""
    chiave = hashlib.sha256(dati).digest() if ricorda else None
    if chiave is not None and chiave in _compressi:
        return _compressi[chiave]
    c = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    out = (zlib.crc32(dati), c.compress(dati) + c.flush())
    if chiave is not None:
        if len(_compressi) > 64:
            _compressi.clear()
        _compressi[chiave] = out
    return out


@lru_cache(maxsize=32)
def _scheletro(bozza: bool, solo_pagina: bool, con_piede: tuple[bool, ...], ambiti_articoli: tuple[str, ...]) -> _Scheletro:
    """Lo scheletro di una forma di documento: ``con_piede`` dice, per ogni sezione (la prima,
    poi una per allegato), se ha un piè di pagina proprio.

    Costruirlo con python-docx costa ~0,15 s la prima volta nel processo (import compreso). Si
    cerca prima tra gli scheletri pronti del pacchetto (``scheletri_docx.bin``, le forme dei
    documenti delle pratiche d'esempio), poi nella cache dei documenti (``documents/cache.py``);
    solo se manca si costruisce, e si conserva nella cache. Sia gli scheletri pronti sia le voci
    della cache valgono solo per la stessa ``versione_scheletri()`` (file del layout, codice di
    questo modulo, versione di python-docx): altrimenti si ricostruiscono."""
    forma = (bozza, solo_pagina, con_piede, ambiti_articoli)
    pronto = _scheletri_pronti().get(forma)
    if pronto is not None:
        return pronto
    cache, chiave = _cache_scheletri(forma)
    if cache is not None:
        voce = cache.leggi(chiave)
        if voce is not None:
            letti = _scheletri_da_byte(voce.dati)
            if letti is not None and letti[0] == versione_scheletri() and forma in letti[1]:
                return letti[1][forma]
    sch = _costruisci_scheletro(*forma)
    if cache is not None:
        cache.scrivi(chiave, _scheletri_in_byte(versione_scheletri(), {forma: sch}), None)
    return sch


FILE_SCHELETRI = Path(__file__).resolve().parent / "scheletri_docx.bin"
"""Gli scheletri pronti delle forme dei documenti d'esempio, nel pacchetto. Si rigenerano con
``UPDATE_SCHELETRI=1 pytest tests/documents/test_scrittura_docx_scheletro.py -k pronti`` dopo ogni
modifica di questo modulo o del layout (il test lo chiede; finché non si rigenerano, gli scheletri
si costruiscono come prima, solo più lentamente)."""


@lru_cache(maxsize=1)
def versione_scheletri() -> str:
    """Ciò da cui dipendono i byte di uno scheletro: ``docx.yaml``, il codice di questo modulo e di
    ``struttura.py``, le versioni di python-docx e lxml (che scrivono l'XML) e di zlib (che lo comprime)."""
    from importlib import metadata

    h = hashlib.sha256(b"cer-docs/scheletri-docx@1\0")
    qui = Path(__file__).resolve().parent
    for f in (LAYOUT_DIR / "docx.yaml", qui / "scrittura_docx.py", qui / "struttura.py"):
        h.update(f.name.encode() + b"\0" + f.read_bytes() + b"\0")
    for pacchetto in ("python-docx", "lxml"):
        try:
            h.update(f"{pacchetto}={metadata.version(pacchetto)}\0".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{pacchetto}=-\0".encode())
    h.update(f"zlib={zlib.ZLIB_RUNTIME_VERSION}\0".encode())
    return h.hexdigest()


@lru_cache(maxsize=1)
def _scheletri_pronti() -> dict[tuple, _Scheletro]:
    """Gli scheletri pronti del pacchetto, se sono della versione attuale (altrimenti nessuno)."""
    try:
        dati = FILE_SCHELETRI.read_bytes()
    except OSError:
        return {}
    letti = _scheletri_da_byte(dati)
    if letti is None or letti[0] != versione_scheletri():
        return {}
    return letti[1]


def _cache_scheletri(forma: tuple):
    from .cache import CacheDocumenti

    cache = CacheDocumenti.predefinita()
    if cache is None:
        return None, None
    h = hashlib.sha256(b"cer-docs/scheletro-docx@2\0" + versione_scheletri().encode() + b"\0")
    h.update(repr(forma).encode("utf-8"))
    return cache, h.hexdigest()


def _scheletri_in_byte(versione: str, scheletri: dict[tuple, _Scheletro]) -> bytes:
    """Scheletri come intestazione JSON (forme, testi, tabelle, dove sta ogni parte) + i byte delle
    parti di seguito, ciascuna una volta sola (stili e temi sono gli stessi in ogni forma)."""
    blob: list[bytes] = []
    posto: dict[bytes, int] = {}

    def indice(b: bytes) -> int:
        k = hashlib.sha256(b).digest()
        if k not in posto:
            posto[k] = len(blob)
            blob.append(b)
        return posto[k]

    forme = []
    for forma, sch in scheletri.items():
        parti = []
        for nome, dati, compresso in sch.parti:
            if compresso is None:
                parti.append([nome, indice(dati), None, None, None])
            else:
                parti.append([nome, None, compresso[0], indice(compresso[1]), compresso[2]])
        forme.append({"forma": [forma[0], forma[1], list(forma[2]), list(forma[3])], "parti": parti,
                      "testa": sch.testa, "coda": sch.coda, "interruzioni": list(sch.interruzioni),
                      "stili": sch.stili, "numerazioni": sch.numerazioni, "colori": sch.colori})
    testa = {"versione": versione, "forme": forme, "blob": [len(b) for b in blob]}
    return json.dumps(testa, ensure_ascii=False).encode("utf-8") + b"\n" + b"".join(blob)


def _scheletri_da_byte(dati: bytes) -> tuple[str, dict[tuple, _Scheletro]] | None:
    try:
        riga, _, resto = dati.partition(b"\n")
        t = json.loads(riga)
        blob, pos = [], 0
        for n in t["blob"]:
            blob.append(resto[pos:pos + int(n)])
            pos += int(n)
        if pos != len(resto):
            return None
        out = {}
        for f in t["forme"]:
            forma = (bool(f["forma"][0]), bool(f["forma"][1]), tuple(bool(x) for x in f["forma"][2]),
                     tuple(str(x) for x in f["forma"][3]))
            parti = []
            for nome, i_dati, crc, i_compresso, dimensione in f["parti"]:
                if crc is None:
                    parti.append((str(nome), blob[i_dati], None))
                else:
                    parti.append((str(nome), None, (int(crc), blob[i_compresso], int(dimensione))))
            out[forma] = _Scheletro(tuple(parti), f["testa"], f["coda"], tuple(f["interruzioni"]), dict(f["stili"]),
                                    {k: int(v) for k, v in f["numerazioni"].items()}, dict(f["colori"]))
        return str(t["versione"]), out
    except (ValueError, KeyError, TypeError, IndexError):
        return None


def scrivi_scheletri_pronti(forme: Iterable[tuple], destinazione: Path = FILE_SCHELETRI) -> None:
    """Costruisce gli scheletri delle ``forme`` e li scrive (file temporaneo + rinomina) in
    ``destinazione``: gli scheletri pronti del pacchetto."""
    import os
    import tempfile

    scheletri = {tuple(f): _costruisci_scheletro(*f) for f in sorted(set(forme), key=repr)}
    dati = _scheletri_in_byte(versione_scheletri(), scheletri)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=destinazione.parent)
    with os.fdopen(fd, "wb") as f:
        f.write(dati)
    os.chmod(tmp, 0o644)
    os.replace(tmp, destinazione)


def _costruisci_scheletro(bozza: bool, solo_pagina: bool, con_piede: tuple[bool, ...],
                          ambiti_articoli: tuple[str, ...]) -> _Scheletro:
    from docx import Document as _NuovoDocx
    from docx.enum.section import WD_SECTION
    from docx.enum.text import WD_COLOR_INDEX
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    base, stili = _base()
    d = _NuovoDocx(io.BytesIO(base))
    sez = d.sections[0]
    _imposta_pagina(sez)
    _testate(d, sez, _SEGNO_TESTATA.format(0), _SEGNO_TESTATA.format(1) if con_piede[0] else "", bozza, 0,
             solo_pagina=solo_pagina)
    corpo = d.element.body
    # il modello vuoto di python-docx ha un paragrafo iniziale: lo si toglie
    for p in list(corpo.iterchildren(qn("w:p"))):
        corpo.remove(p)
    numerazioni = _numerazione_articoli(d, stili["Heading 2"], list(ambiti_articoli))
    for n in range(1, len(con_piede)):
        # una sezione nuova per l'allegato: comincia su una pagina nuova, con la numerazione
        # delle pagine che riparte da 1 e intestazione e piè di pagina propri
        sez = d.add_section(WD_SECTION.NEW_PAGE)
        _imposta_pagina(sez)
        pg = OxmlElement("w:pgNumType")
        pg.set(qn("w:start"), "1")
        _inserisci_in_sectpr(sez._sectPr, pg)
        _testate(d, sez, _SEGNO_TESTATA.format(2 * n), _SEGNO_TESTATA.format(2 * n + 1) if con_piede[n] else "",
                 bozza, n)
    _proprieta_identita(d)
    _aggiorna_campi_all_apertura(d)
    cp = d.core_properties
    cp.title = _SEGNO_CORE.format(0)
    cp.subject = _SEGNO_CORE.format(1)
    cp.author = "cer-docs"
    cp.last_modified_by = "cer-docs"
    cp.language = _SEGNO_CORE.format(2)
    cp.keywords = _SEGNO_CORE.format(3)
    cp.created = cp.modified = dt.datetime(2025, 1, 1)
    cp.revision = 1

    parti = []
    testa = coda = ""
    interruzioni: list[str] = []
    for nome, blob in _parti_pacchetto(d):
        if nome == _DOCUMENTO:
            xml = blob.decode("utf-8")
            i = xml.index("<w:body>") + len("<w:body>")
            j = xml.rindex("<w:sectPr")
            testa, coda = xml[:i], xml[j:]
            pezzi = xml[i:j].split("</w:p>")
            interruzioni = [x + "</w:p>" for x in pezzi[:-1]]
            if len(interruzioni) != len(con_piede) - 1 or pezzi[-1]:
                raise RuntimeError("scheletro DOCX inatteso: il corpo non è fatto delle sole interruzioni di sezione")
            parti.append((nome, blob, None))
        elif nome == _CUSTOM or nome == _CORE or "\ue010".encode() in blob:
            parti.append((nome, blob, None))
        else:
            parti.append((nome, None, (*_comprimi(blob, ricorda=True), len(blob))))
    stili_xml = {nome: _attr(sid) for nome, sid in stili.items()}  # pronti per gli attributi
    L = _layout()
    colori = {nome: WD_COLOR_INDEX[nome].xml_value
              for nome in (L["evidenziatore"], *L["evidenziatore_lacune"].values())}
    return _Scheletro(tuple(parti), testa, coda, tuple(interruzioni), stili_xml, numerazioni, colori)


def _unescape(testo: str) -> str:
    """Come ``xml.sax.saxutils.unescape`` (senza importare xml.sax e urllib: ~8 ms d'avvio)."""
    return testo.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _testata(blob: bytes, testi: list[str]) -> bytes:
    """Una parte d'intestazione o di piè di pagina dello scheletro con i testi veri al posto dei
    segnaposto: ogni ``w:t`` con un segnaposto torna il contenuto di run che python-docx
    scriverebbe per il testo intero (a capo e tabulazioni compresi)."""
    def sostituisci(m: re.Match) -> str:
        grezzo = _unescape(m.group(1))
        return _contenuto_run(_t(_SEGNO_IN_TESTO.sub(lambda s: testi[int(s.group(1))], grezzo)))

    return _T_CON_SEGNO.sub(sostituisci, blob.decode("utf-8")).encode("utf-8")


def _core(blob: bytes, valori: list[str]) -> bytes:
    for v in valori:
        if len(v) > 255:  # come python-docx: le proprietà del documento hanno al più 255 caratteri
            raise ValueError(f"exceeded 255 char limit for property, got:\n\n'{v}'")
    return _SEGNO_CORE_IN_TESTO.sub(lambda m: _esc(valori[int(m.group(1))]), blob.decode("utf-8")).encode("utf-8")


# ----------------------------------------------------------------------------- XML del corpo
#
# Il corpo si scrive come testo XML, con gli stessi elementi, attributi e nello stesso ordine in
# cui python-docx li scriverebbe (``bench/confronta_uscite.py`` lo verifica parte per parte su
# tutte le pratiche d'esempio): niente oggetti intermedi, e una tabella di 10.000 righe è una
# stringa, non 400.000 elementi.


def _esc(testo: str) -> str:
    """Testo di un elemento come lo scrive lxml."""
    if "&" in testo:
        testo = testo.replace("&", "&amp;")
    if "<" in testo:
        testo = testo.replace("<", "&lt;")
    if ">" in testo:
        testo = testo.replace(">", "&gt;")
    if "\r" in testo:
        testo = testo.replace("\r", "&#13;")
    return testo


def _attr(valore: str) -> str:
    """Valore di un attributo come lo scrive lxml."""
    return (_esc(valore).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;"))


def _elemento_t(testo: str) -> str:
    if len(testo.strip()) < len(testo):
        return f'<w:t xml:space="preserve">{_esc(testo)}</w:t>'
    return f"<w:t>{_esc(testo)}</w:t>"


_SPECIALI_RUN = re.compile("[\t\r\n]")


def _contenuto_run(testo: str) -> str:
    """Il contenuto di un run per ``testo``: ``w:t``, ``\\t`` → ``w:tab``, a capo → ``w:br``."""
    if not testo:
        return ""
    if not _SPECIALI_RUN.search(testo):
        return _elemento_t(testo)
    out = []
    buf = []
    for c in testo:
        if c == "\t" or c == "\r" or c == "\n":
            if buf:
                out.append(_elemento_t("".join(buf)))
                buf.clear()
            out.append("<w:tab/>" if c == "\t" else "<w:br/>")
        else:
            buf.append(c)
    if buf:
        out.append(_elemento_t("".join(buf)))
    return "".join(out)


def _run(testo: str | None, *, grassetto: bool = False, corsivo: bool = False, corpo: int | None = None,
         evidenzia: str | None = None, interno: str = "") -> str:
    """Un ``w:r``: proprietà nell'ordine dello schema, poi il testo (o ``interno``, già XML)."""
    rpr = ""
    if grassetto or corsivo or corpo or evidenzia:
        rpr = ("<w:rPr>" + ("<w:b/>" if grassetto else "") + ("<w:i/>" if corsivo else "")
               + (f'<w:sz w:val="{corpo}"/>' if corpo else "")
               + (f'<w:highlight w:val="{evidenzia}"/>' if evidenzia else "") + "</w:rPr>")
    contenuto = interno or (_contenuto_run(testo) if testo else "")
    if not rpr and not contenuto:
        return "<w:r/>"
    return f"<w:r>{rpr}{contenuto}</w:r>"


class _P:
    """Un paragrafo del corpo: le proprietà restano modificabili (il salto di pagina si decide
    dopo) e i segnalibri si aggiungono alla fine, come faceva l'albero di python-docx."""

    __slots__ = ("stile", "jc", "numpr", "con_seguente", "salto", "prima", "runs", "inizi", "fini")

    def __init__(self, stile: str | None, runs: str = "", *, jc: str | None = None) -> None:
        self.stile = stile
        self.jc = jc
        self.numpr: int | None = None
        self.con_seguente = False
        self.salto = False
        self.prima: int | None = None
        self.runs = runs
        self.inizi: list[str] = []
        self.fini: list[str] = []

    def xml(self) -> str:
        if self.stile is None:
            ppr = ""
        else:
            ppr = (f'<w:pPr><w:pStyle w:val="{self.stile}"/>' + ("<w:keepNext/>" if self.con_seguente else "")
                   + ("<w:pageBreakBefore/>" if self.salto else "")
                   + (f'<w:numPr><w:ilvl w:val="0"/><w:numId w:val="{self.numpr}"/></w:numPr>'
                      if self.numpr is not None else "")
                   + (f'<w:spacing w:before="{self.prima}"/>' if self.prima is not None else "")
                   + (f'<w:jc w:val="{self.jc}"/>' if self.jc else "") + "</w:pPr>")
        interno = ppr + "".join(self.inizi) + self.runs + "".join(self.fini)
        return f"<w:p>{interno}</w:p>" if interno else "<w:p/>"


_JC = {"giustificato": "both", "centrato": "center", "destra": "right", "sinistra": "left"}
_SALTO_PAGINA = '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'
_TBL_LOOK = ('<w:tblLook w:firstColumn="1" w:firstRow="1" w:lastColumn="0" w:lastRow="0" w:noHBand="0" '
             'w:noVBand="1" w:val="04A0"/>')


def _twip(mm: float) -> int:
    """Millimetri → twip, con gli arrotondamenti di python-docx (``Mm(mm).twips``)."""
    return int(round(int(mm * 36000) / 635.0))


def _twip_pt(pt: float) -> int:
    """Punti → twip, come ``Pt(pt).twips`` di python-docx."""
    return int(round(int(pt * 12700) / 635.0))


def _campo_ref(segnalibro: str, testo: str, evidenzia: str | None) -> str:
    """Campo REF al segnalibro del titolo d'articolo: riporta l'etichetta «Art. N» della sua
    numerazione (``\\r``) in minuscolo (``\\* Lower``: «dell'art. 7» dentro la frase), è un
    collegamento (``\\h``); il risultato è già scritto, così il testo è giusto anche prima che i
    campi si aggiornino."""
    istruzione = _esc(f" REF {segnalibro} \\r \\h \\* Lower ")
    return (_run(None, evidenzia=evidenzia, interno='<w:fldChar w:fldCharType="begin"/>')
            + _run(None, evidenzia=evidenzia, interno=f'<w:instrText xml:space="preserve">{istruzione}</w:instrText>')
            + _run(None, evidenzia=evidenzia, interno='<w:fldChar w:fldCharType="separate"/>')
            + _run(_t(testo), evidenzia=evidenzia)
            + _run(None, evidenzia=evidenzia, interno='<w:fldChar w:fldCharType="end"/>'))


class _Corpo:
    """Scrive i blocchi di un documento risolto come XML del corpo di ``word/document.xml``."""

    def __init__(self, doc: Documento, sch: _Scheletro) -> None:
        L = _layout()
        self.doc = doc
        self.sch = sch
        self.stile = sch.stili
        self.evidenziatore = sch.colori[L["evidenziatore"]]
        self.lacune = sch.colori[L["evidenziatore_lacune"][doc.evidenzia]]
        self.grigio = _attr(L["grigio_intestazione_tabella"])
        self.larghezza = L["pagina_mm"]["larghezza"] - L["margini_mm"]["sinistra"] - L["margini_mm"]["destra"]
        self.pezzi: list[_P | str | list[str]] = []

    def paragrafo(self, nome: str, testo: str | None = None, *, jc: str | None = None) -> _P:
        p = _P(self.stile[nome], _run(testo) if testo else "", jc=jc)
        self.pezzi.append(p)
        return p

    def runs(self, segmenti: list[Segmento], rinvii: dict[str, str]) -> str:
        evidenzia = self.doc.evidenzia
        out = []
        for s in segmenti:
            colore = self.evidenziatore if evidenzia and s.evidenza else None
            if s.rinvio and s.rinvio in rinvii:
                out.append(_campo_ref(rinvii[s.rinvio], s.testo, colore))
                continue
            if s.da_completare:  # dato mancante: sempre evidenziato, di un colore diverso nella copia GSE
                colore = self.lacune
            out.append(_run(_t(s.testo), grassetto=s.grassetto, corsivo=s.corsivo, evidenzia=colore))
        return "".join(out)

    def tabella(self, t: Tabella) -> None:
        if t.didascalia:
            p = self.paragrafo("Caption")
            p.runs = _run(_t(t.didascalia), corsivo=True)
            p.con_seguente = True
        tot = sum(c.larghezza for c in t.colonne) or 1
        larghezze = [_twip(self.larghezza * c.larghezza / tot) for c in t.colonne]
        jc = [_JC[c.allineamento] for c in t.colonne]
        stile = self.stile["Testo tabella"]
        celle_titolo = "".join(
            f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{w}"/><w:shd w:val="clear" w:color="auto" '
            f'w:fill="{self.grigio}"/></w:tcPr><w:p><w:pPr><w:pStyle w:val="{stile}"/><w:jc w:val="{a}"/></w:pPr>'
            f'{_run(_t(c.titolo), grassetto=True)}</w:p></w:tc>'
            for c, w, a in zip(t.colonne, larghezze, jc))
        # celle: le parti fisse di ogni colonna si preparano una volta
        aperture = [f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{w}"/></w:tcPr><w:p><w:pPr><w:pStyle w:val="{stile}"/>'
                    f'<w:jc w:val="{a}"/></w:pPr>' for w, a in zip(larghezze, jc)]
        vuote = [f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{w}"/></w:tcPr><w:p/></w:tc>' for w in larghezze]
        righe = []
        for riga in t.righe:
            celle = [f"{aperture[j]}{_run(_t(v))}</w:p></w:tc>" for j, v in enumerate(riga)]
            if len(celle) < len(vuote):
                celle += vuote[len(celle):]
            elif len(celle) > len(vuote):
                raise IndexError("la riga della tabella ha più valori che colonne")
            righe.append('<w:tr><w:trPr><w:cantSplit w:val="true"/></w:trPr>' + "".join(celle) + "</w:tr>")
        # le righe restano pezzi separati fino alla compressione: il registro di 10.000 membri non
        # diventa mai una sola stringa
        righe.insert(0, f'<w:tbl><w:tblPr><w:tblStyle w:val="{self.stile["Table Grid"]}"/><w:jc w:val="center"/>'
                        f'{_TBL_LOOK}{_tbl_w(larghezze)}</w:tblPr><w:tblGrid>'
                        + "".join(f'<w:gridCol w:w="{w}"/>' for w in larghezze) + "</w:tblGrid>"
                        + f'<w:tr><w:trPr><w:tblHeader w:val="true"/></w:trPr>{celle_titolo}</w:tr>')
        righe.append("</w:tbl>")
        self.pezzi.append(righe)
        self.paragrafo("Testo tabella")  # respiro dopo la tabella

    def firme(self, f: Firme) -> None:
        if f.intestazione:
            p = self.paragrafo("Normal", _t(f.intestazione))
            p.prima = _twip_pt(12)
            p.con_seguente = True
        larghezze = [_twip(self.larghezza * 0.55), _twip(self.larghezza * 0.45)]
        firma = self.stile["Firma"]
        righe = []
        for x in f.firmatari:
            nome = f'<w:p><w:pPr><w:pStyle w:val="{firma}"/><w:spacing w:before="{_twip_pt(16)}"/></w:pPr>' \
                   f'{self.runs(segmenti_con_lacune(x.nome), {})}</w:p>'
            if x.qualifica:
                nome += (f'<w:p><w:pPr><w:pStyle w:val="{firma}"/></w:pPr>'
                         f'{_run(_t(x.qualifica), corsivo=True, corpo=19)}</w:p>')
            righe.append(
                f'<w:tr><w:trPr><w:cantSplit w:val="true"/></w:trPr>'
                f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{larghezze[0]}"/></w:tcPr>{nome}</w:tc>'
                f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{larghezze[1]}"/><w:tcBorders><w:bottom w:val="single" '
                f'w:sz="4" w:space="0" w:color="000000"/></w:tcBorders></w:tcPr>'
                f'<w:p><w:pPr><w:pStyle w:val="{firma}"/></w:pPr></w:p></w:tc></w:tr>')
        self.pezzi.append(
            f"<w:tbl><w:tblPr>{_TBL_LOOK}{_tbl_w(larghezze)}</w:tblPr><w:tblGrid>"
            + "".join(f'<w:gridCol w:w="{w}"/>' for w in larghezze) + "</w:tblGrid>" + "".join(righe) + "</w:tbl>")

    def xml(self) -> Iterator[str]:
        """Il corpo a pezzi, nell'ordine."""
        for p in self.pezzi:
            if isinstance(p, str):
                yield p
            elif isinstance(p, list):
                yield from p
            else:
                yield p.xml()


def _comprimi_pezzi(pezzi: Iterable[str]) -> tuple[int, tuple[int, bytes]]:
    """(dimensione, (crc, compressi)) di un testo dato a pezzi, compresso man mano a blocchi di
    ~256 kB: gli stessi byte di ``_comprimi`` sul testo intero, senza mai tenerlo tutto in memoria."""
    c = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    crc = n = 0
    out: list[bytes] = []
    blocco: list[str] = []
    lunghezza = 0

    def svuota() -> None:
        nonlocal crc, n, lunghezza
        dati = "".join(blocco).encode("utf-8")
        blocco.clear()
        lunghezza = 0
        crc = zlib.crc32(dati, crc)
        n += len(dati)
        out.append(c.compress(dati))

    for pezzo in pezzi:
        blocco.append(pezzo)
        lunghezza += len(pezzo)
        if lunghezza >= 1 << 18:
            svuota()
    svuota()
    out.append(c.flush())
    return n, (crc, b"".join(out))


def _tbl_w(larghezze: list[int]) -> str:
    """Colonne a larghezza fissa: Word legge le celle, LibreOffice la griglia; si scrivono
    entrambe, con la tabella a impaginazione fissa e i margini delle celle."""
    margini = "".join(f'<w:{lato} w:w="{_twip(mm)}" w:type="dxa"/>'
                      for lato, mm in (("top", 0.6), ("left", 1.3), ("bottom", 0.6), ("right", 1.3)))
    return (f'<w:tblW w:w="{sum(larghezze)}" w:type="dxa"/><w:tblLayout w:type="fixed"/>'
            f"<w:tblCellMar>{margini}</w:tblCellMar>")


# ----------------------------------------------------------------------------- documento


def forma(doc: Documento) -> tuple[bool, bool, tuple[bool, ...], tuple[str, ...]]:
    """La forma del documento, cioè il suo scheletro: bozza, allegati con pagine proprie, piè di
    pagina di ogni sezione, ambiti con articoli numerati."""
    pref = ambiti(doc)
    con_articoli = sorted({pref[x.inizio] for x in identita(doc) if x.tipo == "articolo"}, key=lambda p: (p != "", p))
    sezioni_allegato = {inc.inizio: inc for inc in doc.inclusi if inc.allegato and inc.inizio is not None}
    allegati = [sezioni_allegato[i] for i in sorted(sezioni_allegato)]
    # con un allegato che numera le sue pagine da 1, NUMPAGES (il totale del file) direbbe il
    # falso anche nella prima sezione: si scrive solo «pagina X»
    return (doc.bozza, bool(allegati), (bool(doc.piede),) + tuple(bool(a.documento.piede) for a in allegati),
            tuple(con_articoli))


def render_docx(doc: Documento) -> bytes:
    """Il DOCX del documento risolto, in memoria."""
    pref = ambiti(doc)
    ident = identita(doc)
    con_articoli = sorted({pref[x.inizio] for x in ident if x.tipo == "articolo"}, key=lambda p: (p != "", p))
    sezioni_allegato = {inc.inizio: inc for inc in doc.inclusi if inc.allegato and inc.inizio is not None}
    allegati = [sezioni_allegato[i] for i in sorted(sezioni_allegato)]
    # con un allegato che numera le sue pagine da 1, NUMPAGES (il totale del file) direbbe il
    # falso anche nella prima sezione: si scrive solo «pagina X»
    sch = _scheletro(doc.bozza, bool(allegati), (bool(doc.piede),) + tuple(bool(a.documento.piede) for a in allegati),
                     tuple(con_articoli))
    testi = [doc.intestazione, doc.piede]
    for a in allegati:
        testi += [a.documento.intestazione, a.documento.piede]

    rinvii: dict[str, dict[str, str]] = {}
    for x in ident:
        if x.tipo == "articolo":
            rinvii.setdefault(pref[x.inizio], {})[x.id] = x.segnalibro
    c = _Corpo(doc, sch)
    paragrafi: list[tuple[_P, _P] | None] = []  # per blocco: (primo paragrafo, ultimo paragrafo)
    salto_in_attesa = False
    n_sezione = 0
    for i, b in enumerate(doc.blocchi):
        par: _P | None = None
        ultimo: _P | None = None
        if i in sezioni_allegato:
            c.pezzi.append(sch.interruzioni[n_sezione])
            n_sezione += 1
            salto_in_attesa = False
        if isinstance(b, SaltoPagina):
            salto_in_attesa = True
            paragrafi.append(None)
            continue
        if isinstance(b, Titolo):
            par = c.paragrafo("Title", _t(b.testo).replace("\n", " "))
            if salto_in_attesa:
                par.salto = True
                salto_in_attesa = False
            for s in b.sottotitoli:
                c.paragrafo("Subtitle", _t(s))
            paragrafi.append((par, par))
            continue
        if isinstance(b, Intestazione):
            par = c.paragrafo("Heading 1" if b.livello == 1 else "Heading 3", _t(b.testo))
        elif isinstance(b, TitoloArticolo):
            # «Art. N» è l'etichetta della numerazione di Word; il testo è «– Titolo»
            par = c.paragrafo("Heading 2", _t(f"– {b.titolo}"))
            if pref[i] != con_articoli[0]:
                par.numpr = sch.numerazioni[pref[i]]
        elif isinstance(b, Paragrafo):
            par = c.paragrafo("Normal", jc=None if b.allineamento == "giustificato" else _JC[b.allineamento])
            par.runs = (_run(b.comma + " ") if b.comma else "") + c.runs(b.segmenti, rinvii.get(pref[i], {}))
        elif isinstance(b, Elenco):
            for v in b.voci:
                if v.livello:
                    p = c.paragrafo("Elenco lettere 2", f"{v.segno or '•'}\t")
                else:
                    p = c.paragrafo("Elenco lettere", f"{v.segno}\t") if b.lettere else c.paragrafo("List Bullet")
                p.runs += c.runs(v.segmenti, rinvii.get(pref[i], {}))
                if par is None:
                    par = p
                ultimo = p
        elif isinstance(b, Tabella):
            if salto_in_attesa:
                c.pezzi.append(_SALTO_PAGINA)
                salto_in_attesa = False
            c.tabella(b)
            paragrafi.append(None)
            continue
        elif isinstance(b, Firme):
            c.firme(b)
            paragrafi.append(None)
            continue
        if salto_in_attesa and par is not None:
            par.salto = True
            salto_in_attesa = False
        paragrafi.append((par, ultimo or par) if par is not None else None)

    # segnalibri: titoli d'articolo e clausole, dall'inizio del primo paragrafo (dopo le sue
    # proprietà, come vuole lo schema) alla fine dell'ultimo
    proprieta: list[tuple[str, str]] = []
    n = 0
    for x in ident:
        estremi = [paragrafi[k] for k in range(x.inizio, x.fine) if paragrafi[k] is not None]
        if not estremi:
            continue
        n += 1
        estremi[0][0].inizi.insert(0, f'<w:bookmarkStart w:id="{n}" w:name="{_attr(x.segnalibro)}"/>')
        estremi[-1][1].fini.append(f'<w:bookmarkEnd w:id="{n}"/>')
        proprieta.append((x.segnalibro, f"{x.tipo} {x.documento} {x.id} {x.sha256}"))

    # le proprietà del documento DOCX ammettono al massimo 255 caratteri
    core = [_t(titolo_metadati(doc))[:255], _t(doc.titolo)[:255], doc.lingua,
            "; ".join([_t(doc.titolo), "comunità energetica", "cer-docs"] + (["BOZZA"] if doc.bozza else []))]
    out = io.BytesIO()
    z = _Zip(out)
    for nome, blob, compresso in sch.parti:
        if compresso is not None:
            z.scrivi(nome, compresso[2], compresso[:2])
            continue
        if nome == _DOCUMENTO:
            z.scrivi(nome, *_comprimi_pezzi(itertools.chain((sch.testa,), c.xml(), (sch.coda,))))
            continue
        if nome == _CUSTOM:
            dati = _xml_proprieta(proprieta)
        elif nome == _CORE:
            dati = _core(blob, core)
        else:
            dati = _testata(blob, testi)
        z.scrivi(nome, len(dati), _comprimi(dati))
    z.chiudi()
    return out.getvalue()


class _Zip:
    """ZIP con membri a data fissa (file identici per dati identici) e dati già compressi: gli
    stessi byte di ``zipfile.ZipFile.writestr`` con un ``ZipInfo`` a data fissa, deflate e
    permessi 0600, senza ricomprimere a ogni documento le parti che non cambiano."""

    def __init__(self, out) -> None:
        self._zip = zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED)
        self._diretto = all(hasattr(self._zip, a) for a in ("fp", "start_dir", "filelist", "NameToInfo"))

    def scrivi(self, nome: str, dimensione: int, compresso: tuple[int, bytes]) -> None:
        info = zipfile.ZipInfo(nome, date_time=_DATA_FISSA)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o600 << 16  # come ``ZipFile.writestr`` con un nome
        crc, compressi = compresso
        if not self._diretto:  # zipfile cambiato: si ricomprime
            self._zip.writestr(info, zlib.decompress(compressi, -15))
            return
        z = self._zip
        info.file_size = dimensione
        info.compress_size = len(compressi)
        info.CRC = crc
        info.flag_bits = 0
        z.fp.seek(z.start_dir)
        info.header_offset = z.fp.tell()
        z._didModify = True
        z.fp.write(info.FileHeader(False))
        z.fp.write(compressi)
        z.start_dir = z.fp.tell()
        z.filelist.append(info)
        z.NameToInfo[info.filename] = info

    def chiudi(self) -> None:
        self._zip.close()
