"""Modulo pubblico della manifestazione di interesse (app separata, con un suo punto d'ingresso).

Avvio: ``cer-docs modulo-pubblico --porta 8502`` oppure
``streamlit run ui/modulo_pubblico.py``. Mostra solo il modulo della campagna indicata
nell'indirizzo (``?campagna=CODICE``) o l'elenco delle campagne aperte. Passa soltanto da
``cer_docs.services.pubblico``, che non sa leggere le candidature registrate: nessuna pagina,
interrogazione o download di quest'app può mostrare i dati di un altro candidato.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from zoneinfo import ZoneInfo

import sys
from pathlib import Path

import streamlit as st

if str(Path(__file__).resolve().parents[1]) not in sys.path:          # come ui/app.py: «ui» importabile
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cer_docs.italiano import data_lunga  # noqa: E402
from cer_docs.services import accesso, pubblico  # noqa: E402
from cer_docs.model import vocabolario as voc  # noqa: E402
from ui import campi  # noqa: E402

ROMA = ZoneInfo("Europe/Rome")
# Etichette dal vocabolario; qui solo quali valori offre il modulo pubblico e, per i ruoli, una
# spiegazione in prima persona per chi compila.
TIPI = {k: voc.TIPI_SOGGETTO[k].etichetta
        for k in ("persona_fisica", "impresa", "associazione", "ente_religioso", "ets", "ente_territoriale", "altro")}
_SPIEGAZIONI_RUOLO = {
    "consumatore": "ho un'utenza elettrica e voglio condividere energia",
    "prosumer": "consumo e ho (o farò) un impianto",
    "produttore": "metto a disposizione un impianto",
    "produttore_terzo": "ho un impianto ma non entro come membro",
}
RUOLI = {k: f"{voc.RUOLI_CANDIDATO[k].etichetta.split(' (')[0]}: {v}" for k, v in _SPIEGAZIONI_RUOLO.items()}
FONTI = {k: voc.FONTI_ENERGIA[k].etichetta
         for k in ("fotovoltaico", "eolico", "idroelettrico", "biomassa", "biogas", "altra_rinnovabile")}


def _ora() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _mittente() -> str:
    """L'impronta della sessione del browser. Non si usa l'indirizzo IP: dietro un proxy tutti i
    visitatori ne avrebbero uno solo. I limiti veri (per codice fiscale, e-mail, campagna e in
    totale) li applica il servizio nel database; questa è solo una delle identità."""
    if "_mittente" not in st.session_state:
        st.session_state["_mittente"] = uuid.uuid4().hex
    try:
        # l'indirizzo conta solo se lo dichiara un proxy inverso fidato (CER_DOCS_PROXY_FIDATI)
        ip = accesso.ip_cliente_da_proxy(st.context.ip_address, dict(st.context.headers or {}))
    except Exception:  # noqa: BLE001 - non disponibile in tutti i contesti (test)
        ip = None
    if isinstance(ip, str) and ip:
        return pubblico.impronta_mittente("ip", ip)
    return pubblico.impronta_mittente("sessione", st.session_state["_mittente"])


def _informativa(info: pubblico.InfoPubblica) -> str:
    return (
        f"**Titolare del trattamento** è {info.ente}"
        + (f" (codice fiscale {info.ente_codice_fiscale}" + (f", PEC {info.ente_pec})" if info.ente_pec else ")")
           if info.ente_codice_fiscale else "")
        + ".\n\n"
        "**Perché trattiamo i dati.** Per valutare la tua candidatura alla comunità energetica rinnovabile, "
        "verificare i requisiti (categoria del soggetto, area della cabina primaria, ruolo) e, se la candidatura "
        "è ammessa, trasmetterla ai fondatori per l'adesione. La base giuridica è la tua richiesta e l'esecuzione "
        "di compiti di interesse pubblico dell'ente (art. 6 del Regolamento UE 2016/679).\n\n"
        "**Chi vede i dati.** Il personale dell'ufficio incaricato e, per le candidature ammesse, i fondatori "
        "della comunità. Non sono diffusi né pubblicati.\n\n"
        "**Per quanto tempo.** Per la durata della procedura e della costituzione della comunità, poi secondo "
        "le regole di conservazione degli atti dell'ente.\n\n"
        "**I tuoi diritti.** Puoi chiedere accesso, rettifica, cancellazione o limitazione dei dati e opporti "
        "al trattamento (artt. 15-22 del Regolamento), scrivendo all'ente; puoi proporre reclamo al Garante per "
        "la protezione dei dati personali.\n\n"
        "**Conferimento.** I dati contrassegnati come obbligatori servono a valutare la candidatura: senza, "
        "la candidatura non può essere trattata."
    )


def _elenco(oggi: dt.date) -> None:
    st.subheader("Manifestazioni di interesse aperte")
    campagne = pubblico.campagne_aperte(oggi)
    if not campagne:
        st.info("Al momento non ci sono manifestazioni di interesse aperte. Torna a controllare più avanti o "
                "consulta il sito del tuo Comune.")
        return
    for c in campagne:
        with st.container(border=True):
            st.subheader(c.titolo)
            st.write(f"**{c.ente}** · candidature entro il {data_lunga(c.scadenza)}" if c.scadenza else f"**{c.ente}**")
            st.link_button("Compila il modulo", f"?campagna={c.codice}")


def _intestazione(info: pubblico.InfoPubblica) -> None:
    st.caption(info.ente)
    st.subheader(info.titolo)
    if info.finalita:
        st.write(info.finalita)
    righe = []
    if info.scadenza:
        righe.append(f"**Scadenza:** {data_lunga(info.scadenza)}")
    if info.comuni:
        righe.append(f"**Territorio:** {', '.join(info.comuni)}")
    righe.append(f"**Responsabile del procedimento:** {info.responsabile}"
                 + (f" ({info.responsabile_contatto})" if info.responsabile_contatto else ""))
    st.markdown("  \n".join(righe))
    with st.expander("Chi può partecipare e come trovare la cabina primaria"):
        st.markdown(
            "Possono candidarsi persone, piccole e medie imprese, associazioni, enti religiosi e del Terzo "
            "settore, enti locali. Le grandi imprese e le imprese che producono o vendono energia elettrica "
            "come attività principale possono partecipare solo come **produttori terzi**.\n\n"
            "Tutte le utenze e gli impianti di una configurazione devono stare sotto la stessa **cabina primaria**"
            + (f" (per questo avviso: {', '.join(info.cabine_primarie)})" if info.cabine_primarie else "")
            + ". Puoi trovarla sulla [mappa interattiva delle cabine primarie del GSE]"
              "(https://www.gse.it/servizi-per-te/autoconsumo/mappa-interattiva-delle-cabine-primarie) cercando "
              "l'indirizzo o il codice POD che trovi in bolletta. Se non la trovi, lascia il campo vuoto: la "
              "verificherà l'ufficio.")


def _data_di_nascita(scritto: str | None, oggi: dt.date) -> tuple[dt.date | None, str | None]:
    """La data di nascita scritta (giorno/mese/anno in ogni browser) e, se non va, il messaggio per il campo."""
    try:
        nato_il = campi.leggi_data_scritta(scritto)
    except ValueError as e:
        return None, campi.errore_data("Data di nascita", str(e), "la candidatura non si invia")
    if nato_il is not None and nato_il > oggi:
        return None, f"«Data di nascita»: {nato_il:%d/%m/%Y} è nel futuro: controlla l'anno."
    if nato_il is not None and nato_il.year < 1900:
        return None, f"«Data di nascita»: {nato_il:%d/%m/%Y} è prima del 1900: controlla l'anno."
    return nato_il, None


def _modulo(info: pubblico.InfoPubblica) -> None:
    tipo = st.selectbox("Chi si candida *", list(TIPI), format_func=TIPI.get, key="tipo")
    cima = st.container()      # gli errori si mostrano tutti insieme qui, in cima al modulo
    with st.form("candidatura", clear_on_submit=False, enter_to_submit=False):
        st.subheader("Dati anagrafici")
        if tipo == "persona_fisica":
            c1, c2 = st.columns(2)
            nome = c1.text_input("Nome *", key="nome", max_chars=100)
            cognome = c2.text_input("Cognome *", key="cognome", max_chars=100)
            c1, c2 = st.columns(2)
            nato_a = c1.text_input("Comune di nascita", key="nato_a", max_chars=100)
            # testo «GG/MM/AAAA» letto all'italiana: il calendario del browser segue la sua lingua e sposta in
            # silenzio una data impossibile (31/02 → 28/02); qui il messaggio è sotto il campo, il testo resta
            nato_il_scritto = c2.text_input("Data di nascita", key="nato_il", max_chars=10,
                                            placeholder=campi.FORMATO_DATA, help=campi.AIUTO_DATA)
            nato_il, errore_nascita = _data_di_nascita(nato_il_scritto, _ora().astimezone(ROMA).date())
            if errore_nascita:
                c2.error(errore_nascita, icon=":material/event_busy:")
            denominazione = None
        else:
            denominazione = st.text_input("Denominazione *", key="denominazione", max_chars=200)
            nome = cognome = nato_a = None
            nato_il = errore_nascita = None
        c1, c2 = st.columns(2)
        codice_fiscale = c1.text_input("Codice fiscale *", key="codice_fiscale", max_chars=16)
        partita_iva = c2.text_input("Partita IVA", key="partita_iva", max_chars=13) if tipo != "persona_fisica" else None
        if tipo == "impresa":
            c1, c2 = st.columns(2)
            dimensione = c1.selectbox("Dimensione d'impresa *", ["micro", "piccola", "media", "grande"], key="dimensione")
            codice_ateco = c2.text_input("Codice ATECO 2025 dell'attività prevalente", key="codice_ateco",
                                         max_chars=8, placeholder="es. 01.21.00")
        else:
            dimensione = codice_ateco = None
        st.subheader("Indirizzo e contatti")
        indirizzo = st.text_input("Indirizzo *", key="indirizzo", max_chars=200)
        c1, c2, c3 = st.columns([1, 2, 1])
        cap = c1.text_input("CAP *", key="cap", max_chars=5)
        comune = c2.text_input("Comune *", key="comune", max_chars=100)
        provincia = c3.text_input("Provincia *", key="provincia", max_chars=2, placeholder="es. FI")
        c1, c2 = st.columns(2)
        email = c1.text_input("Email", key="email", max_chars=200)
        telefono = c2.text_input("Telefono", key="telefono", max_chars=30)

        st.subheader("Partecipazione")
        ruoli = [r for r in RUOLI if r in info.ruoli_ammessi]
        ruolo = st.radio("Come vuoi partecipare *", ruoli, format_func=RUOLI.get, key="ruolo")
        c1, c2 = st.columns(2)
        pod = c1.text_input("Codice POD dell'utenza", key="pod", max_chars=15, placeholder="es. IT001E12345678",
                            help="Lo trovi in bolletta, nei dati della fornitura.")
        cabina = c2.text_input("Cabina primaria (se la conosci)", key="cabina", max_chars=11,
                               placeholder="es. AC001E00934")
        consumo = st.number_input("Consumo annuo di energia elettrica (kWh)", min_value=0, max_value=100_000_000,
                                  value=None, step=100, key="consumo", help="Lo trovi nella bolletta o nel riepilogo annuale.")
        ha_impianto = st.checkbox("Ho o realizzerò un impianto da fonte rinnovabile", key="ha_impianto")
        c1, c2, c3 = st.columns(3)
        fonte = c1.selectbox("Fonte", list(FONTI), format_func=FONTI.get, key="fonte")
        potenza = c2.number_input("Potenza (kW)", min_value=0.0, max_value=100_000.0, value=None, step=0.5, key="potenza")
        esistente = c3.checkbox("Già in esercizio", key="esistente")
        interesse_pnrr = st.checkbox("Sono interessato al contributo PNRR per un nuovo impianto", key="pnrr")
        ssp = st.checkbox("L'utenza è in Scambio sul Posto", key="ssp")
        if tipo == "impresa":
            st.subheader("Dichiarazioni")
            non_grande = st.checkbox("Dichiaro che l'impresa, considerate le imprese collegate e associate, non è una "
                                     "grande impresa", key="non_grande")
            ateco_ok = st.checkbox("Dichiaro che l'attività prevalente non è la produzione o il commercio di energia "
                                   "elettrica", key="ateco_ok")
        else:
            non_grande = ateco_ok = False
        st.subheader("Allegati")
        allegati = st.file_uploader(
            "Documento d'identità e ultima bolletta (PDF, JPG o PNG; fino a "
            f"{pubblico.MAX_ALLEGATI} file di {pubblico.MAX_ALLEGATO_BYTE // (1024 * 1024)} MB ciascuno)",
            type=["pdf", "jpg", "jpeg", "png"], accept_multiple_files=True, key="allegati",
            # più alto del limite vero: un file troppo grande arriva al servizio e viene rifiutato con un
            # messaggio, invece di essere scartato dal browser mentre la candidatura parte senza
            max_upload_size=pubblico.CARICAMENTO_MASSIMO_MB)
        with st.expander("Informativa sul trattamento dei dati personali"):
            st.markdown(_informativa(info))
        consenso = st.checkbox("Ho letto l'informativa sul trattamento dei dati personali *", key="consenso")
        inviato = st.form_submit_button("Invia la candidatura", type="primary", use_container_width=True)
    if not inviato:
        return
    dati = {
        "tipo": tipo, "nome": nome or None, "cognome": cognome or None, "nato_a": nato_a or None,
        "nato_il": nato_il, "denominazione": denominazione or None, "codice_fiscale": codice_fiscale,
        "partita_iva": partita_iva or None, "dimensione": dimensione, "codice_ateco": codice_ateco or None,
        "classificazione_ateco": 2025 if codice_ateco else None,
        "indirizzo": {"indirizzo": indirizzo or None, "cap": cap or None, "comune": comune or None,
                      "provincia": (provincia or "").upper() or None},
        "email": email or None, "telefono": telefono or None, "ruolo": ruolo,
        "pod": [{"pod": pod, "cabina_primaria": cabina or None, "scambio_sul_posto": ssp}] if pod else [],
        "consumo_annuo_kwh": consumo,
        "impianto": ({"fonte": fonte, "potenza_kw": potenza, "esistente": esistente, "pod": pod or None}
                     if ha_impianto and potenza else None),
        "interesse_pnrr": interesse_pnrr, "dichiara_non_grande_impresa": non_grande,
        "dichiara_ateco_non_escluso": ateco_ok, "consenso_privacy": consenso,
    }
    obbligatori = [("Nome", nome), ("Cognome", cognome)] if tipo == "persona_fisica" else [
        ("Denominazione", denominazione)]
    obbligatori += [("Codice fiscale", codice_fiscale), ("Indirizzo", indirizzo), ("CAP", cap), ("Comune", comune),
                    ("Provincia", provincia)]
    if ha_impianto:
        obbligatori.append(("Potenza dell'impianto", potenza))
    if not consenso:
        obbligatori.append(("Informativa sulla privacy", None))
    mancanti = [n for n, v in obbligatori if not v]
    file_allegati = [(f.name, f.getvalue()) for f in allegati or []]
    problemi = [f"{n}: è obbligatorio" if n != "Informativa sulla privacy" else
                "Informativa sulla privacy: spunta la casella dopo averla letta" for n in mancanti]
    if errore_nascita:
        problemi.append(errore_nascita)
    # poi tutti gli altri problemi di forma, insieme (non a turni)
    for _campo, msg in pubblico.controlla_candidatura(dati, file_allegati):
        if not any(msg.startswith(f"{n}:") for n in mancanti):
            problemi.append(msg)
    if problemi:
        _mostra_problemi(cima, problemi)
        return
    try:
        ricevuta = pubblico.invia_candidatura(info.codice, dati, file_allegati, _mittente(), _ora())
    except pubblico.ErroreInvio as e:
        _mostra_problemi(cima, [msg for _campo, msg in e.problemi])
        return
    except Exception:  # noqa: BLE001 - mai un traceback al cittadino; il dettaglio va nel log del server
        logging.getLogger("cer_docs.modulo_pubblico").exception("invio della candidatura non riuscito")
        st.error("Non è stato possibile registrare la candidatura per un problema tecnico: riprova più tardi "
                 "o scrivi all'ente.")
        return
    st.session_state["ricevuta"] = ricevuta
    st.rerun()


def _mostra_problemi(cima, problemi: list[str]) -> None:
    """Tutti i problemi insieme in cima al modulo; sotto il pulsante solo un rimando (sul telefono
    il pulsante è in fondo e la cima non si vede)."""
    n = len(problemi)
    elenco = "\n".join(f"- {p}" for p in problemi)
    cima.error(f"**La candidatura non è stata inviata: {'c’è un punto' if n == 1 else f'ci sono {n} punti'} da "
               f"correggere.** I dati inseriti restano nel modulo.\n\n{elenco}", icon=":material/error:")
    st.error(f"Non inviata: {'1 punto da correggere' if n == 1 else f'{n} punti da correggere'}, "
             "elencati in cima al modulo.", icon=":material/arrow_upward:")


def _mostra_ricevuta(r: pubblico.Ricevuta) -> None:
    quando = r.ricevuta_il.astimezone(ROMA)
    st.success(f"Candidatura registrata con protocollo **{r.protocollo}**.")
    testo = (
        f"RICEVUTA DI PRESENTAZIONE\n\n{r.ente}\n{r.campagna}\n\n"
        f"Protocollo: {r.protocollo}\n"
        f"Ricevuta il: {data_lunga(quando.date())} alle {quando.strftime('%H:%M')}\n"
        f"Candidato: {r.candidato}\nRuolo: {RUOLI.get(r.ruolo, r.ruolo).split(':')[0]}\n"
        f"POD: {', '.join(r.pod) or '—'}\nAllegati: {', '.join(r.allegati) or 'nessuno'}\n\n"
        "Conserva questa ricevuta: l'ufficio ti contatterà per l'esito della valutazione.\n"
    )
    st.code(testo, language=None, wrap_lines=True)      # a 390 px le righe vanno a capo, niente di tagliato
    st.download_button("Scarica la ricevuta", testo.encode("utf-8"), file_name=f"ricevuta-{r.protocollo}.txt",
                       mime="text/plain")
    if r.note_per_il_candidato:
        st.info("Alcuni punti saranno verificati dall'ufficio:\n\n" + "\n".join(f"- {n}" for n in r.note_per_il_candidato))
    if st.button("Presenta un'altra candidatura"):
        for k in list(st.session_state):
            if not k.startswith("_"):
                del st.session_state[k]
        st.rerun()


def main() -> None:
    st.set_page_config(page_title="Manifestazione di interesse – comunità energetica", page_icon="☀️",
                       layout="centered")
    campi.testi_italiani()
    oggi = _ora().astimezone(ROMA).date()
    codice = st.query_params.get("campagna")
    if not codice:
        _elenco(oggi)
        return
    info = pubblico.campagna_pubblica(codice, oggi)
    if info is None:
        st.error("Questa manifestazione di interesse non esiste o non è pubblica. Controlla l'indirizzo ricevuto.")
        return
    _intestazione(info)
    if "ricevuta" in st.session_state:
        _mostra_ricevuta(st.session_state["ricevuta"])
        return
    if not info.aperta:
        st.warning("Il termine per presentare le candidature è scaduto: il modulo non è più disponibile.")
        return
    _modulo(info)


main()
