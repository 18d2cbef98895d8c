"""Contributo PNRR (M2C2 Investimento 1.2): importo, erogazioni, fattore F, registro spese, fatture.

* ``contributo``: il contributo di ogni impianto spiegato voce per voce, alla data ``al``;
* ``spese``: il registro delle spese (fatture e bonifici) con le regole di ammissibilità;
* ``lettura`` / ``schema`` / ``fatture``: lettura sicura delle fatture elettroniche (XML, .p7m, PDF),
  validazione con lo schema ufficiale e controlli per la rendicontazione;
* ``esempio``: la fattura elettronica d'esempio per i fornitori;
* ``stampa``: rendiconto e scheda per i fornitori in PDF.

Tutto è funzione pura dei fatti e di una data esplicita: il database e l'orologio stanno in
``cer_docs.services.pnrr``.
"""
