"""Il contenuto giuridico, forma per forma, letto come lo legge un notaio (issue 11 §3 e §4).

Ogni test dice che cosa il notaio controlla e lo cerca nel testo del documento generato: le
clausole della cooperativa (art. 2521 e ss. c.c.), dell'ente del Terzo settore e dell'impresa
sociale, il patrimonio per la personalità giuridica, il corrispettivo di recesso PNRR, l'atto
notarile e la scrittura privata, il regolamento, il mandato, l'accordo, l'informativa privacy, i
registri e i moduli, l'atto costitutivo del gruppo di autoconsumatori, i dati da completare.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from aiuti_documenti import AL, SAMPLES, esempio, pratica_auc, variante

from cer_docs.documents import catalogo as cat
from cer_docs.documents.motore import LACUNA
from cer_docs.documents.scrittura_docx import render_docx
from cer_docs.documents.struttura import testo_canonico as canonico
from cer_docs.model import load_pratica
from cer_docs.model.pratica import Notaio, PoteriRappresentanza
from cer_docs.rules import verifica
from cer_docs.rules.base import param, parametro
from cer_docs.rules.forme_giuridiche import forma_giuridica

VALLE = SAMPLES / "cer-valle-due-cabine.yaml"
BORGO = SAMPLES / "cer-fondazione-borgo.yaml"
AURORA = SAMPLES / "auc-condominio-aurora.yaml"
NBSP = "\u00a0"


def _doc(p, tipo: str, al: dt.date = AL, oggetto: str | None = None):
    rs, _ = cat.richieste(p, [tipo])
    r = next(x for x in rs if oggetto is None or x.oggetto == oggetto or
             (x.configurazione is not None and x.configurazione.id == oggetto))
    return cat.risolvi(p, r, al)


def _testo(p, tipo: str, al: dt.date = AL, oggetto: str | None = None) -> str:
    return canonico(_doc(p, tipo, al, oggetto), con_evidenze=False)


def _statuto_e_atto(p) -> str:
    """Il testo dell'atto prima dell'allegato (lo statuto) e quello dello statuto."""
    t = _testo(p, "atto_costitutivo")
    return t.split("Allegato A all'atto costitutivo")[0]


def _regole(p, al: dt.date = AL) -> dict[str, list]:
    out: dict[str, list] = {}
    for r in verifica(p, al):
        out.setdefault(r.codice, []).append(r)
    return out


# ----------------------------------------------------------------------------- forme giuridiche


def test_proprieta_delle_forme_dai_parametri_datati():
    assert forma_giuridica("cooperativa", AL).richiede_notaio
    assert not forma_giuridica("associazione_non_riconosciuta", AL).richiede_notaio
    assert forma_giuridica("fondazione_partecipazione", AL).organo_controllo_obbligatorio
    fr = forma_giuridica("associazione_riconosciuta", AL)
    assert fr.personalita_giuridica and fr.patrimonio_minimo.nome_fondo == "fondo patrimoniale di garanzia"
    # la cifra del patrimonio minimo per il riconoscimento è di prassi: parametro non confermato
    assert parametro("patrimonio_minimo_personalita").non_confermato
    assert not fr.patrimonio_minimo.confermato
    assert fr.patrimonio_minimo.importo == Decimal(str(param("patrimonio_minimo_personalita", AL)
                                                       ["associazione_riconosciuta"]))
    assert forma_giuridica("ets_associazione", AL).patrimonio_minimo.facoltativo


# ----------------------------------------------------------------------------- cooperativa


def test_statuto_cooperativa_riserva_legale_fondi_mutualistici_ristorni():
    t = _testo(load_pratica(VALLE), "statuto")
    req = param("cooperativa_requisiti", AL)
    assert "articolo 2545-quater" in t and f"non inferiore al {req['riserva_legale_pct']}% alla riserva legale" in t
    assert f"il {req['fondi_mutualistici_pct']}% ai fondi mutualistici" in t
    assert "articolo 11 della legge 31 gennaio 1992, n. 59" in t
    assert "ristorno" in t and "articolo 2545-sexies" in t


def test_statuto_cooperativa_prevalenza_e_opposizione_all_esclusione_in_sessanta_giorni():
    t = _testo(load_pratica(VALLE), "statuto")
    assert "articolo 2512" in t and "parametri dell'articolo 2513" in t
    assert "opposizione al tribunale entro sessanta giorni dalla comunicazione, secondo l'articolo 2533" in t
    # il termine interno di trenta giorni per il ricorso vale per le altre forme, non per la cooperativa
    assert "entro trenta giorni dalla comunicazione può ricorrere" not in t


def test_statuto_cooperativa_amministratori_persone_fisiche_art_2542():
    t = _testo(load_pratica(VALLE), "statuto")
    assert "Gli amministratori sono persone fisiche" in t and "articolo 2542" in t
    assert "indicate dai soci cooperatori che sono enti o persone giuridiche" in t


def test_cooperativa_regole_srl_o_spa_citate_in_modo_coerente():
    grande = _testo(load_pratica(VALLE), "statuto")        # più di venti soci
    assert "le norme sulla società per azioni" in grande and "società a responsabilità limitata" not in grande
    piccola = _testo(variante("cooperativa", "atto_pubblico"), "statuto")  # sei soci
    assert "le norme sulla società a responsabilità limitata" in piccola
    assert "secondo l'articolo 2519, secondo comma" in piccola
    assert "si applicano alla Comunità, in quanto compatibili, le norme sulla società per azioni" not in piccola


def test_atto_cooperativa_cittadinanza_dei_soci_e_spese_di_costituzione():
    p = load_pratica(VALLE)
    p.soggetto("bargellini-sara").cittadinanza = "italiana"
    p.comunita.spese_costituzione_euro = Decimal("2500.00")
    t = _statuto_e_atto(p)
    assert "codice fiscale BRGSRA76C51A851L, di cittadinanza italiana" in t
    assert f"spese per la costituzione poste a carico della Comunità è di 2.500,00{NBSP}€ (euro duemilacinquecento/00)" in t
    # un socio ente siede in consiglio tramite la persona fisica che indica
    assert "Luca Santoni (codice fiscale SNTLCU70T02H008I), indicato dal socio Comune di Pratovecchio Stia" in t
    assert "Valentina Fiorini (codice fiscale FRNVNT80R43A390J), indicata dal socio" in t


def test_verifica_cooperativa_con_pochi_soci():
    r = _regole(variante("cooperativa", "atto_pubblico"))
    assert r["COOPERATIVA_SOCI_MINIMI"][0].gravita == "avviso"


# ----------------------------------------------------------------------------- ETS e impresa sociale


def test_ets_acronimo_solo_dopo_l_iscrizione_al_runts():
    p = load_pratica(BORGO)
    assert p.comunita.denominazione.endswith(" ETS")
    statuto = _testo(p, "statuto")
    assert "«Comunità Energetica Rinnovabile del Borgo di Montese»" in statuto
    assert "Montese ETS" not in statuto
    assert "Soltanto dalla data dell'iscrizione la denominazione è integrata dall'acronimo «ETS»" in statuto
    assert "Montese ETS" not in _testo(p, "atto_costitutivo")
    assert _regole(p)["ETS_DENOMINAZIONE"][0].gravita == "avviso"


def test_ets_attivita_con_lettera_amministratori_e_controllo_pubblico():
    t = _testo(load_pratica(BORGO), "statuto")
    lettera = param("attivita_interesse_generale_energia", AL)["cts_art_5"]
    assert f"dell'articolo 5, comma 1, lettera {lettera}), del Codice del Terzo settore" in t
    assert "La maggioranza degli amministratori è scelta tra le persone fisiche associate" in t
    assert "articolo 26, comma 1" in t
    assert "non possono esercitare su di essa, né singolarmente né congiuntamente" in t
    assert "articolo 4, comma 2, del Codice del Terzo settore" in t


def test_clausola_motivata_incentivi_ai_membri_non_sono_utili():
    t = _testo(load_pratica(BORGO), "statuto")
    assert "non costituisce distribuzione, neppure indiretta, di utili o avanzi di gestione ai sensi dell'articolo 8" in t
    assert "per le seguenti ragioni" in t and "mai in proporzione alle quote associative" in t
    # la Ris. 37/E/2024, nota solo da sintesi di terzi, non si cita nello statuto (test_notaio_rilettura)
    assert "37/E" not in t


def test_impresa_sociale_con_la_sua_legge():
    t = _testo(variante("impresa_sociale", "atto_pubblico"), "statuto")
    assert "dell'articolo 2, comma 1, lettera" in t and "decreto legislativo 3 luglio 2017, n. 112" in t
    assert "articolo 4, comma 3, del decreto legislativo 3 luglio 2017, n. 112" in t
    assert "le imprese con scopo di lucro" in t
    assert "La nomina della maggioranza dei componenti" in t and "articolo 7" in t
    assert "ai sensi dell'articolo 3 del decreto legislativo 3 luglio 2017, n. 112, per le seguenti ragioni" in t


def test_verifica_controllo_pubblico_nell_ets():
    p = variante("ets_associazione")
    for s in p.soggetti:
        if s.tipo != "persona_fisica":
            s.tipo = "ente_territoriale"
    assert "ETS_CONTROLLO_PUBBLICO" in _regole(p)


# ----------------------------------------------------------------------------- patrimonio


def test_associazione_riconosciuta_fondo_patrimoniale_di_garanzia():
    p = variante("associazione_riconosciuta", "atto_pubblico")
    p.comunita.patrimonio_iniziale_euro = Decimal("20000.00")
    statuto = _testo(p, "statuto")
    assert "forma il fondo patrimoniale di garanzia" in statuto
    atto = _statuto_e_atto(p)
    assert "Quote associative e fondo patrimoniale di garanzia" in atto
    assert f"costituiscono inoltre il fondo patrimoniale di garanzia previsto dallo statuto, conferendo la somma " \
           f"complessiva di 20.000,00{NBSP}€ (euro ventimila/00)" in atto


def test_fondazione_fondo_di_dotazione():
    p = variante("fondazione_partecipazione", "atto_pubblico")
    p.comunita.patrimonio_iniziale_euro = Decimal("50000.00")
    atto = _statuto_e_atto(p)
    assert "Fondo di dotazione" in atto
    assert f"I Fondatori conferiscono al fondo di dotazione la somma complessiva di 50.000,00{NBSP}€" in atto


@pytest.mark.parametrize("forma", ["associazione_riconosciuta", "fondazione_partecipazione"])
def test_verifica_patrimonio_sotto_il_minimo_e_un_avviso_perche_la_cifra_e_di_prassi(forma):
    p = variante(forma, "atto_pubblico")
    assert _regole(p)["PATRIMONIO_MANCANTE"][0].gravita == "avviso"
    minimo = Decimal(str(param("patrimonio_minimo_personalita", AL)[forma]))
    p.comunita.patrimonio_iniziale_euro = minimo - 1
    r = _regole(p)["PATRIMONIO_INSUFFICIENTE"][0]
    assert r.gravita == "avviso" and "prassi" in r.messaggio and "DPR 361/2000" in r.riferimento
    p.comunita.patrimonio_iniziale_euro = minimo      # al limite: nessun rilievo
    assert "PATRIMONIO_INSUFFICIENTE" not in _regole(p)
    assert all(x.gravita != "errore" for x in verifica(p, AL) if x.codice.startswith("PATRIMONIO"))


# ----------------------------------------------------------------------------- recesso PNRR


def test_corrispettivo_di_recesso_pnrr_proporzionato_e_limitato():
    p = esempio()
    assert p.comunita.recesso.restituzione_contributo_pnrr.quota_dopo == 50
    t = _testo(p, "statuto")
    anni = int(param("pnrr_esercizio_minimo_anni", AL))
    assert f"prima che siano trascorsi {anni} (cinque) anni dall'entrata in esercizio" in t
    assert "moltiplicata per la frazione del periodo di vincolo non ancora trascorsa" in t
    assert "non può in alcun caso superare il contributo effettivamente ricevuto" in t
    assert "nessuna somma è dovuta se il recesso ha effetto dopo la scadenza del periodo di vincolo" in t
    # un corrispettivo dopo il vincolo non sarebbe proporzionato: lo statuto non lo riporta
    assert "pari al 50" not in t


# ----------------------------------------------------------------------------- atto costitutivo


def test_atto_notarile_nomina_il_notaio_una_volta_con_sede_e_distretto():
    t = _statuto_e_atto(load_pratica(VALLE))
    assert t.startswith("Repertorio n. 18437 – Raccolta n. 9912")
    assert "innanzi a me dottoressa Federica Landini, notaio in Bibbiena, iscritta nel ruolo del Distretto " \
           "notarile di Arezzo, sono presenti" in t
    assert t.count("Federica Landini") == 1
    assert t.count("Distretto notarile di Arezzo") == 1 and t.count("notaio in Bibbiena") == 1
    assert "della cui identità personale io notaio sono certo" in t
    assert "ne ho dato lettura" in t and "lo sottoscrivono con me notaio" in t
    assert "\nIl notaio\n" in t


def test_atto_notarile_con_notaio_in_testo_libero():
    p = variante("associazione_riconosciuta", "atto_pubblico")
    p.comunita.atto_costitutivo.notaio = "Mario Verdi, notaio in Firenze"
    t = _statuto_e_atto(p)
    assert "innanzi a me dottor/dottoressa Mario Verdi, notaio in Firenze, iscritto/a nel ruolo del Distretto " \
           f"notarile di {LACUNA}" in t
    assert t.count("Mario Verdi") == 1


def test_autentica_delle_firme_con_i_dati_del_notaio():
    p = variante(None, "scrittura_privata_autenticata")
    p.comunita.atto_costitutivo.notaio = Notaio(nome="Anna", cognome="Neri", sesso="F", sede="Borgo San Lorenzo",
                                                distretto="Firenze, Pistoia e Prato")
    t = _statuto_e_atto(p)
    assert "Io sottoscritta dottoressa Anna Neri, notaio in Borgo San Lorenzo, iscritta nel ruolo del Distretto " \
           "notarile di Firenze, Pistoia e Prato, certifico che" in t
    assert "La Comunità è costituita con la sottoscrizione del presente atto" in t
    assert "data certa dal giorno in cui è avvenuta, secondo l'articolo 2704" in t


def test_scrittura_privata_costituisce_alla_firma_e_la_registrazione_da_data_certa():
    t = _statuto_e_atto(esempio())
    assert "La Comunità è costituita con la sottoscrizione del presente atto da parte di tutti i fondatori" in t
    assert "la registrazione gli conferisce data certa nei confronti dei terzi, secondo l'articolo 2704" in t
    assert "la data di costituzione della Comunità è quella della registrazione" not in t


def test_primi_organi_coerenti_con_lo_statuto():
    p = esempio()
    statuto = _testo(p, "statuto")
    assert "Il Presidente è eletto dal Consiglio direttivo tra i propri componenti" in statuto
    atto = _statuto_e_atto(p)
    assert "nominano, per i primi tre esercizi, il Consiglio direttivo" in atto
    assert "Il Consiglio direttivo così nominato" in atto and "elegge tra i propri componenti" in atto
    # senza consiglio nei dati l'atto lo nomina comunque, con i nomi da completare
    p.comunita.organi.consiglio_direttivo = []
    atto = _statuto_e_atto(p)
    assert f"il Consiglio direttivo, composto dai seguenti consiglieri: {LACUNA}" in atto


def test_fonte_dei_poteri_dei_rappresentanti():
    t = _statuto_e_atto(load_pratica(VALLE))
    assert "sindaco pro tempore, munito dei poteri necessari in forza della deliberazione del Consiglio comunale " \
           "n. 18 del 28 aprile 2025" in t
    assert "in forza dell'autorizzazione dell'Ordinario diocesano di Fiesole" in t
    p = esempio()
    p.soggetto("comune-san-godenzo").rappresentante.poteri = PoteriRappresentanza(
        fonte="deliberazione della Giunta comunale", atto="n. 7")
    assert "in forza della deliberazione della Giunta comunale n. 7" in _statuto_e_atto(p)


def test_verifica_elenca_i_dati_mancanti_prima_della_firma():
    p = esempio()
    p.comunita.atto_costitutivo.data = None
    r = _regole(p)["ATTO_DATI_MANCANTI"][0]
    assert r.gravita == "avviso"
    assert "luogo di nascita del rappresentante di Il Poggio" in r.messaggio
    assert "l'atto da cui Comune di San Godenzo trae i poteri di firma" in r.messaggio
    # firmato l'atto, non si chiede più di completarlo
    p.comunita.atto_costitutivo.data = AL
    assert "ATTO_DATI_MANCANTI" not in _regole(p)


def test_dati_mancanti_evidenziati_nel_docx():
    from docx import Document

    d = Document(io.BytesIO(render_docx(_doc(esempio(), "atto_costitutivo"))))
    lacune = [r for p in d.paragraphs for r in p.runs if r.text == LACUNA]
    assert lacune, "l'atto d'esempio ha dati da completare"
    assert all(r.font.highlight_color is not None for r in lacune)
    # nessun trattino basso «muto» nel testo corrente: ogni lacuna è un run evidenziato a sé
    assert not [r for p in d.paragraphs for r in p.runs if LACUNA in r.text and r.text != LACUNA]


# ----------------------------------------------------------------------------- regolamento


def test_regolamento_quota_del_produttore_terzo_di_che_cosa_e_chi_riceve_il_resto():
    t = _testo(esempio(), "regolamento")
    assert f"al quale spetta il 30% della tariffa premio che il GSE riconosce sull'energia condivisa " \
           "attribuita ai suoi impianti" in t
    assert f"il restante 70% di quella tariffa e l'intero contributo per la valorizzazione" in t
    assert "restano alla Comunità" in t


def test_regolamento_riduzione_1_meno_f_e_impianti_dei_membri():
    t = _testo(esempio(), "regolamento")
    assert "La minore tariffa premio che deriva dalla riduzione grava soltanto sulla parte dei benefici " \
           "attribuita agli impianti finanziati" in t
    assert "la differenza si detrae dalla quota del produttore dell'impianto finanziato" in t
    assert "Il partecipante che è titolare di un impianto della configurazione lo mette a disposizione della " \
           "Comunità con l'adesione al presente regolamento, senza trasferirne la proprietà" in t


def test_preavviso_unico_tra_statuto_regolamento_e_accordo():
    """Una sola regola nei tre documenti: il preavviso dello statuto (sei mesi) vale per il recesso
    dalla Comunità; l'uscita dalla configurazione non lo attende (art. 32 c. 1 lett. b D.lgs.
    199/2021), e il produttore terzo, che non è membro, esce come il regolamento prevede."""
    p = esempio()
    assert p.comunita.recesso.preavviso_mesi == 6
    statuto = " ".join(_testo(p, "statuto").split())
    assert "il preavviso di 6 (sei) mesi" in statuto
    assert "L'uscita dalla configurazione dei punti di connessione e degli impianti dell'associato receduto non " \
           "è subordinata al decorso di tale termine" in statuto
    reg = " ".join(_testo(p, "regolamento").split())
    assert "dalla configurazione, con comunicazione scritta al referente, senza preavviso;" in reg
    assert "il preavviso di sei mesi ivi previsto riguarda soltanto il rapporto con la Comunità e non ritarda " \
           "l'uscita dalla configurazione" in reg
    acc = " ".join(_testo(p, "accordo_produttore_terzo").split())
    assert "senza preavviso, come il regolamento della configurazione prevede per l'uscita degli impianti" in acc
    for t in (reg, acc):
        assert "con un preavviso di sei mesi" not in t


def test_regolamento_approvato_dall_assemblea_con_data_e_firme():
    t = _testo(esempio(), "regolamento")
    assert f"Approvato dall'Assemblea della Comunità nella riunione del {LACUNA}, come risulta dal relativo " \
           "verbale." in t
    assert "Giulia Bianchi (il Presidente)" in t and "(il segretario della riunione)" in t


def test_regolamento_auc_senza_parole_della_cer():
    t = _testo(load_pratica(AURORA), "regolamento")
    for parola in ("Comunità", "statuto", "associat", "soci ", "CER"):
        assert parola not in t, parola
    assert "parte integrante dell'atto costitutivo del gruppo" in t


# ----------------------------------------------------------------------------- mandato e accordo


def _esempio_con_esco():
    p = esempio()
    conf = p.configurazioni[0]
    conf.referente.qualifica = "esco_uni_11352"
    conf.referente.soggetto = "energia-verde-mugello"
    conf.referente.mandato.data_firma = dt.date(2025, 11, 3)
    conf.referente.mandato.luogo_firma = "Borgo San Lorenzo"
    return p


def test_mandato_il_referente_versa_al_soggetto_delegato_e_non_ripartisce():
    t = _testo(_esempio_con_esco(), "mandato_referente")
    assert "versare alla Comunità gli importi ricevuti dal GSE, senza trattenerli né ripartirli, perché li " \
           "ripartisca secondo lo statuto" in t
    assert "ripartire gli importi ricevuti dal GSE" not in t


def test_mandato_luogo_data_e_durata_dai_dati():
    t = _testo(_esempio_con_esco(), "mandato_referente")
    assert "Fatto a Borgo San Lorenzo, il 3 novembre 2025." in t
    durata = int(param("referente_mandato_durata_anni", AL))
    assert durata == 1 and "Il mandato ha la durata di un anno dalla sottoscrizione e si rinnova tacitamente" in t


def test_mandato_auc_cita_l_atto_del_gruppo_non_uno_statuto():
    t = _testo(load_pratica(AURORA), "mandato_referente")
    assert "statuto" not in t
    assert "secondo l'atto costitutivo del gruppo e il regolamento della configurazione" in t


def test_accordo_luogo_e_data_dai_dati():
    p = esempio()
    t = next(x for x in p.produttori_terzi if x.soggetto == "energia-verde-mugello")
    t.luogo_accordo = "Dicomano"
    t.data_accordo = dt.date(2025, 10, 8)
    t = _testo(p, "accordo_produttore_terzo")
    assert "Fatto a Dicomano, l'8 ottobre 2025." in t


# ----------------------------------------------------------------------------- informativa


def test_informativa_basi_giuridiche_per_finalita_e_art_22():
    t = _testo(esempio(), "informativa_privacy")
    basi = param("privacy_basi_giuridiche", AL)
    for lettera in set(basi.values()):
        assert f"articolo 6, paragrafo 1, lettera {lettera}), del Regolamento (UE) 2016/679" in t
    assert "Non è svolto alcun processo decisionale automatizzato, compresa la profilazione" in t
    assert "rendicontare il contributo PNRR" in t


def test_informativa_conservazione_per_finalita_da_parametri():
    t = _testo(esempio(), "informativa_privacy")
    cons = param("privacy_conservazione", AL)
    assert cons["dopo_cessazione_rapporto"] == 10
    assert "per la durata della partecipazione e per dieci anni dalla sua cessazione" in t
    assert "per il periodo di diritto alla tariffa premio, pari a venti anni" in t
    assert "i documenti contabili e fiscali, per dieci anni" in t


def test_informativa_destinatari_gse_e_distributore():
    t = _testo(esempio(), "informativa_privacy")
    assert "al GSE, al distributore competente per ciascun punto di connessione" in t
    assert "titolari autonomi" in t


def test_informativa_dpo_se_il_titolare_e_un_ente_pubblico():
    p = pratica_auc()
    p.configurazioni[0].referente.soggetto = "comune-san-godenzo"
    t = _testo(p, "informativa_privacy")
    assert f"ha designato il responsabile della protezione dei dati, contattabile all'indirizzo {LACUNA}" in t
    privato = _testo(pratica_auc(), "informativa_privacy")
    assert "ha designato il responsabile della protezione dei dati" not in privato


# ----------------------------------------------------------------------------- registri e moduli


def test_i_fondatori_non_chiedono_l_ammissione():
    p = load_pratica(VALLE)
    moduli = {r.oggetto for r in cat.richieste(p, ["modulo_adesione"])[0]}
    assert moduli and not moduli & set(p.comunita.fondatori)
    _, note = cat.richieste(esempio(), ["modulo_adesione"])
    assert note and "fondatori" in note[0]


def test_registro_quote_dei_fondatori_e_nessun_iscritto_prima_della_costituzione():
    p = esempio()
    t = _testo(p, "registro_membri")
    assert f"| fondatore | 20/10/2025 | – | 10,00{NBSP}€" in t
    prima = _testo(p, "registro_membri", al=dt.date(2025, 9, 1))
    assert "la Comunità non è ancora costituita" in prima and "nessuno vi è ancora iscritto" in prima
    assert "iscritti sono" not in prima
    assert "| alla costituzione |" in prima


def test_dsan_firmata_nel_comune_del_dichiarante():
    p = load_pratica(VALLE)
    t = _testo(p, "dsan", oggetto="ugolini-francesco")
    assert "\nCastel San Niccolò, " in t


def test_lettera_pnrr_avvisa_se_datata_dopo_la_fine_dei_lavori_e_tempo_del_contributo():
    p = esempio()
    imp = next(i for _, _, i in p.impianti() if i.id == "fv-cantina")
    imp.contributo_pnrr.data_fine_lavori = dt.date(2026, 3, 31)
    al = dt.date(2026, 6, 1)
    rs, _ = cat.richieste(p, ["lettera_fornitori_pnrr"])
    ctx = cat.contesto_per(p, rs[0], al)
    assert any("dopo la fine dei lavori" in a for a in ctx.avvisi)
    t = _testo(p, "lettera_fornitori_pnrr", al=al)
    assert "Poiché i lavori risultano conclusi il 31 marzo 2026" in t
    assert "concesso dal GSE il 12 maggio 2026" in t
    assert "in attesa di concessione" in _testo(p, "lettera_fornitori_pnrr", al=AL)


# ----------------------------------------------------------------------------- gruppo di autoconsumatori


def test_atto_costitutivo_del_gruppo_in_condominio_e_un_verbale_di_assemblea():
    p = load_pratica(AURORA)
    t = _testo(p, "atto_costitutivo_gruppo")
    assert "si è riunita l'assemblea dei condòmini del Condominio Aurora" in t
    assert "millesimi" in t and "il presidente dell'assemblea" in t
    assert "L'assemblea designa come referente del Gruppo il Condominio Aurora" in t
    assert "che è anche il soggetto responsabile del riparto dell'energia condivisa" in t
    assert "può uscire dal Gruppo in qualsiasi momento" in t and "scegliere liberamente il proprio venditore" in t
    assert "destinato soltanto ai partecipanti che non sono imprese o a finalità sociali" in t
    for parola in ("Comunità", "statuto", "associat"):
        assert parola not in t


def test_atto_costitutivo_del_gruppo_fuori_dal_condominio_e_un_accordo_privato():
    t = _testo(pratica_auc(), "atto_costitutivo_gruppo")
    assert t.count("Con la presente scrittura privata i sottoscritti") == 1
    assert "I partecipanti designano come referente del Gruppo Giulia Bianchi" in t
    assert "Letto, approvato e sottoscritto a San Godenzo" in t
    assert "Mario Rossi\n" in t and "Giulia Bianchi\n" in t


def test_atto_del_gruppo_non_si_genera_per_una_cer():
    _, note = cat.richieste(esempio(), ["atto_costitutivo_gruppo"])
    assert note and "gruppo di autoconsumatori" in note[0]


# ----------------------------------------------------------------------------- ogni forma, ogni configurazione


@pytest.mark.parametrize("forma", ["associazione_non_riconosciuta", "associazione_riconosciuta",
                                   "fondazione_partecipazione", "cooperativa", "ets_associazione", "impresa_sociale"])
def test_ogni_forma_ha_statuto_e_atto_senza_contraddizioni_note(forma):
    atto = "atto_pubblico" if forma_giuridica(forma, AL).richiede_notaio else "scrittura_privata_registrata"
    p = variante(forma, atto)
    statuto = _testo(p, "statuto")
    atto_t = _statuto_e_atto(p)
    assert ("ETS»" in statuto) == (forma == "ets_associazione")
    if forma == "cooperativa":
        assert "2545-quater" in statuto
    else:
        assert "per le seguenti ragioni" in statuto
    if atto == "atto_pubblico":
        assert atto_t.count("Distretto notarile di") == 1
    assert re.search(r"Presidente, con la legale rappresentanza", atto_t)


def test_mandato_aid_versa_al_cliente_finale():
    p = pratica_auc()
    c = p.configurazioni[0]
    c.tipo = "AID"
    c.punti_connessione = [x for x in c.punti_connessione if x.soggetto == "bianchi-giulia"]
    c.referente.qualifica = "esco_uni_11352"
    c.referente.soggetto = "energia-verde-mugello"
    t = _testo(p, "mandato_referente")
    assert "versare al mandante gli importi ricevuti dal GSE, al netto dei soli corrispettivi concordati" in t
    assert "regolamento della configurazione" not in t.split("Art. 2")[1].split("Art. 3")[0]
    assert "statuto" not in t


def test_informativa_aid_senza_regolamento():
    p = pratica_auc()
    c = p.configurazioni[0]
    c.tipo = "AID"
    c.punti_connessione = [x for x in c.punti_connessione if x.soggetto == "bianchi-giulia"]
    t = _testo(p, "informativa_privacy")
    assert "regolamento della configurazione" not in t and "secondo l'accordo con il referente" in t


def test_procedura_guidata_salva_patrimonio_e_spese_di_costituzione():
    from cer_docs.services import procedura as proc

    p = variante("associazione_riconosciuta", "atto_pubblico")
    valori = proc.valori_statuto(p)
    valori.update(patrimonio_iniziale_euro="15.000,00", spese_costituzione_euro="2.500,00")
    nuova = proc.applica_statuto(p, valori, AL)
    assert nuova.comunita.patrimonio_iniziale_euro == Decimal("15000.00")
    assert nuova.comunita.spese_costituzione_euro == Decimal("2500.00")


def test_verifica_corrispettivo_pnrr_dopo_il_vincolo():
    p = esempio()
    r = _regole(p)["RECESSO_PNRR_DOPO_VINCOLO"][0]
    assert r.gravita == "avviso" and "non è proporzionato" in r.messaggio
    p.comunita.recesso.restituzione_contributo_pnrr.quota_dopo = None
    assert "RECESSO_PNRR_DOPO_VINCOLO" not in _regole(p)


def test_fondazione_primo_consiglio_di_indirizzo_e_nomina_in_deroga():
    atto = _statuto_e_atto(variante("fondazione_partecipazione", "atto_pubblico"))
    assert "Il primo Consiglio di indirizzo è composto dai legali rappresentanti dei Fondatori" in atto
    assert "per questa sola volta la nomina del Consiglio di amministrazione, che lo statuto riserva al " \
           "Consiglio di indirizzo, è fatta nel presente atto" in atto
