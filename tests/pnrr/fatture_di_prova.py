"""Fatture di prova realistiche per l'impianto «fv-cantina» della pratica di riferimento.

La base è ``fixtures/fattura_fpr12.xml`` (scritta a mano, indipendente dal generatore
del progetto); ogni variante cambia un solo aspetto rispetto alla fattura corretta.
"""

from __future__ import annotations

import base64
from pathlib import Path
from string import Template

FIXTURES = Path(__file__).parent / "fixtures"
CUP = "J81B25000340006"
CUP_ALTRO = "F79J22001380004"
CODICE_GSE = "PNRR-CER-0001234"
PIVA_BENEFICIARIO = "12345670488"
DICITURA = ("Progetto finanziato con fondi PNRR - M2.C2.- I1.2 - Promozione rinnovabili per le comunità "
            "energetiche e l'autoconsumo - Iniziativa Next Generation EU")

_BASE = {
    "versione": "FPR12", "codice_destinatario": "M5UXCR1", "cessionario_piva": PIVA_BENEFICIARIO,
    "cessionario_nome": "Il Poggio Società Agricola S.r.l.", "tipo_documento": "TD01", "data": "2026-06-10",
    "numero": "FV/2026/0042", "modalita": "MP05", "scadenza": "2026-06-25",
    "descrizione_1": "Fornitura moduli fotovoltaici monocristallini 400 Wp",
    "descrizione_2": "Inverter trifase 80 kW, quadri elettrici di campo e di parallelo",
    "descrizione_3": "Posa in opera su copertura, strutture di sostegno e cablaggi",
    "causali": None, "contratto": None,
}


def causali(*testi: str) -> str:
    return "\n".join(f"        <Causale>{t}</Causale>" for t in testi)


def contratto(cup: str | None = CUP, cig: str | None = None, id_documento: str = "ORD-2026-017") -> str:
    righe = ["      <DatiContratto>", f"        <IdDocumento>{id_documento}</IdDocumento>",
             "        <Data>2026-05-20</Data>"]
    if cup:
        righe.append(f"        <CodiceCUP>{cup}</CodiceCUP>")
    if cig:
        righe.append(f"        <CodiceCIG>{cig}</CodiceCIG>")
    righe.append("      </DatiContratto>")
    return "\n".join(righe)


def fattura(**cambi: str) -> bytes:
    valori = dict(_BASE)
    valori["causali"] = causali(DICITURA, f"CUP {CUP} - Codice progetto GSE {CODICE_GSE}")
    valori["contratto"] = contratto()
    valori.update(cambi)
    testo = Template((FIXTURES / "fattura_fpr12.xml").read_text(encoding="utf-8")).substitute(valori)
    return testo.encode("utf-8")


def completa() -> bytes:
    return fattura()


def senza_cup() -> bytes:
    return fattura(contratto=contratto(cup=None), causali=causali(DICITURA, f"Codice progetto GSE {CODICE_GSE}"))


def cup_altro_progetto() -> bytes:
    return fattura(contratto=contratto(cup=CUP_ALTRO),
                   causali=causali(DICITURA, f"CUP {CUP_ALTRO} - Codice progetto GSE {CODICE_GSE}"))


def senza_dicitura() -> bytes:
    return fattura(causali=causali(f"CUP {CUP} - Codice progetto GSE {CODICE_GSE}",
                                   "Fornitura impianto fotovoltaico come da ordine ORD-2026-017"))


def contanti() -> bytes:
    return fattura(modalita="MP01")


def prima_avvio_lavori() -> bytes:
    # fornitura dei moduli fatturata il 28/05/2026, prima dell'avvio dei lavori (03/06/2026)
    return fattura(data="2026-05-28", scadenza="2026-06-10")


def progettazione_prima_avvio() -> bytes:
    return fattura(data="2025-09-15", scadenza="2025-10-15",
                   descrizione_1="Progettazione esecutiva dell'impianto fotovoltaico",
                   descrizione_2="Progettazione elettrica e calcoli strutturali della copertura",
                   descrizione_3="Elaborati grafici di progetto e relazione tecnica",
                   contratto=contratto(cup=None), causali=causali(DICITURA, f"Codice progetto GSE {CODICE_GSE}"))


def intestata_ad_altri() -> bytes:
    return fattura(cessionario_piva="01987650486", cessionario_nome="Cantine Riunite del Mugello S.r.l.")


def schema_non_valida() -> bytes:
    # CUP di 16 caratteri: lo schema lo accetta fino a 15, quindi SdI scarterebbe il file
    return fattura(contratto=contratto(cup=CUP + "9"))


def fpa12() -> bytes:
    return fattura(versione="FPA12", codice_destinatario="UFXYZ1")


def dicitura_variante() -> bytes:
    variante = ("PROGETTO FINANZIATO CON FONDI PNRR M2C2 I1.2 PROMOZIONE RINNOVABILI PER LE COMUNITA' "
                "ENERGETICHE E L'AUTOCONSUMO - INIZIATIVA NEXT GENERATION EU")
    return fattura(causali=causali(variante, f"CUP {CUP} Codice progetto GSE {CODICE_GSE}"))


def nota_credito() -> bytes:
    return fattura(tipo_documento="TD04", numero="NC/2026/0003")


# ----------------------------------------------------------------------------- ostili

def billion_laughs() -> bytes:
    entita = ['<!ENTITY lol "lol">'] + [f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
                                         for i in range(1, 10)]
    return ("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n" + "\n".join(entita) + "\n]>\n"
            "<p:FatturaElettronica xmlns:p=\"http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fatture/v1.2\" "
            "versione=\"FPR12\"><FatturaElettronicaHeader>&lol9;</FatturaElettronicaHeader>"
            "</p:FatturaElettronica>").encode()


def entita_esterna() -> bytes:
    return ("<?xml version=\"1.0\"?>\n<!DOCTYPE foo [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n"
            "<p:FatturaElettronica xmlns:p=\"http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fatture/v1.2\" "
            "versione=\"FPR12\"><FatturaElettronicaHeader><DatiTrasmissione>&xxe;</DatiTrasmissione>"
            "</FatturaElettronicaHeader></p:FatturaElettronica>").encode()


def enorme(mb: int = 50) -> bytes:
    testa = fattura()
    return testa + b"<!--" + b"x" * (mb * 1024 * 1024) + b"-->"


def non_xml() -> bytes:
    return b"PK\x03\x04\x14\x00\x00\x00\x08\x00questo e' uno zip, non una fattura" + bytes(range(256))


# ----------------------------------------------------------------------------- buste e PDF

def p7m(contenuto: bytes, base64_: bool = False, annidata: bool = False) -> bytes:
    """Busta CAdES minima (CMS SignedData con il contenuto incorporato), costruita con asn1crypto."""
    from asn1crypto import algos, cms

    def busta(dati: bytes) -> bytes:
        sd = cms.SignedData({
            "version": "v1",
            "digest_algorithms": [algos.DigestAlgorithm({"algorithm": "sha256"})],
            "encap_content_info": {"content_type": "data", "content": dati},
            "signer_infos": [],
        })
        return cms.ContentInfo({"content_type": "signed_data", "content": sd}).dump()

    der = busta(contenuto)
    if annidata:
        der = busta(der)
    return base64.encodebytes(der) if base64_ else der


def p7m_staccata() -> bytes:
    from asn1crypto import algos, cms

    sd = cms.SignedData({"version": "v1", "digest_algorithms": [algos.DigestAlgorithm({"algorithm": "sha256"})],
                         "encap_content_info": {"content_type": "data"}, "signer_infos": []})
    return cms.ContentInfo({"content_type": "signed_data", "content": sd}).dump()


def pdf_fattura(testo_extra: str = "") -> bytes:
    """Copia di cortesia in PDF con il testo della fattura corretta."""
    from weasyprint import HTML

    html = f"""<html><body style="font-family: sans-serif">
    <h1>Fattura n. FV/2026/0042 del 10/06/2026</h1>
    <p>Solare Mugello Impianti S.r.l. - P.IVA 04567890480</p>
    <p>Spett.le Il Poggio Società Agricola S.r.l. - P.IVA IT{PIVA_BENEFICIARIO}</p>
    <p>Fornitura moduli fotovoltaici, inverter e posa in opera</p>
    <p>{DICITURA}</p><p>CUP {CUP} - Codice progetto GSE {CODICE_GSE}</p>
    <p>Pagamento: bonifico bancario entro il 25/06/2026</p>
    <p>Totale documento: 101.200,00 €</p>{testo_extra}</body></html>"""
    return HTML(string=html).write_pdf()


def pdf_cifrato() -> bytes:
    import io

    from pypdf import PdfReader, PdfWriter

    w = PdfWriter()
    for pagina in PdfReader(io.BytesIO(pdf_fattura())).pages:
        w.add_page(pagina)
    w.encrypt(user_password="segreta", owner_password="ancora-piu-segreta", algorithm="RC4-128")
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()


def pdf_corrotto() -> bytes:
    buono = pdf_fattura()
    return buono[: len(buono) // 3] + b"\x00garbage\xff" * 50
