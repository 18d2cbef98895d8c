"""Schema FatturaPA vendorizzato: impronte, validazione senza rete, fattura d'esempio, testo Latin-1."""

from __future__ import annotations

import datetime as dt
import hashlib
import socket

import pytest
from lxml import etree

from cer_docs.pnrr import schema
from cer_docs.pnrr.esempio import causali_pnrr, esempio_fattura
from cer_docs.pnrr.testo import LUNGHEZZA_CAUSALE, compatto, latin1, spezza

from . import fatture_di_prova as F
from .conftest import AL


def _albero(xml: bytes):
    return etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True))


def test_copie_ufficiali_con_impronte_e_readme():
    for nome, impronta in schema.IMPRONTE.items():
        assert hashlib.sha256((schema.CARTELLA_SCHEMA / nome).read_bytes()).hexdigest() == impronta
    readme = (schema.CARTELLA_SCHEMA / "README.md").read_text(encoding="utf-8")
    assert all(i in readme for i in schema.IMPRONTE.values())


def test_validazione_senza_rete(monkeypatch):
    schema.schema_fatturapa.cache_clear()

    def vietato(*a, **k):
        raise AssertionError("la validazione ha tentato di usare la rete")

    monkeypatch.setattr(socket.socket, "connect", vietato)
    monkeypatch.setattr(socket, "create_connection", vietato)
    try:
        assert schema.valida(_albero(F.completa())) == []
    finally:
        schema.schema_fatturapa.cache_clear()


def test_fixture_corretta_valida_e_cup_lungo_no():
    assert schema.valida(_albero(F.completa())) == []
    assert schema.valida(_albero(F.fpa12())) == []
    errori = schema.valida(_albero(F.schema_non_valida()))
    assert errori and "CodiceCUP" in str(errori[0])


def test_esempio_per_i_fornitori_valido(pratica):
    xml = esempio_fattura(pratica, None, AL)
    radice = _albero(xml)
    assert schema.valida(radice) == []
    ns = {"p": schema.NAMESPACE}
    assert radice.get("versione") == "FPR12"
    assert radice.findtext("FatturaElettronicaBody/DatiGenerali/DatiContratto/CodiceCUP", namespaces=ns) == F.CUP
    assert radice.findtext("FatturaElettronicaBody/DatiGenerali/DatiContratto/IdDocumento")
    cessionario = radice.find("FatturaElettronicaHeader/CessionarioCommittente/DatiAnagrafici/IdFiscaleIVA/IdCodice")
    assert cessionario.text == F.PIVA_BENEFICIARIO
    causali = [c.text for c in radice.iter("Causale")]
    assert all(len(c) <= LUNGHEZZA_CAUSALE for c in causali)
    assert all(c.encode("latin-1") for c in causali)
    assert compatto(F.DICITURA) in compatto(" ".join(causali))
    assert F.CODICE_GSE in " ".join(causali)
    assert radice.findtext("FatturaElettronicaBody/DatiPagamento/DettaglioPagamento/ModalitaPagamento") == "MP05"
    # commenti per il fornitore, che non disturbano lo schema
    assert "SEGNAPOSTO" in xml.decode()


def test_esempio_supera_i_nostri_controlli(pratica_con_accordo):
    from cer_docs.services import pnrr as svc

    pratica = pratica_con_accordo
    xml = esempio_fattura(pratica, None, AL)
    e = svc.verifica_fattura(xml, "esempio.xml", pratica, AL)
    assert e.esito == "conforme", [r.messaggio for r in e.rilievi]
    assert e.rilievi == []


def test_esempio_con_cig_e_caratteri_difficili(pratica):
    cp = pratica.configurazioni[0].impianti[1].contributo_pnrr
    cp.cig = "95156957EC"
    pratica.soggetti[3].denominazione = "Il Poggio – Società Agricola “Vigna’s” S.r.l. €"
    xml = esempio_fattura(pratica, "fv-cantina", AL)
    radice = _albero(xml)
    assert schema.valida(radice) == []
    assert radice.findtext("FatturaElettronicaBody/DatiGenerali/DatiContratto/CodiceCIG") == "95156957EC"
    nome = radice.findtext("FatturaElettronicaHeader/CessionarioCommittente/DatiAnagrafici/Anagrafica/Denominazione")
    assert nome == "Il Poggio - Società Agricola \"Vigna's\" S.r.l. EUR"


def test_causale_con_caratteri_tipografici_non_passa_lo_schema_senza_pulizia():
    sporca = "Progetto PNRR – l’autoconsumo €"
    assert schema.valida(_albero(F.fattura(causali=F.causali(sporca)))) != []
    assert schema.valida(_albero(F.fattura(causali=F.causali(latin1(sporca))))) == []
    assert latin1(sporca) == "Progetto PNRR - l'autoconsumo EUR"


def test_causale_di_201_caratteri_non_passa():
    assert schema.valida(_albero(F.fattura(causali=F.causali("x" * 201)))) != []
    assert schema.valida(_albero(F.fattura(causali=F.causali("x" * 200)))) == []


@pytest.mark.parametrize("testo", [F.DICITURA * 3, "parola " * 100, "a" * 450])
def test_spezza_a_200(testo):
    pezzi = spezza(testo)
    assert all(0 < len(p) <= LUNGHEZZA_CAUSALE for p in pezzi)
    assert compatto("".join(pezzi)) == compatto(testo)


def test_causali_pnrr():
    causali = causali_pnrr(F.CUP, F.CODICE_GSE, None, dt.date(2026, 1, 1))
    assert causali[0].startswith("Progetto finanziato con fondi PNRR - M2.C2.- I1.2")
    assert causali[-1] == f"CUP {F.CUP} - Codice progetto GSE {F.CODICE_GSE}"
