"""Manifestazioni di interesse (ufficio): campagne, candidature, screening, decisioni,
esportazioni e passaggio delle candidature ammesse a una pratica."""

from __future__ import annotations

import streamlit as st

from cer_docs.campagne.file import parse_campagna
from cer_docs.model import ErrorePratica
from cer_docs.model import vocabolario as voc
from cer_docs.services import archivio, campagne
from ui import componenti as ui

DECISIONI = voc.DECISIONI_CANDIDATURA.etichette()
RUOLI = voc.RUOLI_CANDIDATO.etichette()
SIMBOLI = {"errore": "✗", "avviso": "!", "info": "i"}


def _importa() -> None:
    with st.expander("Importa una campagna da file (YAML o JSON)", expanded=not campagne.elenco_campagne()):
        f = st.file_uploader("File della campagna (formato cer-docs/campagna@1)", type=["yaml", "yml", "json"],
                             key="campagna_file")
        if f is not None and st.button("Importa la campagna", key="campagna_importa"):
            try:
                testo = f.getvalue().decode("utf-8-sig")
                fc = parse_campagna(testo, f.name)
                voce = campagne.crea_campagna(fc.campagna, fc.candidature)
            except UnicodeDecodeError:
                st.error(f"Il file «{f.name}» non è testo UTF-8: salvalo come YAML o JSON in UTF-8.")
                return
            except ErrorePratica as e:
                ui.mostra_problemi_pratica(e, f"Il file «{f.name}» non è stato importato:")
                return
            except campagne.CampagnaEsistente as e:
                st.error(str(e))
                return
            ui.messaggio_flash(f"Campagna «{voce.titolo}» importata con {voce.candidature} candidature.")
            st.rerun()


def _candidature(codice: str) -> None:
    al = ui.oggi()
    esami, insieme, bil = campagne.esamina(codice, al)
    voci = {v.protocollo: v for v in campagne.candidature(codice)}
    if not esami:
        st.info("Nessuna candidatura ricevuta. Pubblica il modulo: `cer-docs modulo-pubblico`, poi condividi "
                f"l'indirizzo con `?campagna={codice}`.")
        return
    conteggi = {d: sum(1 for v in voci.values() if v.decisione == d) for d in DECISIONI}
    c = st.columns(4)
    for i, (d, n) in enumerate(conteggi.items()):
        c[i].metric(DECISIONI[d], n)
    st.caption(f"Candidature ammesse: consumi dichiarati {bil.consumo_kwh:,.0f} kWh/anno, produzione prevista "
               f"{bil.produzione_kwh:,.0f} kWh/anno, {bil.produttori} produttori, {bil.consumatori} consumatori."
               .replace(",", "."))
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
                          f"**Consumo annuo:** {c.consumo_annuo_kwh or '—'} kWh  \n"
                          f"**Impianto:** {ui.md(f'{c.impianto.fonte}, {c.impianto.potenza_kw} kW') if c.impianto else '—'}")
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
                        campagne.decidi(e.protocollo, dec, note or None, ui.autore(), v.versione)
                    except campagne.ConflittoCandidatura as err:
                        st.error(str(err))
                    else:
                        ui.messaggio_flash(f"Decisione registrata per {e.protocollo}: {DECISIONI[dec]}.")
                        st.rerun()


def _esporta(codice: str) -> None:
    c1, c2 = st.columns(2)
    c1.download_button("Scarica le candidature (Excel)", data=lambda: campagne.esporta_xlsx(codice),
                       file_name=f"candidature-{codice}.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       width="stretch")
    c2.download_button("Scarica le candidature (CSV)", data=lambda: campagne.esporta_csv(codice),
                       file_name=f"candidature-{codice}.csv", mime="text/csv", width="stretch")


def _converti(codice: str, campagna) -> None:
    ammesse = [v for v in campagne.candidature(codice) if v.decisione == "ammessa"]
    st.write(f"Le **{len(ammesse)}** candidature ammesse diventano soggetti, membri, punti di connessione e impianti "
             "della pratica, con i dati così come sono stati inseriti.")
    if not ammesse:
        st.info("Nessuna candidatura ammessa: registra prima le decisioni.")
        return
    pratiche = [v.codice for v in archivio.elenco_pratiche()]
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
                                                 nuova_denominazione=nuova_den, autore=ui.autore())
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
    _importa()
    voci = campagne.elenco_campagne()
    if not voci:
        st.info("Nessuna campagna. Importa il file di una campagna qui sopra (ce n'è uno d'esempio in "
                "`samples/campagne/`).")
        return
    codice = st.selectbox("Campagna", [v.codice for v in voci], key="campagna_scelta",
                          format_func=lambda c: next(f"{v.titolo} ({v.codice}, {v.candidature} candidature)"
                                                     for v in voci if v.codice == c))
    campagna, _versione = campagne.apri_campagna(codice)
    st.caption(f"{campagna.ente.denominazione} · stato: {campagna.stato}"
               + (f" · scadenza {ui.data_lunga(campagna.scadenza)}" if campagna.scadenza else ""))
    t1, t2, t3 = st.tabs(["Candidature e screening", "Esporta", "Passa ai fondatori"])
    with t1:
        _candidature(codice)
    with t2:
        _esporta(codice)
    with t3:
        _converti(codice, campagna)


ui.esegui(corpo)
