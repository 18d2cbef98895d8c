"""Manifestazione di interesse promossa da un ente pubblico: la campagna e le candidature.

Una campagna raccoglie candidature di cittadini, imprese ed enti che vogliono entrare in una
CER; l'ufficio le valuta (screening) e passa quelle ammesse ai fondatori, convertendole in
soggetti, membri e punti di connessione di una pratica, senza ridigitare nulla.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from pydantic import Field, model_validator

from .pratica import Base, Indirizzo, Rappresentante, TipoSoggetto

StatoCampagna = Literal["bozza", "aperta", "chiusa", "conclusa"]
RuoloCandidato = Literal["consumatore", "produttore", "prosumer", "produttore_terzo"]
Decisione = Literal["da_valutare", "ammessa", "riserva", "esclusa"]


class Responsabile(Base):
    nome: str
    sesso: Literal["F", "M"] | None = None   # per l'accordo («la responsabile del procedimento»)
    qualifica: str | None = None
    email: str | None = None
    telefono: str | None = None


class EnteProcedente(Base):
    denominazione: str
    codice_fiscale: str | None = None
    pec: str | None = None
    sede: Indirizzo = Field(default_factory=Indirizzo)
    sito: str | None = None


class Campagna(Base):
    codice: str = Field(min_length=1, max_length=80, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    titolo: str
    ente: EnteProcedente
    responsabile: Responsabile
    finalita: str | None = None
    comuni: list[str] = Field(default_factory=list)
    cabine_primarie: list[str] = Field(default_factory=list)
    ruoli_ammessi: list[RuoloCandidato] = Field(
        default_factory=lambda: ["consumatore", "produttore", "prosumer", "produttore_terzo"])
    data_pubblicazione: dt.date | None = None
    scadenza: dt.date | None = None
    canale: str | None = None
    allegati_richiesti: list[str] = Field(default_factory=list)
    # ore equivalenti di produzione annua per kW installato, per stimare la produzione prevista
    producibilita_kwh_per_kw: Decimal = Field(default=Decimal(1200), gt=0)
    produzione_prevista_kwh: Decimal | None = Field(default=None, ge=0)
    pratica: str | None = None
    stato: StatoCampagna = "bozza"


class PodCandidato(Base):
    pod: str
    cabina_primaria: str | None = None
    indirizzo: str | None = None
    uso: str | None = None
    scambio_sul_posto: bool = False


class ImpiantoCandidato(Base):
    fonte: str = "fotovoltaico"
    potenza_kw: Decimal = Field(gt=0)
    esistente: bool = False
    data_entrata_esercizio: dt.date | None = None
    pod: str | None = None
    altri_incentivi: list[str] = Field(default_factory=list)


class Candidatura(Base):
    protocollo: str | None = None
    ricevuta_il: dt.datetime | None = None
    # anagrafica del candidato: gli stessi campi di un soggetto della pratica
    tipo: TipoSoggetto = "persona_fisica"
    nome: str | None = None
    cognome: str | None = None
    nato_a: str | None = None
    nato_il: dt.date | None = None
    denominazione: str | None = None
    codice_fiscale: str
    partita_iva: str | None = None
    dimensione: Literal["micro", "piccola", "media", "grande"] | None = None
    partecipazione_enti_territoriali_pct: Decimal | None = Field(default=None, ge=0, le=100)
    codice_ateco: str | None = None
    classificazione_ateco: Literal[2007, 2025] | None = None
    riconosciuta: bool | None = None
    indirizzo: Indirizzo = Field(default_factory=Indirizzo)
    rappresentante: Rappresentante | None = None
    email: str | None = None
    pec: str | None = None
    telefono: str | None = None
    # partecipazione
    ruolo: RuoloCandidato = "consumatore"
    pod: list[PodCandidato] = Field(default_factory=list)
    consumo_annuo_kwh: Decimal | None = Field(default=None, ge=0)
    impianto: ImpiantoCandidato | None = None
    interesse_pnrr: bool = False
    # dichiarazioni e consenso
    dichiara_non_grande_impresa: bool = False
    dichiara_ateco_non_escluso: bool = False
    consenso_privacy: bool = False
    consenso_privacy_il: dt.datetime | None = None
    # valutazione dell'ufficio
    decisione: Decisione = "da_valutare"
    note: str | None = None
    valutata_da: str | None = None
    valutata_il: dt.datetime | None = None

    @property
    def nome_completo(self) -> str:
        if self.tipo == "persona_fisica":
            return " ".join(p for p in (self.nome, self.cognome) if p)
        return self.denominazione or ""

    @model_validator(mode="after")
    def _anagrafica(self) -> "Candidatura":
        if self.tipo == "persona_fisica":
            if not (self.nome and self.cognome):
                raise ValueError("per una persona servono nome e cognome")
        elif not self.denominazione:
            raise ValueError("per un ente o un'impresa serve la denominazione")
        return self


FORMATO_CAMPAGNA = "cer-docs/campagna@1"


class FileCampagna(Base):
    """Forma portabile di una campagna con le sue candidature."""

    formato: Literal["cer-docs/campagna@1"] = FORMATO_CAMPAGNA
    campagna: Campagna
    candidature: list[Candidatura] = Field(default_factory=list)
