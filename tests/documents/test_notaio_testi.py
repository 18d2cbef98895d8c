"""Terza lettura del notaio: il testo dei documenti (note interne, rinvii, termini, concordanze).

Ogni test legge il testo generato come lo legge il notaio e guarda la frase che aveva corretto:
nessuna nota di lavoro o riserva interna stampata, il trattamento fiscale senza norme sbagliate,
il mandato al referente del gruppo condominiale al plurale e con il titolo vero del verbale, il
termine di registrazione dell'atto vigente alla sua data, le piccole concordanze.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from aiuti_documenti import AL, SAMPLES, esempio, variante

from cer_docs import italiano
from cer_docs.documents import catalogo as cat
from cer_docs.documents.contesti.regolamento import contesto_regolamento
from cer_docs.documents.struttura import testo_canonico as canonico
from cer_docs.model import load_pratica
from cer_docs.rules.base import tutti_i_parametri

VALLE = SAMPLES / "cer-valle-due-cabine.yaml"
BORGO = SAMPLES / "cer-fondazione-borgo.yaml"
AURORA = SAMPLES / "auc-condominio-aurora.yaml"
AL_AURORA = dt.date(2026, 11, 16)
CAMPIONI = [(SAMPLES / "pratica-esempio.yaml", AL), (VALLE, AL), (BORGO, AL), (AURORA, AL_AURORA)]


def _testi(p, tipi: list[str], al: dt.date = AL) -> dict[str, str]:
    rs, _ = cat.richieste(p, tipi)
    return {f"{r.tipo.id}:{r.oggetto or (r.configurazione.id if r.configurazione is not None else '')}": " ".join(canonico(cat.risolvi(p, r, al), con_evidenze=False).split())
            for r in rs}


def _testo(p, tipo: str, al: dt.date = AL, oggetto: str | None = None) -> str:
    t = {k: v for k, v in _testi(p, [tipo], al).items() if oggetto is None or oggetto in k}
    assert t, f"nessun documento {tipo} {oggetto or ''}"
    return next(iter(t.values()))


@pytest.fixture(scope="module")
def pacchetti() -> dict[str, dict[str, str]]:
    return {f.stem: _testi(load_pratica(f), list(cat.ORDINE) + list(cat.ORDINE_PACCHETTO), al) for f, al in CAMPIONI}


# ------------------------------------------------------------------ 1. nessuna nota interna stampata

SEGNI_INTERNI = ("non ancora verificat", "letto in sintesi", "unconfirmed", "non_confermato", "da confermare",
                 "periodi fino al", "periodi dal", "nextville", "quotidianopiu", "verify", "todo")


def _note_dei_parametri() -> list[str]:
    """L'inizio di ogni nota dei parametri e delle loro voci: testo di lavoro, mai da stampare."""
    note = []
    for par in tutti_i_parametri().values():
        for n in [par.nota] + [v.nota for v in par.voci]:
            if n:
                note.append(" ".join(n.split())[:40].lower())
    return note


def test_nessun_documento_di_nessun_campione_stampa_note_interne_o_riserve(pacchetti):
    note = _note_dei_parametri()
    assert note, "i parametri non hanno più note: il test non controllerebbe nulla"
    for campione, docs in pacchetti.items():
        assert len(docs) > 5, campione
        for nome, t in docs.items():
            basso = t.lower()
            for segno in SEGNI_INTERNI:
                assert segno not in basso, f"{campione}/{nome}: «{segno}» stampato nel documento"
            for n in note:
                assert n not in basso, f"{campione}/{nome}: stampata la nota di un parametro «{n}»"


def test_la_riserva_sul_trattamento_fiscale_va_all_utente_non_nel_regolamento():
    p = esempio()
    rs, _ = cat.richieste(p, ["regolamento"])
    doc = cat.risolvi(p, rs[0], AL)
    t = " ".join(canonico(doc, con_evidenze=False).split())
    assert "Le indicazioni del comma precedente hanno carattere informativo e non sostituiscono il parere di " \
           "un consulente fiscale" in t
    assert "Ris. 37/E" not in t and "Risposta 22/2026" not in t
    avvisi = contesto_regolamento(p, p.configurazioni[0], AL).avvisi
    assert any("trattamento fiscale" in a and "consulente fiscale" in a for a in avvisi)


# ------------------------------------------------------------------ 2. IVA e imposte sui redditi

def test_il_regolamento_non_cita_l_art_148_tuir_per_l_iva():
    for f, al in CAMPIONI:
        t = _testo(load_pratica(f), "regolamento", al)
        assert "148 TUIR" not in t and "TUIR" not in t
    t = _testo(esempio(), "regolamento")
    assert ("non è il corrispettivo di una prestazione resa ai partecipanti: resta perciò fuori dal campo di "
            "applicazione dell'IVA e, ai fini delle imposte sui redditi, è un provento di natura non commerciale") in t


@pytest.mark.parametrize("forma", ["cooperativa", "impresa_sociale"])
def test_per_un_ente_commerciale_la_quota_trattenuta_non_e_detta_non_commerciale(forma):
    t = _testo(variante(forma), "regolamento")
    assert "natura non commerciale" not in t
    assert "non una distribuzione di utili" in t
    assert "natura non commerciale" not in _testo(load_pratica(VALLE), "regolamento")
    # il gruppo di autoconsumatori non è un ente: la lettura sulla quota trattenuta dall'ente non lo riguarda
    assert "natura non commerciale" not in _testo(load_pratica(AURORA), "regolamento", AL_AURORA)


# ------------------------------------------------------------------ 3. mandato del gruppo condominiale

def test_il_mandato_del_gruppo_parla_ai_mandanti_al_plurale_e_cita_il_verbale_col_suo_titolo():
    p = load_pratica(AURORA)
    t = _testo(p, "mandato_referente", AL_AURORA)
    verbale = _testo(p, "atto_costitutivo_gruppo", AL_AURORA)
    assert "di seguito, insieme, «mandanti»" in t
    assert "I mandanti incaricano il referente, che accetta, di gestire in nome proprio ma per conto dei mandanti" in t
    assert "i mandanti restano estranei ai rapporti con il GSE" in t
    assert "Ciascun mandante può revocare il mandato, per quanto lo riguarda, in qualsiasi momento" in t
    assert not re.search(r"\bIl mandante\b|\bdel mandante\b", t)
    titolo = re.search(r"risultante dal «([^»]+)» del 25 settembre 2025", t)
    assert titolo and verbale.startswith(titolo.group(1))
    assert "assemblea straordinaria" not in t
    assert "Fatto a Bologna, il 6 ottobre 2025." in t


def test_il_mandato_di_un_solo_mandante_resta_al_singolare():
    t = _testo(load_pratica(VALLE), "mandato_referente")
    assert "«mandante»" in t and "Il mandante incarica il referente" in t
    assert "Il mandante può revocare il mandato in qualsiasi momento" in t


# ------------------------------------------------------------------ 4. termine di registrazione dell'atto

@pytest.mark.parametrize("data_atto, atteso", [
    (dt.date(2024, 12, 31), "entro 20 (venti) giorni dalla sottoscrizione"),
    (dt.date(2025, 1, 1), "entro 30 (trenta) giorni dalla sottoscrizione"),
    (dt.date(2025, 10, 20), "entro 30 (trenta) giorni dalla sottoscrizione"),
])
def test_il_termine_di_registrazione_e_quello_vigente_alla_data_dell_atto(data_atto, atteso):
    p = variante(atto="scrittura_privata_registrata")
    p.comunita.atto_costitutivo.data = data_atto
    t = _testo(p, "atto_costitutivo", AL)
    assert atteso in t
    assert "(venti)" not in t or data_atto < dt.date(2025, 1, 1)


# ------------------------------------------------------------------ 5. piccole correzioni di testo

def test_lo_statuto_rinvia_alle_assemblee_locali_solo_come_le_prevedono_i_regolamenti():
    t = _testo(esempio(), "statuto")
    assert ("sentite le assemblee locali delle configurazioni interessate, dove i regolamenti di configurazione "
            "le prevedono, ne delibera ogni anno l'impiego") in t


def test_l_accordo_col_produttore_dice_a_chi_va_il_mandato_e_quanto_dura():
    t = _testo(esempio(), "accordo_produttore_terzo")
    assert "Il produttore conferisce alla Comunità, quale referente della configurazione, un mandato" in t
    assert "stesse regole di rinnovo e di revoca" not in t
    assert re.search(r"Il mandato ha effetto dalla sottoscrizione del presente accordo e ha la sua stessa durata: "
                     r"non si rinnova a scadenze fisse e cessa, senza bisogno di altra comunicazione, quando l'accordo "
                     r"cessa o quando una delle parti ne recede secondo l'art\. \d+\.", t)
    assert "per le finalità statutarie della Comunità" in t and "per le sue finalità" not in t
    assert "Letto, approvato e sottoscritto." in t


def test_la_referente_si_accorda_al_femminile_e_la_configurazione_non_e_una_comunita():
    p = load_pratica(VALLE)
    reg = _testo(p, "regolamento", oggetto="castel")
    assert re.search(r"Il referente della configurazione è Sara Bucciarelli, nata ad Arezzo [^.]*codice fiscale "
                     r"\w+, alla quale è conferito un mandato", reg)
    man = _testo(p, "mandato_referente", oggetto="castel")
    assert "«Configurazione Castel San Niccolò», configurazione della Comunità sottesa alla cabina primaria" in man
    assert "comunità energetica rinnovabile sottesa" not in man
    assert "Sara Bucciarelli (referente)" in man and "la referente" not in man
    assert "Letto, approvato e sottoscritto." in man


def test_modulo_di_adesione_e_lettera_pnrr_senza_maiuscole_e_generi_sbagliati():
    p = load_pratica(VALLE)
    mod = _testo(p, "modulo_adesione", oggetto="baldaccini")
    assert "uso abitazione" in mod and "uso Abitazione" not in mod
    let = _testo(esempio(), "lettera_fornitori_pnrr")
    assert "», alimentato da fonte solare fotovoltaica, di 80,0 kW, è finanziata" in let


def test_la_dichiarazione_sostitutiva_chiude_l_elenco_col_punto_e_ogni_voce_ha_il_soggetto():
    p = esempio()
    ent = _testo(p, "dsan", oggetto="poggio")
    assert "che i titolari effettivi del beneficiario sono: __________. Allega copia" in ent
    assert "che gli impianti rispettano il principio di non arrecare un danno significativo" in ent
    assert "che rispettano il principio" not in ent
    for nome, t in _testi(p, ["dsan"]).items():
        assert re.search(r"[^;]\. Allega copia di un documento", t), nome
        assert "; Allega" not in t, nome


# ------------------------------------------------------------------ 6. identità, registro, RUNTS

def test_chi_dichiara_per_un_ente_da_anche_luogo_e_data_di_nascita():
    valle = _testo(load_pratica(VALLE), "dsan", oggetto="appennino")
    assert re.search(r"Il sottoscritto [^,]+, nato (a|ad|in) [A-Z][^,]* il \d+ \w+ \d{4}, codice fiscale [A-Z0-9]{16}, "
                     r"nella qualità di", valle)
    poggio = _testo(esempio(), "dsan", oggetto="poggio")
    assert "Il sottoscritto Lorenzo Ferri, nato a __________ il __________, codice fiscale" in poggio


def test_il_libro_dei_soci_alla_data_elenca_e_conta_solo_chi_era_gia_ammesso():
    p = load_pratica(VALLE)
    rs, _ = cat.richieste(p, ["registro_membri"])
    doc = cat.risolvi(p, rs[0], AL)
    t = " ".join(canonico(doc, con_evidenze=False).split())
    date = [dt.datetime.strptime(d, "%d/%m/%Y").date() for d in re.findall(r"\| (\d{2}/\d{2}/\d{4}) \|", t)]
    assert date and max(date) <= AL
    iscritti = sum(1 for m in p.membri if (m.data_adesione is None or m.data_adesione <= AL)
                   and (m.data_recesso is None or m.data_recesso > AL))
    assert f"Alla data del 20 ottobre 2025 i soci iscritti sono {iscritti} ({italiano.numero_in_lettere(iscritti)})" in t
    assert iscritti < len(p.membri)
    # a una data in cui tutti sono ammessi il libro li elenca tutti
    tardi = dt.date(2026, 11, 30)
    t2 = " ".join(canonico(cat.risolvi(p, rs[0], tardi), con_evidenze=False).split())
    attivi = sum(1 for m in p.membri if m.data_recesso is None or m.data_recesso > tardi)
    assert f"i soci iscritti sono {attivi} (" in t2


def test_prima_dell_iscrizione_nel_runts_il_sottotitolo_non_dice_ente_del_terzo_settore():
    p = load_pratica(BORGO)
    for tipo in ("atto_costitutivo", "statuto"):
        t = _testo(p, tipo)
        inizio = t.split(" Con la presente")[0].split(" Titolo I")[0]
        assert "associazione da iscrivere nel Registro unico nazionale del Terzo settore" in inizio, tipo
        assert "» associazione del Terzo settore" not in t, tipo
