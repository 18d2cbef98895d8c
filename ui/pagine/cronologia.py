"""Cronologia della pratica: stati, eventi e scadenze in ordine di data; registrazione dei fatti;
annullamento di un fatto registrato per errore (con conferma: il fatto resta, barrato); calendario
da scaricare."""

from __future__ import annotations

import streamlit as st

from cer_docs.italiano import con_data, data_lunga
from cer_docs.services import archivio
from cer_docs.services import procedura as proc
from cer_docs.services import scadenze as svc
from ui import campi
from ui import componenti as ui

SVUOTA_FATTO = "_cronologia_svuota_fatto"
STATI = {"futura": "Futura", "imminente": "Imminente", "scaduta": "Scaduta", "adempiuta": "Adempiuta"}


def _stati(cr) -> None:
    with st.expander("Dove si trova la pratica", expanded=True):
        for s in cr.stati.tutti():
            dal = f" dal {data_lunga(s.dal)}" if s.dal else ""
            nome = f"Contributo PNRR per {s.nome}" if s.oggetto.endswith("contributo_pnrr") else s.nome
            st.markdown(f"**{ui.md(nome)}** – {ui.md(s.etichetta)}{dal}")


def _barrato(testo: str) -> str:
    """Il testo barrato anche dove non c'è stile (tabelle): il segno di barratura dopo ogni carattere."""
    return "".join(c + "\u0336" for c in testo)


def annotazione(v, *, motivo: bool = True) -> str:
    """«Annullato il … da …: motivo» per un fatto annullato."""
    da = f" da {v.annullato_da}" if v.annullato_da else ""
    perche = f": {v.motivo_annullamento}" if v.motivo_annullamento and motivo else ""
    return f"Annullato {con_data('il', v.annullato_il)}{da}{perche}"


def _voci(cr, nomi: dict[str, str]) -> None:
    righe = []
    for v in cr.voci:
        stato = annotazione(v) if v.annullato else STATI.get(v.stato or "", v.stato or "")
        righe.append({
            "Data": data_lunga(v.data),
            "Tipo": "Evento" if v.genere == "evento" else "Scadenza",
            # sul telefono si vede solo l'inizio della colonna: prima che è annullato, poi il fatto barrato
            "Che cosa": f"{annotazione(v, motivo=False)} — {_barrato(v.titolo)}" if v.annullato else v.titolo,
            "Riferito a": nomi.get(v.oggetto or "", "").split(": ", 1)[-1] if v.oggetto else "",
            "Stato": stato,
            "Dettaglio": v.dettaglio or v.nota or "",
            "Fonte": v.riferimento or "",
        })
    if righe:
        st.dataframe(righe, hide_index=True, width="stretch",
                     column_config={"Che cosa": st.column_config.TextColumn(width="large"),
                                    "Stato": st.column_config.TextColumn(width="medium")})
        annullati = [v for v in cr.voci if v.annullato]
        if annullati:
            st.caption("I fatti barrati sono stati annullati: restano nella cronologia ma non contano per stati e "
                       "scadenze.")
    else:
        st.info("Nessun evento e nessuna scadenza per ora: registra il primo fatto qui sotto.")


def _registra(lavoro, al) -> None:
    if st.session_state.pop(SVUOTA_FATTO, False):
        # dopo una registrazione il modulo riparte da capo: la conferma spuntata non deve restare pronta
        # per un secondo invio. I valori si impostano (non si tolgono) prima di creare i widget, perché
        # il browser ridisegni i campi vuoti.
        st.session_state.update({"fatto-data": al, "fatto-nota": "", "fatto-conferma": False})
        for chiave in [c for c in st.session_state if str(c).startswith("fatto-oggetto-")]:
            st.session_state[chiave] = None
    tipi = {t.codice: t for t in svc.tipi_fatto()}
    st.subheader("Registra un fatto", anchor=False)
    tipo = st.selectbox("Che cosa è successo", list(tipi), format_func=lambda c: tipi[c].etichetta, key="fatto-tipo")
    data, data_errata = campi.data_scritta("Quando", al, "fatto-data", conseguenza="il fatto non si registra")
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
    if data_errata is not None:
        st.error(f"Fatto non registrato: «{ui.md(data_errata)}» non è una data. Correggi «Quando» (GG/MM/AAAA) "
                 "e riprova.", icon=":material/error:")
        return
    if len(scelte) > 1 and oggetto is None:
        st.error("Fatto non registrato: scegli a che cosa si riferisce («Riferito a»).", icon=":material/error:")
        return
    try:
        esito = svc.registra_fatto(lavoro.codice, tipo, data or al, oggetto, nota or None, ui.autore(),
                                   lavoro.versione, al=al, attore=ui.attore())
    except svc.FattoRifiutato as e:
        st.error(f"Fatto non registrato. {ui.md(e.motivo)}")
        return
    except archivio.ConflittoModifica as e:
        st.error(ui.md(e))
        return
    st.session_state[SVUOTA_FATTO] = True
    ui.imposta_pratica(esito.codice, esito.versione)
    messaggio = "Fatto registrato."
    if esito.avvisi:
        messaggio += " " + " ".join(esito.avvisi)
    ui.messaggio_flash(messaggio)
    st.rerun()


def _annulla(lavoro, cr, al) -> None:
    fatti = [v for v in cr.voci if v.genere == "evento" and v.annullabile]
    if not fatti:
        return
    # espansore con stato (chiave): resta aperto con la scelta anche se la pagina sopra cambia (per esempio
    # sparisce il messaggio del fatto appena registrato) e Streamlit lo ridisegna
    with st.expander("Annulla un fatto registrato per errore", key="annulla-aperto", on_change="rerun",
                     expanded=st.session_state.get("annulla-fatto") is not None):
        st.caption("Il fatto non si cancella: resta nella cronologia, barrato, con chi l'ha annullato, quando e "
                   "perché, e da quel momento non conta più per stati e scadenze.")
        per_indice = {v.indice: v for v in fatti}
        indice = st.selectbox("Fatto da annullare", list(per_indice), index=None, key="annulla-fatto",
                              format_func=lambda i: f"{data_lunga(per_indice[i].data)} – {per_indice[i].titolo}",
                              placeholder="Scegli il fatto")
        motivo = st.text_area("Perché lo annulli", key="annulla-motivo", max_chars=2000,
                              placeholder="Per esempio: data sbagliata, registrato sulla pratica sbagliata")
        conferma = st.checkbox("Confermo: annulla questo fatto (resta nella cronologia)", key="annulla-conferma",
                               disabled=indice is None)
        if not st.button("Annulla il fatto", key="annulla-registra", icon=":material/undo:",
                         disabled=indice is None or not conferma):
            return
        if not (motivo or "").strip():
            st.error("Fatto non annullato: scrivi perché lo annulli («Perché lo annulli»).", icon=":material/error:")
            return
        try:
            esito = svc.annulla_fatto(lavoro.codice, indice, motivo, ui.autore(), lavoro.versione, al=al,
                                      attore=ui.attore())
        except svc.FattoRifiutato as e:
            st.error(f"Fatto non annullato. {ui.md(e.motivo)}")
            return
        except archivio.ConflittoModifica as e:
            st.error(ui.md(e))
            return
    for chiave in ("annulla-fatto", "annulla-motivo", "annulla-conferma", "annulla-aperto"):
        st.session_state.pop(chiave, None)
    ui.imposta_pratica(esito.codice, esito.versione)
    messaggio = "Fatto annullato: resta nella cronologia, barrato."
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
    if ui.vietato(lavoro.codice, "modifica"):
        st.info("Il tuo ruolo su questa pratica permette di leggere la cronologia e scaricare il calendario, "
                "non di registrare o annullare fatti.", icon=":material/lock:")
        return
    _registra(lavoro, al)
    _annulla(lavoro, cr, al)


ui.esegui(corpo)
