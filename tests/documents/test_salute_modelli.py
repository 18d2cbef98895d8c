"""Salute della libreria delle clausole e delle specifiche: ogni frase una volta sola, niente
logica né numeri di legge nei modelli, fonti censite, variabili note e documentate."""

from __future__ import annotations

import re

import jinja2
import jinja2.meta
import jinja2.nodes as n
import pytest
import yaml
from aiuti_documenti import AL, AL_RO2024, FORME, FORME_ATTO, ROOT, esempio, pratica_auc, variante

from cer_docs import italiano
from cer_docs.documents import catalogo as cat
from cer_docs.documents.clausole import CLAUSOLE_DIR, carica_clausole
from cer_docs.documents.specifiche import DOCUMENTI_DIR, load_spec
from cer_docs.rules.base import param, parametro, tutte_le_fonti

DOCUMENTI = set(cat.TUTTI) | {"avviso_manifestazione", "modulo_manifestazione"}
LIBRERIA = carica_clausole()
CLAUSOLE = sorted(LIBRERIA.values(), key=lambda c: c.id)


def _contesti():
    """I contesti di tutte le varianti che i costruttori sanno produrre."""
    out = []
    for forma in FORME:
        for atto in FORME_ATTO:
            p = variante(forma, atto)
            for al in (AL, AL_RO2024):
                out.append(cat.contesto_per(p, cat.Richiesta(cat.CATALOGO["statuto"]), al))
                out.append(cat.contesto_per(p, cat.Richiesta(cat.CATALOGO["atto_costitutivo"]), al))
                out.append(cat.contesto_per(p, cat.Richiesta(cat.CATALOGO["regolamento"], p.configurazioni[0]), al))
    p = pratica_auc()
    out.append(cat.contesto_per(p, cat.Richiesta(cat.CATALOGO["regolamento"], p.configurazioni[0]), AL))
    # atto costitutivo del gruppo: accordo privato (qui) e verbale condominiale (campione Aurora)
    out.append(cat.contesto_per(p, cat.Richiesta(cat.CATALOGO["atto_costitutivo_gruppo"], p.configurazioni[0]), AL))
    from cer_docs.model import load_pratica as _carica

    aurora = _carica(ROOT / "samples" / "auc-condominio-aurora.yaml")
    out.append(cat.contesto_per(aurora, cat.Richiesta(cat.CATALOGO["atto_costitutivo_gruppo"],
                                                      aurora.configurazioni[0]), AL))
    # documenti del pacchetto: tutte le pratiche d'esempio e la variante AUC
    from cer_docs.campagne.file import carica_campagna
    from cer_docs.documents.contesti import contesto_campagna
    from cer_docs.model import load_pratica

    pratiche = [load_pratica(f) for f in sorted((ROOT / "samples").glob("*.yaml"))] + [pratica_auc()]
    for p in pratiche:
        rs, _ = cat.richieste(p, list(cat.ORDINE_PACCHETTO))
        out += [cat.contesto_per(p, r, AL) for r in rs]
    out.append(contesto_campagna(carica_campagna(ROOT / "samples" / "campagne" / "avviso-san-godenzo.yaml").campagna, AL))
    return out


CONTESTI = _contesti()
NOMI_NOTI = set().union(*(set(c.valori) | set(c.flag) for c in CONTESTI)) | {"art", "loop"}
FLAG_NOTI = set().union(*(set(c.flag) for c in CONTESTI))


@pytest.mark.parametrize("cl", CLAUSOLE, ids=lambda c: c.id)
def test_intestazione_della_clausola(cl):
    fonti = tutte_le_fonti()
    for r in cl.fonti:
        assert r.fonte in fonti, f"{cl.id}: fonte '{r.fonte}' non censita in cer_docs/rules/fonti/"
    assert cl.usata_in and set(cl.usata_in) <= DOCUMENTI, f"{cl.id}: usata_in {cl.usata_in}"
    if cl.condizione:
        assert cl.condizione in FLAG_NOTI, f"{cl.id}: condizione '{cl.condizione}' non è un flag calcolato"


def _specifiche():
    return {p.stem: load_spec(p.stem) for p in DOCUMENTI_DIR.glob("*.yaml") if p.stem != "elementi_essenziali"}


def test_ogni_clausola_e_usata_dove_dichiara():
    uso: dict[str, set[str]] = {}
    for sid, spec in _specifiche().items():
        for cid in spec.clausole():
            assert cid in LIBRERIA, f"la specifica {sid} usa la clausola inesistente '{cid}'"
            uso.setdefault(cid, set()).add(sid)
    for cl in CLAUSOLE:
        assert cl.id in uso, f"la clausola '{cl.id}' non è usata da nessun documento"
        assert uso[cl.id] == set(cl.usata_in), f"{cl.id}: usata_in {cl.usata_in}, usata davvero in {uso[cl.id]}"


def test_i_flag_delle_specifiche_sono_calcolati():
    for sid, spec in _specifiche().items():
        for parte in spec.parti:
            nomi = parte.condizione.nomi() | {x for v in parte.contenuto for x in v.condizione.nomi()}
            ignoti = nomi - FLAG_NOTI
            assert not ignoti, f"{sid}: flag non calcolati dal contesto: {ignoti}"


_AMMESSI = (n.Template, n.Output, n.TemplateData, n.Name, n.Getattr, n.If, n.For, n.Not, n.And, n.Or)


@pytest.mark.parametrize("cl", CLAUSOLE, ids=lambda c: c.id)
def test_solo_campi_flag_e_cicli_nei_modelli(cl):
    """Niente aritmetica, confronti, filtri, chiamate o letterali: la logica sta in Python."""
    albero = jinja2.Environment().parse(cl.corpo)
    for nodo in albero.find_all(n.Node):
        assert isinstance(nodo, _AMMESSI), f"{cl.id}: costrutto non ammesso nel modello: {type(nodo).__name__}"
    ignote = jinja2.meta.find_undeclared_variables(albero) - NOMI_NOTI
    assert not ignote, f"{cl.id}: variabili non fornite dai costruttori del contesto: {ignote}"


def _frasi(testo: str) -> list[str]:
    piano = re.sub(r"{%.*?%}|{{.*?}}", " ", testo)
    piano = re.sub(r"^\s*(-\)|-|=|>>|>)\s", " ", piano, flags=re.M)
    piano = re.sub(r"\s+", " ", piano)
    frasi = re.split(r"(?<=[.;:])\s+(?=[A-ZÀ-Ý«])", piano)
    return [f.strip().lower() for f in frasi if len(f.strip()) >= 50]


def test_ogni_frase_giuridica_esiste_una_volta():
    viste: dict[str, str] = {}
    for cl in CLAUSOLE:
        for f in set(_frasi(cl.corpo)):
            assert f not in viste, f"frase ripetuta in '{viste[f]}' e '{cl.id}': «{f}»"
            viste[f] = cl.id


def test_nessun_numero_di_legge_scritto_nelle_clausole():
    """I numeri che vengono dalla legge (termini, soglie) arrivano dai parametri datati."""
    unita = {
        "variazioni_configurazione_termine_giorni": "giorni",
        "pnrr_esercizio_minimo_anni": "anni", "referente_mandato_durata_anni": "ann[oi]",
        "pmi_quota_enti_territoriali_pct": "(%|per cento)",
    }
    coppie = [(int(param(pid, AL)), u) for pid, u in unita.items()]
    coppie += [(v, "(%|per cento)") for v in param("quota_eccedentaria_soglia_pct", AL).values()]
    coop = param("cooperativa_requisiti", AL)   # riserva legale, fondi mutualistici, opposizione all'esclusione
    coppie += [(coop["riserva_legale_pct"], "(%|per cento)"), (coop["fondi_mutualistici_pct"], "(%|per cento)"),
               (coop["opposizione_esclusione_giorni"], "giorni")]
    # il termine di registrazione riguarda solo l'atto: lo statuto ha i suoi termini (trenta giorni per
    # chiedere il riesame del rigetto) che coincidono per caso col termine di legge
    termini_reg = {int(v.valore) for v in parametro("registrazione_termine_giorni").voci}
    for cl in CLAUSOLE:
        if "atto_costitutivo" in cl.usata_in:
            piano = re.sub(r"{%.*?%}|{{.*?}}", " ", cl.corpo).lower()
            for forma in [f for reg in termini_reg for f in (str(reg), italiano.numero_in_lettere(reg))]:
                m = re.search(rf"\b{forma}\s*(\([^)]*\)\s*)?giorni", piano)
                assert m is None, f"{cl.id}: termine di registrazione «{m.group(0)}» scritto nel modello: usa il parametro"
    for cl in CLAUSOLE:
        piano = re.sub(r"{%.*?%}|{{.*?}}", " ", cl.corpo).lower()
        for v, u in coppie:
            for forma in (str(v), italiano.numero_in_lettere(v), "un" if v == 1 else str(v)):
                m = re.search(rf"\b{forma}\s*(\([^)]*\)\s*)?{u}", piano)
                assert m is None, f"{cl.id}: numero di legge «{m.group(0)}» scritto nel modello: usa il parametro"


def test_il_contesto_dei_modelli_e_documentato():
    doc = (ROOT / "docs" / "contesto-modelli.md").read_text(encoding="utf-8")
    nomi_doc = set(re.findall(r"`([a-zA-Z_][a-zA-Z0-9_]*)", doc))
    mancanti = sorted((set().union(*(set(c.valori) | set(c.flag) for c in CONTESTI)) | {"documento", "art", "flag"})
                      - nomi_doc)
    assert not mancanti, f"campi o flag del contesto non documentati in docs/contesto-modelli.md: {mancanti}"


def test_layout_senza_testo_giuridico():
    """La cornice PDF (Typst) non contiene testo destinato al lettore, salvo la numerazione delle
    pagine e la filigrana: né nelle stringhe né nel contenuto tra parentesi quadre."""
    typ = (ROOT / "templates" / "layout" / "documento.typ").read_text(encoding="utf-8")
    codice = re.sub(r"//[^\n]*", " ", typ)  # i commenti non arrivano al lettore
    stringhe = re.findall(r'"([^"]*)"', codice)
    contenuti = re.findall(r"\[([^\[\]]*)\]", codice)
    for pezzo in stringhe + " ".join(contenuti).split():
        for parola in ("comunità", "statuto", "associat", "articolo", "regolamento"):
            assert parola not in pezzo.lower(), f"il layout contiene testo («{pezzo}»): va nella libreria"


def test_specifiche_e_vocabolario_si_caricano():
    for p in DOCUMENTI_DIR.glob("*.yaml"):
        assert yaml.safe_load(p.read_text(encoding="utf-8"))
    # le descrizioni delle categorie di soggetti stanno nel vocabolario, con le loro fonti censite
    from cer_docs.model.vocabolario import CATEGORIE_SOGGETTO, FONTI_CATEGORIE

    assert not (CLAUSOLE_DIR / "voci" / "categorie_soggetti.yaml").exists()
    assert all(v.plurale for v in CATEGORIE_SOGGETTO.values())
    assert {f for f, _ in FONTI_CATEGORIE} <= set(tutte_le_fonti())
    assert esempio().comunita is not None
