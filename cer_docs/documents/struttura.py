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

from dataclasses import dataclass, field
from typing import Iterable, Literal, Union

Allineamento = Literal["giustificato", "centrato", "destra", "sinistra"]


@dataclass(frozen=True)
class Segmento:
    """Un tratto di testo con attributi uniformi.

    ``evidenza`` è la lettera dell'elemento essenziale dello statuto (a–g) che il tratto
    soddisfa; gli scrittori la mostrano solo se il documento chiede l'evidenziazione.
    ``\\n`` nel testo è un a capo dentro il paragrafo.
    """

    testo: str
    evidenza: str | None = None
    grassetto: bool = False
    corsivo: bool = False
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
    def testo(self) -> str:
        return f"Art. {self.numero} – {self.titolo}"


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
        return [f"{v.segno} {seg(v.segmenti)}" if v.segno else f"• {seg(v.segmenti)}" for v in b.voci]
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
