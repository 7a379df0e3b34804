#!/usr/bin/env bash
# Publishes EventStore.Server as the Lambda function's code: linux-arm64, framework-dependent (the managed dotnet10
# runtime provides .NET), ReadyToRun (precompiled, for shorter cold starts). The output folder, by default
# .artifacts/lambda at the top of the repository, is what the CDK app deploys (see cdk.json and Program.cs).
#
#   bash EventStore.Infrastructure/publish-lambda.sh [output folder]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$(realpath -m "${1:-$root/.artifacts/lambda}")"

# The runtime identifier and ReadyToRun flow to the referenced EventStore.Types, which also targets net8.0: restricting
# the build to net10.0 spares restoring net8.0's linux-arm64 runtime packs, which the server does not use. The separate
# artifacts path keeps this RID-specific restore and build away from the obj/ and bin/ folders of everyday builds.
rm -rf "$out"
dotnet publish "$root/EventStore.Server/EventStore.Server.csproj" \
  -c Release -r linux-arm64 --self-contained false -p:PublishReadyToRun=true \
  -p:TargetFrameworks=net10.0 \
  --artifacts-path "$root/.artifacts/lambda-build" \
  -o "$out"

# The Lambda Web Adapter's wrapper starts this executable (the function's handler).
test -x "$out/ServerlessEventStore.Server" || { echo "publish produced no executable $out/ServerlessEventStore.Server" >&2; exit 1; }
echo "Lambda bundle: $out ($(du -sh "$out" | cut -f1))"
