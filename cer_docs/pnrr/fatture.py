"""Controllo delle fatture di spesa PNRR (dominio.md §6.5–6.6).

Una fattura elettronica (XML FPR12/FPA12, in chiaro o firmata ``.p7m``) si legge in modo
sicuro (``lettura``), si valida con lo schema ufficiale (``schema``) e se ne estraggono i
dati (``DatiFattura``); poi la si confronta con la pratica (``AttesiFattura``):

1. CUP presente (``CodiceCUP`` in DatiOrdineAcquisto / DatiContratto / DatiConvenzione /
   DatiRicezione / DatiFattureCollegate, oppure nella causale o nelle righe) e uguale a quello
   del progetto; prima dell'assegnazione del CUP basta il codice del progetto GSE;
2. CIG, se il progetto ne ha uno;
3. intestazione al beneficiario (P.IVA o codice fiscale del cessionario/committente);
4. codice identificativo del progetto rilasciato dal portale GSE;
5. dicitura PNRR obbligatoria (parametro ``pnrr_dicitura_fattura``; si tollerano differenze di
   punteggiatura, trattini, maiuscole e accenti);
6. descrizione del tipo di intervento nelle righe;
7. modalità di pagamento: solo bonifico (MP05), mai contanti (MP01);
8. data della fattura rispetto all'avvio dei lavori (salvo spese preparatorie);
9. data di emissione e scadenza del pagamento entro il termine per pagare le spese: fino al
   19/02/2026 il 30/06/2026 delle Regole Operative 2024; dal 20/02/2026 quello dell'accordo di
   concessione registrato nella pratica (DL 19/2026 art. 27 c. 6) — se manca, un avviso lo chiede.

Un PDF (copia di cortesia) si controlla per quanto il testo permette. Ogni rilievo dice cosa
manca e cosa fare; dove il rimedio non viene da un testo ufficiale è scritto come
«indicazione operativa».

Funzioni pure: nessun orologio (la data ``al`` arriva da chi chiama), nessun database.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Iterable, Literal

from lxml import etree

from cer_docs.italiano import importo
from cer_docs.model.pratica import Pratica
from cer_docs.rules import identificativi as idf
from cer_docs.model.pnrr import AccordoConcessione
from cer_docs.rules.base import ParametroNonDefinito, Rilievo, cita, fonti_di, param, rif
from cer_docs.rules.pnrr import PERCORSO_TERMINE_ACCORDO, messaggio_termine_mancante, termine_pagamenti

from .lettura import DocumentoLetto, FileIlleggibile, leggi_documento
from .schema import valida
from .testo import compatto, contiene

__all__ = ["AttesiFattura", "DatiFattura", "DocumentoCorrelato", "EsitoFattura", "Esito", "SoggettoFattura",
           "dati_da_pdf", "dati_da_xml", "deduci_tipo_spesa", "esito_illeggibile", "verifica_dati", "verifica_documento",
           "verifica_fattura"]

AMBITO = "fatture"
Esito = Literal["conforme", "non_conforme", "illeggibile"]

BLOCCHI_CORRELATI = ("DatiOrdineAcquisto", "DatiContratto", "DatiConvenzione", "DatiRicezione",
                     "DatiFattureCollegate")
MODALITA_PAGAMENTO = {
    "MP01": "contanti", "MP02": "assegno", "MP03": "assegno circolare", "MP04": "contanti presso Tesoreria",
    "MP05": "bonifico", "MP06": "vaglia cambiario", "MP07": "bollettino bancario", "MP08": "carta di pagamento",
    "MP09": "RID", "MP10": "RID utenze", "MP11": "RID veloce", "MP12": "RIBA", "MP13": "MAV",
    "MP14": "quietanza erario", "MP15": "giroconto su conti di contabilità speciale",
    "MP16": "domiciliazione bancaria", "MP17": "domiciliazione postale", "MP18": "bollettino di c/c postale",
    "MP19": "SEPA Direct Debit", "MP20": "SEPA Direct Debit CORE", "MP21": "SEPA Direct Debit B2B",
    "MP22": "trattenuta su somme già riscosse", "MP23": "PagoPA",
}
CONTANTI = {"MP01", "MP04"}

# Parole che indicano il tipo di intervento nelle righe della fattura: euristica per suggerire il
# tipo di spesa del registro, non un elenco normativo (le categorie ammesse sono nelle RO, App. E).
PAROLE_TIPO_SPESA: dict[str, tuple[str, ...]] = {
    "studi_prefattibilita": ("prefattibilita", "studio di fattibilita", "studio fattibilita", "analisi energetica"),
    "costituzione_configurazione": ("costituzione", "atto costitutivo", "statuto", "configurazione", "notaio",
                                    "notarile", "registrazione atto"),
    "progettazione": ("progettazione", "progetto esecutivo", "progetto definitivo", "progetto preliminare"),
    "indagini_geologiche": ("geologic", "geotecnic", "sondaggi", "indagine"),
    "direzione_lavori": ("direzione lavori", "direzione dei lavori", "d.l."),
    "sicurezza": ("sicurezza", "coordinamento sicurezza", "csp", "cse"),
    "fornitura_installazione": ("fornitura", "posa", "installazione", "moduli", "pannelli", "inverter",
                                "strutture di sostegno", "impianto fotovoltaico", "accumulo"),
    "opere_edili": ("opere edili", "opere murarie", "scavi", "cavidotto", "carpenteria"),
    "connessione": ("connessione", "allaccio", "preventivo di connessione", "distributore", "e-distribuzione"),
    "collaudo": ("collaudo", "verifica iniziale", "certificato di regolare esecuzione"),
}


# --------------------------------------------------------------------------- dati

@dataclass
class SoggettoFattura:
    denominazione: str | None = None
    partita_iva: str | None = None        # senza prefisso del paese
    paese: str | None = None
    codice_fiscale: str | None = None

    @property
    def identificativi(self) -> set[str]:
        return {idf.normalizza(x) for x in (self.partita_iva, self.codice_fiscale) if x}

    def descrizione(self) -> str:
        parti = [self.denominazione or "soggetto senza nome"]
        if self.partita_iva:
            parti.append(f"P.IVA {self.paese or ''}{self.partita_iva}")
        if self.codice_fiscale and self.codice_fiscale != self.partita_iva:
            parti.append(f"CF {self.codice_fiscale}")
        return ", ".join(parti)


@dataclass
class DocumentoCorrelato:
    blocco: str
    id_documento: str | None = None
    data: dt.date | None = None
    cup: str | None = None
    cig: str | None = None
    codice_commessa: str | None = None


@dataclass
class DettaglioPagamento:
    modalita: str | None = None
    scadenza: dt.date | None = None
    importo: Decimal | None = None
    iban: str | None = None


@dataclass
class DatiFattura:
    """I dati di una fattura (un ``FatturaElettronicaBody``) che servono ai controlli."""

    origine: Literal["xml", "pdf"]
    indice: int = 0
    versione: str | None = None
    tipo_documento: str | None = None
    numero: str | None = None
    data: dt.date | None = None
    divisa: str | None = None
    cedente: SoggettoFattura = field(default_factory=SoggettoFattura)
    cessionario: SoggettoFattura = field(default_factory=SoggettoFattura)
    causali: list[str] = field(default_factory=list)
    righe: list[str] = field(default_factory=list)
    altri_dati: list[str] = field(default_factory=list)
    documenti_correlati: list[DocumentoCorrelato] = field(default_factory=list)
    pagamenti: list[DettaglioPagamento] = field(default_factory=list)
    imponibile: Decimal | None = None
    imposta: Decimal | None = None
    totale: Decimal | None = None
    testo_pdf: str | None = None

    @property
    def testo(self) -> str:
        """Tutto il testo libero in cui cercare dicitura, CUP e codice del progetto."""
        parti = [*self.causali, *self.righe, *self.altri_dati]
        for d in self.documenti_correlati:
            parti += [x for x in (d.id_documento, d.codice_commessa) if x]
        if self.testo_pdf:
            parti.append(self.testo_pdf)
        return "\n".join(parti)

    @property
    def cup_strutturati(self) -> list[str]:
        return [idf.normalizza(d.cup) for d in self.documenti_correlati if d.cup]

    @property
    def cig_strutturati(self) -> list[str]:
        return [idf.normalizza(d.cig) for d in self.documenti_correlati if d.cig]

    @property
    def modalita_pagamento(self) -> list[str]:
        return list(dict.fromkeys(p.modalita for p in self.pagamenti if p.modalita))

    @property
    def scadenza_pagamento(self) -> dt.date | None:
        date = [p.scadenza for p in self.pagamenti if p.scadenza]
        return max(date) if date else None

    @property
    def etichetta(self) -> str:
        n = self.numero or "senza numero"
        return f"fattura {n} del {self.data.strftime('%d/%m/%Y')}" if self.data else f"fattura {n}"


@dataclass
class AttesiFattura:
    """Che cosa la fattura deve riportare, ricavato dalla pratica per un impianto."""

    impianto_id: str
    impianto: str
    percorso: str
    cup: str | None = None
    cig: str | None = None
    codice_progetto_gse: str | None = None
    data_assegnazione_cup: dt.date | None = None
    data_domanda: dt.date | None = None
    data_avvio_lavori: dt.date | None = None
    data_entrata_esercizio: dt.date | None = None
    beneficiario: str | None = None
    beneficiario_partita_iva: str | None = None
    beneficiario_codice_fiscale: str | None = None
    accordo_concessione: AccordoConcessione | None = None

    @property
    def identificativi_beneficiario(self) -> set[str]:
        out = set()
        for x in (self.beneficiario_partita_iva, self.beneficiario_codice_fiscale):
            c = idf.normalizza(x)
            if c.startswith("IT") and len(c) == 13:
                c = c[2:]
            if c:
                out.add(c)
        return out

    @classmethod
    def da_pratica(cls, pratica: Pratica, impianto_id: str) -> "AttesiFattura":
        for percorso, _conf, imp in pratica.impianti():
            if imp.id != impianto_id:
                continue
            cp = imp.contributo_pnrr
            if cp is None:
                raise ValueError(f"l'impianto '{impianto_id}' non ha un contributo PNRR nella pratica")
            nome, piva, cf = _beneficiario(pratica, cp.beneficiario or imp.produttore)
            return cls(impianto_id=imp.id, impianto=imp.nome, percorso=percorso,
                       cup=idf.normalizza(cp.cup) or None, cig=idf.normalizza(cp.cig) or None,
                       codice_progetto_gse=cp.codice_progetto_gse,
                       data_assegnazione_cup=cp.data_assegnazione_cup or cp.data_concessione,
                       data_domanda=cp.data_domanda, data_avvio_lavori=cp.data_avvio_lavori,
                       data_entrata_esercizio=imp.data_entrata_esercizio, beneficiario=nome,
                       beneficiario_partita_iva=piva, beneficiario_codice_fiscale=cf,
                       accordo_concessione=cp.accordo_concessione)
        raise ValueError(f"l'impianto '{impianto_id}' non è nella pratica")


def _beneficiario(pratica: Pratica, sid: str) -> tuple[str, str | None, str | None]:
    if sid == "comunita" and pratica.comunita is not None:
        return pratica.comunita.denominazione, None, pratica.comunita.codice_fiscale
    s = pratica.soggetto(sid)
    if s is None:
        return sid, None, None
    return s.nome_completo, s.partita_iva, s.codice_fiscale


@dataclass
class EsitoFattura:
    """Il risultato della verifica di un file: esito, rilievi e dati letti."""

    file: str
    esito: Esito
    rilievi: list[Rilievo]
    tipo: str | None = None
    sha256: str | None = None
    dimensione: int | None = None
    impianto_id: str | None = None
    schema_valido: bool | None = None
    fatture: list[DatiFattura] = field(default_factory=list)
    codice_illeggibile: str | None = None

    @property
    def errori(self) -> int:
        return sum(1 for r in self.rilievi if r.gravita == "errore")

    @property
    def avvisi(self) -> int:
        return sum(1 for r in self.rilievi if r.gravita == "avviso")

    @property
    def registrabile(self) -> bool:
        """Si può mettere nel registro: leggibile e valido per lo schema (SdI non l'avrebbe scartato)."""
        return self.esito != "illeggibile" and self.schema_valido is not False and bool(self.fatture)

    def as_dict(self) -> dict[str, Any]:
        return _json_ready({
            "file": self.file, "esito": self.esito, "tipo": self.tipo, "sha256": self.sha256,
            "dimensione": self.dimensione, "impianto": self.impianto_id, "schema_valido": self.schema_valido,
            "errori": self.errori, "avvisi": self.avvisi,
            "rilievi": [r.as_dict() for r in self.rilievi],
            "fatture": [asdict(f) for f in self.fatture],
        })


def _json_ready(o: Any) -> Any:
    if isinstance(o, dict):
        return {k: _json_ready(v) for k, v in o.items() if k != "testo_pdf"}
    if isinstance(o, (list, tuple)):
        return [_json_ready(v) for v in o]
    if isinstance(o, Decimal):
        return str(o)
    if isinstance(o, dt.date):
        return o.isoformat()
    return o


# --------------------------------------------------------------------------- estrazione XML

def _figli(el: etree._Element | None, nome: str) -> list[etree._Element]:
    if el is None:
        return []
    return [c for c in el if isinstance(c.tag, str) and etree.QName(c).localname == nome]


def _uno(el: etree._Element | None, *percorso: str) -> etree._Element | None:
    for nome in percorso:
        trovati = _figli(el, nome)
        if not trovati:
            return None
        el = trovati[0]
    return el


def _testo(el: etree._Element | None, *percorso: str) -> str | None:
    x = _uno(el, *percorso)
    if x is None or x.text is None:
        return None
    t = x.text.strip()
    return t or None


def _data(s: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(s) if s else None
    except ValueError:
        return None


def _decimale(s: str | None) -> Decimal | None:
    try:
        d = Decimal(s) if s else None
    except (InvalidOperation, ValueError):
        return None
    return d if d is None or d.is_finite() else None


def _soggetto(anagrafici: etree._Element | None) -> SoggettoFattura:
    s = SoggettoFattura()
    if anagrafici is None:
        return s
    s.paese = _testo(anagrafici, "IdFiscaleIVA", "IdPaese")
    s.partita_iva = _testo(anagrafici, "IdFiscaleIVA", "IdCodice")
    s.codice_fiscale = _testo(anagrafici, "CodiceFiscale")
    den = _testo(anagrafici, "Anagrafica", "Denominazione")
    if den is None:
        nome = " ".join(x for x in (_testo(anagrafici, "Anagrafica", "Nome"),
                                    _testo(anagrafici, "Anagrafica", "Cognome")) if x)
        den = nome or None
    s.denominazione = den
    return s


def dati_da_xml(radice: etree._Element) -> list[DatiFattura]:
    """Un ``DatiFattura`` per ogni corpo (``FatturaElettronicaBody``) del file."""
    header = _uno(radice, "FatturaElettronicaHeader")
    cedente = _soggetto(_uno(header, "CedentePrestatore", "DatiAnagrafici"))
    cessionario = _soggetto(_uno(header, "CessionarioCommittente", "DatiAnagrafici"))
    out = []
    for i, body in enumerate(_figli(radice, "FatturaElettronicaBody")):
        dg = _uno(body, "DatiGenerali")
        dgd = _uno(dg, "DatiGeneraliDocumento")
        d = DatiFattura(origine="xml", indice=i, versione=radice.get("versione"),
                        tipo_documento=_testo(dgd, "TipoDocumento"), numero=_testo(dgd, "Numero"),
                        data=_data(_testo(dgd, "Data")), divisa=_testo(dgd, "Divisa"),
                        cedente=cedente, cessionario=cessionario)
        d.causali = [c.text.strip() for c in _figli(dgd, "Causale") if c.text and c.text.strip()]
        for blocco in BLOCCHI_CORRELATI:
            for el in _figli(dg, blocco):
                d.documenti_correlati.append(DocumentoCorrelato(
                    blocco=blocco, id_documento=_testo(el, "IdDocumento"), data=_data(_testo(el, "Data")),
                    cup=_testo(el, "CodiceCUP"), cig=_testo(el, "CodiceCIG"),
                    codice_commessa=_testo(el, "CodiceCommessaConvenzione")))
        dbs = _uno(body, "DatiBeniServizi")
        for linea in _figli(dbs, "DettaglioLinee"):
            if (t := _testo(linea, "Descrizione")):
                d.righe.append(t)
            for adg in _figli(linea, "AltriDatiGestionali"):
                d.altri_dati += [x for x in (_testo(adg, "TipoDato"), _testo(adg, "RiferimentoTesto")) if x]
        riepiloghi = _figli(dbs, "DatiRiepilogo")
        imponibili = [_decimale(_testo(r, "ImponibileImporto")) for r in riepiloghi]
        imposte = [_decimale(_testo(r, "Imposta")) for r in riepiloghi]
        if riepiloghi and all(x is not None for x in imponibili):
            d.imponibile = sum(imponibili, Decimal(0))  # type: ignore[arg-type]
        if riepiloghi and all(x is not None for x in imposte):
            d.imposta = sum(imposte, Decimal(0))  # type: ignore[arg-type]
        d.totale = _decimale(_testo(dgd, "ImportoTotaleDocumento"))
        if d.totale is None and d.imponibile is not None and d.imposta is not None:
            d.totale = d.imponibile + d.imposta
        for dp in _figli(body, "DatiPagamento"):
            for det in _figli(dp, "DettaglioPagamento"):
                d.pagamenti.append(DettaglioPagamento(
                    modalita=_testo(det, "ModalitaPagamento"), scadenza=_data(_testo(det, "DataScadenzaPagamento")),
                    importo=_decimale(_testo(det, "ImportoPagamento")), iban=_testo(det, "IBAN")))
        out.append(d)
    return out


# --------------------------------------------------------------------------- estrazione PDF

_RE_DATA = re.compile(r"(?i)\b(?:data(?:\s+(?:documento|fattura|emissione))?|del)\s*[:.]?\s*"
                      r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\b")
_RE_NUMERO = re.compile(r"(?i)\b(?:fattura|documento)\s*(?:n\.?|nr\.?|numero|n°)\s*[:.]?\s*([A-Za-z0-9][A-Za-z0-9/_.-]{0,19})")
_RE_CODICI_11_16 = re.compile(r"\b(?:IT)?([0-9]{11}|[A-Z]{6}[0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z])\b")
_RE_IMPORTO = re.compile(r"(?i)totale(?:\s+(?:documento|fattura|da pagare))?\s*[:€]*\s*(?:EUR|€)?\s*"
                         r"(\d{1,3}(?:\.\d{3})*,\d{2})")


def dati_da_pdf(testo: str) -> DatiFattura:
    """Quello che si può ricavare dal testo di un PDF (copia di cortesia): poco e con cautela."""
    d = DatiFattura(origine="pdf", testo_pdf=testo)
    if (m := _RE_DATA.search(testo)):
        try:
            d.data = dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        except ValueError:
            d.data = None
    if (m := _RE_NUMERO.search(testo)):
        d.numero = m.group(1)
    if (m := _RE_IMPORTO.search(testo)):
        d.totale = _decimale(m.group(1).replace(".", "").replace(",", "."))
    low = testo.casefold()
    if "contanti" in low:
        d.pagamenti.append(DettaglioPagamento(modalita="MP01"))
    elif "bonifico" in low:
        d.pagamenti.append(DettaglioPagamento(modalita="MP05"))
    return d


# --------------------------------------------------------------------------- controlli

def deduci_tipo_spesa(righe: Iterable[str]) -> str | None:
    """Il tipo di spesa più probabile dalle descrizioni delle righe (euristica), o ``None``."""
    testo = " ".join(righe).casefold()
    testo = testo.replace("à", "a").replace("è", "e").replace("é", "e").replace("ò", "o").replace("ù", "u")
    punteggi = {tipo: sum(1 for p in parole if p in testo) for tipo, parole in PAROLE_TIPO_SPESA.items()}
    migliore = max(punteggi.items(), key=lambda kv: kv[1])
    return migliore[0] if migliore[1] > 0 else None


def _d(x: dt.date) -> str:
    return x.strftime("%d/%m/%Y")


class _Rilievi:
    def __init__(self, nome: str, dati: DatiFattura, multipla: bool):
        self.lista: list[Rilievo] = []
        self.base = f"{nome} › fattura {dati.indice + 1}" if multipla else nome

    def add(self, codice: str, gravita: str, campo: str | None, messaggio: str, riferimento: str,
            fonti: list[str] | None = None) -> None:
        oggetto = f"{self.base} › {campo}" if campo else self.base
        self.lista.append(Rilievo(codice=codice, gravita=gravita, oggetto=oggetto, messaggio=messaggio,  # type: ignore[arg-type]
                                  riferimento=riferimento, ambito=AMBITO, fonti=fonti or []))


def _rimedio_codice(cosa: str, al: dt.date, data_fattura: dt.date | None) -> str:
    """Come rimediare a un CUP mancante o errato: nota di credito, oppure servizio AdE di integrazione."""
    testo = (f" Come rimediare: il fornitore emette una nota di credito (TD04) che storna questa fattura e una "
             f"fattura nuova con {cosa} (indicazione operativa).")
    try:
        integrazione = param("fattura_cup_integrazione", al)
    except ParametroNonDefinito:
        return testo
    if data_fattura is None or data_fattura >= integrazione["operazioni_dal"]:
        testo += (" In alternativa il beneficiario, o un intermediario delegato, può integrare il CUP nella fattura "
                  "già trasmessa con il servizio web dell'Agenzia delle Entrate (portale Fatture e Corrispettivi) "
                  f"previsto dal {rif('fattura_cup_integrazione', al)}, da quando il servizio è disponibile; "
                  "prima di rendicontare conferma con il GSE che la fattura integrata è accettata.")
    return testo


def _cup_obbligatorio(data_fattura: dt.date | None, attesi: AttesiFattura) -> bool:
    """Vero se la fattura deve riportare il CUP: emessa dopo l'assegnazione, con l'obbligo di legge in vigore.

    Senza la data di assegnazione (né ``data_assegnazione_cup`` né ``data_concessione``) ma con un
    CUP nella pratica, si assume che il CUP serva: è la lettura prudente.
    """
    if attesi.cup is None:
        return False
    if data_fattura is None:
        return True
    try:
        in_vigore = bool(param("fattura_cup_obbligo", data_fattura))
    except ParametroNonDefinito:
        in_vigore = False
    if not in_vigore:
        return False
    return attesi.data_assegnazione_cup is None or data_fattura >= attesi.data_assegnazione_cup


def _cup_nel_testo(testo: str, al: dt.date) -> set[str]:
    """CUP scritti nel testo libero (forma consueta: lettera, 2 cifre, lettera, 11 cifre)."""
    tipico = param("formato_cup", al)["tipico"].strip("^$")
    return {m.group(0) for m in re.finditer(rf"(?<![A-Z0-9]){tipico}(?![A-Z0-9])", testo.upper())}


def _controlla_cup(r: _Rilievi, d: DatiFattura, a: AttesiFattura, al: dt.date) -> None:
    rif_cup = cita(("dl-13-2023", "art. 5 c. 6"), "gse-faq-cup", ("l-3-2003", "art. 11"))
    fonti = ["dl-13-2023", "gse-faq-cup", "l-3-2003"]
    for dc in d.documenti_correlati:
        if dc.cup and (esito := idf.cup(dc.cup, al)) and esito[0] == "errore":
            r.add("FATTURA_CUP_FORMATO", "errore", f"DatiGenerali/{dc.blocco}/CodiceCUP",
                  f"Il CUP scritto in fattura ('{dc.cup}') non è valido: {esito[1]}." +
                  _rimedio_codice("il CUP corretto", al, d.data), rif_cup, fonti)
    obbligatorio = param("formato_cup", al)["obbligatorio"]
    strutturati = {c for c in d.cup_strutturati if re.fullmatch(obbligatorio, c)}  # i malformati sono già segnalati
    nel_testo = _cup_nel_testo(d.testo, al)
    atteso = a.cup
    trovato = atteso is not None and (atteso in strutturati or contiene(d.testo, atteso))
    altri = (strutturati | nel_testo) - ({atteso} if atteso else set())
    obbligo = _cup_obbligatorio(d.data, a)
    if trovato:
        if atteso not in strutturati and d.origine == "xml":
            r.add("FATTURA_CUP_SOLO_TESTO", "info", "DatiGenerali/DatiGeneraliDocumento/Causale",
                  f"Il CUP {atteso} è scritto solo nel testo (causale o righe): va bene, ma per le prossime fatture "
                  "chiedi al fornitore di metterlo anche nel campo CodiceCUP di DatiContratto o DatiOrdineAcquisto, "
                  "dove lo leggono i controlli automatici.", rif_cup, fonti)
        if altri:
            r.add("FATTURA_CUP_PIU_PROGETTI", "avviso", "DatiGenerali",
                  f"Oltre al CUP del progetto ({atteso}) la fattura riporta {', '.join(sorted(altri))}: verifica "
                  "che la stessa spesa non sia imputata a due progetti (divieto di doppio finanziamento) e, se è un "
                  "refuso, chiedi la correzione al fornitore.", cita(("dl-19-2026", "art. 27")), ["dl-19-2026"])
        return
    if altri:
        if atteso:
            r.add("FATTURA_CUP_DIVERSO", "errore", "DatiGenerali",
                  f"La fattura riporta il CUP {', '.join(sorted(altri))}, che non è quello del progetto "
                  f"({atteso}) dell'impianto «{a.impianto}»: così la spesa risulta di un altro progetto e non si "
                  "può rendicontare." + _rimedio_codice(f"il CUP {atteso}", al, d.data), rif_cup, fonti)
        else:
            r.add("FATTURA_CUP_NON_VERIFICABILE", "avviso", "DatiGenerali",
                  f"La fattura riporta il CUP {', '.join(sorted(altri))} ma la pratica non ha ancora il CUP "
                  "dell'impianto: inseriscilo nella pratica (contributo_pnrr.cup) per poterlo confrontare.",
                  rif_cup, fonti)
        return
    codice_gse = a.codice_progetto_gse and contiene(d.testo, a.codice_progetto_gse)
    if obbligo:
        r.add("FATTURA_CUP_MANCANTE", "errore", "DatiGenerali/DatiContratto/CodiceCUP",
              f"Manca il CUP {atteso}: la fattura ({d.etichetta}) è successiva all'assegnazione del CUP "
              f"({_d(a.data_assegnazione_cup) if a.data_assegnazione_cup else 'data non indicata'}) e deve "
              "riportarlo." + _rimedio_codice(f"il CUP {atteso} in DatiContratto/CodiceCUP", al, d.data),
              rif_cup, fonti)
    elif codice_gse:
        r.add("FATTURA_PRIMA_DEL_CUP", "info", "DatiGenerali",
              "La fattura è anteriore all'assegnazione del CUP e riporta il codice del progetto GSE: prima del CUP "
              "è ammesso. Conservala con la comunicazione del CUP per la rendicontazione.",
              cita("gse-faq-cup"), ["gse-faq-cup"])
    else:
        r.add("FATTURA_SENZA_CUP_NE_CODICE", "errore", "DatiGenerali",
              "La fattura non riporta né il CUP né il codice del progetto rilasciato dal portale GSE: prima "
              "dell'assegnazione del CUP serve almeno il codice del progetto." +
              _rimedio_codice("il codice del progetto GSE", al, d.data), cita("gse-faq-cup"), ["gse-faq-cup"])


def _controlla_cig(r: _Rilievi, d: DatiFattura, a: AttesiFattura) -> None:
    rif_cig = cita(("l-136-2010", "art. 3"))
    strutturati = set(d.cig_strutturati)
    if a.cig is None:
        return
    if a.cig in strutturati or contiene(d.testo, a.cig):
        return
    if strutturati:
        r.add("FATTURA_CIG_DIVERSO", "errore", "DatiGenerali/DatiContratto/CodiceCIG",
              f"La fattura riporta il CIG {', '.join(sorted(strutturati))} invece di {a.cig}, quello del contratto "
              "del progetto: chiedi al fornitore una nota di credito e una fattura nuova con il CIG giusto "
              "(indicazione operativa).", rif_cig, ["l-136-2010"])
    else:
        r.add("FATTURA_CIG_MANCANTE", "errore", "DatiGenerali/DatiContratto/CodiceCIG",
              f"Manca il CIG {a.cig}: per questo progetto l'acquisto è avvenuto con una procedura che ha un CIG e la "
              "fattura deve riportarlo (campo CodiceCIG). Chiedi al fornitore una nota di credito e una fattura "
              "nuova con il CIG (indicazione operativa).", rif_cig, ["l-136-2010"])


def _controlla_beneficiario(r: _Rilievi, d: DatiFattura, a: AttesiFattura) -> None:
    rif_b = cita(("ro-2024", "Parte II §2 (documentazione di spesa)"), "avviso-pnrr-2024")
    attesi = a.identificativi_beneficiario
    if not attesi:
        r.add("FATTURA_BENEFICIARIO_NON_VERIFICABILE", "avviso", "CessionarioCommittente",
              f"Nella pratica il beneficiario ({a.beneficiario}) non ha partita IVA né codice fiscale: inseriscili "
              "per verificare che le fatture siano intestate a lui.", rif_b, ["ro-2024"])
        return
    if d.origine == "pdf":
        presenti = {m.group(1) for m in _RE_CODICI_11_16.finditer((d.testo_pdf or "").upper())}
        if not (presenti & attesi):
            r.add("FATTURA_BENEFICIARIO", "errore", "CessionarioCommittente",
                  f"Nel PDF non compaiono la partita IVA né il codice fiscale del beneficiario {a.beneficiario} "
                  f"({', '.join(sorted(attesi))}): la fattura deve essere intestata a chi sostiene la spesa.",
                  rif_b, ["ro-2024"])
        return
    if d.cessionario.identificativi & attesi:
        return
    r.add("FATTURA_BENEFICIARIO", "errore", "CessionarioCommittente",
          f"La fattura è intestata a {d.cessionario.descrizione()}, non al beneficiario del contributo "
          f"{a.beneficiario} ({', '.join(sorted(attesi))}): sono ammesse solo le spese fatturate al beneficiario "
          "che le sostiene. Il fornitore deve emettere una nota di credito (TD04) e una fattura nuova intestata "
          f"a {a.beneficiario} (indicazione operativa).", rif_b, ["ro-2024", "avviso-pnrr-2024"])


def _controlla_codice_progetto(r: _Rilievi, d: DatiFattura, a: AttesiFattura) -> None:
    rif_c = cita(("ro-2024", "Parte II §2 (documentazione di spesa)"), "gse-faq-cup")
    if not a.codice_progetto_gse:
        r.add("FATTURA_CODICE_PROGETTO_NON_VERIFICABILE", "avviso", "DatiGenerali/DatiGeneraliDocumento/Causale",
              "La pratica non ha il codice del progetto rilasciato dal portale GSE: inseriscilo "
              "(contributo_pnrr.codice_progetto_gse) per verificare che le fatture lo riportino.",
              rif_c, ["ro-2024"])
        return
    if contiene(d.testo, a.codice_progetto_gse):
        return
    r.add("FATTURA_CODICE_PROGETTO", "errore", "DatiGenerali/DatiGeneraliDocumento/Causale",
          f"Manca il codice del progetto rilasciato dal portale GSE ({a.codice_progetto_gse}), che identifica il "
          "progetto finanziato: il fornitore deve scriverlo nella causale. Per una fattura già emessa: nota di "
          "credito e fattura nuova con il codice (indicazione operativa).", rif_c, ["ro-2024", "gse-faq-cup"])


def _controlla_dicitura(r: _Rilievi, d: DatiFattura, al: dt.date) -> None:
    dicitura = param("pnrr_dicitura_fattura", al)
    rif_d = rif("pnrr_dicitura_fattura", al)
    fonti = fonti_di("pnrr_dicitura_fattura", al)
    testo = compatto(d.testo)
    if compatto(dicitura) in testo:
        return
    parole = [compatto(p) for p in re.split(r"\s+", dicitura) if len(compatto(p)) > 3]
    presenti = sum(1 for p in parole if p in testo)
    if parole and presenti * 2 >= len(parole):
        r.add("FATTURA_DICITURA_INCOMPLETA", "avviso", "DatiGenerali/DatiGeneraliDocumento/Causale",
              f"La dicitura PNRR c'è ma non è completa o è scritta in modo diverso da quello previsto: «{dicitura}». "
              "Per le prossime fatture chiedi al fornitore di riportarla per intero nella causale.", rif_d, fonti)
        return
    r.add("FATTURA_DICITURA_MANCANTE", "errore", "DatiGenerali/DatiGeneraliDocumento/Causale",
          f"Manca la dicitura obbligatoria «{dicitura}». Il fornitore deve riportarla nella causale (campo "
          "ripetibile da 200 caratteri). Per una fattura già emessa: nota di credito e fattura nuova con la "
          "dicitura (indicazione operativa).", rif_d, fonti)


def _controlla_descrizione(r: _Rilievi, d: DatiFattura, tipo_spesa: str | None) -> None:
    rif_t = cita(("ro-2024", "Parte II §2 (documentazione di spesa)"), "avviso-pnrr-2024")
    if d.origine == "xml" and not d.righe:
        r.add("FATTURA_DESCRIZIONE_MANCANTE", "errore", "DatiBeniServizi/DettaglioLinee/Descrizione",
              "Le righe della fattura non hanno descrizione: deve risultare il tipo di intervento (progettazione, "
              "direzione lavori, collaudo, fornitura e posa, connessione...).", rif_t, ["ro-2024"])
        return
    if tipo_spesa is None and deduci_tipo_spesa(d.righe or [d.testo]) is None:
        r.add("FATTURA_DESCRIZIONE_GENERICA", "avviso", "DatiBeniServizi/DettaglioLinee/Descrizione",
              "La descrizione non dice a quale tipo di intervento si riferisce l'importo (es. progettazione, "
              "direzione lavori, collaudo, fornitura e posa dei moduli, oneri di connessione): chiedi al fornitore "
              "di indicarlo, o precisa tu il tipo di spesa nel registro.", rif_t, ["ro-2024"])


def _controlla_pagamento(r: _Rilievi, d: DatiFattura, al: dt.date) -> None:
    ammesse = param("pnrr_pagamento_tracciabile", al)["codici_fatturapa"]
    rif_p = rif("pnrr_pagamento_tracciabile", al)
    fonti = fonti_di("pnrr_pagamento_tracciabile", al)
    modalita = d.modalita_pagamento
    if not modalita:
        r.add("FATTURA_PAGAMENTO_NON_INDICATO", "avviso", "DatiPagamento/DettaglioPagamento/ModalitaPagamento",
              "La fattura non indica la modalità di pagamento: pagala con bonifico bancario o postale e conserva la "
              "contabile con CUP, codice del progetto e numero della fattura nella causale.", rif_p, fonti)
        return
    for m in modalita:
        if m in ammesse:
            continue
        descr = MODALITA_PAGAMENTO.get(m, "modalità sconosciuta")
        if d.origine == "pdf":
            r.add("FATTURA_CONTANTI", "avviso", None,
                  "Il PDF parla di pagamento in contanti: le spese PNRR si pagano solo con bonifico bancario o "
                  "postale. Verifica sul file XML e, se è così, paga con bonifico.", rif_p, fonti)
        elif m in CONTANTI:
            r.add("FATTURA_CONTANTI", "errore", "DatiPagamento/DettaglioPagamento/ModalitaPagamento",
                  f"La fattura prevede il pagamento in {descr} ({m}): una spesa pagata in contanti non è "
                  "ammissibile. Se non è ancora pagata, pagala con bonifico bancario o postale (la modalità scritta "
                  "in fattura non obbliga a usarla); se è già stata pagata in contanti, non si può rendicontare.",
                  rif_p, fonti)
        else:
            r.add("FATTURA_PAGAMENTO_NON_TRACCIABILE", "errore", "DatiPagamento/DettaglioPagamento/ModalitaPagamento",
                  f"La fattura prevede il pagamento con {descr} ({m}): per il contributo PNRR sono ammessi solo "
                  "bonifici bancari o postali. Paga con bonifico e conserva la contabile.", rif_p, fonti)


def _controlla_date(r: _Rilievi, d: DatiFattura, a: AttesiFattura, al: dt.date, tipo_spesa: str | None) -> None:
    preparatorie = param("pnrr_spese_preparatorie", al)
    rif_prep = rif("pnrr_spese_preparatorie", al)
    fonti_prep = fonti_di("pnrr_spese_preparatorie", al)
    tipo = tipo_spesa or deduci_tipo_spesa(d.righe)
    if d.data is None:
        r.add("FATTURA_DATA_IGNOTA", "avviso", "DatiGenerali/DatiGeneraliDocumento/Data",
              "Non riesco a leggere la data della fattura: controlla a mano che sia successiva all'avvio dei "
              "lavori (salvo spese preparatorie) ed entro il termine.", rif_prep, fonti_prep)
    elif a.data_avvio_lavori is None:
        r.add("FATTURA_AVVIO_LAVORI_IGNOTO", "avviso", f"{a.percorso}.contributo_pnrr.data_avvio_lavori",
              "La pratica non ha la data di avvio dei lavori: inseriscila, serve a verificare che le spese siano "
              "successive (solo le spese preparatorie possono precederla).", rif_prep, fonti_prep)
    elif d.data < a.data_avvio_lavori:
        if tipo in preparatorie:
            r.add("FATTURA_SPESA_PREPARATORIA", "info", "DatiGenerali/DatiGeneraliDocumento/Data",
                  f"La fattura ({_d(d.data)}) precede l'avvio dei lavori ({_d(a.data_avvio_lavori)}) ma è una spesa "
                  "preparatoria (studi, progettazione, costituzione della configurazione, indagini): è ammessa.",
                  rif_prep, fonti_prep)
        else:
            r.add("FATTURA_PRIMA_AVVIO_LAVORI", "errore", "DatiGenerali/DatiGeneraliDocumento/Data",
                  f"La fattura è del {_d(d.data)}, prima dell'avvio dei lavori ({_d(a.data_avvio_lavori)}): prima "
                  "dell'avvio sono ammesse solo le spese preparatorie (studi di prefattibilità, progettazione, "
                  "costituzione della configurazione, indagini geologiche). Se è una di queste, indicalo come tipo "
                  "di spesa; altrimenti la spesa non è rendicontabile.", rif_prep, fonti_prep)
    termine = termine_pagamenti(a.accordo_concessione, al)
    if termine is None:
        return
    if termine.manca_accordo:
        r.add("FATTURA_TERMINE_ACCORDO_MANCANTE", "avviso", f"{a.percorso}.{PERCORSO_TERMINE_ACCORDO}",
              messaggio_termine_mancante(termine, "la data e la scadenza di pagamento di questa fattura"),
              termine.riferimento, termine.fonti)
        return
    limite = termine.data
    assert limite is not None
    if d.data is not None and d.data > limite:
        r.add("FATTURA_OLTRE_TERMINE", "errore", "DatiGenerali/DatiGeneraliDocumento/Data",
              f"La fattura è del {_d(d.data)}, dopo il termine del {_d(limite)} {termine.fissato_da} entro cui le "
              "spese devono essere pagate: non è rendicontabile.", termine.riferimento, termine.fonti)
        return
    scadenza = d.scadenza_pagamento
    if scadenza is not None and scadenza > limite:
        r.add("FATTURA_SCADENZA_OLTRE_TERMINE", "errore", "DatiPagamento/DettaglioPagamento/DataScadenzaPagamento",
              f"La scadenza di pagamento ({_d(scadenza)}) è oltre il termine del {_d(limite)} {termine.fissato_da} "
              "entro cui le spese devono essere pagate: paga con bonifico entro quel termine, o la spesa non sarà "
              "ammessa.", termine.riferimento, termine.fonti)
    if termine.entro_entrata_esercizio and a.data_entrata_esercizio is not None:
        ultimo = scadenza or d.data
        if ultimo is not None and ultimo > a.data_entrata_esercizio:
            r.add("FATTURA_DOPO_ENTRATA_ESERCIZIO", "avviso", "DatiPagamento/DettaglioPagamento/DataScadenzaPagamento",
                  f"Il pagamento ({_d(ultimo)}) cade dopo l'entrata in esercizio dell'impianto "
                  f"({_d(a.data_entrata_esercizio)}): sono ammesse le spese pagate entro l'entrata in esercizio "
                  "commerciale.", termine.riferimento, termine.fonti)


def verifica_dati(d: DatiFattura, attesi: AttesiFattura, al: dt.date, *, nome: str = "fattura",
                  multipla: bool = False, tipo_spesa: str | None = None) -> list[Rilievo]:
    """Tutti i controlli di contenuto su una fattura già letta."""
    r = _Rilievi(nome, d, multipla)
    if d.tipo_documento == "TD04":
        r.add("FATTURA_NOTA_CREDITO", "info", "DatiGenerali/DatiGeneraliDocumento/TipoDocumento",
              "È una nota di credito: riduce la spesa della fattura che storna. Registrala con quella fattura.",
              cita("fatturapa-1-2-3"), ["fatturapa-1-2-3"])
    if d.divisa and d.divisa != "EUR":
        r.add("FATTURA_DIVISA", "avviso", "DatiGenerali/DatiGeneraliDocumento/Divisa",
              f"La fattura è in {d.divisa}: il rendiconto è in euro, indica il controvalore pagato.",
              cita("fatturapa-1-2-3"), ["fatturapa-1-2-3"])
    _controlla_beneficiario(r, d, attesi)
    _controlla_cup(r, d, attesi, al)
    _controlla_cig(r, d, attesi)
    _controlla_codice_progetto(r, d, attesi)
    _controlla_dicitura(r, d, al)
    _controlla_descrizione(r, d, tipo_spesa)
    _controlla_pagamento(r, d, al)
    _controlla_date(r, d, attesi, al, tipo_spesa)
    return r.lista


def _esito(rilievi: list[Rilievo]) -> Esito:
    return "non_conforme" if any(x.gravita == "errore" for x in rilievi) else "conforme"


def verifica_documento(doc: DocumentoLetto, attesi: AttesiFattura, al: dt.date,
                       tipo_spesa: str | None = None) -> EsitoFattura:
    rilievi: list[Rilievo] = []
    esito = EsitoFattura(file=doc.nome, esito="conforme", rilievi=rilievi, tipo=doc.tipo, sha256=doc.sha256,
                         dimensione=doc.dimensione, impianto_id=attesi.impianto_id)
    for avv in doc.avvertenze:
        rilievi.append(Rilievo(codice="FATTURA_FIRMA_NON_VERIFICATA", gravita="info", oggetto=doc.nome,
                               messaggio=avv, riferimento=cita("fatturapa-1-2-3"), ambito=AMBITO))
    if doc.xml is not None:
        errori = valida(doc.xml)
        esito.schema_valido = not errori
        if errori:
            dettaglio = "; ".join(str(e) for e in errori[:3])
            altri = f" (e altri {len(errori) - 3})" if len(errori) > 3 else ""
            rilievi.append(Rilievo(
                codice="FATTURA_SCHEMA", gravita="errore", oggetto=doc.nome,
                messaggio=("Il file non rispetta lo schema ufficiale della fattura elettronica (FatturaPA 1.2.3): "
                           "il Sistema di Interscambio l'avrebbe scartato, quindi non è una fattura valida. Chiedi "
                           "al fornitore il file effettivamente consegnato da SdI (con la ricevuta di consegna). "
                           f"Dettaglio tecnico: {dettaglio}{altri}."),
                riferimento=cita("fatturapa-1-2-3"), ambito=AMBITO, fonti=["fatturapa-1-2-3"]))
        esito.fatture = dati_da_xml(doc.xml)
        if not esito.fatture:
            rilievi.append(Rilievo(codice="FATTURA_SENZA_CORPO", gravita="errore", oggetto=doc.nome,
                                   messaggio="Il file non contiene il corpo della fattura (FatturaElettronicaBody).",
                                   riferimento=cita("fatturapa-1-2-3"), ambito=AMBITO))
    else:
        esito.fatture = [dati_da_pdf(doc.testo_pdf or "")]
        rilievi.append(Rilievo(
            codice="FATTURA_PDF", gravita="avviso", oggetto=doc.nome,
            messaggio=("È un PDF, cioè una copia di cortesia: per la rendicontazione serve la fattura elettronica "
                       "(file XML o .p7m trasmesso da SdI). I controlli sul PDF si basano solo sul testo e sono "
                       "parziali: carica anche il file XML."),
            riferimento=cita(("ro-2024", "Parte II §2 (documentazione di spesa)")), ambito=AMBITO,
            fonti=["ro-2024"]))
    multipla = len(esito.fatture) > 1
    for d in esito.fatture:
        rilievi.extend(verifica_dati(d, attesi, al, nome=doc.nome, multipla=multipla, tipo_spesa=tipo_spesa))
    esito.esito = _esito(rilievi)
    return esito


def verifica_fattura(contenuto: bytes, nome: str, attesi: AttesiFattura, al: dt.date,
                     tipo_spesa: str | None = None) -> EsitoFattura:
    """Legge e controlla un file di fattura; un file illeggibile o ostile dà esito ``illeggibile``."""
    try:
        doc = leggi_documento(contenuto, nome)
    except FileIlleggibile as e:
        return esito_illeggibile(nome, e, len(contenuto), attesi.impianto_id)
    return verifica_documento(doc, attesi, al, tipo_spesa)


def esito_illeggibile(nome: str, e: FileIlleggibile, dimensione: int | None = None,
                      impianto_id: str | None = None) -> EsitoFattura:
    r = Rilievo(codice=e.codice, gravita="errore", oggetto=nome, messaggio=e.messaggio,
                riferimento=cita("fatturapa-1-2-3"), ambito=AMBITO, fonti=["fatturapa-1-2-3"])
    return EsitoFattura(file=nome, esito="illeggibile", rilievi=[r], dimensione=dimensione,
                        impianto_id=impianto_id, codice_illeggibile=e.codice)


def riassunto_importi(d: DatiFattura) -> str:
    parti = []
    if d.imponibile is not None:
        parti.append(f"imponibile {importo(d.imponibile)}")
    if d.imposta is not None:
        parti.append(f"IVA {importo(d.imposta)}")
    if d.totale is not None:
        parti.append(f"totale {importo(d.totale)}")
    return ", ".join(parti)
