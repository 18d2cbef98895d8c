"""Registrare un fatto: evento completo, campo datato, pratica di partenza intatta, rifiuti spiegati."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from cer_docs.model import dumps_json, load_pratica, parse_text
from cer_docs.practice import (TIPI_FATTO, Fatto, FattoRifiutato, TipoFattoSconosciuto, compute_stati,
                               record_fatto)

ROOT = Path(__file__).resolve().parents[2]
D = dt.date
AL = D(2027, 8, 10)


@pytest.fixture
def pratica():
    return load_pratica(ROOT / "samples" / "pratica-esempio.yaml")


def test_fatto_diventa_evento_e_campo_datato(pratica):
    prima = dumps_json(pratica)
    esito = record_fatto(pratica, Fatto("entrata_esercizio", D(2027, 3, 10), "fv-bianchi", nota="collaudo ok",
                                        autore="Anna Verdi", riferimento="verbale 12/2027"), AL)
    nuova = esito.pratica
    assert nuova.configurazioni[0].impianti[2].data_entrata_esercizio == D(2027, 3, 10)
    ev = nuova.eventi[-1]
    assert (ev.data, ev.tipo, ev.oggetto, ev.autore, ev.nota, ev.riferimento) == (
        D(2027, 3, 10), "entrata_esercizio", "configurazioni[0].impianti[2]", "Anna Verdi", "collaudo ok",
        "verbale 12/2027")
    assert "Entrata in esercizio" in ev.descrizione and "Bianchi" in ev.descrizione
    assert nuova.pratica.aggiornata_il == AL
    # la pratica di partenza non cambia
    assert dumps_json(pratica) == prima
    # l'evento sopravvive al giro file → modello
    assert parse_text(dumps_json(nuova), "x.json").eventi[-1] == ev
    # avviso utile: entro quando inviare la richiesta
    assert any("8 luglio 2027" in a or "l'8 luglio 2027" in a for a in esito.avvisi)


def test_ogni_tipo_ha_etichetta_e_campo_italiani():
    for t in TIPI_FATTO.values():
        assert t.etichetta and t.spiegazione and t.generi


def test_nomi_vecchi_accettati_e_registrati_col_nome_nuovo(pratica):
    p = pratica.model_copy(deep=True)
    p.comunita.atto_costitutivo.data = None
    p.comunita.atto_costitutivo.registrazione = None
    p.pratica.stato = "in_costituzione"
    assert compute_stati(p, AL).pratica == "in_costituzione"
    esito = record_fatto(p, Fatto("costituzione", D(2025, 10, 20)), AL)
    assert esito.evento.tipo == "atto_firmato"
    assert esito.pratica.pratica.stato == "costituita"
    assert any("Agenzia delle Entrate" in a for a in esito.avvisi)
    esito = record_fatto(esito.pratica, Fatto("registrazione", D(2025, 10, 28), riferimento="12345 serie 3"), AL)
    assert esito.pratica.comunita.atto_costitutivo.registrazione.data == D(2025, 10, 28)
    assert esito.pratica.comunita.atto_costitutivo.registrazione.numero == "12345 serie 3"


def test_tipo_sconosciuto_elenca_i_tipi(pratica):
    with pytest.raises(TipoFattoSconosciuto) as e:
        record_fatto(pratica, Fatto("impianto_acceso", D(2026, 1, 1)), AL)
    assert "sconosciuto" in e.value.motivo and "entrata_esercizio" in e.value.motivo


@pytest.mark.parametrize("fatto, parole", [
    (Fatto("richiesta_inviata", D(2025, 10, 25)), ["data certa", "costituzione"]),
    (Fatto("mandato_revocato", D(2026, 3, 10)), ["mai firmato"]),
    (Fatto("entrata_esercizio", D(2026, 6, 20), "fv-cantina"), ["PNRR", "fine dei lavori"]),
    (Fatto("entrata_esercizio", D(2027, 9, 1), "fv-bianchi"), ["successiva", "già avvenuti"]),
    (Fatto("atto_firmato", D(2025, 10, 20)), ["già firmato"]),
    (Fatto("domanda_pnrr", D(2025, 12, 1), "fv-municipio"), ["portale", "chiuso"]),
])
def test_rifiuti_in_italiano_con_il_perche(pratica, fatto, parole):
    with pytest.raises(FattoRifiutato) as e:
        record_fatto(pratica, fatto, AL)
    motivo = e.value.motivo
    for p in parole:
        assert p in motivo, motivo
    assert motivo[0].isupper() and motivo.endswith(".")
    assert "Traceback" not in motivo and "Error" not in motivo


def test_richiesta_tardiva_avvisa_della_decorrenza(pratica):
    p = record_fatto(pratica, Fatto("entrata_esercizio", D(2027, 3, 10), "fv-bianchi"), AL).pratica
    esito = record_fatto(p, Fatto("richiesta_inviata", D(2027, 8, 1)), AL)
    assert any("2 agosto 2027" in a and "persi" in a for a in esito.avvisi), esito.avvisi
    stati = compute_stati(esito.pratica, AL)
    assert stati.pratica == "richiesta_inviata"
    imp = stati.di("configurazioni[0].impianti[2]")
    assert imp.stato == "in_configurazione" and imp.decorrenza == D(2027, 8, 2)


def test_oggetto_per_percorso_o_per_id(pratica):
    a = record_fatto(pratica, Fatto("pod_rimosso", D(2027, 2, 15), "configurazioni[0].punti_connessione[4]"), AL)
    b = record_fatto(pratica, Fatto("pod_rimosso", D(2027, 2, 15), " it001e00112237 "), AL)
    assert a.evento.oggetto == b.evento.oggetto == "configurazioni[0].punti_connessione[4]"
    assert a.pratica.configurazioni[0].punti_connessione[4].data_uscita == D(2027, 2, 15)


def test_domanda_pnrr_crea_il_contributo(pratica):
    esito = record_fatto(pratica, Fatto("domanda_pnrr", D(2025, 11, 20), "fv-municipio",
                                        riferimento="PNRR-CER-0009999"), AL)
    cp = esito.pratica.configurazioni[0].impianti[0].contributo_pnrr
    assert cp.data_domanda == D(2025, 11, 20) and cp.codice_progetto_gse == "PNRR-CER-0009999"
    assert esito.evento.oggetto == "configurazioni[0].impianti[0].contributo_pnrr"


def test_pod_aggiunto_prima_o_dopo_la_richiesta(pratica):
    prima = record_fatto(pratica, Fatto("pod_aggiunto", D(2027, 2, 1), "IT001E00112234"), AL)
    assert any("non è ancora partita" in a for a in prima.avvisi)
    p = pratica.model_copy(deep=True)
    p.configurazioni[0].richiesta_accesso.data_invio = D(2026, 12, 1)
    dopo = record_fatto(p, Fatto("pod_aggiunto", D(2027, 2, 1), "IT001E00112234"), AL)
    assert any("1° giugno 2027" in a and "120 giorni" in a for a in dopo.avvisi), dopo.avvisi


@pytest.mark.parametrize("tipo, oggetto", [("entrata_esercizio", "fv-bianchi"), ("pod_aggiunto", "IT001E00112234"),
                                           ("mandato_firmato", None), ("avvio_lavori", "fv-cantina")])
def test_date_estreme_accettate_o_rifiutate_mai_eccezioni(pratica, tipo, oggetto):
    for quando in (D(1, 1, 1), D.max):
        try:
            record_fatto(pratica, Fatto(tipo, quando, oggetto), D.max)
        except FattoRifiutato as e:
            assert e.motivo
