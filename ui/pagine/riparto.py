"""Riparto e pagamenti: quanto ha pagato il GSE contro l'atteso dalle misure, chi riceve cosa, bonifici ed estratti.

Pagina sottile: tutte le cifre vengono da ``cer_docs.services.riparto``; qui si scelgono periodo e file, si
registrano gli incassi e l'approvazione (salvati nella pratica) e si scaricano CSV, bonifici ed estratti.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

import streamlit as st

from cer_docs.italiano import importo, numero, plurale
from cer_docs.services import riparto
from ui import campi
from ui import componenti as ui

CHIAVE_MISURE = "rip_misure_dati"          # (nome, contenuto) del file delle misure caricato
CHIAVE_CACHE = "_riparto_risultati"
CHIAVE_SEPA = "_riparto_sepa"


def _misure() -> tuple[str, bytes] | None:
    caricato = st.file_uploader("Misure del distributore (CSV punto, tipo, inizio, kwh, o righe giornaliere pod, data, "
                                "E1…E96; anche .gz)", type=["csv", "gz"], key="rip_misure")
    if caricato is not None:
        st.session_state[CHIAVE_MISURE] = (caricato.name, caricato.getvalue())
    return st.session_state.get(CHIAVE_MISURE)


def _incassi(lavoro: ui.Lavoro) -> None:
    pratica = lavoro.pratica
    st.caption("Gli importi pagati dal GSE per mese di competenza e componente; un conguaglio negativo è un recupero. "
               "Si salvano nella pratica.")
    righe = [{"periodo": i.periodo, "componente": i.componente, "importo_euro": float(i.importo_euro)}
             for i in pratica.incassi_gse]
    tabella = st.data_editor(
        righe or [{"periodo": "", "componente": "acconto", "importo_euro": None}], num_rows="dynamic", placeholder="",
        key=lavoro.chiave("rip_incassi_tabella"), width="stretch",
        column_config={"periodo": st.column_config.TextColumn("Periodo (AAAA-MM)"),
                       "componente": st.column_config.SelectboxColumn("Componente", options=list(riparto.COMPONENTI)),
                       "importo_euro": st.column_config.NumberColumn("Importo (€)", format="localized", step=0.01)})
    c1, c2 = st.columns([1, 2])
    if c1.button("Salva gli incassi", key="rip_salva_incassi", icon=":material/save:"):
        try:
            nuovi = riparto.incassi_da_righe(tabella if isinstance(tabella, list) else tabella.to_dict("records"))
        except riparto.ErroreRiparto as e:
            st.error(str(e))
        else:
            if ui.salva(lavoro, riparto.sostituisci_incassi(pratica, nuovi), "Incassi del GSE"):
                ui.messaggio_flash(f"Incassi salvati: {plurale(len(nuovi), 'riga', 'righe')}.")
                st.rerun()
    file_incassi = c2.file_uploader("Oppure importa un CSV (periodo, componente, importo_euro)", type=["csv"],
                                    key="rip_incassi_csv")
    if file_incassi is not None and c2.button("Importa il CSV", key="rip_importa_incassi"):
        try:
            nuova = riparto.registra_incassi(pratica, file_incassi.getvalue())
        except riparto.ErroreRiparto as e:
            st.error(str(e))
        else:
            if ui.salva(lavoro, nuova, "Incassi del GSE da CSV"):
                ui.messaggio_flash("Incassi importati.")
                st.rerun()


def _costi(lavoro: ui.Lavoro) -> None:
    pratica = lavoro.pratica
    st.caption("Le spese della comunità (assicurazione, commercialista, piattaforma…) di un anno (AAAA) o di un mese "
               "(AAAA-MM): si tolgono da quanto ricevuto prima di ripartire. Si salvano nella pratica.")
    righe = [{"periodo": c.periodo, "descrizione": c.descrizione, "importo_euro": float(c.importo_euro)}
             for c in pratica.costi_comunita]
    tabella = st.data_editor(
        righe or [{"periodo": "", "descrizione": "", "importo_euro": None}], num_rows="dynamic", placeholder="",
        key=lavoro.chiave("rip_costi_tabella"), width="stretch",
        column_config={"periodo": st.column_config.TextColumn("Periodo (AAAA o AAAA-MM)"),
                       "descrizione": st.column_config.TextColumn("Descrizione", width="large"),
                       "importo_euro": st.column_config.NumberColumn("Importo (€)", min_value=0.0, format="localized",
                                                                     step=0.01)})
    if st.button("Salva i costi", key="rip_salva_costi", icon=":material/save:"):
        try:
            nuovi = riparto.costi_da_righe(tabella if isinstance(tabella, list) else tabella.to_dict("records"))
        except riparto.ErroreRiparto as e:
            st.error(str(e))
        else:
            if ui.salva(lavoro, riparto.sostituisci_costi(pratica, nuovi), "Costi della comunità"):
                ui.messaggio_flash(f"Costi salvati: {len(nuovi)} {'riga' if len(nuovi) == 1 else 'righe'}.")
                st.rerun()


def _calcola(lavoro: ui.Lavoro, periodo: str, misure: tuple[str, bytes], oggi: dt.date):  # noqa: ANN202
    chiave = (lavoro.codice, lavoro.versione, periodo, hashlib.sha256(misure[1]).hexdigest())
    cache = st.session_state.setdefault(CHIAVE_CACHE, {})
    if chiave not in cache:
        cache.clear()
        cache[chiave] = riparto.liquidazione(lavoro.pratica, riparto.Richiesta(periodo, misure[1]), oggi)[0]
    return cache[chiave]


def _riconciliazione(liq) -> None:  # noqa: ANN001
    st.dataframe([{"Mese": riparto.periodo_esteso(r.mese), "Condivisa kWh": numero(r.energia_condivisa_kwh, 0),
                   "Atteso": importo(r.atteso_euro),
                   "Acconto (formula)": importo(r.acconto_formula_euro) if r.acconto_formula_euro is not None else "—",
                   **{riparto.ETICHETTE_COMPONENTI[k]: importo(v) for k, v in r.ricevuto.items()},
                   "Ricevuto": importo(r.ricevuto_euro), "Differenza": importo(r.differenza_euro),
                   "Spiegazione": " ".join(r.spiegazione)} for r in liq.riconciliazione],
                 hide_index=True, width="stretch", key="rip_tab_riconciliazione")
    st.caption("Atteso = tariffa premio + valorizzazione calcolate ora per ora sulle misure con le regole del periodo. "
               "L'acconto si confronta con la formula delle Regole Operative (valori da confermare: una differenza è "
               "solo un avviso).")


def _quote(liq) -> None:  # noqa: ANN001
    st.dataframe([{"Membro": q.nome, "Giorni": f"{q.giorni_attivi}/{q.giorni_periodo}",
                   "Prelievo condiviso kWh": numero(q.prelievo_condiviso_kwh, 0),
                   "Immissione condivisa kWh": numero(q.immissione_condivisa_kwh, 0),
                   "Fondo A": importo(q.fondo_a_euro), "Fondo B": importo(q.fondo_b_euro),
                   "Quota": importo(q.importo_euro), "IBAN": "sì" if q.iban else "manca"} for q in liq.quote]
                 + [{"Membro": f"Alla comunità: {k.replace('_', ' ')}", "Giorni": "", "Prelievo condiviso kWh": "",
                     "Immissione condivisa kWh": "", "Fondo A": "", "Fondo B": "", "Quota": importo(v), "IBAN": ""}
                    for k, v in liq.comunita_euro.items()],
                 hide_index=True, width="stretch", key="rip_tab_quote")
    st.download_button("Scarica il CSV contabile", data=riparto.csv_contabile(liq).encode("utf-8"),
                       file_name=f"riparto-{liq.periodo}.csv", mime="text/csv", icon=":material/table:",
                       key="rip_csv")


def _approvazione(lavoro: ui.Lavoro, liq, oggi: dt.date) -> None:  # noqa: ANN001
    v = riparto.approvato(lavoro.pratica, liq.periodo)
    if v is not None:
        uguale = v.impronta == liq.impronta()
        st.info(f"Versione {v.versione} approvata il {v.approvato_il:%d/%m/%Y}"
                f"{' (' + ui.md(v.delibera) + ')' if v.delibera else ''}: {importo(v.totale_euro)}. "
                + ("Il riparto calcolato coincide con quella versione." if uguale else
                   "Il riparto calcolato ora è diverso (incassi o misure cambiati): approvalo di nuovo prima di pagare."),
                icon=":material/verified:")
    if liq.stimato:
        st.warning("Senza incassi registrati il riparto è una stima e non si può approvare.")
        return
    c1, c2 = st.columns(2)
    data = campi.data("Data dell'assemblea", oggi, "rip_data_assemblea", where=c1,
                      conseguenza="l'approvazione non si registra")
    delibera = c2.text_input("Delibera o verbale", key="rip_delibera")
    if st.button("Registra l'approvazione dell'assemblea", key="rip_approva", icon=":material/gavel:",
                 disabled=data is None):
        try:
            nuova = riparto.approva_riparto(lavoro.pratica, liq, data, delibera or None, ui.autore())
        except riparto.ErroreRiparto as e:
            st.error(str(e))
            return
        if ui.salva(lavoro, nuova, f"Riparto {liq.periodo} approvato"):
            ui.messaggio_flash("Approvazione registrata: il riparto è congelato come nuova versione.")
            st.rerun()


def _pagamenti(lavoro: ui.Lavoro, liq, oggi: dt.date) -> None:  # noqa: ANN001
    pratica = lavoro.pratica
    senza = liq.senza_iban()
    if senza:
        st.caption(f"Non entrano nei bonifici ({len(senza)}, senza IBAN valido): "
                   + ", ".join(ui.md(q.nome) for q in senza) + ".")
    c1, c2 = st.columns(2)
    iban = c1.text_input("IBAN della comunità", pratica.comunita.iban if pratica.comunita and pratica.comunita.iban
                         else "", key="rip_iban")
    esecuzione = campi.data("Data di esecuzione", oggi, "rip_esecuzione", where=c2,
                            conseguenza="il file dei bonifici non si prepara")
    if st.button("Prepara il file dei bonifici", key="rip_prepara_sepa", icon=":material/account_balance:",
                 disabled=esecuzione is None):
        try:
            f = riparto.bonifici(pratica, liq, esecuzione, iban=iban or None)
        except riparto.ErroreRiparto as e:
            st.error(str(e))
        else:
            nome = f"bonifici-{liq.periodo}.xml"
            if ui.salva(lavoro, riparto.registra_pagamento(pratica, liq, f, oggi, nome, ui.autore()),
                        f"File dei bonifici del riparto {liq.periodo}"):
                st.session_state[CHIAVE_SEPA] = (nome, f.xml, f.bonifici, str(f.totale_euro), f.schema)
    pronto = st.session_state.get(CHIAVE_SEPA)
    if pronto:
        st.success(f"{plurale(pronto[2], 'bonifico', 'bonifici')} per {importo(Decimal(pronto[3]))}, schema {pronto[4]} validato; "
                   "totale di controllo uguale alla somma dei bonifici. Il file è registrato tra gli eventi.")
        st.download_button("Scarica i bonifici SEPA", data=pronto[1], file_name=pronto[0], mime="application/xml",
                           icon=":material/download:", key="rip_sepa", type="primary")
    st.subheader("Estratti per i membri")
    scelte = {q.soggetto: q.nome for q in liq.quote}
    chi = st.selectbox("Membro", list(scelte), format_func=scelte.get, key="rip_estratto_membro")
    st.download_button("Scarica l'estratto PDF", icon=":material/picture_as_pdf:", key="rip_estratto",
                       data=lambda: riparto.estratti_pdf(liq, pratica, oggi, [chi]),
                       file_name=f"estratto-{liq.periodo}-{chi}.pdf", mime="application/pdf")


def corpo() -> None:
    st.title("Riparto e pagamenti")
    st.caption("Quanto ha pagato il GSE contro quanto spetta secondo le misure, mese per mese; il riparto del periodo "
               "secondo il regolamento (fondo A, fondo B, produttori terzi, categorie, contributo di ognuno nelle ore "
               "di condivisione); bonifici SEPA ed estratti per i membri.")
    ui.mostra_flash()
    lavoro = ui.scegli_pratica("rip_pratica")
    if lavoro is None:
        ui.nessuna_pratica("ripartire gli incassi del GSE e pagare i membri")
        return
    oggi = ui.oggi()
    with st.expander(f"Incassi del GSE registrati ({len(lavoro.pratica.incassi_gse)})", icon=":material/payments:"):
        _incassi(lavoro)
    with st.expander(f"Costi della comunità ({len(lavoro.pratica.costi_comunita)})", icon=":material/receipt_long:"):
        _costi(lavoro)
    c1, c2 = st.columns([1, 3])
    periodo = c1.text_input("Periodo (AAAA o AAAA-MM)", str(oggi.year - 1), key="rip_periodo").strip()
    with c2:
        misure = _misure()
    if misure is None:
        st.info("Carica le misure del periodo: il riparto si calcola sui dati del distributore, ora per ora.")
        return
    try:
        with st.spinner("Atteso ora per ora e riparto…"):
            liq = _calcola(lavoro, periodo, misure, oggi)
    except riparto.ErroreRiparto as e:
        st.error(str(e))
        return
    st.caption(f"Misure: {ui.md(misure[0])}. Regole in vigore al {liq.al:%d/%m/%Y}.")
    m = st.columns(4)
    m[0].metric("Ricevuto dal GSE" if not liq.stimato else "Atteso (stima)", importo(liq.incassato_euro))
    m[1].metric("Da ripartire", importo(liq.totale_euro),
                help="Ricevuto meno i corrispettivi GSE e i costi della comunità del periodo.")
    m[2].metric("Fondo A", importo(liq.fondo_a_euro))
    m[3].metric("Fondo B (eccedenza)", importo(liq.fondo_b_euro))
    senza_iban = liq.senza_iban()
    if senza_iban:
        st.warning(("Un membro con una quota non ha un IBAN valido e non entra nel file dei " if len(senza_iban) == 1
                    else f"{len(senza_iban)} membri con una quota non hanno un IBAN valido e non entrano nel file dei ")
                   + 
                   "bonifici: " + "; ".join(f"{ui.md(q.nome)} {importo(q.importo_euro)}" for q in senza_iban)
                   + ". Aggiungi l'IBAN nella scheda del soggetto o pagali in altro modo.")
    for a in liq.avvisi:
        if a.codice != "RIP-SENZA-IBAN":
            (st.info if a.gravita == "info" else st.warning)(ui.md(a.messaggio))
    t1, t2, t3, t4 = st.tabs(["Atteso e ricevuto", "Quote dei membri", "Approvazione", "Pagamenti ed estratti"])
    with t1:
        _riconciliazione(liq)
    with t2:
        _quote(liq)
    with t3:
        _approvazione(lavoro, liq, oggi)
    with t4:
        _pagamenti(lavoro, liq, oggi)


ui.esegui(corpo)
