"""Caso d'uso «genera i documenti costitutivi»: la sola porta che CLI e interfaccia usano.

Prima si risolvono tutti i documenti (gli errori di dati arrivano prima di scrivere); poi ogni
file si scrive appena è pronto — dalla cache dei documenti resi (``documents/cache.py``) o reso
ora — in una cartella temporanea accanto alla destinazione, e se ne tengono solo impronta e
pagine; dossier e zip si fanno leggendo quei file; ``manifest.json`` per ultimo. Poi la cartella
nuova prende il posto della vecchia in un colpo solo (``sicurezza/cartelle.py``). Un errore, un
annullamento (eccezione sollevata da ``avanzamento``), un ``kill -9`` o il disco pieno lasciano
la destinazione con il vecchio insieme completo.

``avanzamento(fatti, totale, descrizione)`` conta i file: ``totale`` = file da produrre (documenti ×
formati, lo stesso per tutta la generazione), ``fatti`` = file già scritti, che solo crescono. Una
chiamata prima di preparare ogni documento (``descrizione`` = ``PREPARO`` + nome del documento) e una
appena è scritto ogni file (``descrizione`` = nome del file, ``fatti`` = file scritti prima di lui):
con la resa nei thread i file si scrivono mentre i documenti dopo si preparano, e le due specie di
chiamate si alternano. Infine ``(totale, totale, "dossier")`` se si fa il dossier.

``manifest.json``::

    {"formato": "cer-docs/manifest@1", "pratica": "...", "al": "AAAA-MM-GG", "bozza": false,
     "documenti": [{"documento": "statuto", "configurazione": null, "file": "statuto-....pdf",
                    "formato": "pdf", "sha256": "...", "pagine": 9, "pagine_stimate": false,
                    "modello": null}, ...],
     "note": [...], "avvisi": [...]}

Per i DOCX ``pagine`` è il numero di pagine del PDF dello stesso documento (stima: Word e
LibreOffice impaginano in modo simile ma non identico) con ``pagine_stimate: true``, oppure
``null`` se il PDF non è stato richiesto.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import re
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from cer_docs.documents import catalogo as cat
from cer_docs.documents import memo as memo_libreria
from cer_docs.documents.clausole import ErroreLibreria
from cer_docs.documents.libreoffice import ErroreLibreOffice, converti_in_pdf
from cer_docs.documents.modelli import contesto_modello, modello_per, render_modello
from cer_docs.documents.motore import numera_articoli, risolvi_tracciando
from cer_docs.documents.cache import (
    CacheDocumenti, chiave_posto, chiavi_documento, impronta_letture, letture_da_ricordare,
)
from cer_docs.documents.parallelo import Lavoro, ResaSuDisco, render_pdf_molti, thread_di_impaginazione
from cer_docs.documents.scrittura_docx import render_docx
from cer_docs.documents.specifiche import load_spec
from cer_docs.italiano import data_lunga, plurale
from cer_docs.model import ErrorePratica, Pratica, load_pratica
from cer_docs.rules.base import ParametroNonDefinito
from cer_docs.sicurezza.cartelle import cartella_atomica, scrivi_file
from cer_docs.sicurezza.limiti import RIVISTI_IL, limiti
from cer_docs.sicurezza.sistema import messaggio_os

FORMATI = ("docx", "pdf")
PREPARO = "preparo "
"""Inizio della ``descrizione`` di ``avanzamento`` prima della preparazione di un documento."""
DOCUMENTI = cat.TUTTI
DOCUMENTI_CAMPAGNA = ("avviso_manifestazione", "modulo_manifestazione")
FORMATO_MANIFEST = "cer-docs/manifest@1"

__all__ = [
    "DOCUMENTI", "FORMATI", "ErroreGenerazione", "ErrorePratica", "EsitoGenerazione", "FileGenerato",
    "documenti_disponibili", "genera", "genera_documento", "leggi_elenco", "DOCUMENTI_CAMPAGNA",
    "genera_campagna", "messaggio_os",
]


class ErroreGenerazione(Exception):
    """Errore d'uso o di dati, con un messaggio in italiano per chi usa il programma."""


@dataclass
class FileGenerato:
    documento: str
    file: str
    formato: str
    sha256: str
    pagine: int | None
    pagine_stimate: bool = False
    configurazione: str | None = None
    modello: str | None = None
    oggetto: str | None = None


@dataclass
class EsitoGenerazione:
    cartella: Path
    file: list[FileGenerato] = field(default_factory=list)
    note: list[str] = field(default_factory=list)
    avvisi: list[str] = field(default_factory=list)
    manifest: Path | None = None
    dossier: dict[str, Any] | None = None


def leggi_elenco(testo: str | None, ammessi: tuple[str, ...], cosa: str) -> list[str]:
    """«statuto,regolamento» → ['statuto', 'regolamento'], con errore chiaro se un nome è sbagliato."""
    if testo is None or not testo.strip():
        return list(ammessi)
    voci = [v.strip().lower().replace("-", "_") for v in testo.split(",") if v.strip()]
    sbagliati = [v for v in voci if v not in ammessi]
    if sbagliati:
        raise ErroreGenerazione(
            f"{cosa} sconosciut{'o' if len(sbagliati) == 1 else 'i'}: {', '.join(sbagliati)}. "
            f"Valori ammessi: {', '.join(ammessi)}"
        )
    return list(dict.fromkeys(voci))


def _pagine_pdf(dati: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(dati)).pages)


def _carica(pratica: Pratica | str | Path) -> Pratica:
    if isinstance(pratica, Pratica):
        return pratica
    return load_pratica(pratica)


def _richiedi_genera(p: Pratica, attore: Any) -> None:
    """Per un account serve il permesso di generare sulla pratica dell'archivio (issue 15)."""
    if attore is None and "cer_docs.services.accesso" not in sys.modules:
        # l'accesso obbligatorio e l'attore predefinito stanno in quel modulo: se nessuno l'ha
        # caricato valgono i predefiniti (accesso libero, amministratore locale), e caricarlo
        # costerebbe ~10 ms d'avvio a ogni «cer-docs genera»
        return
    from cer_docs.services import accesso

    chi = accesso.risolvi(attore)
    if not chi.amministratore:
        from cer_docs.services import archivio  # il database solo per un account: la CLI non lo apre

        archivio.richiedi(p.pratica.id, "genera", attore=chi)


def documenti_disponibili(pratica: Pratica, al: dt.date | None = None) -> list[dict[str, Any]]:
    """Per l'interfaccia: ogni documento producibile alla data ``al``, con la configurazione e il
    nome del file (senza data, chi ha una data di recesso conta come receduto)."""
    richieste, note = cat.richieste(pratica, list(DOCUMENTI), al)
    out = [{"documento": r.tipo.id, "titolo": r.tipo.titolo,
            "configurazione": r.configurazione.id if r.configurazione else None, "oggetto": r.oggetto,
            "nome_file": cat.nome_file(pratica, r)} for r in richieste]
    return out + [{"documento": None, "nota": n} for n in note]


@dataclass
class _Prodotto:
    richiesta: cat.Richiesta
    formato: str
    nome: str
    dati: bytes = b""
    modello: str | None = None
    documento: Any = None          # Documento risolto, se la resa è interna
    chiave: str | None = None      # chiave nella cache dei documenti, se già nota
    risolvi: Any = None            # risolve il documento quando serve (resa interna senza ``documento``)
    sha256: str | None = None      # dopo la scrittura su disco
    pagine: int | None = None      # pagine del PDF (None per i DOCX)
    byte: int = 0
    lavoro: int | None = None      # posizione tra i lavori della resa su disco


class _RisoluzioneDifferita:
    """La risoluzione di un documento rimandata a quando serve (un file che non è nella cache), una
    volta sola per i due formati."""

    def __init__(self, pratica: Pratica, r: cat.Richiesta, al: dt.date, bozza: bool, ctx: Any) -> None:
        self._argomenti: tuple | None = (pratica, r, al, bozza, ctx)
        self._doc: Any = None

    def __call__(self) -> Any:
        if self._argomenti is not None:
            pratica, r, al, bozza, ctx = self._argomenti
            self._doc = cat.risolvi(pratica, r, al, bozza=bozza, contesto=ctx)
            self._argomenti = None
        return self._doc


MANCANTI_IN_VISTA = 5
"""Quanti dati mancanti (diversi per etichetta) l'avviso di un documento nomina; degli altri dice quanti sono."""
SOGGETTI_IN_VISTA = 2
"""Per un dato che manca a più soggetti, quanti l'avviso ne nomina; degli altri dice quanti sono."""

_ELEMENTO = re.compile(r"([A-Za-z_]\w*)\[([^\]]*)\]$")


def _percorso_con_indici(pratica: Pratica, percorso: str) -> tuple[str, Any] | None:
    """``soggetti[id:rossi-mario].email`` → (``soggetti[3].email``, il soggetto 3): gli elementi degli
    elenchi indicati per chiave (``id:``, ``pod:``) diventano indici; con l'ultimo elemento incontrato.
    ``None`` se un elemento non c'è più."""
    oggetto: Any = pratica
    elemento = None
    parti = []
    for parte in percorso.split("."):
        m = _ELEMENTO.fullmatch(parte)
        if m is None:
            parti.append(parte)
            oggetto = getattr(oggetto, parte, None) if oggetto is not None else None
            continue
        nome, chiave = m.groups()
        elenco = getattr(oggetto, nome, None) if oggetto is not None else None
        if not isinstance(elenco, list):
            return None
        if chiave.isdigit():
            i = int(chiave)
        else:
            attributo, _, valore = chiave.partition(":")
            i = next((k for k, x in enumerate(elenco) if str(getattr(x, attributo, None)) == valore), -1)
        if not 0 <= i < len(elenco):
            return None
        oggetto = elemento = elenco[i]
        parti.append(f"{nome}[{i}]")
    return ".".join(parti), elemento


def _dato_mancante(pratica: Pratica, r: cat.Richiesta, percorso: str | None) -> tuple[str, str | None, str] | None:
    """(come si chiama il dato, di chi è se non è chi il documento riguarda, percorso con gli indici),
    o ``None`` se non si sa nominarlo. Il nome è l'etichetta della domanda che lo chiede (catalogo)."""
    if not percorso:
        return None
    from . import catalogo as domande

    d = domande.domanda_del_dato(percorso)
    trovato = _percorso_con_indici(pratica, percorso)
    if d is None or trovato is None:
        return None
    concreto, elemento = trovato
    di = None
    if concreto.startswith("membri[") and elemento is not None:  # una riga del registro: il soggetto
        s = pratica.soggetto(elemento.soggetto)
        di = s.nome_completo if s is not None and s.id != r.oggetto else None
    elif elemento is not None and getattr(elemento, "id", None) != r.oggetto:
        if concreto.startswith("soggetti["):
            di = elemento.nome_completo
        elif ".impianti[" in concreto:  # un impianto tra quelli del documento: il suo nome
            di = f"«{elemento.nome}»"
    return d.nome_campo, di, concreto


def _avviso_lacune(pratica: Pratica, r: cat.Richiesta, mancanti: list[str | None], avvisi: list[str]) -> None:
    """L'avviso dei dati rimasti come spazi da completare (``__________``), nominati con le etichette
    della procedura: «Modulo di adesione – Mario Rossi: resta da completare a mano (__________): email».
    Al più ``MANCANTI_IN_VISTA`` dati, poi quanti altri; tra parentesi il percorso del primo, che
    l'interfaccia trasforma nel pulsante «Correggi»."""
    if not mancanti:
        return
    dati: dict[tuple[str, str | None], str] = {}   # (etichetta, di chi) → percorso, senza doppioni
    ignoti = 0
    for percorso in mancanti:
        trovato = _dato_mancante(pratica, r, percorso)
        if trovato is None:
            ignoti += 1
        else:
            dati.setdefault(trovato[:2], trovato[2])
    titolo = _etichetta(pratica, r)
    if not dati:
        n = len(mancanti)
        quanti = plurale(n, "dato mancante è rimasto come spazio", "dati mancanti sono rimasti come spazi")
        avvisi.append(f"{titolo}: {quanti} da completare (__________)")
        return
    # lo stesso dato per più soggetti una volta sola: «cittadinanza di Sara Rossi, Luca Bianchi e di altri 3»
    per_etichetta: dict[str, list[str]] = {}
    for etichetta, di in dati:
        chi = per_etichetta.setdefault(etichetta, [])
        if di:
            chi.append(di)
    voci = []
    for etichetta, chi in list(per_etichetta.items())[:MANCANTI_IN_VISTA]:
        if not chi:
            voci.append(etichetta)
            continue
        # «di A e di B», «di A, B e di C»; oltre ``SOGGETTI_IN_VISTA`` + 1 quanti altri: «di A, B e di altri 2»
        if len(chi) <= SOGGETTI_IN_VISTA + 1:
            nomi = chi[0] if len(chi) == 1 else f"{', '.join(chi[:-1])} e di {chi[-1]}"
        else:
            nomi = f"{', '.join(chi[:SOGGETTI_IN_VISTA])} e di altri {len(chi) - SOGGETTI_IN_VISTA}"
        voci.append(f"{etichetta} di {nomi}")
    altri = len(per_etichetta) - len(voci) + ignoti
    elenco = "; ".join(voci)
    if altri:
        elenco += " e un altro dato" if altri == 1 else f" e altri {altri} dati"
    resta = "resta" if len(dati) + ignoti == 1 else "restano"
    primo = next(iter(dati.values()))
    avvisi.append(f"{titolo}: {resta} da completare a mano (__________): {elenco} ({primo})")


def _prepara(pratica: Pratica, r: cat.Richiesta, formati: list[str], al: dt.date, bozza: bool,
             modelli: Path | None, avvisi: list[str], cache: CacheDocumenti | None = None) -> list[_Prodotto]:
    """Risolve il documento; i file interni si rendono dopo, quelli da modello di studio subito.

    Con la ``cache``: se una generazione precedente ha risolto lo stesso documento nello stesso
    contesto (stesse letture, stessi valori: ``documents/cache.py``), non si risolve ora; i prodotti portano le
    chiavi dei file resi e lo si risolve solo se un file manca dalla cache."""
    ctx = cat.contesto_per(pratica, r, al)
    for a in ctx.avvisi:
        if a not in avvisi:
            avvisi.append(a)
    nome = cat.nome_file(pratica, r)
    modello = modello_per(modelli, r.tipo.id)
    posto = None
    if modello is None and cache is not None:
        posto = chiave_posto(pratica.pratica.id, r.chiave, r.tipo.id, bozza, ctx.valori, ctx.flag, ctx.origini)
        voce = cache.leggi_risoluzione(posto) if posto is not None else None
        if (voce is not None and all(isinstance(voce["chiavi"].get(f), str) for f in FORMATI if f in formati)
                and impronta_letture(voce["letture"], ctx.valori, ctx.flag) == voce["impronta"]):
            _avviso_lacune(pratica, r, voce["mancanti"], avvisi)
            risolvi = _RisoluzioneDifferita(pratica, r, al, bozza, ctx)
            return [_Prodotto(r, f, nome, chiave=voce["chiavi"][f], risolvi=risolvi) for f in FORMATI if f in formati]
    if posto is not None:
        doc, letture = risolvi_tracciando(lambda: cat.risolvi(pratica, r, al, bozza=bozza, contesto=ctx))
    else:
        doc, letture = cat.risolvi(pratica, r, al, bozza=bozza, contesto=ctx), None
    _avviso_lacune(pratica, r, doc.mancanti, avvisi)
    if modello is None:
        chiavi: dict[str, str] = {}
        if cache is not None:
            chiavi = chiavi_documento(doc, FORMATI)
            if posto is not None and letture is not None:
                ricordate = letture_da_ricordare(letture)
                impronta = impronta_letture(ricordate, ctx.valori, ctx.flag)
                if impronta is not None:
                    cache.scrivi_risoluzione(posto, ricordate, impronta, chiavi, doc.lacune, doc.mancanti)
        return [_Prodotto(r, f, nome, documento=doc, chiave=chiavi.get(f)) for f in FORMATI if f in formati]
    try:
        art = numera_articoli(load_spec(r.tipo.id), ctx)
        docx = render_modello(modello, contesto_modello(ctx, doc, art))
    except Exception as e:  # un modello di studio può essere rotto in mille modi
        raise ErroreGenerazione(f"il modello '{modello}' non si può rendere: {e}") from None
    prodotti = []
    if "docx" in formati:
        prodotti.append(_Prodotto(r, "docx", nome, docx, str(modello)))
    if "pdf" in formati:
        try:
            prodotti.append(_Prodotto(r, "pdf", nome, converti_in_pdf(docx), str(modello)))
        except ErroreLibreOffice as e:
            avvisi.append(f"{nome}.pdf non generato dal modello dello studio: {e}")
    return prodotti


def _rendi(prodotti: list[_Prodotto]) -> None:
    """DOCX nel processo, PDF in parallelo sui core disponibili (vedi documents/parallelo.py)."""
    da_pdf = [p for p in prodotti if p.documento is not None and p.formato == "pdf"]
    da_docx = [p for p in prodotti if p.documento is not None and p.formato == "docx"]

    def docx() -> None:
        for p in da_docx:
            p.dati = render_docx(p.documento)

    for p, dati in zip(da_pdf, render_pdf_molti([p.documento for p in da_pdf], mentre=docx)):
        p.dati = dati


def genera_documento(pratica: Pratica | str | Path, documento: str, formato: str, *, al: dt.date,
                     bozza: bool = False, configurazione: str | None = None,
                     oggetto: str | None = None, attore: Any = None) -> tuple[str, bytes]:
    """Un solo documento in memoria (per l'interfaccia): (nome del file, contenuto)."""
    p = _carica(pratica)
    _richiedi_genera(p, attore)
    if documento not in DOCUMENTI or formato not in FORMATI:
        raise ErroreGenerazione(f"documento '{documento}' o formato '{formato}' sconosciuto")
    richieste, note = cat.richieste(p, [documento], al)
    if configurazione is not None:
        richieste = [r for r in richieste if r.configurazione and r.configurazione.id == configurazione]
    if oggetto is not None:
        richieste = [r for r in richieste if r.oggetto == oggetto]
    if not richieste:
        raise ErroreGenerazione(note[0] if note else f"nessun documento '{documento}' per questa pratica")
    prodotti = _prepara(p, richieste[0], [formato], al, bozza, None, [])
    _rendi(prodotti)
    return f"{prodotti[0].nome}.{formato}", prodotti[0].dati


def _scrivi_atomico(cartella: Path, nome: str, dati: bytes) -> None:
    """Scrive nella cartella temporanea di ``cartella_atomica`` (la destinazione vera cambia solo alla fine)."""
    scrivi_file(cartella, nome, dati)


def _controlla_dimensione(p: Pratica) -> None:
    """Rifiuta subito, con un messaggio, una pratica troppo grande per essere generata nei tempi del servizio."""
    massimo = limiti().membri_massimi_genera
    if massimo and len(p.membri) > massimo:
        raise ErroreGenerazione(
            f"la pratica ha {len(p.membri)} membri: cer-docs genera i documenti (statuto, registro, moduli) "
            f"fino a {massimo} membri, perché oltre la generazione richiederebbe molti minuti e gigabyte di memoria. "
            f"Se il server è adatto, alza il limite tecnico con la variabile CER_DOCS_LIMITE_MEMBRI_MASSIMI_GENERA "
            f"(valore rivisto il {data_lunga(dt.date.fromisoformat(RIVISTI_IL))}).")


def genera(
    pratica: Pratica | str | Path,
    out: str | Path,
    *,
    documenti: list[str] | None = None,
    formati: list[str] | None = None,
    bozza: bool = False,
    al: dt.date | None = None,
    modelli: str | Path | None = None,
    dossier: bool | None = None,
    avanzamento: Any = None,
    attore: Any = None,
) -> EsitoGenerazione:
    """Genera i documenti richiesti nella cartella ``out`` e vi scrive ``manifest.json``.

    Senza ``documenti`` (tutto il pacchetto) scrive anche il dossier: un PDF unico con indice e
    segnalibri nell'ordine della richiesta al GSE e uno zip di tutti i file, entrambi nel
    manifest (chiave ``dossier``) con il loro hash. ``dossier`` forza o esclude il dossier.
    ``avanzamento(fatti, totale, descrizione)`` riceve l'avanzamento della preparazione.

    ``al`` è la data a cui si leggono le regole (versione degli elementi essenziali,
    parametri); se manca si usa la data di oggi. Solleva ``ErrorePratica`` se il file non si
    legge e ``ErroreGenerazione`` per gli altri errori d'uso, sempre prima di scrivere.
    """
    if dossier is None:
        dossier = documenti is None
    documenti = list(documenti or DOCUMENTI)
    formati = list(formati or FORMATI)
    for d in documenti:
        if d not in DOCUMENTI:
            raise ErroreGenerazione(f"documento sconosciuto: '{d}'. Valori ammessi: {', '.join(DOCUMENTI)}")
    for f in formati:
        if f not in FORMATI:
            raise ErroreGenerazione(f"formato sconosciuto: '{f}'. Valori ammessi: {', '.join(FORMATI)}")
    cartella_modelli = Path(modelli) if modelli else None
    if cartella_modelli is not None and not cartella_modelli.is_dir():
        raise ErroreGenerazione(f"la cartella dei modelli '{cartella_modelli}' non esiste")
    p = _carica(pratica)
    _richiedi_genera(p, attore)
    al = al or dt.date.today()
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise ErroreGenerazione(f"'{out}' esiste e non è una cartella")
    _controlla_dimensione(p)

    esito = EsitoGenerazione(cartella=out)
    cache = CacheDocumenti.predefinita()
    # clausole, parametri e alberi dei modelli ricavati dagli stessi testi di un processo precedente
    memo = memo_libreria.apri(cache)
    try:
        return _genera(p, out, esito, documenti, formati, bozza, al, cartella_modelli, dossier, avanzamento, cache)
    finally:
        memo_libreria.chiudi(memo)


def _genera(p: Pratica, out: Path, esito: EsitoGenerazione, documenti: list[str], formati: list[str], bozza: bool,
            al: dt.date, cartella_modelli: Path | None, dossier: bool, avanzamento: Any,
            cache: CacheDocumenti | None) -> EsitoGenerazione:
    for percorso, msg in p.errori_riferimenti():
        esito.avvisi.append(f"{percorso}: {msg}")
    richieste, esito.note = cat.richieste(p, documenti, al)
    massimo = limiti().documenti_massimi_genera
    if massimo and len(richieste) > massimo:
        per_tipo: dict[str, int] = {}
        for r in richieste:
            per_tipo[r.tipo.id] = per_tipo.get(r.tipo.id, 0) + 1
        molti = sorted((t for t, n in per_tipo.items() if n > 1), key=lambda t: -per_tipo[t])
        quali = ", ".join(f"{per_tipo[t]} «{cat.CATALOGO[t].titolo}»" for t in molti)
        raise ErroreGenerazione(
            f"la generazione richiesta produrrebbe {len(richieste)} documenti ({quali}: uno per membro o per "
            f"soggetto), oltre il limite di {massimo}: genera prima i documenti comuni indicandoli con --documenti "
            f"(es. statuto,atto_costitutivo,registro_membri) e poi, a parte, ciascuno di quelli per membro "
            f"(--documenti {','.join(molti[:1]) or 'dsan'} e così via), oppure alza il limite tecnico con "
            f"CER_DOCS_LIMITE_DOCUMENTI_MASSIMI_GENERA (valore rivisto il {data_lunga(dt.date.fromisoformat(RIVISTI_IL))}).")

    prodotti: list[_Prodotto] = []
    # tutto in una cartella temporanea accanto a ``out``, scambiata con ``out`` solo alla fine;
    # ogni file si scrive appena fatto, nessun insieme di byte resta in memoria
    precedente = out.resolve() if out.is_dir() else None
    da_impaginare = len(richieste) if "pdf" in formati else 0
    with cartella_atomica(out) as tmp:
        # i PDF s'impaginano nei thread man mano che i documenti sono pronti (documents/parallelo.py)
        file_attesi = len(richieste) * len(formati)
        scritti = [0]

        def fatto(i: int, lavoro: Lavoro) -> None:
            if avanzamento:
                avanzamento(scritti[0], file_attesi, lavoro.percorso.name)
            scritti[0] += 1

        resa = ResaSuDisco(cache=cache, thread=thread_di_impaginazione(da_impaginare), render_docx=render_docx,
                           precedente=precedente, attesi=da_impaginare, fatto=fatto)
        try:
            try:
                # le parti del contesto comuni a tutta la pratica si calcolano una volta (documents/contesti/comuni.py)
                with cat.una_generazione():
                    for r in richieste:
                        if avanzamento:
                            avanzamento(scritti[0], file_attesi, PREPARO + cat.nome_file(p, r))
                        nuovi = _prepara(p, r, formati, al, bozza, cartella_modelli, esito.avvisi, cache)
                        _affida(resa, nuovi, tmp, fatto)
                        prodotti += nuovi
            except ParametroNonDefinito as e:
                raise ErroreGenerazione(f"nessuna regola in vigore alla data {al.isoformat()}: {e}") from None
            except ErroreLibreria as e:
                raise ErroreGenerazione(f"i modelli dei documenti hanno un errore: {e}") from None
            _completa(resa, prodotti)
        finally:
            resa.chiudi()
        _scrivi_tutto(p, prodotti, esito, tmp, al, bozza, dossier, avanzamento, cache)
    if cache is not None:
        cache.riduci()  # la cache resta nella sua dimensione massima
    esito.manifest = out / "manifest.json"
    return esito


def _affida(resa: ResaSuDisco, prodotti: list[_Prodotto], cartella: Path, fatto: Any) -> None:
    """Passa alla resa i prodotti di un documento appena preparato: il suo PDF comincia subito a
    impaginarsi. Un prodotto da modello dello studio (già in memoria, piccolo) si scrive qui."""
    for pr in prodotti:
        destinazione = cartella / f"{pr.nome}.{pr.formato}"
        if pr.documento is None and pr.risolvi is None:
            _scrivi_atomico(cartella, destinazione.name, pr.dati)
            pr.sha256, pr.byte = hashlib.sha256(pr.dati).hexdigest(), len(pr.dati)
            if pr.formato == "pdf":
                pr.pagine = _pagine_pdf(pr.dati)
            pr.dati = b""
            fatto(-1, Lavoro(None, pr.formato, destinazione))
            continue
        pr.lavoro = len(resa.lavori)
        lavoro = Lavoro(pr.documento, pr.formato, destinazione, chiave=pr.chiave, risolvi=pr.risolvi)
        pr.documento = pr.risolvi = None  # il documento resta solo alla resa, che lo lascia dopo i suoi file
        resa.aggiungi(lavoro)


def _completa(resa: ResaSuDisco, prodotti: list[_Prodotto]) -> None:
    """Aspetta la fine della resa (gli ultimi PDF) e annota impronta, pagine e dimensione di ogni file.
    Un annullamento (eccezione dall'avanzamento) si propaga subito, e ``cartella_atomica`` toglie la cartella."""
    esiti = resa.completa()
    for pr in prodotti:
        if pr.lavoro is not None:
            e = esiti[pr.lavoro]
            pr.sha256, pr.pagine, pr.byte = e.sha256, e.pagine, e.byte


def _scrivi_tutto(p: Pratica, prodotti: list[_Prodotto], esito: EsitoGenerazione, out: Path, al: dt.date,
                  bozza: bool, dossier: bool, avanzamento: Any = None, cache: CacheDocumenti | None = None) -> None:
    # pagine: dai PDF; per i DOCX si usa il PDF dello stesso documento come stima
    pagine_pdf: dict[tuple[str, str], int] = {}
    for pr in prodotti:
        if pr.formato == "pdf" and pr.pagine is not None:
            pagine_pdf[(pr.richiesta.chiave, pr.modello or "")] = pr.pagine
    for pr in prodotti:
        nome = f"{pr.nome}.{pr.formato}"
        stima = pagine_pdf.get((pr.richiesta.chiave, pr.modello or ""))
        esito.file.append(FileGenerato(
            documento=pr.richiesta.tipo.id, file=nome, formato=pr.formato,
            sha256=pr.sha256 or "",
            pagine=stima, pagine_stimate=pr.formato == "docx" and stima is not None,
            configurazione=pr.richiesta.configurazione.id if pr.richiesta.configurazione else None,
            modello=pr.modello, oggetto=pr.richiesta.oggetto,
        ))
    manifest = {
        "formato": FORMATO_MANIFEST, "pratica": p.pratica.id, "al": al.isoformat(), "bozza": bozza,
        "documenti": [asdict(f) for f in esito.file], "note": esito.note, "avvisi": esito.avvisi,
    }
    if dossier and prodotti:
        if avanzamento:
            avanzamento(len(prodotti), len(prodotti), "dossier")
        manifest["dossier"] = _scrivi_dossier(p, prodotti, out, bozza, cache)
        esito.dossier = manifest["dossier"]
    _scrivi_atomico(out, "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8"))


def _etichetta(p: Pratica, r: cat.Richiesta) -> str:
    """Titolo del documento con il suo oggetto, per l'indice e i segnalibri del dossier."""
    chi = None
    if r.oggetto == "comunita" and p.comunita is not None:
        chi = p.comunita.denominazione
    elif r.oggetto:
        s = p.soggetto(r.oggetto)
        imp = next((i for _, _, i in p.impianti() if i.id == r.oggetto), None)
        chi = s.nome_completo if s else imp.nome if imp else None
    if chi is None and r.configurazione is not None:
        chi = r.configurazione.denominazione or r.configurazione.id
    return f"{r.tipo.titolo} – {chi}" if chi else r.tipo.titolo


def _scrivi_dossier(p: Pratica, prodotti: list[_Prodotto], out: Path, bozza: bool,
                    cache: CacheDocumenti | None = None) -> dict[str, Any]:
    """Dossier PDF e zip letti dai file già scritti nella cartella temporanea ``out``."""
    from . import documenti_dossier as dos

    base = f"dossier-{cat.slug(p.pratica.id)}"
    info: dict[str, Any] = {}
    pdf = [dos.VoceDossier(pr.richiesta.tipo.id, _etichetta(p, pr.richiesta), f"{pr.nome}.pdf",
                           percorso=out / f"{pr.nome}.pdf", pagine=pr.pagine)
           for pr in prodotti if pr.formato == "pdf"]
    file_zip = [(f"{pr.nome}.{pr.formato}", out / f"{pr.nome}.{pr.formato}", pr.sha256 or "") for pr in prodotti]
    if pdf:
        pagine = dos.pdf_unico_su_file(pdf, out / f"{base}.pdf", f"Dossier {p.denominazione}", p.denominazione,
                                       bozza=bozza, cache=cache)
        sha = _sha256_file(out / f"{base}.pdf")
        info["pdf"] = {"file": f"{base}.pdf", "sha256": sha, "pagine": pagine,
                       "ordine": [v.file for v in dos.ordina(pdf)]}
        file_zip.append((f"{base}.pdf", out / f"{base}.pdf", sha))
    dos.zip_su_file([(n, pe) for n, pe, _ in file_zip], out / f"{base}.zip")
    info["zip"] = {"file": f"{base}.zip", "sha256": _sha256_file(out / f"{base}.zip"),
                   "contenuto": [{"file": n, "sha256": h} for n, _, h in file_zip]}
    return info


def _sha256_file(percorso: Path) -> str:
    """Impronta del file (letto a blocchi), dopo averlo portato su disco come gli altri file."""
    h = hashlib.sha256()
    with open(percorso, "rb+") as f:
        os.fsync(f.fileno())
        for blocco in iter(lambda: f.read(1 << 20), b""):
            h.update(blocco)
    return h.hexdigest()


# ----------------------------------------------------------------------------- campagne


def genera_campagna(
    campagna: Any,
    out: str | Path,
    *,
    documenti: list[str] | None = None,
    formati: list[str] | None = None,
    bozza: bool = False,
    al: dt.date | None = None,
) -> EsitoGenerazione:
    """Avviso pubblico e modulo di una manifestazione di interesse, con ``manifest.json``.

    ``campagna`` è un ``model.campagna.Campagna`` (o un ``FileCampagna``). Stesso motore,
    stessi scrittori e stesse regole di scrittura atomica dei documenti di una pratica.
    """
    from cer_docs.documents.contesti import contesto_campagna
    from cer_docs.documents.motore import resolve

    c = getattr(campagna, "campagna", campagna)
    documenti = list(documenti or DOCUMENTI_CAMPAGNA)
    formati = list(formati or FORMATI)
    for d in documenti:
        if d not in DOCUMENTI_CAMPAGNA:
            raise ErroreGenerazione(f"documento sconosciuto: '{d}'. Valori ammessi: {', '.join(DOCUMENTI_CAMPAGNA)}")
    for f in formati:
        if f not in FORMATI:
            raise ErroreGenerazione(f"formato sconosciuto: '{f}'. Valori ammessi: {', '.join(FORMATI)}")
    al = al or dt.date.today()
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise ErroreGenerazione(f"'{out}' esiste e non è una cartella")
    esito = EsitoGenerazione(cartella=out)
    try:
        ctx = contesto_campagna(c, al)
        esito.avvisi += ctx.avvisi
        docs = [(d, resolve(load_spec(d), ctx, bozza=bozza)) for d in documenti]
    except ParametroNonDefinito as e:
        raise ErroreGenerazione(f"nessuna regola in vigore alla data {al.isoformat()}: {e}") from None
    except ErroreLibreria as e:
        raise ErroreGenerazione(f"i modelli dei documenti hanno un errore: {e}") from None
    prodotti: list[tuple[str, str, bytes]] = []
    pdf = render_pdf_molti([doc for _, doc in docs]) if "pdf" in formati else []
    for i, (d, doc) in enumerate(docs):
        nome = f"{d.replace('_', '-')}-{cat.slug(c.codice)}"
        if "docx" in formati:
            prodotti.append((d, f"{nome}.docx", render_docx(doc)))
        if "pdf" in formati:
            prodotti.append((d, f"{nome}.pdf", pdf[i]))
        if doc.lacune:
            esito.avvisi.append(f"{doc.titolo}: {plurale(doc.lacune, 'spazio', 'spazi')} da completare (__________)")
    with cartella_atomica(out) as tmp:
        for d, nome, dati in prodotti:
            _scrivi_atomico(tmp, nome, dati)
            formato = nome.rsplit(".", 1)[1]
            esito.file.append(FileGenerato(
                documento=d, file=nome, formato=formato, sha256=hashlib.sha256(dati).hexdigest(),
                pagine=_pagine_pdf(dati) if formato == "pdf" else None))
        manifest = {
            "formato": FORMATO_MANIFEST, "campagna": c.codice, "al": al.isoformat(), "bozza": bozza,
            "documenti": [asdict(f) for f in esito.file], "note": esito.note, "avvisi": esito.avvisi,
        }
        _scrivi_atomico(tmp, "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8"))
    esito.manifest = out / "manifest.json"
    return esito
