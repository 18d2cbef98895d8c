"""La comunità come soggetto: costituzione, organi, riparto dei benefici, quota eccedentaria."""

from __future__ import annotations

from decimal import Decimal
from typing import Iterator

from cer_docs import italiano

from .base import Rilievo, cita, param, rif
from cer_docs.model.vocabolario import DESTINAZIONI_ECCEDENZA

from .contesto import Contesto

AMBITO = "comunita"

_NOMI_DEST = DESTINAZIONI_ECCEDENZA.nomi()


def _r(codice, gravita, oggetto, messaggio, riferimento) -> Rilievo:
    return Rilievo(codice=codice, gravita=gravita, oggetto=oggetto, messaggio=messaggio,
                   riferimento=riferimento, ambito=AMBITO)


def _d(d) -> str:
    return italiano.data_lunga(d)


def regole_comunita(ctx: Contesto) -> Iterator[Rilievo]:
    p = ctx.pratica
    c = p.comunita
    al = ctx.al
    if c is None:
        if not any(conf.tipo == "CER" for conf in p.configurazioni) and not p.membri and not p.configurazioni:
            yield _r("COM_VUOTA", "info", "comunita", "La pratica è vuota: inizia dai dati della comunità o della "
                     "configurazione.", cita("gse-accesso"))
        return
    atto = c.atto_costitutivo
    rif_data = cita(("ro-2025", "§1.2.1"), ("dpr-131-1986", "art. 13"))
    # --- costituzione e data certa
    if atto.data is None:
        yield _r("COM_NON_COSTITUITA", "info", "comunita.atto_costitutivo.data",
                 "La CER non è ancora costituita: l'atto costitutivo non è firmato. Va costituita prima della "
                 "richiesta al GSE e prima che gli impianti entrino in esercizio, per non perdere la tariffa premio.",
                 rif_data)
    else:
        if atto.data > al:
            yield _r("COM_ATTO_FUTURO", "info", "comunita.atto_costitutivo.data",
                     f"La firma dell'atto costitutivo è indicata al {_d(atto.data)}, dopo la data della verifica.",
                     rif_data)
        if atto.forma == "atto_pubblico":
            if atto.dati_notaio is None or not atto.dati_notaio.nome_completo:
                yield _r("COM_NOTAIO", "avviso", "comunita.atto_costitutivo.notaio",
                         "L'atto costitutivo è un atto pubblico ma manca il notaio: indicalo.", rif_data)
        elif ctx.data_costituzione is None:
            yield _r("COM_DATA_CERTA", "avviso", "comunita.atto_costitutivo.registrazione",
                     "L'atto costitutivo è una scrittura privata non ancora registrata all'Agenzia delle Entrate: "
                     "senza registrazione la CER non ha una data certa di costituzione. Registralo (entro "
                     f"{param('registrazione_termine_giorni', al)} giorni dalla firma) e inserisci data, ufficio e "
                     "numero.", rif_data + "; " + rif("registrazione_termine_giorni", al))
        if atto.registrazione and atto.registrazione.data and atto.registrazione.data < atto.data:
            yield _r("COM_REGISTRAZIONE_DATA", "errore", "comunita.atto_costitutivo.registrazione.data",
                     f"La registrazione ({_d(atto.registrazione.data)}) precede la firma dell'atto ({_d(atto.data)}): "
                     "una delle due date è sbagliata.", rif_data)
    # --- richiesta al GSE dopo la costituzione
    for ci, conf in enumerate(p.configurazioni):
        inv = conf.richiesta_accesso.data_invio
        if conf.tipo == "CER" and inv is not None:
            if ctx.data_costituzione is None or inv < ctx.data_costituzione:
                yield _r("COM_RICHIESTA_PRIMA_COSTITUZIONE", "errore", f"configurazioni[{ci}].richiesta_accesso.data_invio",
                         f"La richiesta di accesso della configurazione «{conf.denominazione or conf.id}» "
                         f"({_d(inv)}) precede la data certa di costituzione della CER"
                         + (f" ({_d(ctx.data_costituzione)})" if ctx.data_costituzione else " (non ancora acquisita)")
                         + ": la CER deve essere costituita prima della richiesta.", cita(("ro-2025", "§1.2.1"), "gse-accesso"))
    # --- organi
    if c.organi.presidente is None:
        yield _r("COM_PRESIDENTE", "avviso", "comunita.organi.presidente",
                 "Manca il presidente (legale rappresentante) della comunità: indicalo, serve per l'atto, il "
                 "mandato al referente e le dichiarazioni.", cita(("ro-2024", "§1.2.6")))
    if c.fondatori and len(c.fondatori) < 2:
        yield _r("COM_FONDATORI", "avviso", "comunita.fondatori",
                 "Un'associazione o una cooperativa si costituisce con almeno due fondatori: aggiungine.",
                 cita(("codice-civile", "artt. 14 e 36")))
    # --- riparto dei benefici
    rip = c.riparto_benefici
    if rip is None:
        yield _r("RIPARTO_MANCANTE", "avviso", "comunita.riparto_benefici",
                 "Non è indicato come si ripartisce il beneficio tra spese di gestione, produttori, consumatori e "
                 "fondo sociale: decidilo prima di scrivere statuto e regolamento.", cita(("ro-2025", "§1.2.1")))
    else:
        tot = rip.totale()
        if tot != Decimal(100):
            yield _r("RIPARTO_SOMMA", "errore", "comunita.riparto_benefici",
                     f"Le quote del riparto dei benefici sommano a {italiano.percentuale(tot.normalize())}, non a {italiano.percentuale(100)}: "
                     "correggi le percentuali (spese di gestione, produttori, consumatori, fondo sociale).",
                     cita(("ro-2025", "§1.2.1, elemento f)"), ("dlgs-199-2021", "art. 32 c. 1 lett. c")))
        for nome in ("spese_gestione", "produttori", "consumatori", "fondo_sociale"):
            if getattr(rip, nome) < 0:
                yield _r("RIPARTO_NEGATIVO", "errore", f"comunita.riparto_benefici.{nome}",
                         "Una quota del riparto non può essere negativa.", cita(("ro-2025", "§1.2.1")))
    # --- soggetto delegato al riparto
    if not c.soggetto_delegato_riparto:
        yield _r("RIPARTO_DELEGATO", "errore", "comunita.soggetto_delegato_riparto",
                 "Manca il soggetto delegato al riparto dell'energia condivisa: è un elemento essenziale dello "
                 "statuto. Indica la comunità stessa o un soggetto.",
                 cita(("dlgs-199-2021", "art. 32 c. 1 lett. c"), ("ro-2025", "§1.2.1, elemento f)")))
    # --- quota eccedentaria
    ammesse = set(param("destinazione_eccedenza_ammessa", al))
    if not c.destinazione_eccedenza:
        yield _r("ECCEDENZA_MANCANTE", "errore", "comunita.destinazione_eccedenza",
                 "Non è indicata la destinazione della quota di tariffa eccedentaria: lo statuto deve prevedere "
                 "che vada solo ai consumatori diversi dalle imprese e/o a finalità sociali sul territorio.",
                 rif("destinazione_eccedenza_ammessa", al))
    for i, d in enumerate(c.destinazione_eccedenza):
        if d not in ammesse:
            yield _r("ECCEDENZA_DESTINAZIONE", "errore", f"comunita.destinazione_eccedenza[{i}]",
                     f"La quota eccedentaria non può andare a «{d}»: le sole destinazioni ammesse sono "
                     + " e ".join(_NOMI_DEST.get(a, a) for a in sorted(ammesse)) + ".",
                     rif("destinazione_eccedenza_ammessa", al))
    # --- recesso
    r = c.recesso
    if r is None:
        yield _r("RECESSO_MANCANTE", "avviso", "comunita.recesso",
                 "Non sono indicate le regole di recesso (preavviso, decorrenza): lo statuto deve garantire che "
                 "i membri possano uscire in ogni momento, con eventuali corrispettivi equi e proporzionati.",
                 cita(("dlgs-199-2021", "art. 32 c. 1 lett. b"), ("ro-2025", "§1.2.1, elemento e)")))
    elif r.restituzione_contributo_pnrr is not None:
        q = r.restituzione_contributo_pnrr
        for nome in ("quota_entro", "quota_dopo"):
            v = getattr(q, nome)
            if v is not None and not (0 <= v <= 100):
                yield _r("RECESSO_QUOTA", "errore", f"comunita.recesso.restituzione_contributo_pnrr.{nome}",
                         "La quota di contributo da restituire deve essere una percentuale tra 0 e 100.",
                         cita(("dlgs-199-2021", "art. 32 c. 1 lett. b")))
