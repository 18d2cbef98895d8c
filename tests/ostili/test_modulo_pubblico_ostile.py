"""Categoria «modulo pubblico»: limiti per campagna e identità nel database, quota, doppioni, allegati."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import Session, select

from aiuti_ostili import ORA, dati_validi, ente


def _conta(modello) -> int:
    from cer_docs.store import get_engine

    with Session(get_engine()) as s:
        return len(s.exec(select(modello)).all())


def _invia(dati, mittente="sessione", ora=ORA, allegati=()):
    from cer_docs.services import pubblico

    return pubblico.invia_candidatura("mi-ostile", dati, list(allegati), mittente, ora)


def test_limite_per_codice_fiscale_non_si_azzera_cambiando_browser(campagna_aperta):
    from cer_docs.services import pubblico
    from cer_docs.sicurezza.limiti import limiti
    from cer_docs.store.tables import CandidaturaRecord

    n = limiti().invii_per_identita_ora
    for i in range(n):  # ogni invio da un «browser» nuovo: sessione diversa
        _invia(dati_validi(), mittente=f"browser-{i}", ora=ORA + dt.timedelta(minutes=i))
    with pytest.raises(pubblico.ErroreInvio, match="Troppi invii") as e:
        _invia(dati_validi(), mittente="browser-nuovo", ora=ORA + dt.timedelta(minutes=n))
    assert e.value.problemi[0][0] == "modulo"
    assert _conta(CandidaturaRecord) == n
    # passata l'ora, lo stesso codice fiscale può di nuovo inviare
    _invia(dati_validi(), mittente="browser-dopo", ora=ORA + dt.timedelta(minutes=61 + n))


def test_limite_per_email(campagna_aperta):
    from cer_docs.services import pubblico
    from cer_docs.sicurezza.limiti import limiti

    n = limiti().invii_per_identita_ora
    for i in range(n):  # codici fiscali e sessioni diversi, stessa e-mail (maiuscole comprese)
        _invia(ente(i + 1, email="Spam@Example.it" if i % 2 else "spam@example.it"), mittente=f"s{i}")
    with pytest.raises(pubblico.ErroreInvio, match="Troppi invii"):
        _invia(ente(99, email="SPAM@example.it"), mittente="s-nuova")


def test_tetto_globale_al_minuto(campagna_aperta, monkeypatch):
    from cer_docs.services import pubblico
    from cer_docs.store.tables import CandidaturaRecord

    monkeypatch.setenv("CER_DOCS_LIMITE_INVII_GLOBALI_MINUTO", "4")
    for i in range(4):
        _invia(ente(i + 1), mittente=f"s{i}", ora=ORA + dt.timedelta(seconds=i))
    with pytest.raises(pubblico.ErroreInvio, match="molte candidature"):
        _invia(ente(50), mittente="s50", ora=ORA + dt.timedelta(seconds=30))
    assert _conta(CandidaturaRecord) == 4
    _invia(ente(51), mittente="s51", ora=ORA + dt.timedelta(seconds=90))  # il minuto dopo si riparte


def test_quota_di_spazio_per_campagna(campagna_aperta, monkeypatch):
    from cer_docs.services import pubblico
    from cer_docs.store.tables import AllegatoCandidaturaRecord, CandidaturaRecord

    monkeypatch.setenv("CER_DOCS_LIMITE_QUOTA_CAMPAGNA_MB", "9")
    pdf = b"%PDF-1.4\n" + b"0" * (4 * 1024 * 1024)
    _invia(ente(1), mittente="a", allegati=[("bolletta.pdf", pdf)])
    _invia(ente(2), mittente="b", allegati=[("bolletta.pdf", pdf)])
    with pytest.raises(pubblico.ErroreInvio, match="spazio disponibile") as e:
        _invia(ente(3), mittente="c", allegati=[("bolletta.pdf", pdf)])
    assert e.value.problemi[0][0] == "allegati"
    assert _conta(CandidaturaRecord) == 2 and _conta(AllegatoCandidaturaRecord) == 2
    _invia(ente(4), mittente="d")  # senza allegati c'è ancora posto


def test_allegato_oltre_il_limite_rifiutato_con_messaggio_e_nulla_salvato(campagna_aperta):
    from cer_docs.services import pubblico
    from cer_docs.store.tables import AllegatoCandidaturaRecord, CandidaturaRecord, InvioPubblicoRecord

    grande = b"%PDF-1.4\n" + b"0" * pubblico.MAX_ALLEGATO_BYTE
    with pytest.raises(pubblico.ErroreInvio) as e:
        _invia(dati_validi(), allegati=[("documento.pdf", b"%PDF-1.4 ok"), ("bolletta-scansione.pdf", grande)])
    campo, messaggio = e.value.problemi[0]
    assert campo == "allegati" and "bolletta-scansione.pdf" in messaggio and "MB" in messaggio
    assert _conta(CandidaturaRecord) == _conta(AllegatoCandidaturaRecord) == _conta(InvioPubblicoRecord) == 0
    # il modulo lascia arrivare al servizio file più grandi del limite, per poterli rifiutare con un messaggio
    assert pubblico.CARICAMENTO_MASSIMO_MB * 1024 * 1024 > pubblico.MAX_ALLEGATO_BYTE


def test_modulo_passa_il_limite_di_caricamento_al_widget():
    from aiuti_ostili import ROOT

    testo = (ROOT / "ui" / "modulo_pubblico.py").read_text(encoding="utf-8")
    assert "max_upload_size=pubblico.CARICAMENTO_MASSIMO_MB" in testo
    # l'indirizzo IP conta solo se lo dichiara un proxy fidato: dietro un proxy non dichiarato
    # tutti i visitatori avrebbero lo stesso indirizzo e il limite li fermerebbe tutti insieme
    assert "ip_cliente_da_proxy(" in testo and "accesso.ip_cliente(" not in testo
    from cer_docs.services import accesso

    assert accesso.ip_cliente_da_proxy("10.0.0.5", {"X-Forwarded-For": "1.2.3.4"}, {}) is None
    assert accesso.ip_cliente_da_proxy(None, {}, {}) is None
    fidato = {"CER_DOCS_PROXY_FIDATI": "127.0.0.1"}
    assert accesso.ip_cliente_da_proxy(None, {"X-Forwarded-For": "1.2.3.4"}, fidato) == "1.2.3.4"
    assert accesso.ip_cliente_da_proxy("127.0.0.1", {}, fidato) is None


def test_doppioni_di_codice_fiscale_e_pod_segnalati_all_ufficio(campagna_aperta):
    from cer_docs.services import campagne

    r1 = _invia(dati_validi(), mittente="a")
    r2 = _invia(dati_validi(email="marco@example.it"), mittente="b", ora=ORA + dt.timedelta(minutes=5))
    r3 = _invia(ente(7, pod=[{"pod": "IT001E00223344", "cabina_primaria": "AC001E00934"}]), mittente="c")
    r4 = _invia(ente(8), mittente="d")
    esami, _insieme, _bil = campagne.esamina("mi-ostile", ORA.date())
    per = {e.protocollo: [r for r in e.rilievi if r.codice == "CAND_DOPPIONE"] for e in esami}
    assert {r.oggetto.split(".")[-1] for r in per[r1.protocollo]} == {"codice_fiscale", "pod"}
    assert any(r2.protocollo in r.messaggio for r in per[r1.protocollo])
    assert [r.oggetto.split(".")[-1] for r in per[r3.protocollo]] == ["pod"]
    assert per[r4.protocollo] == []
    assert all(r.gravita == "avviso" for rr in per.values() for r in rr)
    # chi invia non viene a sapere che il codice fiscale c'era già
    assert not any("già" in n or "doppi" in n.lower() for n in r2.note_per_il_candidato)


@pytest.mark.parametrize("campo, valore", [
    ("nome", "Mario\uffff"), ("cognome", "Ro\ud800ssi"), ("consumo_annuo_kwh", "1e999999"),
    ("consumo_annuo_kwh", "NaN"), ("consumo_annuo_kwh", "Infinity"), ("nato_il", "2025-02-30"),
    ("nato_il", "0000-01-01"),
])
def test_valori_ostili_nel_modulo_pubblico(campagna_aperta, campo, valore):
    from cer_docs.services import pubblico
    from cer_docs.store.tables import CandidaturaRecord

    with pytest.raises(pubblico.ErroreInvio) as e:
        _invia(dati_validi(**{campo: valore}))
    assert any(c == campo for c, _m in e.value.problemi), e.value.problemi
    for _c, m in e.value.problemi:
        assert "Input should" not in m and "Value error" not in m, m
    assert _conta(CandidaturaRecord) == 0
