#!/usr/bin/env bash
# Avvia cer-docs sul database SQLite predefinito con le pratiche d'esempio caricate.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/cer-docs avvia "$@"
