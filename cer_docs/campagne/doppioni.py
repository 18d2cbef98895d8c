"""Candidature doppie: lo stesso codice fiscale o lo stesso POD in più candidature della campagna.

Non è un errore da rifiutare (un cittadino può correggere la candidatura inviandone una nuova,
un condominio può candidare lo stesso POD per sbaglio due volte): l'ufficio lo vede nello
screening e decide quale tenere. Il modulo pubblico non lo dice a chi invia, per non rivelare
chi si è già candidato.
"""

from __future__ import annotations

from collections import defaultdict

from cer_docs.model.campagna import Candidatura
from cer_docs.rules.base import Rilievo

CODICE = "CAND_DOPPIONE"
RIFERIMENTO = "controllo di cer-docs sulle candidature ricevute (non normativo)"


def _cf(c: Candidatura) -> str:
    return "".join((c.codice_fiscale or "").split()).upper()


def doppioni(voci: list[tuple[str, Candidatura]]) -> dict[str, list[Rilievo]]:
    """Per ogni protocollo, i rilievi «doppione» (avviso) che lo riguardano."""
    per_cf: dict[str, list[str]] = defaultdict(list)
    per_pod: dict[str, list[str]] = defaultdict(list)
    for protocollo, c in voci:
        if _cf(c):
            per_cf[_cf(c)].append(protocollo)
        for pod in {"".join(p.pod.split()).upper() for p in c.pod if p.pod}:
            per_pod[pod].append(protocollo)
    out: dict[str, list[Rilievo]] = defaultdict(list)
    for cosa, gruppi, oggetto in (("codice fiscale", per_cf, "codice_fiscale"), ("POD", per_pod, "pod")):
        for valore, protocolli in gruppi.items():
            if len(protocolli) < 2:
                continue
            for p in protocolli:
                altri = ", ".join(x for x in protocolli if x != p)
                out[p].append(Rilievo(
                    codice=CODICE, gravita="avviso", oggetto=f"{p}.{oggetto}",
                    messaggio=(f"Lo stesso {cosa} ({valore}) compare anche nella candidatura {altri}: "
                               "probabilmente è un invio ripetuto o una correzione. Tieni la candidatura giusta "
                               "e respingi le altre."),
                    riferimento=RIFERIMENTO, ambito="candidature"))
    return dict(out)
