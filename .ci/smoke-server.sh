#!/usr/bin/env bash
# Starts the server exactly as the README says and checks that it serves: waits for the liveness check, appends an
# event and reads it back, checks the stream browser at / and readiness, then stops it. Fails loudly on any step.
#   bash .ci/smoke-server.sh sqlite     dotnet run --project EventStore.Server (no configuration: the file is the
#                                       per-user default, ServerlessEventStore/eventstore.db in $XDG_DATA_HOME, here a
#                                       scratch folder)
#   bash .ci/smoke-server.sh dynamodb   bash EventStore.Server/scripts/run-with-dynamodb-local.sh
#   bash .ci/smoke-server.sh aot EXE    the native executable of `dotnet publish EventStore.Server -c Release -r linux-x64`,
#                                       started by itself on a fresh SQLite file: its cold start, from the process's start
#                                       to the first 201 of an append, is measured and printed
set -euo pipefail
mode="${1:-sqlite}"
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
port=5199
log="$work/server.log"
# The server runs in its own process group so that stopping it stops dotnet run and everything it started.
cleanup() { [ -n "${pid:-}" ] && kill -- "-$pid" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

case "$mode" in
  sqlite) command=(env XDG_DATA_HOME="$work/data" dotnet run -c Release --project "$repo/EventStore.Server" -- --urls "http://127.0.0.1:$port") ;;
  dynamodb) command=(env DYNAMODB_PORT=8765 EVENTSTORE_TABLE="smoke-$RANDOM" bash "$repo/EventStore.Server/scripts/run-with-dynamodb-local.sh" -c Release -- --urls "http://127.0.0.1:$port") ;;
  aot)
    exe="${2:?the native executable}"
    [ -x "$exe" ] || { echo "no native executable at $exe"; exit 1; }
    command=(env EventStore__Sqlite__Path="$work/eventstore.db" "$exe" --urls "http://127.0.0.1:$port") ;;
  *) echo "unknown mode $mode"; exit 2 ;;
esac
started=$(date +%s%N)
(cd "$repo" && exec setsid "${command[@]}" >"$log" 2>&1) &
pid=$!

if [ "$mode" = aot ]; then
  # Cold start: append until the first 201 (connection refused until it listens), polling every few milliseconds.
  id="$(cat /proc/sys/kernel/random/uuid)"
  for _ in $(seq 1 2000); do
    code=$(curl -s -o /dev/null -w '%{http_code}' -X PUT -H 'Content-Type: application/json' \
      --data '{"event":{"eventType":"cold-started","payload":{}}}' "http://127.0.0.1:$port/streams/smoke/$id/events/1" || true)
    [ "$code" = 201 ] && break
    kill -0 "$pid" 2>/dev/null || { cat "$log"; echo "the native server exited before it answered"; exit 1; }
    sleep 0.005
  done
  [ "$code" = 201 ] || { cat "$log"; echo "the native server gave no 201 (last answer: $code)"; exit 1; }
  echo "native server: process start to first 201 append in $(( ($(date +%s%N) - started) / 1000000 )) ms"
fi

for _ in $(seq 1 180); do
  if curl -fsS "http://127.0.0.1:$port/liveness-check" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$pid" 2>/dev/null; then cat "$log"; echo "server exited before it answered"; exit 1; fi
  sleep 1
done
curl -fsS "http://127.0.0.1:$port/liveness-check" || { cat "$log"; echo "no liveness answer"; exit 1; }
echo

id="$(cat /proc/sys/kernel/random/uuid)"
code=$(curl -s -o "$work/put.json" -w '%{http_code}' -X PUT -H 'Content-Type: application/json' \
  --data '{"event":{"eventType":"smoke-tested","payload":{"ok":true}}}' \
  "http://127.0.0.1:$port/streams/smoke/$id/events/1")
[ "$code" = 201 ] || { echo "append answered $code: $(cat "$work/put.json")"; cat "$log"; exit 1; }
curl -fsS "http://127.0.0.1:$port/streams/smoke/$id/events" | grep -q '"smoke-tested"' || { echo "event not read back"; exit 1; }
curl -fsS "http://127.0.0.1:$port/" | grep -q '<title>Stream browser · ServerlessEventStore</title>' || { echo "/ does not serve the stream browser"; exit 1; }
curl -fsS "http://127.0.0.1:$port/health/ready" | grep -q '"status":"ready"' || { echo "/health/ready does not say ready"; exit 1; }
if [ "$mode" = sqlite ]; then
  [ -f "$work/data/ServerlessEventStore/eventstore.db" ] || { echo "\$XDG_DATA_HOME/ServerlessEventStore/eventstore.db was not created"; exit 1; }
fi
echo "smoke test ($mode) passed"
