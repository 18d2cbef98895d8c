"""Passo 9 (e pagina Documenti): scegli i documenti, bozza o definitivi, genera, scarica, anteprima.

La generazione è un lavoro in sottofondo (``cer_docs.services.lavori``): il pulsante la mette in
coda e la pagina resta libera. Lo stato e l'avanzamento si leggono dal database, quindi valgono
anche dopo aver ricaricato la pagina o da un altro browser; un frammento li rilegge ogni secondo
finché il lavoro è in coda o in corso e, quando finisce, ridisegna la pagina con il risultato.

I file generati si mostrano per tipo di documento, in riquadri che si disegnano solo aperti; quelli uno
per membro (DSAN, moduli di adesione…) si scelgono da un elenco. Così una pratica con centinaia di membri
(migliaia di file) disegna pochi pulsanti di download, e i loro dati si leggono dal disco solo al clic.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import partial
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
# un tipo di documento con al più tanti file si mostra aperto, file per file; oltre (i documenti uno per
# membro) si sceglie di chi da un elenco: i pulsanti disegnati restano pochi anche con centinaia di membri
_FILE_IN_VISTA = 6
_AVVISI_IN_VISTA = 5            # avvisi del generatore mostrati uno per uno; gli altri in un riquadro da aprire
_MIME = {"pdf": "application/pdf",
         "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
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
    ui.avviso_modifiche_non_salvate(lavoro, "i documenti si generano dalla versione salvata",
                                    "averle nei documenti", chiave=lavoro.chiave("documenti"), vai=_correggi)
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


@dataclass
class _Gruppo:
    """I file di un tipo di documento nella generazione, divisi per oggetto (uno per membro, soggetto…)."""

    documento: str
    titolo: str
    file: list[proc.DocumentoGenerato] = field(default_factory=list)
    per_chi: dict[str, list[proc.DocumentoGenerato]] = field(default_factory=dict)

    @property
    def pagine(self) -> int:
        """Le pagine dei PDF (quelle dei DOCX sono stimate: non si contano)."""
        return sum(f.pagine or 0 for f in self.file if f.formato == "pdf")

    def etichetta(self) -> str:
        parti = [self.titolo]
        if len(self.per_chi) > 1:
            parti.append(plurale(len(self.per_chi), "documento", "documenti"))
        parti.append(plurale(len(self.file), "file", "file"))
        if self.pagine:
            parti.append(plurale(self.pagine, "pagina", "pagine"))
        return " · ".join(parti)


def _chi(f: proc.DocumentoGenerato) -> str:
    """Di chi è il file: l'oggetto del documento o, nelle generazioni che non lo dicono, il nome del
    file senza estensione (il DOCX e il PDF dello stesso documento restano insieme)."""
    return f.oggetto or Path(f.file).stem


def _gruppi(gen: proc.Generazione) -> list[_Gruppo]:
    gruppi: dict[str, _Gruppo] = {}
    for f in gen.file:
        g = gruppi.setdefault(f.documento, _Gruppo(f.documento, f.titolo))
        g.file.append(f)
        g.per_chi.setdefault(_chi(f), []).append(f)
    return list(gruppi.values())


def _riga_file(lavoro: ui.Lavoro, gen: proc.Generazione, f: proc.DocumentoGenerato) -> None:
    """Un file con il suo pulsante: i dati si leggono dal disco soltanto quando si scarica."""
    c1, c2 = st.columns([3, 1], vertical_alignment="center")
    pagine = f" · {plurale(f.pagine, 'pagina', 'pagine')}" if f.pagine and f.formato == "pdf" else ""
    c1.markdown(f"**{f.formato.upper()}**{pagine}  \n`{ui.md(f.file)}`")  # il titolo è nel riquadro
    c2.download_button("Scarica", data=partial(proc.leggi_file_generato, gen, f), file_name=f.file,
                       mime=_MIME.get(f.formato), icon=":material/download:", on_click=_scaricato,
                       args=(lavoro.codice, f.file), key=f"scarica-{Path(gen.cartella).name}-{f.percorso}",
                       width="stretch")


def _mostra_gruppo(lavoro: ui.Lavoro, gen: proc.Generazione, g: _Gruppo) -> None:
    """Un tipo di documento in un riquadro che si apre. Il contenuto si disegna solo a riquadro aperto;
    i documenti uno per membro (o per soggetto) si scelgono da un elenco: così la pagina disegna
    pochi pulsanti anche con centinaia di membri."""
    cartella = Path(gen.cartella).name
    pochi = len(g.file) <= _FILE_IN_VISTA
    riquadro = st.expander(g.etichetta(), expanded=pochi, key=f"gruppo-{cartella}-{g.documento}", on_change="rerun",
                           icon=":material/description:")
    if not riquadro.open:
        return
    with riquadro:
        if pochi:
            for f in g.file:
                _riga_file(lavoro, gen, f)
            return
        nomi = {chi: _nome(lavoro, chi, fs) for chi, fs in g.per_chi.items()}
        volte = Counter(nomi.values())
        nomi = {chi: (f"{n} ({chi})" if volte[n] > 1 else n) for chi, n in nomi.items()}  # omonimi: anche il codice
        chi = st.selectbox("A chi si riferisce", list(nomi), format_func=nomi.get,
                           key=f"scelta-{cartella}-{g.documento}",
                           help="Scrivi parte del nome per cercarlo nell'elenco.")
        for f in g.per_chi.get(chi, []):
            _riga_file(lavoro, gen, f)
        nome_zip = f"{g.documento.replace('_', '-')}-{lavoro.codice}.zip"
        st.download_button(f"Scarica tutti i {plurale(len(g.file), 'file', 'file')} (ZIP)",
                           data=partial(proc.archivio_zip, gen, g.documento), file_name=nome_zip,
                           mime="application/zip", icon=":material/folder_zip:", on_click=_scaricato,
                           args=(lavoro.codice, nome_zip), key=f"zip-{cartella}-{g.documento}")


def _nome(lavoro: ui.Lavoro, chi: str, file: list[proc.DocumentoGenerato]) -> str:
    """Il nome di chi riguarda il documento, preso dalla pratica; se la pratica non lo ha più, il file."""
    nome = proc.nome_oggetto(lavoro.pratica, file[0].oggetto) if file[0].oggetto else None
    return nome or chi


def _avviso(lavoro: ui.Lavoro, gen: proc.Generazione, n: int, testo: str, dest: proc.Destinazione | None) -> None:
    st.warning(ui.md(testo), icon=":material/warning:")
    if dest is not None and not ui.vietato(lavoro.codice, "modifica"):
        st.button(f"Correggi in «{dest.titolo}»", key=f"correggi-avviso-{gen.cartella}-{n}", on_click=_correggi,
                  args=(dest,), icon=":material/edit:")


def _mostra_avvisi(lavoro: ui.Lavoro, gen: proc.Generazione) -> None:
    """I primi avvisi del generatore uno per uno; gli altri (con molti membri anche uno per modulo) in
    un riquadro che si disegna solo quando lo si apre, in un elenco unico."""
    avvisi = [(n, *avviso_e_passo(a)) for n, a in enumerate(gen.avvisi)]
    for n, testo, dest in avvisi[:_AVVISI_IN_VISTA]:
        _avviso(lavoro, gen, n, testo, dest)
    altri = avvisi[_AVVISI_IN_VISTA:]
    if not altri:
        return
    etichetta = "Un altro avviso" if len(altri) == 1 else f"Altri {len(altri)} avvisi"
    riquadro = st.expander(etichetta, key=f"avvisi-{Path(gen.cartella).name}",
                           on_change="rerun", icon=":material/warning:")
    if not riquadro.open:
        return
    with riquadro:
        for n, testo, dest in altri:
            if dest is not None:
                _avviso(lavoro, gen, n, testo, dest)
        elenco = [testo for _, testo, dest in altri if dest is None]
        if elenco:
            st.warning("\n".join(f"- {ui.md(t)}" for t in elenco), icon=":material/warning:")


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
    _mostra_avvisi(lavoro, gen)
    st.download_button("Scarica tutto (ZIP)", data=partial(proc.archivio_zip, gen),
                       file_name=f"documenti-{lavoro.codice}.zip", mime="application/zip",
                       icon=":material/folder_zip:", type="primary", on_click=_scaricato,
                       args=(lavoro.codice, f"documenti-{lavoro.codice}.zip"), key=f"zip-{Path(gen.cartella).name}")
    gruppi = _gruppi(gen)
    pdf = gen.pdf()
    st.caption(f"{plurale(len(gen.file), 'file', 'file')} in {plurale(len(gruppi), 'tipo', 'tipi')} di documento"
               + (f", {plurale(sum(f.pagine or 0 for f in pdf), 'pagina', 'pagine')} in PDF" if pdf else "")
               + ": apri un tipo per scaricarne i file; i documenti uno per membro si scelgono da un elenco.")
    for g in gruppi:
        _mostra_gruppo(lavoro, gen, g)
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
