"""Validazione della fattura elettronica con lo schema XSD ufficiale, senza rete.

Lo schema FatturaPA 1.2.3 e lo schema xmldsig che importa sono copiati in
``cer_docs/data/fatturapa/`` (con README e impronte). L'``xs:import`` verso w3.org è
dirottato sul file locale da un ``Resolver`` lxml; il parser dello schema ha
``no_network=True``: se il dirottamento smettesse di funzionare la compilazione fallirebbe
invece di scaricare qualcosa.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from lxml import etree

__all__ = ["CARTELLA_SCHEMA", "FILE_SCHEMA", "FILE_XMLDSIG", "IMPRONTE", "NAMESPACE", "ErroreSchema",
           "schema_fatturapa", "valida"]

CARTELLA_SCHEMA = Path(__file__).resolve().parents[1] / "data" / "fatturapa"
FILE_SCHEMA = CARTELLA_SCHEMA / "Schema_del_file_xml_FatturaPA_v1.2.3.xsd"
FILE_XMLDSIG = CARTELLA_SCHEMA / "xmldsig-core-schema.xsd"
NAMESPACE = "http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fatture/v1.2"
NS_XMLDSIG = "http://www.w3.org/2000/09/xmldsig#"
IMPRONTE = {
    FILE_SCHEMA.name: "152944f6eef9f5d69ef6e955ee173b32142b00a8c1c5222fc97dfab5910e8a8c",
    FILE_XMLDSIG.name: "76e4a6d9c876e11c2d9230e084fa28220968c7361d1ac671f17d321e8fc7de87",
}
MASSIMO_ERRORI = 20

_lock = threading.Lock()


@dataclass(frozen=True)
class ErroreSchema:
    riga: int
    messaggio: str

    def __str__(self) -> str:
        return f"riga {self.riga}: {self.messaggio}"


class _ResolverLocale(etree.Resolver):
    """``xmldsig-core-schema.xsd`` (qualunque indirizzo) → la copia locale; nient'altro."""

    def resolve(self, url, pubid, context):  # noqa: ANN001, ANN201
        if url and url.rsplit("/", 1)[-1] == FILE_XMLDSIG.name:
            return self.resolve_filename(str(FILE_XMLDSIG), context)
        return None


@lru_cache(maxsize=1)
def schema_fatturapa() -> etree.XMLSchema:
    for f, attesa in IMPRONTE.items():
        if hashlib.sha256((CARTELLA_SCHEMA / f).read_bytes()).hexdigest() != attesa:
            raise RuntimeError(f"lo schema {f} in {CARTELLA_SCHEMA} non è la copia ufficiale (impronta diversa)")
    parser = etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False)
    parser.resolvers.add(_ResolverLocale())
    doc = etree.parse(str(FILE_SCHEMA), parser)
    return etree.XMLSchema(doc)


def valida(albero: etree._ElementTree | etree._Element) -> list[ErroreSchema]:
    """Gli errori di schema (al massimo ``MASSIMO_ERRORI``); lista vuota se il file è valido."""
    schema = schema_fatturapa()
    with _lock:  # l'oggetto XMLSchema di lxml non è sicuro tra thread
        ok = schema.validate(albero)
        log = list(schema.error_log) if not ok else []
    return [ErroreSchema(riga=e.line, messaggio=e.message) for e in log[:MASSIMO_ERRORI]]
