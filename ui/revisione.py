"""Pagina Documenti, scheda «Versioni e revisione»: il file modificato dall'avvocato entra nella
pratica, si vede che cosa è cambiato clausola per clausola, si controlla, si rigenera senza
perdere le modifiche. Tutto passa da ``cer_docs.services.revisione``."""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from cer_docs.italiano import plurale
from cer_docs.services import revisione as svc
from ui import campi
from ui import componenti as ui

MIME = {"docx": svc.MIME_DOCX, "pdf": "application/pdf"}
_ESITI = {"modificata": "Modificata", "aggiunta": "Aggiunta", "rimossa": "Rimossa", "spostata": "Spostata",
          "invariata": "Invariata"}
_PLURALI = {"modificata": "modificate", "aggiunta": "aggiunte", "rimossa": "rimosse", "spostata": "spostate",
            "invariata": "invariate"}


def _quante(n: int, esito: str) -> str:
    return f"{n} {esito if n == 1 else _PLURALI[esito]}"
_ORIGINE = {"generato": "Generata", "caricato": "Caricata", "unito": "Unita ai dati nuovi"}
_STILE = """<style>
.cer-diff del {background:#fbe4e4;color:#8a1c1c;text-decoration:line-through;}
.cer-diff ins {background:#e3f4e1;color:#1d5c1a;text-decoration:none;}
.cer-diff {white-space:pre-wrap;font-size:0.95rem;line-height:1.45;}
</style>"""


_DA_SELEZIONARE = "rev-da-selezionare"
_MEMO = "rev-memo"


def _memo(chiave: tuple, calcola):  # noqa: ANN001, ANN202
    """Confronto e controlli di una versione (che non cambia mai) si calcolano una volta per sessione."""
    memo = st.session_state.setdefault(_MEMO, {})
    if chiave not in memo:
        if len(memo) > 20:
            memo.clear()
        memo[chiave] = calcola()
    return memo[chiave]


def _preseleziona(chiave: str, valore: int) -> None:
    """Sceglie ``valore`` nel menu ``chiave`` al prossimo giro (un widget già creato non si cambia)."""
    st.session_state.setdefault(_DA_SELEZIONARE, {})[chiave] = valore


def _applica_preselezione(chiave: str, ammessi) -> None:  # noqa: ANN001
    valore = st.session_state.get(_DA_SELEZIONARE, {}).pop(chiave, None)
    if valore is not None and valore in ammessi:
        st.session_state[chiave] = valore


def _diff_html(diff: list[tuple[str, str]], lato: str) -> str:
    """Il testo di un lato con le parole tolte (originale) o aggiunte (modificato) in evidenza."""
    out = []
    for op, testo in diff:
        t = html.escape(testo)
        if op == "=":
            out.append(t)
        elif op == "-" and lato == "originale":
            out.append(f"<del>{t}</del>")
        elif op == "+" and lato == "modificato":
            out.append(f"<ins>{t}</ins>")
    return "".join(out)


def _testo_html(testo: str | None, segno: str | None = None) -> str:
    if testo is None:
        return "<em>—</em>"
    t = html.escape(testo)
    return f"<{segno}>{t}</{segno}>" if segno else t


def mostra(lavoro: ui.Lavoro) -> None:
    r = svc.revisione()
    documenti = r.documenti(lavoro.codice, attore=ui.attore())
    if not documenti:
        st.info("Questa pratica non ha ancora documenti da far rivedere all'avvocato.", icon=":material/info:")
        return
    titoli = {d["chiave"]: d["titolo"] for d in documenti}
    k = lavoro.chiave
    doc = st.selectbox("Documento", list(titoli), format_func=titoli.get, key=k("rev-documento"))
    versioni = r.versioni(lavoro.codice, doc, attore=ui.attore())
    _versioni(r, lavoro, doc, versioni)
    _carica(r, lavoro, doc)
    docx = [v for v in versioni if v.tipo == "docx" and v.base_id is not None]
    if docx:
        _confronto(r, lavoro, docx)
    if any(v.origine in ("caricato", "unito") and v.tipo == "docx" for v in versioni):
        _unione(r, lavoro, doc)


def _versioni(r: svc.Revisione, lavoro: ui.Lavoro, doc: str, versioni: list[svc.VersioneDocumento]) -> None:
    campi.sezione("Versioni")
    k = lavoro.chiave
    if not versioni:
        st.caption("Nessuna versione conservata: archivia quella generata oggi e mandala all'avvocato, oppure "
                   "carica direttamente il file che ti ha restituito.")
    else:
        st.dataframe(pd.DataFrame([{
            "Versione": v.versione, "Origine": _ORIGINE.get(v.origine, v.origine), "Formato": v.tipo.upper(),
            "Caricata il": ui.quando(v.caricato_il), "Da": v.autore, "Firmata": "sì" if v.firmato else "",
            "File": v.nome_file, "Nota": v.nota or "", "Impronta": v.sha256[:12]} for v in versioni]),
            hide_index=True, width="stretch")
        per_id = {v.id: v for v in versioni}
        _applica_preselezione(k("rev-versione"), per_id)
        c1, c2, c3 = st.columns([2, 1, 1], vertical_alignment="bottom")
        scelta = c1.selectbox("Versione", list(per_id)[::-1], format_func=lambda i: per_id[i].descrizione,
                              key=k("rev-versione"))
        v = per_id[scelta]
        c2.download_button("Scarica", data=r.contenuto(lavoro.codice, v.id, attore=ui.attore()), file_name=v.nome_file,
                           mime=MIME.get(v.tipo), icon=":material/download:", on_click="ignore",
                           key=k(f"rev-scarica-{v.id}"), width="stretch")
        if c3.button("Segna come firmata", key=k("rev-firmata"), disabled=v.firmato, width="stretch",
                     icon=":material/signature:"):
            r.segna_firmata(lavoro.codice, v.id, attore=ui.attore() or ui.autore())
            ui.messaggio_flash(f"La versione {v.versione} è segnata come quella firmata.")
            st.rerun()
    if st.button("Archivia la versione generata dai dati attuali", key=k("rev-archivia"),
                 icon=":material/inventory_2:"):
        try:
            v = r.archivia_generato(lavoro.codice, doc, al=ui.oggi(), attore=ui.attore() or ui.autore())
        except svc.ErroreRevisione as e:
            st.error(ui.md(e))
            return
        ui.messaggio_flash(f"Versione {v.versione} archiviata: scaricala e mandala all'avvocato.")
        _preseleziona(k("rev-versione"), v.id)
        st.rerun()


def _carica(r: svc.Revisione, lavoro: ui.Lavoro, doc: str) -> None:
    campi.sezione("Carica il file dell'avvocato")
    k = lavoro.chiave
    file = st.file_uploader("File modificato (DOCX, oppure PDF solo da leggere)", type=["docx", "pdf"],
                            key=k("rev-file"))
    nota = st.text_input("Nota (facoltativa)", key=k("rev-nota"), placeholder="es. bozza del notaio del 3 marzo")
    if file is None:
        return
    if st.button("Carica come nuova versione", type="primary", icon=":material/upload_file:", key=k("rev-carica")):
        try:
            esito = r.carica(lavoro.codice, file.name, file.getvalue(), documento=doc, attore=ui.attore() or ui.autore(),
                             al=ui.oggi(), nota=nota or None)
        except svc.ErroreRevisione as e:
            st.error(f"Il file non è stato caricato: {ui.md(e)}", icon=":material/error:")
            return
        testo = f"«{file.name}» conservato come versione {esito.versione.versione}."
        if esito.confronto is not None:
            cambi = {e: n for e, n in esito.confronto.conteggio().items() if n and e != "invariata"}
            testo += " Rispetto alla versione di partenza: " + (
                ", ".join(_quante(n, e) for e, n in cambi.items()) or "nessuna modifica") + "."
        ui.messaggio_flash(testo)
        _preseleziona(k("rev-versione-confronto"), esito.versione.id)
        _preseleziona(k("rev-versione"), esito.versione.id)
        st.rerun()


def _confronto(r: svc.Revisione, lavoro: ui.Lavoro, docx: list[svc.VersioneDocumento]) -> None:
    campi.sezione("Che cosa è cambiato")
    k = lavoro.chiave
    per_id = {v.id: v for v in docx}
    chiave = k("rev-versione-confronto")
    _applica_preselezione(chiave, per_id)
    if st.session_state.get(chiave) not in per_id:
        st.session_state[chiave] = docx[-1].id
    scelta = st.selectbox("Versione da confrontare con quella da cui viene", list(per_id)[::-1],
                          format_func=lambda i: per_id[i].descrizione, key=chiave)
    v = per_id[scelta]
    base = next((x for x in docx if x.id == v.base_id), None)
    c = _memo(("confronto", lavoro.codice, v.id, v.sha256), lambda: r.confronta(lavoro.codice, v.id, attore=ui.attore()))
    st.caption(f"Versione {v.versione} confrontata con la versione "
               f"{base.versione if base else v.base_id}, clausola per clausola.")
    for a in c.avvisi:
        st.warning(ui.md(ui.frase(a)), icon=":material/warning:")
    conteggio = c.conteggio()
    st.markdown(" · ".join(f"**{n}** {_quante(n, e).split(' ', 1)[1]}" for e, n in conteggio.items()))
    st.download_button("Scarica la redline (DOCX con revisioni)", data=lambda: r.redline(lavoro.codice, v.id, attore=ui.attore() or ui.autore()),
                       file_name=f"redline-{v.documento.replace(':', '-')}-v{v.versione}.docx", mime=svc.MIME_DOCX,
                       icon=":material/difference:", on_click="ignore", key=k(f"rev-redline-{v.id}"))
    tutte = st.toggle("Mostra anche le clausole invariate", key=k("rev-tutte"))
    st.markdown(_STILE, unsafe_allow_html=True)
    for e in c.voci:
        if e.esito == "invariata" and not tutte:
            continue
        etichetta = f"**{_ESITI[e.esito]}** · {ui.md(e.descrizione)}"
        if e.articolo:
            etichetta += f" · {ui.md(e.articolo)}"
        if e.anche_modificata:
            etichetta += " · anche il testo è cambiato"
        riquadro = st.container(border=True)
        riquadro.markdown(etichetta)
        if e.nota:
            riquadro.caption(ui.frase(e.nota))
        sx, dx = riquadro.columns(2)
        if e.differenze:
            o, m = _diff_html(e.differenze, "originale"), _diff_html(e.differenze, "modificato")
        else:
            o = _testo_html(e.originale.testo if e.originale else None, "del" if e.esito == "rimossa" else None)
            m = _testo_html(e.modificata.testo if e.modificata else None, "ins" if e.esito == "aggiunta" else None)
        sx.markdown(f"<div class='cer-diff'><b>Prima</b><br>{o}</div>", unsafe_allow_html=True)
        dx.markdown(f"<div class='cer-diff'><b>Dopo</b><br>{m}</div>", unsafe_allow_html=True)
    # i controlli dipendono anche dai dati della pratica: la chiave porta la versione della pratica
    rilievi = _memo(("verifica", lavoro.codice, v.id, v.sha256, lavoro.aperta.versione, ui.oggi()),
                    lambda: r.verifica(lavoro.codice, v.id, al=ui.oggi(), attore=ui.attore()))
    campi.sezione("Controlli sul testo")
    problemi = [x for x in rilievi if x.gravita != "info"]
    if not problemi:
        st.success("Elementi essenziali e dati della pratica: nessun problema nel testo.", icon=":material/task_alt:")
    for x in problemi:
        (st.error if x.gravita == "errore" else st.warning)(ui.md(x.messaggio))
    info = [x for x in rilievi if x.gravita == "info"]
    if info:
        with st.expander(f"Elementi essenziali trovati ({len(info)})"):
            for x in info:
                st.markdown(f"- {ui.md(x.messaggio)}")


def _unione(r: svc.Revisione, lavoro: ui.Lavoro, doc: str) -> None:
    campi.sezione("Rigenera dai dati attuali senza perdere le modifiche")
    k = lavoro.chiave
    st.caption("Le clausole che l'avvocato non ha toccato prendono il testo con i dati attuali; quelle che ha "
               "cambiato restano sue. Se sono cambiate tutte e due, scegli tu quale tenere. Il risultato è una "
               "versione nuova: nessuna versione viene sovrascritta.")
    aperta = k("rev-unione-aperta")
    if st.button("Rigenera e unisci", icon=":material/merge:", key=k("rev-unisci")):
        st.session_state[aperta] = True
    if not st.session_state.get(aperta):
        return
    scelte: dict[str, str] = {}
    prova = r.unisci(lavoro.codice, doc, {}, al=ui.oggi(), attore=ui.attore() or ui.autore())
    if prova.versione is not None or prova.nulla_da_unire:
        st.session_state[aperta] = False
        _esito_unione(prova, k("rev-versione-confronto"))
        return
    n = len(prova.unione.conflitti)
    st.warning(("Una clausola è cambiata sia nel testo dell'avvocato sia nei dati: scegli quale testo tenere."
                if n == 1 else f"{n} clausole sono cambiate sia nel testo dell'avvocato sia nei dati: scegli per "
                               "ciascuna quale testo tenere."), icon=":material/call_split:")
    for v in prova.unione.conflitti:
        dove = f"{ui.md(v.articolo)} · " if v.articolo else ""   # l'articolo, come lo trova l'avvocato
        st.markdown(f"**Conflitto** · {dove}{ui.md(v.tipo)} {ui.md(v.id)}")
        sx, dx = st.columns(2)
        sx.markdown(f"<div class='cer-diff'><b>Testo dell'avvocato</b><br>{_testo_html(v.testo_avvocato)}</div>",
                    unsafe_allow_html=True)
        dx.markdown(f"<div class='cer-diff'><b>Testo generato dai dati attuali</b><br>{_testo_html(v.testo_generato)}</div>",
                    unsafe_allow_html=True)
        scelta = st.radio("Quale testo tenere?", list(svc.SCELTE), index=None, horizontal=True,
                          format_func={"avvocato": "Quello dell'avvocato", "generato": "Quello generato"}.get,
                          key=k(f"rev-scelta-{v.segnalibro}"))
        if scelta:
            scelte[v.segnalibro] = scelta
    mancano = len(prova.unione.conflitti) - len(scelte)
    if st.button("Unisci con queste scelte", type="primary", key=k("rev-unisci-scelte"), disabled=bool(mancano),
                 help=f"Mancano {mancano} scelte" if mancano else None):
        esito = r.unisci(lavoro.codice, doc, scelte, al=ui.oggi(), attore=ui.attore() or ui.autore())
        st.session_state[aperta] = False
        _esito_unione(esito, k("rev-versione-confronto"))


def _esito_unione(esito: svc.EsitoUnioneVersioni, chiave_confronto: str) -> None:
    if esito.nulla_da_unire:
        st.info("I dati attuali non cambiano il testo: la versione dell'avvocato è già aggiornata.",
                icon=":material/info:")
        return
    if esito.versione is None:
        st.error("Restano conflitti senza scelta: nulla è stato scritto.")
        return
    u = esito.unione
    aggiornate = sum(1 for v in u.voci if v.esito == "aggiornata")
    tenute = sum(1 for v in u.voci if v.esito == "tenuta_avvocato")
    ui.messaggio_flash(f"Unione conservata come versione {esito.versione.versione}: "
                       f"{plurale(aggiornate, 'clausola aggiornata', 'clausole aggiornate')} con i dati attuali, "
                       f"{plurale(tenute, 'modifica', 'modifiche')} dell'avvocato "
                       f"{'conservata' if tenute == 1 else 'conservate'}, "
                       f"{plurale(len(u.conflitti), 'conflitto risolto', 'conflitti risolti')}.")
    _preseleziona(chiave_confronto, esito.versione.id)
    _preseleziona(chiave_confronto.replace("rev-versione-confronto", "rev-versione"), esito.versione.id)
    st.rerun()
