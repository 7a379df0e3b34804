#!/usr/bin/env bash
# Packs the libraries and runs each sample against the packed packages, the event store and the SNS/SQS emulator:
#   1. bash .ci/pack.sh; each sample is built with a package cache of its own (NUGET_PACKAGES in a scratch folder), so
#      the ServerlessEventStore.* packages it uses are the ones just packed, never a stale cached copy;
#      samples/OrderService.Tests runs (OrderService's logic on ServerlessEventStore.Testing's in-process server);
#   2. fauxqs with an SNS topic, an SQS queue and the subscription between them: samples/local-notifications.sh;
#   3. the event store: the packed tool ServerlessEventStore.Server installed into a scratch tool path and started as
#      `eventstore` with no arguments (http://localhost:5080; its data in the per-user folder, here a scratch
#      XDG_DATA_HOME), publishing its notifications to that topic (environment variables);
#   4. samples/ReadModelWorker on the queue, samples/OrderService and samples/LambdaSqsHandler;
#      samples/AotConsole published with Native AOT (no trim or AOT warning allowed) and run as a native executable;
#   5. OrderService places an order, adds items from concurrent requests, ships it and refuses a late item; the worker's
#      read model catches up from the notifications and, restarted, rebuilds itself from the history; LambdaSqsHandler answers a Lambda SQS event holding one malformed
#      record with batchItemFailures naming only that record; AotConsole appends, is refused a stale append, reads back;
#   6. the README's quick start: a new console app, `dotnet add package`, the README's Program.cs, its output.
# Everything listens on 127.0.0.1; every wait is bounded; every process is stopped at the end (its process group).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

store_port=5080 fauxqs_port=5292 orders_port=5293 worker_port=5294 lambda_port=5295
store="http://localhost:$store_port" fauxqs="http://127.0.0.1:$fauxqs_port"
orders="http://127.0.0.1:$orders_port" worker="http://127.0.0.1:$worker_port" lambda="http://127.0.0.1:$lambda_port"
work="$(mktemp -d)"
pids=()

cleanup() {
  for pid in "${pids[@]}"; do kill -- "-$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

fail() {
  echo "SAMPLES FAILED: $*"
  for log in "$work"/*.log; do echo "---- $(basename "$log") (last 40 lines)"; tail -40 "$log"; done
  exit 1
}

# start NAME COMMAND…: runs COMMAND in a process group of its own (so that stopping it stops all it started).
start() {
  local name=$1; shift
  (exec setsid "$@" >"$work/$name.log" 2>&1) &
  pids+=($!)
  eval "${name}_pid=$!"
}

# wait_for NAME URL [STATUS]: until URL answers STATUS (default: any 2xx), at most 120 s; fails at once if NAME's
# process has exited.
wait_for() {
  local name=$1 url=$2 expected=${3:-2..} pid_var="${1}_pid" code
  for _ in $(seq 1 240); do
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$url" 2>/dev/null || true)
    [[ $code =~ ^$expected$ ]] && return 0
    kill -0 "${!pid_var}" 2>/dev/null || fail "$name exited before answering $url"
    sleep 0.5
  done
  fail "$name did not answer $url within 120 s"
}

# call METHOD URL [BODY] → sets $status and $body; each request at most 30 s.
call() {
  local data=()
  [ $# -ge 3 ] && data=(-H 'Content-Type: application/json' --data "$3")
  status=$(curl -sS -o "$work/response" -w '%{http_code}' --max-time 30 -X "$1" "${data[@]}" "$2") || fail "$1 $2: no answer"
  body=$(cat "$work/response")
}

expect() { [ "$status" = "$1" ] || fail "$2: expected HTTP $1, got $status: $body"; }

json_string() { sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p" <<<"$2" | head -1; }
json_number() { sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p" <<<"$2" | head -1; }

for port in $store_port $fauxqs_port $orders_port $worker_port $lambda_port; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then fail "port $port is already in use"; fi
done

echo "== pack"
bash .ci/pack.sh >"$work/pack.log" 2>&1 || fail "bash .ci/pack.sh (see pack.log)"
tail -6 "$work/pack.log"
version=$(dotnet msbuild EventStore.Types/EventStore.Types.csproj -getProperty:Version)

echo "== build the samples against ServerlessEventStore.* $version from .artifacts/packages"
# Only the samples' builds (and the quick start's) use the scratch cache; the repository's own builds keep theirs.
sample_packages="$work/nuget-packages"
samples=(OrderService OrderService.Tests ReadModelWorker LambdaSqsHandler AotConsole)
for sample in "${samples[@]}"; do
  references=$(grep -o '<PackageReference Include="ServerlessEventStore[^/]*/>' "samples/$sample/$sample.csproj") ||
    fail "samples/$sample does not reference a ServerlessEventStore package"
  if grep -v "Version=\"$version\"" <<<"$references"; then fail "samples/$sample must reference the packed version $version"; fi
  NUGET_PACKAGES="$sample_packages" dotnet build "samples/$sample" -c Release -nologo -clp:ErrorsOnly >"$work/build-$sample.log" 2>&1 ||
    { cat "$work/build-$sample.log"; fail "dotnet build samples/$sample"; }
  grep -q '"ServerlessEventStore\.' "samples/$sample/obj/project.assets.json" || fail "samples/$sample: no ServerlessEventStore package restored"
  grep -q "$sample_packages" "samples/$sample/obj/project.assets.json" || fail "samples/$sample was not restored into the scratch cache"
done
for id in ServerlessEventStore.Types ServerlessEventStore.Client ServerlessEventStore.Client.Sqs ServerlessEventStore.Testing; do
  lower=$(tr '[:upper:]' '[:lower:]' <<<"$id")
  packed=$(openssl dgst -sha512 -binary ".artifacts/packages/$id.$version.nupkg" | base64 -w0)
  used=$(cat "$sample_packages/$lower/$version/$lower.$version.nupkg.sha512" 2>/dev/null) || fail "$id $version was not restored"
  [ "$packed" = "$used" ] || fail "$id $version in the samples' cache is not the package just packed"
done
echo "samples built; each ServerlessEventStore package they use is the one just packed (SHA-512 compared)"

echo "== OrderService.Tests: the order logic against ServerlessEventStore.Testing's in-process server"
NUGET_PACKAGES="$sample_packages" timeout 600 dotnet test samples/OrderService.Tests -c Release --no-build -nologo >"$work/order-tests.log" 2>&1 ||
  { cat "$work/order-tests.log"; fail "dotnet test samples/OrderService.Tests"; }
grep -E "Passed!|Failed!" "$work/order-tests.log"

echo "== fauxqs with a topic, a queue and a subscription: samples/local-notifications.sh"
start fauxqs bash samples/local-notifications.sh --port $fauxqs_port --store-url "$store"
for _ in $(seq 1 480); do
  grep -q '^Ready' "$work/fauxqs.log" && break
  kill -0 "$fauxqs_pid" 2>/dev/null || fail "samples/local-notifications.sh exited"
  sleep 0.5
done
grep -q '^Ready' "$work/fauxqs.log" || fail "samples/local-notifications.sh was not ready within 240 s"
# printed_setting NAME: the value the script printed for NAME (a line "  NAME=VALUE \").
printed_setting() { sed -n "s/^  $1=\([^ ]*\).*/\1/p" "$work/fauxqs.log" | head -1; }
topic_arn=$(printed_setting EventStore__Notifications__SnsTopicArn) queue_url=$(printed_setting Notifications__QueueUrl)
[ -n "$topic_arn" ] && [ -n "$queue_url" ] || fail "samples/local-notifications.sh printed no topic ARN or queue URL"
echo "topic $topic_arn → queue $queue_url"

# The emulator checks no signature; the AWS SDK still wants a region and credentials.
export AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local

echo "== the event store: the packed tool, installed and run as \`eventstore\` with no arguments"
tools="$work/tools"
NUGET_PACKAGES="$sample_packages" dotnet tool install ServerlessEventStore.Server --tool-path "$tools" \
  --version "$version" >"$work/tool-install.log" 2>&1 || { cat "$work/tool-install.log"; fail "dotnet tool install ServerlessEventStore.Server"; }
[ -x "$tools/eventstore" ] || fail "the tool installed no eventstore command: $(ls "$tools")"
# The README's `dotnet tool install --global`, into a scratch home (DOTNET_CLI_HOME) rather than this machine's.
DOTNET_CLI_HOME="$work/home" NUGET_PACKAGES="$sample_packages" dotnet tool install --global ServerlessEventStore.Server --version "$version" \
  >"$work/tool-install-global.log" 2>&1 || { cat "$work/tool-install-global.log"; fail "dotnet tool install --global ServerlessEventStore.Server"; }
[ "$("$work/home/.dotnet/tools/eventstore" --version | cut -d+ -f1)" = "$version" ] || fail "the globally installed eventstore is not version $version"
XDG_DATA_HOME="$work/data" "$tools/eventstore" --help | grep -qF "(default: $work/data/ServerlessEventStore/eventstore.db)" ||
  fail "eventstore --help does not name the per-user data file"
start store env XDG_DATA_HOME="$work/data" EventStore__Notifications__SnsTopicArn="$topic_arn" \
  EventStore__Notifications__SnsServiceUrl="$fauxqs" "$tools/eventstore"
wait_for store "$store/liveness-check"
grep -q "Now listening on: http://localhost:5080" "$work/store.log" || fail "eventstore does not listen on http://localhost:5080 by default"
[ -f "$work/data/ServerlessEventStore/eventstore.db" ] || fail "eventstore keeps no data in \$XDG_DATA_HOME/ServerlessEventStore/eventstore.db"
echo "== the samples"
start worker env EventStore__BaseAddress="$store" Notifications__QueueUrl="$queue_url" Notifications__ServiceUrl="$fauxqs" \
  Notifications__WaitTime=00:00:01 dotnet run --no-build -c Release --project samples/ReadModelWorker -- --urls "$worker"
start orders env EventStore__BaseAddress="$store" Telemetry__Console=true dotnet run --no-build -c Release --project samples/OrderService -- --urls "$orders"
start lambda env EventStore__BaseAddress="$store" dotnet run --no-build -c Release --project samples/LambdaSqsHandler -- --urls "$lambda"
wait_for worker "$worker/orders"
wait_for orders "$orders/orders/$(cat /proc/sys/kernel/random/uuid)" 404
wait_for lambda "$lambda/orders/$(cat /proc/sys/kernel/random/uuid)" 404

echo "== OrderService: append and read over HTTP"
call POST "$orders/orders" '{"customer":"ACME"}'
expect 201 "place an order"
order_id=$(json_string id "$body")
[ -n "$order_id" ] || fail "no order id in $body"
echo "placed: $body"
# Four writers at once on one stream: each conflict is re-read, re-decided and retried, so all four succeed.
writers=()
for quantity in 1 2 3 4; do
  curl -sS -o "$work/item-$quantity" -w '%{http_code}' --max-time 60 -H 'Content-Type: application/json' \
    --data "{\"sku\":\"sku-$quantity\",\"quantity\":$quantity}" "$orders/orders/$order_id/items" >"$work/item-$quantity.status" &
  writers+=($!)
done
for writer in "${writers[@]}"; do wait "$writer" || true; done
for quantity in 1 2 3 4; do
  [ "$(cat "$work/item-$quantity.status")" = 200 ] ||
    fail "concurrent add-item $quantity answered $(cat "$work/item-$quantity.status"): $(cat "$work/item-$quantity")"
done
call GET "$orders/orders/$order_id"
expect 200 "read the order"
[ "$(json_number revision "$body")" = 5 ] || fail "after 4 added items the order should be at revision 5: $body"
[ "$(grep -o '"sku":' <<<"$body" | wc -l)" = 4 ] || fail "the order should have 4 lines: $body"
echo "after 4 concurrent adds ($(grep -c 'deciding again' "$work/orders.log" || true) conflicts retried): $body"
call POST "$orders/orders/$order_id/ship"
expect 200 "ship the order"
grep -q '"shipped":true' <<<"$body" || fail "the order should be shipped: $body"
call POST "$orders/orders/$order_id/items" '{"sku":"late","quantity":1}'
expect 409 "add an item to a shipped order"
call GET "$store/streams/order/$order_id/events"
expect 200 "read the stream from the event store"
[ "$(grep -o '"eventType":' <<<"$body" | wc -l)" = 6 ] || fail "the stream should hold 6 events: $body"
grep -q 'eventstore.client.append' "$work/orders.log" || fail "OrderService exported no eventstore.client.append activity (OpenTelemetry)"
echo "OrderService: placed, 4 concurrent appends, shipped, a late item refused (409); the stream holds 6 events; traces exported"

# order_at_revision_6 NAME: until the worker's read model shows the order at revision 6 (at most 30 s), then checks it.
order_at_revision_6() {
  local name=$1 pid_var="${1}_pid"
  for _ in $(seq 1 60); do
    call GET "$worker/orders/$order_id"
    [ "$status" = 200 ] && [ "$(json_number revision "$body")" = 6 ] && break
    kill -0 "${!pid_var}" 2>/dev/null || fail "$name exited"
    sleep 0.5
  done
  [ "$status" = 200 ] && [ "$(json_number revision "$body")" = 6 ] || fail "$name's read model did not reach revision 6 within 30 s: $status $body"
  [ "$(json_number itemCount "$body")" = 10 ] && grep -q '"shipped":true' <<<"$body" || fail "$name's read model is wrong: $body"
}

echo "== ReadModelWorker: the read model follows the notifications"
order_at_revision_6 worker
echo "ReadModelWorker: $body"

echo "== ReadModelWorker restarted: the read model from the whole history (its notifications were acknowledged)"
kill -- "-$worker_pid" 2>/dev/null || true
wait "$worker_pid" 2>/dev/null || true
start replayed env EventStore__BaseAddress="$store" Notifications__QueueUrl="$queue_url" Notifications__ServiceUrl="$fauxqs" \
  Notifications__WaitTime=00:00:01 dotnet run --no-build -c Release --project samples/ReadModelWorker -- --urls "$worker"
wait_for replayed "$worker/orders"
order_at_revision_6 replayed
grep -q "Replayed [0-9]* order events from the history" "$work/replayed.log" || fail "the restarted worker did not replay the history"
echo "ReadModelWorker (restarted): $body"

echo "== LambdaSqsHandler: a Lambda SQS event with one malformed record"
event=$(sed -e "s/00000000-0000-0000-0000-000000000000/$order_id/" -e 's/\\"StreamRevision\\":\\"1\\"/\\"StreamRevision\\":\\"6\\"/' \
  samples/LambdaSqsHandler/sqs-event.json)
call POST "$lambda/events" "$event"
expect 200 "post the SQS event"
[ "$(tr -d ' \n' <<<"$body")" = '{"batchItemFailures":[{"itemIdentifier":"2e1424d4-f796-459a-8184-9c92662be6da"}]}' ] ||
  fail "batchItemFailures should name only the malformed record: $body"
echo "LambdaSqsHandler answered: $body"
call GET "$lambda/orders/$order_id"
expect 200 "read the Lambda handler's read model"
[ "$(grep -o '"[a-z-]*"' <<<"$body" | wc -l)" = 6 ] || fail "the Lambda handler should have applied 6 events: $body"
echo "LambdaSqsHandler read model: $body"

echo "== AotConsole: published with Native AOT, run as a native executable"
# The RID of this machine: the native executable must run here.
rid="linux-$(uname -m | sed -e 's/^x86_64$/x64/' -e 's/^aarch64$/arm64/')"
aot="$work/aot-console"
NUGET_PACKAGES="$sample_packages" dotnet publish samples/AotConsole -c Release -r "$rid" -o "$aot" -nologo >"$work/publish-aot.log" 2>&1 ||
  { cat "$work/publish-aot.log"; fail "dotnet publish samples/AotConsole (Native AOT; the linker is clang, see .ci/run)"; }
if grep -E "warning [A-Z]+[0-9]+" "$work/publish-aot.log"; then fail "the AOT publish of samples/AotConsole reported warnings (above)"; fi
[ -x "$aot/AotConsole" ] && [ ! -e "$aot/AotConsole.dll" ] || fail "no native executable in $aot: $(ls "$aot")"
EventStore__BaseAddress="$store" timeout 60 "$aot/AotConsole" >"$work/aot-console-output.log" 2>&1 ||
  { cat "$work/aot-console-output.log"; fail "the native AotConsole did not run"; }
uuid='[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'
for line in "order $uuid at revision 3" 'conflict: expected revision 1, the stream is at 3' \
  "1: order-placed customer ACME, correlation $uuid" '2: item-added 2 x A-1' '3: item-added 1 x B-7'; do
  grep -Eqx "$line" "$work/aot-console-output.log" || { cat "$work/aot-console-output.log"; fail "AotConsole did not print a line '$line'"; }
done
aot_order=$(sed -n 's/^order \([0-9a-f-]*\) at revision 3$/\1/p' "$work/aot-console-output.log")
call GET "$store/streams/order/$aot_order/events"
expect 200 "read AotConsole's stream from the event store"
[ "$(grep -o '"eventType":' <<<"$body" | wc -l)" = 3 ] && grep -q '"payload":{"sku":"A-1","quantity":2}' <<<"$body" ||
  fail "AotConsole's stream should hold its 3 events, payloads in camelCase: $body"
cat "$work/aot-console-output.log"

echo "== README quick start: a new console app, dotnet add package, the README's Program.cs"
quickstart="$work/quickstart"
mkdir -p "$quickstart"
(
  cd "$quickstart"
  export NUGET_PACKAGES="$sample_packages"
  dotnet new console --name QuickStart --output . &&
  dotnet new nugetconfig &&
  dotnet nuget add source "$repo/.artifacts/packages" --name local --configfile nuget.config &&
  dotnet add package ServerlessEventStore.Client --version "$version"
) >"$work/quickstart.log" 2>&1 || fail "the quick start's setup (see quickstart.log)"
awk '/^## Quick start/ { section = 1 } section && /^```csharp/ { code = 1; next } code && /^```/ { exit } code { print }' README.md \
  >"$quickstart/Program.cs"
[ -s "$quickstart/Program.cs" ] || fail "no C# block found under the README's Quick start"
NUGET_PACKAGES="$sample_packages" timeout 300 dotnet run --project "$quickstart" >"$work/quickstart-output.log" 2>&1 || { cat "$work/quickstart-output.log"; fail "the quick start did not run"; }
grep -qx '1: order-placed {"customer":"ACME"}' "$work/quickstart-output.log" &&
  grep -qx '2: order-shipped {"trackingCode":"ZX-1"}' "$work/quickstart-output.log" ||
  { cat "$work/quickstart-output.log"; fail "the quick start did not print what the README says"; }
cat "$work/quickstart-output.log"

echo "samples: OrderService (and its tests on ServerlessEventStore.Testing), ReadModelWorker, LambdaSqsHandler, AotConsole (native) and the quick start ran as expected on the packed packages, against the installed eventstore tool"
