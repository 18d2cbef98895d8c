"""Modello di dominio della pratica (formato ``cer-docs/pratica@1``).

I nomi dei campi sono quelli normativi del file di esempio
(``samples/pratica-esempio.yaml``). Qui si controlla solo la *forma* della pratica:
tipi, valori ammessi, riferimenti tra id. La conformità alle regole (codici fiscali,
requisiti dei membri, impianti, PNRR...) è compito di ``cer_docs.rules``, che
restituisce rilievi spiegati invece di rifiutare il file.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from .limiti import controlla_importo

FORMATO = "cer-docs/pratica@1"

StatoPratica = Literal[
    "in_progetto", "promozione", "in_costituzione", "costituita",
    "richiesta_inviata", "qualificata", "operativa",
]
FormaGiuridica = Literal[
    "associazione_non_riconosciuta", "associazione_riconosciuta", "fondazione_partecipazione",
    "cooperativa", "ets_associazione", "impresa_sociale",
]
FormaAtto = Literal["atto_pubblico", "scrittura_privata_autenticata", "scrittura_privata_registrata"]
TipoSoggetto = Literal[
    "persona_fisica", "impresa", "associazione", "ente_territoriale", "ente_religioso",
    "ente_ricerca", "ets", "associazione_ambientale", "amministrazione_locale",
    "ater", "ipab", "asp", "consorzio_bonifica", "pa_centrale", "condominio", "altro",
]
DimensioneImpresa = Literal["micro", "piccola", "media", "grande"]
RuoloMembro = Literal["consumatore", "prosumer", "produttore"]
TipoConfigurazione = Literal["CER", "AUC", "AID"]
QualificaReferente = Literal[
    "comunita", "membro", "esco_uni_11352", "condominio", "amministratore_condominio",
    "proprietario_edificio", "autoconsumatore",
]
Fonte = Literal[
    "fotovoltaico", "eolico", "idroelettrico", "biomassa", "biogas", "bioliquidi",
    "geotermico", "gas_residuati", "moto_ondoso", "altra_rinnovabile", "non_rinnovabile",
]
Intervento = Literal["nuova_costruzione", "potenziamento", "esistente"]
DestinazioneEccedenza = Literal["consumatori_non_imprese", "finalita_sociali"]
ProfiloConsumo = Literal["domestico", "edificio_pubblico", "attivita_commerciale", "attivita_produttiva",
                         "illuminazione_pubblica", "nessuno"]
Sesso = Literal["F", "M"]
"""Sesso anagrafico di una persona fisica; se manca si ricava dal codice fiscale (``rules.fatti``)."""


def _centesimi(d: Decimal) -> Decimal:
    controlla_importo(d)  # NaN, infinito, 1e999999: messaggio italiano prima di arrotondare
    if d != d.quantize(Decimal("0.01")):
        raise ValueError("un importo in euro può avere al massimo due decimali")
    return d.quantize(Decimal("0.01"))


# Importo in euro: Decimal con due decimali (i numeri YAML 10.00 arrivano come 10.0)
Euro = Annotated[Decimal, AfterValidator(_centesimi)]


class Base(BaseModel):
    """Base comune: campi sconosciuti rifiutati (un refuso non deve passare inosservato)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, validate_assignment=False)


class Indirizzo(Base):
    indirizzo: str | None = None
    cap: str | None = None
    comune: str | None = None
    provincia: str | None = None
    regione: str | None = None


class Registrazione(Base):
    data: date | None = None
    ufficio: str | None = None
    numero: str | None = None


class Notaio(Base):
    """Il notaio che riceve l'atto pubblico o autentica le firme.

    Nel file pratica ``notaio`` può restare un semplice testo (``"Federica Landini, notaio in
    Bibbiena"``): il modello lo accetta com'è. La forma strutturata serve a scrivere la
    comparizione dell'atto («avanti a me, dottoressa ..., notaio in ..., iscritta nel ruolo del
    distretto notarile di ...») e la riga di repertorio e raccolta.
    """

    nome: str | None = None
    cognome: str | None = None
    sesso: Sesso | None = None
    sede: str | None = None                  # comune in cui il notaio ha sede
    distretto: str | None = None             # distretto notarile (o distretti riuniti)
    repertorio: str | None = None            # numero di repertorio dell'atto
    raccolta: str | None = None              # numero di raccolta dell'atto

    @property
    def nome_completo(self) -> str | None:
        return " ".join(p for p in (self.nome, self.cognome) if p) or None


class AttoCostitutivo(Base):
    forma: FormaAtto = "scrittura_privata_registrata"
    luogo: str | None = None                 # luogo di sottoscrizione dell'atto
    data_prevista: date | None = None
    data: date | None = None
    registrazione: Registrazione | None = None
    notaio: Notaio | str | None = None       # testo libero (formato storico) oppure dati strutturati
    repertorio: str | None = None

    @property
    def dati_notaio(self) -> Notaio | None:
        """Il notaio sempre come struttura: un testo libero diventa ``Notaio(nome=testo)``."""
        if self.notaio is None or isinstance(self.notaio, Notaio):
            return self.notaio
        testo = self.notaio.strip()
        if not testo:
            return None
        # «Federica Landini, notaio in Bibbiena»: il nome e la sede
        nome, sep, sede = testo.partition(", notaio in ")
        return Notaio(nome=nome.strip(), sede=sede.strip() or None) if sep else Notaio(nome=testo)


class Organi(Base):
    presidente: str | None = None
    consiglio_direttivo: list[str] = Field(default_factory=list)
    revisore: str | None = None


class RipartoBenefici(Base):
    spese_gestione: Decimal = Field(default=Decimal(0), ge=0)
    produttori: Decimal = Field(default=Decimal(0), ge=0)
    consumatori: Decimal = Field(default=Decimal(0), ge=0)
    fondo_sociale: Decimal = Field(default=Decimal(0), ge=0)

    def totale(self) -> Decimal:
        return self.spese_gestione + self.produttori + self.consumatori + self.fondo_sociale


class RestituzioneContributoPnrr(Base):
    entro_anni: int | None = None
    quota_entro: Decimal | None = None
    quota_dopo: Decimal | None = None


class Recesso(Base):
    preavviso_mesi: int | None = Field(default=None, ge=0)
    efficacia: Literal["immediata", "fine_esercizio"] | None = None
    restituzione_contributo_pnrr: RestituzioneContributoPnrr | None = None


class Comunita(Base):
    denominazione: str
    sigla: str | None = None
    forma_giuridica: FormaGiuridica = "associazione_non_riconosciuta"
    sede: Indirizzo = Field(default_factory=Indirizzo)
    codice_fiscale: str | None = None
    pec: str | None = None
    atto_costitutivo: AttoCostitutivo = Field(default_factory=AttoCostitutivo)
    durata: str | None = "illimitata"
    esercizio_sociale: str | None = "anno_solare"
    quota_associativa_euro: Euro | None = Field(default=None, ge=0)
    fondatori: list[str] = Field(default_factory=list)
    organi: Organi = Field(default_factory=Organi)
    soggetto_delegato_riparto: str | None = "comunita"
    riparto_benefici: RipartoBenefici | None = None
    destinazione_eccedenza: list[str] = Field(default_factory=list)
    recesso: Recesso | None = None
    iban: str | None = None
    # patrimonio conferito alla costituzione: fondo patrimoniale di garanzia (associazione riconosciuta),
    # fondo di dotazione (fondazione), patrimonio minimo (ETS che chiede la personalità giuridica)
    patrimonio_iniziale_euro: Euro | None = Field(default=None, ge=0)
    # importo globale, almeno approssimativo, delle spese di costituzione (art. 2521 n. 12 c.c.)
    spese_costituzione_euro: Euro | None = Field(default=None, ge=0)


class PoteriRappresentanza(Base):
    """Da dove vengono i poteri di chi firma per un ente.

    ``fonte`` è il testo che l'atto riporta («deliberazione del Consiglio comunale»,
    «autorizzazione dell'Ordinario diocesano», «statuto sociale e delibera del Consiglio di
    amministrazione»); ``atto`` e ``data`` lo individuano (numero della delibera, protocollo).
    """

    fonte: str | None = None
    atto: str | None = None
    data: date | None = None


class Rappresentante(Base):
    nome: str | None = None
    cognome: str | None = None
    sesso: Sesso | None = None
    codice_fiscale: str | None = None
    carica: str | None = None
    nato_a: str | None = None
    nato_il: date | None = None
    poteri: PoteriRappresentanza | None = None

    @property
    def nome_completo(self) -> str | None:
        return " ".join(p for p in (self.nome, self.cognome) if p) or None


class Soggetto(Base):
    id: str
    tipo: TipoSoggetto
    # persone fisiche
    nome: str | None = None
    cognome: str | None = None
    sesso: Sesso | None = None
    nato_a: str | None = None
    nato_il: date | None = None
    residenza: Indirizzo | None = None
    cittadinanza: str | None = None    # l'atto costitutivo della cooperativa la indica (art. 2521 n. 1 c.c.)
    # enti e imprese
    denominazione: str | None = None
    dimensione: DimensioneImpresa | None = None
    riconosciuta: bool | None = None
    partita_iva: str | None = None
    codice_ateco: str | None = None
    classificazione_ateco: Literal[2007, 2025] | None = None
    partecipazione_enti_territoriali_pct: Decimal | None = None
    esco_uni_11352: bool = False
    sede: Indirizzo | None = None
    rappresentante: Rappresentante | None = None
    # comuni a tutti
    codice_fiscale: str | None = None
    email: str | None = None
    pec: str | None = None
    telefono: str | None = None
    iban: str | None = None

    @property
    def nome_completo(self) -> str:
        if self.tipo == "persona_fisica":
            return " ".join(p for p in (self.nome, self.cognome) if p) or self.id
        return self.denominazione or self.id

    @property
    def luogo(self) -> Indirizzo | None:
        return self.residenza if self.tipo == "persona_fisica" else self.sede

    @model_validator(mode="after")
    def _nome(self) -> "Soggetto":
        if self.tipo == "persona_fisica":
            if not (self.nome and self.cognome):
                raise ValueError("una persona fisica deve avere 'nome' e 'cognome'")
        elif not self.denominazione:
            raise ValueError("un soggetto che non è persona fisica deve avere 'denominazione'")
        return self


class Membro(Base):
    soggetto: str
    ruolo: RuoloMembro = "consumatore"
    data_adesione: date | None = None
    data_recesso: date | None = None
    quota_versata_euro: Euro | None = None


class ProduttoreTerzo(Base):
    soggetto: str
    impianti: list[str] = Field(default_factory=list)
    quota_incentivo_pct: Decimal | None = None
    data_accordo: date | None = None
    luogo_accordo: str | None = None         # luogo di sottoscrizione dell'accordo


class Mandato(Base):
    data_firma: date | None = None
    luogo_firma: str | None = None           # luogo di sottoscrizione del mandato
    data_revoca: date | None = None


class Referente(Base):
    qualifica: QualificaReferente = "comunita"
    soggetto: str | None = None
    mandato: Mandato = Field(default_factory=Mandato)


class RichiestaAccesso(Base):
    data_invio: date | None = None
    esito: Literal["accolta", "respinta"] | None = None
    data_esito: date | None = None


class PuntoConnessione(Base):
    pod: str
    cabina_primaria: str | None = None
    soggetto: str
    uso: str | None = None
    indirizzo: str | None = None
    scambio_sul_posto: bool = False
    data_ingresso: date | None = None
    data_uscita: date | None = None
    # ipotesi della simulazione economica (cer_docs/economia), tutte facoltative
    consumo_annuo_kwh: Decimal | None = Field(default=None, ge=0)
    consumi_mensili_kwh: list[Annotated[Decimal, Field(ge=0)]] | None = Field(default=None, min_length=12, max_length=12)
    profilo_consumo: ProfiloConsumo | None = None
    potenza_impegnata_kw: Decimal | None = Field(default=None, gt=0)


class Ubicazione(Base):
    comune: str | None = None
    provincia: str | None = None
    popolazione: int | None = Field(default=None, ge=0)
    popolazione_fonte: str | None = None


from . import pnrr as _pnrr  # noqa: E402  (registro spese PNRR; il modulo non importa questo)


class ContributoPnrr(Base):
    cup: str | None = None
    cig: str | None = None
    codice_progetto_gse: str | None = None
    data_domanda: date | None = None
    data_concessione: date | None = None
    spesa_ammissibile_euro: Euro | None = Field(default=None, ge=0)
    contributo_richiesto_euro: Euro | None = Field(default=None, ge=0)
    altri_contributi_euro: Euro | None = Field(default=None, ge=0)
    data_avvio_lavori: date | None = None
    data_fine_lavori: date | None = None
    # registro spese PNRR (cer_docs/model/pnrr.py); CUP assegnato prima della concessione, se noto;
    # beneficiario = id del soggetto che sostiene la spesa, "comunita" per la CER, vuoto = il produttore
    data_assegnazione_cup: date | None = None
    beneficiario: str | None = None
    spese: list[_pnrr.Spesa] = Field(default_factory=list)
    # dal DL 19/2026: l'accordo di concessione con il GSE (notifica, termine dei pagamenti, rendicontazione)
    # e gli altri fondi UE dichiarati sull'impianto (divieto di cumulo sulle stesse spese, art. 27 c. 5)
    accordo_concessione: _pnrr.AccordoConcessione | None = None
    altri_fondi_ue: list[_pnrr.AltroFondoUe] = Field(default_factory=list)


class Impianto(Base):
    id: str
    denominazione: str | None = None
    fonte: Fonte = "fotovoltaico"
    potenza_kw: Decimal = Field(gt=0)
    pod: str
    produttore: str
    intervento: Intervento = "nuova_costruzione"
    censimp: str | None = None
    data_entrata_esercizio: date | None = None
    data_entrata_esercizio_prevista: date | None = None
    ubicazione: Ubicazione | None = None
    potenza_obbligo_kw: Decimal = Field(default=Decimal(0), ge=0)
    altri_incentivi: list[str] = Field(default_factory=list)
    componenti_nuovi: bool = True
    contributo_pnrr: ContributoPnrr | None = None
    # ipotesi della simulazione economica (cer_docs/economia), tutte facoltative; orientamento 0 = sud,
    # negativo verso est (convenzione PVGIS); producibilità = kWh per kW in un anno (stima del progettista o PVGIS)
    inclinazione_gradi: Decimal | None = Field(default=None, ge=0, le=90)
    orientamento_gradi: Decimal | None = Field(default=None, ge=-180, le=180)
    producibilita_kwh_kw: Decimal | None = Field(default=None, gt=0)
    latitudine: Decimal | None = Field(default=None, ge=-90, le=90)
    longitudine: Decimal | None = Field(default=None, ge=-180, le=180)

    @property
    def nome(self) -> str:
        """Come l'impianto si chiama in messaggi, tabelle e documenti: la denominazione, se c'è."""
        return self.denominazione or self.id


class Configurazione(Base):
    id: str
    tipo: TipoConfigurazione = "CER"
    denominazione: str | None = None
    cabina_primaria: str | None = None
    referente: Referente = Field(default_factory=Referente)
    richiesta_accesso: RichiestaAccesso = Field(default_factory=RichiestaAccesso)
    punti_connessione: list[PuntoConnessione] = Field(default_factory=list)
    impianti: list[Impianto] = Field(default_factory=list)


TIPO_ANNULLAMENTO = "annullamento"


class Evento(Base):
    """Un fatto della pratica. La cronologia non si cancella: un fatto registrato per errore si ritira
    con un evento ``annullamento`` che indica in ``annulla`` la posizione (da 0, nell'elenco ``eventi``)
    del fatto annullato; chi annulla è ``autore``, quando è ``data``, perché è ``nota``."""

    data: date
    tipo: str
    descrizione: str | None = None
    riferimento: str | None = None
    autore: str | None = None
    oggetto: str | None = None
    nota: str | None = None
    annulla: Annotated[int, Field(ge=0)] | None = None


class MetaPratica(Base):
    id: Annotated[str, Field(min_length=1, max_length=120, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    stato: StatoPratica = "in_progetto"
    aggiornata_il: date | None = None


ComponenteIncasso = Literal["acconto", "conguaglio", "tariffa_premio", "valorizzazione", "quota_eccedentaria"]
PERIODO_MESE = r"^\d{4}-(0[1-9]|1[0-2])$"
PERIODO = r"^\d{4}(-(0[1-9]|1[0-2]))?$"


class IncassoGse(Base):
    """Un importo pagato dal GSE per un mese di competenza e una componente (negativo se recuperato)."""

    periodo: Annotated[str, Field(pattern=PERIODO_MESE)]
    componente: ComponenteIncasso
    importo_euro: Euro
    configurazione: str | None = None
    data_incasso: date | None = None


class CostoComunita(Base):
    """Un costo sostenuto dalla comunità nel periodo (anno o mese), tolto prima del riparto."""

    periodo: Annotated[str, Field(pattern=PERIODO)]
    descrizione: str
    importo_euro: Annotated[Euro, Field(ge=0)]


class QuotaRiparto(Base):
    soggetto: str
    importo_euro: Euro
    fondo_a_euro: Euro = Decimal("0.00")
    fondo_b_euro: Euro = Decimal("0.00")


class RipartoApprovato(Base):
    """Riparto di un periodo approvato dall'assemblea: versione congelata, non si ricalcola."""

    periodo: Annotated[str, Field(pattern=PERIODO)]
    versione: int = Field(ge=1)
    approvato_il: date
    delibera: str | None = None
    totale_euro: Euro
    fondo_a_euro: Euro
    fondo_b_euro: Euro
    quote: list[QuotaRiparto] = Field(default_factory=list)
    impronta: str


class Pratica(Base):
    formato: Literal["cer-docs/pratica@1"] = FORMATO
    pratica: MetaPratica
    comunita: Comunita | None = None
    soggetti: list[Soggetto] = Field(default_factory=list)
    membri: list[Membro] = Field(default_factory=list)
    produttori_terzi: list[ProduttoreTerzo] = Field(default_factory=list)
    configurazioni: list[Configurazione] = Field(default_factory=list)
    eventi: list[Evento] = Field(default_factory=list)
    # riparto e pagamenti (cer_docs/riparto): facoltativi, assenti dal file finché vuoti
    incassi_gse: list[IncassoGse] = Field(default_factory=list)
    costi_comunita: list[CostoComunita] = Field(default_factory=list)
    riparti_approvati: list[RipartoApprovato] = Field(default_factory=list)

    # ------------------------------------------------------------------ helpers
    def soggetto(self, sid: str | None) -> Soggetto | None:
        if sid is None:
            return None
        return self._indice_soggetti().get(sid)

    def _indice_soggetti(self) -> dict[str, Soggetto]:
        cache = self.__dict__.get("_cache_soggetti")
        if cache is None or len(cache) != len(self.soggetti):
            cache = {s.id: s for s in self.soggetti}
            self.__dict__["_cache_soggetti"] = cache
        return cache

    def indice_soggetto(self, sid: str) -> int | None:
        for i, s in enumerate(self.soggetti):
            if s.id == sid:
                return i
        return None

    def impianti(self):
        """Tutti gli impianti con il percorso che li individua nel file."""
        for ci, c in enumerate(self.configurazioni):
            for ii, imp in enumerate(c.impianti):
                yield f"configurazioni[{ci}].impianti[{ii}]", c, imp

    def annullamenti(self) -> dict[int, tuple[int, Evento]]:
        """Posizione del fatto annullato → (posizione, evento) dell'annullamento (il primo, se ce ne fossero due)."""
        out: dict[int, tuple[int, Evento]] = {}
        for i, ev in enumerate(self.eventi):
            if ev.tipo == TIPO_ANNULLAMENTO and ev.annulla is not None and ev.annulla not in out:
                out[ev.annulla] = (i, ev)
        return out

    def eventi_validi(self) -> list[Evento]:
        """Gli eventi che contano per stati, scadenze e regole: senza gli annullati e senza gli annullamenti."""
        annullati = self.annullamenti()
        return [ev for i, ev in enumerate(self.eventi) if ev.tipo != TIPO_ANNULLAMENTO and i not in annullati]

    @property
    def denominazione(self) -> str:
        if self.comunita:
            return self.comunita.denominazione
        if self.configurazioni and self.configurazioni[0].denominazione:
            return self.configurazioni[0].denominazione
        return self.pratica.id

    # ---------------------------------------------------------- referential integrity
    def errori_riferimenti(self) -> list[tuple[str, str]]:
        """Riferimenti tra id che non tornano: coppie (percorso, messaggio)."""
        errori: list[tuple[str, str]] = []
        ids: set[str] = set()
        for i, s in enumerate(self.soggetti):
            if s.id in ids:
                errori.append((f"soggetti[{i}].id", f"l'id '{s.id}' è ripetuto; ogni soggetto deve avere un id diverso"))
            ids.add(s.id)

        def chk(path: str, sid: str | None) -> None:
            if sid is not None and sid not in ids:
                errori.append((path, f"il soggetto '{sid}' non esiste nell'elenco 'soggetti': aggiungilo o correggi l'id"))

        c = self.comunita
        if c is not None:
            for i, f in enumerate(c.fondatori):
                chk(f"comunita.fondatori[{i}]", f)
            chk("comunita.organi.presidente", c.organi.presidente)
            for i, f in enumerate(c.organi.consiglio_direttivo):
                chk(f"comunita.organi.consiglio_direttivo[{i}]", f)
            chk("comunita.organi.revisore", c.organi.revisore)
            if c.soggetto_delegato_riparto not in (None, "comunita"):
                chk("comunita.soggetto_delegato_riparto", c.soggetto_delegato_riparto)
        visti_membri: set[str] = set()
        for i, m in enumerate(self.membri):
            chk(f"membri[{i}].soggetto", m.soggetto)
            if m.soggetto in visti_membri:
                errori.append((f"membri[{i}].soggetto", f"'{m.soggetto}' compare due volte tra i membri: togli il doppione"))
            visti_membri.add(m.soggetto)
        impianti_ids: dict[str, str] = {}
        conf_ids: set[str] = set()
        for ci, conf in enumerate(self.configurazioni):
            if conf.id in conf_ids:
                errori.append((f"configurazioni[{ci}].id", f"l'id '{conf.id}' è ripetuto: ogni configurazione deve avere un id diverso"))
            conf_ids.add(conf.id)
            chk(f"configurazioni[{ci}].referente.soggetto", conf.referente.soggetto)
            for pi, p in enumerate(conf.punti_connessione):
                chk(f"configurazioni[{ci}].punti_connessione[{pi}].soggetto", p.soggetto)
            for ii, imp in enumerate(conf.impianti):
                chk(f"configurazioni[{ci}].impianti[{ii}].produttore", imp.produttore)
                if imp.id in impianti_ids:
                    errori.append((f"configurazioni[{ci}].impianti[{ii}].id", f"l'id '{imp.id}' è ripetuto: ogni impianto deve avere un id diverso"))
                impianti_ids[imp.id] = imp.produttore
        for ti, t in enumerate(self.produttori_terzi):
            chk(f"produttori_terzi[{ti}].soggetto", t.soggetto)
            for ii, iid in enumerate(t.impianti):
                if iid not in impianti_ids:
                    errori.append((f"produttori_terzi[{ti}].impianti[{ii}]",
                                   f"l'impianto '{iid}' non esiste in nessuna configurazione: correggi l'id"))
        annullati: set[int] = set()
        for i, ev in enumerate(self.eventi):
            if ev.tipo != TIPO_ANNULLAMENTO:
                if ev.annulla is not None:
                    errori.append((f"eventi[{i}].annulla", "solo un evento di tipo 'annullamento' annulla un altro "
                                                           "evento: togli 'annulla'"))
                continue
            n = ev.annulla
            if n is None or n >= i:
                errori.append((f"eventi[{i}].annulla", "l'annullamento deve indicare la posizione (da 0) di un evento "
                                                       "che lo precede nell'elenco 'eventi'"))
            elif self.eventi[n].tipo == TIPO_ANNULLAMENTO:
                errori.append((f"eventi[{i}].annulla", f"l'evento {n} è già un annullamento: non si annulla un "
                                                       "annullamento, si registra di nuovo il fatto"))
            elif n in annullati:
                errori.append((f"eventi[{i}].annulla", f"l'evento {n} risulta già annullato: togli l'annullamento "
                                                       "doppio"))
            else:
                annullati.add(n)
        return errori
