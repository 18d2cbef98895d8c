"""Chi può essere membro di una CER e chi può esercitarne il controllo (versioni per data)."""

from __future__ import annotations

from decimal import Decimal
from typing import Iterator

from .base import Rilievo, cita, in_vigore, param, parametro, rif
from cer_docs.italiano import percentuale
from cer_docs.model.vocabolario import CATEGORIE_SOGGETTO

from .contesto import Contesto, comune_di, comuni_impianti
from .fatti import ateco_escluso

AMBITO = "membri"

def descrizione_tipo(tipo: str) -> str:
    """Il tipo di soggetto come lo nomina un messaggio («ente territoriale»), dal vocabolario."""
    v = CATEGORIE_SOGGETTO.get(tipo)
    return (v.breve or v.nome) if v else tipo


def un_tipo(tipo: str) -> str:
    """Con l'articolo indeterminativo accordato: «un ente religioso», «una persona fisica»."""
    v = CATEGORIE_SOGGETTO.get(tipo)
    return v.indeterminativo(breve=True) if v else tipo


def _r(codice, gravita, oggetto, messaggio, riferimento) -> Rilievo:
    return Rilievo(codice=codice, gravita=gravita, oggetto=oggetto, messaggio=messaggio,
                   riferimento=riferimento, ambito=AMBITO)


def e_grande_impresa(s, al) -> bool:
    """Grande impresa ai fini CER: dimensione dichiarata 'grande' e nessuna partecipazione
    pubblica che la renda PMI per legge (DL 19/2025, dal 30/04/2025)."""
    if s.tipo != "impresa" or s.dimensione != "grande":
        return False
    soglia = param("pmi_quota_enti_territoriali_pct", al)
    if soglia is not None and s.partecipazione_enti_territoriali_pct is not None:
        if s.partecipazione_enti_territoriali_pct >= Decimal(str(soglia)):
            return False
    return True


def regole_membri(ctx: Contesto) -> Iterator[Rilievo]:
    p = ctx.pratica
    al = ctx.al
    has_cer = p.comunita is not None or any(c.tipo == "CER" for c in p.configurazioni)
    ammesse = set(param("membri_categorie_ammesse", al))
    escluse = set(param("membri_categorie_escluse", al))
    soglia_pmi = param("pmi_quota_enti_territoriali_pct", al)
    ateco_dal = param("ateco_2025_in_uso_dal", al)

    for mi, m in enumerate(p.membri):
        s = ctx.soggetto(m.soggetto)
        if s is None or m.soggetto not in ctx.membri:  # receduto alla data: non è più membro
            continue
        sp = ctx.path_soggetto(s.id)
        nome = s.nome_completo
        if s.tipo == "impresa":
            if s.dimensione is None:
                yield _r("MEM_DIMENSIONE_MANCANTE", "avviso", f"{sp}.dimensione",
                         f"Per {nome} manca la dimensione d'impresa (micro, piccola, media, grande): serve per "
                         "sapere se può essere membro, perché le grandi imprese sono escluse. Calcolala "
                         "sommando le imprese collegate e associate.", cita("racc-ue-2003-361", "gse-faq-cer"))
            if s.classificazione_ateco == 2007 and al >= ateco_dal and s.codice_ateco:
                yield _r("MEM_ATECO_2007", "info", f"{sp}.classificazione_ateco",
                         f"Il codice ATECO di {nome} è nella classificazione 2007, sostituita da ATECO 2025 dal "
                         f"{ateco_dal.strftime('%d/%m/%Y')}: indica il codice ATECO 2025 riportato in visura.",
                         rif("ateco_2025_in_uso_dal", al))
        if not has_cer:
            continue
        if e_grande_impresa(s, al):
            extra = ""
            if soglia_pmi is not None:
                extra = (f" Fa eccezione l'impresa di cui enti territoriali detengano almeno il {percentuale(soglia_pmi)} "
                         "del capitale o dei voti: in tal caso indica la quota nel campo "
                         "'partecipazione_enti_territoriali_pct'.")
            yield _r("MEM_GRANDE_IMPRESA", "errore", sp,
                     f"{nome} è una grande impresa e non può essere membro della CER (membri[{mi}]). "
                     f"Può partecipare come produttore terzo: toglila dai membri e, se ha impianti nella "
                     f"configurazione, inseriscila tra i produttori terzi.{extra}",
                     cita("gse-faq-cer", ("ro-2024", "§1.2.7"), ("dl-19-2025", "art. 1-bis")))
        if ateco_escluso(s, al):
            yield _r("MEM_ATECO_ESCLUSO", "errore", sp,
                     f"{nome} ha come attività prevalente il codice ATECO {s.codice_ateco} (produzione o "
                     "commercio di energia elettrica): non può essere membro della CER (membri"
                     f"[{mi}]). Può partecipare come produttore terzo.", rif("ateco_esclusi", al))
        if s.tipo in escluse:
            yield _r("MEM_CATEGORIA_ESCLUSA", "errore", sp,
                     f"{nome} è {un_tipo(s.tipo)}: le amministrazioni centrali non possono essere "
                     "membri di una CER. Può partecipare come produttore terzo.",
                     rif("membri_categorie_escluse", al))
        elif s.tipo not in ammesse:
            yield _r("MEM_CATEGORIA_NON_AMMESSA", "errore", sp,
                     f"{nome} ({descrizione_tipo(s.tipo)}) non rientra nelle categorie che la legge ammette "
                     f"come membri di una CER alla data del {al.strftime('%d/%m/%Y')}: verifica il tipo di "
                     "soggetto o fallo partecipare in altro modo (es. produttore terzo).",
                     rif("membri_categorie_ammesse", al))

    if p.comunita is None:
        return
    yield from _regole_controllo(ctx)
    yield from _aggiornamento_statuto(ctx)


def _regole_controllo(ctx: Contesto) -> Iterator[Rilievo]:
    p = ctx.pratica
    al = ctx.al
    org = p.comunita.organi
    ammessi = set(param("controllo_categorie_ammesse", al))
    solo_ric = param("controllo_associazioni_solo_riconosciute", al)
    ambito = param("controllo_ambito_territoriale", al)
    comuni = comuni_impianti(p.configurazioni)
    controllanti: list[tuple[str, str]] = []
    if org.presidente:
        controllanti.append(("comunita.organi.presidente", org.presidente))
    for i, sid in enumerate(org.consiglio_direttivo):
        controllanti.append((f"comunita.organi.consiglio_direttivo[{i}]", sid))
    visti: set[str] = set()
    for path, sid in controllanti:
        if sid in visti:
            continue
        visti.add(sid)
        s = ctx.soggetto(sid)
        if s is None:
            continue
        nome = s.nome_completo
        if sid not in ctx.membri:
            yield _r("CTRL_NON_MEMBRO", "errore", path,
                     f"{nome} siede negli organi della CER ma non è tra i membri: chi esercita il controllo "
                     "deve essere membro. Aggiungilo ai membri o cambia la composizione degli organi.",
                     rif("controllo_categorie_ammesse", al))
            continue
        if s.tipo not in ammessi or (s.tipo == "associazione" and solo_ric and not s.riconosciuta):
            motivo = ("un'associazione non riconosciuta" if s.tipo == "associazione"
                      else un_tipo(s.tipo))
            yield _r("CTRL_CATEGORIA", "errore", path,
                     f"{nome} è {motivo} e, secondo le regole in vigore il {al.strftime('%d/%m/%Y')}, non può "
                     "esercitare i poteri di controllo della CER: affida la carica a un membro di una "
                     "categoria ammessa.", rif("controllo_categorie_ammesse", al))
        if ambito == "comune" and comuni:
            comune = comune_di(s)
            if comune is None:
                yield _r("CTRL_TERRITORIO_IGNOTO", "avviso", path,
                         f"Manca il comune di residenza o sede di {nome}: serve a verificare che chi controlla "
                         "la CER si trovi nel territorio degli impianti. Completa l'indirizzo.",
                         rif("controllo_ambito_territoriale", al))
            elif comune not in comuni:
                yield _r("CTRL_TERRITORIO", "avviso", path,
                         f"{nome} ha sede o residenza a {s.luogo.comune}, fuori dai comuni in cui si trovano gli "
                         f"impianti ({', '.join(sorted(c.title() for c in comuni))}): i poteri di controllo "
                         "spettano ai membri situati nel territorio degli impianti. Verifica con il GSE o "
                         "affida la carica a un membro del territorio.", rif("controllo_ambito_territoriale", al))


def _aggiornamento_statuto(ctx: Contesto) -> Iterator[Rilievo]:
    """Ingresso di categorie introdotte dal DL 19/2025 in una CER costituita prima: lo statuto va aggiornato."""
    p = ctx.pratica
    al = ctx.al
    lettura = in_vigore("categorie_aggiunte_dl19_2025", al)
    if lettura is None:
        return
    nuove = set(lettura.valore)
    data_norma = parametro("categorie_aggiunte_dl19_2025").dal
    data_atto = p.comunita.atto_costitutivo.data
    if data_atto is None or data_atto >= data_norma:
        return
    for mi, m in enumerate(p.membri):
        s = ctx.soggetto(m.soggetto)
        if s is None:
            continue
        nuova = s.tipo in nuove or (s.tipo == "associazione" and not s.riconosciuta)
        if nuova and (m.data_adesione is None or m.data_adesione >= data_norma):
            yield _r("STATUTO_AGGIORNAMENTO", "avviso", f"membri[{mi}]",
                     f"{s.nome_completo} appartiene a una categoria ammessa solo dal DL 19/2025, ma lo statuto è "
                     f"del {data_atto.strftime('%d/%m/%Y')}: aggiorna lo statuto (categorie dei membri e poteri "
                     "di controllo) e registralo di nuovo prima dell'ingresso.",
                     rif("categorie_aggiunte_dl19_2025", al))

