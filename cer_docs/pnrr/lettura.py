"""Lettura sicura di un file di fattura: XML FatturaPA, busta firmata ``.p7m``, PDF.

Ogni file caricato è trattato come ostile finché non si dimostra il contrario:

* dimensione massima (``DIMENSIONE_MASSIMA``) prima di leggere qualunque cosa;
* ``.p7m`` (CAdES, CMS/PKCS#7 ``SignedData``, in DER o in base64): si estrae il contenuto con
  asn1crypto, senza eseguire nulla; buste annidate fino a ``BUSTE_MASSIME``. La firma *non* è
  verificata (servirebbe l'elenco dei certificatori fidati): lo si dice nel risultato;
* XML: prima defusedxml con ``forbid_dtd=True`` (una fattura elettronica non ha mai un
  DOCTYPE: niente entità, quindi niente «billion laughs» né entità esterne verso
  ``file:///etc/passwd``), poi lxml con ``resolve_entities=False, no_network=True,
  huge_tree=False`` per lo schema e l'estrazione dei dati;
* PDF: pypdf, con messaggi chiari per i file cifrati, danneggiati o senza testo.

Nessuna funzione qui scrive su disco o nel database: riceve byte, restituisce dati o
``FileIlleggibile`` con un messaggio italiano che dice cosa fare.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import logging
import re
import xml.etree.ElementTree as StdET
from dataclasses import dataclass, field
from typing import Literal

import defusedxml
import defusedxml.ElementTree as DefusedET
from lxml import etree

from .schema import NAMESPACE

__all__ = ["BUSTE_MASSIME", "DIMENSIONE_MASSIMA", "DocumentoLetto", "FileIlleggibile", "PAGINE_MASSIME",
           "TipoDocumento", "leggi_documento"]

# Limiti tecnici (non normativi): una fattura elettronica pesa di solito pochi KB, con allegati
# qualche MB; un PDF di cortesia raramente supera qualche MB.
DIMENSIONE_MASSIMA = 10 * 1024 * 1024
BUSTE_MASSIME = 3
PAGINE_MASSIME = 50
TESTO_PDF_MASSIMO = 500_000

TipoDocumento = Literal["fattura_xml", "fattura_p7m", "fattura_pdf"]

_B64 = re.compile(rb"^[A-Za-z0-9+/=\s]+$")
_PEM = re.compile(rb"-----BEGIN [A-Z0-9 ]+-----(.*?)-----END [A-Z0-9 ]+-----", re.S)


class FileIlleggibile(Exception):
    """Il file non si può leggere come fattura; ``codice`` stabile, messaggio in italiano."""

    def __init__(self, codice: str, messaggio: str):
        self.codice = codice
        self.messaggio = messaggio
        super().__init__(messaggio)


@dataclass
class DocumentoLetto:
    nome: str
    tipo: TipoDocumento
    sha256: str
    dimensione: int
    xml: etree._Element | None = None
    testo_pdf: str | None = None
    buste: int = 0
    avvertenze: list[str] = field(default_factory=list)


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB".replace(".", ",")


def leggi_documento(contenuto: bytes, nome: str) -> DocumentoLetto:
    """Riconosce e legge il file; solleva ``FileIlleggibile`` se non è una fattura leggibile."""
    if not isinstance(contenuto, (bytes, bytearray)):
        raise TypeError("il contenuto del file deve essere bytes")
    contenuto = bytes(contenuto)
    dimensione = len(contenuto)
    if dimensione == 0:
        raise FileIlleggibile("FILE_VUOTO", "Il file è vuoto: caricalo di nuovo o chiedi al fornitore una copia.")
    if dimensione > DIMENSIONE_MASSIMA:
        raise FileIlleggibile(
            "FILE_TROPPO_GRANDE",
            f"Il file pesa {_mb(dimensione)}, oltre il limite di {_mb(DIMENSIONE_MASSIMA)}: una fattura elettronica "
            "pesa di solito pochi KB. Controlla di aver scelto il file giusto (non un archivio o una scansione "
            "di molte pagine).")
    impronta = hashlib.sha256(contenuto).hexdigest()
    nome_l = nome.lower()
    testa = contenuto[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")

    if testa.startswith(b"%PDF-") or (b"%PDF-" in contenuto[:1024] and nome_l.endswith(".pdf")):
        testo = _testo_pdf(contenuto)
        return DocumentoLetto(nome=nome, tipo="fattura_pdf", sha256=impronta, dimensione=dimensione, testo_pdf=testo)

    buste = 0
    dati = contenuto
    while _sembra_busta(dati, nome_l if buste == 0 else ""):
        if buste >= BUSTE_MASSIME:
            raise FileIlleggibile("P7M_TROPPE_BUSTE",
                                  f"Il file ha più di {BUSTE_MASSIME} firme annidate una dentro l'altra: non è una "
                                  "fattura normale. Chiedi al fornitore il file XML consegnato da SdI.")
        dati = _sbusta(dati)
        buste += 1
    xml = _xml_sicuro(dati)
    doc = DocumentoLetto(nome=nome, tipo="fattura_p7m" if buste else "fattura_xml", sha256=impronta,
                         dimensione=dimensione, xml=xml, buste=buste)
    if buste:
        doc.avvertenze.append(
            "La firma digitale del file .p7m non è stata verificata da cer-docs (serve l'elenco dei certificatori "
            "fidati): il contenuto è stato estratto e controllato. La validità della firma la attesta SdI alla "
            "consegna.")
    return doc


# --------------------------------------------------------------------------- p7m

def _sembra_busta(dati: bytes, nome_l: str) -> bool:
    testa = dati[:64].lstrip()
    if testa.startswith(b"<") or testa.startswith(b"\xef\xbb\xbf"):
        return False
    if dati[:1] == b"\x30":  # SEQUENCE DER: ContentInfo
        return True
    if testa.startswith(b"-----BEGIN"):
        return True
    return nome_l.endswith(".p7m") or bool(_B64.match(dati[:4096]) and testa[:3] in (b"MII", b"MIA", b"MIM"))


def _der(dati: bytes) -> bytes:
    if dati[:1] == b"\x30":
        return dati
    m = _PEM.search(dati)
    corpo = m.group(1) if m else dati
    if not _B64.match(corpo.strip() or b"!"):
        raise FileIlleggibile("P7M_FORMATO",
                              "Il file ha l'estensione .p7m ma non contiene una busta firmata (né DER né base64): "
                              "chiedi al fornitore di inviarlo di nuovo.")
    try:
        return base64.b64decode(b"".join(corpo.split()), validate=True)
    except (binascii.Error, ValueError):
        raise FileIlleggibile("P7M_FORMATO", "La busta firmata in base64 è danneggiata: chiedi al fornitore di "
                                             "inviare di nuovo il file .p7m.") from None


def _sbusta(dati: bytes) -> bytes:
    from asn1crypto import cms

    der = _der(dati)
    danneggiata = FileIlleggibile("P7M_DANNEGGIATO",
                                  "La busta firmata (.p7m) è danneggiata o non è una firma CAdES: non se ne può "
                                  "estrarre la fattura. Chiedi al fornitore il file originale consegnato da SdI.")
    try:
        info = cms.ContentInfo.load(der)
        tipo = info["content_type"].native
        if tipo != "signed_data":
            raise danneggiata
        contenuto = info["content"]["encap_content_info"]["content"]
        dati_interni = None if contenuto is None else contenuto.native
    except FileIlleggibile:
        raise
    except Exception:  # noqa: BLE001 - asn1crypto solleva tipi diversi per ogni malformazione
        raise danneggiata from None
    if not dati_interni:
        raise FileIlleggibile("P7M_STACCATA",
                              "Il file .p7m contiene solo la firma (firma «staccata»), non la fattura: carica anche "
                              "il file XML firmato oppure il .p7m completo.")
    if not isinstance(dati_interni, (bytes, bytearray)):
        raise danneggiata
    return bytes(dati_interni)


# --------------------------------------------------------------------------- XML

_PARSER_LXML = dict(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                    huge_tree=False, remove_pis=True, collect_ids=False)


def _xml_sicuro(dati: bytes) -> etree._Element:
    testa = dati[:256].lstrip(b"\xef\xbb\xbf \t\r\n")
    if not testa.startswith(b"<"):
        raise FileIlleggibile("NON_FATTURA",
                              "Il file non è una fattura elettronica (XML o .p7m) né un PDF: carica il file XML "
                              "della fattura (es. IT01234567890_00001.xml) o la sua versione firmata .p7m.")
    try:
        DefusedET.fromstring(dati, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (defusedxml.DTDForbidden, defusedxml.EntitiesForbidden, defusedxml.ExternalReferenceForbidden):
        raise FileIlleggibile("XML_PERICOLOSO",
                              "Il file contiene una dichiarazione DOCTYPE o entità XML: una fattura elettronica non "
                              "ne ha mai e possono servire ad attacchi (espansione di entità, lettura di file del "
                              "server). Per sicurezza non viene letto: chiedi al fornitore il file consegnato da SdI."
                              ) from None
    except (StdET.ParseError, ValueError, UnicodeError) as e:
        raise FileIlleggibile("XML_MALFORMATO",
                              f"Il file non è un XML ben formato ({_breve(e)}): probabilmente è danneggiato o "
                              "troncato. Chiedi al fornitore di inviarlo di nuovo.") from None
    try:
        radice = etree.fromstring(dati, etree.XMLParser(**_PARSER_LXML))
    except etree.XMLSyntaxError as e:
        raise FileIlleggibile("XML_MALFORMATO",
                              f"Il file non è un XML ben formato ({_breve(e)}): chiedi al fornitore di inviarlo di "
                              "nuovo.") from None
    q = etree.QName(radice)
    if q.localname != "FatturaElettronica":
        raise FileIlleggibile("NON_FATTURA",
                              f"Il file XML non è una fattura elettronica FatturaPA (l'elemento principale è "
                              f"«{q.localname}»): se è una ricevuta o una notifica di SdI, carica invece la "
                              "fattura a cui si riferisce.")
    if q.namespace != NAMESPACE:
        raise FileIlleggibile("NON_FATTURA",
                              "Il file sembra una fattura ma non usa lo spazio dei nomi della FatturaPA 1.2 "
                              f"({NAMESPACE}): non è una fattura elettronica valida per SdI.")
    return radice


def _breve(e: Exception) -> str:
    testo = str(e).splitlines()[0] if str(e) else type(e).__name__
    return testo[:160]


# --------------------------------------------------------------------------- PDF

def _testo_pdf(dati: bytes) -> str:
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError, PdfStreamError

    cifrato = FileIlleggibile("PDF_CIFRATO",
                              "Il PDF è protetto da password: non se ne può leggere il testo. Chiedi al fornitore "
                              "una copia senza password o, meglio, il file XML della fattura elettronica.")
    try:
        reader = PdfReader(io.BytesIO(dati), strict=False)
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):
                    raise cifrato
            except (FileNotDecryptedError, DependencyError, NotImplementedError):
                raise cifrato from None
        pagine = reader.pages
        if len(pagine) > PAGINE_MASSIME:
            raise FileIlleggibile("PDF_TROPPE_PAGINE",
                                  f"Il PDF ha {len(pagine)} pagine: una fattura ne ha poche. Carica solo la fattura "
                                  "(meglio il file XML).")
        parti = []
        totale = 0
        for pagina in pagine:
            t = pagina.extract_text() or ""
            parti.append(t)
            totale += len(t)
            if totale > TESTO_PDF_MASSIMO:
                break
    except FileIlleggibile:
        raise
    except DependencyError:  # cifratura AES senza il pacchetto «cryptography»
        raise cifrato from None
    except (PdfReadError, PdfStreamError, ValueError, KeyError, TypeError, OSError, RecursionError,
            AttributeError, IndexError, ZeroDivisionError):
        raise FileIlleggibile("PDF_DANNEGGIATO",
                              "Il PDF è danneggiato o incompleto e non si può leggere: chiedi al fornitore di "
                              "inviarlo di nuovo o, meglio, il file XML della fattura elettronica.") from None
    testo = "\n".join(parti).strip()
    if not testo:
        raise FileIlleggibile("PDF_SENZA_TESTO",
                              "Il PDF non contiene testo (è probabilmente una scansione): non si può controllare. "
                              "Carica il file XML della fattura elettronica.")
    return testo
