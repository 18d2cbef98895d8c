"""Pratiche: elenco, nuova pratica, importazione di un file pratica, esportazione, duplicazione, eliminazione."""

from __future__ import annotations

import streamlit as st

from cer_docs.italiano import plurale
from cer_docs.model import ErrorePratica
from cer_docs.services import accesso, archivio, avvio, utenti
from cer_docs.services import procedura as proc
from ui import componenti as ui

_TIPI = proc.ETICHETTE_TIPO_CONFIGURAZIONE


ESEMPIO = "cer-colline-sieve"  # la pratica d'esempio che si apre con «Apri un esempio» (quella di riferimento)


def _apri_esempio() -> None:
    """Callback: carica gli esempi (se mancano) e apre quello di riferimento nella procedura guidata."""
    _carica_esempi()
    voce = next((v for v in archivio.elenco_pratiche(attore=ui.attore()) if v.codice == ESEMPIO), None)
    if voce is None:
        return
    ui.imposta_pratica(voce.codice, voce.versione)
    st.session_state[ui.CHIAVE_VAI_A] = "comunita"
    st.session_state["_vai_a_procedura"] = voce.codice
    ui.messaggio_flash(f"Aperta la pratica d'esempio «{voce.denominazione}»: scorri i passi per vedere come "
                       "funziona. Le modifiche restano in questa copia.")


def _benvenuto(voci: list[archivio.VocePratica]) -> bool:
    """La prima cosa da fare, in cima: nuova pratica o esempio; poi i passi che aspettano.
    Restituisce True se l'utente ha chiesto una pratica nuova."""
    if not voci:
        st.markdown("Prepara i documenti di una **comunità energetica rinnovabile** (o di un gruppo di "
                    "autoconsumatori) passo per passo: dati dell'ente, membri e POD, impianti, referente, statuto, "
                    "verifica delle regole e documenti pronti per il notaio e il GSE.")
    c1, c2 = st.columns(2)
    c1.button("Nuova pratica", type="primary", icon=":material/add_circle:", width="stretch", key="home-nuova",
              on_click=lambda: st.session_state.update({"_nuova_aperta": True}))
    c2.button("Apri un esempio", icon=":material/library_books:", width="stretch", on_click=_apri_esempio,
              key="home-esempio", help="Carica le pratiche d'esempio e apre quella di riferimento.")
    if not voci:
        with st.expander("I passi che ti aspettano", icon=":material/route:", expanded=True):
            st.markdown("\n".join(f"{i}. **{ui.md(p.titolo)}** — {ui.md(p.descrizione)}"
                                   for i, p in enumerate(proc.PASSI, start=1)))
            st.caption("Ogni passo si salva quando lo confermi; ciò che scrivi e non salvi resta lì finché non "
                       "torni. Puoi fermarti e riprendere quando vuoi.")
    return bool(st.session_state.get("_nuova_aperta"))


def _carica_esempi() -> None:
    try:
        importati = avvio.carica_esempi(attore=ui.attore())
    except (ErrorePratica, archivio.ErroreArchivio) as e:
        st.session_state["_errore_pratiche"] = f"Gli esempi non sono stati caricati: {e}"
        return
    ui.messaggio_flash(f"Esempi caricati: {plurale(len(importati), 'pratica', 'pratiche')}." if importati
                       else "Gli esempi erano già tutti nell'archivio.")


def _elenco(voci: list[archivio.VocePratica]) -> None:
    righe = [{
        "Denominazione": v.denominazione,
        "Tipo": v.tipo_configurazione or "—",
        "Stato": proc.ETICHETTE_STATO.get(v.stato, v.stato),
        "Membri": v.numero_membri,
        "Ultima modifica": ui.quando(v.aggiornata_il),
        "Codice": v.codice,
    } for v in voci]
    cc = st.column_config
    st.dataframe(righe, hide_index=True, width="stretch",
                 column_config={"Denominazione": cc.TextColumn(width="large"), "Tipo": cc.TextColumn(width="small"),
                                "Membri": cc.NumberColumn(format="%d", width="small")})


def _azioni(voci: list[archivio.VocePratica]) -> None:
    codici = [v.codice for v in voci]
    attuale = ui.codice_corrente()
    etichette = {v.codice: f"{v.denominazione} ({v.codice})" for v in voci}
    codice = st.selectbox("Pratica selezionata", codici, index=codici.index(attuale) if attuale in codici else 0,
                          format_func=etichette.get, key="pratiche-scelta")
    voce = next(v for v in voci if v.codice == codice)
    chi = ui.attore()
    c1, c2, c3 = st.columns(3)
    if c1.button("Apri nella procedura guidata", type="primary", icon=":material/checklist:", width="stretch"):
        ui.imposta_pratica(voce.codice, voce.versione)
        st.session_state.pop("passo", None)
        ui.vai_a("procedura", pratica=voce.codice, passo="comunita")
    if c2.button("Verifica", icon=":material/fact_check:", width="stretch"):
        ui.imposta_pratica(voce.codice, voce.versione)
        ui.vai_a("verifiche", pratica=voce.codice)
    if c3.button("Documenti", icon=":material/description:", width="stretch"):
        ui.imposta_pratica(voce.codice, voce.versione)
        ui.vai_a("documenti", pratica=voce.codice)

    # in modalità server si mostrano solo i comandi che il ruolo permette (i servizi controllano comunque)
    puo_esportare = chi is None or archivio.puo(codice, "esporta", attore=chi)
    puo_eliminare = chi is None or archivio.puo(codice, "cancella", attore=chi)
    if puo_esportare:
        _esporta_e_duplica(codice, voce, codici, chi)
    if puo_eliminare:
        _elimina(codice, voce, chi)
    if chi is not None:
        _condivisione(codice, chi)

    with st.expander("Registro delle modifiche", icon=":material/history:"):
        eventi = archivio.eventi(codice, attore=chi)
        for ev in reversed(eventi[-30:]):
            st.markdown(f"**{ui.quando(ev.quando)}** · {ui.md(ev.autore)} · {ui.md(ev.descrizione)}")
        if len(eventi) > 30:
            altre = len(eventi) - 30
            st.caption("… e un'altra modifica più vecchia." if altre == 1 else
                       f"… e altre {altre} modifiche più vecchie.")


def _esporta_e_duplica(codice: str, voce: archivio.VocePratica, codici: list[str], chi: accesso.Attore | None) -> None:
    c1, c2 = st.columns(2)
    # il file si prepara solo al clic: una pratica da 10.000 membri non rallenta la pagina
    c1.download_button("Esporta in YAML", data=lambda: archivio.esporta(codice, "yaml", attore=chi).encode("utf-8"),
                       file_name=f"{codice}.yaml", mime="application/yaml", icon=":material/download:",
                       on_click="ignore", width="stretch", key=f"esporta-yaml-{codice}-{voce.versione}")
    c2.download_button("Esporta in JSON", data=lambda: archivio.esporta(codice, "json", attore=chi).encode("utf-8"),
                       file_name=f"{codice}.json", mime="application/json", icon=":material/download:",
                       on_click="ignore", width="stretch", key=f"esporta-json-{codice}-{voce.versione}")

    with st.expander("Duplica", icon=":material/content_copy:"):
        with st.form(f"form-duplica-{codice}", border=False):
            nuovo = st.text_input("Codice della copia", value=proc.suggerisci_codice(f"{codice}-copia", codici),
                                  key=f"duplica-codice-{codice}")
            if st.form_submit_button("Duplica la pratica", icon=":material/content_copy:"):
                try:
                    copia = archivio.duplica(codice, nuovo.strip(), autore=ui.autore(), attore=chi)
                except (archivio.ErroreArchivio, ErrorePratica) as e:
                    st.error(f"Non duplicata: {ui.md(e)}.")
                else:
                    ui.imposta_pratica(copia.codice, copia.versione)
                    ui.messaggio_flash(f"Creata la copia «{copia.codice}».")
                    st.rerun()


def _elimina(codice: str, voce: archivio.VocePratica, chi: accesso.Attore | None) -> None:
    with st.expander("Elimina", icon=":material/delete:"):
        if st.session_state.get("conferma-elimina") != codice:
            st.caption("L'eliminazione toglie i dati della pratica dall'archivio; il registro delle modifiche resta "
                       "conservato per il periodo previsto, con chi l'ha eliminata e quando.")
            if st.button("Elimina questa pratica…", key=f"elimina-{codice}", icon=":material/delete:"):
                st.session_state["conferma-elimina"] = codice
                st.rerun()
        else:
            st.warning(f"Vuoi davvero eliminare «{ui.md(voce.denominazione)}» ({ui.md(codice)})? Non si può annullare: "
                       "se ti serve ancora, esportala prima.", icon=":material/warning:")
            c1, c2 = st.columns(2)
            if c1.button("Sì, elimina definitivamente", icon=":material/delete_forever:",
                         key=f"conferma-elimina-{codice}"):
                st.session_state.pop("conferma-elimina", None)
                try:
                    archivio.elimina(codice, autore=ui.autore(), attore=chi)
                except (archivio.ErroreArchivio, accesso.AccessoNegato) as e:
                    st.error(f"Non eliminata: {ui.md(e)}.")
                else:
                    if ui.codice_corrente() == codice:
                        ui.dimentica_pratica()
                    ui.messaggio_flash(f"Pratica «{codice}» eliminata.")
                    st.rerun()
            if c2.button("Annulla", key=f"annulla-elimina-{codice}"):
                st.session_state.pop("conferma-elimina", None)
                st.rerun()


def _condivisione(codice: str, chi: accesso.Attore) -> None:
    """Chi ha accesso alla pratica; il titolare (o l'amministratore) dà e toglie i ruoli."""
    with st.expander("Condivisione", icon=":material/group:"):
        persone = utenti.condivisioni_pratica(codice, attore=chi)
        for username, nome, ruolo in persone:
            st.markdown(f"**{ui.md(nome)}** ({ui.md(username)}) · {ui.md(accesso.ETICHETTE_RUOLO.get(ruolo, ruolo))}")
        if not persone:
            st.caption("La pratica non è ancora condivisa con nessuno.")
        if not archivio.puo(codice, "condividi", attore=chi):
            st.caption("Solo il titolare della pratica o un amministratore può cambiare la condivisione.")
            return
        with st.form(f"form-condividi-{codice}", border=False):
            c1, c2 = st.columns(2)
            username = c1.text_input("Nome utente", key=f"condividi-utente-{codice}")
            ruolo = c2.selectbox("Ruolo", ["—", *accesso.RUOLI], key=f"condividi-ruolo-{codice}",
                                 format_func=lambda r: "Togli l'accesso" if r == "—" else accesso.ETICHETTE_RUOLO[r])
            if st.form_submit_button("Aggiorna la condivisione", icon=":material/person_add:"):
                try:
                    utenti.condividi_pratica(codice, username, None if ruolo == "—" else ruolo, attore=chi)
                except (utenti.ErroreUtenti, accesso.AccessoNegato, ValueError) as e:
                    st.error(f"Condivisione non cambiata: {ui.md(e)}.")
                else:
                    ui.messaggio_flash(f"Condivisione aggiornata per {username}.")
                    st.rerun()


def _nuova(codici: list[str], aperta: bool) -> None:
    if not aperta:
        return
    with st.container(border=True):
        st.markdown("#### Nuova pratica")
        st.button("Chiudi", key="nuova-chiudi", icon=":material/close:",
                  on_click=lambda: st.session_state.update({"_nuova_aperta": False}))
        with st.form("form-nuova-pratica", border=False):
            denominazione = st.text_input("Denominazione", placeholder="Comunità Energetica Rinnovabile del Borgo",
                                          key="nuova-denominazione")
            c1, c2 = st.columns(2)
            tipo = c1.selectbox("Tipo", list(_TIPI), format_func=_TIPI.get, key="nuova-tipo")
            stato = c2.selectbox("Stato", list(proc.ETICHETTE_STATO), format_func=proc.ETICHETTE_STATO.get,
                                 key="nuova-stato")
            codice = st.text_input("Codice della pratica (facoltativo)", key="nuova-codice",
                                   help="Breve, senza spazi: compare nei nomi dei file e nel collegamento. Se lo "
                                        "lasci vuoto lo ricavo dalla denominazione.")
            crea = st.form_submit_button("Crea e apri la procedura guidata", type="primary", icon=":material/add:")
        if crea:
            codice = codice.strip() or (proc.suggerisci_codice(denominazione, codici) if denominazione.strip() else "")
            try:
                pratica = proc.nuova_pratica(codice, denominazione, tipo, stato, ui.oggi())
                aperta = archivio.importa_pratica(pratica, autore=ui.autore(), attore=ui.attore())
            except proc.ErrorePasso as e:
                ui.mostra_problemi(e)
                return
            except (archivio.ErroreArchivio, ErrorePratica) as e:
                st.error(f"Non creata: {ui.md(e)}.")
                return
            ui.imposta_pratica(aperta.codice, aperta.versione)
            st.session_state.pop("passo", None)
            st.session_state["_nuova_aperta"] = False
            ui.messaggio_flash(f"Pratica «{aperta.codice}» creata: inizia dai dati della comunità.")
            ui.vai_a("procedura", pratica=aperta.codice, passo="comunita")


def _importa() -> None:
    with st.expander("Importa un file pratica (YAML o JSON)", icon=":material/upload_file:"):
        file = st.file_uploader("File pratica", type=["yaml", "yml", "json"], key="importa-pratica")
        sostituisci = st.checkbox("Se esiste già una pratica con lo stesso codice, sostituiscila",
                                  key="importa-sostituisci")
        if file is None:
            return
        if st.button("Importa", type="primary", icon=":material/upload:", key="importa-conferma"):
            try:
                pratica = proc.leggi_pratica_caricata(file.getvalue(), file.name)
                aperta = archivio.importa_pratica(pratica, autore=ui.autore(), sostituisci=sostituisci,
                                                  attore=ui.attore())
            except ErrorePratica as e:
                ui.mostra_problemi_pratica(e, f"Il file «{file.name}» non è stato importato: nulla è stato salvato.")
                return
            except (archivio.ErroreArchivio, accesso.AccessoNegato) as e:
                st.error(f"Il file «{ui.md(file.name)}» non è stato importato: {ui.md(e)}.")
                return
            ui.imposta_pratica(aperta.codice, aperta.versione)
            ui.messaggio_flash(f"Importata la pratica «{aperta.codice}» da {file.name}.")
            st.rerun()


def corpo() -> None:
    destinazione = st.session_state.pop("_vai_a_procedura", None)
    if destinazione:
        ui.vai_a("procedura", pratica=destinazione, passo="comunita")
    st.title("Pratiche")
    ui.mostra_flash()
    errore = st.session_state.pop("_errore_pratiche", None)
    if errore:
        st.error(ui.md(errore))
    voci = archivio.elenco_pratiche(attore=ui.attore())
    crea = _benvenuto(voci)
    _nuova([v.codice for v in voci], aperta=crea)
    if not voci:
        _importa()
        return
    st.divider()
    st.caption(f"{len(voci)} {'pratica' if len(voci) == 1 else 'pratiche'} nell'archivio.")
    _elenco(voci)
    _azioni(voci)
    _importa()


ui.esegui(corpo)
