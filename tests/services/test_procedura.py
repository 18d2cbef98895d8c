"""Servizio della procedura guidata, senza Streamlit: ogni passo applica i valori del modulo a una
copia della pratica e la convalida, oppure spiega in italiano che cosa non va (riga e campo)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from cer_docs.model import ErrorePratica, load_pratica, to_data
from cer_docs.services import importazione as imp
from cer_docs.services import procedura as proc

RADICE = Path(__file__).resolve().parents[2]
CAMPIONI = sorted((RADICE / "samples").glob("*.yaml"))
OGGI = dt.date(2026, 11, 22)


@pytest.fixture
def ref():
    return load_pratica(RADICE / "samples" / "pratica-esempio.yaml")


def _uguali(a, b) -> bool:
    da, db = to_data(a), to_data(b)
    da["pratica"].pop("aggiornata_il", None)
    db["pratica"].pop("aggiornata_il", None)
    return da == db


def _errori(e: pytest.ExceptionInfo) -> list[str]:
    return [str(p) for p in e.value.problemi]


# --------------------------------------------------------------------------- nessuna perdita

@pytest.mark.parametrize("file", CAMPIONI, ids=lambda p: p.stem)
def test_ogni_passo_confermato_senza_modifiche_lascia_la_pratica_com_era(file):
    p = load_pratica(file)
    assert _uguali(p, proc.applica_soggetti(p, proc.righe_soggetti(p), OGGI))
    if p.comunita is not None:
        assert _uguali(p, proc.applica_comunita(p, proc.valori_comunita(p), OGGI))
        assert _uguali(p, proc.applica_statuto(p, proc.valori_statuto(p), OGGI))
    else:
        assert _uguali(p, proc.applica_comunita(p, {**proc.valori_comunita(p), "denominazione": ""}, OGGI))
    for ci in range(len(p.configurazioni)):
        q, indice = proc.applica_configurazione(p, ci, proc.valori_configurazione(p, ci), proc.righe_punti(p, ci),
                                                OGGI, OGGI)
        assert indice == ci and _uguali(p, q)
        assert _uguali(p, proc.applica_impianti(p, ci, proc.righe_impianti(p, ci), OGGI, OGGI))
        assert _uguali(p, proc.applica_referente(p, ci, proc.valori_referente(p, ci), OGGI))
    assert _uguali(p, proc.applica_produttori_terzi(p, proc.righe_produttori_terzi(p), OGGI))
    for s in p.soggetti:
        assert _uguali(p, proc.applica_dettaglio_soggetto(p, s.id, proc.valori_dettaglio_soggetto(p, s.id), OGGI,
                                                          OGGI))


def test_la_pratica_di_partenza_non_cambia_e_la_data_di_aggiornamento_si(ref):
    prima = to_data(ref)
    v = proc.valori_comunita(ref)
    nuova = proc.applica_comunita(ref, {**v, "sigla": "Nuova sigla"}, OGGI)
    assert nuova.comunita.sigla == "Nuova sigla" and nuova.pratica.aggiornata_il == OGGI
    with pytest.raises(proc.ErrorePasso):
        proc.applica_comunita(ref, {**v, "codice_fiscale": "123"}, OGGI)
    assert to_data(ref) == prima


# --------------------------------------------------------------------------- soggetti

def test_codice_fiscale_sbagliato_nomina_riga_persona_e_campo(ref):
    righe = proc.righe_soggetti(ref)
    righe[1]["codice_fiscale"] = "RSSMRA75D12D612X"
    righe[3]["partita_iva"] = "12345670489"
    with pytest.raises(proc.ErrorePasso) as e:
        proc.applica_soggetti(ref, righe, OGGI)
    testi = _errori(e)
    assert testi[0].startswith("Riga 2 (Mario Rossi), codice fiscale: il carattere di controllo")
    assert testi[1].startswith("Riga 4 (Il Poggio Società Agricola S.r.l.), partita IVA: l'ultima cifra")
    assert len(testi) == 2          # le righe sbagliate non contano come tolte
    assert e.value.passo == "soggetti"
    assert str(e.value).startswith("Il passo «Soggetti e membri» non è stato salvato:")


def test_riga_nuova_riga_vuota_e_cambio_di_tipo(ref):
    righe = proc.righe_soggetti(ref)
    righe.append({"id": None, "tipo": None, "nome": "Lucia", "cognome": "Neri", "cap": "50060",
                  "provincia": "fi", "ruolo": "consumatore", "data_adesione": "20/10/2025"})
    righe.append({"id": None})                                          # riga aggiunta e lasciata vuota
    righe[5] = {**righe[5], "tipo": "ets"}                              # la Pro Loco diventa un ETS
    nuova = proc.applica_soggetti(ref, righe, OGGI)
    lucia = nuova.soggetto("neri-lucia")
    assert lucia is not None and lucia.tipo == "persona_fisica" and lucia.residenza.provincia == "FI"
    assert nuova.membri[-1].soggetto == "neri-lucia" and nuova.membri[-1].data_adesione == dt.date(2025, 10, 20)
    assert nuova.soggetto("pro-loco").tipo == "ets"
    assert nuova.soggetto("pro-loco").rappresentante.cognome == "Conti"   # i campi non in tabella restano


def test_togliere_un_soggetto_ancora_usato_spiega_dove(ref):
    righe = [r for r in proc.righe_soggetti(ref) if r["id"] != "il-poggio"]
    with pytest.raises(proc.ErrorePasso) as e:
        proc.applica_soggetti(ref, righe, OGGI)
    (testo,) = _errori(e)
    assert "«Il Poggio Società Agricola S.r.l.» non si può togliere perché è tra i fondatori" in testo
    assert "titolare del POD IT001E00112236" in testo and "produttore dell'impianto" in testo


def test_togliere_un_soggetto_non_usato_lo_toglie_anche_dai_membri(ref):
    p = imp.aggiungi_soggetti(ref, [{"tipo": "persona_fisica", "nome": "Lucia", "cognome": "Neri",
                                      "ruolo": "consumatore"}], OGGI)
    assert len(p.soggetti) == 8
    righe = [r for r in proc.righe_soggetti(p) if r["id"] != "neri-lucia"]
    q = proc.applica_soggetti(p, righe, OGGI)
    assert len(q.soggetti) == 7 and all(m.soggetto != "neri-lucia" for m in q.membri)


def test_dettaglio_soggetto_rappresentante_e_ateco(ref):
    v = proc.valori_dettaglio_soggetto(ref, "il-poggio")
    with pytest.raises(proc.ErrorePasso) as e:
        proc.applica_dettaglio_soggetto(ref, "il-poggio", {**v, "codice_ateco": "0121", "rapp_codice_fiscale": "X",
                                                           "iban": "IT00X"}, OGGI, OGGI)
    testi = " ".join(_errori(e))
    assert "Codice ATECO: il codice ATECO '0121'" in testi
    assert "Codice fiscale del rappresentante" in testi and "IBAN:" in testi
    nuova = proc.applica_dettaglio_soggetto(ref, "il-poggio", {**v, "rapp_carica": "Presidente del CdA"}, OGGI, OGGI)
    assert nuova.soggetto("il-poggio").rappresentante.carica == "Presidente del CdA"


# --------------------------------------------------------------------------- configurazioni e impianti

def test_nuova_configurazione_e_pod_sbagliati(ref):
    righe = [{"pod": "IT001E00112299", "cabina_primaria": "AC001E00935", "soggetto": "rossi-mario"},
             {"pod": "IT001E001", "soggetto": "bianchi-giulia"},
             {"pod": "IT001E00112299", "soggetto": None}]
    with pytest.raises(proc.ErrorePasso) as e:
        proc.applica_configurazione(ref, None, {"tipo": "CER", "cabina_primaria": "AC001E00935"}, righe, OGGI)
    testi = _errori(e)
    assert testi[0].startswith("Riga 2 (IT001E001), POD: il POD 'IT001E001' non ha il formato")
    assert "Riga 3 (IT001E00112299), POD: il POD è già alla riga 1: togli il doppione" in testi
    assert any(t.startswith("Riga 3 (IT001E00112299), titolare: scegli il titolare") for t in testi)
    nuova, ci = proc.applica_configurazione(ref, None, {"tipo": "CER", "denominazione": "Seconda",
                                                        "cabina_primaria": "ac001e00935"}, righe[:1], OGGI, OGGI)
    assert ci == 1 and nuova.configurazioni[1].id == "conf-2"
    assert nuova.configurazioni[1].cabina_primaria == "AC001E00935"


def test_pod_su_altra_cabina_si_salva_e_la_destinazione_e_configurazioni(ref):
    righe = proc.righe_punti(ref, 0)
    righe[2]["cabina_primaria"] = "AC001E00999"
    nuova, _ = proc.applica_configurazione(ref, 0, proc.valori_configurazione(ref, 0), righe, OGGI, OGGI)
    from cer_docs.services.verifica import verifica_pratica

    rilievi = [r for r in verifica_pratica(nuova, OGGI).rilievi if r.codice == "CONF_CABINA_DIVERSA"]
    assert len(rilievi) == 1
    dest = proc.destinazione(rilievi[0].oggetto)
    assert (dest.passo, dest.configurazione) == ("configurazioni", 0)
    assert dest.indicazione == "Da correggere: «Cabina primaria del POD», riga 3."


def test_impianti_potenza_e_pnrr_conservato(ref):
    righe = proc.righe_impianti(ref, 0)
    righe[0]["potenza_kw"] = 0
    righe[2]["pod"] = None
    with pytest.raises(proc.ErrorePasso) as e:
        proc.applica_impianti(ref, 0, righe, OGGI)
    testi = _errori(e)
    assert "Riga 1 (Fotovoltaico sul tetto del Municipio), potenza (kW): deve essere maggiore di zero" in testi
    assert any(t.startswith("Riga 3 (Fotovoltaico residenziale Bianchi), POD: scegli il POD") for t in testi)
    righe = proc.righe_impianti(ref, 0)
    righe[1]["potenza_kw"] = 85.5
    nuova = proc.applica_impianti(ref, 0, righe, OGGI, OGGI)
    cantina = nuova.configurazioni[0].impianti[1]
    assert cantina.potenza_kw == Decimal("85.5") and cantina.contributo_pnrr == ref.configurazioni[0].impianti[1].contributo_pnrr


def test_togliere_un_impianto_del_produttore_terzo_e_bloccato(ref):
    righe = [r for r in proc.righe_impianti(ref, 0) if r["id"] != "fv-mugello-terzo"]
    with pytest.raises(proc.ErrorePasso) as e:
        proc.applica_impianti(ref, 0, righe, OGGI)
    assert "«Impianto fotovoltaico a terra Il Piano» è indicato per un produttore terzo" in _errori(e)[0]


def test_referente_membro_senza_soggetto_e_date_incoerenti(ref):
    v = {**proc.valori_referente(ref, 0), "qualifica": "membro", "soggetto": None,
         "mandato_data_firma": dt.date(2026, 1, 10), "mandato_data_revoca": dt.date(2025, 1, 1),
         "richiesta_esito": "accolta"}
    with pytest.raises(proc.ErrorePasso) as e:
        proc.applica_referente(ref, 0, v, OGGI)
    testi = _errori(e)
    assert "Referente: hai scelto «Un membro della configurazione»: indica chi è" in testi
    assert "Data di revoca del mandato: è prima della data di firma" in testi
    assert any(t.startswith("Data di invio della richiesta: c'è un esito") for t in testi)


def test_produttore_terzo_che_e_membro(ref):
    righe = proc.righe_produttori_terzi(ref) + [{"soggetto": "rossi-mario", "impianti": ["inesistente"]}]
    with pytest.raises(proc.ErrorePasso) as e:
        proc.applica_produttori_terzi(ref, righe, OGGI)
    testi = _errori(e)
    assert testi[0].startswith("Riga 2 (Mario Rossi), produttore: è membro della comunità")
    assert "Riga 2 (Mario Rossi), impianti: l'impianto 'inesistente' non esiste" in testi[1]


# --------------------------------------------------------------------------- statuto

@pytest.mark.parametrize("consumatori,messaggio", [
    (33, "le quote sommano a 95%, ma devono fare 100%: mancano 5%"),
    (48.5, "le quote sommano a 110,5%, ma devono fare 100%: ci sono 10,5% di troppo"),
])
def test_riparto_deve_fare_cento(ref, consumatori, messaggio):
    v = {**proc.valori_statuto(ref), "riparto_consumatori": consumatori}
    with pytest.raises(proc.ErrorePasso) as e:
        proc.applica_statuto(ref, v, OGGI)
    assert e.value.passo == "statuto"
    assert _errori(e) == [f"Ripartizione dei benefici: {messaggio}. Correggi le quote prima di salvare"]


def test_riparto_a_cento_con_decimali_e_recesso(ref):
    v = {**proc.valori_statuto(ref), "riparto_spese_gestione": 12.5, "riparto_consumatori": 37.5,
         "recesso_preavviso_mesi": 3, "pnrr_quota_dopo": 25.0, "quota_associativa_euro": 12.5}
    assert proc.totale_riparto(v) == 100
    nuova = proc.applica_statuto(ref, v, OGGI)
    c = nuova.comunita
    assert c.riparto_benefici.totale() == 100 and c.recesso.preavviso_mesi == 3
    assert c.recesso.restituzione_contributo_pnrr.quota_dopo == Decimal(25)
    assert c.quota_associativa_euro == Decimal("12.50")


def test_statuto_senza_comunita():
    p = proc.nuova_pratica("gruppo-aurora", "Gruppo Aurora", "AUC", oggi=OGGI)
    with pytest.raises(proc.ErrorePasso, match="compila prima il passo «Comunità»"):
        proc.applica_statuto(p, proc.valori_statuto(p), OGGI)


# --------------------------------------------------------------------------- nuova pratica, destinazioni

def test_nuova_pratica():
    cer = proc.nuova_pratica("cer-del-borgo", "CER del Borgo", "CER", "promozione", OGGI)
    assert cer.comunita.denominazione == "CER del Borgo" and cer.configurazioni[0].tipo == "CER"
    assert cer.pratica.stato == "promozione" and cer.pratica.aggiornata_il == OGGI
    auc = proc.nuova_pratica("auc-1", "Condominio Aurora", "AUC")
    assert auc.comunita is None and auc.denominazione == "Condominio Aurora"
    with pytest.raises(proc.ErrorePasso) as e:
        proc.nuova_pratica("con spazi", "", "XYZ")
    assert len(e.value.problemi) == 3
    assert proc.suggerisci_codice("Comunità Energetica del Borgo!", ["comunita-energetica-del-borgo"]) == \
        "comunita-energetica-del-borgo-2"


@pytest.mark.parametrize("oggetto,passo,conf", [
    ("configurazioni[0].punti_connessione[2].cabina_primaria", "configurazioni", 0),
    ("configurazioni[1]", "configurazioni", 1),
    ("configurazioni[1].impianti[0].pod", "impianti", 1),
    ("configurazioni[0].referente.mandato.data_firma", "referente", 0),
    ("configurazioni[0].richiesta_accesso.data_invio", "referente", 0),
    ("comunita.riparto_benefici.produttori", "statuto", None),
    ("comunita.destinazione_eccedenza[0]", "statuto", None),
    ("comunita.organi.presidente", "statuto", None),
    ("comunita.atto_costitutivo.registrazione", "comunita", None),
    ("comunita.sede.cap", "comunita", None),
    ("comunita", "comunita", None),
    ("soggetti[3].codice_fiscale", "soggetti", None),
    ("membri[6]", "soggetti", None),
    ("produttori_terzi[0].impianti[0]", "produttori_terzi", None),
    ("", "riepilogo", None),
])
def test_destinazione_dei_rilievi(oggetto, passo, conf):
    dest = proc.destinazione(oggetto)
    assert (dest.passo, dest.configurazione) == (passo, conf)


def test_ogni_rilievo_degli_esempi_ha_un_passo():
    from cer_docs.services.verifica import verifica_pratica

    for f in CAMPIONI:
        for r in verifica_pratica(load_pratica(f), OGGI).rilievi:
            assert proc.destinazione(r.oggetto).passo != "riepilogo", r.oggetto


def test_file_caricato_illeggibile():
    with pytest.raises(ErrorePratica, match="UTF-8"):
        proc.leggi_pratica_caricata("à".encode("latin-1"), "x.yaml")
    with pytest.raises(ErrorePratica, match="vuoto"):
        proc.leggi_pratica_caricata(b"  ", "x.yaml")
    p = proc.leggi_pratica_caricata((RADICE / "samples" / "pratica-esempio.yaml").read_bytes(), "p.yaml")
    assert p.pratica.id == "cer-colline-sieve"


# --------------------------------------------------------------------------- documenti

@pytest.mark.slow
def test_genera_documenti_con_avanzamento_zip_e_anteprima(ref):
    passi = []
    gen = proc.genera_documenti(ref, ["regolamento"], bozza=True, al=OGGI, formati=["pdf"],
                                avanzamento=lambda fatti, totale, titolo: passi.append((fatti, totale, titolo)),
                                versione=3, adesso=dt.datetime(2026, 11, 22, 10, 30))
    assert passi == [(0, 1, "Regolamento della configurazione"), (1, 1, "")]
    assert [f.file for f in gen.file] == ["regolamento-conf-1-cer-colline-sieve.pdf"]
    assert (Path(gen.cartella) / "regolamento" / "manifest.json").is_file()
    ultima = proc.ultima_generazione("cer-colline-sieve")
    assert ultima == gen
    dati = proc.leggi_file_generato(ultima, ultima.file[0])
    assert dati.startswith(b"%PDF")
    import io
    import zipfile

    nomi = zipfile.ZipFile(io.BytesIO(proc.archivio_zip(gen))).namelist()
    assert sorted(nomi) == ["generazione.json", "regolamento/manifest.json",
                            "regolamento/regolamento-conf-1-cer-colline-sieve.pdf"]
    import shutil

    if shutil.which("pdftoppm"):
        assert proc.anteprima_pdf(dati).startswith(b"\x89PNG")
    with pytest.raises(Exception, match="almeno un documento"):
        proc.genera_documenti(ref, [], bozza=True, al=OGGI)


# --------------------------------------------------------------------------- dati dell'atto notarile (issue 11)

def test_notaio_resta_testo_finche_si_conosce_solo_il_nome(ref):
    v = {**proc.valori_comunita(ref), "atto_forma": "atto_pubblico", "notaio": "Federica Landini, notaio in Bibbiena"}
    p = proc.applica_comunita(ref, v, OGGI)
    assert p.comunita.atto_costitutivo.notaio == "Federica Landini, notaio in Bibbiena"   # formato storico
    v = proc.valori_comunita(p)
    assert (v["notaio"], v["notaio_sede"]) == ("Federica Landini", "Bibbiena")           # letto anche dal testo
    p = proc.applica_comunita(p, {**v, "notaio_distretto": "Arezzo", "notaio_sesso": "F", "notaio_raccolta": "9912",
                                  "repertorio": "18437"}, OGGI)
    n = p.comunita.atto_costitutivo.notaio
    assert (n.nome, n.sede, n.distretto, n.sesso, n.raccolta) == ("Federica Landini", "Bibbiena", "Arezzo", "F", "9912")
    assert p.comunita.atto_costitutivo.repertorio == "18437"
    senza_notaio = {k: x for k, x in proc.valori_comunita(p).items() if not k.startswith("notaio") and k != "repertorio"}
    assert proc.applica_comunita(p, senza_notaio, OGGI).comunita.atto_costitutivo.notaio == n   # passo senza notaio
    with pytest.raises(proc.ErrorePasso) as e:
        proc.applica_comunita(p, {**v, "notaio_sesso": "X"}, OGGI)
    assert _errori(e) == ["Sesso del notaio: scegli una delle voci proposte"]


def test_dettaglio_sesso_cittadinanza_e_poteri_del_rappresentante(ref):
    v = {**proc.valori_dettaglio_soggetto(ref, "comune-san-godenzo"), "rapp_sesso": "M",
         "rapp_poteri_fonte": "deliberazione della Giunta comunale", "rapp_poteri_atto": "n. 7",
         "rapp_poteri_data": dt.date(2026, 2, 3)}
    p = proc.applica_dettaglio_soggetto(ref, "comune-san-godenzo", v, OGGI, OGGI)
    rap = p.soggetto("comune-san-godenzo").rappresentante
    assert rap.sesso == "M" and rap.poteri.fonte == "deliberazione della Giunta comunale"
    assert (rap.poteri.atto, rap.poteri.data) == ("n. 7", dt.date(2026, 2, 3))
    v = {**proc.valori_dettaglio_soggetto(p, "comune-san-godenzo"), "rapp_poteri_fonte": "", "rapp_poteri_atto": "",
         "rapp_poteri_data": None}
    assert proc.applica_dettaglio_soggetto(p, "comune-san-godenzo", v, OGGI, OGGI).soggetto(
        "comune-san-godenzo").rappresentante.poteri is None                           # svuotati: niente poteri
    v = {**proc.valori_dettaglio_soggetto(ref, "rossi-mario"), "sesso": "M", "cittadinanza": "italiana"}
    mario = proc.applica_dettaglio_soggetto(ref, "rossi-mario", v, OGGI, OGGI).soggetto("rossi-mario")
    assert (mario.sesso, mario.cittadinanza) == ("M", "italiana")
    with pytest.raises(proc.ErrorePasso) as e:
        proc.applica_dettaglio_soggetto(ref, "rossi-mario", {**v, "sesso": "Z"}, OGGI, OGGI)
    assert _errori(e) == ["Sesso: scegli una delle voci proposte"]


def test_luogo_del_mandato_e_dell_accordo_si_conservano(ref):
    p = proc.applica_referente(ref, 0, {**proc.valori_referente(ref, 0), "mandato_luogo_firma": " San Godenzo "}, OGGI)
    assert p.configurazioni[0].referente.mandato.luogo_firma == "San Godenzo"
    assert proc.valori_referente(p, 0)["mandato_luogo_firma"] == "San Godenzo"
    righe = [{**r, "luogo_accordo": "Dicomano"} for r in proc.righe_produttori_terzi(p)]
    q = proc.applica_produttori_terzi(p, righe, OGGI)
    assert q.produttori_terzi[0].luogo_accordo == "Dicomano"
    assert _uguali(q, proc.applica_produttori_terzi(q, proc.righe_produttori_terzi(q), OGGI))
