#!/usr/bin/env bash
# Publishes EventStore.Server as the Lambda function's code for linux-arm64 into an output folder, by default
# .artifacts/lambda at the top of the repository, which the CDK app deploys (see cdk.json and Program.cs):
#   - by default the Native AOT build, for the OS-only runtime provided.al2023: the native executable and the bootstrap
#     script (beside this one) that starts it. Deploy it with the CDK app's default (`-c serverBuild=aot`).
#     On an x64 machine the native code is cross-compiled and cross-linked for arm64: that needs the Debian packages
#     clang, llvm (llvm-objcopy strips the arm64 binary) and gcc-aarch64-linux-gnu (the aarch64 linker, libc and libgcc).
#   - with --managed, the build for the managed dotnet10 runtime: framework-dependent, ReadyToRun (precompiled, for
#     shorter cold starts). Deploy it with `-c serverBuild=managed`.
#
#   bash EventStore.Infrastructure/publish-lambda.sh [--managed] [output folder]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build=aot
if [ "${1:-}" = --managed ]; then build=managed; shift; fi
out="$(realpath -m "${1:-$root/.artifacts/lambda}")"

if [ "$build" = aot ]; then
  # The server's project publishes with Native AOT itself, for the platform EventStoreLambdaRuntime names (its own
  # property: `-r`, PublishAot or TargetFrameworks set globally reach EventStore.Types too, whose net8.0 build then
  # restores net8.0's arm64 packs, or, for TargetFrameworks, keeps Native AOT from compiling: the publish falls back to
  # IL). The native executable's symbols (.dbg) stay out of the bundle: they would only make it larger.
  options=(-p:EventStoreLambdaRuntime=linux-arm64 -p:CopyOutputSymbolsToPublishDirectory=false)
else
  # The runtime identifier flows to the referenced EventStore.Types, which also targets net8.0: restricting the build
  # to net10.0 spares restoring net8.0's linux-arm64 runtime packs, which the server does not use.
  options=(-r linux-arm64 -p:PublishAot=false --self-contained false -p:PublishReadyToRun=true -p:TargetFrameworks=net10.0)
fi

# The separate artifacts path (one per build) keeps this RID-specific restore and build away from the obj/ and bin/
# folders of everyday builds.
rm -rf "$out"
dotnet publish "$root/EventStore.Server/EventStore.Server.csproj" \
  -c Release "${options[@]}" \
  --artifacts-path "$root/.artifacts/lambda-build-$build" \
  -o "$out"

test -x "$out/ServerlessEventStore.Server" || { echo "publish produced no executable $out/ServerlessEventStore.Server" >&2; exit 1; }
if [ "$build" = aot ] && [ -e "$out/ServerlessEventStore.Server.dll" ]; then
  echo "publish produced an IL build, not a native one: $out holds ServerlessEventStore.Server.dll" >&2; exit 1
fi
if [ "$build" = aot ]; then
  # provided.al2023 runs the bundle's bootstrap; it starts the executable.
  install -m 755 "$root/EventStore.Infrastructure/bootstrap" "$out/bootstrap"
fi
echo "Lambda bundle ($build): $out ($(du -sh "$out" | cut -f1))"
