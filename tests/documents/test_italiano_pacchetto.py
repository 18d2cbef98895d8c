"""L'italiano che un notaio non corregge, su tutto il pacchetto.

Per ogni pratica d'esempio e per varianti costruite apposta (ogni forma giuridica con ogni forma
dell'atto, il gruppo di autoconsumatori e l'autoconsumatore a distanza; una notaia, legali
rappresentanti e presidenti donne; luoghi che iniziano per vocale — Arezzo, Empoli, Imola, Orvieto,
Urbino; date il 1°, l'8 e l'11 del mese) si genera il pacchetto completo e si cerca in tutto il
testo dei documenti (il documento risolto che DOCX e PDF condividono; DOCX e PDF estratti per un
sottoinsieme) ciò che uno studio notarile correggerebbe a mano:

«a Comunità», «da Comune», «a Arezzo»/«a Empoli», «il 11», «il 8», «il 1 » (si scrive «il 1°»),
date ISO, gli id interni del file pratica, «nato a» per una donna (e «nata a» per un uomo),
«Il sottoscritto» davanti al nome di una donna, «1 pagine», `None`, `{{`, `[[`, e — nelle varianti
con tutti i dati — nessuno spazio `__________` nel testo corrente (restano solo quelli che si
riempiono a mano per natura: ore, fogli, pagine, firme).
"""

from __future__ import annotations

import datetime as dt
import inspect
import re
from pathlib import Path

import pytest
import yaml
from aiuti_documenti import FORME, FORME_ATTO, SAMPLES, estrai_docx, estrai_pdf

from cer_docs.documents import catalogo as cat
from cer_docs.documents.struttura import testo_canonico as canonico
from cer_docs.model import load_pratica, parse_data

RIFERIMENTO = SAMPLES / "pratica-esempio.yaml"
DOCUMENTI = list(cat.ORDINE) + list(cat.ORDINE_PACCHETTO)
LACUNA = "__________"

# ------------------------------------------------------------------ varianti


def _dati(path: Path = RIFERIMENTO) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


# Donne: codici fiscali con il giorno di nascita + 40; uomini con il giorno reale. I giorni di
# nascita cadono il 1°, l'8 e l'11, i luoghi iniziano per vocale.
_DONNE = {
    # id soggetto: (nome, cognome, cf, nato_a, nato_il)
    "rossi-mario": ("Maria", "Rossi", "RSSMRA75D48D612N", "Empoli", "1975-04-08"),
    "bianchi-giulia": ("Giulia", "Bianchi", "BNCGLI82P51B036N", "Imola", "1982-09-11"),
}
_RAPPRESENTANTI = {
    # id ente: (nome, cognome, cf, sesso, nato_a, nato_il, poteri)
    "comune-san-godenzo": ("Paola", "Marini", "MRNPLA60S41D612J", "F", "Orvieto", "1960-11-01",
                           {"fonte": "deliberazione della Giunta comunale", "atto": "n. 42", "data": "2025-09-08"}),
    "il-poggio": ("Lorena", "Ferri", "FRRLRN68A61D299C", "F", "Urbino", "1968-01-21",
                  {"fonte": "delibera del Consiglio di amministrazione", "data": "2025-10-01"}),
    "parrocchia-san-gaudenzio": ("Elena", "Galli", "GLLLNE85B47G825U", None, "Arezzo", "1985-02-07",
                                 {"fonte": "autorizzazione dell'Ordinario diocesano", "atto": "prot. 118/2025",
                                  "data": "2025-09-11"}),
    "pro-loco": ("Anna", "Conti", "CNTNNA90H70H937D", None, "Empoli", "1990-06-30",
                 {"fonte": "delibera del Consiglio direttivo", "data": "2025-09-01"}),
    "energia-verde-mugello": ("Stefania", "Neri", "NRESFN71E49G999N", "F", "Arezzo", "1971-05-09",
                              {"fonte": "procura speciale", "atto": "rep. n. 1234", "data": "2025-08-11"}),
}
_SEDI = {"comune-san-godenzo": "Arezzo", "il-poggio": "Empoli", "parrocchia-san-gaudenzio": "Imola",
         "pro-loco": "Orvieto", "energia-verde-mugello": "Urbino"}
_PROVINCE = {"Arezzo": "AR", "Empoli": "FI", "Imola": "BO", "Orvieto": "TR", "Urbino": "PU"}


def _donne_vocali_date(d: dict, forma: str, atto: str) -> dict:
    """La pratica di riferimento con donne dappertutto, luoghi che iniziano per vocale e date il
    1°, l'8 e l'11 del mese, con tutti i dati che un atto chiede."""
    c = d["comunita"]
    c["forma_giuridica"] = forma
    c["sede"]["comune"] = "Arezzo"
    c["sede"]["provincia"] = "AR"
    a = c["atto_costitutivo"]
    a["forma"] = atto
    a["luogo"] = "Empoli"
    a["data"] = a["data_prevista"] = dt.date(2025, 10, 8)
    a["registrazione"]["data"] = dt.date(2025, 10, 11)
    # dati che l'atto chiede per le forme giuridiche (issue 11 §3): spese e patrimonio, cittadinanza
    c["spese_costituzione_euro"] = 2500
    c["patrimonio_iniziale_euro"] = 30000
    for s in d["soggetti"]:
        if s["tipo"] == "persona_fisica":
            s["cittadinanza"] = "italiana"
    a["notaio"] = {"nome": "Maria Grazia", "cognome": "Lodi", "sesso": "F", "sede": "Empoli",
                   "distretto": "Firenze, Pistoia e Prato", "repertorio": "18437", "raccolta": "9912"}
    for s in d["soggetti"]:
        if not (s.get("email") or s.get("pec")):
            s["email"] = f"segreteria{len(s)}@example.it"
        if s["id"] in _DONNE:
            nome, cognome, cf, luogo, nato = _DONNE[s["id"]]
            s.update(nome=nome, cognome=cognome, codice_fiscale=cf, nato_a=luogo, nato_il=dt.date.fromisoformat(nato))
            s["residenza"].update(comune="Urbino", provincia="PU")
        if s["id"] in _RAPPRESENTANTI:
            nome, cognome, cf, sesso, luogo, nato, poteri = _RAPPRESENTANTI[s["id"]]
            r = s["rappresentante"]
            r.update(nome=nome, cognome=cognome, codice_fiscale=cf, nato_a=luogo, nato_il=dt.date.fromisoformat(nato),
                     poteri={k: (dt.date.fromisoformat(v) if k == "data" else v) for k, v in poteri.items()})
            if sesso:
                r["sesso"] = sesso
            s["sede"].update(comune=_SEDI[s["id"]], provincia=_PROVINCE[_SEDI[s["id"]]])
    for m in d["membri"]:
        m["data_adesione"] = dt.date(2025, 10, 8)
    conf = d["configurazioni"][0]
    conf["referente"]["mandato"].update(data_firma=dt.date(2025, 11, 1), luogo_firma="Imola")
    for imp in conf["impianti"]:
        imp["data_entrata_esercizio_prevista"] = dt.date(2027, 3, 11)
    d["produttori_terzi"][0].update(data_accordo=dt.date(2025, 11, 8), luogo_accordo="Urbino")
    return d


def _auc(d: dict) -> dict:
    """Gruppo di autoconsumatori in condominio ad Arezzo, referente una condòmina."""
    d = _donne_vocali_date(d, "associazione_non_riconosciuta", "scrittura_privata_registrata")
    d.pop("comunita")
    d["produttori_terzi"] = []
    d["membri"] = []
    conf = d["configurazioni"][0]
    conf.update(tipo="AUC", denominazione="Condominio Via Roma 12")
    conf["referente"].update(qualifica="membro", soggetto="bianchi-giulia")
    conf["punti_connessione"] = [x for x in conf["punti_connessione"] if x["soggetto"] in ("rossi-mario", "bianchi-giulia")]
    conf["impianti"] = [i for i in conf["impianti"] if i["id"] == "fv-bianchi"]
    return d


def _aid(d: dict) -> dict:
    """Autoconsumatore individuale a distanza: una sola persona, due punti."""
    d = _auc(d)
    conf = d["configurazioni"][0]
    conf.update(tipo="AID", denominazione="Autoconsumo a distanza Bianchi")
    conf["referente"].update(qualifica="autoconsumatore", soggetto="bianchi-giulia")
    for pc in conf["punti_connessione"]:
        pc["soggetto"] = "bianchi-giulia"
    return d


def _receduto(d: dict) -> dict:
    """Un membro receduto il 31 gennaio 2025 (la generazione è del 1° ottobre 2025)."""
    d["membri"][1].update(data_adesione=dt.date(2024, 3, 1), data_recesso=dt.date(2025, 1, 31))
    # entrati dopo la costituzione: non fondatori, quindi con il modulo di adesione
    d["comunita"]["fondatori"] = [x for x in d["comunita"]["fondatori"] if x not in ("rossi-mario", "bianchi-giulia")]
    return d


AL_VARIANTI = dt.date(2025, 10, 1)


def _varianti() -> list[tuple[str, callable, dt.date, bool]]:
    """(nome, costruttore della pratica, data, dati completi)."""
    out = []
    for f in sorted(SAMPLES.glob("*.yaml")):
        out.append((f"esempio-{f.stem}", lambda f=f: load_pratica(f), None, False))
    for i, forma in enumerate(FORME):
        atto = FORME_ATTO[i % len(FORME_ATTO)]
        out.append((f"CER-{forma}-{atto}", lambda forma=forma, atto=atto: parse_data(_donne_vocali_date(_dati(), forma, atto)),
                    AL_VARIANTI, True))
    for atto in FORME_ATTO:
        out.append((f"CER-atto-{atto}", lambda atto=atto: parse_data(_donne_vocali_date(_dati(), "cooperativa", atto)),
                    AL_VARIANTI, True))
    out.append(("AUC", lambda: parse_data(_auc(_dati())), AL_VARIANTI, True))
    out.append(("AID", lambda: parse_data(_aid(_dati())), AL_VARIANTI, True))
    out.append(("receduto", lambda: parse_data(_receduto(_dati())), AL_VARIANTI, False))
    return out


VARIANTI = _varianti()

# ------------------------------------------------------------------ generazione del testo


def _richieste(p, documenti, al):
    if "al" in inspect.signature(cat.richieste).parameters:
        return cat.richieste(p, documenti, al)
    return cat.richieste(p, documenti)


def pacchetto_testi(p, al: dt.date) -> dict[str, str]:
    """Il testo risolto di ogni documento del pacchetto (chiave del documento → testo)."""
    rs, _ = _richieste(p, DOCUMENTI, al)
    return {r.chiave: canonico(cat.risolvi(p, r, al), con_evidenze=False) for r in rs}


# ------------------------------------------------------------------ difetti


def _id_interni(p) -> set[str]:
    ids = {s.id for s in p.soggetti} | {c.id for c in p.configurazioni}
    ids |= {i.id for _, _, i in p.impianti()}
    ids.add(p.pratica.id)
    return {i for i in ids if i}


def _donne_e_uomini(p) -> tuple[list[str], list[str]]:
    try:
        from cer_docs.rules import fatti
    except ImportError:  # versioni precedenti del progetto (per provare che il test fallisce)
        fatti = None

    donne, uomini = [], []
    persone = [s for s in p.soggetti if s.tipo == "persona_fisica"]
    persone += [s.rappresentante for s in p.soggetti if s.rappresentante is not None]
    for x in persone:
        nome = " ".join(v for v in (x.nome, x.cognome) if v)
        sesso = fatti.sesso(x) if fatti is not None else None
        if sesso is None:
            cf = (x.codice_fiscale or "").upper()
            sesso = "F" if len(cf) == 16 and cf[9:11].isdigit() and int(cf[9:11]) > 40 else "M"
        (donne if sesso == "F" else uomini).append(nome)
    return donne, uomini


_FISSI = [
    (re.compile(r"(?<![\w'’])a Comunità"), "«a Comunità» invece di «alla Comunità»"),
    (re.compile(r"(?<![\w'’])da Comune\b"), "«da Comune» invece di «dal Comune»"),
    (re.compile(r"(?<![\w'’])a (?=[AEÀÈ][a-zàèéìòù])"), "«a» davanti a un nome che inizia per A o E («ad Arezzo»)"),
    (re.compile(r"(?<![\w'’])(?:il|Il|del|al|dal|nel) (?:8|11)(?!\d)"), "«il 8»/«il 11» invece di «l'8»/«l'11»"),
    (re.compile(r"(?<![\w'’])(?:il|Il|del|al|dal|nel) 1 "), "«il 1 » invece di «il 1°»"),
    (re.compile(r"\b\d{4}-\d{2}-\d{2}\b"), "data in forma ISO"),
    (re.compile(r"(?<![\d,.])1 (?:pagine|documenti|mesi|anni|giorni|fogli)\b"), "singolare e plurale discordi («1 pagine»)"),
    (re.compile(r"\bNone\b"), "«None» nel testo"),
    (re.compile(r"\{\{|\{%|\[\["), "segnaposto di modello nel testo"),
]
# Spazi che restano anche quando la pratica è completa, perché il dato nasce dopo o si scrive a
# mano alla firma: ore, fogli e pagine dell'atto pubblico, luogo e data delle firme, il codice
# CENSIMP degli impianti non ancora registrati, i titolari effettivi (dato antiriciclaggio che la
# pratica non contiene), la riunione che approverà il regolamento, l'indirizzo dello studio in
# cui si riceve l'atto pubblico.
_LACUNE_AMMESSE = re.compile(
    r"su __________ fogli|per __________ pagine|alle ore __________|^__________(?: \(|, __________$|$)"
    r"|^[^_]{1,60}, __________$|^.{0,60}: __________$|CENSIMP __________|titolari effettivi.*: __________"
    r"|riunione del __________|sottoscritto dai partecipanti alla configurazione in __________, il __________"
    r"|in [A-ZÀ-Ù][\w' ]+, in __________, innanzi a me")


def difetti(testo: str, p, *, completi: bool) -> list[str]:
    out = []
    for rx, cosa in _FISSI:
        for m in rx.finditer(testo):
            out.append(f"{cosa}: «…{testo[max(0, m.start() - 50):m.end() + 30]}…»")
    for i in sorted(_id_interni(p), key=len, reverse=True):
        for m in re.finditer(rf"(?<![\w-]){re.escape(i)}(?![\w-])", testo):
            out.append(f"id interno «{i}»: «…{testo[max(0, m.start() - 50):m.end() + 30]}…»")
    donne, uomini = _donne_e_uomini(p)
    notaio = getattr(p.comunita.atto_costitutivo, "dati_notaio", None) if p.comunita else None
    if notaio is not None and notaio.sesso == "F":
        donne.append(notaio.nome_completo)
        if re.search(rf"{re.escape(notaio.nome_completo)}, notaio in [^,]+, iscritto ", testo):
            out.append(f"maschile per la notaia: «{notaio.nome_completo}, notaio in …, iscritto»")
    for n in donne:
        for sbagliato in (f"{n}, nato ", f"sottoscritto {n}", f"{n}, munito "):
            if sbagliato in testo:
                out.append(f"maschile per una donna: «{sbagliato}»")
    for n in uomini:
        for sbagliato in (f"{n}, nata ", f"sottoscritta {n}", f"{n}, munita "):
            if sbagliato in testo:
                out.append(f"femminile per un uomo: «{sbagliato}»")
    if completi:
        for riga in testo.splitlines():
            if LACUNA in riga and not _LACUNE_AMMESSE.search(riga.strip()):
                out.append(f"spazio da completare nel testo corrente con tutti i dati: «{riga.strip()[:160]}»")
    return out


@pytest.mark.parametrize("nome,costruisci,al,completi", VARIANTI, ids=[v[0] for v in VARIANTI])
def test_nessun_difetto_di_italiano_nel_pacchetto(nome, costruisci, al, completi):
    p = costruisci()
    al = al or p.pratica.aggiornata_il or dt.date(2026, 11, 20)
    documenti = pacchetto_testi(p, al)
    assert documenti
    trovati = [f"{chiave}: {d}" for chiave, t in documenti.items() for d in difetti(t, p, completi=completi)]
    assert not trovati, f"{len(trovati)} difetti:\n" + "\n".join(trovati[:40])


def test_le_varianti_coprono_forme_tipi_donne_vocali_e_date():
    nomi = [v[0] for v in VARIANTI]
    assert all(any(forma in n for n in nomi) for forma in FORME)
    assert {"AUC", "AID"} <= set(nomi)
    p = parse_data(_donne_vocali_date(_dati(), "cooperativa", "atto_pubblico"))
    t = "\n".join(pacchetto_testi(p, AL_VARIANTI).values())
    # la variante porta davvero i casi che il test cerca
    for atteso in ("ad Arezzo", "ad Empoli", "a Imola", "a Orvieto", "a Urbino", "il giorno otto del mese di ottobre",
                   "nata ad Empoli l'8 aprile 1975", "nata a Imola l'11 settembre 1982", "La sottoscritta",
                   "notaio in Empoli", "iscritta", "dell'8 settembre 2025", "alla Comunità"):
        assert atteso in t, atteso


def test_il_membro_receduto_non_riceve_documenti_da_membro():
    """Un membro uscito il 31 gennaio 2025 non riceve DSAN né modulo di adesione il 1° ottobre 2025,
    e non compare tra i membri attivi del regolamento; resta nel registro con la data di recesso."""
    p = parse_data(_receduto(_dati()))
    rs, _ = _richieste(p, DOCUMENTI, AL_VARIANTI)
    chiavi = {r.chiave for r in rs}
    assert "dsan:rossi-mario" not in chiavi
    assert "modulo_adesione:rossi-mario" not in chiavi
    assert "dsan:bianchi-giulia" in chiavi and "modulo_adesione:bianchi-giulia" in chiavi
    t = pacchetto_testi(p, AL_VARIANTI)
    regolamento = next(v for k, v in t.items() if k.startswith("regolamento"))
    riga_rossi = next(r for r in regolamento.splitlines() if "Mario Rossi" in r)
    assert "consumatore" not in riga_rossi  # il suo punto non è più di un membro
    registro = t["registro_membri"]
    assert "Mario Rossi" in registro and "31/01/2025" in registro
    # prima del recesso riceveva entrambi i documenti
    rs, _ = _richieste(p, DOCUMENTI, dt.date(2025, 1, 30))
    assert {"dsan:rossi-mario", "modulo_adesione:rossi-mario"} <= {r.chiave for r in rs}


def test_docx_e_pdf_estratti_senza_difetti():
    """Gli stessi controlli sul testo estratto dai file, per un sottoinsieme (atto pubblico con
    notaia e lo statuto allegato in DOCX, una DSAN in PDF)."""
    from cer_docs.documents.scrittura_docx import render_docx
    from cer_docs.documents.scrittura_pdf import render_pdf

    p = parse_data(_donne_vocali_date(_dati(), "associazione_riconosciuta", "atto_pubblico"))
    rs, _ = _richieste(p, ["atto_costitutivo", "dsan"], AL_VARIANTI)
    atto = next(r for r in rs if r.tipo.id == "atto_costitutivo")
    dsan = next(r for r in rs if r.oggetto == "bianchi-giulia")
    t_docx = estrai_docx(render_docx(cat.risolvi(p, atto, AL_VARIANTI)))
    t_pdf = estrai_pdf(render_pdf(cat.risolvi(p, dsan, AL_VARIANTI)))
    assert "Maria Grazia Lodi" in t_docx and "Giulia Bianchi" in t_pdf
    trovati = difetti(t_docx, p, completi=False) + difetti(" ".join(t_pdf.split()), p, completi=False)
    assert not trovati, "\n".join(trovati[:40])


def test_documenti_della_campagna_senza_difetti():
    """Avviso e modulo della manifestazione di interesse: «dal Comune di …», non «da Comune»."""
    from cer_docs.campagne.file import carica_campagna
    from cer_docs.documents.contesti import contesto_campagna
    from cer_docs.documents.motore import resolve
    from cer_docs.documents.specifiche import load_spec

    p = load_pratica(RIFERIMENTO)
    for f in sorted((SAMPLES / "campagne").glob("*.y*ml")):
        c = carica_campagna(f).campagna
        for doc in ("avviso_manifestazione", "modulo_manifestazione"):
            t = canonico(resolve(load_spec(doc), contesto_campagna(c, c.data_pubblicazione or AL_VARIANTI)))
            trovati = difetti(t, p, completi=False)
            assert not trovati, f"{f.name} {doc}:\n" + "\n".join(trovati)
