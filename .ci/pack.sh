#!/usr/bin/env bash
# Packs the shipped packages — the libraries ServerlessEventStore.Types, .Client, .Client.Aws, .Client.Sqs, .Testing and
# the server as the .NET tool ServerlessEventStore.Server — with symbols (.snupkg) into .artifacts/packages (emptied
# first, so it holds exactly this build's packages), then checks what each package holds.
#   bash .ci/pack.sh [extra dotnet pack arguments, e.g. -p:RepositoryUrl=https://github.com/owner/repo]
set -euo pipefail
cd "$(dirname "$0")/.."
out=.artifacts/packages
rm -rf "$out"
mkdir -p "$out"
projects=(EventStore.Types/EventStore.Types.csproj EventStore.Client/EventStore.Client.csproj EventStore.Client.Aws/EventStore.Client.Aws.csproj
  EventStore.Client.Sqs/EventStore.Client.Sqs.csproj EventStore.TestServer/EventStore.TestServer.csproj EventStore.Server/EventStore.Server.csproj)
for project in "${projects[@]}"; do
  dotnet pack "$project" -c Release -o "$out" -nologo "$@"
done

version=$(dotnet msbuild EventStore.Types/EventStore.Types.csproj -getProperty:Version)
# check_package ID ENTRY…: the package and its symbols exist, it holds each ENTRY, and its nuspec has license, readme
# and repository.
check_package() {
  local id=$1; shift
  local package="$out/$id.$version.nupkg" entries nuspec entry element
  [ -f "$package" ] || { echo "missing $package"; exit 1; }
  [ -f "$out/$id.$version.snupkg" ] || { echo "missing $out/$id.$version.snupkg"; exit 1; }
  entries=$(unzip -Z1 "$package")
  for entry in README.md "$@"; do
    grep -qx "$entry" <<<"$entries" || { echo "$package lacks $entry"; exit 1; }
  done
  nuspec=$(unzip -p "$package" "$id.nuspec")
  for element in '<license type="expression">Apache-2.0</license>' '<readme>README.md</readme>' '<repository type="git" url="'; do
    grep -qF "$element" <<<"$nuspec" || { echo "$package: nuspec lacks $element"; exit 1; }
  done
}
# Package id = assembly name.
for id in ServerlessEventStore.Types ServerlessEventStore.Client ServerlessEventStore.Client.Aws ServerlessEventStore.Client.Sqs; do
  check_package "$id" "lib/net8.0/$id.dll" "lib/net8.0/$id.xml" "lib/net10.0/$id.dll" "lib/net10.0/$id.xml"
done
# The testing package carries the server's assembly; the server's own package is a tool (no lib/, nothing to reference).
check_package ServerlessEventStore.Testing lib/net10.0/ServerlessEventStore.Testing.dll lib/net10.0/ServerlessEventStore.Testing.xml \
  lib/net10.0/ServerlessEventStore.Server.dll
check_package ServerlessEventStore.Server tools/net10.0/any/DotnetToolSettings.xml tools/net10.0/any/ServerlessEventStore.Server.dll \
  tools/net10.0/any/appsettings.json tools/net10.0/any/runtimes/linux-x64/native/libe_sqlite3.so
unzip -p "$out/ServerlessEventStore.Server.$version.nupkg" tools/net10.0/any/DotnetToolSettings.xml | grep -q 'Name="eventstore"' ||
  { echo "the server's tool package does not name its command eventstore"; exit 1; }
if unzip -Z1 "$out/ServerlessEventStore.Server.$version.nupkg" | grep -q '^lib/'; then echo "the tool package must hold no lib/"; exit 1; fi
(cd "$out" && for file in *; do printf '%9s bytes  %s\n' "$(stat -c %s "$file")" "$file"; done)
