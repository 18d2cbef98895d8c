#!/usr/bin/env bash
# Il comando dei test: prepara la macchina, avvia un PostgreSQL usa-e-getta, lancia pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
eval "$(scripts/pg.sh start)"
trap 'scripts/pg.sh stop' EXIT
.venv/bin/python -m pytest "$@"
