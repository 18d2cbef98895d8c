"""Le risoluzioni già fatte (``documents/cache.py``, voci «risoluzione»): dopo una modifica si
risolvono e si rendono di nuovo solo i documenti che leggono il dato cambiato, e ogni file è
identico byte per byte a quello di una generazione da zero."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path

from cer_docs.documents import cache as cache_mod
from cer_docs.documents import catalogo as cat
from cer_docs.documents.cache import chiave_posto, impronta_letture, letture_da_ricordare
from cer_docs.documents.motore import Contesto, resolve, risolvi_tracciando
from cer_docs.documents.specifiche import load_spec
from cer_docs.services import documenti as svc

ROOT = Path(__file__).resolve().parents[2]
VALLE = ROOT / "samples" / "cer-valle-due-cabine.yaml"
AL = dt.date(2025, 10, 20)
VECCHIO = 'residenza: {indirizzo: "Via Sandro Vannini 7"'   # la legale rappresentante della comunità
NUOVO = 'residenza: {indirizzo: "Via Sandro Vannini 9"'


def _file(cartella: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(cartella.iterdir()) if p.is_file()}


def _testo(nome: str, dati: bytes) -> str:
    if nome.endswith(".docx"):
        with zipfile.ZipFile(__import__("io").BytesIO(dati)) as z:
            return z.read("word/document.xml").decode("utf-8")
    return ""


def test_cambio_d_indirizzo_rifa_solo_i_documenti_che_lo_leggono(tmp_path, monkeypatch):
    testo = VALLE.read_text(encoding="utf-8")
    assert VECCHIO in testo
    dopo = tmp_path / "valle-modificata.yaml"
    dopo.write_text(testo.replace(VECCHIO, NUOVO, 1), encoding="utf-8")

    risolti: list[str] = []
    originale = cat.risolvi

    def conta(pratica, r, al, **kw):
        risolti.append(r.chiave)
        return originale(pratica, r, al, **kw)

    monkeypatch.setattr(cat, "risolvi", conta)

    # prima la pratica com'era, poi quella modificata nella stessa cartella, con la stessa cache
    svc.genera(VALLE, tmp_path / "out", al=AL)
    prima = _file(tmp_path / "out")
    n_documenti = len(json.loads(prima["manifest.json"])["documenti"]) // 2
    assert len(risolti) == n_documenti, "a cache vuota si risolve tutto"
    risolti.clear()
    cache_mod.rese.clear()
    svc.genera(dopo, tmp_path / "out", al=AL)
    rese = {f for _, _, f in cache_mod.rese}
    risolti_dopo = list(risolti)
    caldo = _file(tmp_path / "out")

    # la stessa pratica modificata, da zero, con una cache vuota altrove
    monkeypatch.setenv("CER_DOCS_CACHE_DOCUMENTI", str(tmp_path / "altra-cache"))
    svc.genera(dopo, tmp_path / "da-zero", al=AL)
    freddo = _file(tmp_path / "da-zero")

    assert caldo.keys() == freddo.keys()
    diversi = [n for n in caldo if caldo[n] != freddo[n]]
    assert diversi == [], "ogni file (documenti, dossier, zip, manifest) identico a una generazione da zero"

    cambiati = {n for n in freddo if n.endswith((".docx", ".pdf")) and not n.startswith("dossier-")
                and freddo[n] != prima.get(n)}
    assert cambiati, "l'indirizzo della rappresentante compare in qualche documento"
    assert rese == cambiati, "si rendono di nuovo esattamente i file che cambiano"
    for n in cambiati:
        if n.endswith(".docx"):
            assert "Vannini 9" in _testo(n, freddo[n]), n
    # la rappresentante è nel contesto di ogni documento, ma solo chi ne stampa i dati si risolve
    assert len(risolti_dopo) <= len(cambiati) // 2 + 2, (risolti_dopo, cambiati)
    assert len(risolti_dopo) < n_documenti // 4


def test_le_letture_decidono_l_impronta():
    spec = load_spec("informativa_privacy")
    p = __import__("cer_docs.model", fromlist=["load_pratica"]).load_pratica(VALLE)
    r = next(x for x in cat.richieste(p, ["informativa_privacy"], AL)[0])
    ctx = cat.contesto_per(p, r, AL)
    doc, letture = risolvi_tracciando(lambda: resolve(spec, ctx))
    ricordate = letture_da_ricordare(letture)
    assert ricordate and not letture.tutto
    base = impronta_letture(ricordate, ctx.valori, ctx.flag)
    assert base is not None
    letti = {tuple(x[1]) for x in ricordate if x[0] == "v" and x[1]}
    # un campo letto che cambia cambia l'impronta
    primo = sorted(letti)[0]
    valori = json.loads(json.dumps(ctx.valori))
    x = valori
    for k in primo[:-1]:
        x = x[k]
    x[primo[-1]] = "un valore diverso" if x[primo[-1]] != "un valore diverso" else "altro"
    assert impronta_letture(ricordate, valori, ctx.flag) != base
    # un campo mai letto no
    valori = dict(ctx.valori, campo_mai_letto_da_nessun_modello="x")
    assert impronta_letture(ricordate, valori, ctx.flag) == base
    # un valore che non è un dato semplice: nessuna impronta (si risolve sempre)
    valori = json.loads(json.dumps(ctx.valori))
    x = valori
    for k in primo[:-1]:
        x = x[k]
    x[primo[-1]] = object()
    assert impronta_letture(ricordate, valori, ctx.flag) is None


def test_un_modello_compilato_da_jinja_dipende_da_tutto_il_contesto():
    from cer_docs.documents import motore

    letture = motore.Letture()
    tok = motore._traccia.set(letture)
    try:
        # una concatenazione: l'interprete non la tratta, passa al modello compilato di Jinja
        resa = motore._rendi('{{ nome ~ "!" }}', motore._Tracciato({"nome": "A"}, letture, ()), "prova")
    finally:
        motore._traccia.reset(tok)
    assert resa.valori == ["A!"]
    assert letture.tutto
    assert letture_da_ricordare(letture) == [["v", []]]


def test_il_posto_cambia_con_flag_modelli_e_campi(monkeypatch):
    a = chiave_posto("p", "statuto", "statuto", False, {"x": "1"}, {"f": True})
    assert a == chiave_posto("p", "statuto", "statuto", False, {"x": "2"}, {"f": True})  # i valori: nell'impronta
    assert a != chiave_posto("p", "statuto", "statuto", False, {"x": "1"}, {"f": False})
    assert a != chiave_posto("p", "statuto", "statuto", True, {"x": "1"}, {"f": True})
    assert a != chiave_posto("p", "statuto", "statuto", False, {"x": "1", "y": "2"}, {"f": True})
    assert a != chiave_posto("q", "statuto", "statuto", False, {"x": "1"}, {"f": True})
    monkeypatch.setattr(cache_mod, "versione_risoluzione", lambda: "modelli cambiati")
    assert a != chiave_posto("p", "statuto", "statuto", False, {"x": "1"}, {"f": True})


def test_contesto_senza_tracciamento_invariato():
    """Fuori da ``risolvi_tracciando`` il motore non annota nulla e le variabili sono un dict."""
    ctx = Contesto(valori={"a": "1"}, flag={})
    assert type(ctx.variabili({})) is dict


def test_la_versione_dei_modelli_cambia_con_un_file_e_si_ricorda(tmp_path, monkeypatch):
    """L'impronta dei modelli e del codice si rilegge se un file cambia (dimensione o data), e a
    file invariati viene dalla cache senza rileggerli."""
    modelli = tmp_path / "templates"
    (modelli / "clausole").mkdir(parents=True)
    f = modelli / "clausole" / "prova.j2"
    f.write_text("uno", encoding="utf-8")
    monkeypatch.setattr(cache_mod, "TEMPLATES_DIR", modelli)
    cache_mod.versione_risoluzione.cache_clear()
    try:
        a = cache_mod.versione_risoluzione()
        cache_mod.versione_risoluzione.cache_clear()
        letti = []
        vera = Path.read_bytes
        monkeypatch.setattr(Path, "read_bytes", lambda self: letti.append(self) or vera(self))
        assert cache_mod.versione_risoluzione() == a
        assert [x for x in letti if modelli in x.parents] == [], "a file invariati l'impronta viene dalla cache"
        monkeypatch.setattr(Path, "read_bytes", vera)
        f.write_text("due!", encoding="utf-8")
        cache_mod.versione_risoluzione.cache_clear()
        assert cache_mod.versione_risoluzione() != a
    finally:
        cache_mod.versione_risoluzione.cache_clear()


def test_voce_di_risoluzione_senza_i_file_nella_cache_risolve_e_rende(tmp_path, monkeypatch):
    """Se la cache ha ancora la voce «risoluzione» ma non più i file resi (tolti per far posto), il
    documento si risolve in quel momento e si rende: stessi file di prima."""
    cartella = tmp_path / "cache"
    monkeypatch.setenv("CER_DOCS_CACHE_DOCUMENTI", str(cartella))
    esempio = ROOT / "samples" / "pratica-esempio.yaml"
    svc.genera(esempio, tmp_path / "a", al=AL)
    tolte = 0
    for f in cartella.rglob("*"):
        if f.is_file() and b'\n{"letture"' not in f.read_bytes()[:4096]:
            f.unlink()
            tolte += 1
    assert tolte
    differite = []
    vera = svc._RisoluzioneDifferita.__call__
    monkeypatch.setattr(svc._RisoluzioneDifferita, "__call__", lambda self: differite.append(1) or vera(self))
    cache_mod.rese.clear()
    svc.genera(esempio, tmp_path / "b", al=AL)
    assert differite, "le voci «risoluzione» c'erano: i documenti si risolvono solo al momento di renderli"
    assert cache_mod.rese, "i file mancanti si rendono di nuovo"
    assert _file(tmp_path / "a") == _file(tmp_path / "b")
