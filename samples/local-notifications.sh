#!/usr/bin/env bash
# Usage: bash samples/local-notifications.sh [--port PORT] [--store-url URL]
#
# Starts the SNS/SQS emulator fauxqs (the one the tests use) on port PORT (default 4566) with an SNS topic
# `eventstore-notifications` and an SQS queue `order-read-model` subscribed to it (raw message delivery), prints the
# settings of the event store server and of samples/ReadModelWorker (whose EventStore:BaseAddress is URL, default
# http://localhost:5080, the server's own default), and stays in the foreground until Ctrl+C (SIGINT) or SIGTERM, which
# stop the emulator. State is in memory: a restart starts empty. fauxqs listens on all interfaces and checks no
# credentials.
#
# Needs Node.js with npm (fauxqs itself runs on Node.js 22 from the npm package `node`) and curl. On first use it
# installs fauxqs and node with `npm ci` into samples/local-notifications/node_modules, nothing globally.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
packages="$here/local-notifications"
port=4566 store_url=http://localhost:5080
topic=eventstore-notifications queue=order-read-model region=us-east-1

while [ $# -gt 0 ]; do
  case $1 in
    --port) port=${2:?--port needs a port}; shift 2 ;;
    --store-url) store_url=${2:?--store-url needs a URL}; shift 2 ;;
    -h | --help) sed -n '2,12s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ $port =~ ^[0-9]+$ ]] || { echo "--port must be a number: $port" >&2; exit 2; }
service_url="http://127.0.0.1:$port"

if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
  echo "port $port is already in use (another emulator?); choose another with --port" >&2
  exit 1
fi

# npm writes node_modules/.package-lock.json last, so its presence means a completed install.
if [ ! -f "$packages/node_modules/.package-lock.json" ] || [ ! -x "$packages/node_modules/.bin/node" ]; then
  echo "installing fauxqs and Node.js 22 into $packages/node_modules (npm ci) …"
  npm ci --prefix "$packages" --no-audit --no-fund --loglevel=error >&2
fi

work="$(mktemp -d)"
cat >"$work/init.json" <<EOF
{
  "topics": [{ "name": "$topic" }],
  "queues": [{ "name": "$queue" }],
  "subscriptions": [{ "topic": "$topic", "queue": "$queue", "attributes": { "RawMessageDelivery": "true" } }]
}
EOF

emulator=
stop() {
  trap - INT TERM EXIT
  if [ -n "$emulator" ] && kill -0 "$emulator" 2>/dev/null; then
    kill -TERM "$emulator" 2>/dev/null || true
    wait "$emulator" 2>/dev/null || true
    echo "fauxqs stopped"
  fi
  rm -rf "$work"
}
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM
trap stop EXIT

# Not fauxqs's own command line, which logs every request: startFauxqs reads the FAUXQS_* variables, logger off.
FAUXQS_PORT=$port FAUXQS_HOST=127.0.0.1 FAUXQS_DEFAULT_REGION=$region FAUXQS_INIT="$work/init.json" NODE_NO_WARNINGS=1 \
  "$packages/node_modules/.bin/node" --input-type=module \
  -e "import { startFauxqs } from '$packages/node_modules/fauxqs/dist/app.js'; await startFauxqs({ logger: false });" &
emulator=$!

# The emulator applies init.json after it starts listening: ready once the subscription is there.
topic_arn="arn:aws:sns:$region:000000000000:$topic" queue_arn="arn:aws:sqs:$region:000000000000:$queue"
for attempt in $(seq 1 120); do
  kill -0 "$emulator" 2>/dev/null || { echo "fauxqs exited" >&2; exit 1; }
  queue_url=$(curl -fsS --max-time 2 "$service_url/" -H 'Content-Type: application/x-amz-json-1.0' \
    -H 'X-Amz-Target: AmazonSQS.GetQueueUrl' --data "{\"QueueName\":\"$queue\"}" 2>/dev/null |
    sed -n 's/.*"QueueUrl":"\([^"]*\)".*/\1/p') || true
  if [ -n "$queue_url" ] && curl -fsS --max-time 2 "$service_url/" --data Version=2010-03-31 \
    --data Action=ListSubscriptionsByTopic --data-urlencode "TopicArn=$topic_arn" 2>/dev/null |
    grep -q "<Endpoint>$queue_arn</Endpoint>"; then
    break
  fi
  [ "$attempt" = 120 ] && { echo "fauxqs did not create the topic, queue and subscription within 60 s" >&2; exit 1; }
  sleep 0.5
done

cat <<EOF
fauxqs (process $emulator) on $service_url: SNS topic $topic → SQS queue $queue (raw message delivery)

The event store server in another terminal: the installed tool (or, from the repository root,
dotnet run --project EventStore.Server); the emulator checks no credentials, and the server signs for the topic's
region with placeholder credentials when it finds none:

  EventStore__Notifications__SnsTopicArn=$topic_arn \\
  EventStore__Notifications__SnsServiceUrl=$service_url \\
  eventstore

The ReadModelWorker sample, from the repository root in a third terminal (the AWS SDK wants a region and credentials):

  EventStore__BaseAddress=$store_url \\
  Notifications__QueueUrl=$queue_url \\
  Notifications__ServiceUrl=$service_url \\
  AWS_REGION=$region AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local \\
  dotnet run --project samples/ReadModelWorker

Ready; Ctrl+C stops the emulator.
EOF

# `wait` returns when a trapped signal arrives, so Ctrl+C stops the emulator at once.
wait "$emulator" || true
echo "fauxqs exited by itself" >&2
exit 1
