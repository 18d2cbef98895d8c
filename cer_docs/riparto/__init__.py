"""Riparto e pagamenti: dagli importi pagati dal GSE al bonifico di ogni membro.

- ``incassi``: gli importi del GSE per mese e componente (CSV ``periodo,componente,importo_euro``);
- ``misure_distributore``: le misure dei formati di esportazione reali, lette nel formato delle misure;
- ``acconto``: la formula d'acconto delle Regole Operative (parametro datato ``acconto_gse``);
- ``liquidazione``: atteso contro ricevuto mese per mese e riparto del periodo, sul motore della
  simulazione (``cer_docs.economia``) alimentato dalle misure;
- ``uscite``: CSV contabile, bonifico SEPA pain.001 validato sull'XSD ufficiale, estratti conto PDF.
"""
