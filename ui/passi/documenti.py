"""Passo 9 (e pagina Documenti): scegli i documenti, bozza o definitivi, genera, scarica, anteprima."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from cer_docs.italiano import data_lunga
from cer_docs.model import ErrorePratica
from cer_docs.services import archivio
from cer_docs.services import documenti as svc_documenti
from cer_docs.services import procedura as proc
from ui import campi
from ui import componenti as ui

_VERSIONI = {"bozza": "Bozza (con la scritta BOZZA)", "definitiva": "Definitiva"}
_FORMATI = {"docx": "Word (DOCX, modificabile)", "pdf": "PDF"}


@st.cache_data(max_entries=32, show_spinner=False)
def _anteprima(percorso: str, modificato: float) -> bytes | None:
    return proc.anteprima_pdf(Path(percorso).read_bytes())


def mostra(lavoro: ui.Lavoro) -> None:
    p = lavoro.pratica
    tipi, note = proc.documenti_possibili(p)
    titoli = proc.titoli_documenti()
    for nota in note:
        st.info(nota, icon=":material/info:")
    if not tipi:
        st.info("Per questa pratica non ci sono documenti da generare: completa prima i dati della comunità e delle "
                "configurazioni.", icon=":material/info:")
        return
    al = ui.oggi()
    esito = ui.esito_verifica(lavoro, al)
    k = lavoro.chiave
    with st.form(k("form-documenti"), border=False):
        scelti = st.multiselect("Documenti da generare", tipi, default=tipi, format_func=titoli.get,
                                key=k("doc-scelti"), placeholder="Scegli i documenti")
        c1, c2 = st.columns(2)
        formati = c1.multiselect("Formati", list(_FORMATI), default=list(_FORMATI), format_func=_FORMATI.get,
                                 key=k("doc-formati"))
        versione = c2.radio("Versione", list(_VERSIONI), format_func=_VERSIONI.get, horizontal=True,
                            key=k("doc-versione"))
        if esito.errori:
            st.caption(f"La verifica ha {esito.errori} errori: finché non li correggi puoi generare solo la bozza.")
        genera = st.form_submit_button("Genera i documenti", type="primary", icon=":material/description:")
    if genera:
        _genera(lavoro, scelti, formati, versione == "bozza", esito.errori)
    gen = proc.ultima_generazione(lavoro.codice)
    if gen is None:
        st.caption("Nessun documento generato finora per questa pratica.")
    else:
        _mostra_generazione(lavoro, gen)


def _genera(lavoro: ui.Lavoro, scelti: list[str], formati: list[str], bozza: bool, errori: int) -> None:
    if not scelti:
        st.error("Scegli almeno un documento da generare.")
        return
    if not formati:
        st.error("Scegli almeno un formato (DOCX o PDF).")
        return
    if not bozza and errori:
        st.error(f"La verifica ha {errori} errori: correggili (vedi il riepilogo) oppure genera la bozza.")
        return
    barra = st.progress(0.0, text="Preparo i documenti…")

    def avanzamento(fatti: int, totale: int, titolo: str) -> None:
        if titolo:
            barra.progress(fatti / totale, text=f"Genero «{titolo}» ({fatti + 1} di {totale})…")
        else:
            barra.progress(1.0, text="Documenti pronti.")

    try:
        proc.genera_documenti(lavoro.pratica, scelti, bozza=bozza, al=ui.oggi(), formati=formati,
                              avanzamento=avanzamento, versione=lavoro.aperta.versione, attore=ui.attore())
    except svc_documenti.ErroreGenerazione as e:
        barra.empty()
        st.error(f"I documenti non sono stati generati: {ui.md(e)}.", icon=":material/error:")
        return
    except ErrorePratica as e:
        barra.empty()
        ui.mostra_problemi_pratica(e, "I documenti non sono stati generati: la pratica non è valida.")
        return
    st.success("Documenti generati: scaricali qui sotto.", icon=":material/task_alt:")


def _scaricato(codice: str, nome: str) -> None:
    """I documenti generati contengono dati personali: scaricarli è un evento del registro."""
    archivio.registra_evento(codice, "scaricamento", f"scaricato il documento generato «{nome}»",
                             attore=ui.attore(), autore=ui.autore(), dettagli={"nome_file": nome})


def _mostra_generazione(lavoro: ui.Lavoro, gen: proc.Generazione) -> None:
    campi.sezione("Documenti generati")
    if ui.attore() is not None and not archivio.puo(lavoro.codice, "scarica", attore=ui.attore()):
        st.info("Il tuo ruolo su questa pratica non permette di scaricare i documenti.", icon=":material/lock:")
        return
    quando = ui.quando(gen.creata_il.astimezone()) if gen.creata_il else "data sconosciuta"
    st.caption(f"{'Bozza' if gen.bozza else 'Versione definitiva'} · generati il {quando} · regole al "
               f"{data_lunga(gen.al)}" + (f" · versione {gen.versione} della pratica" if gen.versione else ""))
    if gen.versione is not None and gen.versione != lavoro.aperta.versione:
        st.warning("La pratica è cambiata dopo questa generazione: genera di nuovo i documenti per averli "
                   "aggiornati.", icon=":material/update:")
    for a in gen.avvisi:
        st.warning(ui.md(a), icon=":material/warning:")
    st.download_button("Scarica tutto (ZIP)", data=lambda: proc.archivio_zip(gen), file_name=f"documenti-{lavoro.codice}.zip",
                       mime="application/zip", icon=":material/folder_zip:", type="primary", on_click=_scaricato,
                       args=(lavoro.codice, f"documenti-{lavoro.codice}.zip"), key=f"zip-{Path(gen.cartella).name}")
    mime = {"pdf": "application/pdf",
            "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
    for f in gen.file:
        c1, c2 = st.columns([3, 1], vertical_alignment="center")
        pagine = (f" · {f.pagine} {'pagina' if f.pagine == 1 else 'pagine'}" if f.pagine and f.formato == "pdf"
                  else "")
        c1.markdown(f"**{ui.md(f.titolo)}** · {f.formato.upper()}{pagine}  \n`{ui.md(f.file)}`")
        c2.download_button("Scarica", data=proc.leggi_file_generato(gen, f), file_name=f.file,
                           mime=mime.get(f.formato), icon=":material/download:", on_click=_scaricato,
                           args=(lavoro.codice, f.file),
                           key=f"scarica-{Path(gen.cartella).name}-{f.percorso}", width="stretch")
    pdf = gen.pdf()
    if pdf:
        campi.sezione("Anteprima")
        nomi = {f.percorso: f"{f.titolo} ({f.file})" for f in pdf}
        scelto = st.selectbox("Documento da vedere", list(nomi), format_func=nomi.get, key="anteprima-documento")
        percorso = Path(gen.cartella) / scelto
        png = _anteprima(str(percorso), percorso.stat().st_mtime) if percorso.is_file() else None
        if png:
            st.image(png, caption=f"Prima pagina di {nomi[scelto]}", width=620)
        else:
            st.caption("Anteprima non disponibile (manca il programma pdftoppm): scarica il PDF per vederlo.")
