"""Quarta lettura del notaio sui PDF dei quattro campioni: la quota nel libro dei membri, il segno
di percentuale, l'identificazione di chi compare per un ente, la personalità giuridica secondo la
forma, le fonti citate nello statuto, il mandato del gruppo condominiale.

Ogni test guarda la frase come la legge il notaio nel documento generato.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from aiuti_documenti import AL, SAMPLES, esempio

from cer_docs.documents import catalogo as cat
from cer_docs.documents.motore import LACUNA
from cer_docs.documents.struttura import testo_canonico as canonico
from cer_docs.model import load_pratica

VALLE = SAMPLES / "cer-valle-due-cabine.yaml"
BORGO = SAMPLES / "cer-fondazione-borgo.yaml"
AURORA = SAMPLES / "auc-condominio-aurora.yaml"
AL_VALLE = dt.date(2026, 12, 2)
AL_AURORA = dt.date(2026, 11, 16)
NBSP = "\u00a0"


def _testo(p, tipo: str, al: dt.date = AL, oggetto: str | None = None) -> str:
    rs, _ = cat.richieste(p, [tipo])
    r = next(x for x in rs if oggetto is None or x.oggetto == oggetto)
    return canonico(cat.risolvi(p, r, al), con_evidenze=False)


def _righe_registro(t: str) -> dict[str, list[str]]:
    righe = [r.split(" | ") for r in t.splitlines() if " | " in r]
    return {r[1]: r for r in righe[1:]}


# ------------------------------------------------------------------ 1. quota nel libro dei membri


def test_registro_quota_anche_per_chi_e_ammesso_dopo_la_costituzione():
    """Lo statuto iscrive nel libro solo dopo il versamento della quota: chi è ammesso dopo l'atto ha
    versato la stessa quota dei fondatori, e la colonna non resta «–»."""
    t = _testo(load_pratica(VALLE), "registro_membri", AL_VALLE)
    righe = _righe_registro(t)
    ammessi = [r for r in righe.values() if r[5] == "ammesso"]
    assert ammessi, "il campione della valle ha soci ammessi dopo la costituzione"
    for r in ammessi:
        assert r[-1] == f"50,00{NBSP}€", r
    assert righe["Sara Bargellini"][-1] == f"50,00{NBSP}€"


def test_registro_quota_versata_registrata_prevale():
    p = load_pratica(VALLE)
    m = next(m for m in p.membri if m.soggetto == "vannini-marco")
    m.quota_versata_euro = Decimal("75")
    righe = _righe_registro(_testo(p, "registro_membri", AL_VALLE))
    assert righe["Marco Vannini"][-1] == f"75,00{NBSP}€"


def test_registro_senza_quota_nello_statuto_lo_dice():
    p = esempio()
    p.comunita.quota_associativa_euro = Decimal(0)
    t = _testo(p, "registro_membri")
    assert all(r[-1] == "non prevista" for r in _righe_registro(t).values())
    assert "lo statuto non prevede alcuna quota associativa" in t
    assert "quota associativa versata" not in t


def test_registro_quota_non_stabilita_resta_da_completare():
    p = esempio()
    p.comunita.quota_associativa_euro = None
    t = _testo(p, "registro_membri")
    assert all(r[-1] == LACUNA for r in _righe_registro(t).values())
    assert "il cui importo, non ancora stabilito, si completa a mano" in t


# ------------------------------------------------------------------ 2. segno di percentuale


def test_percentuali_con_il_segno_attaccato_al_numero():
    """Regola della casa: «25%», mai «25 %» né con lo spazio unificatore, in ogni documento che ne porta."""
    import re

    p = esempio()
    for tipo in ("statuto", "regolamento", "accordo_produttore_terzo"):
        t = _testo(p, tipo)
        assert re.search(r"\d%", t), tipo
        assert not re.search(r"\d[ \u00a0\u202f]%", t), (tipo, re.findall(r".{30}\d[ \u00a0\u202f]%", t))


# ------------------------------------------------------------------ 3. chi compare per un ente


def test_atto_identifica_chi_compare_per_un_ente_con_nascita_domicilio_e_codice_fiscale():
    t = _testo(load_pratica(VALLE), "atto_costitutivo", AL_VALLE)
    assert ("in persona di Luca Santoni, nato a Pratovecchio il 2 dicembre 1970, domiciliato per la carica "
            "presso la sede dell'ente, codice fiscale SNTLCU70T02H008I, nella qualità di sindaco pro tempore") in t
    assert ("in persona di Giada Nardi, nata a Bibbiena il 9 luglio 1988, domiciliata per la carica presso la "
            "sede dell'associazione, codice fiscale NRDGDI88L49A851P") in t
    assert "Marco Corsi, nato a Stia l'11 febbraio 1974, domiciliato per la carica presso la sede della società" in t
    comparenti = t.split("sono presenti:")[1].split("Detti comparenti")[0]
    assert comparenti.count("in persona di") == comparenti.count("domiciliat") == 6


def test_atto_dati_mancanti_del_rappresentante_restano_da_completare():
    p = esempio()
    r = p.soggetto("parrocchia-san-gaudenzio").rappresentante
    r.nato_a = r.nato_il = r.codice_fiscale = None
    r.sesso = "F"
    t = _testo(p, "atto_costitutivo")
    assert (f"in persona di Elena Galli, nata a {LACUNA} il {LACUNA}, domiciliata per la carica presso la sede "
            f"dell'ente, codice fiscale {LACUNA}") in t


# ------------------------------------------------------------------ 4. personalità giuridica per forma


def test_cooperativa_acquista_la_personalita_con_l_iscrizione_non_con_il_riconoscimento():
    t = _testo(load_pratica(VALLE), "atto_costitutivo", AL_VALLE)
    assert "che acquisterà la personalità giuridica con l'iscrizione nel registro delle imprese." in t
    assert ("dalle altre autorità competenti ai fini dell'iscrizione nel registro delle imprese e nell'Albo "
            "delle società cooperative;") in t
    # l'unico «riconoscimento» ammesso è quello delle associazioni tra le categorie di membri
    assert t.replace("anche prive di riconoscimento", "").count("riconoscimento") == 0


def test_associazione_riconosciuta_e_fondazione_chiedono_il_riconoscimento():
    from aiuti_documenti import variante

    for forma in ("associazione_riconosciuta", "fondazione_partecipazione"):
        t = _testo(variante(forma, "atto_pubblico"), "atto_costitutivo")
        assert "che chiederà il riconoscimento della personalità giuridica" in t, forma
        assert ("ai fini del riconoscimento della personalità giuridica e dell'iscrizione nel registro delle "
                "persone giuridiche;") in t, forma
    t = _testo(variante("ets_associazione"), "atto_costitutivo")
    assert "ai fini dell'iscrizione nel Registro unico nazionale del Terzo settore;" in t
    assert "ai fini delle iscrizioni e del riconoscimento" not in t


# ------------------------------------------------------------------ 5. fonti citate nello statuto


def test_statuto_non_cita_prassi_letta_solo_in_sintesi_di_terzi():
    """La Ris. 37/E/2024 è in dominio.md solo come fonte di seconda mano: lo statuto non la cita (la
    clausola resta motivata con le sue ragioni), e non cita alcuna risoluzione dell'Agenzia."""
    for p in (esempio(), load_pratica(BORGO)):
        t = _testo(p, "statuto")
        assert "37/E" not in t and "risoluzione n." not in t
        assert "non costituisce distribuzione, neppure indiretta, di utili o avanzi di gestione" in t


# ------------------------------------------------------------------ 8. mandato del gruppo condominiale


def test_mandato_condominio_viene_dalla_deliberazione_e_non_lo_firma_il_presidente_dell_assemblea():
    """dominio.md §9.5 e §9.12: nel condominio il mandante è l'insieme dei partecipanti, per il verbale
    dell'assemblea che designa l'amministratore; il presidente dell'assemblea non li rappresenta."""
    p = load_pratica(AURORA)
    rs, _ = cat.richieste(p, ["mandato_referente"])
    doc = cat.risolvi(p, rs[0], AL_AURORA)
    t = canonico(doc, con_evidenze=False)
    assert "Il mandato è conferito dai partecipanti al gruppo che vi hanno aderito con quella deliberazione, " \
           "il cui verbale ne costituisce il titolo:" in t
    assert "che lo conferiscono sottoscrivendo personalmente il presente atto:" in t
    assert ("Il referente sottoscrive il presente atto per accettazione del mandato e, quale amministratore del "
            "condominio, in esecuzione della deliberazione.") in t
    assert "presidente dell'assemblea" not in t and "presieduto" not in t
    firme = t.split("Letto, approvato e sottoscritto.")[1].strip().splitlines()
    assert firme == ["Martina Rizzoli (mandante)",
                     "Marco Zanardi (per il Condominio Aurora, amministratore di condominio pro tempore, referente)"]


# ------------------------------------------------------------------ 6. sotto-voci rientrate


def _clausola(corpo: str):
    from pathlib import Path

    from cer_docs.documents.clausole import Clausola

    return Clausola(id="prova", titolo="Prova", corpo=corpo, percorso=Path("prova.j2"))


def test_sotto_voci_nella_sintassi_e_nella_struttura():
    from cer_docs.documents.motore import _blocchi_clausola, _Contatore
    from cer_docs.documents.struttura import Elenco, testo_blocco

    corpo = ("Il dichiarante dichiara:\n- che è titolare dei punti seguenti:\n--) POD uno;\n--) POD due;\n"
             "- che gli impianti sono:\n--) il primo;\n-- il secondo, puntato.")
    (par, el) = _blocchi_clausola(_clausola(corpo), {}, _Contatore())
    assert isinstance(el, Elenco)
    assert [(v.segno, v.livello) for v in el.voci] == [(None, 0), ("a)", 1), ("b)", 1), (None, 0), ("a)", 1),
                                                       (None, 1)]
    assert testo_blocco(el)[1:3] == ["  a) POD uno;", "  b) POD due;"]
    # le lettere delle voci non contano le sotto-voci
    (el2,) = _blocchi_clausola(_clausola("-) prima:\n--) sotto\n-) seconda"), {}, _Contatore())
    assert [(v.segno, v.livello) for v in el2.voci] == [("a)", 0), ("a)", 1), ("b)", 0)]


def test_sotto_voce_senza_voce_e_un_errore_della_libreria():
    import pytest

    from cer_docs.documents.clausole import ErroreLibreria
    from cer_docs.documents.motore import _blocchi_clausola, _Contatore

    with pytest.raises(ErroreLibreria, match="sotto-voce"):
        _blocchi_clausola(_clausola("Testo.\n--) orfana"), {}, _Contatore())


def test_dsan_sotto_voci_rientrate_in_docx_e_pdf():
    """Le dichiarazioni che elencano punti, impianti o impegni PNRR li mostrano sotto la dichiarazione,
    più rientrati: in Word con lo stile «Elenco lettere 2», nel PDF con il livello nei dati per Typst."""
    import io
    import json

    from docx import Document
    from docx.shared import Mm

    from cer_docs.documents.scrittura_docx import render_docx
    from cer_docs.documents.scrittura_pdf import _blocco
    from cer_docs.documents.struttura import Elenco

    p = load_pratica(VALLE)
    rs, _ = cat.richieste(p, ["dsan"])
    doc = cat.risolvi(p, next(r for r in rs if r.oggetto == "agriturismo-castagneto"), AL_VALLE)
    t = canonico(doc, con_evidenze=False)
    assert ("intestataria delle relative bollette, e che nessuno di essi ha in corso un contratto di scambio sul "
            "posto:\n  a) POD IT001E87960647") in t
    assert "\n  a) che i lavori non sono iniziati prima della presentazione della domanda di contributo;" in t
    elenchi = [b for b in doc.blocchi if isinstance(b, Elenco) and any(v.livello for v in b.voci)]
    assert elenchi
    voce = _blocco(elenchi[0], False)["v"]
    assert [len(v) for v in voce] == [2] * (len(voce) - 1) + [3] and voce[-1][2] == 1
    json.dumps(voce)
    w = Document(io.BytesIO(render_docx(doc)))
    sotto = [q for q in w.paragraphs if q.style.name == "Elenco lettere 2"]
    assert sotto and sotto[0].text.startswith("a)\tPOD IT001E87960647")
    rientro = w.styles["Elenco lettere 2"].paragraph_format.left_indent
    assert rientro > w.styles["Elenco lettere"].paragraph_format.left_indent and rientro >= Mm(18)


# ------------------------------------------------------------------ sesso del notaio non indicato

def test_il_sesso_del_notaio_mancante_e_un_avviso_della_generazione():
    p = load_pratica(VALLE)
    rs, _ = cat.richieste(p, ["atto_costitutivo"])
    con_sesso = cat.contesto_per(p, rs[0], AL_VALLE)
    assert not any("sesso del notaio" in a for a in con_sesso.avvisi)
    p.comunita.atto_costitutivo.dati_notaio.sesso = None
    rs, _ = cat.richieste(p, ["atto_costitutivo"])
    senza = cat.contesto_per(p, rs[0], AL_VALLE)
    assert any("sesso del notaio non è indicato" in a and "«dottor/dottoressa»" in a for a in senza.avvisi)
    assert "dottor/dottoressa" in _testo(p, "atto_costitutivo", AL_VALLE)
