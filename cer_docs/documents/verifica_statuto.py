"""Verifica degli elementi essenziali (a–g) in uno statuto di CER, in DOCX o in PDF.

Lo statuto può essere il nostro dopo le modifiche del notaio oppure uno scritto altrove:
per questo non si cercano le nostre frasi ma i *concetti giuridici* di ogni elemento,
descritti come dati in ``elementi_statuto.yaml`` (formulazioni alternative per concetto,
versioni delle Regole Operative con la data da cui valgono e le fonti).

Il percorso è in tre passi:

1. **estrazione** dei paragrafi (``estrai_paragrafi``): DOCX letto dall'XML in ordine di
   documento, comprese tabelle, controlli di contenuto e revisioni (il testo inserito
   conta, quello cancellato no); PDF letto con pypdf e ricomposto in paragrafi (righe
   spezzate, parole sillabate, intestazioni e numeri di pagina ripetuti);
2. **segmentazione** in articoli (un titolo o «Art. N» apre un articolo) e in passaggi:
   un paragrafo o pochi paragrafi consecutivi dello stesso articolo;
3. **ricerca dei concetti**: un elemento è presente quando tutti i suoi concetti compaiono
   nello stesso passaggio (il più breve che li contiene tutti); per gli elementi con
   ``ambito: statuto`` i concetti possono trovarsi in articoli diversi.

La data ``al`` sceglie la versione delle regole (sei elementi RO 2024, sette RO 2025);
il modulo non legge l'orologio.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import unicodedata
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from statistics import median
from typing import Any

import yaml

from cer_docs.rules.base import Riferimento

__all__ = [
    "ELEMENTI_YAML",
    "ErroreLetturaStatuto",
    "EsitoElemento",
    "EsitoVerifica",
    "ParagrafoStatuto",
    "VersioneRegole",
    "carica_versioni",
    "estrai_paragrafi",
    "normalizza",
    "paragrafi_da_righe",
    "verifica_file",
    "verifica_paragrafi",
    "versione_al",
]

ELEMENTI_YAML = Path(__file__).with_name("elementi_statuto.yaml")

DIMENSIONE_MASSIMA = 50 * 1024 * 1024  # oltre, non è uno statuto: evitiamo di leggere file enormi
FINESTRA_MASSIMA = 1500  # caratteri di un passaggio fatto di più paragrafi consecutivi
FINESTRA_PARAGRAFI = 30  # e al massimo tanti paragrafi (un elenco di categorie ci sta)
ARTICOLO_MASSIMO = 4000  # un articolo intero vale come passaggio se non supera questa lunghezza
PARAGRAFO_LUNGO = 1200  # un paragrafo più lungo si spezza in frasi

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


class ErroreLetturaStatuto(Exception):
    """Il file non si può leggere come statuto; il messaggio dice perché e come rimediare."""


# --- normalizzazione ---------------------------------------------------------------------

_APOSTROFI = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'",
                            "“": '"', "”": '"', "«": '"', "»": '"', "„": '"',
                            "–": "-", "—": "-", "‐": "-", "‑": "-", "−": "-"})


def normalizza(testo: str) -> str:
    """Minuscolo, senza accenti, apostrofi e trattini uniformi, spazi compattati."""
    s = unicodedata.normalize("NFKD", testo.replace("\u00ad", ""))
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.translate(_APOSTROFI).lower()
    return re.sub(r"\s+", " ", s).strip()


def _pulisci(testo: str) -> str:
    testo = testo.replace("\u00ad", "").replace("\u00a0", " ")
    testo = re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", " ", testo)
    return re.sub(r"[ \t\r\n]+", " ", testo).strip()


# --- paragrafi ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ParagrafoStatuto:
    """Un paragrafo di testo; ``titolo`` se è un titolo (stile Heading/Titolo o simile)."""

    testo: str
    titolo: bool = False


_RE_ARTICOLO = re.compile(r"^(art\.?|articolo)\s*\d+", re.IGNORECASE)
_RE_SEZIONE = re.compile(r"^(titolo|capo|sezione|parte)\s+([ivxlcdm]+|\d+)\b", re.IGNORECASE)
_RE_VOCE_ELENCO = re.compile(r"^([a-z]{1,2}\)|\d{1,2}[.)]\s|[-–•·▪◦*]\s|\(?[ivx]{1,4}\)\s)", re.IGNORECASE)
_RE_SILLABATA = re.compile(r"([A-Za-zÀ-ÿ])[-\u2010\u2011\u00ad]$")
_RE_SOLO_PUNTI_ELENCO = re.compile(r"^[\s•·▪◦‣∙●○■□–-]+$")
_RE_NUMERO_PAGINA = re.compile(
    r"^(pag(ina|\.)?\s*)?[-–]?\s*\d{1,4}\s*[-–]?(\s*(di|/)\s*\d{1,4})?$", re.IGNORECASE
)


def _sembra_titolo(testo: str) -> bool:
    t = testo.strip()
    if not t or len(t) > 120:
        return False
    if _RE_ARTICOLO.match(t) and len(t) <= 100 and not t.endswith((",", ";")):
        return True
    if _RE_SEZIONE.match(t):
        return True
    lettere = [c for c in t if c.isalpha()]
    return len(lettere) >= 4 and t.upper() == t and not t.endswith((".", ";", ",", ":"))


# --- lettura DOCX ------------------------------------------------------------------------


def _testo_paragrafo_docx(p: Any) -> str:
    """Testo visibile di un ``w:p``: revisioni inserite sì, cancellate no, caselle di testo
    annidate escluse (sono paragrafi a sé)."""
    parti: list[str] = []
    salta = {_W + "del", _W + "moveFrom", _W + "delText", _W + "instrText", _W + "pPr",
             _W + "rPr", _W + "txbxContent", _W + "footnoteReference", _W + "endnoteReference"}

    def visita(el: Any) -> None:
        for figlio in el:
            tag = figlio.tag
            if not isinstance(tag, str) or tag in salta:
                continue
            if tag == _W + "t":
                parti.append(figlio.text or "")
            elif tag in (_W + "tab", _W + "ptab"):
                parti.append(" ")
            elif tag in (_W + "br", _W + "cr"):
                parti.append(" ")
            elif tag == _W + "noBreakHyphen":
                parti.append("-")
            elif tag == _MC_FALLBACK:
                continue
            else:
                visita(figlio)

    visita(p)
    return _pulisci("".join(parti))


def _stili_titolo(document: Any) -> set[str]:
    """Gli id degli stili di paragrafo che sono titoli (Heading, Titolo, Title o livello di
    struttura), compresi quelli che ne ereditano."""
    try:
        stili = document.styles.element
    except Exception:
        return set()
    base: dict[str, str] = {}
    titoli: set[str] = set()
    for st in stili.iter(_W + "style"):
        sid = st.get(_W + "styleId") or ""
        nome_el = st.find(_W + "name")
        nome = (nome_el.get(_W + "val") if nome_el is not None else "") or ""
        if re.match(r"^(heading|titolo|title|intestazione)\b", nome.strip(), re.IGNORECASE) \
                or re.match(r"^(heading|titolo|title)\d*$", sid, re.IGNORECASE):
            titoli.add(sid)
        livello = st.find(f"{_W}pPr/{_W}outlineLvl")
        if livello is not None and (livello.get(_W + "val") or "9") not in ("9",):
            titoli.add(sid)
        eredita = st.find(_W + "basedOn")
        if eredita is not None:
            base[sid] = eredita.get(_W + "val") or ""
    for sid in list(base):
        visti = set()
        corrente = sid
        while corrente in base and corrente not in visti:
            visti.add(corrente)
            corrente = base[corrente]
            if corrente in titoli:
                titoli.add(sid)
                break
    return titoli


def _estrai_docx(path: Path, nome: str) -> list[ParagrafoStatuto]:
    import docx  # python-docx
    from docx.opc.exceptions import PackageNotFoundError

    from cer_docs.sicurezza.archivi import LIMITI_DOCX, ArchivioPericoloso, controlla_zip

    try:
        controlla_zip(path, nome, LIMITI_DOCX, "Il documento")  # bombe di decompressione
    except ArchivioPericoloso as exc:
        raise ErroreLetturaStatuto(str(exc)) from None
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError) as exc:
        raise ErroreLetturaStatuto(
            f"Impossibile leggere «{nome}»: non è un documento Word .docx valido "
            f"(il file è danneggiato o incompleto). Aprilo in Word o LibreOffice e salvalo "
            f"di nuovo come .docx, oppure esportalo in PDF."
        ) from exc
    except ValueError as exc:
        raise ErroreLetturaStatuto(
            f"Impossibile leggere «{nome}»: è un archivio di un altro tipo (per esempio un "
            f"foglio di calcolo o un documento ODT), non un documento Word .docx. Salvalo "
            f"come .docx o esportalo in PDF."
        ) from exc
    except Exception as exc:  # XML rotto, parti mancanti: il file è comunque illeggibile
        raise ErroreLetturaStatuto(
            f"Impossibile leggere «{nome}»: il contenuto del documento Word è danneggiato "
            f"({type(exc).__name__}). Aprilo in Word o LibreOffice, salvalo di nuovo come "
            f".docx e riprova."
        ) from exc

    titoli = _stili_titolo(document)
    body = document.element.body
    paragrafi: list[ParagrafoStatuto] = []
    for p in body.iter(_W + "p"):
        if any(a.tag == _MC_FALLBACK for a in p.iterancestors()):
            continue  # copia di ripiego di una casella di testo: la versione principale basta
        testo = _testo_paragrafo_docx(p)
        if not testo:
            continue
        stile = p.find(f"{_W}pPr/{_W}pStyle")
        livello = p.find(f"{_W}pPr/{_W}outlineLvl")
        is_titolo = (
            (stile is not None and stile.get(_W + "val") in titoli)
            or (livello is not None and livello.get(_W + "val") not in (None, "9"))
            or _sembra_titolo(testo)
        )
        paragrafi.append(ParagrafoStatuto(testo, bool(is_titolo)))
    return paragrafi


# --- lettura PDF -------------------------------------------------------------------------


@contextmanager
def _pypdf_silenzioso() -> Iterator[None]:
    """pypdf segnala con ``logging`` i difetti che sa aggirare: non li mostriamo all'utente."""
    logger = logging.getLogger("pypdf")
    precedente = logger.level
    logger.setLevel(logging.ERROR + 10)
    try:
        yield
    finally:
        logger.setLevel(precedente)


def _estrai_pdf(path: Path, nome: str) -> list[ParagrafoStatuto]:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError

    with _pypdf_silenzioso():
        try:
            reader = PdfReader(str(path), strict=False)
        except DependencyError as exc:  # cifratura AES senza «cryptography» installato
            raise ErroreLetturaStatuto(
                f"Impossibile leggere «{nome}»: il PDF è cifrato (AES) e questa installazione non ha il "
                f"pacchetto «cryptography» per aprirlo. Reinstalla cer-docs con le sue dipendenze oppure "
                f"fornisci una copia del PDF senza protezione."
            ) from exc
        except Exception as exc:
            raise ErroreLetturaStatuto(
                f"Impossibile leggere «{nome}»: il PDF è danneggiato o incompleto "
                f"({type(exc).__name__}). Scarica o esporta di nuovo il PDF e riprova."
            ) from exc
        try:
            cifrato = reader.is_encrypted
        except Exception:
            cifrato = False
        if cifrato:
            try:
                sbloccato = reader.decrypt("")  # molti PDF hanno solo la password del proprietario
            except (DependencyError, NotImplementedError) as exc:
                raise ErroreLetturaStatuto(
                    f"Impossibile leggere «{nome}»: il PDF è cifrato con un algoritmo che "
                    f"richiede il pacchetto «cryptography». Installalo (pip install "
                    f"cryptography) oppure fornisci una copia del PDF senza protezione."
                ) from exc
            except Exception:
                sbloccato = 0
            if not sbloccato:
                raise ErroreLetturaStatuto(
                    f"Impossibile leggere «{nome}»: il PDF è protetto da password. Chiedi una "
                    f"copia senza protezione (o stampala in PDF dopo averla aperta) e riprova."
                )
        pagine: list[str] = []
        errori = 0
        try:
            numero_pagine = len(reader.pages)
        except Exception as exc:
            raise ErroreLetturaStatuto(
                f"Impossibile leggere «{nome}»: l'indice delle pagine del PDF è danneggiato "
                f"({type(exc).__name__}). Esporta di nuovo il PDF e riprova."
            ) from exc
        for i in range(numero_pagine):
            pagine.append(_testo_pagina(reader, i))
            if pagine[-1] is None:
                errori += 1
                pagine[-1] = ""
        if numero_pagine and errori == numero_pagine:
            raise ErroreLetturaStatuto(
                f"Impossibile leggere «{nome}»: nessuna pagina del PDF ha un contenuto "
                f"leggibile. Esporta di nuovo il PDF dal programma di scrittura e riprova."
            )
    return paragrafi_da_righe(pagine)


def _testo_pagina(reader: Any, indice: int) -> str | None:
    """Il testo di una pagina. La modalità «layout» conserva le righe vuote tra i paragrafi
    e i punti elenco al loro posto; se fallisce si ripiega sull'estrazione semplice."""
    try:
        pagina = reader.pages[indice]
    except Exception:
        return None
    try:
        testo = pagina.extract_text(extraction_mode="layout")
        if testo and testo.strip():
            return testo
    except Exception:
        pass
    try:
        return pagina.extract_text() or ""
    except Exception:
        return None


def _righe_ripetute(pagine: list[list[str]]) -> set[str]:
    """Righe in testa o in coda che si ripetono su molte pagine: intestazioni e piè di pagina."""
    if len(pagine) < 3:
        return set()
    conteggio: dict[str, int] = {}
    for righe in pagine:
        bordo = {r for r in righe[:2] + righe[-2:] if r}
        for r in bordo:
            chiave = re.sub(r"\d+", "#", r)
            conteggio[chiave] = conteggio.get(chiave, 0) + 1
    soglia = max(3, int(len(pagine) * 0.6))
    return {k for k, n in conteggio.items() if n >= soglia}


def paragrafi_da_righe(pagine: Sequence[str]) -> list[ParagrafoStatuto]:
    """Ricompone in paragrafi il testo di un PDF estratto pagina per pagina.

    Unisce le righe spezzate e le parole sillabate a fine riga (``parteci-`` + ``pazione``),
    toglie numeri di pagina e intestazioni ripetute, apre un nuovo paragrafo a ogni riga
    vuota, titolo («Art. 3 – Recesso», righe in maiuscolo), voce d'elenco («a)», «1.», «–»)
    e dopo una riga corta che chiude una frase.
    """
    # il trattino morbido a fine riga è una sillabazione: lo teniamo come trattino visibile
    righe_pagine = [[_pulisci(re.sub("\u00ad\\s*$", "\u2010", r)) for r in (p or "").splitlines()]
                    for p in pagine]
    ripetute = _righe_ripetute([[r for r in rr if r] for rr in righe_pagine])
    righe: list[str] = []
    for rr in righe_pagine:
        for r in rr:
            if r and (_RE_NUMERO_PAGINA.match(r) or re.sub(r"\d+", "#", r) in ripetute
                      or _RE_SOLO_PUNTI_ELENCO.match(r)):
                continue
            righe.append(r)
        righe.append("")  # fine pagina: non chiude il paragrafo da sola (vedi sotto)

    lunghezze = sorted(len(r) for r in righe if len(r) > 20)
    larghezza = lunghezze[int(len(lunghezze) * 0.9)] if lunghezze else 80
    larghezza = max(larghezza, int(median(lunghezze)) if lunghezze else 0, 40)

    paragrafi: list[ParagrafoStatuto] = []
    corrente: list[str] = []
    ultima = ""

    def chiudi(titolo: bool = False) -> None:
        nonlocal corrente, ultima
        if corrente:
            testo = _pulisci(" ".join(corrente))
            if testo:
                paragrafi.append(ParagrafoStatuto(testo, titolo or _sembra_titolo(testo)))
        corrente = []
        ultima = ""

    vuote = 0
    for r in righe:
        if not r:
            vuote += 1
            continue
        vuota_prima, vuote = vuote, 0
        numerato = _RE_ARTICOLO.match(r) is not None or _RE_SEZIONE.match(r) is not None
        titolo = _sembra_titolo(r) and (numerato or len(r) < 0.75 * larghezza)
        if (titolo and not numerato and not corrente and not vuota_prima and paragrafi
                and paragrafi[-1].titolo and not _RE_ARTICOLO.match(paragrafi[-1].testo)
                and not _RE_SEZIONE.match(paragrafi[-1].testo)):
            # titolo libero su due righe («STATUTO DELL'ASSOCIAZIONE» / «… – ETS»)
            paragrafi[-1] = ParagrafoStatuto(f"{paragrafi[-1].testo} {r}", True)
            continue
        if corrente:
            sillabata = _RE_SILLABATA.search(ultima) is not None and r[:1].islower()
            frase_chiusa = ultima.endswith((".", "!", "?", ".»", '."'))
            elenco_chiuso = ultima.endswith((";", ":"))
            riga_corta = len(ultima) < 0.8 * larghezza
            nuovo = (
                titolo
                or _RE_VOCE_ELENCO.match(r) is not None
                or (vuota_prima and not sillabata and (frase_chiusa or elenco_chiuso or riga_corta)
                    and not r[:1].islower())
                or (frase_chiusa and riga_corta and not r[:1].islower())
                or (elenco_chiuso and riga_corta)
            )
            if sillabata and not nuovo:
                corrente[-1] = _RE_SILLABATA.sub(lambda m: m.group(1), corrente[-1]) + r
                ultima = r
                continue
            if nuovo:
                chiudi()
        corrente.append(r)
        ultima = r
        if titolo and len(r) < 0.75 * larghezza:
            chiudi(titolo=True)
    chiudi()
    return paragrafi


# --- ingresso ----------------------------------------------------------------------------


def estrai_paragrafi(path: str | Path) -> list[ParagrafoStatuto]:
    """I paragrafi di testo di uno statuto DOCX o PDF, in ordine.

    Il tipo si riconosce dal contenuto, non dall'estensione. Ogni problema diventa
    ``ErroreLetturaStatuto`` con un messaggio in italiano che nomina il file e il rimedio.
    """
    p = Path(path)
    nome = str(path)
    if not p.exists():
        raise ErroreLetturaStatuto(f"Il file «{nome}» non esiste: controlla il percorso.")
    if not p.is_file():
        raise ErroreLetturaStatuto(f"«{nome}» non è un file: indica un file .docx o .pdf.")
    try:
        dimensione = p.stat().st_size
        with p.open("rb") as f:
            testa = f.read(1024)
    except OSError as exc:
        raise ErroreLetturaStatuto(
            f"Impossibile aprire «{nome}»: {exc.strerror or exc}. Controlla i permessi del file."
        ) from exc
    if dimensione == 0:
        raise ErroreLetturaStatuto(
            f"Il file «{nome}» è vuoto (0 byte): salva di nuovo lo statuto e riprova."
        )
    if dimensione > DIMENSIONE_MASSIMA:
        raise ErroreLetturaStatuto(
            f"Il file «{nome}» è troppo grande per essere uno statuto "
            f"({dimensione // (1024 * 1024)} MB): indica il solo statuto in .docx o .pdf."
        )
    if b"%PDF-" in testa:
        paragrafi = _estrai_pdf(p, nome)
        tipo = "pdf"
    elif testa.startswith(b"PK\x03\x04"):
        paragrafi = _estrai_docx(p, nome)
        tipo = "docx"
    elif testa.startswith(b"\xd0\xcf\x11\xe0"):
        raise ErroreLetturaStatuto(
            f"Impossibile leggere «{nome}»: è un documento Word 97-2003 (.doc) oppure un "
            f".docx protetto da password. Aprilo in Word o LibreOffice, togli l'eventuale "
            f"password e salvalo come .docx (o esportalo in PDF)."
        )
    elif testa.startswith(b"{\\rtf"):
        raise ErroreLetturaStatuto(
            f"Impossibile leggere «{nome}»: è un file RTF. Salvalo come .docx o esportalo in PDF."
        )
    else:
        raise ErroreLetturaStatuto(
            f"Impossibile leggere «{nome}»: il contenuto non è né un documento Word .docx né "
            f"un PDF (l'estensione «{p.suffix or 'assente'}» non basta). Indica lo statuto "
            f"salvato come .docx o esportato in PDF."
        )
    if not any(par.testo.strip() for par in paragrafi):
        if tipo == "pdf":
            raise ErroreLetturaStatuto(
                f"Il PDF «{nome}» non contiene testo selezionabile (forse è una scansione). "
                f"Serve il PDF generato dal programma di scrittura oppure una copia passata "
                f"al riconoscimento del testo (OCR)."
            )
        raise ErroreLetturaStatuto(
            f"Il documento «{nome}» non contiene testo: controlla di aver scelto il file "
            f"giusto dello statuto."
        )
    return paragrafi


# --- regole (dati) -----------------------------------------------------------------------


@dataclass(frozen=True)
class Concetto:
    id: str
    nome: str
    cerca: tuple[re.Pattern[str], ...]
    se_manca: str
    almeno: int = 1
    escludi: tuple[re.Pattern[str], ...] = ()
    gruppo: str = ""  # i concetti dello stesso gruppo vanno trovati nello stesso passaggio


@dataclass(frozen=True)
class DefinizioneElemento:
    lettera: str
    titolo: str
    ambito: str
    concetti: tuple[Concetto, ...]
    riferimenti: tuple[Riferimento, ...]

    @property
    def riferimento(self) -> str:
        return "; ".join(r.testo() for r in self.riferimenti)


@dataclass(frozen=True)
class VersioneRegole:
    id: str
    titolo: str
    dal: dt.date
    riferimenti: tuple[Riferimento, ...]
    elementi: tuple[DefinizioneElemento, ...]

    @property
    def riferimento(self) -> str:
        return "; ".join(r.testo() for r in self.riferimenti)


def _data(v: Any) -> dt.date:
    return v if isinstance(v, dt.date) else dt.date.fromisoformat(str(v))


def _rif(raw: Any) -> Riferimento:
    return Riferimento(fonte=str(raw["fonte"]), articolo=raw.get("articolo"))


def _compila(espressioni: Sequence[str], dove: str) -> tuple[re.Pattern[str], ...]:
    out = []
    for e in espressioni:
        try:
            out.append(re.compile(e))
        except re.error as exc:
            raise ValueError(f"{dove}: espressione non valida {e!r}: {exc}") from None
    return tuple(out)


_AMBITI = ("passaggio", "statuto", "gruppi")


@lru_cache(maxsize=4)
def carica_versioni(percorso: Path = ELEMENTI_YAML) -> tuple[VersioneRegole, ...]:
    """Le versioni degli elementi essenziali, ordinate per data d'effetto."""
    dati = yaml.safe_load(percorso.read_text(encoding="utf-8"))
    definizioni = dati["elementi"]
    versioni = []
    for v in dati["versioni"]:
        elementi = []
        for e in v["elementi"]:
            chiavi = e["usa"]
            basi = [definizioni[k] for k in chiavi]
            ambito = e.get("ambito") or basi[0].get("ambito", "passaggio")
            if ambito not in _AMBITI:
                raise ValueError(f"{percorso.name}: ambito {ambito!r} sconosciuto ({', '.join(_AMBITI)})")
            concetti: list[Concetto] = []
            for k, base in zip(chiavi, basi):
                for c in base["concetti"]:
                    dove = f"{percorso.name}: elemento {k}, concetto {c['id']}"
                    gruppo = {"passaggio": "tutti", "statuto": c["id"], "gruppi": k}[ambito]
                    concetti.append(Concetto(
                        id=c["id"], nome=c["nome"], se_manca=" ".join(c["se_manca"].split()),
                        cerca=_compila(c["cerca"], dove), almeno=int(c.get("almeno", 1)),
                        escludi=_compila(c.get("escludi") or (), dove), gruppo=gruppo,
                    ))
            if "riferimenti" in e:
                rif = tuple(_rif(r) for r in e["riferimenti"])
            else:
                rif = tuple(_rif(basi[0]["riferimenti"][chiave])
                            for chiave in (v["id"], "legge") if chiave in basi[0]["riferimenti"])
            elementi.append(DefinizioneElemento(
                lettera=e["lettera"],
                titolo=e.get("titolo") or basi[0]["titolo"],
                ambito=ambito,
                concetti=tuple(concetti),
                riferimenti=rif,
            ))
        versioni.append(VersioneRegole(
            id=v["id"], titolo=v["titolo"], dal=_data(v["dal"]),
            riferimenti=tuple(_rif(r) for r in v.get("reference") or ()),
            elementi=tuple(elementi),
        ))
    return tuple(sorted(versioni, key=lambda x: x.dal))


def versione_al(al: dt.date) -> VersioneRegole:
    """La versione degli elementi essenziali in vigore alla data ``al``."""
    versioni = carica_versioni()
    scelta = None
    for v in versioni:
        if v.dal <= al:
            scelta = v
    if scelta is None:
        raise ValueError(
            f"Nessuna versione delle Regole Operative è in vigore il {al.isoformat()}: la "
            f"prima vale dal {versioni[0].dal.isoformat()}. Indica una data successiva."
        )
    return scelta


# --- segmenti e passaggi -----------------------------------------------------------------


@dataclass(frozen=True)
class _Segmento:
    testo: str
    norma: str
    articolo: int
    titolo: bool


_RE_FINE_FRASE = re.compile(r"(?<=[.;])\s+(?=[A-ZÀ-Ý«\"(]|[a-z]\)\s)")


def _segmenti(paragrafi: Sequence[ParagrafoStatuto]) -> list[_Segmento]:
    out: list[_Segmento] = []
    articolo = 0
    for par in paragrafi:
        testo = _pulisci(par.testo)
        if not testo:
            continue
        if par.titolo or _RE_ARTICOLO.match(testo) or _RE_SEZIONE.match(testo):
            articolo += 1
        if len(testo) > PARAGRAFO_LUNGO:
            pezzi = [f for f in _RE_FINE_FRASE.split(testo) if f.strip()]
        else:
            pezzi = [testo]
        for i, pezzo in enumerate(pezzi):
            out.append(_Segmento(pezzo, normalizza(pezzo), articolo, par.titolo and i == 0))
    return out


def _finestre(segmenti: Sequence[_Segmento]) -> list[tuple[int, int]]:
    """Intervalli [inizio, fine) di segmenti consecutivi dello stesso articolo."""
    finestre: set[tuple[int, int]] = set()
    n = len(segmenti)
    inizio_articolo = 0
    for i in range(n + 1):
        if i == n or (i > inizio_articolo and segmenti[i].articolo != segmenti[i - 1].articolo):
            fine_articolo = i
            totale = sum(len(s.norma) for s in segmenti[inizio_articolo:fine_articolo])
            if totale <= ARTICOLO_MASSIMO:
                finestre.add((inizio_articolo, fine_articolo))
            for a in range(inizio_articolo, fine_articolo):
                lunghezza = 0
                for b in range(a, min(fine_articolo, a + FINESTRA_PARAGRAFI)):
                    lunghezza += len(segmenti[b].norma)
                    if b > a and lunghezza > FINESTRA_MASSIMA:
                        break
                    finestre.add((a, b + 1))
            inizio_articolo = i
    return sorted(finestre)


def _corrispondenze(concetto: Concetto, norma: str) -> frozenset[int]:
    if any(e.search(norma) for e in concetto.escludi):
        return frozenset()
    return frozenset(i for i, e in enumerate(concetto.cerca) if e.search(norma))


# --- esito -------------------------------------------------------------------------------


@dataclass
class EsitoElemento:
    """L'esito di un elemento essenziale: presente o mancante, con il passaggio e i concetti."""

    lettera: str
    titolo: str
    presente: bool
    passaggio: str | None
    riferimento: str
    concetti_trovati: list[str] = field(default_factory=list)
    concetti_mancanti: list[str] = field(default_factory=list)
    cosa_scrivere: list[str] = field(default_factory=list)
    passaggi: list[str] = field(default_factory=list)

    @property
    def elemento(self) -> str:
        return f"{self.lettera})"

    def as_dict(self) -> dict[str, Any]:
        return {
            "elemento": self.lettera,
            "titolo": self.titolo,
            "presente": self.presente,
            "passaggio": self.passaggio,
            "passaggi": list(self.passaggi),
            "concetti_trovati": list(self.concetti_trovati),
            "concetti_mancanti": list(self.concetti_mancanti),
            "cosa_scrivere": list(self.cosa_scrivere),
            "riferimento": self.riferimento,
        }


@dataclass
class EsitoVerifica:
    file: str
    al: dt.date
    versione: VersioneRegole
    elementi: list[EsitoElemento]

    @property
    def completo(self) -> bool:
        return all(e.presente for e in self.elementi)

    @property
    def mancanti(self) -> list[EsitoElemento]:
        return [e for e in self.elementi if not e.presente]


def _testo_finestra(segmenti: Sequence[_Segmento], f: tuple[int, int]) -> str:
    return "\n".join(s.testo for s in segmenti[f[0]:f[1]])


def _verifica_elemento(
    definizione: DefinizioneElemento,
    segmenti: Sequence[_Segmento],
    finestre: Sequence[tuple[int, int]],
) -> EsitoElemento:
    concetti = definizione.concetti
    colpi = [[_corrispondenze(c, s.norma) for c in concetti] for s in segmenti]
    lunghezze = [len(s.norma) for s in segmenti]
    gruppi: dict[str, list[int]] = {}
    for k, c in enumerate(concetti):
        gruppi.setdefault(c.gruppo, []).append(k)

    cumulata = [0]
    corpi = [0]  # segmenti che non sono titoli, cumulati
    for seg, n in zip(segmenti, lunghezze):
        cumulata.append(cumulata[-1] + n)
        corpi.append(corpi[-1] + (0 if seg.titolo else 1))

    def lunghezza(f: tuple[int, int]) -> int:
        return cumulata[f[1]] - cumulata[f[0]]

    # per ogni gruppo: la finestra che lo soddisfa tutto (più voci d'elenco, poi più breve)
    # e, se nessuna lo soddisfa, quella che ne soddisfa di più (per dire cosa manca)
    completa: dict[str, tuple[tuple[int, ...], tuple[int, int]] | None] = dict.fromkeys(gruppi)
    parziale: dict[str, tuple[tuple[int, ...], tuple[int, int], list[bool]] | None] = dict.fromkeys(gruppi)
    migliore: tuple[tuple[int, bool, int], tuple[int, int], list[bool]] | None = None
    unioni: list[set[int]] = [set() for _ in concetti]
    precedente = (-1, -1)
    for f in finestre:  # ordinate: a parità d'inizio la fine cresce, le unioni si estendono
        if f[0] == precedente[0] and f[1] > precedente[1]:
            nuovi = range(precedente[1], f[1])
        else:
            unioni = [set() for _ in concetti]
            nuovi = range(f[0], f[1])
        for i in nuovi:
            for k in range(len(concetti)):
                unioni[k] |= colpi[i][k]
        precedente = f
        ok = [len(unioni[k]) >= c.almeno for k, c in enumerate(concetti)]
        voci = [len(unioni[k]) if c.almeno > 1 else 0 for k, c in enumerate(concetti)]
        corpo = corpi[f[1]] > corpi[f[0]]  # il passaggio non è fatto di soli titoli
        chiave_tot = (sum(ok), corpo, -lunghezza(f))
        if migliore is None or chiave_tot > migliore[0]:
            migliore = (chiave_tot, f, ok)
        for g, indici in gruppi.items():
            n_ok = sum(ok[k] for k in indici)
            if n_ok == len(indici):
                chiave = (sum(voci[k] for k in indici), -lunghezza(f))
                if completa[g] is None or chiave > completa[g][0]:
                    completa[g] = (chiave, f)
            chiave_p = (n_ok, corpo, -lunghezza(f))
            if parziale[g] is None or chiave_p > parziale[g][0]:
                parziale[g] = (chiave_p, f, ok)

    base = dict(lettera=definizione.lettera, titolo=definizione.titolo,
                riferimento=definizione.riferimento)
    if all(v is not None for v in completa.values()):
        scelte = sorted({v[1] for v in completa.values() if v is not None})
        unite: list[tuple[int, int]] = []
        for f in scelte:  # passaggi sovrapposti o contigui diventano uno
            if unite and f[0] <= unite[-1][1]:
                unite[-1] = (unite[-1][0], max(unite[-1][1], f[1]))
            else:
                unite.append(f)
        testi = [_testo_finestra(segmenti, f) for f in unite]
        return EsitoElemento(presente=True, passaggio="\n[…]\n".join(testi), passaggi=testi,
                             concetti_trovati=[c.nome for c in concetti], **base)

    trovati = [False] * len(concetti)
    for g, indici in gruppi.items():
        if completa[g] is not None:
            for k in indici:
                trovati[k] = True
        elif parziale[g] is not None:
            for k in indici:
                trovati[k] = parziale[g][2][k]
    testo = None
    if migliore is not None and any(migliore[2]):
        testo = _testo_finestra(segmenti, migliore[1])
    return EsitoElemento(
        presente=False,
        passaggio=testo,
        passaggi=[testo] if testo else [],
        concetti_trovati=[c.nome for c, ok in zip(concetti, trovati) if ok],
        concetti_mancanti=[c.nome for c, ok in zip(concetti, trovati) if not ok],
        cosa_scrivere=[c.se_manca for c, ok in zip(concetti, trovati) if not ok],
        **base,
    )


def verifica_paragrafi(paragrafi: Sequence[ParagrafoStatuto], al: dt.date) -> tuple[VersioneRegole, list[EsitoElemento]]:
    """Verifica gli elementi essenziali in vigore alla data ``al`` su paragrafi già estratti."""
    versione = versione_al(al)
    segmenti = _segmenti(paragrafi)
    finestre = _finestre(segmenti)
    return versione, [_verifica_elemento(d, segmenti, finestre) for d in versione.elementi]


def verifica_file(path: str | Path, al: dt.date) -> EsitoVerifica:
    """Legge uno statuto DOCX o PDF e verifica gli elementi essenziali alla data ``al``."""
    versione_al(al)  # prima di leggere il file: una data senza regole si segnala subito
    paragrafi = estrai_paragrafi(path)
    versione, elementi = verifica_paragrafi(paragrafi, al)
    return EsitoVerifica(file=str(path), al=al, versione=versione, elementi=elementi)
