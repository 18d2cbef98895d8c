"""Registro delle spese PNRR di un impianto: fatture, pagamenti e il file caricato.

Il registro sta nel file pratica (``contributo_pnrr.spese``) così la pratica resta portabile:
chi la esporta porta con sé l'elenco delle spese, i numeri delle fatture, i bonifici e
l'impronta SHA-256 di ogni file. I file stessi stanno nel database (tabella
``documento_caricato``) e si ritrovano dall'impronta.

Qui si controlla solo la forma; l'ammissibilità (data rispetto all'avvio dei lavori, bonifico,
termine di pagamento, CUP) è compito di ``cer_docs.pnrr.spese``, che restituisce rilievi.

Il modulo non importa ``pratica.py`` (che importa questo): ne ripete le due convenzioni
minime, campi sconosciuti rifiutati e importi in euro con due decimali.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from .limiti import controlla_importo

__all__ = ["AccordoConcessione", "AltroFondoUe", "DocumentoSpesa", "Fattura", "Fornitore", "MetodoPagamento",
           "Pagamento", "Spesa", "TappaRendicontazione", "TipoSpesa", "TIPI_SPESA"]

TipoSpesa = Literal[
    "studi_prefattibilita",
    "costituzione_configurazione",
    "progettazione",
    "indagini_geologiche",
    "direzione_lavori",
    "sicurezza",
    "fornitura_installazione",
    "opere_edili",
    "connessione",
    "collaudo",
    "altro",
]

# Etichette per le persone (UI, PDF, CLI)
TIPI_SPESA: dict[str, str] = {
    "studi_prefattibilita": "Studi di prefattibilità",
    "costituzione_configurazione": "Costituzione della configurazione",
    "progettazione": "Progettazione",
    "indagini_geologiche": "Indagini geologiche e geotecniche",
    "direzione_lavori": "Direzione dei lavori",
    "sicurezza": "Coordinamento della sicurezza",
    "fornitura_installazione": "Fornitura e posa in opera",
    "opere_edili": "Opere edili e impiantistiche",
    "connessione": "Connessione alla rete",
    "collaudo": "Collaudo",
    "altro": "Altra spesa",
}

MetodoPagamento = Literal[
    "bonifico_bancario", "bonifico_postale", "contanti", "assegno", "carta", "addebito_diretto", "altro",
]


def _centesimi(d: Decimal) -> Decimal:
    controlla_importo(d)  # NaN, infinito, 1e999999: messaggio italiano prima di arrotondare
    if d != d.quantize(Decimal("0.01")):
        raise ValueError("un importo in euro può avere al massimo due decimali")
    return d.quantize(Decimal("0.01"))


Euro = Annotated[Decimal, AfterValidator(_centesimi)]


class _Base(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, validate_assignment=False)


class Fornitore(_Base):
    denominazione: str
    partita_iva: str | None = None
    codice_fiscale: str | None = None


class DocumentoSpesa(_Base):
    """Il file della fattura caricato nell'archivio (si ritrova dall'impronta)."""

    nome_file: str
    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
    tipo: Literal["fattura_xml", "fattura_p7m", "fattura_pdf"]
    dimensione: int = Field(ge=0)


class Fattura(_Base):
    numero: str
    data: date
    fornitore: Fornitore
    tipo_documento: str | None = None          # TD01 fattura, TD04 nota di credito, ...
    imponibile_euro: Euro
    iva_euro: Euro = Decimal("0.00")
    totale_euro: Euro
    descrizione: str | None = None
    cup: str | None = None                     # come riportato in fattura
    cig: str | None = None
    codice_progetto_gse: str | None = None
    modalita_pagamento: list[str] = Field(default_factory=list)   # codici FatturaPA (MP05...)
    scadenza_pagamento: date | None = None
    documento: DocumentoSpesa | None = None


class Pagamento(_Base):
    data: date
    importo_euro: Euro = Field(gt=0)
    metodo: MetodoPagamento = "bonifico_bancario"
    riferimento: str | None = None             # CRO / TRN del bonifico
    causale: str | None = None


class Spesa(_Base):
    """Una voce del registro: la fattura, il tipo di spesa e i pagamenti che la saldano."""

    id: Annotated[str, Field(min_length=1, max_length=80, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    tipo_spesa: TipoSpesa = "altro"
    descrizione: str | None = None
    fattura: Fattura
    pagamenti: list[Pagamento] = Field(default_factory=list)
    importo_rendicontato_euro: Euro | None = Field(default=None, ge=0)   # se diverso dall'imponibile
    note: str | None = None

    @model_validator(mode="after")
    def _coerenza(self) -> "Spesa":
        f = self.fattura
        if self.importo_rendicontato_euro is not None and self.importo_rendicontato_euro > f.totale_euro:
            raise ValueError("l'importo rendicontato non può superare il totale della fattura")
        return self

    @property
    def importo_rendicontato(self) -> Decimal:
        """Quanto si chiede di riconoscere: di norma l'imponibile (l'IVA recuperabile non è ammissibile)."""
        if self.importo_rendicontato_euro is not None:
            return self.importo_rendicontato_euro
        return self.fattura.imponibile_euro

    @property
    def pagato(self) -> Decimal:
        return sum((p.importo_euro for p in self.pagamenti), Decimal("0.00"))


class TappaRendicontazione(_Base):
    """Una tappa del cronoprogramma di rendicontazione fissato dall'accordo di concessione."""

    entro: date
    descrizione: str = Field(min_length=1, max_length=300)


class AccordoConcessione(_Base):
    """L'atto/accordo di concessione del contributo firmato con il GSE (DL 19/2026, art. 27 c. 3 e 6).

    Dal 20/02/2026 i tempi di rendicontazione e il termine per pagare le spese li fissa ciascun
    accordo: se ne registrano gli estremi quando si conoscono. ``data_notifica`` è la data in cui
    l'atto di concessione è stato notificato (comunicato) al beneficiario: da lì corrono i 24 mesi
    per l'entrata in esercizio.
    """

    estremi: str | None = Field(default=None, max_length=200)   # numero/protocollo dell'atto o dell'accordo
    data_firma: date | None = None
    data_notifica: date | None = None
    termine_pagamenti: date | None = None           # ultimo giorno per quietanzare le spese ammissibili
    rendicontazione: list[TappaRendicontazione] = Field(default_factory=list)

    @model_validator(mode="after")
    def _date(self) -> "AccordoConcessione":
        if self.data_firma and self.data_notifica and self.data_notifica < self.data_firma:
            raise ValueError("la notifica dell'atto di concessione non può precedere la firma")
        return self

    @property
    def nome(self) -> str:
        return f"accordo di concessione {self.estremi}" if self.estremi else "accordo di concessione"


class AltroFondoUe(_Base):
    """Un altro finanziamento con fondi dell'Unione europea dichiarato sull'impianto (es. FESR, FEASR)."""

    programma: str = Field(min_length=1, max_length=200)
    importo_euro: Euro | None = Field(default=None, ge=0)
    # copre le stesse spese del contributo PNRR? None = non si sa ancora
    stesse_spese: bool | None = None
    note: str | None = None
