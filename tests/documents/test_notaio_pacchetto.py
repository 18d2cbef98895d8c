"""Ciò che il praticante di uno studio notarile correggeva ancora nel pacchetto (seconda lettura).

Un test per ogni correzione, letto come lo legge il notaio: il luogo di nascita all'estero, le
società senza articolo, il titolare dell'informativa, le dichiarazioni sostitutive rese per un ente,
il regolamento (ruoli e preavviso), il mandato al referente, il verbale dell'assemblea
condominiale che costituisce il gruppo, i rinvii interni in minuscolo.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from aiuti_documenti import AL, SAMPLES, esempio

from cer_docs import italiano
from cer_docs.documents import catalogo as cat
from cer_docs.documents.scrittura_docx import render_docx
from cer_docs.documents.struttura import Tabella
from cer_docs.documents.struttura import testo_canonico as canonico
from cer_docs.model import load_pratica
from cer_docs.model.vocabolario import RUOLI_CANDIDATO, RUOLI_IN_CONFIGURAZIONE, RUOLI_MEMBRO

VALLE = SAMPLES / "cer-valle-due-cabine.yaml"
BORGO = SAMPLES / "cer-fondazione-borgo.yaml"
AURORA = SAMPLES / "auc-condominio-aurora.yaml"
AL_AURORA = dt.date(2026, 11, 16)


def _doc(p, tipo: str, oggetto: str | None = None, al: dt.date = AL):
    rs, _ = cat.richieste(p, [tipo])
    r = next(x for x in rs if oggetto is None or x.oggetto == oggetto or
             (x.configurazione is not None and x.configurazione.id == oggetto))
    return cat.risolvi(p, r, al)


def _testo(p, tipo: str, oggetto: str | None = None, al: dt.date = AL) -> str:
    """Il testo del documento con gli a capo sciolti, come si legge una frase."""
    return " ".join(canonico(_doc(p, tipo, oggetto, al), con_evidenze=False).split())


def _pacchetto(p, al: dt.date = AL) -> str:
    rs, _ = cat.richieste(p, list(cat.ORDINE) + list(cat.ORDINE_PACCHETTO))
    return "\n".join(" ".join(canonico(cat.risolvi(p, r, al), con_evidenze=False).split()) for r in rs)


# ------------------------------------------------------------------ 1. nati all'estero


@pytest.mark.parametrize("luogo, atteso", [
    ("Marocco", "in Marocco"), ("Romania", "in Romania"), ("Perù", "in Perù"),
    ("Stati Uniti", "negli Stati Uniti"), ("Regno Unito", "nel Regno Unito"), ("Filippine", "nelle Filippine"),
    ("Repubblica Dominicana", "nella Repubblica Dominicana"), ("Cuba", "a Cuba"), ("San Marino", "a San Marino"),
    ("Arezzo", "ad Arezzo"), ("Bibbiena", "a Bibbiena"), ("Casablanca (Marocco)", "a Casablanca (Marocco)"),
])
def test_il_luogo_di_nascita_prende_a_o_in_secondo_che_sia_un_comune_o_uno_stato(luogo, atteso):
    assert italiano.luogo_di_nascita(luogo) == atteso


def test_chi_e_nato_all_estero_e_nato_in_uno_stato_non_a_uno_stato():
    aurora = _pacchetto(load_pratica(AURORA), AL_AURORA)
    assert "Fatima El Amrani, nata in Marocco il 19 agosto 1987" in aurora
    valle = _pacchetto(load_pratica(VALLE))
    assert "nato in Romania il 12 settembre 1986" in valle and "nata in Albania il 20 maggio 1991" in valle
    for t in (aurora, valle):
        assert not re.search(r"\bnat[oa] ad? (Marocco|Romania|Albania)\b", t)
    p = load_pratica(AURORA)
    p.soggetto("el-amrani-fatima").nato_a = "Stati Uniti"
    assert "nata negli Stati Uniti il 19 agosto 1987" in _testo(p, "atto_costitutivo_gruppo", al=AL_AURORA)


# ------------------------------------------------------------------ 2. società senza articolo


def test_le_societa_non_prendono_l_articolo_gli_altri_enti_si():
    p = esempio()
    dsan = _testo(p, "dsan", "energia-verde-mugello")
    assert "nella qualità di procuratore speciale di Energia Verde Mugello S.p.A., con sede" in dsan
    assert "per Energia Verde Mugello S.p.A., procuratore speciale" in dsan
    acc = _testo(p, "accordo_produttore_terzo")
    assert "per Energia Verde Mugello S.p.A., procuratore speciale" in acc
    comune = _testo(p, "dsan", "comune-san-godenzo")
    assert "per il Comune di San Godenzo," in comune
    valle = _pacchetto(load_pratica(VALLE))
    assert "per Tessitura Alto Casentino S.r.l., amministratore delegato" in valle
    assert "per Forno di Stia S.a.s. di Corsi Marco & C., socio" in valle
    assert "per la Parrocchia dei Santi Martino e Niccolò a Strada in Casentino" in valle  # un ente: il suo nome vuole l'articolo
    tutto = _pacchetto(p) + valle
    for sbagliato in ("l'Energia Verde Mugello", "dell'Energia Verde Mugello", "l'Appennino Rinnovabili",
                      "dell'Appennino Rinnovabili", "la Tessitura Alto Casentino", "il Forno di Stia S.a.s."):
        assert sbagliato not in tutto, sbagliato
    # la comunità, anche cooperativa, tiene il suo articolo
    assert "per la Comunità Energetica Rinnovabile Valle del Casentino Società Cooperativa" in valle
    # sigle e importi nel testo corrente
    assert "S.p.A.." not in tutto and "S.r.l.." not in tutto
    assert re.search(r"\b10,00\s€ \(euro dieci/00\)", tutto)


# ------------------------------------------------------------------ 3. informativa


def test_informativa_titolare_con_l_articolo_e_destinatari_in_un_elenco_corretto():
    t = _testo(esempio(), "informativa_privacy")
    assert "Il titolare del trattamento è la Comunità Energetica Rinnovabile Colline della Sieve, con sede" in t
    assert ("al GSE, al distributore competente per ciascun punto di connessione, ad Acquirente Unico S.p.A. "
            "quale gestore del Sistema Informativo Integrato e a Terna S.p.A. quale gestore del sistema GAUDÌ, "
            "che li trattano come titolari autonomi") in t
    assert "gestito da Acquirente Unico, e a Terna" not in t
    aurora = _testo(load_pratica(AURORA), "informativa_privacy", al=AL_AURORA)
    assert "Il titolare del trattamento è il Condominio Aurora, con sede" in aurora


# ------------------------------------------------------------------ 4. dichiarazioni sostitutive


@pytest.mark.parametrize("pratica, dichiarante, qualita", [
    (SAMPLES / "pratica-esempio.yaml", "il-poggio", "In qualità di associato"),
    (VALLE, "tessitura-alto-casentino", "In qualità di socio"),
    (BORGO, "caseificio-borgo", "In qualità di associato"),
    (AURORA, "lambertini-giovanni", "In qualità di partecipante"),
])
def test_dsan_sezione_del_membro_col_nome_della_forma_giuridica(pratica, dichiarante, qualita):
    al = AL_AURORA if pratica == AURORA else AL
    t = _testo(load_pratica(pratica), "dsan", dichiarante, al)
    assert qualita in t and "Come membro" not in t and "Come produttore" not in t


def test_dsan_di_un_ente_in_terza_persona_e_titolo_pnrr_non_ripetuto():
    p = esempio()
    poggio = _testo(p, "dsan", "il-poggio")
    assert ("Il sottoscritto Lorenzo Ferri, nato a __________ il __________, codice fiscale FRRLNZ68A21D299C, "
            "nella qualità di amministratore") in poggio
    assert "che la società rappresentata partecipa alla Comunità" in poggio
    assert "che la società rappresentata è il produttore, titolare dell'officina elettrica" in poggio
    assert "che la società rappresentata è titolare dei punti di connessione seguenti e intestataria" in poggio
    assert "che la società rappresentata ha accettato il preventivo di connessione" in poggio
    for prima_persona in ("di essere il produttore", "di partecipare", "di aver accettato", "soggetto rappresentato"):
        assert prima_persona not in poggio, prima_persona
    # il titolo della sezione PNRR non si ripete nella prima riga
    assert "In qualità di beneficiario del contributo PNRR • per «Fotovoltaico sulla copertura della cantina» " \
           "(codice" in poggio
    assert "come beneficiario del contributo PNRR" not in poggio
    # una persona dichiara ancora di sé
    giulia = _testo(p, "dsan", "bianchi-giulia")
    assert "di essere il produttore" in giulia and "rappresentata" not in giulia
    comunita = _testo(p, "dsan", "comunita")
    assert "nella qualità di legale rappresentante della Comunità Energetica Rinnovabile Colline della Sieve" in comunita
    assert "quanto alla «Configurazione San Godenzo capoluogo» (cabina primaria" in comunita


# ------------------------------------------------------------------ 5. regolamento


def test_regolamento_colonna_ruolo_con_le_etichette_del_vocabolario():
    etichette = ({v.etichetta for v in RUOLI_MEMBRO.values()} | {v.etichetta for v in RUOLI_CANDIDATO.values()}
                 | {v.etichetta for v in RUOLI_IN_CONFIGURAZIONE.values()})
    for p, al in ((esempio(), AL), (load_pratica(VALLE), AL), (load_pratica(AURORA), AL_AURORA)):
        rs, _ = cat.richieste(p, ["regolamento"])
        for r in rs:
            doc = cat.risolvi(p, r, al)
            tabelle = [b for b in doc.blocchi if isinstance(b, Tabella)]
            colonne = [(t, [c.titolo for c in t.colonne].index("Ruolo")) for t in tabelle
                       if "Ruolo" in [c.titolo for c in t.colonne]]
            assert colonne
            valori = {riga[i] for t, i in colonne for riga in t.righe}
            assert valori <= etichette | {""}, valori - etichette
            assert not valori & {"prosumer", "consumatore", "produttore membro", "partecipante"}


# (la coerenza del preavviso tra statuto, regolamento e accordo è in test_contenuti_legali:
#  test_preavviso_unico_tra_statuto_regolamento_e_accordo)


# ------------------------------------------------------------------ 6. mandato


def test_mandato_non_ripete_configurazione_e_nel_condominio_nomina_il_referente_con_l_articolo():
    valle = _testo(load_pratica(VALLE), "mandato_referente")
    assert "Configurazione «Configurazione" not in valle and "configurazione «Configurazione" not in valle
    assert "«Configurazione Castel San Niccolò» – cabina primaria AC001E02390" in valle
    assert "convengono quanto segue per la «Configurazione Castel San Niccolò», configurazione della Comunità" in valle
    aurora = _testo(load_pratica(AURORA), "mandato_referente", al=AL_AURORA)
    assert ("ha costituito il «Gruppo di autoconsumo Condominio Aurora», gruppo di autoconsumatori di energia "
            "rinnovabile che agiscono collettivamente, sotteso alla cabina primaria") in aurora
    assert "e ha designato come referente il Condominio Aurora, con sede in Bologna" in aurora
    assert "amministratore del condominio (di seguito «referente»)" not in aurora
    assert "dai condòmini" not in aurora and "dai partecipanti al gruppo che vi hanno aderito" in aurora
    # la nuova inquilina, entrata dopo la deliberazione, firma il mandato di persona
    dopo = aurora.split("e dai partecipanti entrati nel gruppo dopo la deliberazione")[1]
    assert "Martina Rizzoli" in dopo and "Giovanni Lambertini" not in dopo
    doc = _doc(load_pratica(AURORA), "mandato_referente", al=AL_AURORA)
    firme = [f.nome for b in doc.blocchi if b.tipo == "firme" for f in b.firmatari]
    assert "Martina Rizzoli" in firme and "Giovanni Lambertini" not in firme


# ------------------------------------------------------------------ 7. verbale dell'assemblea condominiale


def test_il_gruppo_nel_condominio_nasce_da_un_verbale_non_da_un_contratto():
    p = load_pratica(AURORA)
    doc = _doc(p, "atto_costitutivo_gruppo", al=AL_AURORA)
    t = _testo(p, "atto_costitutivo_gruppo", al=AL_AURORA)
    assert t.startswith("Verbale dell'assemblea condominiale")
    assert "Il presente verbale, insieme con il regolamento della configurazione, è il contratto" not in t
    assert "è il regolamento della configurazione: l'assemblea lo approva con la presente deliberazione e " \
           "ciascun partecipante lo sottoscrive" in t
    assert "la maggioranza degli intervenuti e rappresentano __________ millesimi, pari almeno alla metà del " \
           "valore dell'edificio, come richiedono gli articoli 1120, secondo comma, e 1136, secondo comma" in t
    assert "ai sensi dell'articolo 1120, secondo comma, numero 2), del codice civile" in t
    assert "L'assemblea designa come referente del Gruppo il Condominio Aurora" in t
    assert "di cui è produttore il Condominio Aurora" in t
    assert not doc.articoli(), "un verbale non è diviso in articoli"
    firme = [f.qualifica for b in doc.blocchi if b.tipo == "firme" for f in b.firmatari]
    assert firme == ["il presidente dell'assemblea", "il segretario dell'assemblea"]
    # chi è entrato dopo l'assemblea non compare tra i partecipanti del verbale
    assert "Martina Rizzoli" not in t
    # l'impianto di un singolo condòmino sulle parti comuni: comunicazione dell'art. 1122-bis
    p.configurazioni[0].impianti[0].produttore = "lambertini-giovanni"
    t2 = _testo(p, "atto_costitutivo_gruppo", al=AL_AURORA)
    assert "secondo l'articolo 1122-bis del codice civile" in t2 and "numero 2)" not in t2


def test_l_accordo_privato_del_gruppo_resta_un_contratto_in_articoli():
    p = load_pratica(AURORA)
    p.configurazioni[0].referente.qualifica = "membro"
    p.configurazioni[0].referente.soggetto = "lambertini-giovanni"
    cond = p.soggetto("condominio-aurora")
    cond.tipo = "persona_fisica"
    cond.nome, cond.cognome, cond.denominazione = "Marco", "Zanardi", None
    cond.codice_fiscale = "ZNRMRC71H08A944Y"
    doc = _doc(p, "atto_costitutivo_gruppo", al=AL_AURORA)
    t = _testo(p, "atto_costitutivo_gruppo", al=AL_AURORA)
    assert t.startswith("Atto costitutivo del gruppo di autoconsumatori") and doc.articoli()
    assert "Il presente accordo, insieme con il regolamento della configurazione, è il contratto" in t


# ------------------------------------------------------------------ 8. rinvii interni


def test_i_rinvii_dentro_la_frase_sono_in_minuscolo_nel_pdf_e_nel_docx():
    p = esempio()
    doc = _doc(p, "statuto")
    t = canonico(doc, con_evidenze=False)
    assert re.search(r"dell'art\. \d+", t) and not re.search(r"\b(dell'|all'|l')Art\. \d", t)
    assert re.search(r"^Art\. \d+ – ", t, re.M), "i titoli degli articoli restano «Art. N – …»"
    from docx import Document
    from docx.oxml.ns import qn

    d = Document(io.BytesIO(render_docx(doc)))
    istruzioni = [x.text for x in d.element.body.iter(qn("w:instrText")) if "REF" in (x.text or "")]
    assert istruzioni and all("\\* Lower" in x for x in istruzioni)
    risultati = "".join(x.text or "" for x in d.element.body.iter(qn("w:t")))
    assert "dell'art. " in risultati and "dell'Art. " not in risultati


def test_una_delibera_annullata_non_fa_piu_da_data_del_verbale_ne_del_mandato():
    from cer_docs.practice.annullamento import annulla_fatto

    p = load_pratica(AURORA)
    prima = _testo(p, "atto_costitutivo_gruppo", al=AL_AURORA)
    assert "25 settembre 2025" in prima
    indice = next(i for i, e in enumerate(p.eventi) if e.tipo == "delibera")
    p2 = annulla_fatto(p, indice, "verbale registrato sulla pratica sbagliata", "Prova", AL_AURORA).pratica
    dopo = _testo(p2, "atto_costitutivo_gruppo", al=AL_AURORA)
    assert "25 settembre 2025" not in dopo
    # la storia resta: l'evento c'è ancora, annullato da un altro
    assert len(p2.eventi) == len(p.eventi) + 1 and p2.eventi[indice].tipo == "delibera"


def test_chi_entra_nel_gruppo_dopo_la_firma_del_mandato_vi_aderisce_e_non_figura_tra_chi_l_ha_firmato():
    """Fuori dall'assemblea condominiale il mandato è un contratto firmato in una data: un partecipante
    entrato dopo non può risultarne parte a quella data. Figura in un elenco a sé, «aderisce» con la sua
    firma e la data della sua adesione da completare."""
    from aiuti_documenti import pratica_auc

    p = pratica_auc(("rossi-mario", "bianchi-giulia", "pro-loco"))
    conf = p.configurazioni[0]
    conf.referente.mandato.data_firma = dt.date(2025, 3, 1)
    rossi = next(x for x in conf.punti_connessione if x.soggetto == "rossi-mario")
    rossi.data_ingresso = dt.date(2025, 6, 15)
    testo = _testo(p, "mandato_referente")
    parti, dopo = testo.split("dopo il 1° marzo 2025, data di firma del presente mandato")
    assert "Mario Rossi" not in parti.split("conferisce il presente mandato")[0]
    assert "Mario Rossi" in dopo.split("Da quella data")[0]
    assert "nel gruppo" in testo.split("dopo il 1° marzo 2025")[0][-80:]
    doc = _doc(p, "mandato_referente")
    firme = {f.nome: f.qualifica for b in doc.blocchi if b.tipo == "firme" for f in b.firmatari}
    assert "aderente al mandato in data __________" in firme["Mario Rossi"]
    assert list(firme)[-1] == "Mario Rossi", "chi aderisce firma dopo le parti originarie, referente compreso"
    assert "Pro Loco" in parti.split("conferisce il presente mandato")[0]
    # chi era già nel gruppo alla firma non aderisce: è parte
    rossi.data_ingresso = dt.date(2025, 2, 1)
    testo = _testo(p, "mandato_referente")
    assert "aderiscono" not in testo and "Mario Rossi" in testo.split("conferisce il presente mandato")[0]
