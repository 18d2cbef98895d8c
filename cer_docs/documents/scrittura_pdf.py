"""Scrittore PDF: documento risolto → dati JSON → Typst (``templates/layout/documento.typ``).

La pagina (A4, intestazione ricorrente con il nome della CER, «pagina X di Y», filigrana
BOZZA) sta nella cornice Typst ``templates/layout/documento.typ``. Il documento le arriva come
dati JSON in ``sys.inputs``: il testo dell'utente è sempre una stringa per Typst, mai markup
(``#``, ``$``, ``[``, ``\\``, ``@`` restano caratteri; nessun file si legge o s'importa).

Typst è un compilatore in Rust (pacchetto ``typst``): impagina un documento in qualche decina
di millisecondi. I caratteri si caricano una volta per processo; ogni thread ha il suo ``Compiler``.
I caratteri sono solo i Liberation installati (``fonts-liberation2``) più DejaVu
(``fonts-dejavu-core``) per i glifi che Liberation non ha (☐, alcune emoji, arabo): mai quelli
incorporati in Typst, così un carattere mancante non cambia l'aspetto di nascosto.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import threading
from functools import lru_cache
from pathlib import Path

from .clausole import TEMPLATES_DIR
from .motore import pulisci_testo, segmenti_con_lacune
from .struttura import (
    Documento, Elenco, Firme, Inclusione, Intestazione, Paragrafo, SaltoPagina, Segmento, Tabella, Titolo,
    TitoloArticolo, testo_canonico, titolo_metadati,
)

LAYOUT_DIR = TEMPLATES_DIR / "layout"
CORNICE = LAYOUT_DIR / "documento.typ"
CARATTERE = "Liberation Serif"
_CARTELLE_CARATTERI = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.local/share/fonts", "~/.fonts")
_FILE_CARATTERE = "LiberationSerif-Regular.ttf"
_FILE_RISERVA = "DejaVuSans.ttf"

EVIDENZA = "#fff200"          # passaggi che soddisfano un elemento essenziale (copia GSE); dati mancanti
LACUNA_GSE = "#40e0d0"        # dati mancanti nella copia GSE (turchese, per distinguerli dalle evidenze)

_ALLINEAMENTI = {"giustificato": "g", "centrato": "c", "destra": "d", "sinistra": "s"}


class CaratteriMancanti(RuntimeError):
    """I caratteri Liberation non ci sono: senza, il PDF avrebbe un altro aspetto."""


# ----------------------------------------------------------------------------- Typst


def _cerca(nome_file: str) -> Path | None:
    env = os.environ.get("CER_DOCS_CARATTERI")
    candidate = [Path(env)] if env else []
    candidate += [Path(c).expanduser() for c in _CARTELLE_CARATTERI]
    for base in candidate:
        if (base / nome_file).is_file():
            return base
        if base.is_dir():
            for cartella, _, file in os.walk(base):
                if nome_file in file:
                    return Path(cartella)
    return None


def cartella_caratteri() -> Path:
    """La cartella con i file dei caratteri Liberation (``fonts-liberation2``)."""
    cartella = _cerca(_FILE_CARATTERE)
    if cartella is None:
        raise CaratteriMancanti("Caratteri Liberation non trovati: installare fonts-liberation2 (scripts/setup.sh) "
                                "o indicarne la cartella in CER_DOCS_CARATTERI.")
    return cartella


_lock_caratteri = threading.Lock()


def _caratteri_typst():
    """I caratteri per Typst, una volta per processo (anche se più thread li chiedono insieme)."""
    with _lock_caratteri:
        return _carica_caratteri()


@lru_cache(maxsize=1)
def _carica_caratteri():
    """I caratteri per Typst, caricati una volta per processo e condivisi dai compilatori di tutti i thread.

    Solo due cartelle di caratteri: Liberation e DejaVu (``fonts-dejavu-core``, per i glifi che
    Liberation non ha). Né i caratteri incorporati in Typst né tutti quelli del sistema: meno
    memoria e avvio più rapido, e lo stesso aspetto su ogni macchina che ha i due pacchetti."""
    import typst

    cartelle = [str(cartella_caratteri())]
    dejavu = _cerca(_FILE_RISERVA)
    if dejavu is not None and str(dejavu) not in cartelle:
        cartelle.append(str(dejavu))
    caratteri = typst.Fonts(include_system_fonts=False, include_embedded_fonts=False, font_paths=cartelle)
    if CARATTERE not in caratteri.families():
        raise CaratteriMancanti(f"Il carattere {CARATTERE} non si carica: verificare fonts-liberation2.")
    return caratteri


_per_thread = threading.local()


def _compilatore():
    """Il compilatore Typst del thread (si crea alla prima compilazione del thread, <1 ms: i
    caratteri sono già caricati). Uno per thread perché un ``Compiler`` non accetta compilazioni
    concorrenti («Already borrowed»); durante la compilazione Typst lascia libero il GIL, quindi
    più thread impaginano davvero in parallelo (``documents/parallelo.py``)."""
    comp = getattr(_per_thread, "compilatore", None)
    if comp is None:
        import typst

        comp = typst.Compiler(str(CORNICE), root=str(LAYOUT_DIR), font_paths=_caratteri_typst())
        _per_thread.compilatore = comp
    return comp


# ----------------------------------------------------------------------------- dati per la cornice


def _testo(s: str) -> str:
    return pulisci_testo(str(s))


def _colore(s: Segmento, evidenzia: bool) -> str | None:
    if s.da_completare:
        return LACUNA_GSE if evidenzia else EVIDENZA
    if evidenzia and s.evidenza:
        return EVIDENZA
    return None


_PAROLE = re.compile(r"(?<!\S)-[ \u00a0]+\S+|\S+")
_CODICE_FINO_A = 35   # oltre, un «codice» è una parola lunga che la cornice manda a capo a pezzi


def _codice(parola: str) -> bool:
    """Un codice che non va spezzato a fine riga: niente spazi, almeno una cifra e un trattino o una
    barra, dove Typst andrebbe a capo («PNRR-CER-0001234», «2003/361/CE», «20/11/2025»). Oppure un
    trattino isolato con la parola che segue («I1.2 - Promozione»): una riga che finisce con «-»
    si copia come una parola sillabata, e il trattino sparisce."""
    if parola.startswith("-") and parola[1:2].isspace():
        return True
    return len(parola) <= _CODICE_FINO_A and any(c.isdigit() for c in parola) and ("-" in parola or "/" in parola)


def _pezzi_testo(testo: str) -> list[tuple[str, bool]]:
    """Il testo in pezzi (testo, codice?): i codici vanno alla cornice come pezzi a sé, che mette in
    un ``box`` (non si va a capo dentro); le parole della prosa restano testo qualunque."""
    if "-" not in testo and "/" not in testo:
        return [(testo, False)]  # un codice ha sempre un trattino o una barra: quasi tutto il testo
    out: list[tuple[str, bool]] = []
    da = 0
    for m in _PAROLE.finditer(testo):
        if _codice(m.group()):
            if m.start() > da:
                out.append((testo[da:m.start()], False))
            out.append((m.group(), True))
            da = m.end()
    if da < len(testo) or not out:
        out.append((testo[da:], False))
    return out


def _segmenti(lista: list[Segmento], evidenzia: bool) -> list[dict]:
    out = []
    for s in lista:
        d: dict = {}
        if s.grassetto:
            d["g"] = True
        if s.corsivo:
            d["c"] = True
        colore = _colore(s, evidenzia)
        if colore:
            d["h"] = colore
        for testo, codice in _pezzi_testo(_testo(s.testo)):
            out.append({"x": testo, **d, **({"n": True} if codice else {})})
    return out


_PEZZI = re.compile(r"\s+|(?<=[-/])")  # dove si può andare a capo: spazi, dopo un trattino o una barra
_SPEZZA_OLTRE = 35   # come la cornice: una parola di 36 caratteri o più va a capo a pezzi di 24
_PEZZO = 24


_STRETTE = frozenset("Iijlt1.,;:'!|()[]f ")
_LARGHE = frozenset("MWmw@%")


def _larghezza_stimata(parola: str) -> float:
    """Quanto è larga una parola, a occhio: a parità di caratteri «NNCLCU72L02D612W» è più larga di
    «BRTGLI80C54D612H» (la cornice misura solo la parola scelta qui)."""
    return sum(0.5 if c in _STRETTE else 1.4 if c in _LARGHE else 1.15 if c.isupper() else 1.0 for c in parola)


def _parola_piu_lunga(testi) -> str:
    """La parola più larga dei testi: decide la larghezza minima della colonna."""
    migliore, misura = "", 0.0
    for t in testi:
        for parola in _PEZZI.split(t):
            if len(parola) > _SPEZZA_OLTRE:
                parola = parola[:_PEZZO]
            if len(parola) * 1.4 > misura and (m := _larghezza_stimata(parola)) > misura:
                migliore, misura = parola, m
    return migliore


def _blocco(b, evidenzia: bool) -> dict:
    if isinstance(b, Paragrafo):
        d = {"t": "p", "a": _ALLINEAMENTI[b.allineamento], "s": _segmenti(b.segmenti, evidenzia)}
        if b.comma:
            d["k"] = _testo(b.comma)
        return d
    if isinstance(b, TitoloArticolo):
        return {"t": "a", "x": _testo(b.testo)}
    if isinstance(b, Intestazione):
        return {"t": "h" if b.livello == 1 else "A", "x": _testo(b.testo)}
    if isinstance(b, Titolo):
        return {"t": "T", "x": _testo(b.testo), "s": [_testo(s) for s in b.sottotitoli]}
    if isinstance(b, Elenco):
        # il segno della voce («a)», «☐») come nel DOCX; senza segno, il pallino
        # le sotto-voci portano il livello come terzo elemento (le voci no: il JSON resta com'era)
        return {"t": "e", "v": [[_testo(v.segno) if v.segno else None, _segmenti(v.segmenti, evidenzia)]
                                + ([v.livello] if v.livello else []) for v in b.voci]}
    if isinstance(b, Tabella):
        n = len(b.colonne)
        tot = sum(c.larghezza for c in b.colonne) or 1
        d = {"t": "tab", "w": [round(c.larghezza / tot, 4) or 0.01 for c in b.colonne],
             "al": [_ALLINEAMENTI[c.allineamento] for c in b.colonne],
             "h": [_testo(c.titolo) for c in b.colonne],
             # ogni riga con esattamente una cella per colonna: la griglia di Typst non si sfalsa
             "r": [[_testo(c) for c in (list(r) + [""] * n)[:n]] for r in b.righe]}
        d["mw"] = [[_parola_piu_lunga(r[i] for r in d["r"]), _parola_piu_lunga([d["h"][i]])] for i in range(n)]
        if b.didascalia:
            d["cap"] = _testo(b.didascalia)
        return d
    if isinstance(b, Firme):
        # il nome in segmenti: un nome ancora da completare («__________») è evidenziato come ogni lacuna
        d = {"t": "f", "f": [[_segmenti(segmenti_con_lacune(f.nome), evidenzia), _testo(f.qualifica) if f.qualifica else None]
                             for f in b.firmatari]}
        if b.intestazione:
            d["i"] = _testo(b.intestazione)
        if len(b.firmatari) <= FIRME_INSIEME:
            d["u"] = True
        return d
    if isinstance(b, SaltoPagina):
        return {"t": "b"}
    raise TypeError(f"blocco sconosciuto: {type(b).__name__}")


FIRME_INSIEME = 7
"""Fino a tanti firmatari il blocco delle firme non si spezza mai (sette firme, con la qualifica su
due righe, stanno in circa 150 mm di una pagina utile di 250); oltre, si spezza tra una firma e
l'altra, ma l'intestazione e le prime due firme restano unite e con il testo."""

_RIGA_BREVE = 160
"""Un paragrafo più corto (in caratteri, una riga e mezza) è una formula di chiusura come «Firenze,
20 ottobre 2025», «Fatto a …, il …» o «Approvato dall'Assemblea … nella riunione del …»:
prima delle firme non basta da sola come testo sulla pagina delle firme."""


def _introduce(b) -> bool:
    """Il paragrafo o l'elenco finisce con i due punti: introduce ciò che segue."""
    if isinstance(b, Paragrafo):
        testo = b.testo
    elif isinstance(b, Elenco) and b.voci:
        testo = b.voci[-1].testo
    else:
        return False
    return testo.rstrip().endswith(":")


def _legami(blocchi: list, dati: list[dict]) -> None:
    """Marca («st») i blocchi che la cornice tiene sulla stessa pagina del blocco che segue:
    - prima delle firme, le righe brevi (luogo e data) e l'ultimo paragrafo di testo: le firme
      non restano mai sole su una pagina;
    - il paragrafo (o la voce) che finisce con «:» e introduce un elenco o una tabella, e il
      paragrafo subito prima di una tabella: la frase che introduce non resta in fondo alla pagina.
    I titoli (di documento, di sezione, d'articolo) restano già con ciò che segue nella cornice."""
    for i, b in enumerate(blocchi):
        if isinstance(b, Firme):
            j = i - 1
            while j >= 0 and isinstance(blocchi[j], Paragrafo):
                dati[j]["st"] = True
                if len(blocchi[j].testo) >= _RIGA_BREVE:
                    break
                j -= 1
        elif i + 1 < len(blocchi) and isinstance(blocchi[i + 1], (Elenco, Tabella)) and (
                _introduce(b) or (isinstance(b, Paragrafo) and isinstance(blocchi[i + 1], Tabella))):
            dati[i]["st"] = True


def _parte(doc: Documento, blocchi: list) -> dict:
    dati = [_blocco(b, doc.evidenzia) for b in blocchi]
    _legami(blocchi, dati)
    intestazione = f"BOZZA – {doc.intestazione}" if doc.bozza else doc.intestazione
    return {"int": _testo(intestazione), "piede": _testo(f"{doc.piede} – ") if doc.piede else "",
            "bozza": bool(doc.bozza), "blocchi": dati}


def _inclusione_finale(doc: Documento) -> Inclusione | None:
    """L'allegato (con frontespizio) che occupa, da una pagina nuova, tutta la parte finale.
    Un documento incluso senza frontespizio (lo statuto nella copia GSE) resta nel flusso,
    con la numerazione continua."""
    for inc in reversed([i for i in doc.inclusi if i.allegato]):
        fine = inc.indice + len(inc.documento.blocchi) == len(doc.blocchi)
        pagina_nuova = inc.indice > 0 and isinstance(doc.blocchi[inc.indice - 1], SaltoPagina)
        if fine and pagina_nuova:
            return inc
    return None


def parti(doc: Documento) -> list[dict]:
    """Le parti del documento con numerazione propria: il documento e, se c'è, l'allegato con
    frontespizio che lo chiude («Allegato A – Statuto – pagina X di Y», come nel DOCX)."""
    inc = _inclusione_finale(doc)
    if inc is None:
        return [_parte(doc, doc.blocchi)]
    inizio = inc.inizio if inc.inizio is not None else inc.indice
    allegato = dataclasses.replace(inc.documento, evidenzia=doc.evidenzia, bozza=doc.bozza, inclusi=[])
    return [_parte(doc, doc.blocchi[:inizio - 1]), _parte(allegato, doc.blocchi[inizio:])]


def dati_typst(doc: Documento) -> dict:
    """I dati che la cornice Typst impagina: tutto testo, nessun markup."""
    return {"titolo": _testo(titolo_metadati(doc)), "lingua": (doc.lingua or "it-IT")[:2].lower(),
            "regione": (doc.lingua or "it-IT")[3:5].upper() or "IT", "parti": parti(doc)}


def compila(dati: dict) -> bytes:
    """Il PDF dei dati (``dati_typst`` o un insieme di parti), con il compilatore del processo."""
    import typst

    sorgente = json.dumps(dati, ensure_ascii=False, separators=(",", ":"))
    try:
        return _compilatore().compile(format="pdf", sys_inputs={"documento": sorgente}, timestamp=0, pdf_tags=False)
    except typst.TypstError as e:  # un errore della cornice, non dell'utente: messaggio leggibile
        raise RuntimeError(f"Impaginazione PDF non riuscita: {e.message}") from e


def chiave(doc: Documento) -> tuple:
    """Identità del contenuto impaginato: stesso testo, stessa resa, stesse pagine."""
    return (doc.tipo, doc.intestazione, doc.piede, doc.evidenzia, doc.bozza, testo_canonico(doc))


def conta_pagine(dati: bytes) -> int:
    """Le pagine di un PDF di Typst senza analizzarlo tutto: l'albero delle pagine è uno solo."""
    m = re.search(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", dati) or re.search(
        rb"/Count\s+(\d+)[^>]*?/Type\s*/Pages\b", dati)
    if m:
        return int(m.group(1))
    import io

    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(dati)).pages)


RIGHE_OLTRE_CUI_A_PEZZI = 1500
"""Una tabella con più righe di queste (il registro di migliaia di membri) si impagina a pezzi:
Typst tiene in memoria tutto il documento impaginato (~2,7 MB per pagina di tabella: ~1,1 GB per
le 400 pagine del registro di 10.000 membri), a pezzi il picco è quello di un pezzo."""
RIGHE_PER_PEZZO = 1000
RIGHE_OLTRE_CUI_DIMENTICARE = 200
"""Dopo un documento con una tabella più lunga di così (il registro di qualche centinaio di membri, ~10
pagine) si svuota la memoria di Typst (``dimentica_impaginazioni``, ~10 ms): 500 membri, picco da ~295 a ~225 MB."""


def _pezzi(doc: Documento) -> list[list] | None:
    """I blocchi del documento divisi in pezzi da impaginare a parte (ogni pezzo di tabella oltre
    il primo comincia su una pagina nuova, con la riga d'intestazione); ``None`` se non serve."""
    if doc.inclusi or not any(isinstance(b, Tabella) and len(b.righe) > RIGHE_OLTRE_CUI_A_PEZZI for b in doc.blocchi):
        return None
    pezzi: list[list] = [[]]
    for b in doc.blocchi:
        if isinstance(b, Tabella) and len(b.righe) > RIGHE_OLTRE_CUI_A_PEZZI:
            for k in range(0, len(b.righe), RIGHE_PER_PEZZO):
                if k:
                    pezzi.append([])
                pezzi[-1].append(dataclasses.replace(b, righe=b.righe[k:k + RIGHE_PER_PEZZO],
                                                     didascalia=b.didascalia if k == 0 else None))
        else:
            pezzi[-1].append(b)
    return pezzi


def _pdf_a_pezzi(doc: Documento, pezzi: list[list]) -> tuple[bytes, int]:
    """Due passaggi: prima le pagine di ogni pezzo (per il totale di «pagina X di Y»), poi ogni
    pezzo con la sua prima pagina e il totale; infine un PDF solo (``pdf_oggetti.unisci_pezzi``).
    Un pezzo alla volta in memoria di Typst."""
    from .pdf_oggetti import unisci_pezzi

    base = dati_typst(dataclasses.replace(doc, blocchi=[]))

    # ogni pezzo di tabella con le colonne della tabella intera: le stesse larghezze su ogni pagina
    intere = {id(b.colonne): _blocco(b, doc.evidenzia)["mw"] for b in doc.blocchi
              if isinstance(b, Tabella) and len(b.righe) > RIGHE_OLTRE_CUI_A_PEZZI}
    larghezze = {id(t): intere[id(t.colonne)] for p in pezzi for t in p
                 if isinstance(t, Tabella) and id(t.colonne) in intere}

    def dati(blocchi: list, da: int, di: int | None) -> dict:
        parte = _parte(doc, blocchi)
        for b, d in zip(blocchi, parte["blocchi"]):
            if id(b) in larghezze:
                d["mw"] = larghezze[id(b)]
        parte["da"] = da
        if di is not None:
            parte["di"] = di
        return {**base, "parti": [parte]}

    def pezzo(blocchi: list, da: int, di: int | None) -> bytes:
        out = compila(dati(blocchi, da, di))
        dimentica_impaginazioni()
        return out

    conteggi = [conta_pagine(pezzo(p, 1 if i == 0 else 2, None)) for i, p in enumerate(pezzi)]
    totale, da, pdf = sum(conteggi), 1, []
    for p, n in zip(pezzi, conteggi):
        pdf.append(pezzo(p, da, totale))
        da += n
    return unisci_pezzi(pdf, titolo_metadati(doc)), totale


_COMPILAZIONI_PER_DIMENTICARE = 10


def dimentica_impaginazioni() -> None:
    """Fa uscire dalla memoria di Typst l'impaginazione del pezzo appena fatto. Il pacchetto ``typst``
    tiene i risultati intermedi (memoizzazione) delle ultime compilazioni e scarta quelli non usati
    da una decina di compilazioni: qualche compilazione di un documento minuscolo (~1 ms l'una)
    li scarta. Misurato sul registro di 10.000 membri: picco da ~1,2 GB a ~260 MB."""
    vuoto = {"titolo": "", "lingua": "it", "regione": "IT",
             "parti": [{"int": "", "piede": "", "bozza": False, "blocchi": []}]}
    for _ in range(_COMPILAZIONI_PER_DIMENTICARE):
        compila(vuoto)


class Impaginatore:
    """Impagina documenti con Typst. Non tiene nulla in memoria tra un documento e l'altro
    (i caratteri e la cornice già analizzata stanno nel compilatore del processo): un allegato
    con frontespizio (lo statuto allegato all'atto costitutivo) è una parte con la sua
    intestazione e la sua numerazione nello stesso PDF, impaginata con l'atto."""

    def pdf(self, doc: Documento) -> bytes:
        return self.pdf_e_pagine(doc)[0]

    def pdf_e_pagine(self, doc: Documento) -> tuple[bytes, int]:
        """Il PDF e il suo numero di pagine."""
        pezzi = _pezzi(doc)
        if pezzi is not None:
            return _pdf_a_pezzi(doc, pezzi)
        dati = compila(dati_typst(doc))
        if any(isinstance(b, Tabella) and len(b.righe) > RIGHE_OLTRE_CUI_DIMENTICARE for b in doc.blocchi):
            # una tabella di decine di pagine non resta nella memoria di Typst per i documenti dopo
            dimentica_impaginazioni()
        return dati, conta_pagine(dati)


def render_pdf(doc: Documento, impaginatore: Impaginatore | None = None) -> bytes:
    """Il PDF del documento risolto, in memoria."""
    return (impaginatore or Impaginatore()).pdf(doc)
