"""Lettura e scrittura a basso livello dei PDF di Typst, senza pypdf.

Typst scrive PDF semplici: tabella xref classica, niente flussi di oggetti né cifratura, un
oggetto dopo l'altro («N 0 obj … endobj»), la lunghezza di ogni flusso scritta direttamente.
Qui se ne leggono gli oggetti come byte e se ne spostano i numeri, per unire più PDF copiando gli
oggetti così come sono (testo delle pagine e caratteri non si decomprimono): il dossier
(``services/documenti_dossier._concatena_typst``) e i documenti impaginati a pezzi
(``unisci_pezzi``, per le tabelle enormi). Un PDF d'altra forma solleva ``NonTypst``.
"""

from __future__ import annotations

import io
import re


class NonTypst(Exception):
    """Un PDF che non ha la forma semplice dei PDF di Typst: si unisce con pypdf."""


_XREF = re.compile(rb"xref\n0 (\d+)\n")
_TRAILER = re.compile(rb"trailer\s*<<(.*?)>>\s*startxref", re.S)
_RIF_TRAILER = re.compile(rb"/(Root|Info) (\d+) 0 R")
_STRINGA = re.compile(rb"\((?:\\.|[^\\()])*\)|<[0-9A-Fa-f\s]*>", re.S)
_RIF = re.compile(rb"\((?:\\.|[^\\()])*\)|<[0-9A-Fa-f\s]*>|(\d+) (\d+) R", re.S)
_CHIAVE_RIF = {k: re.compile(rb"/" + k + rb" (\d+) 0 R") for k in (b"Pages", b"Outlines", b"First", b"Last", b"Metadata")}
_CONTEGGIO = re.compile(rb"/Count (-?\d+)")
_FIGLI = re.compile(rb"/Kids\[([^\]]*)\]")


def oggetti(dati: bytes) -> tuple[dict[int, bytes], int, int | None, int]:
    """Gli oggetti di un PDF scritto da Typst (tabella xref classica, niente flussi di oggetti),
    come byte tra «N 0 obj\\n» ed «endobj», con la radice e le informazioni del trailer."""
    fine = dati.rfind(b"startxref")
    m = _XREF.search(dati, dati.rfind(b"\nxref\n", 0, fine if fine > 0 else len(dati)))
    t = _TRAILER.search(dati, m.end()) if m else None
    if m is None or t is None or b"/Encrypt" in t.group(1) or b"/Prev" in t.group(1):
        raise NonTypst("struttura del file")
    n = int(m.group(1))
    voci = dati[m.end():m.end() + 20 * n]
    posizioni = {}
    for k in range(1, n):
        riga = voci[20 * k:20 * k + 20]
        if riga[17:18] != b"n" or riga[11:16] != b"00000":
            raise NonTypst("tabella xref")
        posizioni[k] = int(riga[:10])
    ordine = sorted(posizioni.items(), key=lambda x: x[1])
    oggetti = {}
    for j, (k, inizio) in enumerate(ordine):
        fine_ogg = ordine[j + 1][1] if j + 1 < len(ordine) else m.start() + 1
        testa = b"%d 0 obj\n" % k
        corpo = dati[inizio:fine_ogg]
        e = corpo.rfind(b"endobj")
        if not corpo.startswith(testa) or e < 0:
            raise NonTypst("oggetto")
        oggetti[k] = corpo[len(testa):e]
    rif = dict((a, int(b)) for a, b in _RIF_TRAILER.findall(t.group(1)))
    if b"Root" not in rif:
        raise NonTypst("trailer")
    return oggetti, rif[b"Root"], rif.get(b"Info"), n


_SOLO_RIF = re.compile(rb"(\d+) (\d+) R")


def rinumera(testo: bytes, base: int) -> bytes:
    """I riferimenti «N 0 R» spostati di ``base``, fuori dalle stringhe."""
    if b" R" not in testo:
        if b"(" not in testo:
            return testo  # nessun riferimento e nessuna stringa: niente da spostare né da controllare
    elif b"(" not in testo:
        # nessuna stringa letterale (le sole che possono contenere «N 0 R»; una stringa esadecimale
        # ha solo cifre esadecimali e spazi): i riferimenti si spostano senza cercare le stringhe
        pezzi = _SOLO_RIF.split(testo)  # testo, numero, generazione, testo, ...
        out = [pezzi[0]]
        for j in range(1, len(pezzi), 3):
            if pezzi[j + 1] != b"0":
                raise NonTypst("generazione")
            out.append(b"%d 0 R" % (int(pezzi[j]) + base))
            out.append(pezzi[j + 2])
        return b"".join(out)
    if b"(" in testo or b")" in testo:
        dentro = sum(s.group(0).count(b"(") for s in _STRINGA.finditer(testo) if s.group(0)[:1] == b"(")
        if dentro != testo.count(b"("):
            raise NonTypst("stringa con parentesi non bilanciate")

    def sposta(m: re.Match) -> bytes:
        if m.group(1) is None:
            return m.group(0)
        if m.group(2) != b"0":
            raise NonTypst("generazione")
        return b"%d 0 R" % (int(m.group(1)) + base)

    return _RIF.sub(sposta, testo)


def dizionario_e_flusso(corpo: bytes) -> tuple[bytes, bytes]:
    """Il dizionario (da rinumerare) e l'eventuale flusso (da copiare così com'è) di un oggetto."""
    i = corpo.find(b">>\nstream\n")
    if i < 0:
        return corpo, b""
    m = re.search(rb"/Length (\d+)[/>\s]", corpo[:i + 2])
    if m is None:
        raise NonTypst("lunghezza del flusso")
    inizio = i + len(b">>\nstream\n")
    fine = inizio + int(m.group(1))
    if corpo[fine:fine + 10] != b"\nendstream":
        raise NonTypst("flusso")
    return corpo[:i + 2], corpo[i + 2:]


def testo_pdf(s: str) -> bytes:
    return b"<FEFF" + s.encode("utf-16-be").hex().upper().encode() + b">"




def unisci_pezzi(pdf: list[bytes], titolo: str) -> bytes:
    """Un solo PDF dai PDF dei pezzi di un documento impaginato a pezzi, nell'ordine: le pagine di
    tutti in un albero solo, i segnalibri e la lingua del primo (i pezzi seguenti non devono avere
    segnalibri: ``NonTypst`` altrimenti). Il risultato ha di nuovo la forma dei PDF di Typst."""
    RADICE, PAGINE = 1, 2
    prossimo = 3
    f = io.BytesIO()
    f.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    posizioni: dict[int, int] = {}
    foglie: list[int] = []
    segnalibri: int | None = None
    lingua = b""

    def scrivi(n: int, corpo: bytes) -> None:
        posizioni[n] = f.tell()
        f.write(b"%d 0 obj\n" % n)
        f.write(corpo)
        f.write(b"endobj\n")

    for i, dati in enumerate(pdf):
        ogg, radice, info, n = oggetti(dati)
        base = prossimo - 1
        catalogo = ogg.pop(radice)
        if info is not None:
            ogg.pop(info, None)
        metadati = _CHIAVE_RIF[b"Metadata"].search(catalogo)
        if metadati:
            ogg.pop(int(metadati.group(1)), None)
        albero_id = int(_CHIAVE_RIF[b"Pages"].search(catalogo).group(1))
        albero = ogg.pop(albero_id)
        kids = _FIGLI.search(albero)
        if kids is None:
            raise NonTypst("albero delle pagine")
        pagine = [int(x) for x in re.findall(rb"(\d+) 0 R", kids.group(1))]
        if any(b"/Type/Page/" not in ogg.get(k, b"") and b"/Type/Page>" not in ogg.get(k, b"") for k in pagine):
            raise NonTypst("albero delle pagine a più livelli")
        segn = _CHIAVE_RIF[b"Outlines"].search(catalogo)
        if segn and i == 0:
            segnalibri = int(segn.group(1)) + base
            m = re.search(rb"/Lang(\([^()]*\))", catalogo)
            lingua = m.group(1) if m else b""
        elif segn:
            raise NonTypst("segnalibri in un pezzo successivo")
        elif i == 0:
            m = re.search(rb"/Lang(\([^()]*\))", catalogo)
            lingua = m.group(1) if m else b""
        foglia = set(pagine)
        for k in sorted(ogg):
            diz, flusso = dizionario_e_flusso(ogg[k])
            diz = rinumera(diz, base)
            if k in foglia:
                diz = re.sub(rb"/Parent \d+ 0 R", b"/Parent %d 0 R" % PAGINE, diz, count=1)
            scrivi(k + base, diz + flusso)
        foglie += [k + base for k in pagine]
        prossimo = base + n
    scrivi(PAGINE, b"<</Type/Pages/Count %d/Kids[" % len(foglie) + b" ".join(b"%d 0 R" % k for k in foglie) + b"]>>\n")
    scrivi(RADICE, b"<</Type/Catalog/Pages %d 0 R" % PAGINE
           + (b"/Outlines %d 0 R" % segnalibri if segnalibri is not None else b"")
           + (b"/Lang" + lingua if lingua else b"") + b">>\n")
    chiudi_pdf(f, scrivi, posizioni, RADICE, titolo)
    return f.getvalue()


def chiudi_pdf(f, scrivi, posizioni: dict[int, int], radice: int, titolo: str, info_in_piu: bytes = b"") -> None:
    """La coda di un PDF scritto oggetto per oggetto: il dizionario Info (titolo), la tabella xref con le
    ``posizioni`` degli oggetti scritti (i numeri mancanti come liberi) e il trailer con la radice."""
    info = max(posizioni) + 1
    scrivi(info, b"<</Title " + testo_pdf(titolo) + info_in_piu + b">>\n")
    inizio_xref = f.tell()
    f.write(b"xref\n0 %d\n0000000000 65535 f \n" % (info + 1))
    for k in range(1, info + 1):
        f.write(b"%010d 00000 n \n" % posizioni[k] if k in posizioni else b"0000000000 65535 f \n")
    f.write(b"trailer\n<</Size %d/Root %d 0 R/Info %d 0 R>>\nstartxref\n%d\n%%%%EOF\n"
            % (info + 1, radice, info, inizio_xref))
