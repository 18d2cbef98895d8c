"""Contributo PNRR: calcolo per impianto, caricamento e verifica delle fatture, registro spese,
rendiconto e materiali per i fornitori."""

from __future__ import annotations

import streamlit as st

from cer_docs.italiano import data_lunga, importo, numero, percentuale, plurale
from cer_docs.services import archivio, pnrr
from ui import componenti as ui

SIMBOLI = {"errore": "✗", "avviso": "!", "info": "i"}
ESITI = {"conforme": "✓ conforme", "non_conforme": "✗ non conforme", "illeggibile": "✗ illeggibile"}


def _rilievi(rilievi) -> None:
    for r in rilievi:
        st.markdown(f"{SIMBOLI[r.gravita]} **{r.gravita.upper()}** – {ui.md(r.messaggio)}  \n"
                    f"<small>Fonte: {ui.md(r.riferimento)}</small>", unsafe_allow_html=True)


def _contributo(pratica, al) -> None:
    calcoli = pnrr.contributo(pratica, al)
    for c in calcoli:
        with st.container(border=True):
            st.subheader(c.denominazione)
            m = st.columns(4)
            m[0].metric("Potenza", f"{numero(c.potenza_kw)} kW")
            m[1].metric("Spesa ammissibile", importo(c.spesa_ammissibile) if c.spesa_ammissibile is not None else "—")
            m[2].metric("Contributo", importo(c.contributo) if c.contributo is not None else "—")
            m[3].metric("Fattore F", f"{c.fattore_f:.4f}".replace(".", ",") if c.fattore_f is not None else "—")
            righe = []
            if c.costo_massimo_kw is not None:
                righe.append(f"Costo massimo di riferimento: {importo(c.costo_massimo_kw)}/kW ({ui.md(c.fascia or '')})")
            righe.append(f"Quota massima: {percentuale(c.quota_pct)}; altri contributi: {importo(c.altri_contributi)}")
            righe.append(f"Anticipo massimo alla data: {percentuale(c.anticipo_massimo_pct)}")
            if c.cup:
                righe.append(f"CUP {ui.md(c.cup)}" + (f" · codice progetto GSE {ui.md(c.codice_progetto_gse)}"
                                                      if c.codice_progetto_gse else ""))
            st.markdown("  \n".join(righe))
            for o in c.opzioni_erogazione:
                st.markdown(f"**Opzione {o.numero} – {ui.md(o.titolo)}:** " + "; ".join(
                    f"{ui.md(r.descrizione)} {percentuale(r.quota_pct)} = {importo(r.importo)}" for r in o.rate))
            _rilievi(c.rilievi)


def _fatture(codice: str, pratica, al) -> None:
    impianti = pnrr.impianti_pnrr(pratica)
    st.write("Carica le fatture in formato FatturaPA (XML o .p7m) o PDF: cer-docs controlla CUP, codice del "
             "progetto, dicitura PNRR, modalità di pagamento e date prima che lo faccia il GSE.")
    scelta = st.selectbox("Impianto", [i for i, _d in impianti], format_func=dict(impianti).get, key="pnrr_imp")
    files = st.file_uploader("Fatture", type=["xml", "p7m", "pdf"], accept_multiple_files=True, key="pnrr_files")
    if files and st.button("Verifica e carica nel registro", type="primary", key="pnrr_carica"):
        barra = st.progress(0.0, text="Verifica delle fatture…")
        for n, f in enumerate(files, 1):
            try:
                esito = pnrr.carica_fattura(codice, f.getvalue(), f.name, ui.autore(), al, impianto=scelta,
                                           attore=ui.attore())
            except pnrr.FatturaRifiutata as e:
                st.error(f"«{f.name}» rifiutata, nulla è stato salvato:")
                _rilievi(e.esito.rilievi)
            except pnrr.FatturaGiaCaricata as e:
                st.warning(str(e))
            except (pnrr.ErrorePnrr, archivio.ConflittoModifica) as e:
                st.error(f"«{f.name}»: {e}")
            else:
                (st.success if esito.esito.esito == "conforme" else st.warning)(
                    f"«{f.name}»: {ESITI[esito.esito.esito]}, registrata nel registro spese.")
                _rilievi(esito.esito.rilievi)
            barra.progress(n / len(files), text=f"{n} di {len(files)} fatture verificate")
    documenti = pnrr.documenti_caricati(codice, attore=ui.attore())
    if documenti:
        st.caption(f"{plurale(len(documenti), 'file caricato', 'file caricati')} per questa pratica.")


def _registro(pratica, al) -> None:
    reg = pnrr.registro_spese(pratica, al)
    if not any(i.voci for i in reg.impianti):
        st.info("Il registro è vuoto: carica le fatture nella scheda «Fatture».")
    for i in reg.impianti:
        st.subheader(i.denominazione)
        if i.voci:
            st.dataframe([{
                "Fattura": f"{v.spesa.fattura.numero} del {data_lunga(v.spesa.fattura.data)}",
                "Fornitore": v.spesa.fattura.fornitore.denominazione,
                "Totale": importo(v.spesa.fattura.totale_euro),
                "Pagato": importo(v.pagato),
                "Pagamento": v.stato_pagamento,
                "Ammissibile": "sì" if v.ammissibile else "no",
            } for v in i.voci], hide_index=True, width="stretch")
        c = st.columns(3)
        c[0].metric("Totale fatture", importo(i.totale_fatture))
        c[1].metric("Spesa ammissibile sostenuta", importo(i.totale_ammissibile))
        c[2].metric("Contributo a consuntivo", importo(i.contributo_consuntivo) if i.contributo_consuntivo is not None else "—")
        _rilievi(i.tutti_i_rilievi)


def _materiali(pratica, al) -> None:
    nome = pratica.pratica.id
    c = st.columns(3)
    c[0].download_button("Rendiconto delle spese (PDF)", data=lambda: pnrr.rendiconto_pdf(pratica, al),
                         file_name=f"rendiconto-pnrr-{nome}.pdf", mime="application/pdf", width="stretch")
    c[1].download_button("Scheda per i fornitori (PDF)", data=lambda: pnrr.scheda_fornitori_pdf(pratica, al),
                         file_name=f"scheda-fornitori-pnrr-{nome}.pdf", mime="application/pdf",
                         width="stretch")
    c[2].download_button("Fattura d'esempio (XML)", data=lambda: pnrr.esempio_fattura_xml(pratica, al),
                         file_name=f"esempio-fattura-pnrr-{nome}.xml", mime="application/xml",
                         width="stretch")


def corpo() -> None:
    st.title("Contributo PNRR")
    ui.mostra_flash()
    lavoro = ui.scegli_pratica("pnrr_pratica")
    if lavoro is None:
        ui.nessuna_pratica("vedere il contributo PNRR, caricare le fatture e tenere il registro spese")
        return
    pratica = lavoro.pratica
    al = ui.oggi()
    if not pnrr.impianti_pnrr(pratica):
        st.info("Questa pratica non ha impianti con contributo PNRR. Per aggiungerlo apri la procedura guidata, "
                "passo «Impianti»: sotto la tabella degli impianti c'è la sezione «Contributo PNRR».",
                icon=":material/info:")
        if st.button("Apri il passo «Impianti»", type="primary", icon=":material/solar_power:", key="pnrr-vai-impianti"):
            ui.vai_a("procedura", passo="impianti")
        return
    t1, t2, t3, t4 = st.tabs(["Contributo", "Fatture", "Registro spese", "Rendiconto e fornitori"])
    try:
        with t1:
            _contributo(pratica, al)
        with t2:
            _fatture(lavoro.codice, pratica, al)
        with t3:
            _registro(pratica, al)
        with t4:
            _materiali(pratica, al)
    except pnrr.ErrorePnrr as e:
        st.error(str(e))


ui.esegui(corpo)
