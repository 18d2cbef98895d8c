"""Registro spese: caricamento tutto-o-niente, file ostili che non lasciano traccia, regole di ammissibilità."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from cer_docs.model.pnrr import Pagamento
from cer_docs.services import archivio as svc_archivio
from cer_docs.services import pnrr as svc

from . import fatture_di_prova as F
from .conftest import AL

CODICE = "cer-colline-sieve"


def test_carica_fattura_conserva_file_e_registra_la_spesa(archiviata, conta, engine):
    prima = conta()
    r = svc.carica_fattura(CODICE, F.completa(), "IT04567890480_00042.xml", "Anna", AL)
    assert r.esito.esito == "conforme" and r.impianto_id == "fv-cantina"
    assert conta() == (prima[0] + 1, prima[1] + 1, prima[2] + 1)
    (spesa,) = r.spese
    assert spesa.id == "spesa-001" and spesa.tipo_spesa == "fornitura_installazione"
    assert spesa.fattura.cup == F.CUP and spesa.fattura.codice_progetto_gse == F.CODICE_GSE
    assert spesa.fattura.imponibile_euro == Decimal("92000.00") and spesa.fattura.totale_euro == Decimal("101200.00")
    # la pratica porta il registro con sé (file portabile)
    aperta = svc_archivio.Archivio(engine).apri(CODICE)
    cp = aperta.pratica.configurazioni[0].impianti[1].contributo_pnrr
    assert [s.id for s in cp.spese] == ["spesa-001"]
    assert cp.spese[0].fattura.documento.sha256 == r.esito.sha256
    assert "spese:" in svc_archivio.Archivio(engine).esporta(CODICE)
    # il file si ritrova, identico
    docs = svc.documenti_caricati(CODICE)
    assert [(d.nome_file, d.tipo, d.esito) for d in docs] == [("IT04567890480_00042.xml", "fattura_xml", "conforme")]
    assert svc.contenuto_documento(CODICE, docs[0].sha256) == ("IT04567890480_00042.xml", F.completa())
    *_, ev, esportazione, scaricamento = svc_archivio.Archivio(engine).eventi(CODICE)
    assert ev.autore == "Anna" and "FV/2026/0042" in ev.descrizione
    # esportare la pratica e scaricare un file sono eventi del registro (issue 15)
    assert (esportazione.tipo, scaricamento.tipo) == ("esportazione", "scaricamento")
    assert scaricamento.dettagli["nome_file"] == "IT04567890480_00042.xml"


def test_non_conforme_entra_nel_registro_con_i_rilievi(archiviata):
    r = svc.carica_fattura(CODICE, F.senza_cup(), "senza_cup.xml", "Anna", AL)
    assert r.esito.esito == "non_conforme"
    reg = svc.registro_spese(svc_archivio.apri(CODICE).pratica, AL)
    (voce,) = reg.impianti[0].voci
    assert not voce.ammissibile and any(x.codice == "SPESA_CUP" for x in voce.rilievi)


@pytest.mark.parametrize("caso", ["billion_laughs", "entita_esterna", "enorme", "non_xml", "pdf_cifrato",
                                  "pdf_corrotto", "schema_non_valida"])
def test_file_rifiutati_non_lasciano_nulla(archiviata, conta, caso):
    prima = conta()
    nome = "f.pdf" if "pdf" in caso else "f.xml"
    with pytest.raises(svc.FatturaRifiutata) as e:
        svc.carica_fattura(CODICE, getattr(F, caso)(), nome, "Anna", AL)
    assert "non è stata caricata" in str(e.value)
    assert e.value.esito.rilievi
    assert conta() == prima


def test_stesso_file_o_stessa_fattura_due_volte(archiviata, conta):
    svc.carica_fattura(CODICE, F.completa(), "a.xml", "Anna", AL)
    dopo = conta()
    with pytest.raises(svc.FatturaGiaCaricata, match="già nel registro"):
        svc.carica_fattura(CODICE, F.completa(), "copia.xml", "Anna", AL)
    with pytest.raises(svc.FatturaGiaCaricata, match="FV/2026/0042"):
        svc.carica_fattura(CODICE, F.p7m(F.completa()), "a.xml.p7m", "Anna", AL)
    assert conta() == dopo


def test_tutto_o_niente_se_il_documento_non_si_scrive(archiviata, conta, monkeypatch):
    from cer_docs.store import documenti

    prima = conta()

    def guasto(*a, **k):
        raise RuntimeError("disco pieno")

    monkeypatch.setattr(documenti, "add_documento", guasto)
    with pytest.raises(RuntimeError):
        svc.carica_fattura(CODICE, F.completa(), "a.xml", "Anna", AL)
    assert conta() == prima
    assert not svc_archivio.apri(CODICE).pratica.configurazioni[0].impianti[1].contributo_pnrr.spese


def test_conflitto_di_versione_non_scrive_nulla(archiviata, conta, monkeypatch):
    prima = conta()
    vero_apri = svc.Archivio.apri

    def apri_e_poi_qualcuno_salva(self, codice, **kw):
        aperta = vero_apri(self, codice, **kw)
        p = aperta.pratica.model_copy(deep=True)
        p.pratica.stato = "richiesta_inviata"
        svc_archivio.Archivio(self.engine).salva(codice, p, aperta.versione, "Bruno")
        return aperta

    monkeypatch.setattr(svc.Archivio, "apri", apri_e_poi_qualcuno_salva)
    with pytest.raises(svc_archivio.ConflittoModifica):
        svc.carica_fattura(CODICE, F.completa(), "a.xml", "Anna", AL)
    docs, eventi, versione = conta()
    assert docs == prima[0] and versione == prima[2] + 1 and eventi == prima[1] + 1  # solo la modifica di Bruno


def test_eliminare_la_pratica_elimina_i_file(archiviata, conta, engine):
    svc.carica_fattura(CODICE, F.completa(), "a.xml", "Anna", AL)
    svc_archivio.Archivio(engine).elimina(CODICE, autore="Anna")
    with engine.connect() as c:
        assert c.exec_driver_sql("SELECT count(*) FROM documento_caricato").scalar_one() == 0


def test_pagamenti_e_regole_del_registro(archiviata):
    svc.carica_fattura(CODICE, F.completa(), "a.xml", "Anna", AL)
    svc.carica_fattura(CODICE, F.progettazione_prima_avvio(), "prog.xml", "Anna", AL)
    reg = svc.registro_spese(svc_archivio.apri(CODICE).pratica, AL)
    voci = reg.impianti[0].voci
    assert [v.spesa.tipo_spesa for v in voci] == ["fornitura_installazione", "progettazione"]
    assert [v.stato_pagamento for v in voci] == ["da pagare", "da pagare"]
    assert all(v.ammissibile for v in voci)
    # bonifico con causale completa sulla fornitura
    svc.registra_pagamento(CODICE, "fv-cantina", "spesa-001", Pagamento(
        data=dt.date(2026, 6, 20), importo_euro=Decimal("101200.00"), metodo="bonifico_bancario",
        riferimento="CRO 0306912345678", causale=f"CUP {F.CUP} fattura FV/2026/0042 del 10/06/2026"), "Anna")
    # progettazione pagata in contanti: non ammissibile
    svc.registra_pagamento(CODICE, "fv-cantina", "spesa-002", Pagamento(
        data=dt.date(2025, 10, 1), importo_euro=Decimal("101200.00"), metodo="contanti"), "Anna")
    reg = svc.registro_spese(svc_archivio.apri(CODICE).pratica, AL)
    imp = reg.impianti[0]
    v1, v2 = imp.voci
    assert v1.ammissibile and v1.stato_pagamento == "pagata"
    assert not [r for r in v1.rilievi if r.gravita != "info"]
    assert not v2.ammissibile and "SPESA_PAGAMENTO_NON_TRACCIABILE" in [r.codice for r in v2.rilievi]
    assert imp.totale_ammissibile == Decimal("92000.00")
    assert imp.percentuale_spesa == Decimal("100.00")
    assert imp.contributo_consuntivo == Decimal("36800.00")


def test_bonifico_oltre_termine_e_causale_incompleta(archiviata_con_accordo):
    svc.carica_fattura(CODICE, F.completa(), "a.xml", "Anna", AL)
    svc.registra_pagamento(CODICE, "fv-cantina", "spesa-001", Pagamento(
        data=dt.date(2026, 7, 2), importo_euro=Decimal("50000.00"), causale="saldo fornitura"), "Anna")
    reg = svc.registro_spese(svc_archivio.apri(CODICE).pratica, dt.date(2026, 7, 10))
    codici = {r.codice: r.gravita for r in reg.impianti[0].voci[0].rilievi}
    assert codici["SPESA_PAGATA_OLTRE_TERMINE"] == "errore"
    msg = next(r.messaggio for r in reg.impianti[0].voci[0].rilievi if r.codice == "SPESA_PAGATA_OLTRE_TERMINE")
    assert "accordo di concessione GSE/PNRR-CACER/2026/0457" in msg
    assert codici["SPESA_CAUSALE_BONIFICO"] == "avviso"
    assert codici["SPESA_PAGATA_IN_PARTE"] == "avviso"


def test_spesa_non_pagata_a_termine_scaduto(archiviata_con_accordo):
    svc.carica_fattura(CODICE, F.completa(), "a.xml", "Anna", AL)
    reg = svc.registro_spese(svc_archivio.apri(CODICE).pratica, dt.date(2026, 7, 1))
    assert "SPESA_NON_PAGATA_TERMINE_SCADUTO" in [r.codice for r in reg.impianti[0].voci[0].rilievi]
    assert reg.impianti[0].totale_ammissibile == Decimal("0.00")


def test_senza_accordo_il_registro_chiede_il_termine_e_non_da_errori_di_termine(archiviata):
    svc.carica_fattura(CODICE, F.completa(), "a.xml", "Anna", AL)
    svc.registra_pagamento(CODICE, "fv-cantina", "spesa-001", Pagamento(
        data=dt.date(2026, 7, 20), importo_euro=Decimal("101200.00"), causale=f"CUP {F.CUP} fattura FV/2026/0042"),
        "Anna")
    reg = svc.registro_spese(svc_archivio.apri(CODICE).pratica, dt.date(2026, 12, 2))
    imp = reg.impianti[0]
    assert not [r for r in imp.tutti_i_rilievi if r.gravita == "errore"], [r.messaggio for r in imp.tutti_i_rilievi]
    (avviso,) = [r for r in imp.rilievi if r.codice == "SPESE_TERMINE_ACCORDO_MANCANTE"]
    assert avviso.gravita == "avviso" and "accordo di concessione" in avviso.messaggio
    assert imp.voci[0].ammissibile


def test_registro_nel_file_pratica_andata_e_ritorno(archiviata, tmp_path, engine):
    from cer_docs.model import load_pratica

    svc.carica_fattura(CODICE, F.completa(), "a.xml", "Anna", AL)
    f = svc_archivio.Archivio(engine).esporta_file(CODICE, tmp_path / "pratica.yaml")
    p = load_pratica(f)
    assert p == svc_archivio.apri(CODICE).pratica
    assert p.configurazioni[0].impianti[1].contributo_pnrr.spese[0].fattura.numero == "FV/2026/0042"


def test_spesa_rifiutata_dal_modello():
    from pydantic import ValidationError

    from cer_docs.model.pnrr import Spesa

    base = {"id": "s1", "fattura": {"numero": "1", "data": "2026-06-10", "fornitore": {"denominazione": "X"},
                                    "imponibile_euro": "100.00", "totale_euro": "122.00"}}
    Spesa.model_validate(base)
    with pytest.raises(ValidationError):
        Spesa.model_validate({**base, "importo_rendicontato_euro": "200.00"})
    with pytest.raises(ValidationError):
        Spesa.model_validate({**base, "fattura": {**base["fattura"], "imponibile_euro": "1.005"}})
    with pytest.raises(ValidationError):
        Spesa.model_validate({**base, "campo_inventato": 1})
