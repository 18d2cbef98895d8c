"""Gli avvisi della generazione nominano i dati rimasti da completare a mano (``__________``) con le
etichette della procedura, dicono di chi sono, si fermano a pochi («e altri N dati») e sono gli stessi
quando la generazione riusa le risoluzioni della cache; l'atto costitutivo avvisa se la data prevista
di firma è già passata. Il testo dei documenti non cambia: i percorsi dei dati non vi compaiono."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest

from cer_docs.documents import catalogo as cat
from cer_docs.documents.cache import CacheDocumenti
from cer_docs.documents.modelli import contesto_modello
from cer_docs.documents.motore import LACUNA, Contesto, lacuna, pulisci_testo, resolve
from cer_docs.documents.specifiche import load_spec
from cer_docs.documents.struttura import testo_canonico as _testo_canonico
from cer_docs.model import load_pratica
from cer_docs.model.vocabolario import DATE_ATTO
from cer_docs.services import catalogo as domande
from cer_docs.services import documenti as svc
from cer_docs.services import procedura as proc

ROOT = Path(__file__).resolve().parents[2]
VALLE = ROOT / "samples" / "cer-valle-due-cabine.yaml"
ESEMPIO = ROOT / "samples" / "pratica-esempio.yaml"
AURORA = ROOT / "samples" / "auc-condominio-aurora.yaml"
AL = dt.date(2025, 10, 20)


def _avvisi_lacune(avvisi: list[str]) -> list[str]:
    return [a for a in avvisi if "(__________)" in a]


def _uno(avvisi: list[str], inizio: str) -> str:
    (a,) = [x for x in avvisi if x.startswith(inizio)]
    return a


# ------------------------------------------------------------------ che cosa dice l'avviso


def test_il_modulo_di_adesione_nomina_l_email_che_manca(tmp_path):
    p = load_pratica(VALLE)
    esito = svc.genera(p, tmp_path / "out", documenti=["modulo_adesione"], formati=["docx"], al=AL)
    a = _uno(esito.avvisi, "Modulo di adesione – Enzo Fabbrini:")
    i = p.indice_soggetto("fabbrini-enzo")
    etichetta = domande.domanda_del_dato(f"soggetti[{i}].email").nome_campo
    assert a == (f"Modulo di adesione – Enzo Fabbrini: resta da completare a mano (__________): {etichetta} "
                 f"(soggetti[{i}].email)")
    assert "dato mancante" not in a
    # il documento è di Enzo Fabbrini: l'avviso non lo ripete («email di Enzo Fabbrini»)
    assert "di Enzo Fabbrini" not in a


def test_l_atto_nomina_i_dati_con_di_chi_sono_e_si_ferma_a_pochi(tmp_path):
    esito = svc.genera(VALLE, tmp_path / "out", documenti=["atto_costitutivo"], formati=["docx"], al=AL)
    a = _uno(esito.avvisi, "Atto costitutivo:")
    assert a.startswith("Atto costitutivo: restano da completare a mano (__________): ")
    # la cittadinanza dei fondatori della cooperativa: un dato, più persone, due per nome e poi quante altre
    assert "cittadinanza di Sara Bargellini, Andrea Cipriani e di altri 4" in a
    assert "poteri di firma del rappresentante di Associazione Culturale La Brigata di Stia" in a
    # le spese di costituzione: due campi del contesto (importo e lettere), un solo dato
    spese = domande.domanda_del_dato("comunita.spese_costituzione_euro").nome_campo
    assert a.count(spese) == 1
    # il primo dato tra parentesi, con l'indice: l'interfaccia lo trasforma nel pulsante «Correggi»
    testo, dest = __import__("ui.passi.documenti", fromlist=["avviso_e_passo"]).avviso_e_passo(a)
    assert dest is not None and dest.passo == "soggetti"
    assert "soggetti[" not in testo and "__________" in testo


def test_oltre_cinque_dati_l_avviso_dice_quanti_altri(tmp_path):
    p = load_pratica(ESEMPIO)
    s = p.soggetto("parrocchia-san-gaudenzio")
    s.codice_fiscale = None
    s.sede = None
    r = s.rappresentante
    r.codice_fiscale = None
    c = p.comunita
    c.atto_costitutivo.data = None
    c.atto_costitutivo.data_prevista = None
    esito = svc.genera(p, tmp_path / "out", documenti=["atto_costitutivo"], formati=["docx"], al=AL)
    a = _uno(esito.avvisi, "Atto costitutivo:")
    doc = cat.risolvi(p, cat.richieste(p, ["atto_costitutivo"], AL)[0][0], AL)
    etichette = {domande.domanda_del_dato(m).nome_campo for m in doc.mancanti if m}
    assert len(etichette) > svc.MANCANTI_IN_VISTA
    altri = len(etichette) - svc.MANCANTI_IN_VISTA + doc.mancanti.count(None)
    assert a.endswith(f" e altri {altri} dati ({a.rsplit('(', 1)[1]}") and a.count(";") == svc.MANCANTI_IN_VISTA - 1
    assert "data di firma dell'atto" in a   # «il __________» della data dell'atto, con l'etichetta della procedura
    assert DATE_ATTO["data"].nome == domande.domanda("comunita.atto_costitutivo.data").nome_campo


def test_il_luogo_della_firma_senza_comunita_e_uno_spazio_voluto(tmp_path):
    """Il luogo della firma nel modulo di un gruppo di autoconsumatori non è un dato della pratica (come la
    data della firma): resta lo spazio nel documento, ma non è un dato mancante e l'avviso non lo conta."""
    p = load_pratica(AURORA)
    esito = svc.genera(p, tmp_path / "out", documenti=["modulo_adesione"], formati=["docx"],
                       al=dt.date(2026, 6, 1))
    avvisi = _avvisi_lacune(esito.avvisi)
    assert not [a for a in avvisi if "dato mancante" in a or "dati mancanti" in a or "altro dato" in a], avvisi
    assert not [a for a in esito.avvisi if a.startswith("Modulo di adesione – Francesca Nanni")]
    (r,) = [x for x in cat.richieste(p, ["modulo_adesione"], dt.date(2026, 6, 1))[0] if x.oggetto == "nanni-francesca"]
    doc = cat.risolvi(p, r, dt.date(2026, 6, 1))
    assert f"{LACUNA}, {LACUNA}" in _testo_canonico(doc) and doc.lacune == 0 and doc.mancanti == []


def test_un_dato_mancante_senza_nome_lascia_l_avviso_di_prima():
    """Un campo mancante di cui il contesto non dice l'origine: l'avviso lo conta come prima, senza
    inventargli un'etichetta; con un dato che ha il nome, «e un altro dato»."""
    p = load_pratica(AURORA)
    (r,) = [x for x in cat.richieste(p, ["modulo_adesione"], AL)[0] if x.oggetto == "nanni-francesca"]
    avvisi: list[str] = []
    svc._avviso_lacune(p, r, [None], avvisi)
    assert avvisi == ["Modulo di adesione – Francesca Nanni: 1 dato mancante è rimasto come spazio da completare "
                      "(__________)"]
    avvisi.clear()
    svc._avviso_lacune(p, r, ["soggetti[id:nanni-francesca].email", None], avvisi)
    assert avvisi and ": restano da completare a mano (__________): " in avvisi[0] and "e un altro dato" in avvisi[0]


# ------------------------------------------------------------------ cache delle risoluzioni


def test_rigenerare_dalla_cache_da_gli_stessi_avvisi_senza_risolvere(tmp_path, monkeypatch):
    documenti = ["atto_costitutivo", "modulo_adesione", "accordo_produttore_terzo"]
    fredda = svc.genera(VALLE, tmp_path / "a", documenti=documenti, formati=["docx", "pdf"], al=AL)
    assert len(_avvisi_lacune(fredda.avvisi)) >= 8

    risolti = []
    vero = cat.risolvi
    monkeypatch.setattr(cat, "risolvi", lambda *a, **k: risolti.append(a[1].tipo.id) or vero(*a, **k))
    calda = svc.genera(VALLE, tmp_path / "b", documenti=documenti, formati=["docx", "pdf"], al=AL)
    assert risolti == [], "la seconda generazione doveva prendere tutto dalla cache"
    assert calda.avvisi == fredda.avvisi
    assert [f.sha256 for f in calda.file] == [f.sha256 for f in fredda.file]


def test_una_voce_di_risoluzione_senza_i_dati_mancanti_non_vale(tmp_path):
    cache = CacheDocumenti(tmp_path / "c", 10 ** 7)
    cache.scrivi_risoluzione("a" * 64, [["v", ["x"]]], "i", {"docx": "k"}, 1, ["comunita.pec"])
    assert cache.leggi_risoluzione("a" * 64)["mancanti"] == ["comunita.pec"]
    # una voce scritta prima (solo il numero): si risolve di nuovo, per avere i nomi dei dati
    cache.scrivi("b" * 64, b'{"letture":[],"impronta":"i","chiavi":{},"lacune":2}', None)
    assert cache.leggi_risoluzione("b" * 64) is None


# ------------------------------------------------------------------ il testo dei documenti non cambia


def test_i_percorsi_dei_dati_non_entrano_nel_testo():
    p = load_pratica(VALLE)
    (r,) = cat.richieste(p, ["atto_costitutivo"], AL)[0]
    ctx = cat.contesto_per(p, r, AL)
    doc = cat.risolvi(p, r, AL, contesto=ctx)
    testo = _testo_canonico(doc)
    assert "\ue004" not in testo and "\ue005" not in testo and "soggetti[id:" not in testo
    assert doc.lacune == len(doc.mancanti) and testo.count(LACUNA) >= doc.lacune
    from cer_docs.documents.scrittura_docx import render_docx

    with zipfile.ZipFile(io.BytesIO(render_docx(doc))) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    assert "soggetti[id:" not in xml and "\ue004" not in xml
    # il contesto dato ai modelli DOCX di uno studio: spazi sì, percorsi no
    dati = repr(contesto_modello(ctx, doc))
    assert LACUNA in dati and "\ue004" not in dati and "soggetti[id:" not in dati


def test_lacuna_nel_testo_resta_solo_lo_spazio():
    assert pulisci_testo(f"nata a {lacuna('soggetti[id:x].nato_a')} il 3") == f"nata a {LACUNA} il 3"
    assert lacuna("comunita.pec").startswith(LACUNA)   # le parole prima dello spazio non cambiano


def test_il_motore_annota_da_dove_viene_un_campo_mancante():
    """Un campo ``None`` nel contesto: il motore ne annota il percorso nel contesto, e ``Contesto.origini``
    lo traduce nel dato della pratica; dentro un ciclo il percorso porta l'indice dell'elemento (ogni
    elemento ha la sua origine); ``SPAZIO_VOLUTO`` non è un dato mancante."""
    from cer_docs.documents import motore

    env = motore._env()
    raccolta: list = []
    tok = motore._raccolta.set(raccolta)
    try:
        istr = motore._istruzioni(motore._albero(env.parse(
            "{{ a.b }} {% for x in el %}{{ x.c }}{% endfor %}{{ luogo }}").body))
        out: list[str] = []
        motore._esegui(istr, [{"a": {"b": None}, "el": [{"c": "x"}, {"c": ""}], "luogo": None}], out)
    finally:
        motore._raccolta.reset(tok)
    mancanti = [v for v in raccolta if isinstance(v, motore._Lacuna)]
    assert [v.campo for v in mancanti] == ["a.b", "el[1].c", "luogo"]
    cont = motore._Contatore({"a.b": "comunita.pec", "el[0].c": "soggetti[0].pec", "el[1].c": "soggetti[1].pec",
                              "luogo": motore.SPAZIO_VOLUTO})
    assert [motore._valore_testo(v, cont) for v in mancanti] == [LACUNA, LACUNA, LACUNA]
    assert cont.mancanti == ["comunita.pec", "soggetti[1].pec"] and cont.lacune == 2


# ------------------------------------------------------------------ data prevista di firma passata


@pytest.mark.parametrize("al, atteso", [(dt.date(2025, 10, 21), True), (dt.date(2025, 10, 20), False)])
def test_atto_non_firmato_con_la_data_prevista_passata(tmp_path, al, atteso):
    p = load_pratica(ESEMPIO)
    p.comunita.atto_costitutivo.data = None
    p.comunita.atto_costitutivo.registrazione = None
    esito = svc.genera(p, tmp_path / "out", documenti=["atto_costitutivo"], formati=["docx"], al=al)
    trovati = [a for a in esito.avvisi if "è già passata" in a]
    if not atteso:
        assert trovati == []
        return
    (a,) = trovati
    assert f"la «{DATE_ATTO['data_prevista'].etichetta}» dell'atto costitutivo (20 ottobre 2025)" in a
    assert domande.domanda("comunita.atto_costitutivo.data_prevista").etichetta == DATE_ATTO["data_prevista"].etichetta
    assert "chiude il primo esercizio il 31 dicembre 2025" in a
    assert f"indica la «{DATE_ATTO['data'].etichetta}»" in a
    testo, dest = __import__("ui.passi.documenti", fromlist=["avviso_e_passo"]).avviso_e_passo(a)
    assert dest is not None and dest.passo == "comunita" and "comunita.atto" not in testo


def test_atto_firmato_non_avvisa_della_data_prevista(tmp_path):
    p = load_pratica(ESEMPIO)   # firmato il giorno previsto
    esito = svc.genera(p, tmp_path / "out", documenti=["atto_costitutivo"], formati=["docx"],
                       al=dt.date(2026, 3, 1))
    assert not [a for a in esito.avvisi if "è già passata" in a]


def test_contesto_con_origini_e_resolve():
    """``resolve`` porta nel documento i dati mancanti, anche dei documenti inclusi (lo statuto allegato)."""
    p = load_pratica(VALLE)
    (r,) = cat.richieste(p, ["atto_costitutivo"], AL)[0]
    ctx = cat.contesto_per(p, r, AL)
    assert ctx.origini["spese_costituzione.importo"] == "comunita.spese_costituzione_euro"
    # senza origini lo stesso spazio resta contato, ma senza nome
    statuto = resolve(load_spec("statuto"), Contesto(ctx.valori, ctx.flag, origini={}))
    assert statuto.lacune == len(statuto.mancanti)
    atto = cat.risolvi(p, r, AL, contesto=ctx)
    assert "comunita.spese_costituzione_euro" in atto.mancanti
    # «Correggi» porta al passo che chiede il dato (Statuto e riparto, sezione «Altre clausole»)
    for dato in ("comunita.spese_costituzione_euro", "comunita.patrimonio_iniziale_euro"):
        assert proc.destinazione(dato).passo == domande.domanda(dato).passo == "statuto"


def test_il_modulo_nomina_l_indirizzo_del_pod_che_manca(tmp_path):
    p = load_pratica(VALLE)
    ci, pi, pc = next((ci, pi, pc) for ci, c in enumerate(p.configurazioni)
                      for pi, pc in enumerate(c.punti_connessione) if pc.soggetto == "fabbrini-enzo")
    pc.indirizzo = None
    esito = svc.genera(p, tmp_path / "out", documenti=["modulo_adesione"], formati=["docx"], al=AL)
    a = _uno(esito.avvisi, "Modulo di adesione – Enzo Fabbrini:")
    etichetta = domande.domanda_del_dato(f"configurazioni[{ci}].punti_connessione[{pi}].indirizzo").nome_campo
    email = domande.domanda_del_dato("soggetti[0].email").nome_campo
    # nell'ordine del documento: prima l'email del richiedente, poi la tabella dei POD
    assert a.startswith(f"Modulo di adesione – Enzo Fabbrini: restano da completare a mano (__________): "
                        f"{email}; {etichetta} (soggetti[")
    assert proc.destinazione(f"configurazioni[{ci}].punti_connessione[{pi}].indirizzo").passo == "configurazioni"


# ------------------------------------------------------------------ impianti, PNRR, atto pubblico

BORGO = ROOT / "samples" / "cer-fondazione-borgo.yaml"


def _borgo_con_pnrr_vuoto():
    """Il promotore ha segnato gli impianti del Borgo come finanziati dal PNRR, senza ancora i dati."""
    from cer_docs.model.pratica import ContributoPnrr

    p = load_pratica(BORGO)
    for c in p.configurazioni:
        for imp in c.impianti:
            imp.contributo_pnrr = ContributoPnrr()
    return p


def test_dsan_e_lettera_nominano_i_dati_del_pnrr_e_il_censimp(tmp_path):
    p = _borgo_con_pnrr_vuoto()
    esito = svc.genera(p, tmp_path / "out", documenti=["dsan", "lettera_fornitori_pnrr"], formati=["docx"], al=AL)
    avvisi = _avvisi_lacune(esito.avvisi)
    assert avvisi and not [a for a in avvisi if "dato mancante" in a or "dati mancanti" in a or "altr" in a], avvisi
    a = _uno(avvisi, "Dichiarazione sostitutiva (DPR 445/2000) – Comune di Montese:")
    polo = "«Fotovoltaico sulla copertura del polo scolastico»"
    for dato in ("codice CENSIMP", "contributo richiesto (€)", "spesa ammissibile (€)", "codice del progetto GSE"):
        assert f"{dato} di {polo}" in a, a
    assert a.endswith("(configurazioni[0].impianti[0].censimp)")
    testo, dest = __import__("ui.passi.documenti", fromlist=["avviso_e_passo"]).avviso_e_passo(a)
    assert dest is not None and dest.passo == "impianti" and "configurazioni[" not in testo
    # la lettera riguarda un impianto: non ripete di quale
    lettera = _uno(avvisi, "Lettera ai fornitori – requisiti delle fatture PNRR – Fotovoltaico sul tetto del caseificio:")
    assert lettera.endswith(": codice del progetto GSE (configurazioni[0].impianti[1].contributo_pnrr.codice_progetto_gse)")


def test_la_data_di_entrata_in_esercizio_che_manca_ha_un_nome():
    p = load_pratica(BORGO)
    imp = p.configurazioni[0].impianti[1]
    imp.data_entrata_esercizio_prevista = None
    (r,) = [x for x in cat.richieste(p, ["dsan"], AL)[0] if x.oggetto == imp.produttore]
    doc = cat.risolvi(p, r, AL)
    percorso = f"configurazioni[id:{p.configurazioni[0].id}].impianti[id:{imp.id}]"
    assert doc.mancanti == [f"{percorso}.censimp", f"{percorso}.data_entrata_esercizio_prevista"]
    assert "entrata in esercizio prevista per il __________" in _testo_canonico(doc)


def test_la_data_in_lettere_dell_atto_pubblico_ha_un_nome():
    p = load_pratica(VALLE)
    a = p.comunita.atto_costitutivo
    assert a.forma == "atto_pubblico"
    a.data = a.data_prevista = None
    (r,) = cat.richieste(p, ["atto_costitutivo"], AL)[0]
    doc = cat.risolvi(p, r, AL)
    assert f"anno {LACUNA}, il giorno {LACUNA} del mese di {LACUNA}" in _testo_canonico(doc)
    assert doc.mancanti.count("comunita.atto_costitutivo.data") >= 3
    avvisi: list[str] = []
    svc._avviso_lacune(p, r, doc.mancanti, avvisi)
    assert avvisi[0].count("data di firma dell'atto") == 1


@pytest.mark.parametrize("quanti, atteso", [
    (1, "poteri di firma del rappresentante di A"),
    (2, "poteri di firma del rappresentante di A e di B"),
    (3, "poteri di firma del rappresentante di A, B e di C"),
    (4, "poteri di firma del rappresentante di A, B e di altri 2"),
])
def test_di_chi_manca_il_dato_nomina_anche_il_terzo(quanti, atteso):
    p = load_pratica(VALLE)
    nomi = "ABCD"
    for i, s in enumerate(p.soggetti[:quanti]):
        s.denominazione, s.tipo = nomi[i], "associazione"
        s.nome = s.cognome = None
    (r,) = cat.richieste(p, ["atto_costitutivo"], AL)[0]
    avvisi: list[str] = []
    svc._avviso_lacune(p, r, [f"soggetti[{i}].rappresentante.poteri.fonte" for i in range(quanti)], avvisi)
    assert f": {atteso} (soggetti[0]" in avvisi[0], avvisi[0]


def test_gli_esempi_non_hanno_avvisi_che_contano_soltanto(tmp_path):
    """Con le pratiche d'esempio nessun avviso dice solo quanti dati mancano: ciascuno ha il suo nome."""
    for f in sorted((ROOT / "samples").glob("*.yaml")):
        esito = svc.genera(f, tmp_path / f.stem, formati=["docx"], al=AL)
        vecchi = [a for a in esito.avvisi if "dato mancante è" in a or "dati mancanti sono" in a or "altro dato" in a
                  or "di un altro" in a or "altri dati" in a]
        assert not vecchi, (f.name, vecchi)


def test_l_eccedenza_non_indicata_porta_al_campo():
    p = load_pratica(BORGO)
    p.comunita.destinazione_eccedenza = []
    (r,) = cat.richieste(p, ["statuto"], AL)[0]
    (a,) = [x for x in cat.contesto_per(p, r, AL).avvisi if "destinazione dell'eccedenza" in x]
    testo, dest = __import__("ui.passi.documenti", fromlist=["avviso_e_passo"]).avviso_e_passo(a)
    assert dest is not None and dest.passo == domande.domanda("comunita.destinazione_eccedenza").passo
    assert testo.endswith("lo statuto riporta entrambe le destinazioni ammesse")


def test_pnrr_dalla_cache_gli_stessi_avvisi(tmp_path):
    p = _borgo_con_pnrr_vuoto()
    documenti = ["dsan", "lettera_fornitori_pnrr"]
    fredda = svc.genera(p, tmp_path / "a", documenti=documenti, formati=["docx"], al=AL)
    calda = svc.genera(p, tmp_path / "b", documenti=documenti, formati=["docx"], al=AL)
    assert calda.avvisi == fredda.avvisi and [f.sha256 for f in calda.file] == [f.sha256 for f in fredda.file]


def test_i_percorsi_degli_impianti_non_entrano_nel_contesto_dei_modelli_dello_studio():
    p = _borgo_con_pnrr_vuoto()
    (r,) = [x for x in cat.richieste(p, ["dsan"], AL)[0] if x.oggetto == "comune-montese"]
    ctx = cat.contesto_per(p, r, AL)
    doc = cat.risolvi(p, r, AL, contesto=ctx)
    dati = repr(contesto_modello(ctx, doc))
    assert "CENSIMP" in _testo_canonico(doc) and LACUNA in dati
    assert "\ue004" not in dati and "configurazioni[id:" not in dati


def test_le_celle_vuote_del_registro_e_del_regolamento_hanno_un_nome():
    """Una cella vuota di una tabella conta come dato mancante quando il contesto ne dice l'origine."""
    p = load_pratica(BORGO)
    s = p.soggetto("bertoni-luca")
    s.codice_fiscale = None
    p.comunita.quota_associativa_euro = None
    conf = p.configurazioni[0]
    conf.punti_connessione[0].uso = None
    avvisi: list[str] = []
    for r in cat.richieste(p, ["registro_membri", "regolamento"], AL)[0]:
        doc = cat.risolvi(p, r, AL)
        svc._avviso_lacune(p, r, doc.mancanti, avvisi)
    reg = _uno(avvisi, "Registro dei membri:")
    # senza quota nello statuto la quota di ciascun membro resta da scrivere: di chi, due nomi e quanti altri
    assert "codice fiscale di Luca Bertoni" in reg
    assert "quota versata (€) di Comune di Montese, Chiara Ferrari e di altri 5" in reg
    assert "dato mancante" not in reg and "altro dato" not in reg
    regol = _uno(avvisi, "Regolamento della configurazione")
    uso = domande.domanda_del_dato("configurazioni[0].punti_connessione[0].uso").nome_campo
    assert f": {uso} (configurazioni[0].punti_connessione[0].uso)" in regol


def test_l_atto_senza_quota_nomina_la_quota_associativa():
    p = load_pratica(BORGO)
    p.comunita.quota_associativa_euro = None
    (r,) = cat.richieste(p, ["atto_costitutivo"], AL)[0]
    doc = cat.risolvi(p, r, AL)
    assert f"iniziale è di euro {LACUNA}, che ciascun fondatore" in _testo_canonico(doc)
    assert "comunita.quota_associativa_euro" in doc.mancanti
    avvisi: list[str] = []
    svc._avviso_lacune(p, r, doc.mancanti, avvisi)
    assert domande.domanda_del_dato("comunita.quota_associativa_euro").nome_campo in avvisi[0]
