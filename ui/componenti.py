"""Aiuti condivisi dalle pagine: pratica aperta, salvataggio con controllo dei conflitti,
messaggi, rilievi, navigazione. Nessuna regola qui: solo presentazione e chiamate ai servizi.

Stato della sessione: solo codice e versione della pratica aperta (``pratica_corrente``), il
passo della procedura, la configurazione scelta. Il contenuto della pratica si rilegge dal
database a ogni esecuzione: chiudere o ricaricare il browser non perde nulla, e l'indirizzo
(``?pratica=<codice>&passo=<passo>``) riapre lo stesso punto.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable

import streamlit as st

from cer_docs.italiano import data_lunga
from cer_docs.model import ErrorePratica, Pratica
from cer_docs.model.io import dump_presenti
from cer_docs.services import accesso, archivio
from cer_docs.services import procedura as proc
from cer_docs.services import verifica as svc_verifica
from cer_docs.store.settings import load_settings
from ui import bozze, campi
from ui.pagine import pagina

log = logging.getLogger("cer_docs.ui")

CHIAVE_PRATICA = "pratica_corrente"     # {"codice": str, "versione": int}
CHIAVE_PASSO = "_passo"                 # passo della procedura (copia che sopravvive al cambio pagina)
CHIAVE_CONF = "_configurazione"         # indice della configurazione scelta
CHIAVE_VAI_A = "_vai_a_passo"
CHIAVE_DA_CORREGGERE = "_da_correggere"      # (passo, destinazione) dopo un «Correggi»: «Da correggere: …»
CHIAVE_IMPIANTO_DA_APRIRE = "_impianto_da_aprire"  # (configurazione, impianto) dopo un «Correggi» sul PNRR
CHIAVE_SOGGETTO_DA_APRIRE = "_soggetto_da_aprire"  # indice del soggetto dopo un «Correggi» su un suo dettaglio
CHIAVE_MESSAGGIO = "_messaggio"
CHIAVE_AUTORE = "autore"
CHIAVE_ATTORE = "_attore_corrente"      # l'account di questa esecuzione (modalità server), rivalidato a ogni run
CHIAVE_SESSIONE = "_sessione_cer_docs"  # il gettone della sessione (modalità server)
CHIAVE_USCITO = "_uscito_cer_docs"  # «Esci» appena premuto: il cookie della sessione va cancellato
CHIAVE_SCARTATO = "_gettone_scartato_cer_docs"  # gettone chiuso in questa scheda: il suo cookie non conta più
CHIAVE_ANNULLATI = "_annullati"         # quante volte si è usato «Annulla le modifiche» (rinnova i widget)
CHIAVE_PROBLEMI = "_problemi_passo"     # problemi dell'ultimo salvataggio non riuscito, da mostrare in cima
CHIAVE_AVVISI = "_avvisi_salvataggio"   # (pratica, passo, avvisi): dati salvati da ricontrollare, da mostrare in cima


# --------------------------------------------------------------------------- testo

_MD = re.compile(r"([\\`*_\[\]<>#|~$])")


def md(testo: Any) -> str:
    """Testo dell'utente dentro il markdown di Streamlit: nessun carattere diventa formattazione."""
    return _MD.sub(r"\\\1", str(testo))


def maiuscola(testo: str) -> str:
    return testo[:1].upper() + testo[1:] if testo else testo


def frase(testo: Any) -> str:
    """Maiuscola iniziale e punto finale; le parole inglesi della validazione diventano italiane."""
    t = maiuscola(str(testo).strip()).replace("' or '", "' o '")
    return t if t.endswith((".", "!", "?", ":")) else t + "."


def quando(istante: dt.datetime) -> str:
    """«22 novembre 2026, ore 10:32» nell'ora italiana."""
    locale = archivio.ora_locale(istante, "%Y-%m-%d %H:%M")
    giorno, ora = locale.split(" ")
    return f"{data_lunga(dt.date.fromisoformat(giorno))}, ore {ora}"


def oggi() -> dt.date:
    """L'orologio entra dall'interfaccia e passa ai servizi come data esplicita."""
    return dt.date.today()


# --------------------------------------------------------------------------- esecuzione sicura

def esegui(corpo: Callable[[], None]) -> None:
    """Esegue il corpo di una pagina: qualunque errore imprevisto diventa un messaggio italiano,
    mai un traceback (il dettaglio va nel registro del server)."""
    try:
        corpo()
    except archivio.ErroreDatabase as e:
        st.error(f"Il database non risponde: {md(e)}")
    except accesso.AccessoNegato as e:
        st.error(f"Operazione non permessa: {md(e)}.", icon=":material/lock:")
    except Exception:  # noqa: BLE001 - ultima difesa: la pagina non mostra mai un traceback
        log.exception("errore imprevisto nella pagina")
        st.error("Si è verificato un errore imprevisto e l'operazione non è stata completata. Ricarica la pagina "
                 "e riprova; se si ripete, segnala il problema all'assistenza (i dettagli sono nel registro del "
                 "server).")


def messaggio_flash(testo: str) -> None:
    """Un messaggio da mostrare dopo il prossimo ``st.rerun()``."""
    st.session_state[CHIAVE_MESSAGGIO] = testo


def mostra_flash() -> None:
    """Il messaggio dell'ultima azione. Occupa sempre lo stesso posto (anche vuoto), così quando sparisce
    gli elementi sotto non cambiano posizione e Streamlit non li ridisegna da capo (un espansore aperto
    resterebbe chiuso)."""
    posto = st.empty()
    testo = st.session_state.pop(CHIAVE_MESSAGGIO, None)
    if testo:
        posto.success(testo, icon=":material/check_circle:")


# --------------------------------------------------------------------------- pratica aperta

def attore() -> accesso.Attore | None:
    """Chi sta usando l'app: l'account entrato (modalità server) o ``None`` (uso personale:
    l'amministratore locale, con il nome che si è dato in «Il tuo nome»)."""
    return st.session_state.get(CHIAVE_ATTORE)


def vietato(codice: str, azione: str) -> bool:
    """Vero se l'account entrato non può fare ``azione`` sulla pratica (in uso personale nulla è vietato)."""
    chi = attore()
    return chi is not None and not archivio.puo(codice, azione, attore=chi)


def modalita_server() -> bool:
    return accesso.modalita() == "server"


def autore() -> str:
    chi = attore()
    if chi is not None:
        return chi.firma  # un account firma sempre con il suo nome: il registro dice il vero
    nome = (st.session_state.get(CHIAVE_AUTORE) or "").strip()
    return nome or archivio.autore_predefinito()


def codice_corrente() -> str | None:
    """La pratica dell'indirizzo (``?pratica=``) o, se manca, quella della sessione."""
    dal_link = st.query_params.get("pratica")
    stato = st.session_state.get(CHIAVE_PRATICA)
    if dal_link:
        return dal_link
    if stato:
        st.query_params["pratica"] = stato["codice"]
        return stato["codice"]
    return None


def imposta_pratica(codice: str, versione: int) -> None:
    precedente = st.session_state.get(CHIAVE_PRATICA)
    if not precedente or precedente.get("codice") != codice:
        st.session_state[CHIAVE_CONF] = 0
    st.session_state[CHIAVE_PRATICA] = {"codice": codice, "versione": versione}
    st.query_params["pratica"] = codice


def dimentica_pratica() -> None:
    st.session_state.pop(CHIAVE_PRATICA, None)
    st.query_params.pop("pratica", None)


_CACHE_VERSIONE = "_cache_per_versione"


@dataclass
class Lavoro:
    """La pratica su cui si lavora: il contenuto (dal database) e la versione che l'utente ha aperto."""

    aperta: archivio.PraticaAperta
    versione: int

    @property
    def pratica(self) -> Pratica:
        return self.aperta.pratica

    @property
    def codice(self) -> str:
        return self.aperta.codice

    @property
    def aggiornata(self) -> bool:
        return self.versione == self.aperta.versione

    def per_versione(self, nome: str, calcola: Callable[[], Any]) -> Any:
        """Un valore ricavato dalla pratica (tabella, etichette...), calcolato una volta per versione
        salvata e poi riusato a ogni rerun della sessione. Chi lo riceve non lo modifica."""
        cache = st.session_state.setdefault(_CACHE_VERSIONE, {})
        chiave = (self.codice, self.aperta.versione, self.aperta.aggiornata_il, nome)
        if chiave not in cache:
            for vecchia in [k for k in cache if k[0] == self.codice and k[1:3] != chiave[1:3]]:
                del cache[vecchia]
            cache[chiave] = calcola()
        return cache[chiave]

    def chiave(self, nome: str) -> str:
        """Chiave di un widget legata alla versione aperta dall'utente: dopo un salvataggio (o una
        ricarica) i campi ripartono dal database; se un altro salva nel frattempo, i campi tengono
        ciò che l'utente vede e sta scrivendo, e il salvataggio segnala il conflitto."""
        giro = st.session_state.get(CHIAVE_ANNULLATI, 0)
        return f"{nome}-v{self.versione}" if not giro else f"{nome}-a{giro}-v{self.versione}"


@st.cache_resource(max_entries=8, show_spinner=False)
def _apri_cache(database: str, codice: str, versione: int, aggiornata_il: dt.datetime) -> archivio.PraticaAperta:
    return archivio.apri(codice)


def _apri(codice: str, chi: accesso.Attore | None = None) -> archivio.PraticaAperta:
    """La pratica dell'archivio, riletta e rivalidata solo quando cambia (versione e istante del
    salvataggio dall'elenco, che costa poco): con 500 membri rileggerla a ogni clic costa ~40 ms.
    Chi la usa non la modifica sul posto (i servizi lavorano su copie). Con un account (modalità
    server) niente copia condivisa: ogni apertura passa dal controllo dei diritti dell'archivio."""
    if chi is not None:
        return archivio.apri(codice, attore=chi)
    voce = next((v for v in archivio.elenco_pratiche() if v.codice == codice), None)
    if voce is None:
        return archivio.apri(codice)        # un id, o una pratica che non c'è: decide l'archivio
    return _apri_cache(load_settings().database_url, voce.codice, voce.versione, voce.aggiornata_il)


def pratica_aperta() -> Lavoro | None:
    """Apre la pratica corrente; se qualcuno l'ha salvata nel frattempo lo dice e offre di ricaricarla."""
    codice = codice_corrente()
    if not codice:
        return None
    try:
        aperta = _apri(codice, attore())
    except (archivio.PraticaNonTrovata, accesso.AccessoNegato):
        dimentica_pratica()
        st.warning(f"La pratica «{md(codice)}» non è nell'archivio: forse è stata eliminata o il collegamento è "
                   "sbagliato. Scegline un'altra dalla pagina Pratiche.", icon=":material/search_off:")
        return None
    stato = st.session_state.get(CHIAVE_PRATICA)
    if not stato or stato.get("codice") != aperta.codice:
        imposta_pratica(aperta.codice, aperta.versione)
        return Lavoro(aperta, aperta.versione)
    lavoro = Lavoro(aperta, int(stato["versione"]))
    if not lavoro.aggiornata:
        avviso_modifica_altrui(lavoro)
    return lavoro


def _ultima_modifica(codice: str) -> archivio.EventoArchivio | None:
    try:
        eventi = archivio.eventi(codice, attore=attore())
    except (archivio.ErroreArchivio, accesso.AccessoNegato):
        return None
    return eventi[-1] if eventi else None


def ricarica(codice: str) -> None:
    """Callback: riallinea la sessione all'ultima versione salvata (le modifiche non salvate si perdono)."""
    try:
        aperta = archivio.apri(codice, attore=attore())
    except (archivio.ErroreArchivio, accesso.AccessoNegato):
        dimentica_pratica()
        return
    st.session_state[CHIAVE_PRATICA] = {"codice": aperta.codice, "versione": aperta.versione}
    st.session_state.pop("_conflitto", None)
    bozze.dimentica(aperta.codice)


def avviso_modifica_altrui(lavoro: Lavoro) -> None:
    ev = _ultima_modifica(lavoro.codice)
    chi = f"da {md(ev.autore)}" if ev else "da un'altra persona"
    alle = f" il {quando(ev.quando)}" if ev else ""
    st.warning(f"Questa pratica è stata modificata {chi}{alle}, dopo che l'hai aperta (tu hai la versione "
               f"{lavoro.versione}, ora è la {lavoro.aperta.versione}). Ricaricala per lavorare sui dati nuovi: "
               "ciò che non hai ancora salvato andrà perso. Nulla viene sovrascritto senza che tu lo sappia.",
               icon=":material/group:")
    st.button("Ricarica la pratica", key=f"ricarica-{lavoro.aperta.versione}", on_click=ricarica,
              args=(lavoro.codice,), icon=":material/refresh:", type="primary")


def salva(lavoro: Lavoro, pratica: Pratica, descrizione: str) -> bool:
    """Salva con la versione aperta dall'utente. Un conflitto si spiega (chi, quando) e non scrive nulla."""
    try:
        nuova = archivio.salva(lavoro.codice, pratica, lavoro.versione, autore=autore(), descrizione=descrizione,
                               attore=attore())
    except archivio.ConflittoModifica as e:
        chi = f"da {md(e.autore)}" if e.autore else "da un'altra persona"
        alle = f" il {quando(e.quando)}" if e.quando else ""
        st.error(f"**Non salvato.** La pratica è stata modificata {chi}{alle}, dopo che l'hai aperta (tu avevi la "
                 f"versione {e.versione_attesa}, ora è la {e.versione_attuale}). Le tue modifiche a questo passo non "
                 "sono state scritte: ricarica la pratica e ripetile sui dati nuovi.", icon=":material/sync_problem:")
        st.button("Ricarica la pratica", key=f"ricarica-conflitto-{lavoro.aperta.versione}", on_click=ricarica,
                  args=(lavoro.codice,), icon=":material/refresh:", type="primary")
        return False
    except ErrorePratica as e:
        mostra_problemi_pratica(e, "Non salvato: la pratica non è valida.")
        return False
    except (archivio.ErroreArchivio, accesso.AccessoNegato) as e:
        st.error(f"Non salvato: {md(str(e))}.")
        return False
    st.session_state[CHIAVE_PRATICA] = {"codice": nuova.codice, "versione": nuova.versione}
    return True


def mostra_problemi(errore: proc.ErrorePasso) -> None:
    righe = "\n".join(f"- {md(frase(p))}" for p in errore.problemi[:60])
    altri = f"\n- … e altri {len(errore.problemi) - 60} problemi" if len(errore.problemi) > 60 else ""
    st.error(f"**Non salvato: correggi {'questo problema' if len(errore.problemi) == 1 else 'questi problemi'} "
             f"e riprova.**\n\n{righe}{altri}", icon=":material/error:")


def mostra_avvisi(avvisi: list[proc.ProblemaPasso]) -> None:
    """I dati salvati che vanno ricontrollati (un CUP di forma insolita): il campo e come correggerlo."""
    righe = "\n".join(f"- {md(frase(p))}" for p in avvisi)
    st.warning(f"**Salvato, ma ricontrolla {'questo dato' if len(avvisi) == 1 else 'questi dati'}.**\n\n{righe}",
               icon=":material/warning:")


def mostra_problemi_pratica(errore: ErrorePratica, titolo: str) -> None:
    righe = "\n".join(f"- {md(frase(p))}" for p in errore.problemi[:60])
    altri = f"\n- … e altri {len(errore.problemi) - 60} problemi" if len(errore.problemi) > 60 else ""
    st.error(f"**{md(titolo)}**\n\n{righe}{altri}", icon=":material/error:")


def _testo_confrontabile(x: Any) -> str:
    """Per il confronto: 40.0 kW e 40 kW sono lo stesso dato (un salvataggio senza modifiche non è una versione)."""
    if isinstance(x, Decimal) and x.is_finite():
        return format(x.normalize(), "f")
    return str(x)


def _contenuto(pratica: Pratica) -> Any:
    """Ciò che il file pratica conterrebbe (i campi scritti, anche se uguali al predefinito), senza
    la data dell'ultimo aggiornamento."""
    dati = json.loads(json.dumps(dump_presenti(pratica), default=_testo_confrontabile))
    dati.get("pratica", {}).pop("aggiornata_il", None)
    return dati


def applica_passo(lavoro: Lavoro, passo_id: str, modifica: Callable[[], Pratica], descrizione: str, *,
                  avanza: bool = True, tabelle: dict[str, Any] | None = None, bozza: str | None = None,
                  cosa: str | None = None, avvisi: list[proc.ProblemaPasso] | None = None,
                  rinumera: bool = True) -> bool:
    """Esegue la modifica di un passo (servizio ``procedura``), la salva e passa al passo dopo.

    Se il passo non va, non salva nulla: i problemi si mostrano tutti insieme in cima al passo e le
    tabelle ripartono da ciò che l'utente vede, con le righe numerate come nei messaggi (``rinumera``: da 1;
    ``rinumera=False`` per una tabella i cui messaggi usano già i numeri che l'utente vede). Un passo
    salvato senza alcuna modifica non crea una nuova versione. Gli ``avvisi`` (dati che si salvano ma
    vanno ricontrollati, ``motore_passi.avvisi``) si mostrano dopo il salvataggio, in cima al passo, e
    con avvisi si resta sul passo.
    """
    st.session_state.pop(CHIAVE_AVVISI, None)
    try:
        nuova = modifica()
    except proc.ErrorePasso as e:
        st.session_state[CHIAVE_PROBLEMI] = (lavoro.codice, passo_id, e)
        for chiave, df in (tabelle or {}).items():
            bozze.riparti(chiave, df, rinumera=rinumera)
        st.rerun()
        return False  # pragma: no cover - st.rerun non ritorna
    st.session_state.pop(CHIAVE_PROBLEMI, None)
    _dimentica_da_correggere(passo_id)
    titolo = cosa or proc.passo(passo_id).titolo
    if _contenuto(nuova) == _contenuto(lavoro.pratica):
        bozze.dimentica(lavoro.codice, passo_id, bozza)
        messaggio_flash(f"«{titolo}»: nessuna modifica da salvare, la versione resta la {lavoro.aperta.versione}.")
    else:
        if not salva(lavoro, nuova, descrizione):
            return False
        bozze.dimentica(lavoro.codice, passo_id, bozza)
        messaggio_flash(f"«{titolo}» salvato.")
    if avvisi:      # si resta sul passo, dove si dice che cosa ricontrollare
        st.session_state[CHIAVE_AVVISI] = (lavoro.codice, passo_id, list(avvisi))
    if avanza and not avvisi and (dopo := proc.passo_successivo(passo_id)):
        st.session_state[CHIAVE_VAI_A] = dopo
    st.rerun()
    return True  # pragma: no cover - st.rerun non ritorna


def indicazione_da_correggere(lavoro: Lavoro, passo_id: str) -> str | None:
    """«Da correggere: …» dell'ultimo «Correggi» verso questo passo (None se non c'è o non nomina un campo),
    con il nome del soggetto se il dato è un suo dettaglio. L'indicazione vale finché si sta sul passo."""
    da_correggere = st.session_state.get(CHIAVE_DA_CORREGGERE)
    if not da_correggere or da_correggere[0] != passo_id:
        st.session_state.pop(CHIAVE_DA_CORREGGERE, None)
        return None
    destinazione = da_correggere[1]
    i = destinazione.soggetto
    soggetti = lavoro.pratica.soggetti
    chi = soggetti[i].nome_completo if i is not None and 0 <= i < len(soggetti) else None
    return destinazione.indicazione_di(chi)


def _dimentica_da_correggere(passo_id: str) -> None:
    """Il passo si è salvato: l'indicazione «Da correggere: …» di un «Correggi» verso questo passo non vale
    più (il dato è stato salvato; se è ancora sbagliato lo dicono le verifiche, o gli avvisi del salvataggio)."""
    da_correggere = st.session_state.get(CHIAVE_DA_CORREGGERE)
    if da_correggere and da_correggere[0] == passo_id:
        st.session_state.pop(CHIAVE_DA_CORREGGERE, None)


def mostra_problemi_salvati(lavoro: Lavoro, passo_id: str) -> None:
    """In cima al passo: i problemi dell'ultimo salvataggio non riuscito, tutti insieme (o i dati da
    ricontrollare dell'ultimo salvataggio riuscito)."""
    avvisi = st.session_state.get(CHIAVE_AVVISI)
    if avvisi and avvisi[:2] == (lavoro.codice, passo_id):
        mostra_avvisi(avvisi[2])
    elif avvisi:
        st.session_state.pop(CHIAVE_AVVISI, None)
    salvati = st.session_state.get(CHIAVE_PROBLEMI)
    if not salvati:
        return
    codice, passo, errore = salvati
    if codice != lavoro.codice or passo != passo_id:
        st.session_state.pop(CHIAVE_PROBLEMI, None)
        return
    mostra_problemi(errore)


# --------------------------------------------------------------------------- script nella pagina

def script_nella_pagina(js: str) -> None:
    """Uno script che lavora sulla finestra dell'app (``w``): Streamlit non ha API per lo scorrimento né per
    ``beforeunload``. Gira in un iframe senza altezza della stessa origine della pagina."""
    import streamlit.components.v1 as components

    components.html("<script>(function(){var w=window.parent;" + js + "})();</script>", height=0)


_MOSTRA_CAMPO = """
var d=w.document, cls=%s, prove=0;
function mostra(el){
  el.scrollIntoView({block:"center"});
  var campo=el.querySelector("[data-testid=stTextInput] input,[data-testid=stNumberInput] input,"
                             +"[data-testid=stTextArea] textarea");
  if(campo){campo.focus({preventScroll:true});}
  el.style.outline="3px solid #ff4b4b"; el.style.outlineOffset="6px"; el.style.borderRadius="0.5rem";
  el.setAttribute("data-cer-da-correggere","1");
  w.setTimeout(function(){
    el.style.outline=""; el.style.outlineOffset=""; el.removeAttribute("data-cer-da-correggere");
  }, 6000);
}
function pronta(){
  // i widget caricati a parte (date, scelte) sono ancora segnaposto, o lo script gira: la pagina non è ferma
  var stato=d.querySelector("[data-test-script-state]");
  return !d.querySelector("[data-testid=stSkeleton]")
         && (!stato || stato.getAttribute("data-test-script-state")==="notRunning");
}
var t=setInterval(function(){
  var el=d.querySelector("."+cls);
  if((!el || !pronta()) && ++prove<80){return;}
  clearInterval(t);
  if(!el){return;}
  mostra(el);
  // le tabelle e i campi sopra possono ancora cambiare altezza: un secondo sguardo poco dopo
  setTimeout(function(){var r=el.getBoundingClientRect();
    if(r.top<0||r.bottom>w.innerHeight){el.scrollIntoView({block:"center"});}}, 700);
}, 100);
"""


def mostra_campo(chiave: str) -> None:
    """Dopo un «Correggi»: la pagina scorre fino al campo (o alla tabella) con questa chiave, lo mette a fuoco
    se è un campo di testo e lo incornicia per qualche secondo. Il contenitore di un widget con chiave ha la
    classe CSS ``st-key-<chiave>`` (i caratteri fuori da lettere, cifre, «_» e «-» diventano «-»). Si aspetta
    (al più 8 secondi) che la pagina sia ferma e che i widget caricati a parte non siano più segnaposto: la
    posizione è quella finale, e il fuoco non invita a scrivere prima che le date e le scelte abbiano il loro
    valore (Streamlit le manderebbe vuote, vedi il rapporto del ramo)."""
    classe = "st-key-" + re.sub(r"[^a-zA-Z0-9_-]", "-", chiave.strip())
    script_nella_pagina(_MOSTRA_CAMPO % json.dumps(classe))


# --------------------------------------------------------------------------- navigazione

def vai_a(pagina_id: str, **parametri: str) -> None:
    """Passa a una pagina del registro portando con sé la pratica aperta."""
    query = {k: v for k, v in parametri.items() if v is not None}
    stato = st.session_state.get(CHIAVE_PRATICA)
    if stato and "pratica" not in query:
        query["pratica"] = stato["codice"]
    if "passo" in query:
        st.session_state[CHIAVE_PASSO] = query["passo"]
    st.switch_page(pagina(pagina_id).percorso_relativo, query_params=query)


def vai_al_passo(destinazione: proc.Destinazione) -> None:
    """Callback dei pulsanti «Correggi»: il passo (e la configurazione) da aprire nella procedura."""
    st.session_state[CHIAVE_VAI_A] = destinazione.passo
    st.session_state[CHIAVE_PASSO] = destinazione.passo
    st.session_state[CHIAVE_DA_CORREGGERE] = (destinazione.passo, destinazione)
    st.session_state[campi.CHIAVE_CAMPO_DA_MOSTRARE] = (destinazione.passo, destinazione.domanda)
    if destinazione.impianto is not None:
        st.session_state[CHIAVE_IMPIANTO_DA_APRIRE] = (destinazione.configurazione, destinazione.impianto)
    if destinazione.soggetto is not None:
        st.session_state[CHIAVE_SOGGETTO_DA_APRIRE] = destinazione.soggetto
    if destinazione.configurazione is not None:
        st.session_state[CHIAVE_CONF] = destinazione.configurazione


def esci() -> None:
    """Callback di «Esci»: chiude la sessione nel database e dimentica tutto della scheda."""
    from cer_docs.services import utenti

    token = st.session_state.get(CHIAVE_SESSIONE)
    utenti.esci(token)
    for k in list(st.session_state.keys()):
        del st.session_state[k]
    st.session_state[CHIAVE_USCITO] = True
    st.session_state[CHIAVE_SCARTATO] = token
    st.query_params.clear()


def barra_laterale() -> None:
    campi.testi_italiani()
    with st.sidebar:
        # la stessa fonte delle pagine (indirizzo, poi sessione): la barra e la pagina non si contraddicono
        codice = codice_corrente()
        chi = attore()
        if codice:
            voce = next((v for v in archivio.elenco_pratiche(attore=chi) if v.codice == codice), None)
            nome = f"{md(voce.denominazione)} ({md(codice)})" if voce else md(codice)
            st.caption(f"Pratica aperta: **{nome}**")
        if chi is not None:
            ruolo = " · amministratore" if chi.amministratore else ""
            st.caption(f"Connesso come **{md(chi.nome)}** ({md(chi.username)}){ruolo}")
            st.button("Esci", icon=":material/logout:", on_click=esci, key="esci")
            return
        st.text_input("Il tuo nome", key=CHIAVE_AUTORE, placeholder="Nome e cognome",
                      help="Firma le modifiche che salvi: compare nel registro e negli avvisi a chi lavora "
                           "sulla stessa pratica.")


# --------------------------------------------------------------------------- rilievi

_ICONE = {"errore": ":material/cancel:", "avviso": ":material/warning:", "info": ":material/info:"}
_NOMI_GRAVITA = {"errore": "Errore", "avviso": "Avviso", "info": "Informazione"}
MASSIMO_PER_AMBITO = 40


@st.cache_resource(max_entries=16, show_spinner=False)
def _esito_cache(database: str, codice: str, versione: int, salvata: dt.datetime, al: dt.date,
                 _pratica: Pratica) -> svc_verifica.Esito:
    return svc_verifica.verifica_pratica(_pratica, al)


def esito_verifica(lavoro: Lavoro, al: dt.date) -> svc_verifica.Esito:
    """La verifica della versione aperta alla data ``al`` (ricalcolata solo se la pratica cambia)."""
    # la chiave comprende l'istante del salvataggio: una pratica eliminata e reimportata riparte dalla versione 1
    return _esito_cache(load_settings().database_url, lavoro.codice, lavoro.aperta.versione,
                        lavoro.aperta.aggiornata_il, al, lavoro.pratica)


def mostra_rilievi(esito: svc_verifica.Esito, *, chiave: str,
                   correggi: Callable[[proc.Destinazione], None] | None) -> None:
    """I rilievi raggruppati per ambito, ognuno con la fonte e un pulsante verso il passo che lo corregge."""
    errori, avvisi = esito.errori, esito.avvisi
    info = len(esito.rilievi) - errori - avvisi
    st.markdown(f":red-badge[:material/cancel: {errori} {'errore' if errori == 1 else 'errori'}] "
                f":orange-badge[:material/warning: {avvisi} {'avviso' if avvisi == 1 else 'avvisi'}] "
                f":blue-badge[:material/info: {info} {'informazione' if info == 1 else 'informazioni'}]")
    if not esito.rilievi:
        st.success(f"Nessun rilievo alla data del {data_lunga(esito.al)}: la pratica rispetta tutte le regole "
                   "controllate. Puoi passare ai documenti.", icon=":material/verified:")
        return
    if errori:
        st.error(f"{'C’è 1 errore' if errori == 1 else f'Ci sono {errori} errori'}: con errori la pratica non può andare "
                 "avanti così com'è. Usa i pulsanti «Correggi» per andare al passo giusto.",
                 icon=":material/cancel:")
    elif avvisi:
        st.warning("Nessun errore, ma alcuni avvisi da controllare.", icon=":material/warning:")
    else:
        st.success("Nessun errore né avviso: restano solo informazioni utili per i prossimi passi.",
                   icon=":material/verified:")
    n = 0
    for ambito, rilievi in esito.per_ambito():
        titolo = svc_verifica.TITOLI_AMBITO.get(ambito, maiuscola(ambito.replace("_", " ")))
        st.markdown(f"#### {md(titolo)} ({len(rilievi)})")
        for r in rilievi[:MASSIMO_PER_AMBITO]:
            n += 1
            with st.container(border=True):
                # il codice della regola (ECCEDENZA_MANCANTE) è per chi sviluppa: all'utente il messaggio
                st.markdown(f"{_ICONE.get(r.gravita, '')} **{_NOMI_GRAVITA.get(r.gravita, r.gravita)}** · "
                            f"{md(r.messaggio)}")
                st.caption(f"Fonte: {md(r.riferimento)}")
                if correggi is not None:
                    dest = proc.destinazione(r.oggetto)
                    if dest.passo != "riepilogo":
                        st.button(f"Correggi in «{dest.titolo}»", key=f"{chiave}-{n}", on_click=correggi,
                                  args=(dest,), icon=":material/edit:")
        if len(rilievi) > MASSIMO_PER_AMBITO:
            st.caption(f"… e altri {len(rilievi) - MASSIMO_PER_AMBITO} rilievi dello stesso ambito: correggi "
                       "quelli sopra e ripeti la verifica.")


def avviso_modifiche_non_salvate(lavoro: Lavoro, cosa: str, azione: str, *, chiave: str,
                                 vai: Callable[[proc.Destinazione], None] = vai_al_passo) -> None:
    """In cima a ciò che lavora sulla versione salvata (Verifiche, Riepilogo, Documenti): i passi con modifiche
    non salvate (le bozze della sessione), con un pulsante per andare a ciascuno. ``cosa`` dice che cosa usa la
    versione salvata («le verifiche riguardano la versione salvata»), ``azione`` che cosa si fa salvando
    («verificarle»)."""
    bozze.raccogli()
    modificati = bozze.passi_modificati(lavoro.codice)
    passi = [p for p in proc.PASSI if p.id in modificati]
    if not passi:
        return
    nomi = ", ".join(f"«{p.titolo}»" for p in passi)
    st.warning(f"**Hai modifiche non salvate {'nel passo' if len(passi) == 1 else 'nei passi'} {nomi}**: {cosa} "
               f"(la {lavoro.aperta.versione}). Salvale per {azione}.", icon=":material/edit_note:")
    colonne = st.columns(min(len(passi), 4))
    for i, p in enumerate(passi):
        colonne[i % len(colonne)].button(f"Vai a «{p.titolo}»", key=f"{chiave}-bozza-{p.id}", on_click=vai,
                                         args=(proc.Destinazione(p.id),), icon=":material/edit_note:")


# --------------------------------------------------------------------------- stati vuoti

def nessuna_pratica(cosa: str, *, selettore: bool = False) -> None:
    """Stato vuoto delle pagine che lavorano su una pratica: dice che cosa fare.

    ``selettore=True`` aggiunge la scelta della pratica, per le pagine che non hanno già in cima
    quella di ``scegli_pratica`` (due caselle «Pratica» una sotto l'altra confondono)."""
    voci = archivio.elenco_pratiche(attore=attore())
    if not voci:
        st.info("L'archivio è vuoto. Crea una pratica o carica gli esempi dalla pagina Pratiche.",
                icon=":material/inbox:")
    else:
        st.info(f"Scegli una pratica per {cosa}.", icon=":material/touch_app:")
        scelta = st.selectbox("Pratica", [v.codice for v in voci], index=None, placeholder="Scegli una pratica",
                              format_func=lambda c: _etichetta_voce(voci, c),
                              key="scelta-pratica-vuoto") if selettore else None
        if scelta:
            v = next(v for v in voci if v.codice == scelta)
            imposta_pratica(v.codice, v.versione)
            st.rerun()
    if st.button("Vai alle pratiche", icon=":material/folder_open:", key="vai-pratiche-vuoto"):
        vai_a("pratiche")


def _etichetta_voce(voci: list[archivio.VocePratica], codice: str) -> str:
    for v in voci:
        if v.codice == codice:
            return f"{v.denominazione} ({v.codice})"
    return codice


def scegli_pratica(chiave: str) -> Lavoro | None:
    """Selettore della pratica in cima alle pagine Verifiche e Documenti."""
    lavoro = pratica_aperta()
    voci = archivio.elenco_pratiche(attore=attore())
    if not voci:
        return None
    codici = [v.codice for v in voci]
    attuale = lavoro.codice if lavoro else None

    def _cambia() -> None:
        nuova = st.session_state.get(chiave)
        if nuova:
            v = next(v for v in voci if v.codice == nuova)
            imposta_pratica(v.codice, v.versione)

    st.selectbox("Pratica", codici, index=codici.index(attuale) if attuale in codici else None,
                 format_func=lambda c: _etichetta_voce(voci, c), key=chiave, on_change=_cambia,
                 placeholder="Scegli una pratica")
    return lavoro


# --------------------------------------------------------------------------- configurazione scelta

NUOVA_CONFIGURAZIONE = -1


def scegli_configurazione(lavoro: Lavoro, *, nuova: bool = False) -> int | None:
    """Selettore della configurazione (se c'è da scegliere); ``None`` = «nuova configurazione»."""
    etichette = proc.etichette_configurazioni(lavoro.pratica)
    opzioni = list(range(len(etichette)))
    if nuova:
        opzioni.append(NUOVA_CONFIGURAZIONE)
    if not opzioni:
        return None
    attuale = st.session_state.get(CHIAVE_CONF, 0)
    if attuale is None:
        attuale = NUOVA_CONFIGURAZIONE
    if attuale not in opzioni:
        attuale = opzioni[0]
    chiave = f"scelta-conf-{lavoro.codice}"
    if len(opzioni) > 1:
        def _cambia() -> None:
            st.session_state[CHIAVE_CONF] = st.session_state[chiave]

        if st.session_state.get(chiave, "assente") != attuale:
            st.session_state[chiave] = attuale
        st.selectbox("Configurazione", opzioni, key=chiave, on_change=_cambia,
                     format_func=lambda i: "➕ Nuova configurazione" if i == NUOVA_CONFIGURAZIONE else etichette[i])
        attuale = st.session_state[chiave]
    st.session_state[CHIAVE_CONF] = attuale
    return None if attuale == NUOVA_CONFIGURAZIONE else attuale


# --------------------------------------------------------------------------- tabelle

COLONNA_RIGA = st.column_config.NumberColumn("Riga", disabled=True, width=48, format="%d")
"""Il numero di riga delle tabelle modificabili: è quello dei messaggi d'errore («Riga 3, ...»)."""


def righe_tabella(df: Any) -> list[dict[str, Any]]:
    """Le righe di una tabella modificata (DataFrame) come dizionari, nell'ordine mostrato."""
    return df.reset_index(drop=True).to_dict("records")


ALTEZZA_RIGA = 35
RIGHE_LIBERE = 5
ALTEZZA_MASSIMA = 640


def altezza_tabella(righe: int) -> int:
    """Altezza di una tabella modificabile: segue il contenuto (intestazione, righe, qualche riga
    libera per aggiungerne senza che escano di vista), fino a un massimo oltre il quale si scorre."""
    return min(ALTEZZA_RIGA * (righe + 2 + RIGHE_LIBERE) + 3, ALTEZZA_MASSIMA)


def griglia(chiave: str, dati: Any, **opzioni: Any) -> Any:
    """``st.data_editor`` che non perde nulla: al ritorno sul passo riparte dalla bozza, con le righe
    numerate (la colonna «Riga» è il numero dei messaggi d'errore) e l'altezza che segue il contenuto."""
    base = bozze.tabella(chiave, dati)
    widget = bozze.chiave_widget(chiave)     # nuova dopo ogni salvataggio non riuscito: il widget riparte da base
    campi.segna_tabella(widget, getattr(base, "columns", ()))
    opzioni.setdefault("height", altezza_tabella(len(base)))
    opzioni.setdefault("num_rows", "dynamic")
    opzioni.setdefault("hide_index", False)
    opzioni.setdefault("placeholder", "")
    opzioni.setdefault("width", "stretch")
    risultato = _numera_nuove(widget, base, st.data_editor(base, key=widget, **opzioni))
    bozze.tabella_modificata(chiave, risultato)
    return risultato


def _numera_nuove(chiave: str, base: Any, risultato: Any) -> Any:
    """Le righe aggiunte (in fondo) prendono i numeri dopo l'ultimo della tabella di partenza. Streamlit le
    numererebbe dopo l'ultima riga *rimasta*: tolta l'ultima riga e aggiunta una nuova, la nuova avrebbe il
    numero di quella tolta (e l'eliminazione non si vedrebbe). Così ogni numero indica una riga sola."""
    stato = st.session_state.get(chiave)
    nuove = len(stato.get("added_rows") or []) if isinstance(stato, dict) else 0
    tolte = len(stato.get("deleted_rows") or []) if isinstance(stato, dict) else 0
    if not nuove or len(base) == 0 or len(risultato) != len(base) - tolte + nuove:
        return risultato
    primo = int(max(base.index)) + 1
    risultato.index = [*risultato.index[:len(risultato) - nuove], *range(primo, primo + nuove)]
    return risultato


def _riga_con_dati(riga: Any) -> bool:
    return any(not (v is None or v == "" or (isinstance(v, float) and v != v) or v is False)
               for k, v in riga.items() if k != "id")


def conferma_righe_tolte(chiave: str, risultato: Any, descrivi: Callable[[Any], str]) -> bool:
    """Prima di salvare una tabella da cui sono sparite righe con dati: le elenca e chiede conferma.

    Restituisce True se si può salvare (nessuna riga con dati tolta, o eliminazione confermata)."""
    base = st.session_state.get("_bozze_basi", {}).get(chiave)
    if base is None:
        return True
    rimaste = set(risultato.index)
    mancanti = [i for i in base.index if i not in rimaste]
    if not mancanti:        # il caso di ogni rerun: nessuna riga tolta, niente da scorrere riga per riga
        return True
    tolte = [(i, r) for i, r in base.loc[mancanti].iterrows() if _riga_con_dati(r)]
    if not tolte:
        return True
    elenco = ", ".join(f"riga {i} ({md(descrivi(r))})" for i, r in tolte[:20])
    altre = f" e altre {len(tolte) - 20}" if len(tolte) > 20 else ""
    st.warning(f"**Stai eliminando {'una riga che contiene' if len(tolte) == 1 else f'{len(tolte)} righe che contengono'}"
               f" dati**: {elenco}{altre}. Se è voluto conferma qui sotto, poi salva; altrimenti usa "
               "«Annulla le modifiche» per riaverle.", icon=":material/delete_forever:")
    return st.checkbox("Sì, elimina " + ("questa riga" if len(tolte) == 1 else f"queste {len(tolte)} righe"),
                       key=f"conferma-tolte-{bozze.chiave_widget(chiave)}-{len(tolte)}")


def annulla_modifiche(lavoro: Lavoro, passo_id: str) -> None:
    """Pulsante «Annulla le modifiche»: il passo torna ai dati salvati, senza i problemi dell'ultimo salvataggio
    non riuscito (erano delle modifiche annullate)."""
    if passo_id in bozze.passi_modificati(lavoro.codice):
        def _annulla() -> None:
            bozze.dimentica(lavoro.codice, passo_id)
            # i problemi dell'ultimo salvataggio non riuscito riguardavano le modifiche annullate
            problemi = st.session_state.get(CHIAVE_PROBLEMI)
            if problemi and problemi[:2] == (lavoro.codice, passo_id):
                st.session_state.pop(CHIAVE_PROBLEMI, None)
            # le chiavi dei widget cambiano: i campi ripartono dal database
            st.session_state[CHIAVE_ANNULLATI] = st.session_state.get(CHIAVE_ANNULLATI, 0) + 1

        st.button("Annulla le modifiche", key=f"annulla-{passo_id}-{lavoro.versione}", on_click=_annulla,
                  icon=":material/undo:")
