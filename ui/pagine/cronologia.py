"""Cronologia della pratica: stati, eventi e scadenze in ordine di data; registrazione dei fatti;
calendario da scaricare."""

from __future__ import annotations

import streamlit as st

from cer_docs.italiano import data_lunga
from cer_docs.services import archivio
from cer_docs.services import procedura as proc
from cer_docs.services import scadenze as svc
from ui import campi
from ui import componenti as ui

STATI = {"futura": "Futura", "imminente": "Imminente", "scaduta": "Scaduta", "adempiuta": "Adempiuta"}


def _stati(cr) -> None:
    with st.expander("Dove si trova la pratica", expanded=True):
        for s in cr.stati.tutti():
            dal = f" dal {data_lunga(s.dal)}" if s.dal else ""
            nome = f"Contributo PNRR per {s.nome}" if s.oggetto.endswith("contributo_pnrr") else s.nome
            st.markdown(f"**{ui.md(nome)}** – {ui.md(s.etichetta)}{dal}")


def _voci(cr, nomi: dict[str, str]) -> None:
    righe = []
    for v in cr.voci:
        righe.append({
            "Data": data_lunga(v.data),
            "Tipo": "Evento" if v.genere == "evento" else "Scadenza",
            "Che cosa": v.titolo,
            "Riferito a": nomi.get(v.oggetto or "", "").split(": ", 1)[-1] if v.oggetto else "",
            "Stato": STATI.get(v.stato or "", v.stato or ""),
            "Dettaglio": v.dettaglio or v.nota or "",
            "Fonte": v.riferimento or "",
        })
    if righe:
        st.dataframe(righe, hide_index=True, width="stretch")
    else:
        st.info("Nessun evento e nessuna scadenza per ora: registra il primo fatto qui sotto.")


def _registra(lavoro, al) -> None:
    tipi = {t.codice: t for t in svc.tipi_fatto()}
    st.subheader("Registra un fatto", anchor=False)
    tipo = st.selectbox("Che cosa è successo", list(tipi), format_func=lambda c: tipi[c].etichetta, key="fatto-tipo")
    data = campi.data("Quando", al, "fatto-data")
    scelte = proc.oggetti_della_pratica(lavoro.pratica, tipi[tipo].generi)
    oggetto = None
    if len(scelte) > 1:
        oggetto = st.selectbox("Riferito a", list(scelte), format_func=scelte.get, index=None,
                               placeholder="Scegli a che cosa si riferisce", key=f"fatto-oggetto-{tipo}",
                               help="Se nella pratica c'è un solo oggetto possibile, si sceglie da sé.")
    elif scelte:
        oggetto = next(iter(scelte))
        st.caption(f"Riferito a: {ui.md(scelte[oggetto])}")
    nota = st.text_area("Nota", key="fatto-nota", max_chars=2000)
    conferma = st.checkbox("Confermo: il fatto è avvenuto ed è documentato", key="fatto-conferma")
    invia = st.button("Registra il fatto", type="primary", key="fatto-registra")
    if not invia:
        return
    if not conferma:
        st.warning("Spunta la conferma prima di registrare il fatto.")
        return
    if len(scelte) > 1 and oggetto is None:
        st.error("Fatto non registrato: scegli a che cosa si riferisce («Riferito a»).", icon=":material/error:")
        return
    try:
        esito = svc.registra_fatto(lavoro.codice, tipo, data or al, oggetto, nota or None, ui.autore(),
                                   lavoro.versione, al=al, attore=ui.attore())
    except svc.FattoRifiutato as e:
        st.error(f"Fatto non registrato: {ui.md(e.motivo)}")
        return
    except archivio.ConflittoModifica as e:
        st.error(ui.md(e))
        return
    ui.imposta_pratica(esito.codice, esito.versione)
    messaggio = "Fatto registrato."
    if esito.avvisi:
        messaggio += " " + " ".join(esito.avvisi)
    ui.messaggio_flash(messaggio)
    st.rerun()


def corpo() -> None:
    st.title("Cronologia e scadenze")
    ui.mostra_flash()
    lavoro = ui.scegli_pratica("pratica-cronologia")
    if lavoro is None:
        ui.nessuna_pratica("vederne eventi e scadenze")
        return
    al = campi.data("Alla data", ui.oggi(), "cronologia-al") or ui.oggi()
    cr = svc.cronologia(lavoro.pratica, al, attore=ui.attore())
    _stati(cr)
    _voci(cr, proc.oggetti_della_pratica(lavoro.pratica))
    st.download_button("Scarica il calendario (.ics)", data=lambda: svc.esporta_ics(lavoro.pratica, al, attore=ui.attore()),
                       file_name=f"scadenze-{lavoro.codice}.ics", mime="text/calendar",
                       icon=":material/calendar_month:")
    _registra(lavoro, al)


ui.esegui(corpo)
