"""Aiuti dei test dell'interfaccia: ricerca dei widget, download, compilazione della procedura guidata."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path
from typing import Any

from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

RADICE = Path(__file__).resolve().parents[2]
APP = RADICE / "ui" / "app.py"
CAMPIONI = RADICE / "samples"


class ArchivioMedia(MemoryMediaFileStorage):
    """Tiene l'ultimo archivio dei file scaricabili creato da AppTest, per leggere i download."""

    ultimo: "ArchivioMedia | None" = None

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        type(self).ultimo = self


class GestoreMedia(MediaFileManager):
    """Tiene l'ultimo gestore dei file di AppTest: serve per i download generati al clic (differiti)."""

    ultimo: "GestoreMedia | None" = None

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        type(self).ultimo = self


# --------------------------------------------------------------------------- ricerca dei widget

def per_etichetta(elementi, etichetta: str):
    trovati = [e for e in elementi if getattr(e, "label", None) == etichetta]
    assert trovati, f"nessun elemento con etichetta {etichetta!r}; ci sono: {[getattr(e, 'label', None) for e in elementi]}"
    return trovati[0]


def per_chiave(elementi, chiave: str):
    trovati = [e for e in elementi if getattr(e, "key", None) == chiave]
    assert trovati, f"nessun elemento con chiave {chiave!r}"
    return trovati[0]


def pulsante(at: AppTest, etichetta: str):
    return per_etichetta(list(at.button), etichetta)


def messaggi(at: AppTest, tipo: str = "error") -> list[str]:
    """I testi dei messaggi di un tipo (error, warning, info, success), senza gli escape del markdown."""
    return [re.sub(r"\\(.)", r"\1", e.value) for e in getattr(at, tipo)]


def conteggi(at: AppTest) -> tuple[int, int, int]:
    """Errori, avvisi e informazioni come li mostra il riepilogo (la riga dei contatori)."""
    for m in at.markdown:
        trovato = re.search(r"(\d+) error[ei]\].*?(\d+) avvis[oi]\].*?(\d+) informazion[ei]\]", m.value)
        if trovato:
            return tuple(int(x) for x in trovato.groups())  # type: ignore[return-value]
    raise AssertionError("nessun contatore dei rilievi nella pagina")


def nessun_errore(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not messaggi(at, "error"), messaggi(at, "error")


def apri_passo(at: AppTest, passo: str = "comunita", codice: str = "cer-colline-sieve") -> AppTest:
    """Apre la procedura guidata della pratica ``codice`` al ``passo`` (come un link con i parametri) e
    controlla che la pagina non mostri errori."""
    at.query_params["pratica"] = codice
    at.query_params["passo"] = passo
    at.run()
    at.switch_page("pagine/procedura.py").run()
    nessun_errore(at)
    return at


def _file_del_pulsante(btn) -> tuple[str, bytes]:
    url = btn.proto.url
    if not url and btn.proto.deferred_file_id:          # contenuto generato al clic, come nel browser
        assert GestoreMedia.ultimo is not None
        url = GestoreMedia.ultimo.execute_deferred(btn.proto.deferred_file_id)
    assert url, "il pulsante non ha un file"
    file_id = url.rsplit("/", 1)[1].split(".")[0]
    assert ArchivioMedia.ultimo is not None
    f = ArchivioMedia.ultimo.get_file(file_id)
    return f.filename or "", f.content


def scaricato(at: AppTest, etichetta: str) -> tuple[str, bytes]:
    """Nome e contenuto del file del pulsante di download con questa etichetta."""
    return _file_del_pulsante(per_etichetta(list(at.download_button), etichetta))


def scaricati(at: AppTest) -> list[tuple[str, bytes]]:
    """Nome e contenuto di tutti i pulsanti di download della pagina."""
    return [_file_del_pulsante(btn) for btn in at.download_button]


def contenuto_zip(dati: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(dati)) as z:
        return {n: z.read(n) for n in z.namelist()}


def versione(codice: str) -> int:
    from cer_docs.services import archivio

    return archivio.apri(codice).versione


def chiave(codice: str, nome: str) -> str:
    """La chiave di un widget legata alla versione aperta (come ``Lavoro.chiave``)."""
    return f"{nome}-v{versione(codice)}"


def chiave_griglia(at: AppTest, codice: str, nome: str) -> str:
    """La chiave con cui scrivere le modifiche di una tabella (``st.data_editor``), come fa il browser: quella
    di ``chiave``, con il giro della tabella dopo ogni salvataggio non riuscito (``bozze.chiave_widget``)."""
    k = chiave(codice, nome)
    giri = at.session_state["_bozze_giri"] if "_bozze_giri" in at.session_state else {}
    return f"{k}-r{giri[k]}" if giri.get(k) else k


def iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def scrivi_data(at: AppTest, chiave_campo: str, d: dt.date | str | None):
    """Scrive una data in un campo data (testo «GG/MM/AAAA», come una persona): ``None`` lo svuota."""
    testo = d.strftime("%d/%m/%Y") if isinstance(d, dt.date) else (d or "")
    return at.text_input(key=chiave_campo).input(testo)


def vai_al_passo(at: AppTest, passo: str) -> AppTest:
    at.radio(key="passo").set_value(passo).run()
    return at


def dettaglio_soggetto(at: AppTest, sid: str) -> AppTest:
    """Nel passo «Soggetti e membri»: apre il riquadro «Dettagli di un soggetto» (chiuso non disegna i
    suoi campi) e sceglie il soggetto ``sid``."""
    from ui.passi.soggetti import CHIAVE_DETTAGLIO_APERTO

    if not (CHIAVE_DETTAGLIO_APERTO in at.session_state and at.session_state[CHIAVE_DETTAGLIO_APERTO]):
        at.session_state[CHIAVE_DETTAGLIO_APERTO] = True
        at.run()
    at.selectbox(key="dettaglio-soggetto").set_value(sid).run()
    return at


# --------------------------------------------------------------------------- la procedura guidata, passo per passo

def _senza_vuoti(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None}


def _f(x) -> float | None:
    return None if x is None else float(x)


def _it(x, decimali: int | None = None) -> str:
    """Un numero scritto come lo scrive una persona italiana: «12,5», «10,00»."""
    from cer_docs.italiano import numero

    return "" if x is None else numero(x, decimali)


def crea_pratica_da_vuoto(at: AppTest, ref) -> None:
    """Dall'archivio vuoto: la pagina iniziale, poi «Nuova pratica» con i dati minimi."""
    at.run()
    assert [b.label for b in at.button][:2] == ["Nuova pratica", "Apri un esempio"], [b.label for b in at.button]
    pulsante(at, "Nuova pratica").click().run()
    conf = ref.configurazioni[0]
    at.text_input(key="nuova-denominazione").input(ref.denominazione)
    at.selectbox(key="nuova-tipo").set_value(conf.tipo)
    at.selectbox(key="nuova-stato").set_value(ref.pratica.stato)
    at.text_input(key="nuova-codice").input(ref.pratica.id)
    pulsante(at, "Crea e apri la procedura guidata").click().run()
    nessun_errore(at)
    assert at.header[0].value == ref.denominazione
    assert at.radio(key="passo").value == "comunita"
    assert at.query_params.get("pratica") == ref.pratica.id


def _salva_e_continua(at: AppTest, passo_atteso: str) -> None:
    pulsante(at, "Salva e continua").click().run()
    nessun_errore(at)
    assert at.radio(key="passo").value == passo_atteso, (at.radio(key="passo").value, messaggi(at, "error"))


def passo_comunita(at: AppTest, ref) -> None:
    cod = ref.pratica.id
    c = ref.comunita
    k = lambda n: chiave(cod, n)  # noqa: E731
    atto = c.atto_costitutivo
    reg = atto.registrazione
    at.selectbox(key=k("com-atto-forma")).set_value(atto.forma).run()   # il notaio si chiede solo se serve
    if atto.forma in ("atto_pubblico", "scrittura_privata_autenticata"):
        n = atto.dati_notaio
        for nome, valore in (("com-notaio", n.nome_completo if n else None), ("com-notaio-sede", n.sede if n else None),
                             ("com-notaio-distretto", n.distretto if n else None),
                             ("com-repertorio", (n.repertorio if n else None) or atto.repertorio),
                             ("com-notaio-raccolta", n.raccolta if n else None)):
            at.text_input(key=k(nome)).input(valore or "")
        at.selectbox(key=k("com-notaio-sesso")).set_value(n.sesso if n else None)
    for nome, valore in (("com-denominazione", c.denominazione), ("com-sigla", c.sigla),
                         ("com-indirizzo", c.sede.indirizzo), ("com-cap", c.sede.cap), ("com-comune", c.sede.comune),
                         ("com-provincia", c.sede.provincia), ("com-regione", c.sede.regione),
                         ("com-cf", c.codice_fiscale), ("com-pec", c.pec), ("com-iban", c.iban),
                         ("com-atto-luogo", atto.luogo), ("com-reg-ufficio", reg.ufficio if reg else None),
                         ("com-reg-numero", reg.numero if reg else None)):
        at.text_input(key=k(nome)).input(valore or "")
    at.selectbox(key=k("com-forma")).set_value(c.forma_giuridica)
    at.selectbox(key=k("com-stato")).set_value(ref.pratica.stato)
    at.selectbox(key=k("com-atto-forma")).set_value(atto.forma)
    scrivi_data(at, k("com-atto-prevista"), atto.data_prevista)
    scrivi_data(at, k("com-atto-data"), atto.data)
    scrivi_data(at, k("com-reg-data"), reg.data if reg else None)
    _salva_e_continua(at, "soggetti")


def riga_soggetto(ref, s) -> dict[str, Any]:
    m = next((m for m in ref.membri if m.soggetto == s.id), None)
    luogo = s.luogo
    return _senza_vuoti({
        "tipo": s.tipo, "nome": s.nome, "cognome": s.cognome, "denominazione": s.denominazione,
        "codice_fiscale": s.codice_fiscale, "partita_iva": s.partita_iva, "dimensione": s.dimensione,
        "nato_il": iso(s.nato_il), "nato_a": s.nato_a,
        "indirizzo": luogo.indirizzo if luogo else None, "cap": luogo.cap if luogo else None,
        "comune": luogo.comune if luogo else None, "provincia": luogo.provincia if luogo else None,
        "email": s.email, "ruolo": m.ruolo if m else None, "data_adesione": iso(m.data_adesione) if m else None,
    })


def mappa_soggetti(ref, codice: str) -> dict[str, str]:
    """id dei soggetti nel file di riferimento → id creati dalla procedura (stesso codice fiscale)."""
    from cer_docs.services import archivio

    salvata = archivio.apri(codice).pratica
    per_cf = {s.codice_fiscale: s.id for s in salvata.soggetti}
    return {s.id: per_cf[s.codice_fiscale] for s in ref.soggetti}


def passo_soggetti(at: AppTest, ref) -> dict[str, str]:
    cod = ref.pratica.id
    at.session_state[chiave(cod, "tabella-soggetti")] = {
        "edited_rows": {}, "added_rows": [riga_soggetto(ref, s) for s in ref.soggetti], "deleted_rows": []}
    _salva_e_continua(at, "configurazioni")
    mappa = mappa_soggetti(ref, cod)
    vai_al_passo(at, "soggetti")
    for s in ref.soggetti:
        luogo = s.luogo
        rap = s.rappresentante
        serve = any(x is not None for x in (s.pec, s.telefono, s.iban, rap, s.codice_ateco, s.classificazione_ateco,
                                            s.partecipazione_enti_territoriali_pct, s.riconosciuta,
                                            luogo.regione if luogo else None)) or s.esco_uni_11352
        if not serve:
            continue
        sid = mappa[s.id]
        dettaglio_soggetto(at, sid)
        k = lambda n: chiave(cod, f"det-{sid}-{n}")  # noqa: E731
        for nome, valore in (("pec", s.pec), ("telefono", s.telefono), ("iban", s.iban),
                             ("regione", luogo.regione if luogo else None)):
            at.text_input(key=k(nome)).input(valore or "")
        if s.tipo == "impresa":
            at.text_input(key=k("ateco")).input(s.codice_ateco or "")
            at.selectbox(key=k("classe")).set_value(s.classificazione_ateco)
            at.text_input(key=k("pct")).input(_it(s.partecipazione_enti_territoriali_pct))
            at.checkbox(key=k("esco")).set_value(s.esco_uni_11352)
        if s.tipo == "associazione":
            at.checkbox(key=k("riconosciuta")).set_value(bool(s.riconosciuta))
        if s.tipo != "persona_fisica" and rap is not None:
            for nome, valore in (("rapp-nome", rap.nome), ("rapp-cognome", rap.cognome),
                                 ("rapp-cf", rap.codice_fiscale), ("rapp-carica", rap.carica),
                                 ("rapp-nato-a", rap.nato_a)):
                at.text_input(key=k(nome)).input(valore or "")
            scrivi_data(at, k("rapp-nato-il"), rap.nato_il)
        pulsante(at, "Salva i dettagli").click().run()
        nessun_errore(at)
    return mappa


def passo_configurazioni(at: AppTest, ref, mappa: dict[str, str]) -> None:
    cod = ref.pratica.id
    for ci, conf in enumerate(ref.configurazioni):
        vai_al_passo(at, "configurazioni")
        chiave_conf = f"scelta-conf-{cod}"
        indice = ci if ci == 0 else "nuova"
        if ci > 0:
            at.selectbox(key=chiave_conf).set_value(-1).run()
        k = lambda n: chiave(cod, f"conf-{indice}-{n}")  # noqa: E731
        at.text_input(key=k("nome")).input(conf.denominazione or "")
        at.selectbox(key=k("tipo")).set_value(conf.tipo)
        at.text_input(key=k("cabina")).input(conf.cabina_primaria or "")
        righe = [_senza_vuoti({"pod": pc.pod, "cabina_primaria": pc.cabina_primaria, "soggetto": mappa[pc.soggetto],
                               "uso": pc.uso, "indirizzo": pc.indirizzo,
                               "scambio_sul_posto": pc.scambio_sul_posto or None,
                               "consumo_annuo_kwh": _f(pc.consumo_annuo_kwh), "profilo_consumo": pc.profilo_consumo,
                               "potenza_impegnata_kw": _f(pc.potenza_impegnata_kw)})
                 for pc in conf.punti_connessione]
        at.session_state[chiave(cod, f"tabella-punti-{indice}")] = {"edited_rows": {}, "added_rows": righe,
                                                                    "deleted_rows": []}
        _salva_e_continua(at, "impianti")


def passo_impianti(at: AppTest, ref, mappa: dict[str, str]) -> dict[str, str]:
    from cer_docs.services import archivio

    cod = ref.pratica.id
    for ci, conf in enumerate(ref.configurazioni):
        vai_al_passo(at, "impianti")
        if len(ref.configurazioni) > 1:
            at.selectbox(key=f"scelta-conf-{cod}").set_value(ci).run()
        righe = []
        for imp in conf.impianti:
            u = imp.ubicazione
            righe.append(_senza_vuoti({
                "denominazione": imp.denominazione, "fonte": imp.fonte, "potenza_kw": _f(imp.potenza_kw),
                "pod": imp.pod, "produttore": mappa[imp.produttore], "intervento": imp.intervento,
                "data_entrata_esercizio": iso(imp.data_entrata_esercizio),
                "data_entrata_esercizio_prevista": iso(imp.data_entrata_esercizio_prevista), "censimp": imp.censimp,
                "comune": u.comune if u else None, "provincia": u.provincia if u else None,
                "popolazione": u.popolazione if u else None, "popolazione_fonte": u.popolazione_fonte if u else None,
                "potenza_obbligo_kw": _f(imp.potenza_obbligo_kw),
                **{c: _f(getattr(imp, c)) for c in ("inclinazione_gradi", "orientamento_gradi",
                                                     "producibilita_kwh_kw", "latitudine", "longitudine")},
            }))
        at.session_state[chiave(cod, f"tabella-impianti-{ci}")] = {"edited_rows": {}, "added_rows": righe,
                                                                   "deleted_rows": []}
        _salva_e_continua(at, "referente")
    salvata = archivio.apri(cod).pratica
    per_nome = {imp.denominazione: imp.id for _p, _c, imp in salvata.impianti()}
    return {imp.id: per_nome[imp.denominazione] for _p, _c, imp in ref.impianti()}


def passo_referente(at: AppTest, ref, mappa: dict[str, str]) -> None:
    cod = ref.pratica.id
    for ci, conf in enumerate(ref.configurazioni):
        vai_al_passo(at, "referente")
        if len(ref.configurazioni) > 1:
            at.selectbox(key=f"scelta-conf-{cod}").set_value(ci).run()
        k = lambda n: chiave(cod, f"ref-{ci}-{n}")  # noqa: E731
        r, ra = conf.referente, conf.richiesta_accesso
        at.selectbox(key=k("qualifica")).set_value(r.qualifica)
        at.selectbox(key=k("soggetto")).set_value(mappa[r.soggetto] if r.soggetto else None)
        scrivi_data(at, k("mandato-firma"), r.mandato.data_firma)
        scrivi_data(at, k("mandato-revoca"), r.mandato.data_revoca)
        scrivi_data(at, k("invio"), ra.data_invio)
        at.selectbox(key=k("esito")).set_value(ra.esito)
        scrivi_data(at, k("data-esito"), ra.data_esito)
        _salva_e_continua(at, "produttori_terzi")


def passo_produttori_terzi(at: AppTest, ref, mappa: dict[str, str], impianti: dict[str, str]) -> None:
    cod = ref.pratica.id
    righe = [_senza_vuoti({"soggetto": mappa[t.soggetto], "impianti": [impianti[i] for i in t.impianti],
                           "quota_incentivo_pct": _f(t.quota_incentivo_pct), "data_accordo": iso(t.data_accordo)})
             for t in ref.produttori_terzi]
    at.session_state[chiave(cod, "tabella-terzi")] = {"edited_rows": {}, "added_rows": righe, "deleted_rows": []}
    _salva_e_continua(at, "statuto")


def passo_statuto(at: AppTest, ref, mappa: dict[str, str]) -> None:
    cod = ref.pratica.id
    c = ref.comunita
    k = lambda n: chiave(cod, n)  # noqa: E731
    at.multiselect(key=k("st-fondatori")).set_value([mappa[x] for x in c.fondatori])
    at.selectbox(key=k("st-presidente")).set_value(mappa.get(c.organi.presidente))
    at.selectbox(key=k("st-revisore")).set_value(mappa.get(c.organi.revisore))
    at.multiselect(key=k("st-consiglio")).set_value([mappa[x] for x in c.organi.consiglio_direttivo])
    rip = c.riparto_benefici
    for voce in ("spese_gestione", "produttori", "consumatori", "fondo_sociale"):
        at.text_input(key=k(f"st-riparto-{voce}")).input(_it(getattr(rip, voce)))
    delegato = c.soggetto_delegato_riparto
    at.selectbox(key=k("st-delegato")).set_value(delegato if delegato == "comunita" else mappa[delegato])
    at.multiselect(key=k("st-eccedenza")).set_value(list(c.destinazione_eccedenza))
    rec = c.recesso
    rest = rec.restituzione_contributo_pnrr if rec else None
    at.number_input(key=k("st-preavviso")).set_value(rec.preavviso_mesi if rec else None)
    at.selectbox(key=k("st-efficacia")).set_value(rec.efficacia if rec else None)
    at.number_input(key=k("st-pnrr-anni")).set_value(rest.entro_anni if rest else None)
    at.text_input(key=k("st-pnrr-entro")).input(_it(rest.quota_entro) if rest else "")
    at.text_input(key=k("st-pnrr-dopo")).input(_it(rest.quota_dopo) if rest else "")
    at.text_input(key=k("st-quota")).input(_it(c.quota_associativa_euro, 2))
    at.text_input(key=k("st-durata")).input(c.durata or "")
    at.selectbox(key=k("st-esercizio")).set_value(c.esercizio_sociale)
    _salva_e_continua(at, "riepilogo")


def compila_procedura(at: AppTest, ref) -> None:
    """Tutta la procedura guidata con i dati del file ``ref``, dall'archivio vuoto al riepilogo."""
    crea_pratica_da_vuoto(at, ref)
    if ref.comunita is not None:
        passo_comunita(at, ref)
    else:
        vai_al_passo(at, "soggetti")
    mappa = passo_soggetti(at, ref)
    passo_configurazioni(at, ref, mappa)
    impianti = passo_impianti(at, ref, mappa)
    passo_referente(at, ref, mappa)
    passo_produttori_terzi(at, ref, mappa, impianti)
    if ref.comunita is not None:
        passo_statuto(at, ref, mappa)
    else:
        vai_al_passo(at, "riepilogo")


# --------------------------------------------------------------------------- confronto con il file di riferimento

def forma_canonica(pratica, *, senza_pnrr: bool = True) -> dict[str, Any]:
    """I dati della pratica con gli id sostituiti da ciò che li identifica (codice fiscale, nome
    dell'impianto), senza valori vuoti, eventi, data di aggiornamento e (di norma) contributo PNRR."""
    from cer_docs.model import to_data

    d = to_data(pratica)
    ids = {s.id: f"CF:{s.codice_fiscale}" for s in pratica.soggetti}
    ids.update({imp.id: f"IMPIANTO:{imp.denominazione}" for _p, _c, imp in pratica.impianti()})
    d.pop("eventi", None)
    d["pratica"].pop("aggiornata_il", None)
    for conf in d.get("configurazioni", []):
        conf.pop("id", None)  # la procedura numera le configurazioni: conf-1, conf-2...
    if senza_pnrr:
        for conf in d.get("configurazioni", []):
            for imp in conf.get("impianti", []):
                imp.pop("contributo_pnrr", None)

    def pulisci(x: Any) -> Any:
        if isinstance(x, dict):
            out = {k: pulisci(v) for k, v in x.items()}
            return {k: v for k, v in out.items() if v not in (None, [], {})}
        if isinstance(x, list):
            return [pulisci(v) for v in x]
        if isinstance(x, str):
            return ids.get(x, x)
        if isinstance(x, float) and x.is_integer():
            return int(x)
        return x

    return pulisci(d)
