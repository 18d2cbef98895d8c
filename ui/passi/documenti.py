"""Passo 9 (e pagina Documenti): scegli i documenti, bozza o definitivi, genera, scarica, anteprima.

La generazione è un lavoro in sottofondo (``cer_docs.services.lavori``): il pulsante la mette in
coda e la pagina resta libera. Lo stato e l'avanzamento si leggono dal database, quindi valgono
anche dopo aver ricaricato la pagina o da un altro browser; un frammento li rilegge ogni secondo
finché il lavoro è in coda o in corso e, quando finisce, ridisegna la pagina con il risultato.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import streamlit as st

from cer_docs.italiano import data_lunga, plurale
from cer_docs.model.vocabolario import STATI_LAVORO
from cer_docs.services import archivio, lavori
from cer_docs.services.accesso import AccessoNegato
from cer_docs.services import procedura as proc
from ui import campi
from ui import componenti as ui

_VERSIONI = {"bozza": "Bozza (con la scritta BOZZA)", "definitiva": "Definitiva"}
_FORMATI = {"docx": "Word (DOCX, modificabile)", "pdf": "PDF"}
_OGNI = 1.0                     # secondi tra due letture dello stato del lavoro in corso
_ERRORE_ANNULLA = "_errore_annulla_generazione"
_ATTESA_SOSPETTA = 60           # secondi in coda dopo i quali si suggerisce di controllare gli esecutori
_VAI_ALLA_PROCEDURA = "_documenti_vai_alla_procedura"
# «(comunita.fondatori)» negli avvisi del generatore: il percorso nella pratica, utile alla riga di comando;
# qui diventa il pulsante verso il passo che lo corregge
_PERCORSO = re.compile(r"\s*\(((?:[a-z_]+(?:\[\d+\])?)(?:\.[a-z_]+(?:\[\d+\])?)+)\)")


def _seguito(codice: str) -> str:
    """Chiave di sessione: il lavoro chiesto da questa sessione, di cui mostrare l'esito una volta."""
    return f"_lavoro_seguito-{codice}"


@st.cache_data(max_entries=32, show_spinner=False)
def _anteprima(percorso: str, modificato: float) -> bytes | None:
    return proc.anteprima_pdf(Path(percorso).read_bytes())


def avviso_e_passo(avviso: str) -> tuple[str, proc.Destinazione | None]:
    """L'avviso del generatore senza il percorso tecnico, e il passo dove si corregge (se lo nomina)."""
    m = _PERCORSO.search(avviso)
    if m is None:
        return avviso, None
    dest = proc.destinazione(m.group(1))
    return avviso[:m.start()] + avviso[m.end():], (None if dest.passo == "riepilogo" else dest)


def _correggi(destinazione: proc.Destinazione) -> None:
    ui.vai_al_passo(destinazione)
    st.session_state[_VAI_ALLA_PROCEDURA] = True


def mostra(lavoro: ui.Lavoro) -> None:
    if st.session_state.pop(_VAI_ALLA_PROCEDURA, False):
        ui.vai_a("procedura", passo=st.session_state.get(ui.CHIAVE_PASSO))
    p = lavoro.pratica
    tipi, note = proc.documenti_possibili(p)
    titoli = proc.titoli_documenti()
    for nota in note:
        st.info(nota, icon=":material/info:")
    if not tipi:
        st.info("Per questa pratica non ci sono documenti da generare: completa prima i dati della comunità e delle "
                "configurazioni.", icon=":material/info:")
        return
    if ui.vietato(lavoro.codice, "genera"):
        st.info("Il tuo ruolo su questa pratica non permette di generare i documenti: qui vedi l'ultima "
                "generazione e, se il ruolo lo consente, la scarichi.", icon=":material/lock:")
        _mostra_lavoro(lavoro)
        _mostra_ultima(lavoro)
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
            st.caption(f"La verifica ha {plurale(esito.errori, 'errore', 'errori')}: finché non "
                       f"{'lo correggi' if esito.errori == 1 else 'li correggi'} puoi generare solo la bozza.")
        genera = st.form_submit_button("Genera i documenti", type="primary", icon=":material/description:")
    if genera:
        _genera(lavoro, scelti, formati, versione == "bozza", esito.errori)
    _mostra_lavoro(lavoro)
    _mostra_ultima(lavoro)


def _mostra_ultima(lavoro: ui.Lavoro) -> None:
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
        st.error(f"La verifica ha {plurale(errori, 'errore', 'errori')}: "
                 f"{'correggilo' if errori == 1 else 'correggili'} (vedi il riepilogo) oppure genera la bozza.")
        return
    try:
        lav = lavori.accoda_generazione(lavoro.codice, scelti, bozza=bozza, al=ui.oggi(), formati=formati,
                                        versione=lavoro.aperta.versione, attore=ui.attore(), autore=ui.autore())
    except lavori.LavoroGiaAttivo as e:
        st.warning(ui.md(ui.frase(e)), icon=":material/hourglass_top:")
        return
    except lavori.ErroreLavori as e:
        st.error(f"I documenti non sono stati messi in generazione: {ui.md(e)}.", icon=":material/error:")
        return
    st.session_state[_seguito(lavoro.codice)] = lav.id
    # l'avanzamento compare sotto il modulo, spesso fuori vista: un avviso dove si guarda
    st.toast(f"Generazione avviata ({plurale(len(scelti), 'documento', 'documenti')}): l'avanzamento e i file "
             "compaiono qui sotto.", icon=":material/hourglass_top:")


# --------------------------------------------------------------------------- il lavoro in sottofondo

def _mostra_lavoro(lavoro: ui.Lavoro) -> None:
    errore = st.session_state.pop(_ERRORE_ANNULLA, None)
    if errore:
        st.error(f"La generazione non è stata annullata: {ui.md(errore)}.", icon=":material/lock:")
    lavori.assicura_esecutore_locale()  # con SQLite i lavori li esegue un thread di questo processo
    lav = lavori.ultimo_lavoro(lavoro.codice, attore=ui.attore())
    if lav is None:
        return
    if lav.attivo:
        _avanzamento(lavoro.codice, lav.id)
        return
    if st.session_state.get(_seguito(lavoro.codice)) == lav.id:
        st.session_state.pop(_seguito(lavoro.codice), None)
        _esito(lav)
    elif lav.stato == "fallito":
        st.caption(f"L'ultima generazione, chiesta da {ui.md(lav.autore)} il {ui.quando(lav.creato_il)}, non è "
                   f"riuscita: {ui.md(lav.errore or '')}.")


def _esito(lav: lavori.Lavoro) -> None:
    if lav.stato == "fatto":
        st.progress(1.0, text="Documenti pronti.")
        st.success("Documenti generati: scaricali qui sotto.", icon=":material/task_alt:")
    elif lav.stato == "annullato":
        st.info("Generazione annullata: nessun documento di quella generazione è stato salvato.",
                icon=":material/cancel:")
    else:
        st.error(f"I documenti non sono stati generati: {ui.md(lav.errore or 'errore sconosciuto')}.",
                 icon=":material/error:")


def _testo_avanzamento(lav: lavori.Lavoro) -> str:
    if lav.annulla:
        return "Annullamento richiesto: mi fermo prima del prossimo documento…"
    if lav.stato == "in_coda":
        prima = (f" ({lav.posizione} {'generazione' if lav.posizione == 1 else 'generazioni'} prima di questa)"
                 if lav.posizione else "")
        return f"{STATI_LAVORO.etichetta(lav.stato)}{prima}: parte appena un esecutore è libero…"
    if lav.descrizione and lav.fatti < lav.totale:
        dentro = ""
        if lav.dettaglio_totale > 1 and lav.dettaglio_fatti < lav.dettaglio_totale:
            dentro = f" · file {lav.dettaglio_fatti + 1} di {lav.dettaglio_totale}"
        elif lav.dettaglio_totale and lav.dettaglio_fatti >= lav.dettaglio_totale and lav.dettaglio:
            dentro = f" · {lav.dettaglio}"
        return f"Genero «{lav.descrizione}» ({lav.fatti + 1} di {lav.totale}){dentro}…"
    if lav.totale and lav.fatti >= lav.totale:
        return "Scrivo i file…"
    return "Preparo i documenti…"


@st.fragment(run_every=_OGNI)
def _avanzamento(codice: str, lavoro_id: int) -> None:
    """Rilegge lo stato ogni secondo; quando il lavoro finisce ridisegna tutta la pagina."""
    try:
        lav = lavori.lavoro(lavoro_id, attore=ui.attore())
    except lavori.ErroreLavori:
        st.rerun()
        return
    if not lav.attivo:
        st.session_state.setdefault(_seguito(codice), lav.id)
        st.rerun()
        return
    campi.sezione("Generazione in corso")
    st.progress(lav.frazione, text=_testo_avanzamento(lav))
    st.caption(f"{STATI_LAVORO.etichetta(lav.stato)} · chiesta da {ui.md(lav.autore)} il {ui.quando(lav.creato_il)} · "
               "puoi lasciare la pagina o ricaricarla: la generazione continua e il risultato compare qui.")
    if (lav.stato == "in_coda" and not lavori.esecutore_nell_app()
            and (dt.datetime.now(dt.timezone.utc) - lav.creato_il).total_seconds() > _ATTESA_SOSPETTA):
        st.warning("La generazione è in coda da più di un minuto: controlla che sia avviato almeno un esecutore "
                   "(cer-docs worker) collegato a questo database.", icon=":material/warning:")
    if lav.annulla or ui.vietato(codice, "genera"):
        return
    chiave = f"conferma-annulla-{lav.id}"
    if not st.session_state.get(chiave):
        st.button("Annulla", icon=":material/cancel:", key=f"annulla-{lav.id}", on_click=_conferma,
                  args=(chiave, True))
        return
    st.warning("Vuoi davvero annullare la generazione? I documenti già preparati in questa generazione non "
               "saranno salvati; le generazioni precedenti restano.", icon=":material/help:")
    c1, c2 = st.columns(2)
    c1.button("Sì, annulla la generazione", type="primary", key=f"annulla-si-{lav.id}", on_click=_annulla,
              args=(lav.id, chiave))
    c2.button("No, continua", key=f"annulla-no-{lav.id}", on_click=_conferma, args=(chiave, False))


def _conferma(chiave: str, chiesta: bool) -> None:
    if chiesta:
        st.session_state[chiave] = True
    else:
        st.session_state.pop(chiave, None)


def _annulla(lavoro_id: int, chiave: str) -> None:
    st.session_state.pop(chiave, None)
    try:
        lavori.annulla(lavoro_id, attore=ui.attore())
    except lavori.ErroreLavori:
        pass  # è finita nel frattempo: la pagina mostra l'esito
    except AccessoNegato as e:
        st.session_state[_ERRORE_ANNULLA] = str(e)


def _scaricato(codice: str, nome: str) -> None:
    """I documenti generati contengono dati personali: scaricarli è un evento del registro."""
    archivio.registra_evento(codice, "scaricamento", f"scaricato il documento generato «{nome}»",
                             attore=ui.attore(), autore=ui.autore(), dettagli={"nome_file": nome})


def _mostra_generazione(lavoro: ui.Lavoro, gen: proc.Generazione) -> None:
    campi.sezione("Documenti generati")
    if ui.vietato(lavoro.codice, "scarica"):
        st.info("Il tuo ruolo su questa pratica non permette di scaricare i documenti.", icon=":material/lock:")
        return
    quando = ui.quando(gen.creata_il.astimezone()) if gen.creata_il else "data sconosciuta"
    st.caption(f"{'Bozza' if gen.bozza else 'Versione definitiva'} · generati il {quando} · regole al "
               f"{data_lunga(gen.al)}" + (f" · versione {gen.versione} della pratica" if gen.versione else ""))
    if gen.versione is not None and gen.versione != lavoro.aperta.versione:
        st.warning("La pratica è cambiata dopo questa generazione: genera di nuovo i documenti per averli "
                   "aggiornati.", icon=":material/update:")
    for n, a in enumerate(gen.avvisi):
        testo, dest = avviso_e_passo(a)
        st.warning(ui.md(testo), icon=":material/warning:")
        if dest is not None and not ui.vietato(lavoro.codice, "modifica"):
            st.button(f"Correggi in «{dest.titolo}»", key=f"correggi-avviso-{gen.cartella}-{n}", on_click=_correggi,
                      args=(dest,), icon=":material/edit:")
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
