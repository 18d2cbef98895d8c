#!/usr/bin/env bash
# Il comando dei test: prepara la macchina, avvia un PostgreSQL usa-e-getta, lancia pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
# una cartella e una porta proprie per ogni esecuzione: due esecuzioni non si pestano i piedi
export CER_DOCS_PG_DATA=${CER_DOCS_PG_DATA:-$(mktemp -d /tmp/cer-docs-pg.XXXXXX)}
export CER_DOCS_PG_PORT=${CER_DOCS_PG_PORT:-$(.venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
eval "$(scripts/pg.sh start)"
trap 'scripts/pg.sh stop; rm -rf "$CER_DOCS_PG_DATA"' EXIT
.venv/bin/python -m pytest "$@"
