"""cer-docs: documenti, verifiche e scadenze per le comunità energetiche rinnovabili."""

__version__ = "0.1.0"
