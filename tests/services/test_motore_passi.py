"""Il motore dei passi generati dal catalogo: legge e scrive per percorso, converte all'italiana,
raccoglie tutti i problemi col nome del campo, convalida una volta."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from cer_docs.model import load_pratica
from cer_docs.services import catalogo, motore_passi
from cer_docs.services.procedura import ErrorePasso

RADICE = Path(__file__).resolve().parents[2]
OGGI = dt.date(2026, 11, 22)


@pytest.fixture
def ref():
    return load_pratica(RADICE / "samples" / "pratica-esempio.yaml")


def test_ogni_domanda_dei_passi_generati_ha_nome_chiave_e_sezione():
    for passo in motore_passi.PASSI_GENERATI:
        tutte = catalogo.domande_del_modulo(passo)
        domande = [d for d in tutte if not d.elenco]
        assert domande
        assert all(d.nome and (d.chiave or d.widget == "mesi") for d in domande), passo
        assert len({d.nome for d in domande}) == len(domande)
        for elenco in {d.elenco for d in tutte if d.elenco}:   # ogni tabella del modulo è dichiarata nel motore
            assert elenco in motore_passi.PASSI_GENERATI[passo].tabelle, elenco


def test_numeri_all_italiana_e_sezione_facoltativa_creata_solo_se_serve(ref):
    v = motore_passi.valori(ref, "statuto")
    assert isinstance(v["riparto_consumatori"], float)
    p = motore_passi.applica(ref, "statuto", {**v, "quota_associativa_euro": "1.250,5", "pnrr_entro_anni": None,
                                              "pnrr_quota_entro": None, "pnrr_quota_dopo": None}, oggi=OGGI)
    assert p.comunita.quota_associativa_euro == Decimal("1250.50")
    assert p.comunita.recesso.restituzione_contributo_pnrr is None  # tutta vuota: la sezione sparisce
    p = motore_passi.applica(p, "statuto", {"pnrr_quota_dopo": "12,5"}, oggi=OGGI)
    assert p.comunita.recesso.restituzione_contributo_pnrr.quota_dopo == Decimal("12.5")
    assert p.comunita.quota_associativa_euro == Decimal("1250.50")  # un campo non passato non si tocca


def test_tutti_i_problemi_insieme_col_nome_del_campo(ref):
    v = {**motore_passi.valori(ref, "statuto"), "presidente": "nessuno-cosi", "recesso_preavviso_mesi": "tre",
         "destinazione_eccedenza": ["a_caso"], "recesso_efficacia": "subito"}
    with pytest.raises(ErrorePasso) as e:
        motore_passi.applica(ref, "statuto", v, oggi=OGGI)
    testi = [str(p) for p in e.value.problemi]
    assert "Presidente: 'nessuno-cosi' non è tra i soggetti della pratica" in testi
    assert "Preavviso di recesso (mesi): 'tre' non è un numero" in testi
    assert "Destinazione dell'eccedenza: 'a_caso' non è tra le voci previste" in testi
    assert "Efficacia del recesso: scegli una delle voci proposte" in testi


def test_referente_per_la_configurazione_scelta(ref):
    v = motore_passi.valori(ref, "referente", (0,))
    p = motore_passi.applica(ref, "referente", {**v, "mandato_data_firma": dt.date(2026, 1, 10)}, (0,), OGGI)
    assert p.configurazioni[0].referente.mandato.data_firma == dt.date(2026, 1, 10)
    assert motore_passi.scelte(ref, "referente", (0,))["soggetto"]["rossi-mario"].startswith("Mario Rossi")


def test_tabella_generata_dei_produttori_terzi(ref):
    righe = motore_passi.righe(ref, "produttori_terzi")
    assert righe[0]["soggetto"] == ref.produttori_terzi[0].soggetto and isinstance(righe[0]["impianti"], list)
    vuota = {"soggetto": None, "impianti": [], "quota_incentivo_pct": None, "data_accordo": None,
             "luogo_accordo": None}
    p = motore_passi.applica_righe(ref, "produttori_terzi", [*righe, vuota], OGGI)  # la riga vuota si salta
    assert p.produttori_terzi == ref.produttori_terzi
    with pytest.raises(ErrorePasso) as e:
        motore_passi.applica_righe(ref, "produttori_terzi", [righe[0], {**righe[0], "quota_incentivo_pct": 120}],
                                   OGGI)
    testi = [str(x) for x in e.value.problemi]
    assert any(t.startswith("Riga 2 (") and "produttore: è già alla riga 1" in t for t in testi)
    assert any("Riga 2" in t and "quota dell'incentivo (%): non può essere maggiore di 100" in t for t in testi)


# --------------------------------------------------------------------------- contributo PNRR di un impianto

def test_contributo_pnrr_confermato_senza_modifiche_non_cambia_nulla(ref):
    for ci, conf in enumerate(ref.configurazioni):
        for ii, _imp in enumerate(conf.impianti):
            v = motore_passi.valori(ref, "contributo_pnrr", (ci, ii))
            nuova = motore_passi.applica(ref, "contributo_pnrr", v, (ci, ii), al=OGGI)
            assert nuova.model_dump() == ref.model_dump(), (ci, ii)


def test_contributo_pnrr_acceso_all_italiana_con_tabelle_e_problemi_per_riga(ref):
    ci, ii = 0, next(j for j, i in enumerate(ref.configurazioni[0].impianti) if i.contributo_pnrr is None)
    v = motore_passi.valori(ref, "contributo_pnrr", (ci, ii))
    assert v["finanziato"] is False and v["tappe"] == [] and v["altri_fondi_ue"] == []
    # acceso e vuoto: la sezione c'è (domanda ancora da compilare)
    p = motore_passi.applica(ref, "contributo_pnrr", {"finanziato": True}, (ci, ii), al=OGGI)
    assert p.configurazioni[ci].impianti[ii].contributo_pnrr is not None
    righe_ok = {"cup": " j21b 24000120006", "spesa_ammissibile_euro": "96.000", "contributo_richiesto_euro": "1.234,50",
                "tappe": [{"entro": "30/06/2027", "descrizione": "Primo SAL"}],
                "altri_fondi_ue": [{"programma": "FESR", "importo_euro": 5000.0, "stesse_spese": None, "note": None}]}
    p = motore_passi.applica(ref, "contributo_pnrr", {"finanziato": True, **righe_ok}, (ci, ii), al=OGGI)
    c = p.configurazioni[ci].impianti[ii].contributo_pnrr
    assert (c.cup, c.spesa_ammissibile_euro, c.contributo_richiesto_euro) == (
        "J21B24000120006", Decimal("96000.00"), Decimal("1234.50"))
    assert [(t.entro, t.descrizione) for t in c.accordo_concessione.rendicontazione] == [
        (dt.date(2027, 6, 30), "Primo SAL")]
    assert [(f.programma, f.importo_euro, f.stesse_spese) for f in c.altri_fondi_ue] == [
        ("FESR", Decimal("5000.00"), None)]
    with pytest.raises(ErrorePasso) as e:
        motore_passi.applica(ref, "contributo_pnrr", {
            "finanziato": True, "cup": "J21B2400", "cig": "corto", "data_domanda": "31/02/2025",
            "tappe": [{"entro": None, "descrizione": None}, {"entro": None, "descrizione": "Saldo"}],
            "altri_fondi_ue": [{"programma": None, "importo_euro": 10.0}]}, (ci, ii), al=OGGI)
    problemi = [str(x) for x in e.value.problemi]
    assert e.value.passo == "impianti" and len(problemi) == 5, problemi
    assert any(x.startswith("CUP: il CUP deve avere 15 caratteri") for x in problemi)
    assert any(x.startswith("CIG: il CIG deve avere 10 caratteri") for x in problemi)
    assert any("data della domanda di contributo" in x.lower() for x in problemi)
    # la riga vuota (1) si salta, ma conta: la tappa senza data è la riga 2, come nella tabella
    assert any("Riga 2" in x and "Saldo" in x and "manca la data entro cui rendicontare" in x for x in problemi)
    assert any("Riga 1" in x and "scrivi il programma europeo" in x for x in problemi)
    # spento: la sezione si toglie
    assert motore_passi.applica(p, "contributo_pnrr", {"finanziato": False}, (ci, ii), al=OGGI) \
        .configurazioni[ci].impianti[ii].contributo_pnrr is None


# --------------------------------------------------------------------------- comunità

def test_comunita_codici_normalizzati_e_notaio_solo_per_atto_notarile(ref):
    v = motore_passi.valori(ref, "comunita")
    p = motore_passi.applica(ref, "comunita", {**v, "sede_provincia": "fi", "iban": "it60 x054 2811 1010 0000 0123 456",
                                               "atto_forma": "scrittura_privata_registrata", "notaio": "Altro Nome"},
                             oggi=OGGI)
    assert p.comunita.sede.provincia == "FI" and p.comunita.iban == "IT60X0542811101000000123456"
    # scrittura privata: i dati del notaio non si chiedono e restano com'erano
    assert p.comunita.atto_costitutivo.notaio == ref.comunita.atto_costitutivo.notaio
    with pytest.raises(ErrorePasso) as e:
        motore_passi.applica(ref, "comunita", {**v, "denominazione": " ", "sede_cap": "5003", "pec": "no",
                                               "sede_provincia": "XX"}, oggi=OGGI)
    campi = [x.campo for x in e.value.problemi]
    assert campi == ["CAP della sede", "provincia della sede", "PEC", "denominazione"], campi


def test_comunita_di_un_gruppo_senza_ente_aggiorna_solo_lo_stato():
    from cer_docs.services import procedura as proc

    p = proc.nuova_pratica("auc-prova", "Condominio", tipo="AUC", oggi=OGGI)
    v = motore_passi.valori(p, "comunita")
    q = motore_passi.applica(p, "comunita", {**v, "stato": "costituita"}, oggi=OGGI)
    assert q.comunita is None and q.pratica.stato == "costituita"


# --------------------------------------------------------------------------- configurazioni e POD

def test_configurazione_pod_riconosciuto_e_consumi_mensili_tutti_o_nessuno(ref):
    v = motore_passi.valori(ref, "configurazioni", (0,))
    assert [r["pod"] for r in v["punti"]] == [pc.pod for pc in ref.configurazioni[0].punti_connessione]
    p = motore_passi.applica(ref, "consumi_mensili", {"consumi_mensili_kwh": ["1.200,5"] + [100] * 11}, (0, 1),
                             OGGI)
    assert p.configurazioni[0].punti_connessione[1].consumi_mensili_kwh[0] == Decimal("1200.5")
    # la tabella dei POD, riordinata, conserva i consumi mese per mese (la riga è riconosciuta dal POD)
    v = motore_passi.valori(p, "configurazioni", (0,))
    v["punti"] = list(reversed(v["punti"]))
    q = motore_passi.applica(p, "configurazioni", v, (0,), OGGI, al=OGGI)
    pc = next(x for x in q.configurazioni[0].punti_connessione if x.pod == ref.configurazioni[0].punti_connessione[1].pod)
    assert pc.consumi_mensili_kwh[0] == Decimal("1200.5")
    with pytest.raises(ErrorePasso) as e:
        motore_passi.applica(ref, "consumi_mensili", {"consumi_mensili_kwh": [100] * 10}, (0, 1), OGGI)
    assert [str(x) for x in e.value.problemi] == [
        "Consumi mensili: servono tutti e dodici i mesi (oppure nessuno); mancano: novembre, dicembre"]
    assert motore_passi.valori(ref, "configurazioni", (9,))["tipo"] == "CER"      # una configurazione nuova


def test_tabella_dei_soggetti_una_riga_scrive_soggetto_e_membro(ref):
    """Una riga della tabella «Soggetti e membri» scrive il soggetto e, con un ruolo, il suo membro;
    l'indirizzo è la residenza di una persona e la sede di un ente; ciò che la tabella non mostra resta."""
    righe = motore_passi.righe(ref, "soggetti")
    per_id = {r["id"]: r for r in righe}
    assert per_id["rossi-mario"]["indirizzo"] == ref.soggetto("rossi-mario").residenza.indirizzo
    assert per_id["comune-san-godenzo"]["indirizzo"] == ref.soggetto("comune-san-godenzo").sede.indirizzo
    assert per_id["rossi-mario"]["ruolo"] == "consumatore" and per_id["pro-loco"]["ruolo"] == "consumatore"
    per_id["pro-loco"]["ruolo"] = None                                  # la Pro Loco non è più membro
    righe += [{"id": None, "tipo": "impresa", "denominazione": "Forno Bio S.r.l.", "indirizzo": "Via Nuova 1",
               "cap": "50060", "provincia": "fi", "ruolo": "consumatore", "data_adesione": "01/03/2026",
               "quota_versata_euro": "25,00"},
              {"id": None, "nome": "Lucia", "cognome": "Neri", "indirizzo": "Via Vecchia 2", "ruolo": None}]
    nuova = motore_passi.applica_righe(ref, "soggetti", righe, OGGI)
    forno, lucia = nuova.soggetti[-2:]
    assert (forno.id, forno.tipo, forno.sede.indirizzo, forno.sede.provincia, forno.residenza) == \
        ("forno-bio-s-r-l", "impresa", "Via Nuova 1", "FI", None)
    assert (lucia.tipo, lucia.residenza.indirizzo, lucia.sede) == ("persona_fisica", "Via Vecchia 2", None)
    membri = {m.soggetto: m for m in nuova.membri}
    assert "pro-loco" not in membri and "neri-lucia" not in membri
    assert membri[forno.id].data_adesione == dt.date(2026, 3, 1) and membri[forno.id].quota_versata_euro == 25
    assert nuova.soggetto("pro-loco").rappresentante == ref.soggetto("pro-loco").rappresentante
    assert nuova.soggetto("comune-san-godenzo").pec == ref.soggetto("comune-san-godenzo").pec


def test_tabella_dei_soggetti_problemi_per_riga_e_righe_sbagliate_non_tolte(ref):
    righe = motore_passi.righe(ref, "soggetti")
    righe[1] = {**righe[1], "data_recesso": "01/01/2020", "dimensione": "micro"}     # Mario Rossi
    righe[3] = {**righe[3], "codice_fiscale": righe[0]["codice_fiscale"]}              # Il Poggio, CF del Comune
    righe.append({"id": None, "tipo": "ets", "nome": "Solo", "cognome": "Nome"})
    with pytest.raises(ErrorePasso) as e:
        motore_passi.applica_righe(ref, "soggetti", righe, OGGI)
    testi = [str(p) for p in e.value.problemi]
    assert "Riga 2 (Mario Rossi), data di uscita: la data di uscita viene prima della data di adesione" in testi
    assert "Riga 2 (Mario Rossi), dimensione impresa: la dimensione d'impresa vale solo per il tipo «Impresa»" \
        in testi
    assert any(t.startswith("Riga 4 (Il Poggio Società Agricola S.r.l.), codice fiscale: lo stesso codice fiscale "
                            "è già alla riga 1") for t in testi)
    assert "Riga 8, denominazione: manca la denominazione (ragione sociale) del soggetto" in testi
    assert not any("riga tolta" in t for t in testi)          # le righe sbagliate non contano come tolte


def test_chi_puo_fare_il_referente_segue_il_tipo_di_configurazione():
    radice = Path(__file__).resolve().parents[2] / "samples"
    cer = motore_passi.scelte(load_pratica(radice / "pratica-esempio.yaml"), "referente", (0,))["qualifica"]
    assert "comunita" in cer and "condominio" not in cer and "amministratore_condominio" not in cer
    auc = motore_passi.scelte(load_pratica(radice / "auc-condominio-aurora.yaml"), "referente", (0,))["qualifica"]
    assert "amministratore_condominio" in auc and "comunita" not in auc


def test_contributo_pnrr_fine_prima_dell_avvio_e_cup_da_ricontrollare():
    """La fine dei lavori prima dell'avvio non si salva (errore della regola, con le sue parole); un CUP con la
    lettera O al posto dello zero si salva (avviso della regola) e ``avvisi`` lo dice con il nome del campo."""
    p = load_pratica(Path(__file__).resolve().parents[2] / "samples" / "pratica-esempio.yaml")
    ii = [i.id for i in p.configurazioni[0].impianti].index("fv-cantina")
    v = motore_passi.valori(p, "contributo_pnrr", (0, ii))
    v["cup"] = "J81B25OO0340006"
    al = dt.date(2026, 12, 1)
    [avviso] = motore_passi.avvisi("contributo_pnrr", v, al)
    assert avviso.campo == "CUP" and "la lettera O alle posizioni 7 e 8" in avviso.messaggio
    assert motore_passi.applica(p, "contributo_pnrr", v, (0, ii), al, al=al).configurazioni[0].impianti[ii] \
        .contributo_pnrr.cup == "J81B25OO0340006"
    assert motore_passi.avvisi("contributo_pnrr", {**v, "finanziato": False}, al) == []
    v["data_fine_lavori"] = dt.date(2026, 5, 29)
    with pytest.raises(ErrorePasso, match=r"Data di fine dei lavori: la fine dei lavori \(29/05/2026\) "
                                                    r"viene prima del loro avvio \(03/06/2026\)"):
        motore_passi.applica(p, "contributo_pnrr", v, (0, ii), al, al=al)
