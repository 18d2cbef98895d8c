"""Procedura guidata: i passi, i valori dei moduli applicati alla pratica, i controlli per passo.

La pagina Streamlit non sa nulla del modello: chiede qui i valori iniziali di un passo
(``valori_*`` / ``righe_*``), mostra i campi, e alla conferma passa i valori ad
``applica_*``, che restituisce una **nuova** ``Pratica`` valida oppure solleva
``ErrorePasso`` con l'elenco dei problemi in italiano (riga e campo per le tabelle). La pratica
di partenza non viene mai modificata: se un passo non va, non si salva nulla di quel passo.

Tutti i passi (comunità, soggetti e membri con i dettagli di un soggetto, configurazioni e POD con i
consumi mensili, impianti e contributo PNRR, referente, produttori terzi, statuto) sono generati dal
catalogo delle domande (``catalogo.py``) e applicati dal motore (``motore_passi.py``): qui ne restano solo
i nomi storici, che chiamano il motore. L'importazione dei soggetti da un file (con POD e impianti) è in
``importazione.py`` e passa per lo stesso motore.

Qui si controlla la *forma* dei dati (codici, CAP, provincia, somme, riferimenti tra
soggetti); le regole sostanziali (requisiti dei membri, cabina primaria, mandato, PNRR...)
restano alla verifica (``cer_docs.services.verifica``), che il riepilogo mostra con la fonte
e con il passo dove correggere (``destinazione``).
"""

from __future__ import annotations

from cer_docs.model.io import dump_presenti

import datetime as dt
import io
import json
import re
import unicodedata
import zipfile
from dataclasses import asdict, dataclass, field, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Callable, Iterable


from cer_docs.model import ErrorePratica, Pratica, parse_data
from cer_docs.model.pratica import (
    DestinazioneEccedenza,
    Fonte,
    FormaAtto,
    FormaGiuridica,
    Intervento,
    ProfiloConsumo,
    QualificaReferente,
    StatoPratica,
    TipoConfigurazione,
)
from cer_docs.model import vocabolario as voc
from cer_docs.services import catalogo

from .importazione import ProblemaRiga, leggi_data, valore_vuoto

__all__ = [
    "PASSI", "Passo", "Destinazione", "ErrorePasso", "ProblemaPasso",
    "ETICHETTE_STATO", "ETICHETTE_FORMA_GIURIDICA", "ETICHETTE_FORMA_ATTO", "ETICHETTE_TIPO_CONFIGURAZIONE",
    "ETICHETTE_QUALIFICA", "ETICHETTE_FONTE", "ETICHETTE_INTERVENTO", "ETICHETTE_DESTINAZIONE",
    "ETICHETTE_ESITO", "ETICHETTE_EFFICACIA",
    "ETICHETTE_ESERCIZIO", "ETICHETTE_PROFILO_CONSUMO", "MESI",
    "passo", "passo_successivo", "destinazione",
    "suggerisci_codice", "nuova_pratica", "leggi_pratica_caricata", "etichette_soggetti", "etichette_impianti", "etichette_configurazioni",
    "valori_comunita", "applica_comunita",
    "righe_soggetti", "applica_soggetti", "valori_dettaglio_soggetto",
    "applica_dettaglio_soggetto",
    "valori_configurazione", "righe_punti", "applica_configurazione", "elimina_configurazione",
    "valori_consumi_mensili", "applica_consumi_mensili",
    "pod_della_configurazione", "righe_impianti", "applica_impianti",
    "valori_referente", "applica_referente",
    "candidati_produttori_terzi", "righe_produttori_terzi", "applica_produttori_terzi",
    "valori_statuto", "applica_statuto", "totale_riparto",
    "DocumentoGenerato", "Generazione", "titoli_documenti", "documenti_possibili", "cartella_documenti",
    "genera_documenti", "ultima_generazione", "leggi_file_generato", "archivio_zip", "anteprima_pdf",
]


# --------------------------------------------------------------------------- passi

@dataclass(frozen=True)
class Passo:
    id: str
    titolo: str
    descrizione: str


PASSI: tuple[Passo, ...] = (
    Passo("comunita", "Comunità", "Forma giuridica, sede, atto costitutivo e date."),
    Passo("soggetti", "Soggetti e membri", "Chi partecipa: persone, imprese, enti; chi è membro e con che ruolo."),
    Passo("configurazioni", "Configurazioni", "Cabina primaria e punti di connessione (POD) di ogni configurazione."),
    Passo("impianti", "Impianti", "Gli impianti di produzione di ogni configurazione."),
    Passo("referente", "Referente e mandato", "Chi tiene i rapporti con il GSE, il mandato e la richiesta di accesso."),
    Passo("produttori_terzi", "Produttori terzi", "Produttori che non sono membri e mettono a disposizione impianti."),
    Passo("statuto", "Statuto e riparto", "Fondatori, organi, ripartizione dei benefici, eccedenza, recesso."),
    Passo("riepilogo", "Riepilogo", "Tutti i rilievi della verifica, con la fonte e il passo dove correggere."),
    Passo("documenti", "Documenti", "Statuto, atto costitutivo, regolamento e copia per il GSE."),
)
_INDICE_PASSI = {p.id: i for i, p in enumerate(PASSI)}


def passo(pid: str) -> Passo:
    return PASSI[_INDICE_PASSI[pid]]


def passo_successivo(pid: str) -> str | None:
    i = _INDICE_PASSI[pid] + 1
    return PASSI[i].id if i < len(PASSI) else None


@dataclass(frozen=True)
class Destinazione:
    """Dove si corregge un rilievo: il passo e, se serve, la configurazione."""

    passo: str
    configurazione: int | None = None
    campo: str | None = None          # l'etichetta del campo da correggere, come la mostra il passo
    impianto: int | None = None       # nel passo Impianti: l'impianto (indice nella configurazione) da aprire
    riga: int | None = None           # la riga della tabella (da 1), se il campo è una colonna
    domanda: str | None = None        # il percorso della domanda del catalogo che chiede il campo (per mostrarlo)
    soggetto: int | None = None       # nel passo Soggetti e membri: il soggetto (indice) di cui correggere un
    #                                   dettaglio (modulo «dettaglio_soggetto», nel riquadro dei dettagli)

    @property
    def titolo(self) -> str:
        return passo(self.passo).titolo

    @property
    def indicazione(self) -> str | None:
        """«Da correggere: «Abitanti del comune», riga 2» (None se il rilievo non nomina un campo)."""
        return self.indicazione_di()

    def indicazione_di(self, chi: str | None = None) -> str | None:
        """L'indicazione con il nome del soggetto di cui si corregge un dettaglio (``chi``, per ``soggetto``):
        «Da correggere: «Da dove vengono i poteri di firma» di Comune di Montese.»."""
        if self.campo is None:
            return None
        di = f" di {chi}" if chi and self.soggetto is not None else ""
        return f"Da correggere: «{self.campo}»{di}" + (f", riga {self.riga}" if self.riga else "") + "."


_CAMPI_STATUTO = ("riparto_benefici", "destinazione_eccedenza", "recesso", "organi", "soggetto_delegato_riparto",
                  "fondatori", "quota_associativa_euro", "durata", "esercizio_sociale", "patrimonio_iniziale_euro",
                  "spese_costituzione_euro")


def destinazione(oggetto: str | None) -> Destinazione:
    """Il passo che corregge il rilievo con questo ``oggetto`` (percorso nella pratica).

    ``configurazioni[0].punti_connessione[2].cabina_primaria`` → Configurazioni (configurazione 0);
    ``configurazioni[1].impianti[0]`` → Impianti; ``comunita.riparto_benefici`` → Statuto e riparto.
    """
    dest = _destinazione_passo(oggetto)
    if dest.passo == "impianti" and (m := re.match(r"^configurazioni\[\d+\]\.impianti\[(\d+)\]", oggetto or "")):
        dest = replace(dest, impianto=int(m.group(1)))
    trovata = catalogo.domanda_del_rilievo(oggetto)
    if trovata is None:
        # un rilievo su una parte intera (il riparto, l'accordo di concessione): la pagina mostra il suo primo campo
        parte = re.sub(r"\[\d+\]", "[]", (oggetto or "").strip())
        prima = next((d for d in catalogo.DOMANDE if parte and d.passo == dest.passo
                      and (d.percorso.startswith(parte + ".") or d.percorso == parte.removesuffix("[]"))), None)
        return _del_soggetto(replace(dest, domanda=prima.percorso), prima, oggetto) if prima is not None else dest
    if trovata[0].passo != dest.passo:
        return dest
    d, riga = trovata
    return _del_soggetto(replace(dest, campo=d.etichetta, riga=riga, domanda=d.percorso), d, oggetto)


def _del_soggetto(dest: Destinazione, d: catalogo.Domanda, oggetto: str | None) -> Destinazione:
    """Un dettaglio di un soggetto (``soggetti[3].rappresentante.poteri.fonte``, chiesto dal modulo
    «dettaglio_soggetto» e non dalla tabella): la destinazione dice di quale soggetto si tratta."""
    m = re.match(r"^soggetti\[(\d+)\]", (oggetto or "").strip())
    return replace(dest, soggetto=int(m.group(1))) if m and d.id_modulo == "dettaglio_soggetto" else dest


def _destinazione_passo(oggetto: str | None) -> Destinazione:
    o = (oggetto or "").strip()
    m = re.match(r"^([a-z_]+)(?:\[(\d+)\])?(?:\.([a-z_]+))?", o)
    if not m:
        return Destinazione("riepilogo")
    radice, indice, figlio = m.group(1), m.group(2), m.group(3)
    if radice == "comunita":
        return Destinazione("statuto" if figlio in _CAMPI_STATUTO else "comunita")
    if radice == "statuto":
        return Destinazione("statuto")
    if radice == "pratica":
        return Destinazione("comunita")
    if radice in ("soggetti", "membri"):
        return Destinazione("soggetti")
    if radice == "produttori_terzi":
        return Destinazione("produttori_terzi")
    if radice == "configurazioni":
        ci = int(indice) if indice is not None else None
        if figlio == "impianti":
            return Destinazione("impianti", ci)
        if figlio in ("referente", "richiesta_accesso"):
            return Destinazione("referente", ci)
        return Destinazione("configurazioni", ci)
    return Destinazione("riepilogo")


# --------------------------------------------------------------------------- etichette

# Le etichette vengono dal vocabolario (cer_docs/model/vocabolario.py): nessuno le riscrive qui.
ETICHETTE_STATO: dict[str, str] = voc.STATI_PRATICA.etichette()
ETICHETTE_FORMA_GIURIDICA: dict[str, str] = voc.FORME_GIURIDICHE.etichette()
ETICHETTE_FORMA_ATTO: dict[str, str] = voc.FORME_ATTO.etichette()
ETICHETTE_TIPO_CONFIGURAZIONE: dict[str, str] = voc.TIPI_CONFIGURAZIONE.etichette()
ETICHETTE_QUALIFICA: dict[str, str] = voc.QUALIFICHE_REFERENTE.etichette()
ETICHETTE_FONTE: dict[str, str] = voc.FONTI_ENERGIA.etichette()
ETICHETTE_INTERVENTO: dict[str, str] = voc.INTERVENTI.etichette()
ETICHETTE_DESTINAZIONE: dict[str, str] = voc.DESTINAZIONI_ECCEDENZA.etichette()
ETICHETTE_ESERCIZIO: dict[str, str] = voc.ESERCIZI_SOCIALI.etichette()
ETICHETTE_ESITO: dict[str, str] = voc.ESITI_RICHIESTA.etichette()
ETICHETTE_EFFICACIA: dict[str, str] = voc.EFFICACIA_RECESSO.etichette()
ETICHETTE_SESSO: dict[str, str] = voc.SESSI.etichette()


def _etichette_profili() -> dict[str, str]:
    """Le etichette dei profili di consumo: le stesse della simulazione (economia/profili_standard.yaml)."""
    from importlib import resources

    import yaml

    testo = resources.files("cer_docs.economia").joinpath("profili_standard.yaml").read_text("utf-8")
    return {k: v["etichetta"] for k, v in yaml.safe_load(testo)["profili"].items()}


ETICHETTE_PROFILO_CONSUMO: dict[str, str] = _etichette_profili()

_QUALIFICHE_CON_SOGGETTO = ("membro", "esco_uni_11352", "amministratore_condominio", "proprietario_edificio",
                            "condominio")


def _ammessi(tipo: Any) -> tuple[str, ...]:
    return tuple(tipo.__args__)


for _nome, _tipo, _etichette in (
    ("stato", StatoPratica, ETICHETTE_STATO), ("forma giuridica", FormaGiuridica, ETICHETTE_FORMA_GIURIDICA),
    ("forma dell'atto", FormaAtto, ETICHETTE_FORMA_ATTO), ("tipo", TipoConfigurazione, ETICHETTE_TIPO_CONFIGURAZIONE),
    ("qualifica", QualificaReferente, ETICHETTE_QUALIFICA), ("fonte", Fonte, ETICHETTE_FONTE),
    ("intervento", Intervento, ETICHETTE_INTERVENTO), ("destinazione", DestinazioneEccedenza, ETICHETTE_DESTINAZIONE),
    ("profilo di consumo", ProfiloConsumo, ETICHETTE_PROFILO_CONSUMO),
):
    assert set(_ammessi(_tipo)) == set(_etichette), f"etichette di '{_nome}' non allineate al modello"


# --------------------------------------------------------------------------- errori

ProblemaPasso = ProblemaRiga
"""Un problema di un passo: campo (in italiano), messaggio e, per le tabelle, riga e di chi si tratta."""


@dataclass
class ErrorePasso(Exception):
    """Il passo non si può salvare così: nulla è stato scritto."""

    passo: str
    problemi: list[ProblemaPasso] = field(default_factory=list)

    def __str__(self) -> str:
        righe = [f"Il passo «{passo(self.passo).titolo}» non è stato salvato:"]
        righe += [f"- {p}" for p in self.problemi]
        return "\n".join(righe)


class _Raccolta:
    """Accumula i problemi di un passo e li solleva tutti insieme."""

    def __init__(self, pid: str):
        self.pid = pid
        self.problemi: list[ProblemaPasso] = []

    def __call__(self, campo: str, messaggio: str, riga: int | None = None, nome: str | None = None) -> None:
        self.problemi.append(ProblemaPasso(campo, messaggio, riga, nome))

    def verifica(self) -> None:
        if self.problemi:
            raise ErrorePasso(self.pid, list(self.problemi))


# --------------------------------------------------------------------------- conversioni

def _testo(v: Any) -> str | None:
    if valore_vuoto(v):
        return None
    return str(v).strip() or None


def _data(r: _Raccolta, campo: str, v: Any, riga: int | None = None, nome: str | None = None) -> dt.date | None:
    try:
        return leggi_data(v)
    except ValueError as e:
        r(campo, str(e), riga, nome)
        return None


def _decimale_italiano(testo: str) -> Decimal:
    """«12,5» → 12.5; «1.234,50 €» → 1234.50; «12.5» → 12.5 (anche col punto)."""
    t = re.sub(r"[\s€%\u00a0]", "", testo)
    if "," in t:
        t = t.replace(".", "").replace(",", ".")
    return Decimal(t)


def _numero(r: _Raccolta, campo: str, v: Any, *, minimo: Decimal | None = None, massimo: Decimal | None = None,
            decimali: int = 3, riga: int | None = None, nome: str | None = None,
            positivo: bool = False) -> Decimal | None:
    if valore_vuoto(v):
        return None
    try:
        d = _decimale_italiano(v) if isinstance(v, str) else Decimal(str(float(v)))
        if not d.is_finite():
            raise InvalidOperation
    except (InvalidOperation, TypeError, ValueError):
        r(campo, f"'{v}' non è un numero", riga, nome)
        return None
    d = d.quantize(Decimal(1).scaleb(-decimali)).normalize()
    if d == d.to_integral_value():
        d = d.quantize(Decimal(1))
    if positivo and d <= 0:
        r(campo, "deve essere maggiore di zero", riga, nome)
        return None
    if minimo is not None and d < minimo:
        r(campo, f"non può essere minore di {_fmt(minimo)}", riga, nome)
        return None
    if massimo is not None and d > massimo:
        r(campo, f"non può essere maggiore di {_fmt(massimo)}", riga, nome)
        return None
    return d


def _intero(r: _Raccolta, campo: str, v: Any, *, minimo: int = 0, riga: int | None = None,
            nome: str | None = None) -> int | None:
    d = _numero(r, campo, v, minimo=Decimal(minimo), riga=riga, nome=nome)
    if d is None:
        return None
    if d != d.to_integral_value():
        r(campo, "deve essere un numero intero", riga, nome)
        return None
    return int(d)


def _lista_testi(v: Any) -> list[str]:
    """Un elenco da una cella: lista, array, testo separato da virgole o vuoto."""
    if v is None or isinstance(v, float):
        return []
    if isinstance(v, str):
        return [x.strip() for x in v.split(",") if x.strip()]
    try:
        return [str(x).strip() for x in v if str(x).strip()]
    except TypeError:
        return []


def _fmt(d: Decimal) -> str:
    from cer_docs.italiano import numero

    return numero(d)


_MIGLIAIA = re.compile(r"^\s*€?\s*\d{1,3}(\.\d{3})+\s*€?\s*$")


def _euro(r: _Raccolta, campo: str, v: Any) -> Decimal | None:
    """Un importo in euro: «38.400» sono trentottomila quattrocento euro (il punto separa le migliaia)."""
    if isinstance(v, str) and _MIGLIAIA.match(v):
        v = v.replace(".", "")
    d = _numero(r, campo, v, minimo=Decimal(0), decimali=2)
    return d.quantize(Decimal("0.01")) if d is not None else None


def _imposta(d: dict[str, Any], chiave: str, valore: Any) -> None:
    """Scrive ``valore``; un vuoto su un campo mai presente non aggiunge ``null`` al file."""
    if valore is None or valore == [] or valore == {}:
        if chiave in d:
            d[chiave] = None if not isinstance(d[chiave], list) else []
        return
    d[chiave] = valore


FORME_ATTO_NOTARILI = catalogo.FORME_ATTO_NOTARILI


def _dati(pratica: Pratica) -> dict[str, Any]:
    # anche i campi modificati sul posto (elenchi predefiniti a cui si è aggiunto qualcosa)
    return dump_presenti(pratica)


_ETICHETTE_PERCORSO = {
    "comunita": "comunità", "soggetti": "soggetto", "membri": "membro", "configurazioni": "configurazione",
    "punti_connessione": "punto di connessione", "impianti": "impianto", "produttori_terzi": voc.RUOLI_CANDIDATO["produttore_terzo"].nome,
}


def _valida(dati: dict[str, Any], pid: str, oggi: dt.date | None) -> Pratica:
    """Rilegge i dati con le stesse regole di un file pratica; gli errori diventano ``ErrorePasso``."""
    if oggi is not None:
        dati.setdefault("pratica", {})["aggiornata_il"] = oggi
    try:
        return parse_data(dati, "procedura guidata", formato="json")
    except ErrorePratica as e:
        raise ErrorePasso(pid, [ProblemaPasso(_percorso_leggibile(p.campo), p.messaggio) for p in e.problemi]) from None


def _percorso_leggibile(percorso: str) -> str:
    out = []
    for m in re.finditer(r"([a-z_]+)(?:\[(\d+)\])?", percorso or ""):
        nome = _ETICHETTE_PERCORSO.get(m.group(1), m.group(1).replace("_", " "))
        out.append(f"{nome} {int(m.group(2)) + 1}" if m.group(2) is not None else nome)
    return " › ".join(out)


def _slug(testo: str, massimo: int = 48) -> str:
    s = unicodedata.normalize("NFKD", testo or "").encode("ascii", "ignore").decode("ascii").lower()
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    return s[:massimo].rstrip("-")


def _unico(base: str, usati: set[str], vuoto: str) -> str:
    base = base or vuoto
    candidato, n = base, 2
    while candidato in usati:
        candidato, n = f"{base}-{n}", n + 1
    usati.add(candidato)
    return candidato


# --------------------------------------------------------------------------- nuova pratica

_CODICE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def suggerisci_codice(denominazione: str, esistenti: Iterable[str] = ()) -> str:
    """Un codice leggibile e libero dalla denominazione: «CER del Borgo» → ``cer-del-borgo``."""
    return _unico(_slug(denominazione, 60), set(esistenti), "pratica")


def nuova_pratica(codice: str, denominazione: str, tipo: str = "CER", stato: str = "in_progetto",
                  oggi: dt.date | None = None) -> Pratica:
    """Una pratica vuota con una configurazione; per una CER anche la comunità."""
    r = _Raccolta("comunita")
    codice = (codice or "").strip()
    denominazione = (denominazione or "").strip()
    if not denominazione:
        r("denominazione", "scrivi il nome della comunità o del gruppo")
    if not codice:
        r("codice", "scegli un codice per la pratica (es. cer-del-borgo)")
    elif len(codice) > 120 or not _CODICE.match(codice):
        r("codice", "il codice può contenere solo lettere, cifre, '-', '_' e '.', e deve iniziare con una lettera o "
                    "una cifra (es. cer-del-borgo)")
    if tipo not in ETICHETTE_TIPO_CONFIGURAZIONE:
        r("tipo", "scegli CER, AUC o AID")
    if stato not in ETICHETTE_STATO:
        r("stato", "scegli lo stato della pratica")
    r.verifica()
    dati: dict[str, Any] = {"formato": "cer-docs/pratica@1", "pratica": {"id": codice, "stato": stato}}
    if tipo == "CER":
        dati["comunita"] = {"denominazione": denominazione}
        dati["configurazioni"] = [{"id": "conf-1", "tipo": "CER"}]
    else:
        dati["configurazioni"] = [{"id": "conf-1", "tipo": tipo, "denominazione": denominazione}]
    return _valida(dati, "comunita", oggi)


def leggi_pratica_caricata(contenuto: bytes, nome: str) -> Pratica:
    """Un file pratica caricato dal browser (YAML o JSON): ``ErrorePratica`` con i problemi se non va."""
    from cer_docs.model import Problema, parse_text
    from cer_docs.model.io import DIMENSIONE_MASSIMA_BYTE

    if len(contenuto) > DIMENSIONE_MASSIMA_BYTE:
        raise ErrorePratica(nome, [Problema("", f"il file supera {DIMENSIONE_MASSIMA_BYTE // (1024 * 1024)} MB: "
                                                 "non è un file pratica")])
    if not contenuto.strip():
        raise ErrorePratica(nome, [Problema("", "il file è vuoto")])
    try:
        testo = contenuto.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ErrorePratica(nome, [Problema("", "il file non è testo UTF-8: salvalo come YAML o JSON in UTF-8")]) \
            from None
    return parse_text(testo, nome)


# --------------------------------------------------------------------------- etichette dei soggetti

def etichette_soggetti(pratica: Pratica) -> dict[str, str]:
    """id del soggetto → nome da mostrare (con il codice fiscale se due nomi coincidono)."""
    nomi = {s.id: s.nome_completo for s in pratica.soggetti}
    conta: dict[str, int] = {}
    for n in nomi.values():
        conta[n] = conta.get(n, 0) + 1
    out = {}
    for s in pratica.soggetti:
        n = nomi[s.id]
        out[s.id] = f"{n} ({s.codice_fiscale or s.id})" if conta[n] > 1 else n
    return out


def etichette_impianti(pratica: Pratica) -> dict[str, str]:
    return {imp.id: f"{imp.denominazione or imp.id}" for _p, _c, imp in pratica.impianti()}


def etichette_configurazioni(pratica: Pratica) -> list[str]:
    # senza nome, il numero d'ordine: l'identificativo interno («conf-1») non dice nulla a chi compila
    return [f"{c.denominazione or f'Configurazione {i}'} ({c.tipo})"
            for i, c in enumerate(pratica.configurazioni, start=1)]


# --------------------------------------------------------------------------- 1. comunità

# Passo generato dal catalogo delle domande: legge, converte, controlla e scrive ``motore_passi``.

def valori_comunita(pratica: Pratica) -> dict[str, Any]:
    from . import motore_passi

    return motore_passi.valori(pratica, "comunita")


def applica_comunita(pratica: Pratica, valori: dict[str, Any], oggi: dt.date | None = None) -> Pratica:
    """Dati della comunità (ente giuridico) e stato della pratica."""
    from . import motore_passi

    return motore_passi.applica(pratica, "comunita", valori, (), oggi)


# --------------------------------------------------------------------------- 2. soggetti e membri

# Tabella generata dal catalogo delle domande (una riga scrive il soggetto e, con un ruolo, il suo membro):
# legge, converte, controlla e scrive ``motore_passi``; l'importazione da un file è in ``importazione``.

def righe_soggetti(pratica: Pratica) -> list[dict[str, Any]]:
    """Una riga per soggetto (con ``id`` nascosto): anagrafica, luogo, ruolo se è membro."""
    from . import motore_passi

    return motore_passi.righe(pratica, "soggetti")


def applica_soggetti(pratica: Pratica, righe: list[dict[str, Any]], oggi: dt.date | None = None) -> Pratica:
    """La tabella dei soggetti (``ruolo`` vuoto = non membro). Le righe esistenti si riconoscono dall'``id``;
    i campi che la tabella non mostra restano com'erano. Una riga tolta che è ancora citata altrove (POD,
    impianti, organi...) blocca il passo con un messaggio che dice dove."""
    from . import motore_passi

    return motore_passi.applica_righe(pratica, "soggetti", righe, oggi)


# Modulo «Dettagli di un soggetto» generato dal catalogo delle domande: legge, converte, controlla e
# scrive ``motore_passi`` (le domande si chiedono secondo il tipo di soggetto).

def indice_soggetto(pratica: Pratica, sid: str) -> int:
    """La posizione del soggetto ``sid`` (-1 se non c'è più)."""
    return next((i for i, s in enumerate(pratica.soggetti) if s.id == sid), -1)


def valori_dettaglio_soggetto(pratica: Pratica, sid: str) -> dict[str, Any]:
    from . import motore_passi

    indice = indice_soggetto(pratica, sid)
    if indice < 0:
        raise KeyError(sid)
    return motore_passi.valori(pratica, "dettaglio_soggetto", (indice,))


def applica_dettaglio_soggetto(pratica: Pratica, sid: str, valori: dict[str, Any], al: dt.date,
                               oggi: dt.date | None = None) -> Pratica:
    """Dati di un soggetto che la tabella non mostra: contatti, IBAN, ATECO, rappresentante."""
    from . import motore_passi

    return motore_passi.applica(pratica, "dettaglio_soggetto", valori, (indice_soggetto(pratica, sid),), oggi, al=al)


# --------------------------------------------------------------------------- 3. configurazioni

# Modulo generato dal catalogo delle domande (con la tabella dei POD e i consumi mese per mese di un POD):
# legge, converte, controlla e scrive ``motore_passi``.

def indice_configurazione(pratica: Pratica, ci: int | None) -> int:
    """L'indice della configurazione; ``None`` (o oltre l'ultima) = una configurazione nuova."""
    return len(pratica.configurazioni) if ci is None or ci >= len(pratica.configurazioni) else ci


def valori_configurazione(pratica: Pratica, ci: int | None) -> dict[str, Any]:
    from . import motore_passi

    v = motore_passi.valori(pratica, "configurazioni", (indice_configurazione(pratica, ci),))
    v.pop("punti", None)
    return v


def righe_punti(pratica: Pratica, ci: int | None) -> list[dict[str, Any]]:
    from . import motore_passi

    return motore_passi.valori(pratica, "configurazioni", (indice_configurazione(pratica, ci),))["punti"]


def applica_configurazione(pratica: Pratica, ci: int | None, valori: dict[str, Any], righe: list[dict[str, Any]],
                           al: dt.date, oggi: dt.date | None = None) -> tuple[Pratica, int]:
    """Tipo, nome e cabina primaria della configurazione ``ci`` (``None`` = nuova) e i suoi POD.

    Restituisce la pratica e l'indice della configurazione.
    """
    from . import motore_passi

    indice = indice_configurazione(pratica, ci)
    return motore_passi.applica(pratica, "configurazioni", {**valori, "punti": righe}, (indice,), oggi, al=al), indice


MESI = ("gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre",
        "novembre", "dicembre")


def _indici_punto(pratica: Pratica, ci: int, pod: str) -> tuple[int, int]:
    punti = pratica.configurazioni[ci].punti_connessione if 0 <= ci < len(pratica.configurazioni) else []
    return ci, next((j for j, pc in enumerate(punti) if pc.pod == pod), -1)


def valori_consumi_mensili(pratica: Pratica, ci: int, pod: str) -> list[float | None]:
    """I 12 consumi mensili (kWh, gennaio-dicembre) del POD; dodici vuoti se non ci sono."""
    from . import motore_passi

    indici = _indici_punto(pratica, ci, pod)
    if indici[1] < 0:
        return [None] * 12
    return motore_passi.valori(pratica, "consumi_mensili", indici)["consumi_mensili_kwh"]


def applica_consumi_mensili(pratica: Pratica, ci: int, pod: str, valori: list[Any],
                            oggi: dt.date | None = None) -> Pratica:
    """I consumi mensili di un POD (bollette): tutti e dodici i mesi, oppure nessuno (si tolgono)."""
    from . import motore_passi

    return motore_passi.applica(pratica, "consumi_mensili", {"consumi_mensili_kwh": list(valori)},
                                _indici_punto(pratica, ci, pod), oggi)


def elimina_configurazione(pratica: Pratica, ci: int, oggi: dt.date | None = None) -> Pratica:
    r = _Raccolta("configurazioni")
    dati = _dati(pratica)
    confs = list(dati.get("configurazioni") or [])
    if not 0 <= ci < len(confs):
        r("configurazione", "la configurazione non c'è più: ricarica la pagina")
        r.verifica()
    ids = {imp["id"] for imp in confs[ci].get("impianti") or []}
    for t in dati.get("produttori_terzi") or []:
        comuni = ids & set(t.get("impianti") or [])
        if comuni:
            r("configurazione", f"un produttore terzo mette a disposizione l'impianto {', '.join(sorted(comuni))} "
                                "di questa configurazione: toglilo prima dal passo «Produttori terzi»")
    r.verifica()
    del confs[ci]
    dati["configurazioni"] = confs
    return _valida(dati, "configurazioni", oggi)


# --------------------------------------------------------------------------- 4. impianti

# le ipotesi della simulazione economica: campo, nome nei messaggi, minimo, massimo, maggiore di zero
def pod_della_configurazione(pratica: Pratica, ci: int) -> list[str]:
    """I POD a cui si può collegare un impianto della configurazione (più quelli già usati dagli impianti)."""
    if not 0 <= ci < len(pratica.configurazioni):
        return []
    conf = pratica.configurazioni[ci]
    pods = [pc.pod for pc in conf.punti_connessione]
    return pods + [imp.pod for imp in conf.impianti if imp.pod not in pods]


# Tabella generata dal catalogo delle domande: legge, converte, controlla e scrive ``motore_passi``.

def righe_impianti(pratica: Pratica, ci: int) -> list[dict[str, Any]]:
    """Una riga per impianto della configurazione ``ci`` (con l'``id`` nascosto)."""
    from . import motore_passi

    if not 0 <= ci < len(pratica.configurazioni):
        return []
    return motore_passi.righe(pratica, "impianti", (ci,))


def applica_impianti(pratica: Pratica, ci: int, righe: list[dict[str, Any]], al: dt.date,
                     oggi: dt.date | None = None) -> Pratica:
    """Gli impianti della configurazione ``ci``. Il contributo PNRR e ciò che la tabella non mostra
    restano com'erano (l'``id`` nascosto della riga lega la riga all'impianto)."""
    from . import motore_passi

    return motore_passi.applica_righe(pratica, "impianti", righe, oggi, (ci,), al=al)


# --------------------------------------------------------------------------- 4 bis. contributo PNRR di un impianto

def beneficiari_pnrr(pratica: Pratica) -> dict[str, str]:
    """Chi sostiene la spesa: vuoto = il produttore dell'impianto, «comunita» = la CER, o un soggetto."""
    out = {"": "Il produttore dell'impianto"}
    if pratica.comunita is not None:
        out["comunita"] = f"La comunità ({pratica.comunita.denominazione})"
    out.update(etichette_soggetti(pratica))
    return out


def _indici_impianto(pratica: Pratica, ci: int, iid: str) -> tuple[int, int]:
    """(configurazione, posizione dell'impianto): -1 se l'impianto non c'è (il motore lo dice)."""
    impianti = pratica.configurazioni[ci].impianti if 0 <= ci < len(pratica.configurazioni) else []
    return ci, next((j for j, i in enumerate(impianti) if i.id == iid), -1)


# Modulo generato dal catalogo delle domande: legge, converte, controlla e scrive ``motore_passi``.

def valori_contributo_pnrr(pratica: Pratica, ci: int, iid: str) -> dict[str, Any]:
    """I dati del contributo PNRR di un impianto, per il modulo del passo «Impianti»."""
    from . import motore_passi

    return motore_passi.valori(pratica, "contributo_pnrr", _indici_impianto(pratica, ci, iid))


def applica_contributo_pnrr(pratica: Pratica, ci: int, iid: str, valori: dict[str, Any], al: dt.date,
                            oggi: dt.date | None = None) -> Pratica:
    """Scrive (o toglie) il contributo PNRR di un impianto; il registro delle spese resta com'era."""
    from . import motore_passi

    return motore_passi.applica(pratica, "contributo_pnrr", valori, _indici_impianto(pratica, ci, iid), oggi,
                                al=al)


# --------------------------------------------------------------------------- 5. referente e mandato
# Passo generato dal catalogo delle domande: legge, converte, controlla e scrive ``motore_passi``.

def valori_referente(pratica: Pratica, ci: int) -> dict[str, Any]:
    from . import motore_passi

    return motore_passi.valori(pratica, "referente", (ci,))


def applica_referente(pratica: Pratica, ci: int, valori: dict[str, Any], oggi: dt.date | None = None) -> Pratica:
    from . import motore_passi

    return motore_passi.applica(pratica, "referente", valori, (ci,), oggi)


# --------------------------------------------------------------------------- 6. produttori terzi

def candidati_produttori_terzi(pratica: Pratica) -> dict[str, str]:
    """Chi può essere produttore terzo: i soggetti che non sono membri (più quelli già indicati)."""
    nomi = etichette_soggetti(pratica)
    membri = {m.soggetto for m in pratica.membri}
    candidati = {sid: n for sid, n in nomi.items() if sid not in membri}
    for t in pratica.produttori_terzi:
        candidati.setdefault(t.soggetto, nomi.get(t.soggetto, t.soggetto))
    return candidati


def righe_produttori_terzi(pratica: Pratica) -> list[dict[str, Any]]:
    """Tabella generata dal catalogo (``motore_passi``)."""
    from . import motore_passi

    return motore_passi.righe(pratica, "produttori_terzi")


def applica_produttori_terzi(pratica: Pratica, righe: list[dict[str, Any]], oggi: dt.date | None = None) -> Pratica:
    from . import motore_passi

    return motore_passi.applica_righe(pratica, "produttori_terzi", righe, oggi)


# --------------------------------------------------------------------------- 7. statuto e riparto
# Passo generato dal catalogo delle domande: legge, converte, controlla e scrive ``motore_passi``.

def valori_statuto(pratica: Pratica) -> dict[str, Any]:
    from . import motore_passi

    return motore_passi.valori(pratica, "statuto")


def totale_riparto(valori: dict[str, Any]) -> Decimal:
    """La somma delle quote del riparto nei valori del modulo (vuoto o illeggibile = 0)."""
    from . import motore_passi

    return motore_passi.totale_riparto(valori)


def applica_statuto(pratica: Pratica, valori: dict[str, Any], oggi: dt.date | None = None) -> Pratica:
    """Fondatori, organi, ripartizione dei benefici (somma 100), eccedenza, recesso, quota."""
    from . import motore_passi

    return motore_passi.applica(pratica, "statuto", valori, (), oggi)


# --------------------------------------------------------------------------- 9. documenti

@dataclass
class DocumentoGenerato:
    """Un file generato, con il percorso relativo alla cartella della generazione."""

    documento: str
    titolo: str
    file: str
    formato: str
    percorso: str
    pagine: int | None = None
    oggetto: str | None = None      # di chi è il file, se il documento è uno per oggetto (id del soggetto…)


@dataclass
class Generazione:
    """Una generazione di documenti: cartella, file, note e avvisi del generatore."""

    cartella: str
    bozza: bool
    al: dt.date
    creata_il: dt.datetime | None = None
    versione: int | None = None
    file: list[DocumentoGenerato] = field(default_factory=list)
    note: list[str] = field(default_factory=list)
    avvisi: list[str] = field(default_factory=list)

    def pdf(self) -> list[DocumentoGenerato]:
        return [f for f in self.file if f.formato == "pdf"]


def titoli_documenti() -> dict[str, str]:
    from cer_docs.documents.catalogo import CATALOGO

    return {k: v.titolo for k, v in CATALOGO.items()}


def documenti_possibili(pratica: Pratica) -> tuple[list[str], list[str]]:
    """I tipi di documento che si possono generare per la pratica e le note su quelli esclusi."""
    from . import documenti as svc

    voci = svc.documenti_disponibili(pratica)
    tipi = list(dict.fromkeys(v["documento"] for v in voci if v.get("documento")))
    note = [v["nota"] for v in voci if v.get("nota")]
    return tipi, note


def cartella_documenti(codice: str) -> Path:
    """Dove finiscono i documenti generati di una pratica (nella cartella dati)."""
    from cer_docs.store.settings import load_settings

    return load_settings().data_dir / "documenti" / _slug(codice, 120)


def genera_documenti(pratica: Pratica, documenti: list[str], *, bozza: bool, al: dt.date,
                     formati: list[str] | None = None, avanzamento: Callable[[int, int, str], None] | None = None,
                     versione: int | None = None, adesso: dt.datetime | None = None,
                     attore: Any = None, dettaglio: Callable[[int, int, str], None] | None = None) -> Generazione:
    """Genera i documenti scelti, uno alla volta (per mostrare l'avanzamento), ciascuno nella sua
    sottocartella con il suo ``manifest.json``, dentro una cartella nuova per questa generazione.

    ``avanzamento(fatti, totale, titolo)`` viene chiamata prima di ogni documento e alla fine;
    ``dettaglio(fatti, totale, descrizione)`` dentro il documento in corso, file per file (i moduli
    di adesione sono uno per membro). Un'eccezione sollevata da una delle due ferma la generazione:
    la cartella resta senza ``generazione.json`` e ``ultima_generazione`` non la vede.
    Solleva ``ErroreGenerazione`` (messaggio italiano) se un documento non si può generare.
    """
    from . import documenti as svc

    if not documenti:
        raise svc.ErroreGenerazione("scegli almeno un documento da generare")
    titoli = titoli_documenti()
    adesso = adesso or dt.datetime.now()
    base = cartella_documenti(pratica.pratica.id)
    nome = f"{adesso:%Y%m%d-%H%M%S}-{'bozza' if bozza else 'definitivi'}"
    cartella = base / nome
    n = 2
    while cartella.exists():
        cartella, n = base / f"{nome}-{n}", n + 1
    esito = Generazione(cartella=str(cartella), bozza=bozza, al=al, creata_il=adesso, versione=versione)
    totale = len(documenti)
    for i, doc in enumerate(documenti):
        if avanzamento:
            avanzamento(i, totale, titoli.get(doc, doc))
        e = svc.genera(pratica, cartella / doc, documenti=[doc], formati=formati, bozza=bozza, al=al, attore=attore,
                       avanzamento=dettaglio)
        for f in e.file:
            esito.file.append(DocumentoGenerato(f.documento, titoli.get(f.documento, f.documento), f.file, f.formato,
                                                f"{doc}/{f.file}", f.pagine, f.oggetto))
        esito.note += [x for x in e.note if x not in esito.note]
        esito.avvisi += [x for x in e.avvisi if x not in esito.avvisi]
    if avanzamento:
        avanzamento(totale, totale, "")
    (cartella / "generazione.json").write_text(json.dumps({
        "bozza": bozza, "al": al.isoformat(), "creata_il": adesso.isoformat(timespec="seconds"), "versione": versione,
        "note": esito.note, "avvisi": esito.avvisi,
        "file": [asdict(f) for f in esito.file]}, ensure_ascii=False, indent=2), encoding="utf-8")
    return esito


def ultima_generazione(codice: str) -> Generazione | None:
    """L'ultima generazione completa della pratica (sopravvive alla chiusura del browser)."""
    base = cartella_documenti(codice)
    if not base.is_dir():
        return None
    for cartella in sorted((c for c in base.iterdir() if c.is_dir()), reverse=True):
        indice = cartella / "generazione.json"
        if not indice.is_file():
            continue
        try:
            d = json.loads(indice.read_text(encoding="utf-8"))
            return Generazione(cartella=str(cartella), bozza=bool(d["bozza"]), al=dt.date.fromisoformat(d["al"]),
                               creata_il=dt.datetime.fromisoformat(d["creata_il"]) if d.get("creata_il") else None,
                               versione=d.get("versione"), file=[DocumentoGenerato(**f) for f in d["file"]], note=list(d.get("note", [])),
                               avvisi=list(d.get("avvisi", [])))
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return None


def leggi_file_generato(generazione: Generazione, f: DocumentoGenerato) -> bytes:
    percorso = (Path(generazione.cartella) / f.percorso).resolve()
    if Path(generazione.cartella).resolve() not in percorso.parents:
        raise ValueError("percorso fuori dalla cartella della generazione")
    return percorso.read_bytes()


def archivio_zip(generazione: Generazione, documento: str | None = None) -> bytes:
    """Tutti i file della generazione (con i manifest) in un unico ZIP; con ``documento`` solo la sua
    sottocartella (per esempio tutti i moduli di adesione)."""
    buf = io.BytesIO()
    radice = Path(generazione.cartella)
    dentro = radice / documento if documento else radice
    if documento and (dentro.resolve().parent != radice.resolve()):
        raise ValueError("documento fuori dalla cartella della generazione")
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for p in sorted(dentro.rglob("*")):
            if p.is_file() and not p.name.startswith("."):
                z.write(p, p.relative_to(radice).as_posix())
    return buf.getvalue()


def nome_oggetto(pratica: Pratica, oggetto: str | None) -> str | None:
    """Come si chiama l'oggetto di un documento uno per oggetto: il soggetto, l'impianto, la
    configurazione o la comunità (``None`` se la pratica non lo ha più)."""
    if not oggetto:
        return None
    if oggetto == "comunita":
        return pratica.comunita.denominazione if pratica.comunita is not None else None
    s = pratica.soggetto(oggetto)
    if s is not None:
        return s.nome_completo
    imp = next((i for _, _, i in pratica.impianti() if i.id == oggetto), None)
    if imp is not None:
        return imp.nome
    conf = next((c for c in pratica.configurazioni if c.id == oggetto), None)
    return (conf.denominazione or conf.id) if conf is not None else None


def anteprima_pdf(dati_pdf: bytes, *, larghezza: int = 900) -> bytes | None:
    """La prima pagina di un PDF come PNG (``pdftoppm`` di poppler-utils); ``None`` se non si può."""
    import shutil
    import subprocess
    import tempfile

    programma = shutil.which("pdftoppm")
    if programma is None:
        return None
    with tempfile.TemporaryDirectory() as d:
        sorgente = Path(d) / "documento.pdf"
        sorgente.write_bytes(dati_pdf)
        try:
            subprocess.run([programma, "-png", "-f", "1", "-l", "1", "-singlefile", "-scale-to", str(larghezza),
                            str(sorgente), str(Path(d) / "pagina")], check=True, capture_output=True, timeout=30)
        except (subprocess.SubprocessError, OSError):
            return None
        png = Path(d) / "pagina.png"
        return png.read_bytes() if png.is_file() else None


# --------------------------------------------------------------------------- oggetti per nome

def oggetti_della_pratica(pratica: Pratica, generi: Iterable[str] | None = None) -> dict[str, str]:
    """Comunità, configurazioni, impianti e POD della pratica per nome: percorso → etichetta leggibile
    («Impianto: Fotovoltaico sul Municipio · 60 kW · POD IT001E…»). Con ``generi`` solo quelli."""
    from cer_docs.italiano import numero

    voluti = set(generi) if generi is not None else {"comunita", "configurazione", "impianto", "punto_connessione"}
    nomi = etichette_soggetti(pratica)
    out: dict[str, str] = {}
    if "comunita" in voluti and pratica.comunita is not None:
        out["comunita"] = f"Comunità: {pratica.comunita.denominazione}"
    for ci, c in enumerate(pratica.configurazioni):
        if "configurazione" in voluti:
            out[f"configurazioni[{ci}]"] = f"Configurazione: {c.denominazione or c.id}"
        if "impianto" in voluti:
            for ii, imp in enumerate(c.impianti):
                out[f"configurazioni[{ci}].impianti[{ii}]"] = (
                    f"Impianto: {imp.denominazione or imp.id} · {numero(imp.potenza_kw)} kW · POD {imp.pod}")
        if "punto_connessione" in voluti:
            for pi, pc in enumerate(c.punti_connessione):
                parti = [f"POD {pc.pod}", nomi.get(pc.soggetto, pc.soggetto)]
                if pc.indirizzo:
                    parti.append(pc.indirizzo)
                out[f"configurazioni[{ci}].punti_connessione[{pi}]"] = " · ".join(parti)
    return out
