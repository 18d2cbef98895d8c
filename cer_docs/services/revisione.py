"""Il giro dell'avvocato: versioni dei documenti della pratica, confronto clausola per clausola,
redline, controlli sul testo modificato e rigenerazione senza perdere le modifiche.

Le versioni di un documento (statuto, atto costitutivo, regolamento di una configurazione,
accordo con un produttore terzo) stanno nella tabella dei file caricati della pratica, con il
documento a cui appartengono, il numero di versione, l'origine (``generato``, ``caricato``,
``unito``), la versione da cui vengono, chi e quando, l'impronta del file e se è quella
firmata. Nessuna versione si sovrascrive: un caricamento o un'unione ne aggiunge una.
Ogni scrittura lascia un evento nel registro della pratica.

Il documento si indica con una chiave: ``statuto``, ``atto_costitutivo``,
``regolamento:<configurazione>``, ``accordo_produttore_terzo:<soggetto>``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from lxml import etree
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from cer_docs.italiano import percentuale, plurale
from cer_docs.documents.coerenza import Dato, RilievoTesto, verifica_dati, verifica_elementi
from cer_docs.documents.confronto import Confronto, confronta
from cer_docs.documents.lettura_docx import leggi_documento
from cer_docs.documents.redline import redline_docx
from cer_docs.documents.unione import SCELTE, EsitoUnione, ErroreUnione, unisci_docx
from cer_docs.model import Pratica
from cer_docs.services import accesso
from cer_docs.store import get_engine, utcnow
from cer_docs.store import repository as repo
from cer_docs.store.tables import DocumentoCaricatoRecord

from . import documenti as svc_documenti
from .archivio import Archivio, ErroreArchivio, PraticaNonTrovata, autore_predefinito, ora_locale

__all__ = [
    "DIMENSIONE_MASSIMA", "REVISIONABILI", "SCELTE", "Confronto", "ErroreRevisione", "EsitoCaricamento",
    "EsitoUnioneVersioni", "Revisione", "RilievoTesto", "VersioneDocumento", "confronta_file",
    "documenti_revisionabili", "redline_file", "revisione",
]

REVISIONABILI = ("statuto", "atto_costitutivo", "regolamento", "accordo_produttore_terzo")
DIMENSIONE_MASSIMA = 25 * 1024 * 1024
MIME_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_ORIGINI = {"generato": "generata da cer-docs", "caricato": "caricata", "unito": "unita ai dati nuovi"}


class ErroreRevisione(ErroreArchivio):
    """Errore d'uso, con un messaggio italiano da mostrare così com'è."""


@dataclass(frozen=True)
class VersioneDocumento:
    id: int
    documento: str
    versione: int
    origine: str                 # generato | caricato | unito
    nome_file: str
    tipo: str                    # docx | pdf
    sha256: str
    dimensione: int
    caricato_il: dt.datetime
    autore: str
    firmato: bool
    base_id: int | None
    nota: str | None = None

    @property
    def descrizione(self) -> str:
        firma = " · firmata" if self.firmato else ""
        return (f"v{self.versione} · {_ORIGINI.get(self.origine, self.origine)} · {self.tipo.upper()} · "
                f"{ora_locale(self.caricato_il)} · {self.autore}{firma}")

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "documento": self.documento, "versione": self.versione, "origine": self.origine,
                "nome_file": self.nome_file, "tipo": self.tipo, "sha256": self.sha256,
                "dimensione": self.dimensione, "caricato_il": self.caricato_il.isoformat(),
                "autore": self.autore, "firmato": self.firmato, "base_id": self.base_id, "nota": self.nota}


@dataclass
class EsitoCaricamento:
    versione: VersioneDocumento
    base: VersioneDocumento | None = None
    confronto: Confronto | None = None
    rilievi: list[RilievoTesto] = field(default_factory=list)
    note: list[str] = field(default_factory=list)


@dataclass
class EsitoUnioneVersioni:
    unione: EsitoUnione
    versione: VersioneDocumento | None            # None finché restano conflitti senza scelta
    generata: VersioneDocumento | None = None     # la versione appena generata dai dati attuali
    partenza: VersioneDocumento | None = None     # la versione dell'avvocato che si è unita
    nulla_da_unire: bool = False                   # i dati non cambiano nulla: nessuna versione nuova


def _versione(r: DocumentoCaricatoRecord) -> VersioneDocumento:
    return VersioneDocumento(id=int(r.id), documento=r.documento or "", versione=int(r.versione or 0),
                             origine=r.origine or "caricato", nome_file=r.nome_file, tipo=r.tipo,
                             sha256=r.sha256, dimensione=r.dimensione, caricato_il=r.caricato_il,
                             autore=r.autore, firmato=bool(r.firmato), base_id=r.base_id,
                             nota=(r.esito or {}).get("nota"))


def _tipo_file(nome: str, dati: bytes) -> str:
    if dati[:5] == b"%PDF-":
        return "pdf"
    if dati[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(dati)) as z:
                if "word/document.xml" in z.namelist():
                    leggi_documento(dati)  # un DOCX rotto si ferma qui, con un messaggio
                    return "docx"
        except (zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError):
            raise ErroreRevisione(f"«{nome}» sembra un DOCX ma non si riesce a leggere: aprilo in Word o in "
                                  "LibreOffice e salvalo di nuovo come .docx") from None
    raise ErroreRevisione(f"«{nome}» non è un documento Word (DOCX) né un PDF: carica il file salvato da Word "
                          "o da LibreOffice in formato .docx, oppure il PDF")


def _chiave(voce: dict[str, Any]) -> str:
    chi = voce.get("configurazione") or voce.get("oggetto")
    return f"{voce['documento']}:{chi}" if chi else str(voce["documento"])


def documenti_revisionabili(pratica: Pratica) -> list[dict[str, Any]]:
    """I documenti della pratica che l'avvocato può modificare e ricaricare: chiave, titolo, file."""
    out = []
    for v in svc_documenti.documenti_disponibili(pratica):
        if v.get("documento") in REVISIONABILI:
            chi = v.get("configurazione") or v.get("oggetto")
            out.append({"chiave": _chiave(v), "documento": v["documento"], "titolo": v["titolo"] + (f" ({chi})" if chi else ""),
                        "configurazione": v.get("configurazione"), "oggetto": v.get("oggetto"),
                        "nome_file": v["nome_file"]})
    return out


def _dati_pratica(p: Pratica) -> list[Dato]:
    """I dati della pratica che il testo deve riportare come sono."""
    from cer_docs.italiano import data_lunga

    from .procedura import ETICHETTE_FORMA_GIURIDICA

    out: list[Dato] = []
    c = p.comunita
    if c is not None:
        out.append(Dato("Denominazione della comunità", c.denominazione or "", "comunita.denominazione"))
        if c.sede is not None:
            out.append(Dato("Sede (indirizzo)", c.sede.indirizzo or "", "comunita.sede.indirizzo"))
            out.append(Dato("Sede (Comune)", c.sede.comune or "", "comunita.sede.comune"))
        forma = ETICHETTE_FORMA_GIURIDICA.get(c.forma_giuridica or "")
        if forma:
            out.append(Dato("Forma giuridica", forma, "comunita.forma_giuridica"))
        if c.codice_fiscale:
            out.append(Dato("Codice fiscale della comunità", c.codice_fiscale, "comunita.codice_fiscale"))
        riparto = getattr(c, "riparto_benefici", None)
        if riparto is not None:
            for k, v in (riparto.model_dump() if hasattr(riparto, "model_dump") else dict(riparto)).items():
                if v is not None:
                    out.append(Dato(f"Riparto dei benefici ({k.replace('_', ' ')})", percentuale(Decimal(str(v)).normalize()),
                                    f"comunita.riparto_benefici.{k}"))
        atto = getattr(c, "atto_costitutivo", None)
        if atto is not None and getattr(atto, "data", None):
            out.append(Dato("Data dell'atto costitutivo", data_lunga(atto.data), "comunita.atto_costitutivo.data"))
    for i, s in enumerate(p.soggetti):
        out.append(Dato("Soggetto", s.nome_completo, f"soggetti[{i}]"))
        if s.codice_fiscale:
            out.append(Dato(f"Codice fiscale di {s.nome_completo}", s.codice_fiscale, f"soggetti[{i}].codice_fiscale"))
        luogo = s.luogo
        if luogo is not None and luogo.indirizzo:
            out.append(Dato(f"Indirizzo di {s.nome_completo}", luogo.indirizzo, f"soggetti[{i}]"))
    for ci, conf in enumerate(p.configurazioni):
        if conf.denominazione:
            out.append(Dato("Denominazione della configurazione", conf.denominazione, f"configurazioni[{ci}].denominazione"))
        for pi, pc in enumerate(conf.punti_connessione):
            out.append(Dato("POD", pc.pod, f"configurazioni[{ci}].punti_connessione[{pi}].pod"))
    for t in p.produttori_terzi:
        q = getattr(t, "quota_incentivo_pct", None)
        if q is not None:
            out.append(Dato("Quota del produttore terzo", percentuale(Decimal(str(q)).normalize()), "produttori_terzi"))
    return out


class Revisione:
    """I casi d'uso su un database preciso; ``clock`` dà l'istante UTC."""

    def __init__(self, engine: Engine | None = None, clock: Callable[[], dt.datetime] = utcnow):
        self.engine = engine or get_engine()
        self.clock = clock
        self.archivio = Archivio(self.engine, clock)

    def _oggi(self) -> dt.date:
        return dt.date.fromisoformat(ora_locale(self.clock(), "%Y-%m-%d"))

    def _richiedi(self, codice: str, azione: str, attore: accesso.Attore | str | None) -> str:
        """Controlla il permesso (issue 15) e dà l'autore da scrivere nel registro. ``attore`` è
        l'account (``Attore``) o, per l'uso personale, il nome dichiarato."""
        if isinstance(attore, accesso.Attore):
            chi, dichiarato = attore, None
        else:
            chi, dichiarato = accesso.risolvi(None), attore
        self.archivio.richiedi(codice, azione, attore=chi)
        return accesso.autore_di(chi, dichiarato)

    # ------------------------------------------------------------------ lettura
    def documenti(self, codice: str, *, attore: accesso.Attore | None = None) -> list[dict[str, Any]]:
        return documenti_revisionabili(self.archivio.apri(codice, attore=accesso.risolvi(attore)).pratica)

    def versioni(self, codice: str, documento: str | None = None, *,
                 attore: accesso.Attore | str | None = None) -> list[VersioneDocumento]:
        self._richiedi(codice, "leggi", attore)
        return self._versioni(codice, documento)

    def _versioni(self, codice: str, documento: str | None = None) -> list[VersioneDocumento]:
        with Session(self.engine) as s:
            row = repo.find_pratica(s, codice)
            if row is None:
                raise PraticaNonTrovata(codice)
            stmt = select(DocumentoCaricatoRecord).where(DocumentoCaricatoRecord.pratica_id == row.id,
                                                         DocumentoCaricatoRecord.documento.is_not(None))
            if documento is not None:
                stmt = stmt.where(DocumentoCaricatoRecord.documento == documento)
            return [_versione(r) for r in s.exec(stmt.order_by(DocumentoCaricatoRecord.documento,
                                                                DocumentoCaricatoRecord.versione))]

    def versione(self, codice: str, versione_id: int, *,
                 attore: accesso.Attore | str | None = None) -> VersioneDocumento:
        self._richiedi(codice, "leggi", attore)
        return self._versione_di(codice, versione_id)

    def _versione_di(self, codice: str, versione_id: int) -> VersioneDocumento:
        for v in self._versioni(codice):
            if v.id == versione_id:
                return v
        raise ErroreRevisione(f"la versione {versione_id} non è tra i documenti della pratica '{codice}'")

    def contenuto(self, codice: str, versione_id: int, *, attore: accesso.Attore | str | None = None) -> bytes:
        self._richiedi(codice, "scarica", attore)
        return self._contenuto(codice, versione_id)

    def _contenuto(self, codice: str, versione_id: int) -> bytes:
        self._versione_di(codice, versione_id)
        with Session(self.engine) as s:
            return bytes(s.get(DocumentoCaricatoRecord, versione_id).contenuto)

    # ------------------------------------------------------------------ scrittura
    def _aggiungi(self, codice: str, documento: str, nome_file: str, dati: bytes, tipo: str, origine: str,
                  attore: str | None, base_id: int | None, descrizione: str,
                  nota: str | None = None, dettagli: dict[str, Any] | None = None) -> VersioneDocumento:
        try:
            return self._aggiungi_in(codice, documento, nome_file, dati, tipo, origine, attore, base_id,
                                     descrizione, nota, dettagli)
        except sa.exc.IntegrityError:
            # un'altra persona ha aggiunto una versione (o lo stesso file) nello stesso momento
            raise ErroreRevisione("un'altra versione di questo documento è stata aggiunta nello stesso momento, "
                                  "oppure il file è già nella pratica: ricarica la pagina e riprova") from None

    def _aggiungi_in(self, codice: str, documento: str, nome_file: str, dati: bytes, tipo: str, origine: str,
                     attore: str | None, base_id: int | None, descrizione: str,
                     nota: str | None, dettagli: dict[str, Any] | None) -> VersioneDocumento:
        autore = (attore or "").strip()[:200] or autore_predefinito()
        sha = hashlib.sha256(dati).hexdigest()
        with Session(self.engine, expire_on_commit=False) as s, s.begin():
            row = repo.find_pratica(s, codice)
            if row is None:
                raise PraticaNonTrovata(codice)
            doppio = s.exec(select(DocumentoCaricatoRecord).where(
                DocumentoCaricatoRecord.pratica_id == row.id, DocumentoCaricatoRecord.sha256 == sha)).first()
            if doppio is not None:
                quale = f"versione {doppio.versione} di {doppio.documento}" if doppio.documento else doppio.nome_file
                raise ErroreRevisione(f"questo file è già nella pratica ({quale}): non serve caricarlo di nuovo")
            ultime = s.exec(select(DocumentoCaricatoRecord.versione).where(
                DocumentoCaricatoRecord.pratica_id == row.id, DocumentoCaricatoRecord.documento == documento)).all()
            numero = max([v or 0 for v in ultime] or [0]) + 1
            now = self.clock()
            rec = DocumentoCaricatoRecord(
                pratica_id=row.id, nome_file=nome_file[:255], sha256=sha, tipo=tipo, dimensione=len(dati),
                contenuto=dati, caricato_il=now, autore=autore, esito={"nota": nota} if nota else {},
                documento=documento, versione=numero, origine=origine, base_id=base_id, firmato=False)
            s.add(rec)
            s.flush()
            repo.add_event(s, codice=row.codice, pratica_id=row.id, quando=now, autore=autore,
                           tipo=f"documento_{origine}", descrizione=f"{documento}, versione {numero}: {descrizione}",
                           dettagli={"documento": documento, "versione": numero, "sha256": sha, "file": nome_file,
                                     "base_id": base_id, **(dettagli or {})})
            return _versione(rec)

    def _genera(self, pratica: Pratica, documento: str, al: dt.date) -> tuple[str, bytes]:
        voce = next((d for d in documenti_revisionabili(pratica) if d["chiave"] == documento), None)
        if voce is None:
            scelte = ", ".join(d["chiave"] for d in documenti_revisionabili(pratica)) or "nessuno"
            raise ErroreRevisione(f"documento «{documento}» sconosciuto per questa pratica: scegli tra {scelte}")
        try:
            # il permesso l'ha già controllato il caso d'uso che chiama (caricare, verificare, unire)
            return svc_documenti.genera_documento(pratica, voce["documento"], "docx", al=al,
                                                  configurazione=voce["configurazione"], oggetto=voce["oggetto"],
                                                  attore=accesso.attore_locale("cer-docs"))
        except svc_documenti.ErroreGenerazione as e:
            raise ErroreRevisione(str(e)) from None

    def archivia_generato(self, codice: str, documento: str, *, al: dt.date | None = None,
                          attore: accesso.Attore | str | None = None) -> VersioneDocumento:
        """Genera il DOCX dai dati attuali e lo conserva come nuova versione del documento."""
        autore = self._richiedi(codice, "genera", attore)
        return self._archivia_generato(codice, documento, al=al, autore=autore)

    def _archivia_generato(self, codice: str, documento: str, *, al: dt.date | None, autore: str) -> VersioneDocumento:
        pratica = self.archivio.apri(codice, attore=accesso.attore_locale("cer-docs")).pratica
        nome, dati = self._genera(pratica, documento, al or self._oggi())
        return self._aggiungi(codice, documento, nome, dati, "docx", "generato", autore, None,
                              "generata dai dati della pratica")

    def _documento_del_file(self, pratica: Pratica, dati: bytes, nome: str) -> str:
        tipi = _tipi_nel_file(dati)
        possibili = [d for d in documenti_revisionabili(pratica) if d["documento"] in tipi]
        if len(possibili) == 1:
            return possibili[0]["chiave"]
        elenco = ", ".join(d["chiave"] for d in documenti_revisionabili(pratica))
        if not possibili:
            raise ErroreRevisione(f"non riconosco di quale documento della pratica sia «{nome}»: indicalo "
                                  f"(uno tra {elenco})")
        raise ErroreRevisione(f"«{nome}» può essere più di un documento della pratica: indicalo "
                              f"(uno tra {', '.join(d['chiave'] for d in possibili)})")

    def _base(self, codice: str, documento: str, dati: bytes) -> VersioneDocumento | None:
        """La versione da cui viene il file: quella con più clausole uguali (a parità, la più recente).
        Un file nato da una versione unita e rimodificato viene da quella, non dalla generata."""
        attuali = {c.segnalibro: c.sha256 for c in _clausole(dati)}
        migliore, punti = None, -1
        for v in self._versioni(codice, documento):
            if v.tipo != "docx":
                continue
            p = sum(1 for c in _clausole(self._contenuto(codice, v.id)) if attuali.get(c.segnalibro) == c.sha256)
            if p >= punti:
                migliore, punti = v, p
        return migliore

    def _generata_di_partenza(self, codice: str, v: VersioneDocumento) -> VersioneDocumento | None:
        """Risalendo le versioni da cui viene, la prima generata: il testo fuori clausola di partenza."""
        visti: set[int] = set()
        while v is not None and v.origine != "generato" and v.base_id is not None and v.id not in visti:
            visti.add(v.id)
            v = self._versione_di(codice, v.base_id)
        return v if v is not None and v.origine == "generato" else None

    def carica(self, codice: str, nome_file: str, dati: bytes, *, documento: str | None = None,
               attore: accesso.Attore | str | None = None, al: dt.date | None = None,
               nota: str | None = None) -> EsitoCaricamento:
        """Conserva il file modificato come nuova versione del documento; per un DOCX dice che cosa
        è cambiato rispetto alla versione da cui viene e controlla il testo."""
        if len(dati) > DIMENSIONE_MASSIMA:
            raise ErroreRevisione(f"«{nome_file}» supera {DIMENSIONE_MASSIMA // (1024 * 1024)} MB: non è un "
                                  "documento della pratica")
        attore = self._richiedi(codice, "carica", attore)  # da qui: l'autore da scrivere nel registro
        tipo = _tipo_file(nome_file, dati)
        pratica = self.archivio.apri(codice, attore=accesso.attore_locale("cer-docs")).pratica
        al = al or self._oggi()
        note: list[str] = []
        if tipo == "pdf":
            if documento is None:
                raise ErroreRevisione("per un PDF indica di quale documento si tratta: il PDF si conserva solo "
                                      "per la lettura e non porta le identità delle clausole")
            self._genera_chiave_valida(pratica, documento)
            v = self._aggiungi(codice, documento, nome_file, dati, "pdf", "caricato", attore, None,
                               "PDF caricato (solo lettura)", nota)
            return EsitoCaricamento(v, note=["PDF conservato per la lettura: il confronto e l'unione si fanno "
                                             "sul DOCX"])
        tipi = _tipi_nel_file(dati)
        if documento and tipi and documento.split(":")[0] not in tipi:
            raise ErroreRevisione(f"«{nome_file}» è un documento «{', '.join(sorted(tipi))}», non «{documento}»: "
                                  "scegli il documento giusto")
        documento = documento or self._documento_del_file(pratica, dati, nome_file)
        self._genera_chiave_valida(pratica, documento)
        base = self._base(codice, documento, dati)
        if base is None:
            base = self._archivia_generato(codice, documento, al=al, autore=attore)
            note.append(f"nessuna versione generata conservata: ho archiviato come v{base.versione} quella "
                        "generata dai dati attuali, come versione di partenza")
        originale = self._contenuto(codice, base.id)
        c = confronta(originale, dati)
        conteggio = {k: n for k, n in c.conteggio().items() if n and k != "invariata"}
        v = self._aggiungi(codice, documento, nome_file, dati, "docx", "caricato", attore, base.id,
                           f"file modificato caricato (rispetto alla v{base.versione}: "
                           + (", ".join(f"{n} {k}" for k, n in conteggio.items()) or "nessuna modifica") + ")",
                           nota, {"confronto": conteggio})
        rilievi = self._verifica(pratica, documento, originale, dati, al)
        return EsitoCaricamento(v, base, c, rilievi, note + c.avvisi)

    def _genera_chiave_valida(self, pratica: Pratica, documento: str) -> None:
        if documento not in {d["chiave"] for d in documenti_revisionabili(pratica)}:
            scelte = ", ".join(d["chiave"] for d in documenti_revisionabili(pratica)) or "nessuno"
            raise ErroreRevisione(f"documento «{documento}» sconosciuto per questa pratica: scegli tra {scelte}")

    def segna_firmata(self, codice: str, versione_id: int, *,
                      attore: accesso.Attore | str | None = None) -> VersioneDocumento:
        """Segna la versione come quella firmata (una sola per documento)."""
        autore = self._richiedi(codice, "carica", attore)
        v = self._versione_di(codice, versione_id)
        autore = autore.strip()[:200] or autore_predefinito()
        with Session(self.engine, expire_on_commit=False) as s, s.begin():
            row = repo.find_pratica(s, codice)
            for r in s.exec(select(DocumentoCaricatoRecord).where(
                    DocumentoCaricatoRecord.pratica_id == row.id, DocumentoCaricatoRecord.documento == v.documento)):
                r.firmato = r.id == versione_id
            repo.add_event(s, codice=row.codice, pratica_id=row.id, quando=self.clock(), autore=autore,
                           tipo="documento_firmato", descrizione=f"{v.documento}: la versione {v.versione} è quella firmata",
                           dettagli={"documento": v.documento, "versione": v.versione, "sha256": v.sha256})
        return self._versione_di(codice, versione_id)

    # ------------------------------------------------------------------ confronto e controlli
    def _coppia(self, codice: str, versione_id: int, con: int | None) -> tuple[bytes, bytes]:
        v = self._versione_di(codice, versione_id)
        altra = con if con is not None else v.base_id
        if altra is None:
            raise ErroreRevisione(f"la versione {v.versione} di {v.documento} non viene da un'altra: indica con "
                                  "quale confrontarla")
        a = self._versione_di(codice, altra)
        if "pdf" in (v.tipo, a.tipo):
            raise ErroreRevisione("il confronto si fa tra due DOCX: il PDF è conservato solo per la lettura")
        return self._contenuto(codice, altra), self._contenuto(codice, versione_id)

    def confronta(self, codice: str, versione_id: int, con: int | None = None, *,
                  attore: accesso.Attore | str | None = None) -> Confronto:
        """La versione confrontata con quella da cui viene (o con ``con``)."""
        self._richiedi(codice, "leggi", attore)
        return confronta(*self._coppia(codice, versione_id, con))

    def redline(self, codice: str, versione_id: int, con: int | None = None, *,
                attore: accesso.Attore | str | None = None) -> bytes:
        autore = self._richiedi(codice, "scarica", attore)
        a, b = self._coppia(codice, versione_id, con)
        return redline_docx(a, b, autore=autore.strip() or "cer-docs", quando=self.clock())

    def _verifica(self, pratica: Pratica, documento: str, originale: bytes | None, dati: bytes,
                  al: dt.date) -> list[RilievoTesto]:
        _nome, nuovo = self._genera(pratica, documento, al)
        out: list[RilievoTesto] = []
        if documento == "statuto":
            out += verifica_elementi(dati, al, originale or nuovo)
        out += verifica_dati(dati, nuovo, _dati_pratica(pratica))
        return out

    def verifica(self, codice: str, versione_id: int, *, al: dt.date | None = None,
                 attore: accesso.Attore | str | None = None) -> list[RilievoTesto]:
        """Elementi essenziali (statuto) e coerenza con i dati attuali della pratica."""
        self._richiedi(codice, "leggi", attore)
        v = self._versione_di(codice, versione_id)
        if v.tipo != "docx":
            raise ErroreRevisione("i controlli si fanno sul DOCX: il PDF è conservato solo per la lettura")
        pratica = self.archivio.apri(codice, attore=accesso.attore_locale("cer-docs")).pratica
        originale = self._contenuto(codice, v.base_id) if v.base_id else None
        return self._verifica(pratica, v.documento, originale, self._contenuto(codice, versione_id), al or self._oggi())

    # ------------------------------------------------------------------ unione
    def unisci(self, codice: str, documento: str, scelte: dict[str, str] | None = None, *,
               al: dt.date | None = None, attore: accesso.Attore | str | None = None) -> EsitoUnioneVersioni:
        """Rigenera il documento dai dati attuali e lo unisce all'ultima versione DOCX dell'avvocato.
        Con conflitti senza scelta non scrive nulla; altrimenti aggiunge la versione generata
        (se è cambiata) e quella unita."""
        attore = self._richiedi(codice, "genera", attore)  # da qui: l'autore da scrivere nel registro
        pratica = self.archivio.apri(codice, attore=accesso.attore_locale("cer-docs")).pratica
        self._genera_chiave_valida(pratica, documento)
        docx = [v for v in self._versioni(codice, documento) if v.tipo == "docx"]
        partenza = next((v for v in reversed(docx) if v.origine in ("caricato", "unito")), None)
        if partenza is None:
            raise ErroreRevisione(f"per {documento} non c'è una versione modificata dall'avvocato da unire: "
                                  "carica prima il DOCX modificato")
        nome, nuovo = self._genera(pratica, documento, al or self._oggi())
        dati_partenza = self._contenuto(codice, partenza.id)
        generata_prima = self._generata_di_partenza(codice, partenza)
        base = self._contenuto(codice, generata_prima.id) if generata_prima else None
        try:
            esito = unisci_docx(dati_partenza, nuovo, scelte, base=base)
        except ErroreUnione as e:
            raise ErroreRevisione(str(e)) from None
        if esito.docx is None:
            return EsitoUnioneVersioni(esito, None, None, partenza)
        cambi = [v for v in esito.voci if v.esito in ("aggiornata", "aggiunta_generata", "rimossa_generata")
                 or v.conflitto]  # un conflitto risolto (anche tenendo il testo dell'avvocato) aggiorna le impronte
        if not cambi:
            return EsitoUnioneVersioni(esito, None, None, partenza, nulla_da_unire=True)
        # la generazione si conserva solo se il testo è cambiato rispetto a un generato già conservato
        impronte = sorted((c.segnalibro, c.sha256) for c in _clausole(nuovo))
        generata = next((v for v in reversed(docx) if v.origine == "generato"
                         and sorted((c.segnalibro, c.sha256) for c in _clausole(self._contenuto(codice, v.id))) == impronte),
                        None)
        if generata is None:
            generata = self._aggiungi(codice, documento, nome, nuovo, "docx", "generato", attore, None,
                                      "rigenerata dai dati attuali per l'unione")
        scelte_fatte = {v.segnalibro: v.scelta for v in esito.conflitti}
        aggiornate = sum(1 for v in esito.voci if v.esito == "aggiornata")
        tenute = sum(1 for v in esito.voci if v.esito == "tenuta_avvocato")
        unita_v = self._aggiungi(
            codice, documento, f"{Path(partenza.nome_file).stem}-unito.docx", esito.docx, "docx", "unito", attore,
            generata.id, f"v{partenza.versione} unita ai dati attuali (v{generata.versione}): "
            f"{plurale(aggiornate, 'clausola aggiornata', 'clausole aggiornate')}, "
            f"{plurale(tenute, 'modifica', 'modifiche')} dell'avvocato {'conservata' if tenute == 1 else 'conservate'}, "
            f"{plurale(len(esito.conflitti), 'conflitto risolto', 'conflitti risolti')}",
            dettagli={"partenza": partenza.id, "scelte": scelte_fatte})
        return EsitoUnioneVersioni(esito, unita_v, generata, partenza)


def _tipi_nel_file(dati: bytes) -> set[str]:
    """I documenti che le proprietà d'identità del file nominano (esclusi quelli inclusi, ``A<k>_``)."""
    props = leggi_documento(dati).proprieta
    tipi = {v[1] for k, v in props.items() if not (k[:1] == "A" and k[1:2].isdigit())}
    tipi.discard("")
    return tipi


def _clausole(dati: bytes):
    return [c for c, _i, _f in leggi_documento(dati).clausole]


# --------------------------------------------------------------------------- senza archivio

def confronta_file(originale: str | Path | bytes, modificato: str | Path | bytes) -> Confronto:
    """Confronto di due DOCX qualsiasi (per la riga di comando)."""
    for f in (originale, modificato):
        if isinstance(f, (str, Path)) and not Path(f).is_file():
            raise ErroreRevisione(f"il file «{f}» non esiste")
    try:
        return confronta(originale, modificato)
    except (zipfile.BadZipFile, KeyError):
        raise ErroreRevisione("uno dei due file non è un DOCX leggibile") from None


def redline_file(originale: str | Path | bytes, modificato: str | Path | bytes, *, autore: str | None = None) -> bytes:
    return redline_docx(originale, modificato, autore=autore or autore_predefinito())


def revisione() -> Revisione:
    """Sull'archivio delle impostazioni correnti."""
    return Revisione(get_engine())
