"""Controllo delle fatture: casi realistici, varianti tollerate, buste .p7m, PDF, file ostili."""

from __future__ import annotations

import datetime as dt

import pytest

from cer_docs.pnrr.lettura import DIMENSIONE_MASSIMA
from cer_docs.services import pnrr as svc

from . import fatture_di_prova as F
from .conftest import AL


def _verifica(pratica, contenuto, nome="fattura.xml", al=AL, **kw):
    return svc.verifica_fattura(contenuto, nome, pratica, al, **kw)


def _codici(esito, gravita="errore"):
    return [r.codice for r in esito.rilievi if r.gravita == gravita]


def test_fattura_completa_e_corretta(pratica_con_accordo):
    e = _verifica(pratica_con_accordo, F.completa())
    assert e.esito == "conforme", [r.messaggio for r in e.rilievi]
    assert e.rilievi == []
    assert e.schema_valido is True and e.impianto_id == "fv-cantina" and e.tipo == "fattura_xml"
    (d,) = e.fatture
    assert (d.numero, d.data, d.cedente.denominazione) == ("FV/2026/0042", dt.date(2026, 6, 10),
                                                            "Solare Mugello Impianti S.r.l.")
    assert d.cup_strutturati == [F.CUP] and d.modalita_pagamento == ["MP05"]
    assert str(d.imponibile) == "92000.00" and str(d.totale) == "101200.00"


@pytest.mark.parametrize("caso, codice", [
    ("senza_cup", "FATTURA_CUP_MANCANTE"),
    ("cup_altro_progetto", "FATTURA_CUP_DIVERSO"),
    ("senza_dicitura", "FATTURA_DICITURA_MANCANTE"),
    ("contanti", "FATTURA_CONTANTI"),
    ("prima_avvio_lavori", "FATTURA_PRIMA_AVVIO_LAVORI"),
    ("intestata_ad_altri", "FATTURA_BENEFICIARIO"),
    ("schema_non_valida", "FATTURA_SCHEMA"),
])
def test_fatture_non_conformi(pratica, caso, codice):
    e = _verifica(pratica, getattr(F, caso)())
    assert e.esito == "non_conforme"
    assert codice in _codici(e)
    r = next(r for r in e.rilievi if r.codice == codice)
    assert r.riferimento and r.ambito == "fatture" and r.oggetto.startswith("fattura.xml")


def test_cup_mancante_dice_come_rimediare(pratica):
    r = next(r for r in _verifica(pratica, F.senza_cup()).rilievi if r.codice == "FATTURA_CUP_MANCANTE")
    assert F.CUP in r.messaggio
    assert "nota di credito" in r.messaggio and "indicazione operativa" in r.messaggio
    assert "Agenzia delle Entrate" in r.messaggio and "563301" in r.messaggio
    assert "12/05/2026" in r.messaggio  # data di concessione = assegnazione del CUP


def test_cup_di_un_altro_progetto_nomina_entrambi(pratica):
    r = next(r for r in _verifica(pratica, F.cup_altro_progetto()).rilievi if r.codice == "FATTURA_CUP_DIVERSO")
    assert F.CUP_ALTRO in r.messaggio and F.CUP in r.messaggio


def test_contanti_dice_di_pagare_con_bonifico(pratica):
    r = next(r for r in _verifica(pratica, F.contanti()).rilievi if r.codice == "FATTURA_CONTANTI")
    assert "MP01" in r.messaggio and "bonifico" in r.messaggio


def test_schema_non_valido_spiega_lo_scarto(pratica):
    r = next(r for r in _verifica(pratica, F.schema_non_valida()).rilievi if r.codice == "FATTURA_SCHEMA")
    assert "SdI" in r.messaggio and "CodiceCUP" in r.messaggio


def test_prima_del_cup_basta_il_codice_gse(pratica):
    cp = pratica.configurazioni[0].impianti[1].contributo_pnrr
    cp.data_avvio_lavori = dt.date(2026, 5, 1)
    e = _verifica(pratica, F.fattura(data="2026-05-05", scadenza="2026-05-30", contratto=F.contratto(cup=None),
                                     causali=F.causali(F.DICITURA, f"Codice progetto GSE {F.CODICE_GSE}")))
    assert e.esito == "conforme", [r.messaggio for r in e.rilievi]
    assert "FATTURA_PRIMA_DEL_CUP" in _codici(e, "info")


def test_data_assegnazione_cup_esplicita(pratica):
    cp = pratica.configurazioni[0].impianti[1].contributo_pnrr
    cp.data_assegnazione_cup = dt.date(2026, 6, 12)
    e = _verifica(pratica, F.senza_cup())  # fattura del 10/06/2026, prima dell'assegnazione
    assert e.esito == "conforme"
    cp.data_assegnazione_cup = dt.date(2026, 6, 1)
    assert _verifica(pratica, F.senza_cup()).esito == "non_conforme"


def test_spesa_preparatoria_prima_dei_lavori(pratica):
    e = _verifica(pratica, F.progettazione_prima_avvio())
    assert "FATTURA_PRIMA_AVVIO_LAVORI" not in _codici(e)
    assert "FATTURA_SPESA_PREPARATORIA" in _codici(e, "info")
    assert e.esito == "conforme"


def test_tipo_spesa_dichiarato_vale_piu_della_descrizione(pratica):
    e = _verifica(pratica, F.prima_avvio_lavori(), tipo_spesa="progettazione")
    assert "FATTURA_PRIMA_AVVIO_LAVORI" not in _codici(e)


# La fattura corretta del 20/06/2026 con pagamento entro il 20/07/2026 (issue 12)
FATTURA_20_GIUGNO = {"data": "2026-06-20", "scadenza": "2026-07-20"}


def test_fattura_corretta_senza_accordo_nessun_errore_ma_un_avviso(pratica):
    """Dal 20/02/2026 il termine dei pagamenti lo fissa l'accordo: senza accordo si chiede, mai un errore."""
    e = _verifica(pratica, F.fattura(**FATTURA_20_GIUGNO), al=dt.date(2026, 12, 2))
    assert e.esito == "conforme" and _codici(e) == [], [r.messaggio for r in e.rilievi]
    (avviso,) = [r for r in e.rilievi if r.codice == "FATTURA_TERMINE_ACCORDO_MANCANTE"]
    assert avviso.gravita == "avviso"
    assert avviso.oggetto.endswith("contributo_pnrr.accordo_concessione.termine_pagamenti")
    assert "accordo di concessione" in avviso.messaggio and "DL 19/2026" in avviso.riferimento


def test_fattura_corretta_oltre_il_termine_dell_accordo_e_un_errore_che_nomina_l_accordo(pratica_con_accordo):
    e = _verifica(pratica_con_accordo, F.fattura(**FATTURA_20_GIUGNO), al=dt.date(2026, 12, 2))
    assert _codici(e) == ["FATTURA_SCADENZA_OLTRE_TERMINE"]
    r = next(r for r in e.rilievi if r.codice == "FATTURA_SCADENZA_OLTRE_TERMINE")
    assert "30/06/2026" in r.messaggio and "20/07/2026" in r.messaggio
    assert "accordo di concessione GSE/PNRR-CACER/2026/0457" in r.messaggio
    assert "accordo di concessione GSE/PNRR-CACER/2026/0457" in r.riferimento and "art. 27 c. 6" in r.riferimento
    assert "da confermare" not in r.messaggio


def test_fattura_corretta_entro_il_termine_dell_accordo(pratica_con_accordo):
    pratica_con_accordo.configurazioni[0].impianti[1].contributo_pnrr.accordo_concessione.termine_pagamenti = \
        dt.date(2026, 7, 20)
    e = _verifica(pratica_con_accordo, F.fattura(**FATTURA_20_GIUGNO), al=dt.date(2026, 12, 2))
    assert e.rilievi == [], [r.messaggio for r in e.rilievi]


@pytest.mark.parametrize("al, errore", [(dt.date(2026, 2, 19), True), (dt.date(2026, 2, 20), False)])
def test_prima_del_dl_19_2026_vale_il_30_giugno_delle_regole_operative(pratica, al, errore):
    """Al 19/02/2026 vale ancora il termine fisso del 30/06/2026 (RO 2024); dal 20/02/2026 quello dell'accordo."""
    e = _verifica(pratica, F.fattura(**FATTURA_20_GIUGNO), al=al)
    assert ("FATTURA_SCADENZA_OLTRE_TERMINE" in _codici(e)) is errore
    assert ("FATTURA_TERMINE_ACCORDO_MANCANTE" in _codici(e, "avviso")) is not errore


def test_fattura_emessa_dopo_il_termine(pratica_con_accordo):
    e = _verifica(pratica_con_accordo, F.fattura(data="2026-07-01", scadenza="2026-07-15"), al=dt.date(2026, 7, 2))
    assert "FATTURA_OLTRE_TERMINE" in _codici(e)


def test_cig_richiesto_se_il_progetto_lo_ha(pratica):
    pratica.configurazioni[0].impianti[1].contributo_pnrr.cig = "95156957EC"
    assert "FATTURA_CIG_MANCANTE" in _codici(_verifica(pratica, F.completa()))
    con_cig = F.fattura(contratto=F.contratto(cig="95156957EC"))
    assert _verifica(pratica, con_cig).esito == "conforme"
    assert "FATTURA_CIG_DIVERSO" in _codici(_verifica(pratica, F.fattura(contratto=F.contratto(cig="918052266A"))))


def test_codice_progetto_gse_mancante(pratica):
    e = _verifica(pratica, F.fattura(causali=F.causali(F.DICITURA, f"CUP {F.CUP}")))
    assert "FATTURA_CODICE_PROGETTO" in _codici(e)


@pytest.mark.parametrize("dicitura", [
    F.DICITURA,
    "Progetto finanziato con fondi PNRR – M2.C2.- I1.2 - Promozione rinnovabili per le comunità energetiche e "
    "l’autoconsumo - Iniziativa Next Generation EU".encode("latin-1", "replace").decode("latin-1"),
    "progetto finanziato con fondi PNRR M2C2 I1.2 Promozione rinnovabili per le comunita' energetiche e "
    "l'autoconsumo, Iniziativa NextGenerationEU",
])
def test_dicitura_con_varianti_di_punteggiatura(pratica, dicitura):
    e = _verifica(pratica, F.fattura(causali=F.causali(dicitura, f"CUP {F.CUP} {F.CODICE_GSE}")))
    assert e.esito == "conforme", [r.messaggio for r in e.rilievi]


def test_dicitura_spezzata_su_piu_causali(pratica):
    testo = F.DICITURA
    e = _verifica(pratica, F.fattura(causali=F.causali(testo[:60], testo[60:], f"CUP {F.CUP} {F.CODICE_GSE}")))
    assert e.esito == "conforme"


def test_dicitura_incompleta_e_un_avviso(pratica):
    e = _verifica(pratica, F.fattura(causali=F.causali(
        "Progetto finanziato con fondi PNRR - Promozione rinnovabili per le comunita energetiche",
        f"CUP {F.CUP} {F.CODICE_GSE}")))
    assert e.esito == "conforme"
    assert "FATTURA_DICITURA_INCOMPLETA" in _codici(e, "avviso")


def test_cup_solo_in_causale_e_accettato(pratica):
    e = _verifica(pratica, F.fattura(contratto=F.contratto(cup=None)))
    assert e.esito == "conforme"
    assert "FATTURA_CUP_SOLO_TESTO" in _codici(e, "info")


def test_fpa12_e_nota_di_credito(pratica):
    assert _verifica(pratica, F.fpa12()).esito == "conforme"
    e = _verifica(pratica, F.nota_credito())
    assert "FATTURA_NOTA_CREDITO" in _codici(e, "info")


@pytest.mark.parametrize("opzioni", [{}, {"base64_": True}, {"annidata": True}])
def test_p7m_der_base64_annidato(pratica, opzioni):
    e = _verifica(pratica, F.p7m(F.completa(), **opzioni), nome="IT04567890480_00042.xml.p7m")
    assert e.esito == "conforme" and e.tipo == "fattura_p7m"
    assert _codici(e, "info") == ["FATTURA_FIRMA_NON_VERIFICATA"]
    assert e.fatture[0].numero == "FV/2026/0042"


def test_p7m_con_fattura_senza_cup(pratica):
    e = _verifica(pratica, F.p7m(F.senza_cup()), nome="f.xml.p7m")
    assert e.esito == "non_conforme" and "FATTURA_CUP_MANCANTE" in _codici(e)


def test_pdf_di_cortesia(pratica):
    e = _verifica(pratica, F.pdf_fattura(), nome="fattura.pdf")
    assert e.tipo == "fattura_pdf" and e.esito == "conforme"
    assert "FATTURA_PDF" in _codici(e, "avviso")
    assert e.fatture[0].data == dt.date(2026, 6, 10)
    e = _verifica(pratica, F.pdf_fattura("<p>Pagamento in contanti alla consegna</p>"), nome="f.pdf")
    assert "FATTURA_CONTANTI" in _codici(e, "avviso")


def test_pdf_senza_cup(pratica):
    import weasyprint

    pdf = weasyprint.HTML(string=f"<p>Fattura n. 7 del 12/06/2026</p><p>P.IVA {F.PIVA_BENEFICIARIO}</p>"
                                 f"<p>{F.DICITURA}</p><p>Fornitura e posa moduli</p>").write_pdf()
    e = _verifica(pratica, pdf, nome="f.pdf")
    assert e.esito == "non_conforme" and "FATTURA_CUP_MANCANTE" in _codici(e)


# ----------------------------------------------------------------------------- ostili

@pytest.mark.parametrize("caso, codice, parole", [
    ("billion_laughs", "XML_PERICOLOSO", "DOCTYPE"),
    ("entita_esterna", "XML_PERICOLOSO", "entità"),
    ("non_xml", "NON_FATTURA", "XML"),
    ("pdf_cifrato", "PDF_CIFRATO", "password"),
    ("pdf_corrotto", "PDF_DANNEGGIATO", "danneggiato"),
    ("p7m_staccata", "P7M_STACCATA", "firma"),
])
def test_file_ostili_o_illeggibili(pratica, caso, codice, parole):
    nome = "f.pdf" if "pdf" in caso else ("f.xml.p7m" if "p7m" in caso else "f.xml")
    e = _verifica(pratica, getattr(F, caso)(), nome=nome)
    assert e.esito == "illeggibile"
    assert [r.codice for r in e.rilievi] == [codice]
    assert parole in e.rilievi[0].messaggio
    assert e.fatture == [] and not e.registrabile


def test_entita_esterna_non_legge_file_del_server(pratica):
    e = _verifica(pratica, F.entita_esterna())
    testo = repr(e.as_dict())
    assert "root:" not in testo and "/bin/" not in testo


def test_file_da_50_mb(pratica):
    contenuto = F.enorme(50)
    assert len(contenuto) > DIMENSIONE_MASSIMA
    e = _verifica(pratica, contenuto)
    assert e.esito == "illeggibile" and e.rilievi[0].codice == "FILE_TROPPO_GRANDE"
    assert "MB" in e.rilievi[0].messaggio


def test_file_vuoto_e_p7m_rotto(pratica):
    assert _verifica(pratica, b"").rilievi[0].codice == "FILE_VUOTO"
    e = _verifica(pratica, b"\x30\x82\x01\x00" + b"\x00" * 40, nome="f.p7m")
    assert e.esito == "illeggibile" and e.rilievi[0].codice == "P7M_DANNEGGIATO"
    e = _verifica(pratica, b"non e' base64 !!", nome="f.xml.p7m")
    assert e.esito == "illeggibile"


def test_xml_che_non_e_una_fattura(pratica):
    e = _verifica(pratica, b"<?xml version='1.0'?><RicevutaConsegna><IdentificativoSdI>1</IdentificativoSdI>"
                           b"</RicevutaConsegna>")
    assert e.esito == "illeggibile" and "RicevutaConsegna" in e.rilievi[0].messaggio
    e = _verifica(pratica, b"<FatturaElettronica><rotto>")
    assert e.esito == "illeggibile" and e.rilievi[0].codice == "XML_MALFORMATO"


def test_piu_impianti_serve_indicare_quale(pratica):
    imp = pratica.configurazioni[0].impianti[0]
    imp.contributo_pnrr = pratica.configurazioni[0].impianti[1].contributo_pnrr.model_copy(
        update={"cup": "F79J22001380004", "codice_progetto_gse": "PNRR-CER-0009999"})
    e = _verifica(pratica, F.completa())  # il CUP della fattura indica la cantina
    assert e.impianto_id == "fv-cantina"
    with pytest.raises(svc.ErrorePnrr, match="indica l'impianto"):
        _verifica(pratica, F.fattura(contratto=F.contratto(cup=None), causali=F.causali(F.DICITURA)))
    e = _verifica(pratica, F.completa(), impianto="fv-municipio")
    assert e.impianto_id == "fv-municipio" and "FATTURA_CUP_DIVERSO" in _codici(e)
