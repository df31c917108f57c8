#!/usr/bin/env bash
# Runs the EspoCRM contract suite (the tests that run on both targets) against a real EspoCRM 9.x.
#
#   test/real/espocrm.sh <state dir with keys.json> [espocrm tree] [jest args...]
#
# The instance: ../shared/real-crms/espocrm/setup.sh <tree> <state dir> (PHP 8.2, MariaDB, seeded users
# and API keys in <state dir>/keys.json). The tree is needed to run the webhook queue job
# (php command.php run-job ProcessWebhookQueue). Without ESPOCRM_KEYS the same tests run on the sandbox.
# Env: ESPOCRM_URL (default: keys.json's url), ESPOCRM_ADMIN [admin], ESPOCRM_ADMIN_PASSWORD [Admin-pass-1].
set -euo pipefail
STATE="${1:?usage: test/real/espocrm.sh <state dir with keys.json> [espocrm tree] [jest args...]}"
shift
TREE=""
if [ $# -gt 0 ] && [ -d "$1" ]; then TREE="$1"; shift; fi
cd "$(dirname "$0")/../.."
export ESPOCRM_KEYS="$(cd "$STATE" && pwd)/keys.json"
[ -n "$TREE" ] && export ESPOCRM_TREE="$(cd "$TREE" && pwd)"
exec npx jest test/contract/espocrm-targets.test.ts --maxWorkers=1 "$@"
