#!/usr/bin/env bash
# Starts the server exactly as the README says, from the repository root with no configuration (embedded SQLite; dotnet
# run's working directory is the project folder, so the file is EventStore.Server/eventstore.db),
# waits for the liveness check, creates a stream and reads it back, then stops the server. Fails loudly on any step.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
port=5199
log="$work/server.log"
# The server runs in its own process group so that stopping it stops dotnet run and the server it started.
cleanup() { [ -n "${pid:-}" ] && kill -- "-$pid" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

(cd "$repo" && exec setsid dotnet run -c Release --project "$repo/EventStore.Server" -- --urls "http://127.0.0.1:$port" >"$log" 2>&1) &
pid=$!

for _ in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:$port/liveness-check" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$pid" 2>/dev/null; then cat "$log"; echo "server exited before it answered"; exit 1; fi
  sleep 1
done
curl -fsS "http://127.0.0.1:$port/liveness-check"; echo

id="$(cat /proc/sys/kernel/random/uuid)"
code=$(curl -s -o "$work/put.json" -w '%{http_code}' -X PUT -H 'Content-Type: application/json' \
  --data '{"event":{"eventType":"smoke-tested","payload":{"ok":true}}}' \
  "http://127.0.0.1:$port/streams/smoke/$id/events/1")
[ "$code" = 201 ] || { echo "append answered $code: $(cat "$work/put.json")"; cat "$log"; exit 1; }
curl -fsS "http://127.0.0.1:$port/streams/smoke/$id/events" | grep -q '"smoke-tested"' || { echo "event not read back"; exit 1; }
curl -fsS -o /dev/null -w '%{redirect_url}\n' "http://127.0.0.1:$port/" | grep -q '/openapi/' || { echo "/ does not redirect to /openapi/"; exit 1; }
[ -f "$repo/EventStore.Server/eventstore.db" ] || { echo "EventStore.Server/eventstore.db was not created"; exit 1; }
echo "smoke test passed"
