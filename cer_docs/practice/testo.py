"""Date dentro le frasi: «il 10 marzo», ma «l'8 marzo» e «dall'11 aprile» (elisione davanti a vocale).

La funzione vive in ``cer_docs.italiano`` (una sola scelta per documenti, regole e scadenze)."""

from __future__ import annotations

from cer_docs.italiano import con_data

__all__ = ["con_data"]
