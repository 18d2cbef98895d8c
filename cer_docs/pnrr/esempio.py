"""Fattura elettronica d'esempio per i fornitori: i campi da compilare per questo progetto.

``esempio_fattura`` produce un FPR12 valido per lo schema ufficiale con:

* il beneficiario del contributo come cessionario/committente (P.IVA, codice fiscale, sede, PEC);
* ``DatiContratto`` con ``IdDocumento`` (il contratto, da completare), ``CodiceCUP`` ed
  eventualmente ``CodiceCIG``;
* le ``Causale`` con la dicitura PNRR, il CUP e il codice del progetto GSE, ripulite per
  Latin-1 (``’ – €`` non passano lo schema) e spezzate a 200 caratteri;
* una riga di esempio con la descrizione del tipo di intervento e il pagamento con bonifico
  (MP05) entro il termine per le quietanze.

I dati del fornitore sono segnaposto dichiarati come tali nei commenti XML. Il file è
validato con lo schema prima di essere restituito: se un dato della pratica lo rendesse
non valido, si solleva ``ValueError`` invece di consegnare un esempio sbagliato.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from lxml import etree

from cer_docs.italiano import data_lunga, numero
from cer_docs.model.pratica import Impianto, Indirizzo, Pratica
from cer_docs.rules import identificativi as idf
from cer_docs.rules.base import param
from cer_docs.rules.pnrr import termine_pagamenti

from .schema import NAMESPACE, NS_XMLDSIG, valida
from .testo import latin1, spezza

__all__ = ["CampoFattura", "RigaFattura", "SoggettoXml", "causali_pnrr", "campi_fattura", "esempio_fattura",
           "fattura_xml"]

CENT = Decimal("0.01")
NS_XSI = "http://www.w3.org/2001/XMLSchema-instance"
ALIQUOTA_ESEMPIO = Decimal("22.00")  # aliquota ordinaria, solo per l'esempio: l'aliquota la stabilisce il fornitore
FORNITORE_ESEMPIO_PIVA = "01234567890"
FORNITORE_ESEMPIO_IBAN = "IT60X0542811101000000123456"
ID_CONTRATTO_SEGNAPOSTO = "CONTRATTO"


@dataclass
class SoggettoXml:
    denominazione: str
    partita_iva: str | None = None
    codice_fiscale: str | None = None
    indirizzo: str = "-"
    cap: str = "00000"
    comune: str = "-"
    provincia: str | None = None
    regime_fiscale: str = "RF01"


@dataclass
class RigaFattura:
    descrizione: str
    prezzo: Decimal
    aliquota: Decimal = ALIQUOTA_ESEMPIO
    quantita: Decimal = Decimal("1.00")


@dataclass
class CampoFattura:
    """Un campo da compilare, per la tabella della scheda fornitori."""

    percorso: str
    valore: str
    nota: str = ""


@dataclass
class DatiEsempio:
    cedente: SoggettoXml
    cessionario: SoggettoXml
    numero: str
    data: dt.date
    causali: list[str]
    righe: list[RigaFattura]
    id_documento: str = ID_CONTRATTO_SEGNAPOSTO
    data_contratto: dt.date | None = None
    cup: str | None = None
    cig: str | None = None
    modalita_pagamento: str = "MP05"
    scadenza: dt.date | None = None
    iban: str | None = FORNITORE_ESEMPIO_IBAN
    pec_destinatario: str | None = None
    codice_destinatario: str = "0000000"
    commenti: dict[str, str] = field(default_factory=dict)


def _importo(x: Decimal) -> str:
    return str(x.quantize(CENT, rounding=ROUND_HALF_UP))


def _sub(padre: etree._Element, nome: str, testo: str | None = None) -> etree._Element:
    el = etree.SubElement(padre, nome)
    if testo is not None:
        el.text = testo
    return el


def _commento(padre: etree._Element, testo: str) -> None:
    padre.append(etree.Comment(f" {latin1(testo).replace('--', '-')} "))


def _anagrafica(padre: etree._Element, s: SoggettoXml, cedente: bool) -> None:
    da = _sub(padre, "DatiAnagrafici")
    if s.partita_iva:
        idf_iva = _sub(da, "IdFiscaleIVA")
        _sub(idf_iva, "IdPaese", "IT")
        _sub(idf_iva, "IdCodice", s.partita_iva)
    if s.codice_fiscale:
        _sub(da, "CodiceFiscale", s.codice_fiscale)
    an = _sub(da, "Anagrafica")
    _sub(an, "Denominazione", latin1(s.denominazione)[:80])
    if cedente:
        _sub(da, "RegimeFiscale", s.regime_fiscale)
    sede = _sub(padre, "Sede")
    _sub(sede, "Indirizzo", latin1(s.indirizzo)[:60] or "-")
    _sub(sede, "CAP", s.cap if s.cap and s.cap.isdigit() and len(s.cap) == 5 else "00000")
    _sub(sede, "Comune", latin1(s.comune)[:60] or "-")
    if s.provincia:
        _sub(sede, "Provincia", s.provincia.upper())
    _sub(sede, "Nazione", "IT")


def fattura_xml(d: DatiEsempio, formato: str = "FPR12") -> bytes:
    """Una fattura elettronica FatturaPA 1.2 con un solo corpo (bytes UTF-8 con dichiarazione)."""
    radice = etree.Element(etree.QName(NAMESPACE, "FatturaElettronica"),
                           nsmap={"p": NAMESPACE, "ds": NS_XMLDSIG, "xsi": NS_XSI})
    radice.set("versione", formato)
    header = _sub(radice, "FatturaElettronicaHeader")
    dt_ = _sub(header, "DatiTrasmissione")
    idt = _sub(dt_, "IdTrasmittente")
    _sub(idt, "IdPaese", "IT")
    _sub(idt, "IdCodice", d.cedente.partita_iva or d.cedente.codice_fiscale or FORNITORE_ESEMPIO_PIVA)
    _sub(dt_, "ProgressivoInvio", "00001")
    _sub(dt_, "FormatoTrasmissione", formato)
    _sub(dt_, "CodiceDestinatario", d.codice_destinatario)
    if d.pec_destinatario:
        _sub(dt_, "PECDestinatario", d.pec_destinatario)
    if "cedente" in d.commenti:
        _commento(header, d.commenti["cedente"])
    _anagrafica(_sub(header, "CedentePrestatore"), d.cedente, cedente=True)
    if "cessionario" in d.commenti:
        _commento(header, d.commenti["cessionario"])
    _anagrafica(_sub(header, "CessionarioCommittente"), d.cessionario, cedente=False)

    body = _sub(radice, "FatturaElettronicaBody")
    dg = _sub(body, "DatiGenerali")
    dgd = _sub(dg, "DatiGeneraliDocumento")
    _sub(dgd, "TipoDocumento", "TD01")
    _sub(dgd, "Divisa", "EUR")
    _sub(dgd, "Data", d.data.isoformat())
    _sub(dgd, "Numero", d.numero)
    imponibili: dict[Decimal, Decimal] = {}
    for r in d.righe:
        tot = (r.prezzo * r.quantita).quantize(CENT, rounding=ROUND_HALF_UP)
        imponibili[r.aliquota] = imponibili.get(r.aliquota, Decimal(0)) + tot
    imposte = {a: (b * a / 100).quantize(CENT, rounding=ROUND_HALF_UP) for a, b in imponibili.items()}
    totale = sum(imponibili.values(), Decimal(0)) + sum(imposte.values(), Decimal(0))
    _sub(dgd, "ImportoTotaleDocumento", _importo(totale))
    if "causale" in d.commenti:
        _commento(dgd, d.commenti["causale"])
    for c in d.causali:
        _sub(dgd, "Causale", c)
    if d.cup or d.cig or d.id_documento:
        if "contratto" in d.commenti:
            _commento(dg, d.commenti["contratto"])
        dc = _sub(dg, "DatiContratto")
        _sub(dc, "IdDocumento", latin1(d.id_documento)[:20] or ID_CONTRATTO_SEGNAPOSTO)
        if d.data_contratto:
            _sub(dc, "Data", d.data_contratto.isoformat())
        if d.cup:
            _sub(dc, "CodiceCUP", d.cup)
        if d.cig:
            _sub(dc, "CodiceCIG", d.cig)
    dbs = _sub(body, "DatiBeniServizi")
    for n, r in enumerate(d.righe, start=1):
        linea = _sub(dbs, "DettaglioLinee")
        _sub(linea, "NumeroLinea", str(n))
        _sub(linea, "Descrizione", latin1(r.descrizione)[:1000])
        _sub(linea, "Quantita", _importo(r.quantita))
        _sub(linea, "PrezzoUnitario", _importo(r.prezzo))
        _sub(linea, "PrezzoTotale", _importo(r.prezzo * r.quantita))
        _sub(linea, "AliquotaIVA", _importo(r.aliquota))
    for a, imp in imponibili.items():
        rie = _sub(dbs, "DatiRiepilogo")
        _sub(rie, "AliquotaIVA", _importo(a))
        _sub(rie, "ImponibileImporto", _importo(imp))
        _sub(rie, "Imposta", _importo(imposte[a]))
        _sub(rie, "EsigibilitaIVA", "I")
    if "pagamento" in d.commenti:
        _commento(body, d.commenti["pagamento"])
    dp = _sub(body, "DatiPagamento")
    _sub(dp, "CondizioniPagamento", "TP02")
    det = _sub(dp, "DettaglioPagamento")
    _sub(det, "ModalitaPagamento", d.modalita_pagamento)
    if d.scadenza:
        _sub(det, "DataScadenzaPagamento", d.scadenza.isoformat())
    _sub(det, "ImportoPagamento", _importo(totale))
    if d.iban:
        _sub(det, "IBAN", d.iban)
    return etree.tostring(radice, xml_declaration=True, encoding="UTF-8", pretty_print=True)


# --------------------------------------------------------------------------- dalla pratica

def causali_pnrr(cup: str | None, codice_progetto_gse: str | None, cig: str | None, al: dt.date) -> list[str]:
    """Le causali da riportare: dicitura PNRR, poi CUP, CIG e codice del progetto GSE (≤ 200 caratteri l'una)."""
    dicitura = latin1(param("pnrr_dicitura_fattura", al))
    codici = []
    if cup:
        codici.append(f"CUP {idf.normalizza(cup)}")
    if cig:
        codici.append(f"CIG {idf.normalizza(cig)}")
    if codice_progetto_gse:
        codici.append(f"Codice progetto GSE {latin1(codice_progetto_gse)}")
    out = spezza(dicitura)
    if codici:
        out += spezza(" - ".join(codici))
    return out


def _trova_impianto(pratica: Pratica, impianto_id: str | None) -> Impianto:
    candidati = [imp for _p, _c, imp in pratica.impianti() if imp.contributo_pnrr is not None]
    if impianto_id is not None:
        for imp in candidati:
            if imp.id == impianto_id:
                return imp
        raise ValueError(f"l'impianto '{impianto_id}' non ha un contributo PNRR nella pratica")
    if len(candidati) != 1:
        nomi = ", ".join(i.id for i in candidati) or "nessuno"
        raise ValueError(f"indica l'impianto: quelli con contributo PNRR sono {nomi}")
    return candidati[0]


def _soggetto_beneficiario(pratica: Pratica, imp: Impianto) -> tuple[SoggettoXml, str | None]:
    cp = imp.contributo_pnrr
    sid = (cp.beneficiario if cp else None) or imp.produttore
    if sid == "comunita" and pratica.comunita is not None:
        c = pratica.comunita
        sede = c.sede
        return (SoggettoXml(denominazione=c.denominazione, codice_fiscale=c.codice_fiscale, **_sede(sede)), c.pec)
    s = pratica.soggetto(sid)
    if s is None:
        raise ValueError(f"il beneficiario '{sid}' non è tra i soggetti della pratica")
    return (SoggettoXml(denominazione=s.nome_completo, partita_iva=idf.normalizza(s.partita_iva) or None,
                        codice_fiscale=idf.normalizza(s.codice_fiscale) or None, **_sede(s.luogo)), s.pec)


def _sede(ind: Indirizzo | None) -> dict[str, str | None]:
    if ind is None:
        return {}
    return {"indirizzo": ind.indirizzo or "-", "cap": ind.cap or "00000", "comune": ind.comune or "-",
            "provincia": ind.provincia}


def _data_esempio(imp: Impianto, al: dt.date) -> tuple[dt.date, dt.date | None]:
    """Data della fattura (non prima dell'avvio dei lavori) e scadenza (entro il termine per le quietanze)."""
    cp = imp.contributo_pnrr
    data = max(al, cp.data_avvio_lavori) if cp and cp.data_avvio_lavori else al
    t = termine_pagamenti(cp.accordo_concessione if cp else None, al)
    termine = t.data if t is not None else None
    if termine is None or data > termine:
        return data, None
    return data, termine


def _dati_esempio(pratica: Pratica, imp: Impianto, al: dt.date) -> DatiEsempio:
    cp = imp.contributo_pnrr
    assert cp is not None
    cessionario, pec = _soggetto_beneficiario(pratica, imp)
    data, scadenza = _data_esempio(imp, al)
    spesa = cp.spesa_ammissibile_euro or Decimal("1000.00")
    descrizione = (f"Fornitura e posa in opera dell'impianto fotovoltaico da {numero(imp.potenza_kw)} kW "
                   f"«{imp.nome}» (moduli, inverter, strutture di sostegno, quadri e cavi)")
    return DatiEsempio(
        cedente=SoggettoXml(denominazione="FORNITORE DI ESEMPIO S.R.L.", partita_iva=FORNITORE_ESEMPIO_PIVA,
                            indirizzo="Via dell'Esempio 1", cap="00100", comune="Roma", provincia="RM"),
        cessionario=cessionario, numero="1", data=data,
        causali=causali_pnrr(cp.cup, cp.codice_progetto_gse, cp.cig, al),
        righe=[RigaFattura(descrizione=descrizione, prezzo=spesa)],
        cup=idf.normalizza(cp.cup) or None, cig=idf.normalizza(cp.cig) or None, scadenza=scadenza,
        pec_destinatario=pec,
        commenti={
            "cedente": "Dati del fornitore: SEGNAPOSTO, sostituirli con i propri (P.IVA, denominazione, sede, "
                       "regime fiscale).",
            "cessionario": "Fattura intestata al beneficiario del contributo PNRR: non cambiare questi dati.",
            "causale": "Causale: dicitura PNRR obbligatoria, CUP e codice del progetto GSE (massimo 200 caratteri "
                       "per riga, solo caratteri Latin-1).",
            "contratto": "DatiContratto: in IdDocumento il numero del contratto o dell'ordine (massimo 20 "
                         "caratteri); CodiceCUP obbligatorio" + ("; CodiceCIG del contratto." if cp.cig else "."),
            "pagamento": "Pagamento solo con bonifico (MP05) sull'IBAN del fornitore, entro il termine per le "
                         "quietanze. L'importo e l'aliquota IVA della riga sono un esempio.",
        },
    )


def esempio_fattura(pratica: Pratica, impianto_id: str | None, al: dt.date) -> bytes:
    """La fattura d'esempio per l'impianto, già validata con lo schema FatturaPA."""
    imp = _trova_impianto(pratica, impianto_id)
    xml = fattura_xml(_dati_esempio(pratica, imp, al))
    errori = valida(etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True)))
    if errori:
        raise ValueError("la fattura d'esempio non supera lo schema FatturaPA con i dati di questa pratica ("
                         + "; ".join(str(e) for e in errori[:3]) + "): controlla i dati del beneficiario")
    return xml


def campi_fattura(pratica: Pratica, impianto_id: str | None, al: dt.date) -> list[CampoFattura]:
    """I campi della fattura elettronica con il valore da usare, per la scheda dei fornitori."""
    imp = _trova_impianto(pratica, impianto_id)
    d = _dati_esempio(pratica, imp, al)
    ces = d.cessionario
    campi = []
    if ces.partita_iva:
        campi.append(CampoFattura("CessionarioCommittente/DatiAnagrafici/IdFiscaleIVA", f"IT {ces.partita_iva}",
                                  "partita IVA del beneficiario"))
    if ces.codice_fiscale:
        campi.append(CampoFattura("CessionarioCommittente/DatiAnagrafici/CodiceFiscale", ces.codice_fiscale))
    campi.append(CampoFattura("CessionarioCommittente/DatiAnagrafici/Anagrafica/Denominazione",
                              latin1(ces.denominazione)))
    sede = ", ".join(x for x in (ces.indirizzo, f"{ces.cap} {ces.comune}", ces.provincia) if x and x != "-")
    campi.append(CampoFattura("CessionarioCommittente/Sede", sede))
    if d.pec_destinatario:
        campi.append(CampoFattura("DatiTrasmissione/PECDestinatario", d.pec_destinatario,
                                  "oppure il codice destinatario SdI del beneficiario, se comunicato"))
    campi.append(CampoFattura("DatiGenerali/DatiContratto/IdDocumento", "numero del contratto o dell'ordine",
                              "obbligatorio nel blocco, massimo 20 caratteri"))
    if d.cup:
        campi.append(CampoFattura("DatiGenerali/DatiContratto/CodiceCUP", d.cup, "15 caratteri, senza spazi"))
    if d.cig:
        campi.append(CampoFattura("DatiGenerali/DatiContratto/CodiceCIG", d.cig, "10 caratteri"))
    for i, c in enumerate(d.causali, start=1):
        campi.append(CampoFattura(f"DatiGenerali/DatiGeneraliDocumento/Causale ({i})", c))
    campi.append(CampoFattura("DatiBeniServizi/DettaglioLinee/Descrizione",
                              "tipo di intervento: progettazione, direzione lavori, collaudo, fornitura e posa, "
                              "connessione…", "una riga per ciascun tipo di intervento"))
    campi.append(CampoFattura("DatiPagamento/DettaglioPagamento/ModalitaPagamento", "MP05 (bonifico)",
                              "mai MP01 (contanti) né altre modalità"))
    if d.scadenza:
        campi.append(CampoFattura("DatiPagamento/DettaglioPagamento/DataScadenzaPagamento",
                                  f"entro il {data_lunga(d.scadenza)}",
                                  "termine per pagare le spese ammissibili"))
    return campi
