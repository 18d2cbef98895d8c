"""I tipi di fatto che si registrano su una pratica, con il loro nome italiano.

Ogni fatto diventa un evento della pratica (``eventi``) e, quando esiste, aggiorna il campo
datato corrispondente. Gli eventi già presenti nei file pratica possono usare nomi più vecchi
(``costituzione``, ``registrazione``, ``richiesta_accesso``, ``mandato``...): ``canonico`` li
riconduce al tipo di fatto.
"""

from __future__ import annotations

from dataclasses import dataclass

from .oggetti import Genere

__all__ = ["TipoFatto", "TIPI_FATTO", "ALIAS", "canonico", "COMUNICAZIONI_AVVIO_LAVORI", "COMUNICAZIONI_VARIAZIONE"]


@dataclass(frozen=True)
class TipoFatto:
    codice: str
    etichetta: str
    generi: tuple[Genere, ...]
    campo: str | None
    spiegazione: str

    @property
    def genere(self) -> Genere:
        return self.generi[0]


_T = TipoFatto
TIPI_FATTO: dict[str, TipoFatto] = {t.codice: t for t in (
    _T("atto_firmato", "Atto costitutivo firmato", ("comunita",), "comunita.atto_costitutivo.data",
       "firma dell'atto costitutivo e dello statuto della comunità"),
    _T("atto_registrato", "Atto costitutivo registrato", ("comunita",), "comunita.atto_costitutivo.registrazione.data",
       "registrazione dell'atto all'Agenzia delle Entrate (data certa per la scrittura privata)"),
    _T("richiesta_inviata", "Richiesta di accesso inviata al GSE", ("configurazione",),
       "configurazioni[i].richiesta_accesso.data_invio",
       "invio della richiesta di accesso al servizio per l'autoconsumo diffuso sul portale GSE"),
    _T("richiesta_accolta", "Richiesta di accesso accolta", ("configurazione",),
       "configurazioni[i].richiesta_accesso.data_esito", "esito positivo della richiesta: contratto con il GSE"),
    _T("richiesta_respinta", "Richiesta di accesso respinta", ("configurazione",),
       "configurazioni[i].richiesta_accesso.data_esito", "esito negativo della richiesta di accesso"),
    _T("entrata_esercizio", "Impianto in esercizio", ("impianto",),
       "configurazioni[i].impianti[j].data_entrata_esercizio", "entrata in esercizio dell'impianto"),
    _T("pod_aggiunto", "POD aggiunto alla configurazione", ("punto_connessione",),
       "configurazioni[i].punti_connessione[k].data_ingresso", "ingresso di un punto di connessione nella configurazione"),
    _T("pod_rimosso", "POD rimosso dalla configurazione", ("punto_connessione",),
       "configurazioni[i].punti_connessione[k].data_uscita", "uscita di un punto di connessione dalla configurazione"),
    _T("mandato_firmato", "Mandato al referente firmato", ("configurazione",),
       "configurazioni[i].referente.mandato.data_firma", "firma del mandato senza rappresentanza al referente"),
    _T("mandato_revocato", "Mandato al referente revocato", ("configurazione",),
       "configurazioni[i].referente.mandato.data_revoca", "revoca del mandato al referente"),
    _T("domanda_pnrr", "Domanda di contributo PNRR inviata", ("impianto",),
       "configurazioni[i].impianti[j].contributo_pnrr.data_domanda", "domanda di contributo PNRR sul portale GSE"),
    _T("concessione_pnrr", "Contributo PNRR concesso", ("impianto",),
       "configurazioni[i].impianti[j].contributo_pnrr.data_concessione",
       "concessione del contributo (decreto MASE o accordo di concessione GSE)"),
    _T("avvio_lavori", "Lavori avviati", ("impianto",), "configurazioni[i].impianti[j].contributo_pnrr.data_avvio_lavori",
       "avvio dei lavori dell'impianto (per gli impianti senza PNRR resta solo l'evento)"),
    _T("fine_lavori", "Lavori conclusi", ("impianto",), "configurazioni[i].impianti[j].contributo_pnrr.data_fine_lavori",
       "conclusione dei lavori dell'impianto (per gli impianti senza PNRR resta solo l'evento)"),
    _T("comunicazione_avvio_lavori", "Avvio dei lavori comunicato al GSE", ("impianto",), None,
       "comunicazione al GSE dell'avvio dei lavori di un impianto finanziato dal PNRR"),
    _T("comunicazione_variazione", "Variazione comunicata al GSE", ("configurazione", "impianto", "punto_connessione"), None,
       "comunicazione al GSE di una modifica della configurazione (POD o impianti entrati o usciti)"),
)}

# nomi usati negli eventi dei file pratica esistenti
ALIAS: dict[str, str] = {
    "costituzione": "atto_firmato",
    "registrazione": "atto_registrato",
    "richiesta_accesso": "richiesta_inviata",
    "mandato": "mandato_firmato",
    "impianto_in_esercizio": "entrata_esercizio",
    "modifica_configurazione": "comunicazione_variazione",
}

# eventi che adempiono gli obblighi di comunicazione (``comunicazione_gse`` è generico: vale per entrambi)
COMUNICAZIONI_AVVIO_LAVORI = frozenset({"comunicazione_avvio_lavori", "comunicazione_gse"})
COMUNICAZIONI_VARIAZIONE = frozenset({"comunicazione_variazione", "comunicazione_gse"})


def canonico(tipo: str | None) -> str:
    """Il tipo di fatto riconosciuto per ``tipo`` (anche un nome vecchio); altrimenti il tipo così com'è."""
    t = (tipo or "").strip().lower().replace("-", "_").replace(" ", "_")
    return ALIAS.get(t, t)
