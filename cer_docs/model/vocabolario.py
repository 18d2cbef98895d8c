"""Il vocabolario: ogni valore enumerato della pratica con la sua etichetta, il nome giuridico,
il genere e il numero.

È l'unico posto in cui si scrive come si chiama un valore. L'interfaccia mostra
``etichetta`` (con la maiuscola, eventualmente con una spiegazione tra parentesi); i documenti,
i messaggi delle regole e la riga di comando usano ``nome`` (il sostantivo giuridico, in
minuscolo, da mettere dentro una frase) con l'articolo giusto, calcolato da ``genere`` e
``numero`` (``voce.con_articolo("a")`` → «alla comunità energetica rinnovabile»). ``plurale``
serve agli elenchi dello statuto («persone fisiche», «piccole e medie imprese…»).

Un test di salute del codice (``tests/test_salute_codice.py``) fallisce se l'etichetta o il
nome di un valore compare come testo letterale in un altro modulo: chi ne ha bisogno lo
prende da qui.

Le descrizioni delle categorie di soggetti al plurale seguono le fonti citate in
``FONTI_CATEGORIE`` (D.lgs. 199/2021 art. 31 c. 1 lett. b e d; DL 19/2025 art. 1-bis; Regole
Operative 2025 §1.2.1 elemento b; L. 196/2009 art. 1 c. 3): quali categorie entrano negli
elenchi non si decide qui, lo dicono i parametri datati alla data del documento.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import get_args

from cer_docs import italiano

from . import pratica as _pratica


@dataclass(frozen=True)
class Voce:
    codice: str
    etichetta: str                 # per l'interfaccia e le tabelle («Piccola impresa»)
    nome: str                      # sostantivo giuridico, in minuscolo, dentro una frase
    genere: str = "m"              # "m" | "f": genere grammaticale di ``nome``
    numero: str = "s"              # "s" | "p": numero grammaticale di ``nome``
    plurale: str | None = None     # il nome al plurale (elenchi dello statuto)
    breve: str | None = None       # forma breve, quando il nome è lungo
    aiuto: str | None = None       # spiegazione per chi compila (moduli pubblici)
    sigle: tuple[str, ...] = ()    # abbreviazioni con cui il valore compare in un nome («S.p.A.»)
    membro: str | None = None      # forme giuridiche: come si chiama chi ne fa parte («associato», «socio»)
    prima_iscrizione: str | None = None  # forme giuridiche: il nome fino all'iscrizione nel registro che lo riserva

    def con_articolo(self, preposizione: str | None = None, *, breve: bool = False) -> str:
        """«la comunità energetica rinnovabile», «al gruppo di autoconsumatori»."""
        return italiano.con_articolo(self.breve if breve and self.breve else self.nome, self.genere, self.numero,
                                     preposizione)

    def indeterminativo(self, *, breve: bool = False) -> str:
        """«un ente territoriale o autorità locale», «un'associazione»."""
        return italiano.indeterminativo(self.breve if breve and self.breve else self.nome, self.genere)

    @property
    def femminile(self) -> bool:
        return self.genere == "f"


class Vocabolario(Mapping[str, Voce]):
    """I valori ammessi di un campo, nell'ordine in cui si presentano."""

    def __init__(self, nome: str, voci: list[Voce]):
        self.nome = nome
        self._voci = {v.codice: v for v in voci}

    def __getitem__(self, codice: str) -> Voce:
        return self._voci[codice]

    def __iter__(self) -> Iterator[str]:
        return iter(self._voci)

    def __len__(self) -> int:
        return len(self._voci)

    def etichette(self) -> dict[str, str]:
        return {c: v.etichetta for c, v in self._voci.items()}

    def nomi(self) -> dict[str, str]:
        return {c: v.nome for c, v in self._voci.items()}

    def etichetta(self, codice: str | None) -> str:
        v = self._voci.get(codice or "")
        return v.etichetta if v else str(codice)

    def nome_di(self, codice: str | None) -> str:
        v = self._voci.get(codice or "")
        return v.nome if v else str(codice)


def _V(codice: str, etichetta: str, nome: str | None = None, genere: str = "m", numero: str = "s", **kw) -> Voce:
    return Voce(codice, etichetta, nome if nome is not None else etichetta.lower(), genere, numero, **kw)


STATI_PRATICA = Vocabolario("stato", [
    _V("in_progetto", "In progetto"), _V("promozione", "In promozione", "in promozione"),
    _V("in_costituzione", "In costituzione"), _V("costituita", "Costituita", genere="f"),
    _V("richiesta_inviata", "Richiesta al GSE inviata", "richiesta al GSE inviata", "f"),
    _V("qualificata", "Qualificata dal GSE", "qualificata dal GSE", "f"), _V("operativa", "Operativa", genere="f"),
])

FORME_GIURIDICHE = Vocabolario("forma giuridica", [
    _V("associazione_non_riconosciuta", "Associazione non riconosciuta", genere="f", breve="associazione",
       membro="associato"),
    _V("associazione_riconosciuta", "Associazione riconosciuta", genere="f", breve="associazione",
       membro="associato"),
    _V("fondazione_partecipazione", "Fondazione di partecipazione", genere="f", breve="fondazione",
       membro="partecipante"),
    _V("cooperativa", "Cooperativa", "società cooperativa", "f", breve="cooperativa", membro="socio"),
    _V("ets_associazione", "Associazione del Terzo settore (ETS)", "associazione del Terzo settore", "f",
       breve="associazione", membro="associato",
       prima_iscrizione="associazione da iscrivere nel Registro unico nazionale del Terzo settore"),
    _V("impresa_sociale", "Impresa sociale", "impresa sociale in forma associativa", "f", breve="impresa sociale",
       membro="associato"),
])
"""``membro`` è il sostantivo con cui statuto, atto, DSAN e moduli chiamano chi fa parte dell'ente."""

REGISTRI_ENTE = Vocabolario("registro dell'ente", [
    _V("registro_persone_giuridiche", "Registro delle persone giuridiche"),
    _V("registro_imprese", "Registro delle imprese"),
    _V("albo_cooperative", "Albo delle società cooperative", "Albo delle società cooperative"),
    _V("sezione_imprese_sociali", "Registro delle imprese, sezione delle imprese sociali",
       "apposita sezione del registro delle imprese", "f"),
    _V("runts", "Registro unico nazionale del Terzo settore", "Registro unico nazionale del Terzo settore"),
])
"""I registri in cui l'ente si iscrive dopo l'atto costitutivo, secondo la forma (parametro ``forme_giuridiche``)."""

FORME_SOCIETARIE = Vocabolario("forma societaria", [
    _V("spa", "Società per azioni", genere="f", sigle=("S.p.A.", "SpA", "S.P.A.")),
    _V("srl", "Società a responsabilità limitata", genere="f",
       sigle=("S.r.l.", "Srl", "S.R.L.", "S.r.l.s.", "Srls", "S.r.l. semplificata")),
    _V("sapa", "Società in accomandita per azioni", genere="f", sigle=("S.a.p.a.", "Sapa")),
    _V("sas", "Società in accomandita semplice", genere="f", sigle=("S.a.s.", "Sas", "S.A.S.")),
    _V("snc", "Società in nome collettivo", genere="f", sigle=("S.n.c.", "Snc", "S.N.C.")),
    _V("ss", "Società semplice", genere="f", sigle=("S.s.", "S.S.")),
    _V("coop", "Società cooperativa", "società cooperativa di diritto comune", "f",
       sigle=("Soc. coop.", "Società cooperativa", "S.c.", "S.c.a r.l.", "S.c.r.l.", "Scarl")),
])
"""Le forme delle società, riconosciute dalla sigla nella denominazione («Energia Verde Mugello S.p.A.»):
il nome di una società è un nome proprio e nelle frasi non prende l'articolo («per Energia Verde
Mugello S.p.A.», «dichiara che la società rappresentata…»)."""


def forma_societaria(denominazione: str | None) -> Voce | None:
    """La forma societaria che la denominazione dichiara con la sua sigla, o ``None``."""
    import re

    if not denominazione:
        return None
    for voce in FORME_SOCIETARIE.values():
        for sigla in voce.sigle:
            if re.search(r"(?<![\w.])" + re.escape(sigla) + r"(?![\w])", denominazione, re.I):
                return voce
    return None

FORME_ATTO = Vocabolario("forma dell'atto", [
    _V("atto_pubblico", "Atto pubblico (notaio)", "atto pubblico"),
    _V("scrittura_privata_autenticata", "Scrittura privata autenticata", genere="f"),
    _V("scrittura_privata_registrata", "Scrittura privata registrata", genere="f", breve="scrittura privata"),
])

TIPI_SOGGETTO = Vocabolario("tipo di soggetto", [
    _V("persona_fisica", "Persona fisica", genere="f", plurale="persone fisiche"),
    _V("impresa", "Impresa", "piccola o media impresa", "f", breve="impresa",
       plurale="piccole e medie imprese, ivi comprese quelle partecipate da enti territoriali"),
    _V("associazione", "Associazione", genere="f", plurale="associazioni, anche prive di riconoscimento"),
    _V("ente_territoriale", "Comune, Provincia o Regione (ente territoriale)", "ente territoriale o autorità locale",
       breve="ente territoriale", aiuto="Comune, Provincia, Città metropolitana o Regione.",
       plurale="enti territoriali e autorità locali, comprese le amministrazioni comunali"),
    _V("ente_religioso", "Ente religioso", plurale="enti religiosi"),
    _V("ente_ricerca", "Ente di ricerca o formazione", "ente od organismo di ricerca e formazione",
       breve="ente di ricerca e formazione", plurale="enti e organismi di ricerca e formazione"),
    _V("ets", "Ente del Terzo settore", "ente del Terzo settore", plurale="enti del Terzo settore"),
    _V("associazione_ambientale", "Associazione di protezione ambientale",
       "ente o associazione di protezione ambientale", breve="associazione di protezione ambientale",
       plurale="enti e associazioni di protezione ambientale"),
    _V("amministrazione_locale", "Altra amministrazione locale (elenco ISTAT)",
       "amministrazione locale compresa nell'elenco ISTAT delle amministrazioni pubbliche", "f",
       aiuto="Un ente pubblico locale diverso da Comune, Provincia, Città metropolitana e Regione, che compare "
             "nell'elenco ISTAT delle amministrazioni pubbliche.",
       breve="amministrazione locale (elenco ISTAT)",
       plurale="amministrazioni locali comprese nell'elenco delle amministrazioni pubbliche redatto "
               "dall'Istituto nazionale di statistica ai sensi dell'articolo 1, comma 3, della legge "
               "31 dicembre 2009, n. 196"),
    _V("ater", "Azienda per l'edilizia residenziale (ATER)",
       "azienda territoriale per l'edilizia residenziale pubblica", "f",
       plurale="aziende territoriali per l'edilizia residenziale pubblica"),
    _V("ipab", "IPAB", "istituzione pubblica di assistenza e beneficenza", "f",
       plurale="istituzioni pubbliche di assistenza e beneficenza"),
    _V("asp", "Azienda di servizi alla persona (ASP)", "azienda pubblica di servizi alla persona", "f",
       plurale="aziende pubbliche di servizi alla persona"),
    _V("consorzio_bonifica", "Consorzio di bonifica", plurale="consorzi di bonifica"),
    _V("pa_centrale", "Amministrazione centrale", "amministrazione pubblica centrale", "f",
       plurale="amministrazioni pubbliche centrali"),
    _V("condominio", "Condominio", plurale="condomìni, tramite il loro amministratore o rappresentante"),
    _V("altro", "Altro", "altro soggetto", plurale="altri clienti finali e produttori ammessi dalla disciplina vigente"),
])

CATEGORIE_SOGGETTO = Vocabolario("categoria di soggetto", list(TIPI_SOGGETTO.values()) + [
    _V("associazione_riconosciuta", "Associazione riconosciuta", genere="f",
       plurale="associazioni dotate di personalità giuridica di diritto privato"),
])
"""I tipi di soggetto più le categorie che i parametri datati usano negli elenchi (l'associazione
riconosciuta è un'associazione con ``riconosciuta: true``)."""

FONTI_CATEGORIE = (
    ("dlgs-199-2021", "art. 31 c. 1 lett. b e d"), ("dl-19-2025", "art. 1-bis"),
    ("ro-2025", "§1.2.1, elemento b)"), ("l-196-2009", "art. 1 c. 3"),
)

DIMENSIONI_IMPRESA = Vocabolario("dimensione d'impresa", [
    _V("micro", "Microimpresa", genere="f"), _V("piccola", "Piccola impresa", genere="f"),
    _V("media", "Media impresa", genere="f"), _V("grande", "Grande impresa", genere="f"),
])

RUOLI_MEMBRO = Vocabolario("ruolo", [
    _V("consumatore", "Consumatore", aiuto="cliente finale che preleva energia"),
    _V("prosumer", "Prosumer (consuma e produce)", "prosumer", aiuto="cliente finale che produce e consuma"),
    _V("produttore", "Produttore",
       aiuto="titolare di un impianto a fonte rinnovabile, esistente o da realizzare"),
])

RUOLI_IN_CONFIGURAZIONE = Vocabolario("ruolo nella configurazione", [
    _V("partecipante", "Partecipante", aiuto="cliente finale di un gruppo di autoconsumatori, che non è un ente"),
    _V("produttore_membro", "Produttore membro", aiuto="produttore che è membro dell'ente"),
    _V("produttore_partecipante", "Produttore partecipante", aiuto="produttore che partecipa al gruppo"),
])
"""Le voci della colonna «Ruolo» del regolamento che non sono ruoli di un membro."""

RUOLI_CANDIDATO = Vocabolario("ruolo richiesto", list(RUOLI_MEMBRO.values()) + [
    _V("produttore_terzo", "Produttore terzo",
       aiuto="soggetto che non entra nella comunità ma mette a disposizione un impianto"),
])

TIPI_CONFIGURAZIONE = Vocabolario("tipo di configurazione", [
    _V("CER", "Comunità energetica rinnovabile (CER)", "comunità energetica rinnovabile", "f"),
    _V("AUC", "Gruppo di autoconsumatori (AUC)",
       "gruppo di autoconsumatori di energia rinnovabile che agiscono collettivamente",
       breve="gruppo di autoconsumatori"),
    _V("AID", "Autoconsumatore individuale a distanza (AID)",
       "autoconsumatore individuale di energia rinnovabile «a distanza»",
       breve="autoconsumatore individuale a distanza"),
])

QUALIFICHE_REFERENTE = Vocabolario("qualifica del referente", [
    _V("comunita", "La comunità (tramite il legale rappresentante)",
       "comunità, tramite il proprio legale rappresentante", "f"),
    _V("membro", "Un membro della configurazione", "membro della configurazione"),
    _V("esco_uni_11352", "Una ESCO certificata UNI CEI 11352", "ESCO certificata UNI CEI 11352", "f"),
    _V("condominio", "Il condominio", "condominio"),
    _V("amministratore_condominio", "L'amministratore del condominio", "amministratore del condominio"),
    _V("proprietario_edificio", "Il proprietario dell'edificio", "proprietario dell'edificio"),
    _V("autoconsumatore", "L'autoconsumatore stesso", "autoconsumatore"),
])

FONTI_ENERGIA = Vocabolario("fonte", [
    _V("fotovoltaico", "Fotovoltaico", "solare fotovoltaica", "f"),
    _V("eolico", "Eolico", "eolica", "f"), _V("idroelettrico", "Idroelettrico", "idroelettrica", "f"),
    _V("biomassa", "Biomassa", "biomasse", "f", "p"), _V("biogas", "Biogas", "biogas"),
    _V("bioliquidi", "Bioliquidi", "bioliquidi", numero="p"), _V("geotermico", "Geotermico", "geotermica", "f"),
    _V("gas_residuati", "Gas residuati", "gas residuati dai processi di depurazione", numero="p"),
    _V("moto_ondoso", "Moto ondoso"), _V("altra_rinnovabile", "Altra fonte rinnovabile", genere="f"),
    _V("non_rinnovabile", "Non rinnovabile", "fonte non rinnovabile", "f"),
])

INTERVENTI = Vocabolario("intervento", [
    _V("nuova_costruzione", "Nuova costruzione", genere="f"), _V("potenziamento", "Potenziamento"),
    _V("esistente", "Esistente", "impianto esistente"),
])

DESTINAZIONI_ECCEDENZA = Vocabolario("destinazione dell'eccedenza", [
    _V("consumatori_non_imprese", "Ai consumatori diversi dalle imprese", "consumatori diversi dalle imprese",
       numero="p"),
    _V("finalita_sociali", "A finalità sociali con ricadute sul territorio",
       "finalità sociali con ricadute sul territorio", "f", "p"),
])

VOCI_RIPARTO = Vocabolario("voce del riparto", [
    _V("spese_gestione", "Spese di gestione", genere="f", numero="p"),
    _V("produttori", "Produttori", numero="p"), _V("consumatori", "Consumatori", numero="p"),
    _V("fondo_sociale", "Fondo sociale"),
])

ESERCIZI_SOCIALI = Vocabolario("esercizio sociale", [
    _V("anno_solare", "Anno solare (1° gennaio – 31 dicembre)", "anno solare"),
])
ESITI_RICHIESTA = Vocabolario("esito", [_V("accolta", "Accolta", genere="f"), _V("respinta", "Respinta", genere="f")])
EFFICACIA_RECESSO = Vocabolario("efficacia del recesso", [
    _V("immediata", "Immediata", genere="f"), _V("fine_esercizio", "Alla fine dell'esercizio"),
])
DECISIONI_CANDIDATURA = Vocabolario("decisione", [
    _V("da_valutare", "Da valutare"), _V("ammessa", "Ammessa", genere="f"),
    _V("riserva", "Con riserva", genere="f"), _V("esclusa", "Esclusa", genere="f"),
])

# le due date dell'atto costitutivo (campi di ``AttoCostitutivo``): la procedura le chiede con queste
# etichette, e i documenti e le verifiche le nominano con gli stessi nomi
DATE_ATTO = Vocabolario("data dell'atto costitutivo", [
    _V("data_prevista", "Data prevista di firma", "data prevista di firma dell'atto", genere="f"),
    _V("data", "Data di firma", "data di firma dell'atto", genere="f"),
])

SESSI = Vocabolario("sesso", [_V("F", "Femmina", genere="f"), _V("M", "Maschio")])

# lo stato di una generazione dei documenti eseguita in sottofondo (services/lavori.py): non è un
# dato della pratica, ma si legge nelle pagine come gli altri
STATI_LAVORO = Vocabolario("stato della generazione", [
    _V("in_coda", "In coda", genere="f"), _V("in_corso", "In corso", genere="f"),
    _V("fatto", "Completata", genere="f"), _V("annullato", "Annullata", genere="f"),
    _V("fallito", "Non riuscita", genere="f"),
])

TUTTI: dict[str, Vocabolario] = {
    "StatoPratica": STATI_PRATICA, "FormaGiuridica": FORME_GIURIDICHE, "FormaAtto": FORME_ATTO,
    "TipoSoggetto": TIPI_SOGGETTO, "DimensioneImpresa": DIMENSIONI_IMPRESA, "RuoloMembro": RUOLI_MEMBRO,
    "RuoloCandidato": RUOLI_CANDIDATO, "TipoConfigurazione": TIPI_CONFIGURAZIONE,
    "QualificaReferente": QUALIFICHE_REFERENTE, "Fonte": FONTI_ENERGIA, "Intervento": INTERVENTI,
    "DestinazioneEccedenza": DESTINAZIONI_ECCEDENZA, "VociRiparto": VOCI_RIPARTO,
    "EsercizioSociale": ESERCIZI_SOCIALI, "EsitoRichiesta": ESITI_RICHIESTA, "EfficaciaRecesso": EFFICACIA_RECESSO,
    "Decisione": DECISIONI_CANDIDATURA, "CategoriaSoggetto": CATEGORIE_SOGGETTO, "Sesso": SESSI,
    "FormaSocietaria": FORME_SOCIETARIE, "RuoloInConfigurazione": RUOLI_IN_CONFIGURAZIONE,
    "StatoLavoro": STATI_LAVORO, "DateAtto": DATE_ATTO,
}
"""Ogni vocabolario con il nome del tipo del modello che descrive."""

def tipi_del_modello() -> dict[str, object]:
    """I tipi ``Literal`` del modello a cui il vocabolario deve corrispondere esattamente. Il modello
    delle campagne si carica solo qui: ``cer-docs genera`` non lo usa (~7 ms d'avvio)."""
    from . import campagna as _campagna

    return {
        "StatoPratica": _pratica.StatoPratica, "FormaGiuridica": _pratica.FormaGiuridica,
        "FormaAtto": _pratica.FormaAtto, "TipoSoggetto": _pratica.TipoSoggetto,
        "DimensioneImpresa": _pratica.DimensioneImpresa, "RuoloMembro": _pratica.RuoloMembro,
        "RuoloCandidato": _campagna.RuoloCandidato, "TipoConfigurazione": _pratica.TipoConfigurazione,
        "QualificaReferente": _pratica.QualificaReferente, "Fonte": _pratica.Fonte, "Intervento": _pratica.Intervento,
        "DestinazioneEccedenza": _pratica.DestinazioneEccedenza, "Decisione": _campagna.Decisione,
        "Sesso": _pratica.Sesso,
    }


def codici_del_modello(nome_tipo: str) -> tuple[str, ...]:
    return tuple(get_args(tipi_del_modello()[nome_tipo]))
