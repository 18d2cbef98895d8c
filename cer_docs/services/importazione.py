"""Soggetti e membri in forma di tabella: da un foglio CSV o XLSX e dalla tabella della procedura guidata.

Un foglio con intestazioni in italiano (``nome``, ``cognome``, ``codice fiscale``,
``data di nascita``, ``comune``…) diventa un elenco di righe pronte per la tabella dei soggetti
della procedura guidata. Ogni riga si controlla da sola: una riga sbagliata finisce
nell'elenco dei problemi, con il numero di riga del file e il nome del campo, e le righe buone
restano. Un file che non si può leggere affatto (formato sconosciuto, nessuna intestazione
riconosciuta, troppo grande) solleva ``ErroreImportazione`` con un messaggio italiano.

La stessa forma di riga (``CAMPI_RIGA``) e gli stessi controlli (``controlla_riga``) valgono
per la tabella modificabile della procedura guidata (``cer_docs.services.procedura``).

Uso::

    esito = leggi_membri(contenuto, "soci.xlsx", pratica=pratica_attuale)
    for p in esito.problemi:
        print(p)                         # "riga 4, campo 'codice fiscale': il carattere di controllo..."
    nuove_righe = esito.righe            # da aggiungere con procedura.aggiungi_soggetti(...)
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Iterator

from cer_docs.model import vocabolario as voc
from cer_docs.model import Pratica
from cer_docs.model.pratica import DimensioneImpresa, RuoloMembro, TipoSoggetto
from cer_docs.rules import identificativi as idf
from cer_docs.sicurezza.fogli import csv_sicuro

__all__ = [
    "ProblemaRiga", "CAMPI_RIGA", "ETICHETTE_CAMPI", "ETICHETTE_DIMENSIONE", "ETICHETTE_RUOLO", "ETICHETTE_TIPO",
    "DIMENSIONE_MASSIMA_FILE", "ErroreImportazione", "EsitoImportazione", "RIGHE_MASSIME",
    "controlla_riga", "leggi_membri", "modello_csv", "valore_vuoto",
]

DIMENSIONE_MASSIMA_FILE = 10 * 1024 * 1024
"""Un elenco di 10.000 membri pesa circa 2 MB in CSV: oltre 10 MB è un errore d'uso (limite tecnico)."""
RIGHE_MASSIME = 20_000
COLONNE_MASSIME = 100  # colonne lette da un foglio Excel (le intestazioni riconosciute sono una ventina)

# --------------------------------------------------------------------------- forma della riga

CAMPI_RIGA: tuple[str, ...] = (
    "tipo", "nome", "cognome", "denominazione", "codice_fiscale", "partita_iva", "dimensione",
    "nato_il", "nato_a", "indirizzo", "cap", "comune", "provincia", "email", "ruolo", "data_adesione",
    "data_recesso", "quota_versata_euro",
)
"""I campi di una riga della tabella dei soggetti (oltre a ``id``, che la tabella tiene nascosto)."""

ETICHETTE_CAMPI: dict[str, str] = {
    "tipo": "tipo", "nome": "nome", "cognome": "cognome", "denominazione": "denominazione",
    "codice_fiscale": "codice fiscale", "partita_iva": "partita IVA", "dimensione": "dimensione impresa",
    "nato_il": "data di nascita", "nato_a": "luogo di nascita", "indirizzo": "indirizzo", "cap": "CAP",
    "comune": "comune", "provincia": "provincia", "email": "email", "ruolo": "ruolo",
    "data_adesione": "data di adesione", "data_recesso": "data di uscita", "quota_versata_euro": "quota versata (€)",
    "pec": "PEC",
    "pod": "POD", "potenza_impianto_kw": "potenza dell'impianto (kW)", "telefono": "telefono", "iban": "IBAN",
}

ETICHETTE_TIPO: dict[str, str] = voc.TIPI_SOGGETTO.etichette()
ETICHETTE_RUOLO: dict[str, str] = voc.RUOLI_MEMBRO.etichette()
ETICHETTE_DIMENSIONE: dict[str, str] = voc.DIMENSIONI_IMPRESA.etichette()

_TIPI = set(TipoSoggetto.__args__)  # type: ignore[attr-defined]
_RUOLI = set(RuoloMembro.__args__)  # type: ignore[attr-defined]
_DIMENSIONI = set(DimensioneImpresa.__args__)  # type: ignore[attr-defined]


# --------------------------------------------------------------------------- intestazioni

def _chiave(testo: Any) -> str:
    """Intestazione o valore ridotto all'osso: minuscole, senza accenti né punteggiatura."""
    s = unicodedata.normalize("NFKD", str(testo or "")).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", " ", s.lower()).strip()


_SINONIMI: dict[str, tuple[str, ...]] = {
    "tipo": ("tipo", "tipo soggetto", "tipologia", "natura", "natura giuridica", "tipo socio"),
    "nome": ("nome", "nome proprio"),
    "cognome": ("cognome",),
    "denominazione": ("denominazione", "ragione sociale", "ente", "nome ente", "denominazione ente",
                      "denominazione o ragione sociale", "societa", "impresa"),
    "codice_fiscale": ("codice fiscale", "cf", "c f", "cod fiscale", "cod fisc", "codice fiscale socio"),
    "partita_iva": ("partita iva", "p iva", "piva", "partita i v a", "p i", "numero partita iva"),
    "dimensione": ("dimensione", "dimensione impresa", "dimensione d impresa"),
    "nato_il": ("data di nascita", "data nascita", "nato il", "nata il", "nato a il", "nascita"),
    "nato_a": ("luogo di nascita", "comune di nascita", "nato a", "nata a", "luogo nascita"),
    "indirizzo": ("indirizzo", "via", "indirizzo di residenza", "residenza", "indirizzo sede", "sede"),
    "cap": ("cap", "c a p", "codice postale"),
    "comune": ("comune", "comune di residenza", "citta", "residente a", "localita", "comune sede"),
    "provincia": ("provincia", "prov", "pr", "sigla provincia"),
    "email": ("email", "e mail", "mail", "posta elettronica", "indirizzo email"),
    "pec": ("pec", "posta elettronica certificata"),
    "telefono": ("telefono", "tel", "cellulare", "cell", "recapito telefonico"),
    "iban": ("iban", "codice iban"),
    "ruolo": ("ruolo", "ruolo nella cer", "ruolo nella configurazione", "tipo membro", "qualifica"),
    "data_adesione": ("data adesione", "data di adesione", "adesione", "data ingresso", "aderisce dal"),
    "quota_versata_euro": ("quota versata", "quota", "quota associativa versata", "quota versata euro"),
    "data_recesso": ("data recesso", "data di recesso", "recesso", "data uscita", "data di uscita", "uscita"),
    "pod": ("pod", "codice pod", "punto di prelievo", "punto di connessione", "pod fornitura"),
    "potenza_impianto_kw": ("potenza impianto", "potenza impianto kw", "kw impianto", "potenza kw",
                            "impianto kw", "potenza dell impianto", "potenza dell impianto kw"),
}

CAMPI_IMPORTAZIONE: tuple[str, ...] = ("pod", "potenza_impianto_kw")
"""Colonne che si leggono dal file ma non stanno nella tabella dei soggetti: il POD del membro (diventa un
punto di connessione della configurazione scelta) e la potenza del suo impianto (diventa un impianto)."""
_INTESTAZIONI: dict[str, str] = {s: campo for campo, sinonimi in _SINONIMI.items() for s in sinonimi}

_VALORI_TIPO: dict[str, str] = {_chiave(v): k for k, v in ETICHETTE_TIPO.items()}
_VALORI_TIPO.update({_chiave(k): k for k in _TIPI})
_VALORI_TIPO.update({
    "persona": "persona_fisica", "privato": "persona_fisica", "cittadino": "persona_fisica",
    "pf": "persona_fisica", "azienda": "impresa", "societa": "impresa", "ditta": "impresa", "pmi": "impresa",
    "comune": "ente_territoriale", "ente locale": "ente_territoriale", "parrocchia": "ente_religioso",
    "terzo settore": "ets", "aps": "ets", "odv": "ets", "universita": "ente_ricerca",
})
_VALORI_RUOLO: dict[str, str | None] = {_chiave(k): k for k in _RUOLI}
_VALORI_RUOLO.update({_chiave(v): k for k, v in ETICHETTE_RUOLO.items()})
_VALORI_RUOLO.update({
    "consumer": "consumatore", "socio consumatore": "consumatore", "cliente finale": "consumatore",
    "produttore e consumatore": "prosumer", "autoconsumatore": "prosumer", "producer": "produttore",
    "no": None, "non membro": None, "nessuno": None,
})
_VALORI_DIMENSIONE: dict[str, str] = {_chiave(k): k for k in _DIMENSIONI}
_VALORI_DIMENSIONE.update({_chiave(v): k for k, v in ETICHETTE_DIMENSIONE.items()})
_VALORI_DIMENSIONE.update({"micro impresa": "micro", "pmi piccola": "piccola", "grande azienda": "grande"})


# --------------------------------------------------------------------------- valori

def valore_vuoto(v: Any) -> bool:
    """Vuoto per una cella: None, testo di soli spazi, NaN/NaT (pandas)."""
    if v is None:
        return True
    if isinstance(v, str):
        return not v.strip()
    if type(v).__name__ in ("NAType", "NaTType"):  # pandas.NA, pandas.NaT (senza importare pandas)
        return True
    try:
        return bool(v != v)  # NaN
    except (TypeError, ValueError):
        return False


def _testo(v: Any) -> str | None:
    if valore_vuoto(v):
        return None
    if isinstance(v, float) and v.is_integer():
        v = int(v)  # un CAP letto da Excel come 50060.0
    return re.sub(r"\s+", " ", str(v)).strip() or None


_FORMATI_DATA = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%Y/%m/%d", "%d/%m/%Y %H:%M:%S",
                 "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S")


def leggi_data(v: Any) -> dt.date | None:
    """Una data da una cella: ``date``, ``datetime``/Timestamp, ``12/04/1975`` o ``1975-04-12``.

    Solleva ``ValueError`` con un messaggio italiano se il testo non è una data.
    """
    if valore_vuoto(v):
        return None
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    if hasattr(v, "to_pydatetime"):  # pandas.Timestamp, senza importare pandas
        return v.to_pydatetime().date()
    s = str(v).strip()
    for f in _FORMATI_DATA:
        try:
            return dt.datetime.strptime(s, f).date()
        except ValueError:
            continue
    if re.fullmatch(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2}", s):
        raise ValueError(f"'{s}' ha l'anno con due cifre: scrivilo per intero (es. 12/04/1975)")
    raise ValueError(f"'{s}' non è una data: scrivila come GG/MM/AAAA (es. 12/04/1975)")


def _normalizza_codice(v: Any) -> str | None:
    t = _testo(v)
    return idf.normalizza(t) or None


def normalizza_riga(riga: dict[str, Any]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """Pulisce una riga (testi, date, codici in maiuscolo, tipo e ruolo riconosciuti).

    Restituisce i valori puliti e i problemi di forma come coppie (campo, messaggio).
    """
    problemi: list[tuple[str, str]] = []
    out: dict[str, Any] = {}
    for campo in (*CAMPI_RIGA, "pec", "telefono", "iban", "id", *CAMPI_IMPORTAZIONE):
        if campo not in riga:
            continue
        v = riga[campo]
        if campo == "potenza_impianto_kw":
            t = _testo(v)
            try:
                out[campo] = None if t is None else float(t.replace(".", "").replace(",", ".")
                                                          if "," in t else t)
            except ValueError:
                problemi.append((campo, f"'{t}' non è un numero di kW (es. 6 o 4,5)"))
                out[campo] = None
            else:
                if out[campo] is not None and not out[campo] > 0:
                    problemi.append((campo, "la potenza dell'impianto deve essere maggiore di zero"))
        elif campo == "pod":
            out[campo] = _normalizza_codice(v)
        elif campo in ("nato_il", "data_adesione", "data_recesso"):
            try:
                out[campo] = leggi_data(v)
            except ValueError as e:
                problemi.append((campo, str(e)))
                out[campo] = None
        elif campo in ("codice_fiscale", "partita_iva", "iban"):
            out[campo] = _normalizza_codice(v)
        elif campo == "provincia":
            t = _testo(v)
            out[campo] = t.upper() if t else None
        elif campo == "cap":
            t = _testo(v)
            numerico = isinstance(v, (int, float)) and not isinstance(v, bool)
            out[campo] = t.zfill(5) if numerico and t and t.isdigit() else t  # 0 iniziale perso da Excel
        elif campo == "tipo":
            t = _testo(v)
            if t is None:
                out[campo] = None
            elif _chiave(t) in _VALORI_TIPO:
                out[campo] = _VALORI_TIPO[_chiave(t)]
            else:
                problemi.append((campo, f"'{t}' non è un tipo di soggetto previsto; usa per esempio "
                                        "persona fisica, impresa, associazione, ente territoriale, condominio"))
                out[campo] = None
        elif campo == "ruolo":
            t = _testo(v)
            if t is None:
                out[campo] = None
            elif _chiave(t) in _VALORI_RUOLO:
                out[campo] = _VALORI_RUOLO[_chiave(t)]
            else:
                problemi.append((campo, f"'{t}' non è un ruolo previsto: usa consumatore, prosumer o produttore "
                                        "(oppure lascia vuoto se il soggetto non è membro)"))
                out[campo] = None
        elif campo == "dimensione":
            t = _testo(v)
            if t is None:
                out[campo] = None
            elif _chiave(t) in _VALORI_DIMENSIONE:
                out[campo] = _VALORI_DIMENSIONE[_chiave(t)]
            else:
                problemi.append((campo, f"'{t}' non è una dimensione d'impresa: usa micro, piccola, media o grande"))
                out[campo] = None
        else:
            out[campo] = _testo(v)
    return out, problemi


def deduci_tipo(valori: dict[str, Any]) -> str:
    """Il tipo di soggetto quando la riga non lo dice: persona se ha nome e cognome."""
    if valori.get("tipo"):
        return valori["tipo"]
    if valori.get("nome") or valori.get("cognome"):
        return "persona_fisica"
    if valori.get("partita_iva") or valori.get("dimensione"):
        return "impresa"
    return "altro"


def controlla_riga(valori: dict[str, Any], oggi: dt.date | None = None) -> list[tuple[str, str]]:
    """Controlli di una riga già normalizzata: nome, codici, CAP, provincia, date, email.

    Restituisce coppie (campo, messaggio); un campo vuoto non è un errore qui (salvo i nomi):
    i dati mancanti li segnala la verifica della pratica, con la loro fonte.
    """
    problemi: list[tuple[str, str]] = []
    tipo = deduci_tipo(valori)
    if tipo == "persona_fisica":
        if not valori.get("nome"):
            problemi.append(("nome", "manca il nome della persona"))
        if not valori.get("cognome"):
            problemi.append(("cognome", "manca il cognome della persona"))
    elif not valori.get("denominazione"):
        problemi.append(("denominazione", "manca la denominazione (ragione sociale) del soggetto"))
    cf = valori.get("codice_fiscale")
    if cf:
        m = idf.codice_fiscale_persona(cf) if tipo == "persona_fisica" else idf.codice_fiscale_ente(cf)
        if m:
            problemi.append(("codice_fiscale", m))
    if valori.get("partita_iva") and (m := idf.partita_iva(valori["partita_iva"])):
        problemi.append(("partita_iva", m))
    if valori.get("iban") and (m := idf.iban(valori["iban"])):
        problemi.append(("iban", m))
    if (m := idf.cap(valori.get("cap"))):
        problemi.append(("cap", m))
    if (m := idf.provincia(valori.get("provincia"))):
        problemi.append(("provincia", m))
    for campo in ("email", "pec"):
        e = valori.get(campo)
        if e and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", e):
            problemi.append((campo, f"'{e}' non è un indirizzo di posta elettronica"))
    oggi = oggi or dt.date.today()
    nato = valori.get("nato_il")
    if nato and nato > oggi:
        problemi.append(("nato_il", "la data di nascita è nel futuro"))
    adesione, recesso = valori.get("data_adesione"), valori.get("data_recesso")
    if adesione and recesso and recesso < adesione:
        problemi.append(("data_recesso", "la data di uscita viene prima della data di adesione"))
    if recesso and not valori.get("ruolo"):
        problemi.append(("data_recesso", "la data di uscita vale solo per un membro: indica anche il ruolo"))
    if valori.get("pod") and (m := idf.pod(valori["pod"], oggi)):
        problemi.append(("pod", m))
    if valori.get("potenza_impianto_kw") and not valori.get("pod"):
        problemi.append(("potenza_impianto_kw", "un impianto è collegato a un POD: indica il POD del membro"))
    if valori.get("dimensione") and tipo != "impresa":
        problemi.append(("dimensione", "la dimensione d'impresa vale solo per il tipo «Impresa»"))
    return problemi


# --------------------------------------------------------------------------- problemi

@dataclass
class ProblemaRiga:
    """Un problema di una riga (di un file o di una tabella): campo in italiano, messaggio, riga, di chi."""

    campo: str
    messaggio: str
    riga: int | None = None
    nome: str | None = None

    def __str__(self) -> str:
        testa = ""
        if self.riga is not None:
            testa = f"Riga {self.riga}" + (f" ({self.nome})" if self.nome else "")
        if self.campo:
            testa = f"{testa}, {self.campo}" if testa else self.campo[:1].upper() + self.campo[1:]
        if not testa:
            return self.messaggio[:1].upper() + self.messaggio[1:]
        return f"{testa}: {self.messaggio}"


# --------------------------------------------------------------------------- lettura del file

class ErroreImportazione(Exception):
    """Il file non si può importare affatto; il messaggio è in italiano."""


@dataclass
class EsitoImportazione:
    """Righe buone (pronte per la tabella dei soggetti) e problemi delle righe scartate."""

    file: str
    righe: list[dict[str, Any]] = field(default_factory=list)
    problemi: list[ProblemaRiga] = field(default_factory=list)
    righe_lette: int = 0
    colonne: dict[str, str] = field(default_factory=dict)          # intestazione del file → campo
    colonne_ignorate: list[str] = field(default_factory=list)

    @property
    def righe_scartate(self) -> list[int]:
        return sorted({p.riga for p in self.problemi if p.riga is not None})

    def riassunto(self) -> str:
        n_ok, n_ko = len(self.righe), len(self.righe_scartate)
        testo = f"{n_ok} {'riga valida' if n_ok == 1 else 'righe valide'} su {self.righe_lette}"
        if n_ko:
            testo += f"; {n_ko} {'riga scartata' if n_ko == 1 else 'righe scartate'} (vedi i problemi)"
        return testo


def _righe_csv(contenuto: bytes) -> Iterator[tuple[int, list[Any]]]:
    for codifica in ("utf-8-sig", "cp1252"):
        try:
            testo = contenuto.decode(codifica)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodifica quasi tutto
        raise ErroreImportazione("il file non è un testo leggibile: salvalo come CSV UTF-8")
    if "\x00" in testo:
        raise ErroreImportazione("il file non è un CSV di testo: se è un foglio Excel salvalo con estensione .xlsx")
    prima = next((r for r in testo.splitlines() if r.strip()), "")
    separatore = max((";", ",", "\t", "|"), key=prima.count) if prima else ";"
    lettore = csv.reader(io.StringIO(testo, newline=""), delimiter=separatore)
    try:
        for n, riga in enumerate(lettore, start=1):
            yield n, riga
    except csv.Error as e:
        raise ErroreImportazione(f"il CSV non è leggibile ({e}): controlla le virgolette") from None


def _righe_xlsx(contenuto: bytes, nome_file: str = "foglio.xlsx") -> Iterator[tuple[int, list[Any]]]:
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    from cer_docs.sicurezza.archivi import LIMITI_XLSX, ArchivioPericoloso, controlla_zip

    try:
        controlla_zip(contenuto, nome_file, LIMITI_XLSX, "Il foglio Excel")  # bombe di decompressione
    except ArchivioPericoloso as e:
        raise ErroreImportazione(str(e)) from None
    try:
        wb = load_workbook(io.BytesIO(contenuto), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise ErroreImportazione("il file non è un foglio Excel .xlsx valido: aprilo e salvalo di nuovo "
                                 "come .xlsx, oppure esportalo in CSV") from None
    try:
        ws = wb.worksheets[0] if wb.worksheets else None
        if ws is None:
            raise ErroreImportazione("il foglio Excel non contiene fogli di lavoro")
        # al massimo COLONNE_MASSIME colonne: un foglio che dichiara 16.384 colonne non si espande in memoria
        for n, riga in enumerate(ws.iter_rows(values_only=True, max_col=COLONNE_MASSIME), start=1):
            if n > 2 * RIGHE_MASSIME:  # anche le righe vuote costano: un foglio di un milione di righe no
                raise ErroreImportazione(f"il foglio Excel ha più di {2 * RIGHE_MASSIME} righe: dividilo in più file")
            yield n, list(riga)
    finally:
        wb.close()


def _righe_file(contenuto: bytes, nome_file: str) -> Iterator[tuple[int, list[Any]]]:
    nome = nome_file.lower()
    if nome.endswith((".xlsx", ".xlsm")) or contenuto[:4] == b"PK\x03\x04":
        return _righe_xlsx(contenuto, nome_file)
    if nome.endswith(".xls"):
        raise ErroreImportazione("il formato .xls (Excel 97-2003) non è supportato: salva il foglio come .xlsx "
                                 "o come CSV")
    if nome.endswith((".csv", ".txt", ".tsv")) or not nome.rpartition(".")[1]:
        return _righe_csv(contenuto)
    raise ErroreImportazione(f"«{nome_file}» non è un file CSV o Excel (.xlsx): usa uno di questi formati")


def _mappa_intestazioni(intestazioni: list[Any]) -> tuple[dict[int, str], dict[str, str], list[str]]:
    indici: dict[int, str] = {}
    colonne: dict[str, str] = {}
    ignorate: list[str] = []
    for i, h in enumerate(intestazioni):
        testo = _testo(h)
        if not testo:
            continue
        campo = _INTESTAZIONI.get(_chiave(testo))
        if campo is None or campo in indici.values():
            ignorate.append(testo)
            continue
        indici[i] = campo
        colonne[testo] = campo
    return indici, colonne, ignorate


def leggi_membri(contenuto: bytes, nome_file: str, *, pratica: Pratica | None = None,
                 oggi: dt.date | None = None) -> EsitoImportazione:
    """Legge un elenco di soggetti/membri da CSV (``;`` o ``,``) o XLSX con intestazioni italiane.

    La prima riga non vuota è l'intestazione. Le righe con problemi sono elencate (riga del file,
    campo, messaggio) e scartate; le altre tornano in ``righe``. Se ``pratica`` è data, un codice
    fiscale già presente nella pratica scarta la riga (il soggetto c'è già).
    Senza colonna ``ruolo`` ogni riga è un membro consumatore.
    """
    if len(contenuto) > DIMENSIONE_MASSIMA_FILE:
        raise ErroreImportazione(f"il file pesa più di {DIMENSIONE_MASSIMA_FILE // (1024 * 1024)} MB: "
                                 "dividilo in più file")
    if not contenuto.strip():
        raise ErroreImportazione("il file è vuoto")
    esito = EsitoImportazione(file=nome_file)
    righe = _righe_file(contenuto, nome_file)
    indici: dict[int, str] | None = None
    campi: set[str] = set()
    cf_visti: dict[str, int] = {}
    pod_visti: dict[str, int] = {}
    cf_pratica: dict[str, str] = {}
    if pratica is not None:
        cf_pratica = {idf.normalizza(s.codice_fiscale): s.nome_completo for s in pratica.soggetti if s.codice_fiscale}
    for n, celle in righe:
        if all(valore_vuoto(c) for c in celle):
            continue
        if indici is None:
            indici, esito.colonne, esito.colonne_ignorate = _mappa_intestazioni(celle)
            campi = set(indici.values())
            if not (campi & {"nome", "cognome", "denominazione"}):
                trovate = ", ".join(str(_testo(c)) for c in celle if _testo(c)) or "nessuna"
                raise ErroreImportazione(
                    "la prima riga del file deve contenere le intestazioni delle colonne, con almeno «nome» e "
                    "«cognome» (persone) o «denominazione» (enti e imprese). Intestazioni riconosciute: nome, "
                    "cognome, denominazione, codice fiscale, partita IVA, data di nascita, luogo di nascita, "
                    "indirizzo, CAP, comune, provincia, email, ruolo, data di adesione, data di uscita, POD, "
                    "potenza impianto. Trovate: " + trovate)
            continue
        esito.righe_lette += 1
        if esito.righe_lette > RIGHE_MASSIME:
            raise ErroreImportazione(f"il file ha più di {RIGHE_MASSIME} righe: dividilo in più file")
        grezza = {campo: (celle[i] if i < len(celle) else None) for i, campo in indici.items()}
        valori, problemi = normalizza_riga(grezza)
        if "ruolo" not in campi:
            valori["ruolo"] = "consumatore"
        valori["tipo"] = deduci_tipo(valori)
        problemi += controlla_riga(valori, oggi)
        cf = valori.get("codice_fiscale")
        if cf:
            if cf in cf_visti:
                problemi.append(("codice_fiscale", f"il codice fiscale {cf} è già alla riga {cf_visti[cf]} "
                                                   "del file: togli il doppione"))
            elif cf in cf_pratica:
                problemi.append(("codice_fiscale", f"{cf_pratica[cf]} ha già questo codice fiscale ed è già nella "
                                                   "pratica: la riga non serve"))
            else:
                cf_visti[cf] = n
        if problemi:
            nome = (" ".join(x for x in (valori.get("nome"), valori.get("cognome")) if x)
                    or valori.get("denominazione") or None)
            esito.problemi.extend(ProblemaRiga(ETICHETTE_CAMPI.get(c, c), m, n, nome) for c, m in problemi)
            continue
        pod = valori.get("pod")
        if pod:
            if pod in pod_visti:
                esito.problemi.append(ProblemaRiga("POD", f"il POD {pod} è già alla riga {pod_visti[pod]} del file",
                                                   n, None))
                continue
            pod_visti[pod] = n
        riga = {campo: valori.get(campo) for campo in CAMPI_RIGA}
        for extra in ("pec", "telefono", "iban", *CAMPI_IMPORTAZIONE):
            if valori.get(extra):
                riga[extra] = valori[extra]
        esito.righe.append(riga)
    if indici is None:
        raise ErroreImportazione("il file non contiene righe")
    return esito


def modello_csv() -> bytes:
    """Un CSV d'esempio con le intestazioni riconosciute, da scaricare e compilare."""
    intestazioni = ["tipo", "nome", "cognome", "denominazione", "codice fiscale", "partita IVA",
                    "data di nascita", "luogo di nascita", "indirizzo", "CAP", "comune", "provincia", "email",
                    "ruolo", "data di adesione", "data di uscita", "POD", "potenza impianto kW"]
    esempio = [voc.TIPI_SOGGETTO["persona_fisica"].nome, "Mario", "Rossi", "", "RSSMRA75D12D612N", "", "12/04/1975", "Firenze",
               "Via del Castagno 3", "50060", "San Godenzo", "FI", "mario.rossi@example.it", "prosumer",
               "20/10/2025", "", "IT001E12345678", "4,5"]
    return csv_sicuro(intestazioni, [esempio])
