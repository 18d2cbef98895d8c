"""Simulazione economica di una configurazione CACER: energia condivisa ora per ora, incentivi, riparto.

* ``dati``: dati energetici nel pacchetto (profili ARERA, prezzi zonali, comuni, anno tipo PVGIS) e calendario;
* ``profili``: prelievo orario dei punti; ``fotovoltaico``: produzione con pvlib senza rete o da CSV PVGIS;
* ``misure``: misure orarie o quartorarie del distributore e scenari di prezzo da CSV;
* ``motore``: il calcolo orario in numpy (condivisa, anzianità, tariffa, F, valorizzazione, eccedenza);
* ``riparto``: categorie del regolamento e membri al centesimo; ``simulazione``: dalla pratica ai risultati
  (``esiti``); ``grafici`` e ``report``: grafici Altair e rapporto PDF.

UI e CLI passano da ``cer_docs.services.economia``.
"""
