"""Il catalogo delle domande della procedura guidata: ogni campo del file pratica, dichiarato una
volta con il suo percorso nel modello, il passo che lo chiede, l'etichetta (dal vocabolario unico
``model/vocabolario.py`` per i valori enumerati), il tipo di campo, le scelte e l'aiuto.

È la procedura «a catalogo» (l'idea di docassemble: una domanda è identificata dal campo che
imposta). Oggi il catalogo:
- dichiara dove si compila ogni campo del modello, e un test (``tests/ui/test_catalogo.py``)
  percorre lo schema JSON del file pratica e fallisce se un campo non è raggiungibile da nessun passo
  né dichiarato come gestito dal sistema o da un'altra pagina;
- **genera** i passi «Comunità» (con il notaio come campo composto), «Soggetti e membri», «Configurazioni»
  (modulo con la tabella dei POD e i consumi mese per mese di un POD), «Impianti» (tabella con l'id nascosto e il modulo
  del contributo PNRR di un impianto con le sue due tabelle), «Referente e mandato», «Produttori terzi»
  e «Statuto e riparto»: le pagine in ``ui/passi/`` disegnano le dichiarazioni con ``ui.campi.modulo``
  (sezioni, righe, scelte, segnaposto, aiuti, ``solo_se``) o con ``ui.campi.tabella_generata`` /
  ``colonne_generate`` (una colonna per domanda con ``elenco``), e il motore
  ``services/motore_passi.py`` legge i valori per percorso, li converte, esegue i controlli tra campi
  (o di ogni riga), li scrive per percorso e convalida una volta. Nessuna funzione scritta a mano legge
  o scrive quei campi (``procedura.valori_comunita``, ``righe_impianti`` e simili restano solo come
  nomi che chiamano il motore);
- offre il motore di lettura per percorso (``leggi``).
Il modulo «Dettagli di un soggetto» è generato (``dettaglio_soggetto``: domande secondo il tipo di
soggetto con ``solo_se``), e così la tabella «Soggetti e membri» (``_soggetti``): una riga scrive due
elenchi, il soggetto (``soggetti[]``) e, con un ruolo, il suo membro (``membri[]``, collegato dal motore);
l'indirizzo è una colonna con due percorsi (residenza di una persona, sede di un ente: due domande con lo
stesso nome e ``solo_se`` sul tipo). L'importazione da CSV/XLSX (``services/importazione.py``) converte e
controlla le righe del file con le stesse domande.

Percorsi: i nomi dei campi del modello separati da punti; ``[]`` sta per «ogni elemento» di un elenco
(``configurazioni[].impianti[].contributo_pnrr.cup``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal, get_args

from cer_docs.model import vocabolario as voc
from cer_docs.model.pratica import TipoSoggetto

Widget = Literal["testo", "scelta", "scelte", "data", "numero", "casella", "tabella", "elenco", "mesi"]


@dataclass(frozen=True)
class Domanda:
    """Un campo del file pratica chiesto da un passo.

    I campi dopo ``aiuto`` servono ai passi *generati* (la pagina disegna il campo dalla
    dichiarazione, il motore ``services/motore_passi.py`` lo legge, lo converte e lo scrive):
    ``nome`` è la chiave nei valori del modulo, ``chiave`` quella del campo nella pagina (``{0}``
    prende il primo indice, per esempio la configurazione), ``sezione`` e ``riga`` dicono dove sta
    (campi con la stessa riga stanno affiancati), ``scelte`` sono le voci (un vocabolario o il nome
    di un elenco della pratica: ``soggetti``, ``comunita_o_soggetti``, ``esercizi``), ``vuoto`` il
    nome della scelta lasciata vuota (in una tabella è una voce del menu della cella), ``tipo``
    la conversione di un campo di testo (``percentuale``, ``euro``), ``campo`` il nome del campo
    nei messaggi d'errore, ``se_vuoto`` il valore scritto quando lo si lascia vuoto.
    """

    percorso: str
    passo: str
    etichetta: str
    widget: Widget
    aiuto: str | None = None
    nome: str | None = None
    chiave: str | None = None
    sezione: str | None = None
    riga: int = 0
    scelte: Any = None
    vuoto: str | None = None
    segnaposto: str | None = None
    tipo: Literal["percentuale", "euro", "decimale", "lista"] | None = None
    campo: str | None = None
    se_vuoto: Any = None
    elenco: str | None = None          # per le colonne di una tabella generata: l'elenco delle righe
    larghezza: str | None = None       # larghezza della colonna («small», «medium», «large»)
    non_trovato: str | None = None     # messaggio per una voce che non c'è («'{x}' ...»)
    modulo: str | None = None          # il modulo del passo che la chiede, se il passo ne ha più d'uno
    controllo: str | None = None       # controllo del valore (``motore_passi.CONTROLLI``: «cup», «cig», ...)
    massimo_caratteri: int | None = None
    obbligatorio: str | None = None    # in una riga di tabella non vuota: il messaggio se manca
    solo_se: tuple[str, tuple] | None = None   # si chiede solo se la domanda ``nome`` ha uno di questi valori
    parte: str | None = None           # parte di un campo composto (il notaio: testo o struttura)
    minimo: Decimal | None = None      # limiti di un numero (controllati dal motore e dati alla colonna)
    massimo: Decimal | None = None
    positivo: bool = False             # un numero che deve essere maggiore di zero
    decimali: int = 3                  # cifre decimali conservate di un numero
    passo_numero: float | None = None  # il passo della colonna numerica (precisione di ciò che si scrive)
    formato: str | None = None         # formato della colonna numerica («%.4f»), altrimenti all'italiana

    @property
    def id_modulo(self) -> str:
        """Il modulo (gruppo di domande lette e applicate insieme): il passo, se non è detto altro."""
        return self.modulo or self.passo

    @property
    def nome_campo(self) -> str:
        """Il nome del campo dentro un messaggio d'errore («preavviso di recesso (mesi)»)."""
        return self.campo or (self.etichetta[:1].lower() + self.etichetta[1:])


def _d(passo: str, widget: Widget, *voci: tuple[str, str]) -> list[Domanda]:
    return [Domanda(p, passo, e, widget) for p, e in voci]


_C = "comunita."
_S = "soggetti[]."
_I = "configurazioni[].impianti[]."
_P = _I + "contributo_pnrr."
_A = _P + "accordo_concessione."

FORME_ATTO_NOTARILI = ("atto_pubblico", "scrittura_privata_autenticata")
"""Le forme dell'atto in cui interviene un notaio: il passo chiede i suoi dati solo per queste."""


def _comunita() -> list[Domanda]:
    def q(percorso: str, etichetta: str, widget: Widget, nome: str, chiave: str, sezione: str | None, riga: int,
          **altro: Any) -> Domanda:
        return Domanda(percorso if percorso.startswith("pratica.") else _C + percorso, "comunita", etichetta, widget,
                       nome=nome, chiave=f"com-{chiave}", sezione=sezione, riga=riga, **altro)

    sede, codici, atto, notaio = "Sede", "Codice fiscale e recapiti", "Atto costitutivo", "Notaio"
    n = "atto_costitutivo.notaio"
    notarile = ("atto_forma", FORME_ATTO_NOTARILI)
    return [
        q("denominazione", "Denominazione", "testo", "denominazione", "denominazione", None, 0,
          aiuto="Il nome completo dell'ente, come apparirà nello statuto."),
        q("sigla", "Sigla", "testo", "sigla", "sigla", None, 0),
        q("forma_giuridica", "Forma giuridica", "scelta", "forma_giuridica", "forma", None, 1,
          scelte=voc.FORME_GIURIDICHE.etichette(), se_vuoto="associazione_non_riconosciuta"),
        q("pratica.stato", "Stato della pratica", "scelta", "stato", "stato", None, 1,
          scelte=voc.STATI_PRATICA.etichette(), campo="stato"),
        q("sede.indirizzo", "Indirizzo", "testo", "sede_indirizzo", "indirizzo", sede, 0),
        q("sede.cap", "CAP", "testo", "sede_cap", "cap", sede, 0, massimo_caratteri=5, controllo="cap",
          campo="CAP della sede"),
        q("sede.comune", "Comune", "testo", "sede_comune", "comune", sede, 0),
        q("sede.provincia", "Provincia (sigla)", "testo", "sede_provincia", "provincia", sede, 1, massimo_caratteri=2,
          segnaposto="es. FI", controllo="provincia", campo="provincia della sede"),
        q("sede.regione", "Regione", "testo", "sede_regione", "regione", sede, 1),
        q("codice_fiscale", "Codice fiscale della comunità", "testo", "codice_fiscale", "cf", codici, 0,
          controllo="codice_fiscale_ente", aiuto="Si ottiene dopo la firma dell'atto; lascialo vuoto prima."),
        q("pec", "PEC", "testo", "pec", "pec", codici, 0, controllo="pec", campo="PEC"),
        q("iban", "IBAN", "testo", "iban", "iban", codici, 0, controllo="iban", campo="IBAN della comunità"),
        q("atto_costitutivo.forma", "Forma dell'atto", "scelta", "atto_forma", "atto-forma", atto, 0,
          scelte=voc.FORME_ATTO.etichette(), se_vuoto="scrittura_privata_registrata",
          campo="forma dell'atto costitutivo"),
        q("atto_costitutivo.luogo", "Luogo di firma", "testo", "atto_luogo", "atto-luogo", atto, 0),
        q("atto_costitutivo.data_prevista", voc.DATE_ATTO["data_prevista"].etichetta, "data", "atto_data_prevista",
          "atto-prevista", atto, 1, campo=voc.DATE_ATTO["data_prevista"].nome),
        q("atto_costitutivo.data", voc.DATE_ATTO["data"].etichetta, "data", "atto_data", "atto-data", atto, 1,
          campo=voc.DATE_ATTO["data"].nome, aiuto="Lasciala vuota finché l'atto non è firmato."),
        q("atto_costitutivo.registrazione.data", "Data di registrazione", "data", "registrazione_data", "reg-data",
          atto, 2, campo="data di registrazione",
          aiuto="Registrazione all'Agenzia delle Entrate (scrittura privata)."),
        q("atto_costitutivo.registrazione.ufficio", "Ufficio", "testo", "registrazione_ufficio", "reg-ufficio", atto,
          2),
        q("atto_costitutivo.registrazione.numero", "Numero di registrazione", "testo", "registrazione_numero",
          "reg-numero", atto, 2),
        q(n, "Notaio (nome e cognome)", "testo", "notaio", "notaio", notaio, 0, parte="nome", solo_se=notarile,
          aiuto="Come apparirà nell'atto, per esempio «Federica Landini»."),
        q(n, "Sesso", "scelta", "notaio_sesso", "notaio-sesso", notaio, 0, parte="sesso", solo_se=notarile,
          scelte={None: "Non indicato", **voc.SESSI.etichette()}, campo="sesso del notaio",
          aiuto="Per accordare la comparizione dell'atto («iscritta», «iscritto»)."),
        q(n, "Sede del notaio (comune)", "testo", "notaio_sede", "notaio-sede", notaio, 1, parte="sede",
          solo_se=notarile),
        q(n, "Distretto notarile", "testo", "notaio_distretto", "notaio-distretto", notaio, 1, parte="distretto",
          solo_se=notarile),
        q("atto_costitutivo.repertorio", "Repertorio", "testo", "repertorio", "repertorio", notaio, 2,
          parte="repertorio", solo_se=notarile,
          aiuto="Il numero di repertorio dell'atto, che il notaio assegna alla firma."),
        q(n, "Raccolta", "testo", "notaio_raccolta", "notaio-raccolta", notaio, 2, parte="raccolta", solo_se=notarile),
    ]


def _referente() -> list[Domanda]:
    r, m, a = "configurazioni[].referente.", "configurazioni[].referente.mandato.", "configurazioni[].richiesta_accesso."

    def q(percorso: str, etichetta: str, widget: Widget, nome: str, chiave: str, sezione: str, riga: int,
          **altro: Any) -> Domanda:
        return Domanda(percorso, "referente", etichetta, widget, nome=nome, chiave=f"ref-{{0}}-{chiave}",
                       sezione=sezione, riga=riga, **altro)

    ref, man, ric = "Referente", "Mandato al referente", "Richiesta di accesso al servizio (portale GSE)"
    return [
        q(r + "qualifica", "Chi è il referente", "scelta", "qualifica", "qualifica", ref, 0,
          scelte="qualifiche_referente", campo="qualifica del referente", se_vuoto="comunita"),
        q(r + "soggetto", "Soggetto referente", "scelta", "soggetto", "soggetto", ref, 0, scelte="soggetti",
          vuoto="Nessuno", campo="referente",
          aiuto="Serve se il referente è un membro, una ESCO, il condominio o chi lo rappresenta; non serve se è "
                "la comunità."),
        q(m + "data_firma", "Data di firma del mandato", "data", "mandato_data_firma", "mandato-firma", man, 0,
          campo="data di firma del mandato"),
        q(m + "luogo_firma", "Luogo di firma del mandato", "testo", "mandato_luogo_firma", "mandato-luogo", man, 0),
        q(m + "data_revoca", "Data di revoca", "data", "mandato_data_revoca", "mandato-revoca", man, 0,
          campo="data di revoca del mandato"),
        q(a + "data_invio", "Data di invio", "data", "richiesta_data_invio", "invio", ric, 0,
          campo="data di invio della richiesta",
          aiuto="Il giorno in cui la richiesta di accesso al servizio è stata inviata dal portale del GSE."),
        q(a + "esito", "Esito", "scelta", "richiesta_esito", "esito", ric, 0, scelte=voc.ESITI_RICHIESTA.etichette(),
          vuoto="In attesa", campo="esito della richiesta"),
        q(a + "data_esito", "Data dell'esito", "data", "richiesta_data_esito", "data-esito", ric, 0,
          campo="data dell'esito"),
    ]


def _statuto() -> list[Domanda]:
    def q(percorso: str, etichetta: str, widget: Widget, nome: str, chiave: str, sezione: str, riga: int,
          **altro: Any) -> Domanda:
        return Domanda(_C + percorso, "statuto", etichetta, widget, nome=nome, chiave=f"st-{chiave}",
                       sezione=sezione, riga=riga, **altro)

    org, rip, rec, pnrr, altre = ("Fondatori e organi", "Ripartizione dei benefici", "Recesso",
                                  "Restituzione del contributo PNRR", "Altre clausole")
    rest = "recesso.restituzione_contributo_pnrr."
    return [
        q("fondatori", "Soci fondatori", "scelte", "fondatori", "fondatori", org, 0, scelte="soggetti",
          segnaposto="Scegli i fondatori", campo="fondatori"),
        q("organi.presidente", "Presidente (legale rappresentante)", "scelta", "presidente", "presidente", org, 1,
          scelte="soggetti", vuoto="Non ancora scelto", campo="presidente"),
        q("organi.revisore", "Revisore", "scelta", "revisore", "revisore", org, 1, scelte="soggetti",
          vuoto="Nessuno"),
        q("organi.consiglio_direttivo", "Consiglio direttivo", "scelte", "consiglio_direttivo", "consiglio", org, 2,
          scelte="soggetti", segnaposto="Scegli i consiglieri"),
        *[q(f"riparto_benefici.{k}", f"{v.etichetta} (%)", "testo", f"riparto_{k}", f"riparto-{k}", rip, 0,
            tipo="percentuale", segnaposto="0", campo=f"quota per {v.nome} (%)", se_vuoto=Decimal(0))
          for k, v in voc.VOCI_RIPARTO.items()],
        q("soggetto_delegato_riparto", "Chi ripartisce i benefici", "scelta", "soggetto_delegato_riparto",
          "delegato", rip, 1, scelte="comunita_o_soggetti", campo="soggetto delegato al riparto",
          se_vuoto="comunita"),
        q("destinazione_eccedenza", "Destinazione della quota eccedentaria", "scelte", "destinazione_eccedenza",
          "eccedenza", rip, 2, scelte=voc.DESTINAZIONI_ECCEDENZA.etichette(), campo="destinazione dell'eccedenza",
          aiuto="Il beneficio oltre la soglia va ai consumatori diversi dalle imprese o a finalità sociali."),
        q("recesso.preavviso_mesi", "Preavviso (mesi)", "numero", "recesso_preavviso_mesi", "preavviso", rec, 0,
          campo="preavviso di recesso (mesi)"),
        q("recesso.efficacia", "Efficacia del recesso", "scelta", "recesso_efficacia", "efficacia", rec, 0,
          scelte=voc.EFFICACIA_RECESSO.etichette(), vuoto="Scegli"),
        q(rest + "entro_anni", "Entro quanti anni", "numero", "pnrr_entro_anni", "pnrr-anni", pnrr, 0,
          campo="anni entro cui si restituisce il contributo PNRR"),
        q(rest + "quota_entro", "Quota da restituire entro (%)", "testo", "pnrr_quota_entro", "pnrr-entro", pnrr, 0,
          tipo="percentuale", campo="quota da restituire entro il termine (%)"),
        q(rest + "quota_dopo", "Quota da restituire dopo (%)", "testo", "pnrr_quota_dopo", "pnrr-dopo", pnrr, 0,
          tipo="percentuale", campo="quota da restituire dopo il termine (%)"),
        q("quota_associativa_euro", "Quota associativa (€)", "testo", "quota_associativa_euro", "quota", altre, 0,
          tipo="euro", segnaposto="es. 10,00"),
        q("durata", "Durata", "testo", "durata", "durata", altre, 0, segnaposto="illimitata"),
        q("esercizio_sociale", "Esercizio sociale", "scelta", "esercizio_sociale", "esercizio", altre, 0,
          scelte="esercizi", vuoto="Scegli"),
        q("patrimonio_iniziale_euro", "Patrimonio iniziale (€)", "testo", "patrimonio_iniziale_euro", "patrimonio",
          altre, 1, tipo="euro", segnaposto="es. 15.000,00"),
        q("spese_costituzione_euro", "Spese di costituzione stimate (€)", "testo", "spese_costituzione_euro",
          "spese", altre, 1, tipo="euro", segnaposto="es. 2.500,00", campo="spese di costituzione (€)"),
    ]


def _produttori_terzi() -> list[Domanda]:
    def q(nome: str, etichetta: str, widget: Widget, **altro: Any) -> Domanda:
        return Domanda(f"produttori_terzi[].{nome}", "produttori_terzi", etichetta, widget, nome=nome,
                       chiave="tabella-terzi", elenco="produttori_terzi[]", **altro)

    return [
        q("soggetto", voc.RUOLI_CANDIDATO["produttore_terzo"].etichetta, "scelta", scelte="candidati_terzi",
          campo="produttore", larghezza="large"),
        q("impianti", "Impianti messi a disposizione", "scelte", scelte="impianti", larghezza="large", campo="impianti",
          non_trovato="l'impianto '{x}' non esiste: aggiungilo nel passo «Impianti»"),
        q("quota_incentivo_pct", "Quota dell'incentivo (%)", "numero", tipo="percentuale",
          campo="quota dell'incentivo (%)"),
        q("data_accordo", "Data dell'accordo", "data"),
        q("luogo_accordo", "Luogo dell'accordo", "testo", aiuto="Dove si firma l'accordo con il produttore"),
    ]


_TIPI_SOGGETTO = get_args(TipoSoggetto)
_NON_PERSONE = tuple(t for t in _TIPI_SOGGETTO if t != "persona_fisica")



def _soggetti() -> list[Domanda]:
    """La tabella «Soggetti e membri» (e le righe importate da un file): una riga è un soggetto
    (``soggetti[]``) e, se ha un ruolo, il suo membro (``membri[]`` con ``soggetto`` = l'id della riga;
    ``motore_passi.RIGHE_GENERATE["soggetti"].collegato``). Le colonne con lo stesso ``nome`` sono la stessa
    colonna della tabella con due percorsi: l'indirizzo è la residenza di una persona e la sede di un ente
    (``solo_se`` sul tipo della riga); i dati della persona si scrivono solo per una persona, quelli di un
    ente solo per un ente. Una domanda non chiesta per la riga toglie il suo campo."""
    persona, ente = ("tipo", ("persona_fisica",)), ("tipo", _NON_PERSONE)

    def q(percorso: str, etichetta: str, widget: Widget, nome: str | None = None, **altro: Any) -> Domanda:
        nome = nome or percorso.rpartition(".")[2]
        return Domanda(percorso if percorso.startswith("membri[].") else _S + percorso, "soggetti", etichetta,
                       widget, nome=nome, chiave="tabella-soggetti", elenco="soggetti[]", **altro)

    luogo = []
    for campo, etichetta, altro in (
            ("indirizzo", "Indirizzo", {"larghezza": "large", "aiuto": "Residenza per le persone, sede per gli enti"}),
            ("cap", "CAP", {"larghezza": "small", "massimo_caratteri": 5, "controllo": "cap", "campo": "CAP"}),
            ("comune", "Comune", {}),
            ("provincia", "Prov.", {"larghezza": "small", "massimo_caratteri": 2, "controllo": "provincia",
                                    "campo": "provincia", "aiuto": "Sigla della provincia, es. FI"})):
        luogo += [q(f"residenza.{campo}", etichetta, "testo", campo, solo_se=persona, **altro),
                  q(f"sede.{campo}", etichetta, "testo", campo, solo_se=ente, **altro)]
    return [
        q("nome", "Nome", "testo", solo_se=persona, aiuto="Persone fisiche",
          obbligatorio="manca il nome della persona"),
        q("cognome", "Cognome", "testo", solo_se=persona, aiuto="Persone fisiche",
          obbligatorio="manca il cognome della persona"),
        q("denominazione", "Denominazione", "testo", solo_se=ente, larghezza="large",
          aiuto="Enti, imprese, associazioni, condomini",
          obbligatorio="manca la denominazione (ragione sociale) del soggetto"),
        q("tipo", "Tipo", "scelta", scelte=voc.TIPI_SOGGETTO.etichette(), se_vuoto="persona_fisica",
          larghezza="medium", non_trovato="'{x}' non è un tipo di soggetto previsto; usa per esempio persona fisica, "
                                         "impresa, associazione, ente territoriale, condominio"),
        q("codice_fiscale", "Codice fiscale", "testo", controllo="codice_fiscale", massimo_caratteri=16,
          larghezza="medium"),
        q("partita_iva", "Partita IVA", "testo", solo_se=ente, controllo="partita_iva", massimo_caratteri=13),
        q("dimensione", voc.DIMENSIONI_IMPRESA.nome[:1].upper() + voc.DIMENSIONI_IMPRESA.nome[1:], "scelta",
          scelte=voc.DIMENSIONI_IMPRESA.etichette(), campo="dimensione impresa",
          non_trovato="'{x}' non è una dimensione d'impresa: usa micro, piccola, media o grande"),
        q("nato_il", "Data di nascita", "data", solo_se=persona, campo="data di nascita"),
        q("nato_a", "Luogo di nascita", "testo", solo_se=persona),
        *luogo,
        q("email", "Email", "testo", controllo="email", larghezza="medium", campo="email"),
        q("membri[].ruolo", "Ruolo di membro", "scelta", scelte=voc.RUOLI_MEMBRO.etichette(), campo="ruolo",
          vuoto="Non membro",
          aiuto="«Non membro» per chi partecipa senza essere membro della comunità (per esempio un produttore "
                "terzo): un membro ha sempre un ruolo",
          non_trovato="'{x}' non è un ruolo previsto: usa consumatore, prosumer o produttore (oppure lascia vuoto "
                      "se il soggetto non è membro)"),
        q("membri[].data_adesione", "Data di adesione", "data", campo="data di adesione"),
        q("membri[].data_recesso", "Data di uscita", "data", campo="data di uscita",
          aiuto="Il giorno da cui il membro non fa più parte della comunità (recesso o esclusione). Vuota finché "
                "è membro."),
        q("membri[].quota_versata_euro", "Quota versata (€)", "numero", tipo="euro", minimo=Decimal(0),
          passo_numero=0.01, campo="quota versata (€)"),
    ]

def _dettaglio_soggetto() -> list[Domanda]:
    """I dati di un soggetto che la tabella dei soggetti non mostra (indice: il soggetto). Ogni domanda si
    chiede secondo il tipo di soggetto (``solo_se`` su ``tipo``, un valore che il motore legge dalla
    pratica); luogo e data di nascita solo se la tabella non li ha."""
    r, pt = "rappresentante.", "rappresentante.poteri."
    persona, impresa = ("tipo", ("persona_fisica",)), ("tipo", ("impresa",))
    ente = ("tipo", _NON_PERSONE)
    rap, pot = "Legale rappresentante", "Poteri di firma del rappresentante"
    aiuto_sesso = ("Serve ad accordare le frasi dei documenti («nata a», «residente»). Se non lo indichi, si ricava "
                   "dal codice fiscale.")
    sessi = voc.SESSI.etichette()

    def q(percorso: str, etichetta: str, widget: Widget, nome: str, chiave: str, sezione: str | None, riga: int,
          **altro: Any) -> Domanda:
        return Domanda(_S + percorso, "soggetti", etichetta, widget, nome=nome, chiave=f"det-{{0}}-{chiave}",
                       sezione=sezione, riga=riga, modulo="dettaglio_soggetto", **altro)

    return [
        q("pec", "PEC", "testo", "pec", "pec", None, 0, controllo="pec", campo="PEC"),
        q("telefono", "Telefono", "testo", "telefono", "telefono", None, 0),
        q("iban", "IBAN", "testo", "iban", "iban", None, 0, controllo="iban", campo="IBAN"),
        q("residenza.regione", "Regione", "testo", "residenza_regione", "regione", None, 1, solo_se=persona),
        q("sede.regione", "Regione", "testo", "sede_regione", "regione", None, 1, solo_se=ente),
        q("sesso", "Sesso", "scelta", "sesso", "sesso", None, 2, solo_se=persona,
          scelte={None: "Ricavato dal codice fiscale", **sessi}, campo="sesso", aiuto=aiuto_sesso),
        q("cittadinanza", "Cittadinanza", "testo", "cittadinanza", "cittadinanza", None, 2, solo_se=persona,
          segnaposto="es. italiana"),
        q("nato_a", "Luogo di nascita", "testo", "nato_a", "nato-a", None, 3, solo_se=("manca_nato_a", (True,))),
        q("nato_il", "Data di nascita", "data", "nato_il", "nato-il", None, 3, solo_se=("manca_nato_il", (True,)),
          campo="data di nascita"),
        q("codice_ateco", "Codice ATECO", "testo", "codice_ateco", "ateco", None, 4, solo_se=impresa,
          controllo="ateco", segnaposto="es. 01.21.00", campo="codice ATECO"),
        q("classificazione_ateco", "Classificazione ATECO", "scelta", "classificazione_ateco", "classe", None, 4,
          solo_se=impresa, scelte={2025: "ATECO 2025", 2007: "ATECO 2007"}, vuoto="Scegli",
          campo="classificazione ATECO", non_trovato="scegli 2007 o 2025"),
        q("partecipazione_enti_territoriali_pct", "Quota di enti territoriali nel capitale (%)", "testo",
          "partecipazione_enti_territoriali_pct", "pct", None, 4, solo_se=impresa, tipo="percentuale",
          campo="partecipazione di enti territoriali (%)"),
        q("esco_uni_11352", voc.QUALIFICHE_REFERENTE["esco_uni_11352"].nome, "casella", "esco_uni_11352", "esco",
          None, 5, solo_se=impresa, se_vuoto=False),
        q("riconosciuta", voc.CATEGORIE_SOGGETTO["associazione_riconosciuta"].etichetta, "casella", "riconosciuta",
          "riconosciuta", None, 6, solo_se=("tipo", ("associazione",))),
        q(r + "nome", "Nome", "testo", "rapp_nome", "rapp-nome", rap, 0, solo_se=ente, campo="nome del rappresentante"),
        q(r + "cognome", "Cognome", "testo", "rapp_cognome", "rapp-cognome", rap, 0, solo_se=ente),
        q(r + "codice_fiscale", "Codice fiscale", "testo", "rapp_codice_fiscale", "rapp-cf", rap, 0, solo_se=ente,
          controllo="codice_fiscale_persona", massimo_caratteri=16, campo="codice fiscale del rappresentante"),
        q(r + "carica", "Carica", "testo", "rapp_carica", "rapp-carica", rap, 1, solo_se=ente,
          segnaposto="es. Sindaco pro tempore"),
        q(r + "nato_a", "Luogo di nascita", "testo", "rapp_nato_a", "rapp-nato-a", rap, 1, solo_se=ente,
          campo="luogo di nascita del rappresentante"),
        q(r + "nato_il", "Data di nascita", "data", "rapp_nato_il", "rapp-nato-il", rap, 1, solo_se=ente,
          campo="data di nascita del rappresentante"),
        q(r + "sesso", "Sesso del rappresentante", "scelta", "rapp_sesso", "rapp-sesso", rap, 2, solo_se=ente,
          scelte={None: "Ricavato dal codice fiscale", **sessi}, campo="sesso del rappresentante",
          aiuto=aiuto_sesso),
        q(pt + "fonte", "Da dove vengono i poteri di firma", "testo", "rapp_poteri_fonte", "rapp-poteri-fonte", pot, 0,
          solo_se=ente, segnaposto="es. Deliberazione della Giunta comunale",
          campo="poteri di firma del rappresentante",
          aiuto="Come l'atto costitutivo la riporta: una delibera, lo statuto dell'ente, un'autorizzazione."),
        q(pt + "atto", "Atto che conferisce i poteri", "testo", "rapp_poteri_atto", "rapp-poteri-atto", pot, 0,
          solo_se=ente, segnaposto="es. n. 42"),
        q(pt + "data", "Data dell'atto", "data", "rapp_poteri_data", "rapp-poteri-data", pot, 0, solo_se=ente,
          campo="data dell'atto che conferisce i poteri"),
    ]


def _configurazioni() -> list[Domanda]:
    """Una configurazione (indice: la configurazione; una nuova se l'indice è oltre l'ultima) con la tabella
    dei suoi POD: ogni riga è riconosciuta dal POD, che conserva ciò che la tabella non mostra (i consumi
    mese per mese, modulo ``consumi_mensili``: indici configurazione e POD)."""
    c, pc = "configurazioni[].", "configurazioni[].punti_connessione[]"

    def q(nome: str, etichetta: str, widget: Widget, chiave: str, **altro: Any) -> Domanda:
        return Domanda(c + nome, "configurazioni", etichetta, widget, nome=nome, chiave=f"conf-{{0}}-{chiave}",
                       riga=0, **altro)

    def col(nome: str, etichetta: str, widget: Widget, **altro: Any) -> Domanda:
        return Domanda(f"{pc}.{nome}", "configurazioni", etichetta, widget, nome=nome, elenco=pc, **altro)

    return [
        q("denominazione", "Nome della configurazione", "testo", "nome"),
        q("tipo", "Tipo di configurazione", "scelta", "tipo", scelte=voc.TIPI_CONFIGURAZIONE.etichette(),
          se_vuoto="CER", campo="tipo di configurazione"),
        q("cabina_primaria", "Cabina primaria", "testo", "cabina", controllo="cabina_primaria", segnaposto="es. AC001E00934",
          campo="cabina primaria",
          aiuto="Il codice dell'area convenzionale sulla mappa delle cabine primarie del GSE."),
        col("pod", "POD", "testo", controllo="pod", massimo_caratteri=15, larghezza="medium", campo="POD",
            obbligatorio="manca il codice POD: lo trovi in bolletta"),
        col("cabina_primaria", "Cabina primaria del POD", "testo", controllo="cabina_primaria", massimo_caratteri=20,
            larghezza="medium", campo="cabina primaria",
            aiuto="Vuota: il POD sta sotto la cabina primaria della configurazione."),
        col("soggetto", "Titolare", "scelta", scelte="soggetti", larghezza="large", campo="titolare",
            obbligatorio="scegli il titolare del POD (deve essere tra i soggetti)"),
        col("uso", "Uso", "testo", campo="uso del POD"),
        col("indirizzo", "Indirizzo", "testo", larghezza="large", campo="indirizzo del POD"),
        col("scambio_sul_posto", "Scambio sul posto", "casella", se_vuoto=False),
        col("data_ingresso", "Ingresso", "data", campo="data di ingresso"),
        col("data_uscita", "Uscita", "data", campo="data di uscita"),
        col("consumo_annuo_kwh", "Consumo annuo (kWh)", "numero", tipo="decimale", minimo=Decimal(0), passo_numero=1.0,
            campo="consumo annuo (kWh)",
            aiuto="Dalle bollette dell'ultimo anno; serve alla simulazione economica. Vuoto: si usa il consumo tipico "
                  "del profilo."),
        col("profilo_consumo", "Profilo di consumo", "scelta", scelte="profili_consumo", larghezza="medium",
            campo="profilo di consumo", non_trovato="'{x}' non è un profilo previsto: scegline uno dall'elenco",
            aiuto="Come si distribuiscono i consumi nelle ore del giorno (simulazione economica). Vuoto: si deduce "
                  "dal titolare e dall'uso."),
        col("potenza_impegnata_kw", "Potenza impegnata (kW)", "numero", tipo="decimale", positivo=True,
            passo_numero=0.5, campo="potenza impegnata (kW)", aiuto="Quella scritta in bolletta (per esempio 3 kW)."),
        Domanda(pc + ".consumi_mensili_kwh", "configurazioni", "Consumi mese per mese di un POD", "mesi",
                nome="consumi_mensili_kwh", modulo="consumi_mensili", campo="consumi mensili",
                aiuto="Se hai le bollette di un anno, scrivi i dodici mesi: la simulazione economica li usa al posto "
                      "del consumo annuo. Lascia tutto vuoto per toglierli."),
    ]


def _impianti() -> list[Domanda]:
    """La tabella degli impianti di una configurazione (indice: la configurazione). Ogni riga porta il suo
    ``id`` nascosto: l'impianto conserva ciò che la tabella non mostra (contributo PNRR, spese)."""
    def q(nome: str, etichetta: str, widget: Widget, **altro: Any) -> Domanda:
        return Domanda(_I + nome, "impianti", etichetta, widget, nome=nome.rpartition(".")[2],
                       elenco="configurazioni[].impianti[]", **altro)

    D = Decimal
    return [
        q("denominazione", "Nome dell'impianto", "testo", larghezza="large", campo="nome"),
        q("fonte", "Fonte", "scelta", scelte=voc.FONTI_ENERGIA.etichette(), se_vuoto="fotovoltaico"),
        q("potenza_kw", "Potenza (kW)", "numero", tipo="decimale", positivo=True, passo_numero=0.1,
          campo="potenza (kW)", obbligatorio="manca la potenza dell'impianto in kW"),
        q("pod", "POD", "scelta", scelte="pod_configurazione", controllo="pod", larghezza="large", campo="POD",
          aiuto="Il POD con il suo titolare e l'indirizzo",
          obbligatorio="scegli il POD a cui è collegato l'impianto"),
        q("produttore", voc.RUOLI_CANDIDATO["produttore"].etichetta, "scelta", scelte="soggetti", larghezza="large",
          campo="produttore", obbligatorio="scegli il produttore (titolare dell'impianto)"),
        q("intervento", "Intervento", "scelta", scelte=voc.INTERVENTI.etichette(), se_vuoto="nuova_costruzione"),
        q("data_entrata_esercizio_prevista", "Entrata in esercizio prevista", "data",
          campo="data prevista di entrata in esercizio"),
        q("data_entrata_esercizio", "Entrata in esercizio", "data", campo="data di entrata in esercizio"),
        q("censimp", "CENSIMP", "testo", campo="codice CENSIMP"),
        q("ubicazione.comune", "Comune", "testo"),
        q("ubicazione.provincia", "Prov.", "testo", controllo="provincia", larghezza="small", massimo_caratteri=2,
          campo="provincia"),
        q("ubicazione.popolazione", "Abitanti del comune", "numero", campo="popolazione del comune"),
        q("ubicazione.popolazione_fonte", "Fonte della popolazione", "testo", larghezza="medium"),
        q("potenza_obbligo_kw", "Potenza d'obbligo (kW)", "numero", tipo="decimale", minimo=D(0), passo_numero=0.1,
          se_vuoto=D(0), campo="potenza d'obbligo (kW)"),
        q("componenti_nuovi", "Componenti nuovi", "casella", se_vuoto=True,
          aiuto="Moduli e inverter mai usati prima (requisito degli incentivi per i nuovi impianti)"),
        q("altri_incentivi", "Altri incentivi", "testo", tipo="lista", larghezza="medium",
          aiuto="Separati da virgola, per esempio «conto energia»"),
        q("inclinazione_gradi", "Inclinazione (°)", "numero", tipo="decimale", minimo=D(0), massimo=D(90),
          passo_numero=1.0, campo="inclinazione (gradi)",
          aiuto="Per la simulazione economica: 0° = pannelli orizzontali, 90° = verticali (sui tetti a falda, "
                "l'inclinazione della falda). Vuoto: 30°."),
        q("orientamento_gradi", "Orientamento (°)", "numero", tipo="decimale", minimo=D(-180), massimo=D(180),
          passo_numero=1.0, campo="orientamento (gradi)",
          aiuto="Verso dove guardano i pannelli: 0° = sud, -90° = est, 90° = ovest, ±180° = nord (come in PVGIS). "
                "Vuoto: sud."),
        q("producibilita_kwh_kw", "Producibilità (kWh/kW)", "numero", tipo="decimale", positivo=True,
          passo_numero=10.0, campo="producibilità (kWh/kW)",
          aiuto="I kWh prodotti in un anno da ogni kW, dalla relazione del progettista o da PVGIS. Se la scrivi, la "
                "simulazione riporta la produzione calcolata a questo totale."),
        q("latitudine", "Latitudine", "numero", tipo="decimale", minimo=D(-90), massimo=D(90), decimali=6,
          passo_numero=0.0001, formato="%.4f", campo="latitudine",
          aiuto="In gradi decimali (per esempio 43,9781); serve insieme alla longitudine. Vuote: la simulazione "
                "usa il capoluogo di regione."),
        q("longitudine", "Longitudine", "numero", tipo="decimale", minimo=D(-180), massimo=D(180), decimali=6,
          passo_numero=0.0001, formato="%.4f", campo="longitudine",
          aiuto="In gradi decimali, positiva a est di Greenwich (per esempio 11,4662); serve insieme alla "
                "latitudine."),
    ]


def _contributo_pnrr() -> list[Domanda]:
    """Il contributo PNRR di un impianto: un modulo del passo «Impianti», per l'impianto scelto
    (indici: configurazione, impianto). La casella «finanziato» (la sezione c'è o no) la dichiara
    il motore (``motore_passi.INTERRUTTORI``), perché non è un campo del file pratica."""
    def q(percorso: str, etichetta: str, widget: Widget, nome: str, chiave: str, sezione: str | None, riga: int,
          **altro: Any) -> Domanda:
        return Domanda(_P + percorso, "impianti", etichetta, widget, nome=nome, chiave=f"pnrr-{{0}}-{{1}}-{chiave}",
                       sezione=sezione, riga=riga, modulo="contributo_pnrr", **altro)

    dom, costi, conc = "Domanda e codici", "Costi", "Concessione e lavori"
    a, t, f = "accordo_concessione.", "accordo_concessione.rendicontazione[]", "altri_fondi_ue[]"

    def col(elenco: str, nome: str, etichetta: str, widget: Widget, **altro: Any) -> Domanda:
        return Domanda(f"{_P}{elenco}.{nome}", "impianti", etichetta, widget, nome=nome, modulo="contributo_pnrr",
                       elenco=_P + elenco, **altro)

    return [
        q("data_domanda", "Data della domanda", "data", "data_domanda", "domanda", dom, 0,
          campo="data della domanda di contributo"),
        q("codice_progetto_gse", "Codice del progetto GSE", "testo", "codice_progetto_gse", "codice-gse", dom, 0),
        q("beneficiario", "Chi sostiene la spesa", "scelta", "beneficiario", "beneficiario", dom, 0,
          scelte="beneficiari_pnrr", campo="beneficiario"),
        q("cup", "CUP", "testo", "cup", "cup", dom, 1, controllo="cup", massimo_caratteri=15,
          segnaposto="es. J21B24000120006", campo="CUP",
          aiuto="Codice Unico di Progetto (15 caratteri): va riportato su ogni fattura."),
        q("data_assegnazione_cup", "Data di assegnazione del CUP", "data", "data_assegnazione_cup", "data-cup", dom, 1),
        q("cig", "CIG", "testo", "cig", "cig", dom, 1, controllo="cig", massimo_caratteri=10, campo="CIG",
          aiuto="Codice Identificativo di Gara (10 caratteri), se c'è un affidamento."),
        q("spesa_ammissibile_euro", "Spesa ammissibile (€)", "testo", "spesa_ammissibile_euro", "spesa", costi, 0,
          tipo="euro", segnaposto="es. 96.000,00"),
        q("contributo_richiesto_euro", "Contributo richiesto (€)", "testo", "contributo_richiesto_euro",
          "contributo", costi, 0, tipo="euro"),
        q("altri_contributi_euro", "Altri contributi sulle stesse spese (€)", "testo", "altri_contributi_euro",
          "altri", costi, 0, tipo="euro"),
        q("data_concessione", "Data della concessione", "data", "data_concessione", "concessione", conc, 0),
        q("data_avvio_lavori", "Avvio dei lavori", "data", "data_avvio_lavori", "avvio", conc, 0,
          campo="data di avvio dei lavori"),
        q("data_fine_lavori", "Fine dei lavori", "data", "data_fine_lavori", "fine", conc, 0,
          campo="data di fine dei lavori"),
        q(a + "estremi", "Estremi dell'accordo di concessione", "testo", "accordo_estremi", "acc-estremi", conc, 1,
          segnaposto="numero o protocollo"),
        q(a + "data_firma", "Firma dell'accordo", "data", "accordo_data_firma", "acc-firma", conc, 1,
          campo="data di firma dell'accordo di concessione"),
        q(a + "data_notifica", "Notifica dell'atto di concessione", "data", "accordo_data_notifica", "acc-notifica",
          conc, 2, campo="data di notifica dell'atto di concessione",
          aiuto="Da questa data si contano i mesi per l'entrata in esercizio."),
        q(a + "termine_pagamenti", "Termine per pagare le spese", "data", "accordo_termine_pagamenti", "acc-termine",
          conc, 2),
        col(t, "entro", "Entro il", "data", campo="scadenza della tappa",
            obbligatorio="manca la data entro cui rendicontare"),
        col(t, "descrizione", "Che cosa si rendiconta", "testo", larghezza="large", campo="descrizione della tappa",
            obbligatorio="manca che cosa si rendiconta"),
        col(f, "programma", "Programma", "testo", aiuto="Per esempio FESR, FEASR",
            obbligatorio="scrivi il programma europeo (per esempio FESR)"),
        col(f, "importo_euro", "Importo (€)", "numero", tipo="euro", campo="importo (€)"),
        col(f, "stesse_spese", "Sulle stesse spese del PNRR", "casella"),
        col(f, "note", "Note", "testo", larghezza="large"),
    ]


NOTE_SEZIONI: dict[tuple[str, str], str] = {
    ("statuto", "Ripartizione dei benefici"): "Percentuali del beneficio entro la soglia: la somma deve essere 100%.",
    ("statuto", "Restituzione del contributo PNRR"): (
        "Quanto restituisce il produttore che recede dopo aver ricevuto un contributo PNRR: lo statuto la riduce in "
        "proporzione al periodo di vincolo ancora da trascorrere e non supera mai il contributo ricevuto; dopo il "
        "vincolo non è dovuto nulla."),
    ("statuto", "Altre clausole"): (
        "Il patrimonio serve per la personalità giuridica (fondo patrimoniale di garanzia dell'associazione "
        "riconosciuta, fondo di dotazione della fondazione); le spese di costituzione vanno indicate nell'atto "
        "della cooperativa."),
}
"""Le note sotto il titoletto di una sezione di un passo generato (passo, sezione) → testo."""


DOMANDE: tuple[Domanda, ...] = tuple([
    # 1. comunità (passo generato: ui/passi/comunita.py disegna, motore_passi applica)
    *_comunita(),
    # 2. soggetti e membri (tabella generata con importazione: una riga scrive un soggetto e il suo membro)
    *_soggetti(),
    # «Dettagli di un soggetto» (modulo generato: indice il soggetto)
    *_dettaglio_soggetto(),
    # 3. configurazioni e POD
    # 3. configurazioni e POD (modulo generato con la tabella dei POD; consumi mensili di un POD)
    *_configurazioni(),
    # 4. impianti (tabella) e contributo PNRR (modulo per impianto)
    *_impianti(),
    # 4 bis. contributo PNRR di un impianto (modulo generato: ui/passi/impianti.py disegna, motore_passi applica)
    *_contributo_pnrr(),
    # 5. referente e mandato (passo generato: ui/passi/referente.py disegna, motore_passi applica)
    *_referente(),
    # 6. produttori terzi (tabella generata: ui/passi/produttori_terzi.py disegna, motore_passi applica)
    *_produttori_terzi(),
    # 7. statuto e riparto (passo generato: ui/passi/statuto.py disegna, motore_passi applica)
    *_statuto(),
])

GESTITI: dict[str, str] = {
    "formato": "la versione del formato del file: la scrive il sistema",
    "pratica.id": "il codice della pratica: si sceglie alla creazione (pagina Pratiche) e non cambia",
    "pratica.aggiornata_il": "la data dell'ultimo salvataggio: la scrive il sistema",
    "soggetti[].id": "l'identificativo interno: il sistema lo ricava dal nome",
    "configurazioni[].id": "l'identificativo interno: il sistema lo ricava dal nome",
    "configurazioni[].impianti[].id": "l'identificativo interno: il sistema lo ricava dal nome",
    "membri[].soggetto": "il legame membro-soggetto: è la riga stessa della tabella dei soggetti",
    "eventi[]": "i fatti della pratica: si registrano nella pagina Cronologia (mai cancellati)",
    "configurazioni[].impianti[].contributo_pnrr.spese[]": "il registro delle spese: pagina Contributo PNRR "
                                                            "(fatture caricate e pagamenti)",
    "incassi_gse[]": "gli importi pagati dal GSE: pagina «Riparto e pagamenti», tabella «Incassi del GSE» "
                     "(o importazione di un CSV)",
    "costi_comunita[]": "i costi della comunità di un periodo: pagina «Riparto e pagamenti», tabella «Costi della "
                        "comunità»",
    "riparti_approvati[]": "le versioni approvate del riparto: le scrive il sistema quando si registra "
                           "l'approvazione dell'assemblea (pagina «Riparto e pagamenti», scheda «Approvazione»)",
}


def valori(oggetto: Any, domande: list[Domanda], indici: tuple[int, ...] = ()) -> dict[str, Any]:
    """I valori attuali delle domande, per percorso (il motore legge: nessun passo li riscrive a mano)."""
    return {d.percorso: leggi(oggetto, d.percorso, indici) for d in domande}


def domande_del_passo(passo: str) -> list[Domanda]:
    return [d for d in DOMANDE if d.passo == passo]


def domande_del_modulo(modulo: str) -> list[Domanda]:
    """Le domande lette e applicate insieme (un passo generato, o un modulo di un passo)."""
    return [d for d in DOMANDE if d.id_modulo == modulo]


def domanda(percorso: str) -> Domanda | None:
    return next((d for d in DOMANDE if d.percorso == percorso), None)


def domanda_del_rilievo(oggetto: str | None) -> tuple[Domanda, int | None] | None:
    """La domanda che chiede il dato di un rilievo (``configurazioni[0].impianti[1].ubicazione.popolazione``)
    e, se è una colonna di tabella, la riga (da 1, come la mostra la tabella); None se nessuna lo chiede."""
    o = (oggetto or "").strip()
    indici = [int(x) for x in re.findall(r"\[(\d+)\]", o)]
    percorso = re.sub(r"\[\d+\]", "[]", o)
    # lo stesso campo può stare in una tabella e in un modulo: la colonna, dove si vedono tutte le righe
    candidate = sorted((d for d in DOMANDE if d.percorso == percorso), key=lambda d: d.elenco is None)
    if not candidate:
        return None
    d = candidate[0]
    return d, (indici[-1] + 1 if d.elenco and indici else None)


_CHIAVE_ELEMENTO = re.compile(r"\[[^\]]*\]")


def domanda_del_dato(percorso: str) -> Domanda | None:
    """La domanda che chiede il dato al ``percorso`` nella pratica, con gli elementi degli elenchi per
    indice o per chiave (``soggetti[3].email``, ``soggetti[id:rossi-mario].email``); per un campo composto
    l'ultima parte del percorso è la parte (``comunita.atto_costitutivo.notaio.raccolta``). Con la sua
    etichetta (``nome_campo``) l'avviso della generazione nomina un dato rimasto da completare."""
    generico = _CHIAVE_ELEMENTO.sub("[]", percorso.strip())
    # lo stesso campo può stare in una tabella e in un modulo: la colonna, come per i rilievi
    candidate = sorted((d for d in DOMANDE if d.percorso == generico), key=lambda d: d.elenco is None)
    if candidate:
        return candidate[0]
    padre, _, parte = generico.rpartition(".")
    return next((d for d in DOMANDE if d.percorso == padre and d.parte == parte), None)


def gestito(percorso: str) -> str | None:
    """Chi gestisce il campo se non lo chiede un passo (il campo o un elenco che lo contiene)."""
    for chiave, motivo in GESTITI.items():
        if percorso == chiave or (chiave.endswith("[]") and percorso.startswith(chiave + ".")) or (
                chiave.endswith("[]") and percorso == chiave):
            return motivo
    return None


_PARTE = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)(\[\])?")


def leggi(oggetto: Any, percorso: str, indici: tuple[int, ...] = ()) -> Any:
    """Il valore al percorso (gli ``[]`` prendono, nell'ordine, gli ``indici``); None se manca qualcosa."""
    resto = list(indici)
    for parte in percorso.split("."):
        m = _PARTE.fullmatch(parte)
        if m is None:
            raise ValueError(f"percorso non valido: {percorso!r}")
        oggetto = oggetto.get(m.group(1)) if isinstance(oggetto, dict) else getattr(oggetto, m.group(1), None)
        if m.group(2):
            if not resto:
                return oggetto
            i = resto.pop(0)
            if oggetto is None or not 0 <= i < len(oggetto):
                return None
            oggetto = oggetto[i]
        if oggetto is None:
            return None
    return oggetto
