"""Manifestazioni di interesse (ufficio): campagne, candidature, screening, decisioni,
esportazioni e passaggio delle candidature ammesse a una pratica."""

from __future__ import annotations

import re
import unicodedata

import streamlit as st
from pydantic import ValidationError

from cer_docs.campagne.file import parse_campagna
from cer_docs.italiano import numero
from cer_docs.model.campagna import Campagna
from ui import campi
from cer_docs.model import ErrorePratica
from cer_docs.model import vocabolario as voc
from cer_docs.services import archivio, campagne
from ui import componenti as ui

DECISIONI = voc.DECISIONI_CANDIDATURA.etichette()
RUOLI = voc.RUOLI_CANDIDATO.etichette()
SIMBOLI = {"errore": "✗", "avviso": "!", "info": "i"}
STATI = {"bozza": "Bozza (non ancora pubblicata)", "aperta": "Aperta: riceve candidature", "chiusa": "Chiusa",
         "conclusa": "Conclusa"}
_NOMI_CAMPI = {"codice": "codice", "titolo": "titolo", "ente": "ente", "denominazione": "denominazione",
               "responsabile": "responsabile", "nome": "nome", "scadenza": "scadenza", "pec": "PEC",
               "producibilita_kwh_per_kw": "producibilità (kWh per kW)"}


_DATE_ERRATE = "_date_errate"    # nei valori del modulo: le date scritte che non si leggono


def _codice_da_titolo(testo: str) -> str:
    s = unicodedata.normalize("NFKD", testo).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-")[:60] or "campagna"


def _righe(testo: str | None, separatore: str = "\n") -> list[str]:
    """Un elenco scritto in un campo: separato da virgole o una voce per riga."""
    parti = (testo or "").split(",") if separatore == "," else (testo or "").splitlines()
    return [x.strip() for x in parti if x.strip()]


def _modulo_campagna(c: Campagna | None, chiave: str) -> dict:
    """I campi di una campagna (nuova se ``c`` è None): ente, responsabile, ambito, tempi."""
    k = lambda n: f"{chiave}-{n}"  # noqa: E731
    v: dict = {}
    v["titolo"] = campi.testo("Titolo dell'avviso", c.titolo if c else "", k("titolo"),
                              segnaposto="Avviso pubblico per manifestazioni di interesse alla CER")
    c1, c2 = st.columns(2)
    if c is None:
        v["codice"] = campi.testo("Codice della campagna (facoltativo)", "", k("codice"), where=c1,
                                  aiuto="Compare nell'indirizzo del modulo pubblico (?campagna=...). Se lo lasci "
                                        "vuoto si ricava dal titolo.")
    v["stato"] = campi.scelta("Stato", STATI, c.stato if c else "bozza", k("stato"), where=c2)
    campi.sezione("Ente che promuove l'avviso")
    c1, c2, c3 = st.columns([2, 1, 1])
    v["ente"] = campi.testo("Denominazione dell'ente", c.ente.denominazione if c else "", k("ente"), where=c1,
                            segnaposto="Comune di Vicchio")
    v["ente_cf"] = campi.testo("Codice fiscale dell'ente", c.ente.codice_fiscale if c else "", k("ente-cf"),
                               where=c2)
    v["ente_pec"] = campi.testo("PEC dell'ente", c.ente.pec if c else "", k("ente-pec"), where=c3)
    c1, c2, c3, c4 = st.columns([3, 1, 2, 1])
    sede = c.ente.sede if c else None
    v["sede_indirizzo"] = campi.testo("Indirizzo", sede.indirizzo if sede else "", k("sede-ind"), where=c1)
    v["sede_cap"] = campi.testo("CAP", sede.cap if sede else "", k("sede-cap"), max_chars=5, where=c2)
    v["sede_comune"] = campi.testo("Comune", sede.comune if sede else "", k("sede-comune"), where=c3)
    v["sede_provincia"] = campi.testo("Provincia", sede.provincia if sede else "", k("sede-prov"), max_chars=2,
                                      where=c4)
    c1, c2, c3 = st.columns(3)
    r = c.responsabile if c else None
    v["resp_nome"] = campi.testo("Responsabile del procedimento", r.nome if r else "", k("resp-nome"), where=c1)
    v["resp_qualifica"] = campi.testo("Qualifica", r.qualifica if r else "", k("resp-qual"), where=c2,
                                      segnaposto="Responsabile del Servizio Tecnico")
    v["resp_email"] = campi.testo("Email del responsabile", r.email if r else "", k("resp-email"), where=c3)
    campi.sezione("Ambito e tempi")
    v["finalita"] = st.text_area("Finalità", value=(c.finalita or "") if c else "", key=k("finalita"),
                                 max_chars=2000)
    c1, c2 = st.columns(2)
    v["comuni"] = campi.testo("Comuni interessati (separati da virgola)", ", ".join(c.comuni) if c else "",
                              k("comuni"), where=c1)
    v["cabine"] = campi.testo("Cabine primarie (separate da virgola)", ", ".join(c.cabine_primarie) if c else "",
                              k("cabine"), where=c2, segnaposto="AC001E00934")
    c1, c2 = st.columns(2)
    # una data che non si legge ha il suo messaggio sotto il campo e blocca il salvataggio (_DATE_ERRATE)
    v[_DATE_ERRATE] = []
    for nome, etichetta, valore, chiave_data, dove in (
            ("data_pubblicazione", "Data di pubblicazione", c.data_pubblicazione if c else None, "pubblicazione", c1),
            ("scadenza", "Scadenza per le candidature", c.scadenza if c else None, "scadenza", c2)):
        v[nome], scritto = campi.data_scritta(etichetta, valore, k(chiave_data), where=dove,
                                                conseguenza="la campagna non si salva")
        if scritto is not None:
            v[_DATE_ERRATE].append(f"{etichetta.lower()}: «{scritto}» non è una data valida (vedi sotto il campo)")
    v["canale"] = campi.testo("Come si presenta la candidatura", (c.canale or "") if c else "", k("canale"),
                              segnaposto="modulo online oppure PEC all'indirizzo del Comune")
    v["allegati"] = st.text_area("Allegati richiesti (uno per riga)",
                                 value="\n".join(c.allegati_richiesti) if c else "", key=k("allegati"))
    return v


def _campagna_da_valori(v: dict, base: Campagna | None) -> Campagna:
    dati = base.model_dump() if base else {}
    codice = (v.get("codice") or "").strip() or (base.codice if base else _codice_da_titolo(v.get("titolo") or ""))
    sede = {k: (v.get(f"sede_{k}") or "").strip() or None for k in ("indirizzo", "cap", "comune", "provincia")}
    dati.update({
        "codice": codice, "titolo": (v.get("titolo") or "").strip(), "stato": v.get("stato") or "bozza",
        "ente": {**(dati.get("ente") or {}), "denominazione": (v.get("ente") or "").strip(),
                 "codice_fiscale": (v.get("ente_cf") or "").strip() or None,
                 "pec": (v.get("ente_pec") or "").strip() or None, "sede": sede},
        "responsabile": {**(dati.get("responsabile") or {}), "nome": (v.get("resp_nome") or "").strip(),
                         "qualifica": (v.get("resp_qualifica") or "").strip() or None,
                         "email": (v.get("resp_email") or "").strip() or None},
        "finalita": (v.get("finalita") or "").strip() or None,
        "comuni": _righe(v.get("comuni"), ","), "cabine_primarie": [x.upper() for x in _righe(v.get("cabine"), ",")],
        "data_pubblicazione": v.get("data_pubblicazione"), "scadenza": v.get("scadenza"),
        "canale": (v.get("canale") or "").strip() or None, "allegati_richiesti": _righe(v.get("allegati")),
    })
    return Campagna.model_validate(dati)


def _problemi(e: ValidationError) -> list[str]:
    out = []
    for err in e.errors():
        campo = " › ".join(_NOMI_CAMPI.get(str(x), str(x)) for x in err["loc"] if not isinstance(x, int))
        msg = err["msg"]
        if err["type"] in ("string_too_short", "missing"):
            msg = "è obbligatorio"
        elif err["type"] == "string_pattern_mismatch":
            msg = "usa solo lettere, cifre, punto, trattino e trattino basso"
        out.append(f"{campo}: {msg}")
    return out


def _nuova_campagna(aperta: bool) -> None:
    with st.expander("Nuova campagna", icon=":material/add_circle:", expanded=aperta):
        st.caption("Un avviso per raccogliere le manifestazioni di interesse di cittadini, imprese ed enti. Dopo "
                   "averla creata, il modulo pubblico si apre con ?campagna=<codice>.")
        v = _modulo_campagna(None, "nuova-campagna")
        if st.button("Crea la campagna", type="primary", icon=":material/add:", key="nuova-campagna-crea"):
            problemi = list(v[_DATE_ERRATE])
            if not (v.get("titolo") or "").strip():
                problemi.append("titolo: è obbligatorio")
            if not (v.get("ente") or "").strip():
                problemi.append("denominazione dell'ente: è obbligatoria")
            if not (v.get("resp_nome") or "").strip():
                problemi.append("responsabile del procedimento: è obbligatorio")
            campagna = None
            if not problemi:
                try:
                    campagna = _campagna_da_valori(v, None)
                except ValidationError as e:
                    problemi = _problemi(e)
            if problemi:
                st.error("**Campagna non creata: correggi e riprova.**\n\n"
                         + "\n".join(f"- {ui.md(ui.frase(p))}" for p in problemi), icon=":material/error:")
                return
            try:
                voce = campagne.crea_campagna(campagna, attore=ui.attore())
            except campagne.CampagnaEsistente:
                st.error(f"Esiste già una campagna con il codice «{ui.md(campagna.codice)}»: scegline un altro.")
                return
            ui.messaggio_flash(f"Campagna «{voce.titolo}» creata (codice {voce.codice}).")
            st.session_state["campagna_scelta"] = voce.codice
            st.rerun()


def _modifica_campagna(codice: str) -> None:
    campagna, versione = campagne.apri_campagna(codice, attore=ui.attore())
    v = _modulo_campagna(campagna, f"modifica-{codice}-{versione}")
    if st.button("Salva la campagna", type="primary", icon=":material/save:", key=f"salva-campagna-{versione}"):
        if v[_DATE_ERRATE]:
            st.error("**Campagna non salvata: correggi e riprova.**\n\n"
                     + "\n".join(f"- {ui.md(ui.frase(p))}" for p in v[_DATE_ERRATE]), icon=":material/error:")
            return
        try:
            nuova = _campagna_da_valori({**v, "codice": codice}, campagna)
        except ValidationError as e:
            st.error("**Campagna non salvata: correggi e riprova.**\n\n"
                     + "\n".join(f"- {ui.md(ui.frase(p))}" for p in _problemi(e)), icon=":material/error:")
            return
        if nuova == campagna:
            st.info("Nessuna modifica da salvare.")
            return
        try:
            campagne.salva_campagna(nuova, versione, attore=ui.attore())
        except campagne.ConflittoCandidatura:
            st.error("La campagna è stata modificata da un'altra persona dopo che l'hai aperta: ricarica la pagina "
                     "e ripeti le modifiche.")
            return
        ui.messaggio_flash(f"Campagna «{nuova.titolo}» salvata.")
        st.rerun()


def _importa() -> None:
    with st.expander("Importa una campagna da file (YAML o JSON)", icon=":material/upload_file:"):
        f = st.file_uploader("File della campagna (formato cer-docs/campagna@1)", type=["yaml", "yml", "json"],
                             key="campagna_file")
        if f is not None and st.button("Importa la campagna", key="campagna_importa"):
            try:
                testo = f.getvalue().decode("utf-8-sig")
                fc = parse_campagna(testo, f.name)
                voce = campagne.crea_campagna(fc.campagna, fc.candidature, attore=ui.attore())
            except UnicodeDecodeError:
                st.error(f"Il file «{f.name}» non è testo UTF-8: salvalo come YAML o JSON in UTF-8.")
                return
            except ErrorePratica as e:
                ui.mostra_problemi_pratica(e, f"Il file «{f.name}» non è stato importato:")
                return
            except campagne.CampagnaEsistente as e:
                st.error(str(e))
                return
            n = voce.candidature
            ui.messaggio_flash(f"Campagna «{voce.titolo}» importata con {n} {'candidatura' if n == 1 else 'candidature'}.")
            st.session_state["campagna_scelta"] = voce.codice      # la pagina mostra quella appena importata
            st.rerun()


def _candidature(codice: str) -> None:
    al = ui.oggi()
    esami, insieme, bil = campagne.esamina(codice, al, attore=ui.attore())
    voci = {v.protocollo: v for v in campagne.candidature(codice, attore=ui.attore())}
    if not esami:
        st.info("Nessuna candidatura ricevuta. Pubblica il modulo: `cer-docs modulo-pubblico`, poi condividi "
                f"l'indirizzo con `?campagna={codice}`.")
        return
    conteggi = {d: sum(1 for v in voci.values() if v.decisione == d) for d in DECISIONI}
    c = st.columns(4)
    for i, (d, n) in enumerate(conteggi.items()):
        c[i].metric(DECISIONI[d], n)
    st.caption(f"Candidature ammesse: consumi dichiarati {numero(round(bil.consumo_kwh))} kWh/anno, produzione "
               f"prevista {numero(round(bil.produzione_kwh))} kWh/anno, "
               f"{bil.produttori} {'produttore' if bil.produttori == 1 else 'produttori'}, "
               f"{bil.consumatori} {'consumatore' if bil.consumatori == 1 else 'consumatori'}.")
    for r in insieme:
        (st.warning if r.gravita != "info" else st.info)(f"{r.messaggio}  \nFonte: {r.riferimento}")

    filtro = st.segmented_control("Mostra", ["tutte"] + list(DECISIONI), default="tutte",
                                  format_func=lambda d: "Tutte" if d == "tutte" else DECISIONI[d], key="filtro_dec")
    for e in esami:
        v = voci[e.protocollo]
        if filtro not in (None, "tutte") and v.decisione != filtro:
            continue
        c = e.candidatura
        icona = "✗" if e.errori else ("!" if any(r.gravita == "avviso" for r in e.rilievi) else "✓")
        titolo = f"{icona} {e.protocollo} · {c.nome_completo} · {RUOLI.get(c.ruolo, c.ruolo)} · {DECISIONI[v.decisione]}"
        with st.expander(ui.md(titolo)):
            col1, col2 = st.columns(2)
            col1.markdown(f"**Codice fiscale:** {ui.md(c.codice_fiscale)}  \n"
                          f"**Indirizzo:** {ui.md(c.indirizzo.indirizzo or '—')}, {ui.md(c.indirizzo.comune or '')}  \n"
                          f"**Ricevuta il:** {ui.quando(v.ricevuta_il)}")
            col2.markdown(f"**POD:** {ui.md(', '.join(p.pod for p in c.pod) or '—')}  \n"
                          f"**Consumo annuo:** "
                          f"{numero(c.consumo_annuo_kwh) + ' kWh' if c.consumo_annuo_kwh is not None else '—'}  \n"
                          f"**Impianto:** "
                          f"{ui.md(f'{c.impianto.fonte}, {numero(c.impianto.potenza_kw)} kW') if c.impianto else '—'}")
            if not e.rilievi:
                st.success("Nessun rilievo: i requisiti controllati sono rispettati.")
            for r in e.rilievi:
                st.markdown(f"{SIMBOLI[r.gravita]} **{r.gravita.upper()}** – {ui.md(r.messaggio)}  \n"
                            f"<small>Fonte: {ui.md(r.riferimento)}</small>", unsafe_allow_html=True)
            with st.form(f"decisione_{e.protocollo}"):
                dec = st.selectbox("Decisione", list(DECISIONI), index=list(DECISIONI).index(v.decisione),
                                   format_func=DECISIONI.get, key=f"dec_{e.protocollo}")
                note = st.text_area("Note dell'ufficio", value=c.note or "", key=f"note_{e.protocollo}", max_chars=2000)
                if st.form_submit_button("Registra la decisione"):
                    try:
                        campagne.decidi(e.protocollo, dec, note or None, ui.autore(), v.versione, attore=ui.attore())
                    except campagne.ConflittoCandidatura as err:
                        st.error(str(err))
                    else:
                        ui.messaggio_flash(f"Decisione registrata per {e.protocollo}: {DECISIONI[dec]}.")
                        st.rerun()


def _esporta(codice: str) -> None:
    chi = ui.attore()
    c1, c2 = st.columns(2)
    c1.download_button("Scarica le candidature (Excel)", data=lambda: campagne.esporta_xlsx(codice, attore=chi),
                       file_name=f"candidature-{codice}.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       width="stretch")
    c2.download_button("Scarica le candidature (CSV)", data=lambda: campagne.esporta_csv(codice, attore=chi),
                       file_name=f"candidature-{codice}.csv", mime="text/csv", width="stretch")


def _converti(codice: str, campagna) -> None:
    ammesse = [v for v in campagne.candidature(codice, attore=ui.attore()) if v.decisione == "ammessa"]
    st.write(f"Le **{len(ammesse)}** candidature ammesse diventano soggetti, membri, punti di connessione e impianti "
             "della pratica, con i dati così come sono stati inseriti.")
    if not ammesse:
        st.info("Nessuna candidatura ammessa: registra prima le decisioni.")
        return
    pratiche = [v.codice for v in archivio.elenco_pratiche(attore=ui.attore())]
    modo = st.radio("Destinazione", ["esistente", "nuova"], horizontal=True, key="conv_modo",
                    format_func={"esistente": "Pratica esistente", "nuova": "Nuova pratica"}.get)
    if modo == "esistente":
        if not pratiche:
            st.info("Non ci sono pratiche: scegli «Nuova pratica».")
            return
        predef = pratiche.index(campagna.pratica) if campagna.pratica in pratiche else 0
        dest = st.selectbox("Pratica", pratiche, index=predef, key="conv_pratica")
        nuova_codice = nuova_den = None
    else:
        dest = None
        nuova_codice = st.text_input("Codice della nuova pratica", value=f"cer-{codice}", key="conv_codice")
        nuova_den = st.text_input("Denominazione della comunità", key="conv_den",
                                  value=f"Comunità energetica rinnovabile di {', '.join(campagna.comuni) or campagna.ente.denominazione}")
    conferma = st.checkbox(f"Confermo: inserisci {len(ammesse)} candidati nella pratica", key="conv_conferma")
    if st.button("Converti le candidature ammesse", type="primary", disabled=not conferma, key="conv_vai"):
        try:
            esito = campagne.converti_in_pratica(codice, None, codice_pratica=dest, nuova_codice=nuova_codice,
                                                 nuova_denominazione=nuova_den, autore=ui.autore(),
                                                 attore=ui.attore())
        except (campagne.ErroreConversione, archivio.ErroreArchivio, ErrorePratica, campagne.CampagnaNonTrovata) as e:
            st.error(f"Conversione non eseguita: {e}")
            return
        ui.imposta_pratica(esito.codice_pratica, esito.versione)
        ui.messaggio_flash(f"{len(esito.soggetti)} candidati inseriti nella pratica «{esito.codice_pratica}». "
                           "Ora puoi generare i moduli di adesione dalla pagina Documenti.")
        st.rerun()


def corpo() -> None:
    st.title("Manifestazioni di interesse")
    ui.mostra_flash()
    voci = campagne.elenco_campagne(attore=ui.attore())
    if not voci:
        st.info("Nessuna campagna. Creane una qui sotto (ente, responsabile, comuni, scadenza) oppure importa il "
                "file di una campagna (ce n'è uno d'esempio in `samples/campagne/`).", icon=":material/campaign:")
    _nuova_campagna(aperta=not voci)
    _importa()
    if not voci:
        return
    codici = [v.codice for v in voci]
    if st.session_state.get("campagna_scelta") not in codici:
        st.session_state.pop("campagna_scelta", None)
    codice = st.selectbox("Campagna", codici, key="campagna_scelta",
                          format_func=lambda c: next(f"{v.titolo} ({v.codice}, {v.candidature} "
                                                     f"{'candidatura' if v.candidature == 1 else 'candidature'})"
                                                     for v in voci if v.codice == c))
    campagna, _versione = campagne.apri_campagna(codice, attore=ui.attore())
    st.caption(f"{campagna.ente.denominazione} · stato: {STATI.get(campagna.stato, campagna.stato)}"
               + (f" · scadenza {ui.data_lunga(campagna.scadenza)}" if campagna.scadenza else ""))
    t1, t2, t3, t4 = st.tabs(["Candidature e screening", "Esporta", "Passa ai fondatori", "Dati della campagna"])
    with t1:
        _candidature(codice)
    with t2:
        _esporta(codice)
    with t3:
        _converti(codice, campagna)
    with t4:
        _modifica_campagna(codice)


ui.esegui(corpo)
