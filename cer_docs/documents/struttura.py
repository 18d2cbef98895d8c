"""La struttura neutra di un documento risolto.

Il motore (``motore.py``) trasforma una specifica di documento, la libreria delle
clausole e il contesto di una pratica in un ``Documento``: un titolo e una sequenza di
blocchi (titoli di sezione, titoli d'articolo, paragrafi, elenchi, tabelle, firme).
I due scrittori (``scrittura_docx.py`` e ``scrittura_pdf.py``) leggono la *stessa*
struttura, quindi DOCX e PDF portano lo stesso testo.

Il testo dell'utente arriva qui già separato in ``Segmento``: nessuno scrittore lo
interpreta come markup. ``testo_canonico`` dà la forma testuale usata dagli snapshot.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Iterable, Literal, Union

Allineamento = Literal["giustificato", "centrato", "destra", "sinistra"]

ETICHETTA_ARTICOLO = "Art. {n}"
"""L'etichetta numerata di un articolo nel suo titolo («Art. 7 – Sede»). Nel DOCX è il testo del
livello della numerazione di Word legata allo stile dell'articolo (``w:lvlText`` «Art. %1»)."""

RINVIO_ARTICOLO = "art. {n}"
"""Un rinvio dentro una frase, in minuscolo come scrive un notaio («ai sensi dell'art. 7»). Nel
DOCX è un campo REF che riporta l'etichetta del titolo con l'interruttore ``\\* Lower`` (Word la
scrive in minuscolo; LibreOffice 7.4 ignora l'interruttore e, quando ricalcola i campi, mostra
«Art. 7»)."""


def etichetta_articolo(numero: int | str) -> str:
    return ETICHETTA_ARTICOLO.format(n=numero)


@dataclass(frozen=True)
class Rinvio:
    """Un rinvio a un articolo dello stesso documento (``{{ art.<id> }}`` in una clausola).

    Il motore lo riceve come valore di un campo e ne fa un ``Segmento`` con ``rinvio=id``:
    il PDF stampa l'etichetta, il DOCX un campo REF al segnalibro del titolo dell'articolo."""

    id: str
    numero: int

    def __str__(self) -> str:
        return RINVIO_ARTICOLO.format(n=self.numero)


@dataclass(frozen=True)
class Segmento:
    """Un tratto di testo con attributi uniformi.

    ``evidenza`` è la lettera dell'elemento essenziale dello statuto (a–g) che il tratto
    soddisfa; gli scrittori la mostrano solo se il documento chiede l'evidenziazione.
    ``\\n`` nel testo è un a capo dentro il paragrafo. ``rinvio`` è l'id dell'articolo dello
    stesso documento a cui il tratto rinvia (il testo è allora «art. N»).
    """

    testo: str
    evidenza: str | None = None
    grassetto: bool = False
    corsivo: bool = False
    rinvio: str | None = None
    da_completare: bool = False
    """Un dato mancante (``__________``): gli scrittori lo evidenziano sempre, perché chi firma lo
    veda e lo completi; ``verifica`` elenca gli stessi dati prima della firma."""


@dataclass
class Titolo:
    testo: str
    sottotitoli: list[str] = field(default_factory=list)
    tipo: Literal["titolo"] = "titolo"


@dataclass
class Intestazione:
    """Titolo di sezione (livello 1: «Titolo I – …», «Allegato A») o di parte (livello 2)."""

    testo: str
    livello: int = 1
    tipo: Literal["intestazione"] = "intestazione"


@dataclass
class TitoloArticolo:
    numero: int
    titolo: str
    id: str
    tipo: Literal["articolo"] = "articolo"

    @property
    def etichetta(self) -> str:
        return etichetta_articolo(self.numero)

    @property
    def testo(self) -> str:
        return f"{self.etichetta} – {self.titolo}"


@dataclass
class Paragrafo:
    segmenti: list[Segmento]
    comma: str | None = None
    allineamento: Allineamento = "giustificato"
    grassetto: bool = False
    id_clausola: str | None = None
    tipo: Literal["paragrafo"] = "paragrafo"

    @property
    def testo(self) -> str:
        corpo = "".join(s.testo for s in self.segmenti)
        return f"{self.comma} {corpo}" if self.comma else corpo

    @property
    def evidenze(self) -> set[str]:
        return {s.evidenza for s in self.segmenti if s.evidenza}


@dataclass
class Voce:
    segno: str | None  # "a)" per gli elenchi con lettere, None per quelli puntati
    segmenti: list[Segmento]
    livello: int = 0   # 0 voce dell'elenco; 1 sotto-voce della voce che la precede (rientrata di più)

    @property
    def testo(self) -> str:
        corpo = "".join(s.testo for s in self.segmenti)
        return f"{self.segno} {corpo}" if self.segno else corpo


@dataclass
class Elenco:
    voci: list[Voce]
    lettere: bool = False
    id_clausola: str | None = None
    tipo: Literal["elenco"] = "elenco"

    @property
    def evidenze(self) -> set[str]:
        return {s.evidenza for v in self.voci for s in v.segmenti if s.evidenza}


@dataclass
class Colonna:
    titolo: str
    larghezza: float = 1.0  # peso relativo
    allineamento: Allineamento = "sinistra"


@dataclass
class Tabella:
    colonne: list[Colonna]
    righe: list[list[str]]
    didascalia: str | None = None
    evidenzia_colonna: int | None = None
    tipo: Literal["tabella"] = "tabella"


@dataclass
class Firma:
    nome: str
    qualifica: str | None = None


@dataclass
class Firme:
    firmatari: list[Firma]
    intestazione: str | None = None
    tipo: Literal["firme"] = "firme"


@dataclass
class SaltoPagina:
    tipo: Literal["salto_pagina"] = "salto_pagina"


Blocco = Union[Titolo, Intestazione, TitoloArticolo, Paragrafo, Elenco, Tabella, Firme, SaltoPagina]


@dataclass
class Inclusione:
    """Un documento incluso per intero (allegato, copia), da ``indice`` fino alla fine dei
    blocchi. Lo scrittore PDF può riusarne le pagine già impaginate."""

    indice: int
    documento: "Documento"
    allegato: bool = False         # con frontespizio proprio: può avere pagine e numerazione sue
    inizio: int | None = None      # allegato: dove comincia (il frontespizio), se prima di indice

    @property
    def fine(self) -> int:
        return self.indice + len(self.documento.blocchi)


@dataclass
class Documento:
    """Un documento risolto, pronto per gli scrittori."""

    tipo: str                      # statuto, atto_costitutivo, regolamento, statuto_gse
    titolo: str                    # titolo breve (metadati, nome nel manifest)
    intestazione: str              # testo dell'intestazione di pagina (nome della CER)
    blocchi: list[Blocco] = field(default_factory=list)
    evidenzia: bool = False        # copia GSE: mostra le evidenze degli elementi essenziali
    bozza: bool = False
    lingua: str = "it-IT"
    lacune: int = 0                # dati mancanti resi come spazi da completare
    inclusi: list[Inclusione] = field(default_factory=list)
    piede: str = ""                # nel piè di pagina prima di « – pagina X» («Allegato A – Statuto»)
    # per ogni spazio da completare che è un dato mancante, il percorso del dato nel file pratica
    # (None se non si sa): l'avviso della generazione li nomina; non decide i byte dei file
    mancanti: list[str | None] = field(default_factory=list, repr=False, compare=False)

    def articoli(self) -> list[TitoloArticolo]:
        return [b for b in self.blocchi if isinstance(b, TitoloArticolo)]


# ----------------------------------------------------------------------------- testo

def testo_blocco(b: Blocco, *, con_evidenze: bool = False) -> list[str]:
    """Le righe di testo di un blocco, nell'ordine in cui un lettore le legge."""

    def seg(segmenti: Iterable[Segmento]) -> str:
        if not con_evidenze:
            return "".join(s.testo for s in segmenti)
        out, aperta = [], None
        for s in segmenti:
            if s.evidenza != aperta:
                if aperta:
                    out.append("⟧")
                if s.evidenza:
                    out.append(f"⟦{s.evidenza}:")
                aperta = s.evidenza
            out.append(s.testo)
        if aperta:
            out.append("⟧")
        return "".join(out)

    if isinstance(b, Titolo):
        return [b.testo, *b.sottotitoli]
    if isinstance(b, (Intestazione, TitoloArticolo)):
        return [b.testo]
    if isinstance(b, Paragrafo):
        corpo = seg(b.segmenti)
        return [f"{b.comma} {corpo}" if b.comma else corpo]
    if isinstance(b, Elenco):
        return ["  " * v.livello + (f"{v.segno} {seg(v.segmenti)}" if v.segno else f"• {seg(v.segmenti)}")
                for v in b.voci]
    if isinstance(b, Tabella):
        righe = []
        if b.didascalia:
            righe.append(b.didascalia)
        righe.append(" | ".join(c.titolo for c in b.colonne))
        righe += [" | ".join(r) for r in b.righe]
        return righe
    if isinstance(b, Firme):
        righe = [b.intestazione] if b.intestazione else []
        for f in b.firmatari:
            righe.append(f"{f.nome} ({f.qualifica})" if f.qualifica else f.nome)
        return righe
    if isinstance(b, SaltoPagina):
        return []
    raise TypeError(f"blocco sconosciuto: {type(b).__name__}")


def testo_canonico(doc: Documento, *, con_evidenze: bool = True) -> str:
    """Il testo del documento, una riga per blocco/voce: la forma degli snapshot."""
    righe: list[str] = []
    for b in doc.blocchi:
        if isinstance(b, SaltoPagina):
            righe.append("---- salto pagina ----")
            continue
        if isinstance(b, (TitoloArticolo, Intestazione, Titolo)) and righe and righe[-1] != "":
            righe.append("")
        righe += testo_blocco(b, con_evidenze=con_evidenze)
    return "\n".join(righe) + "\n"


# ----------------------------------------------------------------------------- identità

PREFISSO_CLAUSOLA = "cl_"
PREFISSO_ARTICOLO = "art_"
MAX_SEGNALIBRO = 40          # limite di Word al nome di un segnalibro
_NON_AMMESSI = re.compile(r"[^A-Za-z0-9_]")


def impronta(testo: str) -> str:
    """sha256 del testo d'identità di una clausola."""
    return hashlib.sha256(testo.encode("utf-8")).hexdigest()


def normalizza_riga(testo: str) -> str:
    """Una riga (paragrafo o voce) nella forma d'identità: spazi e a capo unificati."""
    return " ".join(testo.split())


def segno_rinvio(id_articolo: str) -> str:
    """Come un rinvio entra nel testo d'identità: l'articolo, non il suo numero, così che
    rinumerare gli articoli non cambi l'impronta delle clausole che vi rinviano."""
    return f"⟦art:{id_articolo}⟧"


def _testo_segmenti_identita(segmenti: Iterable[Segmento]) -> str:
    return "".join(segno_rinvio(s.rinvio) if s.rinvio else s.testo for s in segmenti)


def righe_identita(b: Blocco) -> list[str]:
    """Le righe di un blocco di clausola nella forma d'identità (quella che ``lettura_docx``
    ricostruisce dal file)."""
    if isinstance(b, Paragrafo):
        corpo = _testo_segmenti_identita(b.segmenti)
        return [normalizza_riga(f"{b.comma} {corpo}" if b.comma else corpo)]
    if isinstance(b, Elenco):
        return [normalizza_riga(f"{v.segno} {_testo_segmenti_identita(v.segmenti)}" if v.segno
                                else _testo_segmenti_identita(v.segmenti)) for v in b.voci]
    return []


def nome_segnalibro(base: str, usati: set[str]) -> str:
    """Un nome di segnalibro valido per Word (lettere, cifre, trattino basso; comincia con
    una lettera; al più 40 caratteri) e unico tra ``usati`` (che aggiorna)."""
    nome = _NON_AMMESSI.sub("_", base)
    if not nome[:1].isalpha():
        nome = "x" + nome
    if len(nome) > MAX_SEGNALIBRO:
        nome = nome[:MAX_SEGNALIBRO - 7] + "_" + hashlib.sha1(base.encode()).hexdigest()[:6]
    candidato, n = nome, 1
    while candidato in usati:
        n += 1
        suffisso = f"_{n}"
        candidato = nome[:MAX_SEGNALIBRO - len(suffisso)] + suffisso
    usati.add(candidato)
    return candidato


def ambiti(doc: Documento) -> list[str]:
    """Per ogni blocco, il prefisso dell'ambito a cui appartiene (rinvii e segnalibri)."""
    out = [""] * len(doc.blocchi)
    for k, inc in enumerate(doc.inclusi, start=1):
        for i in range(inc.indice, min(inc.fine, len(out))):
            out[i] = f"A{k}_"
    return out


def documento_ambito(doc: Documento, prefisso: str) -> str:
    if not prefisso:
        return doc.tipo
    return doc.inclusi[int(prefisso[1:-1]) - 1].documento.tipo


@dataclass(frozen=True)
class Identita:
    """L'identità stabile di una clausola (o di un titolo d'articolo) nel DOCX."""

    segnalibro: str      # nome del segnalibro che la avvolge
    tipo: Literal["clausola", "articolo"]
    id: str              # id della clausola o dell'articolo
    documento: str       # documento a cui appartiene (lo statuto allegato: «statuto»)
    inizio: int          # blocchi [inizio, fine)
    fine: int
    testo: str           # forma d'identità (righe unite da a capo)

    @property
    def sha256(self) -> str:
        return impronta(self.testo)


def identita(doc: Documento) -> list[Identita]:
    """Segnalibri di articoli e clausole, nell'ordine del documento.

    Nomi: ``art_<id articolo>`` sul titolo di ogni articolo, ``cl_<id clausola>`` attorno ai
    blocchi consecutivi di una stessa clausola; ``A<k>_`` davanti per il k-esimo documento
    incluso (lo statuto allegato all'atto), ``_2``… se la stessa clausola torna."""
    pref = ambiti(doc)
    usati: set[str] = set()
    out: list[Identita] = []
    i, n = 0, len(doc.blocchi)
    while i < n:
        b = doc.blocchi[i]
        if isinstance(b, TitoloArticolo):
            nome = nome_segnalibro(f"{pref[i]}{PREFISSO_ARTICOLO}{b.id}", usati)
            # il numero non entra nell'identità: «– Titolo», come il testo del paragrafo nel DOCX
            out.append(Identita(nome, "articolo", b.id, documento_ambito(doc, pref[i]), i, i + 1,
                                normalizza_riga(f"– {b.titolo}")))
            i += 1
            continue
        idc = getattr(b, "id_clausola", None)
        if not idc:
            i += 1
            continue
        j = i
        righe: list[str] = []
        while j < n and getattr(doc.blocchi[j], "id_clausola", None) == idc and pref[j] == pref[i]:
            righe += righe_identita(doc.blocchi[j])
            j += 1
        nome = nome_segnalibro(f"{pref[i]}{PREFISSO_CLAUSOLA}{idc}", usati)
        out.append(Identita(nome, "clausola", idc, documento_ambito(doc, pref[i]), i, j, "\n".join(righe)))
        i = j
    return out


def titolo_metadati(doc: Documento) -> str:
    """Il titolo del file (proprietà del DOCX, <title> del PDF) senza ripetere il titolo
    già contenuto nell'intestazione («Statuto – CER X», non «Statuto – Statuto – CER X»;
    «Regolamento «Conf. A» – CER X», non «Regolamento della configurazione – Regolamento …»)."""
    if not doc.intestazione:
        return doc.titolo
    intestazione, titolo = doc.intestazione.casefold(), doc.titolo.casefold()
    if titolo in intestazione or (titolo.split() and intestazione.startswith(titolo.split()[0])):
        return doc.intestazione
    return f"{doc.titolo} – {doc.intestazione}"
