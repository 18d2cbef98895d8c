"""Soggetti e membri in forma di tabella: da un foglio CSV o XLSX e dalla tabella della procedura guidata.

Un foglio con intestazioni in italiano (``nome``, ``cognome``, ``codice fiscale``,
``data di nascita``, ``comune``…) diventa un elenco di righe pronte per la tabella dei soggetti
della procedura guidata. Ogni riga si controlla da sola: una riga sbagliata finisce
nell'elenco dei problemi, con il numero di riga del file e il nome del campo, e le righe buone
restano. Un file che non si può leggere affatto (formato sconosciuto, nessuna intestazione
riconosciuta, troppo grande) solleva ``ErroreImportazione`` con un messaggio italiano.

Qui si legge il *file* (intestazioni e valori scritti in molti modi: «azienda», «socio consumatore», il
CAP che Excel ha reso un numero); la conversione e i controlli di ogni riga sono quelli della tabella
«Soggetti e membri» della procedura guidata, dichiarata nel catalogo delle domande e applicata dal motore
(``motore_passi.converti_righe`` e ``applica_righe``): una riga del file vale quanto una riga della tabella.
Restano qui solo le colonne che la tabella non ha: il POD del membro e la potenza del suo impianto.

Uso::

    esito = leggi_membri(contenuto, "soci.xlsx", pratica=pratica_attuale)
    for p in esito.problemi:
        print(p)                         # "riga 4, campo 'codice fiscale': il carattere di controllo..."
    nuova = aggiungi_soggetti(pratica_attuale, esito.righe, oggi, configurazione=0)   # con POD e impianti
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import io
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Iterator

from cer_docs.italiano import mese_e_anno
from cer_docs.model import vocabolario as voc
from cer_docs.model import Pratica
from cer_docs.model.pratica import DimensioneImpresa, RuoloMembro, TipoSoggetto
from cer_docs.rules import identificativi as idf
from cer_docs.sicurezza.fogli import csv_sicuro

__all__ = [
    "ProblemaRiga", "DIMENSIONE_MASSIMA_FILE", "ErroreImportazione", "EsitoImportazione", "RIGHE_MASSIME",
    "aggiungi_soggetti", "leggi_data", "leggi_membri", "modello_csv", "valore_vuoto",
]

DIMENSIONE_MASSIMA_FILE = 10 * 1024 * 1024
"""Un elenco di 10.000 membri pesa circa 2 MB in CSV: oltre 10 MB è un errore d'uso (limite tecnico)."""
RIGHE_MASSIME = 20_000
COLONNE_MASSIME = 100  # colonne lette da un foglio Excel (le intestazioni riconosciute sono una ventina)

_ETICHETTE_TIPO: dict[str, str] = voc.TIPI_SOGGETTO.etichette()
_ETICHETTE_RUOLO: dict[str, str] = voc.RUOLI_MEMBRO.etichette()
_ETICHETTE_DIMENSIONE: dict[str, str] = voc.DIMENSIONI_IMPRESA.etichette()

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

_VALORI_TIPO: dict[str, str] = {_chiave(v): k for k, v in _ETICHETTE_TIPO.items()}
_VALORI_TIPO.update({_chiave(k): k for k in _TIPI})
_VALORI_TIPO.update({
    "persona": "persona_fisica", "privato": "persona_fisica", "cittadino": "persona_fisica",
    "pf": "persona_fisica", "azienda": "impresa", "societa": "impresa", "ditta": "impresa", "pmi": "impresa",
    "comune": "ente_territoriale", "ente locale": "ente_territoriale", "parrocchia": "ente_religioso",
    "terzo settore": "ets", "aps": "ets", "odv": "ets", "universita": "ente_ricerca",
})
_VALORI_RUOLO: dict[str, str | None] = {_chiave(k): k for k in _RUOLI}
_VALORI_RUOLO.update({_chiave(v): k for k, v in _ETICHETTE_RUOLO.items()})
_VALORI_RUOLO.update({
    "consumer": "consumatore", "socio consumatore": "consumatore", "cliente finale": "consumatore",
    "produttore e consumatore": "prosumer", "autoconsumatore": "prosumer", "producer": "produttore",
    "no": None, "non membro": None, "nessuno": None,
})
_VALORI_DIMENSIONE: dict[str, str] = {_chiave(k): k for k in _DIMENSIONI}
_VALORI_DIMENSIONE.update({_chiave(v): k for k, v in _ETICHETTE_DIMENSIONE.items()})
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
    if m := re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", s):
        giorno, mese, anno = (int(x) for x in m.groups())
        if anno < 1 or not 1 <= mese <= 12 or giorno < 1:   # ogni parte che non esiste, non solo la prima
            parti = ([f"il giorno {m.group(1)}"] if giorno < 1 else []) + \
                    ([f"il mese {m.group(2)}"] if not 1 <= mese <= 12 else []) + \
                    ([f"l'anno {m.group(3)}"] if anno < 1 else [])
            elenco = parti[0] if len(parti) == 1 else f"{', '.join(parti[:-1])} e {parti[-1]}"
            verbo = "non esiste" if len(parti) == 1 else "non esistono"
            raise ValueError(f"'{s}': {elenco} {verbo} (scrivi la data come GG/MM/AAAA, es. 12/04/1975)")
        if giorno > calendar.monthrange(anno, mese)[1]:
            giorni = calendar.monthrange(anno, mese)[1]
            raise ValueError(f"'{s}' non esiste: {mese_e_anno(dt.date(anno, mese, 1))} ha {giorni} giorni")
    raise ValueError(f"'{s}' non è una data: scrivila come GG/MM/AAAA (es. 12/04/1975)")


def _normalizza_codice(v: Any) -> str | None:
    t = _testo(v)
    return idf.normalizza(t) or None


_VALORI_SCELTE: dict[str, dict[str, str | None]] = {
    "tipo": _VALORI_TIPO, "ruolo": _VALORI_RUOLO, "dimensione": _VALORI_DIMENSIONE}


def _pulisci(grezza: dict[str, Any], oggi: dt.date | None) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """Una riga del file come la scriverebbe la tabella: testi ripuliti, tipo, ruolo e dimensione scritti in
    parole riconosciuti (una parola sconosciuta resta: il motore la segnala), il CAP con lo zero iniziale
    che Excel perde; POD e potenza dell'impianto (colonne solo del file) letti e controllati qui."""
    out: dict[str, Any] = {}
    problemi: list[tuple[str, str]] = []
    for campo, v in grezza.items():
        if isinstance(v, (dt.date, dt.datetime)) or hasattr(v, "to_pydatetime"):
            out[campo] = v                 # una data vera (Excel): la legge il motore
        elif campo in _VALORI_SCELTE:
            t = _testo(v)
            out[campo] = _VALORI_SCELTE[campo].get(_chiave(t), t) if t else None
        elif campo == "cap":
            t = _testo(v)
            numerico = isinstance(v, (int, float)) and not isinstance(v, bool)
            out[campo] = t.zfill(5) if numerico and t and t.isdigit() else t  # 0 iniziale perso da Excel
        elif campo == "pod":
            out[campo] = _normalizza_codice(v)
        elif campo == "potenza_impianto_kw":
            t = _testo(v)
            try:
                out[campo] = None if t is None else float(t.replace(".", "").replace(",", ".") if "," in t else t)
            except ValueError:
                problemi.append(("potenza dell'impianto (kW)", f"'{t}' non è un numero di kW (es. 6 o 4,5)"))
                out[campo] = None
            else:
                if out[campo] is not None and not out[campo] > 0:
                    problemi.append(("potenza dell'impianto (kW)", "la potenza dell'impianto deve essere maggiore di "
                                                                   "zero"))
        else:
            out[campo] = _testo(v)
    if out.get("pod") and (m := idf.pod(out["pod"], oggi or dt.date.today())):
        problemi.append(("POD", m))
    if out.get("potenza_impianto_kw") and not out.get("pod"):
        problemi.append(("potenza dell'impianto (kW)", "un impianto è collegato a un POD: indica il POD del membro"))
    return out, problemi


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
    lette: list[tuple[int, dict[str, Any], list[tuple[str, str]]]] = []
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
        pulita, problemi = _pulisci({campo: (celle[i] if i < len(celle) else None) for i, campo in indici.items()},
                                    oggi)
        if "ruolo" not in campi:
            pulita["ruolo"] = "consumatore"
        lette.append((n, pulita, problemi))
    if indici is None:
        raise ErroreImportazione("il file non contiene righe")
    _controlla(esito, lette, pratica, oggi)
    return esito


def _nome(riga: dict[str, Any]) -> str | None:
    return " ".join(x for x in (riga.get("nome"), riga.get("cognome")) if x) or riga.get("denominazione") or None


def _controlla(esito: EsitoImportazione, lette: list[tuple[int, dict[str, Any], list[tuple[str, str]]]],
               pratica: Pratica | None, oggi: dt.date | None) -> None:
    """Ogni riga del file passa per la conversione e i controlli della tabella dei soggetti (il motore dei
    passi); poi i controlli che valgono solo per un file: codice fiscale già nella pratica, POD ripetuto."""
    from cer_docs.services import motore_passi

    convertite, problemi_motore = motore_passi.converti_righe(pratica, "soggetti", [x[1] for x in lette], oggi,
                                                              [x[0] for x in lette])
    per_riga: dict[int, list[ProblemaRiga]] = {}
    for pr in problemi_motore:
        per_riga.setdefault(pr.riga, []).append(pr)
    cf_pratica = {idf.normalizza(s.codice_fiscale): s.nome_completo for s in pratica.soggetti
                  if s.codice_fiscale} if pratica is not None else {}
    colonne = list(dict.fromkeys(d.nome for d in motore_passi.colonne_importabili("soggetti")))
    pod_visti: dict[str, int] = {}
    for (n, pulita, problemi), valori in zip(lette, convertite):
        nome = _nome(valori or pulita)
        if valori is not None and (cf := valori.get("codice_fiscale")) in cf_pratica:
            problemi.append(("codice fiscale", f"{cf_pratica[cf]} ha già questo codice fiscale ed è già nella "
                                               "pratica: la riga non serve"))
        scarti = [ProblemaRiga(c, m, n, nome) for c, m in problemi] + per_riga.get(n, [])
        if scarti or valori is None:
            esito.problemi.extend(scarti)
            continue
        if pod := pulita.get("pod"):
            if pod in pod_visti:
                esito.problemi.append(ProblemaRiga("POD", f"il POD {pod} è già alla riga {pod_visti[pod]} del file",
                                                   n, nome))
                continue
            pod_visti[pod] = n
        riga = {c: valori.get(c) for c in colonne if c in valori or c not in ("pec", "telefono", "iban")}
        riga.update({c: pulita[c] for c in CAMPI_IMPORTAZIONE if pulita.get(c)})
        esito.righe.append(riga)


def aggiungi_soggetti(pratica: Pratica, righe: list[dict[str, Any]], oggi: dt.date | None = None, *,
                      configurazione: int | None = None) -> Pratica:
    """Aggiunge in coda alla tabella dei soggetti le righe lette da un file (già controllate).

    Le righe con un POD diventano anche punti di connessione della configurazione ``configurazione``
    (titolare il nuovo soggetto); con la potenza dell'impianto, anche un impianto fotovoltaico su quel
    POD (produttore il nuovo soggetto), da completare nel passo «Impianti». Ogni parte passa per il motore
    dei passi come se la si fosse scritta nella sua tabella: soggetti, POD della configurazione, impianti.
    Solleva ``procedura.ErrorePasso`` e non cambia nulla se una parte non va.
    """
    from cer_docs.services import motore_passi
    from cer_docs.services import procedura as proc

    nuove = [{**{k: x[k] for k in x if k not in CAMPI_IMPORTAZIONE}, "id": None} for x in righe]
    dopo = motore_passi.applica_righe(pratica, "soggetti", motore_passi.righe(pratica, "soggetti") + nuove, oggi)
    con_pod = [(i, x) for i, x in enumerate(righe) if x.get("pod")]
    if not con_pod:
        return dopo
    r = proc._Raccolta("soggetti")
    ci = configurazione
    if ci is None or not 0 <= ci < len(dopo.configurazioni):
        r("POD", "il file ha dei POD: scegli prima la configurazione a cui aggiungerli (o creane una nel passo "
                 "«Configurazioni»)")
        r.verifica()
    ids_nuovi = [s.id for s in dopo.soggetti[len(pratica.soggetti):]]
    esistenti = {pc.pod for c in dopo.configurazioni for pc in c.punti_connessione}
    for i, x in con_pod:
        if x["pod"] in esistenti:
            r("POD", f"il POD {x['pod']} è già nella pratica", i + 1, _nome(x))
    r.verifica()
    tabella_pod = motore_passi.PASSI_GENERATI["configurazioni"].tabelle["configurazioni[].punti_connessione[]"].nome
    punti = motore_passi.valori(dopo, "configurazioni", (ci,))[tabella_pod]
    punti += [{"pod": x["pod"], "soggetto": ids_nuovi[i], "indirizzo": x.get("indirizzo")} for i, x in con_pod]
    dopo = motore_passi.applica(dopo, "configurazioni", {tabella_pod: punti}, (ci,), oggi)
    impianti = [{"id": None, "denominazione": f"Fotovoltaico {_nome(x) or ids_nuovi[i]}", "fonte": "fotovoltaico",
                 "potenza_kw": x["potenza_impianto_kw"], "pod": x["pod"], "produttore": ids_nuovi[i]}
                for i, x in con_pod if x.get("potenza_impianto_kw")]
    if impianti:
        dopo = motore_passi.applica_righe(dopo, "impianti", motore_passi.righe(dopo, "impianti", (ci,)) + impianti,
                                          oggi, (ci,), al=oggi)
    return dopo


def modello_csv() -> bytes:
    """Un CSV d'esempio con le intestazioni riconosciute, da scaricare e compilare."""
    intestazioni = ["tipo", "nome", "cognome", "denominazione", "codice fiscale", "partita IVA",
                    "data di nascita", "luogo di nascita", "indirizzo", "CAP", "comune", "provincia", "email",
                    "ruolo", "data di adesione", "data di uscita", "POD", "potenza impianto kW"]
    esempio = [voc.TIPI_SOGGETTO["persona_fisica"].nome, "Mario", "Rossi", "", "RSSMRA75D12D612N", "", "12/04/1975", "Firenze",
               "Via del Castagno 3", "50060", "San Godenzo", "FI", "mario.rossi@example.it", "prosumer",
               "20/10/2025", "", "IT001E12345678", "4,5"]
    return csv_sicuro(intestazioni, [esempio])
