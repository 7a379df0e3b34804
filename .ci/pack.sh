#!/usr/bin/env bash
# Packs the shipped libraries — ServerlessEventStore.Types, .Client, .Client.Aws, .Client.Sqs — with symbols (.snupkg) into
# .artifacts/packages (emptied first, so it holds exactly this build's packages), then checks what each package holds.
#   bash .ci/pack.sh [extra dotnet pack arguments, e.g. -p:RepositoryUrl=https://github.com/owner/repo]
set -euo pipefail
cd "$(dirname "$0")/.."
out=.artifacts/packages
rm -rf "$out"
mkdir -p "$out"
projects=(EventStore.Types/EventStore.Types.csproj EventStore.Client/EventStore.Client.csproj EventStore.Client.Aws/EventStore.Client.Aws.csproj EventStore.Client.Sqs/EventStore.Client.Sqs.csproj)
for project in "${projects[@]}"; do
  dotnet pack "$project" -c Release -o "$out" -nologo "$@"
done

version=$(dotnet msbuild EventStore.Types/EventStore.Types.csproj -getProperty:Version)
for id in ServerlessEventStore.Types ServerlessEventStore.Client ServerlessEventStore.Client.Aws ServerlessEventStore.Client.Sqs; do
  package="$out/$id.$version.nupkg"
  [ -f "$package" ] || { echo "missing $package"; exit 1; }
  [ -f "$out/$id.$version.snupkg" ] || { echo "missing $out/$id.$version.snupkg"; exit 1; }
  entries=$(unzip -Z1 "$package")
  # Package id = assembly name.
  for entry in README.md "lib/net8.0/$id.dll" "lib/net8.0/$id.xml" "lib/net10.0/$id.dll" "lib/net10.0/$id.xml"; do
    grep -qx "$entry" <<<"$entries" || { echo "$package lacks $entry"; exit 1; }
  done
  nuspec=$(unzip -p "$package" "$id.nuspec")
  for element in '<license type="expression">Apache-2.0</license>' '<readme>README.md</readme>' '<repository type="git" url="'; do
    grep -qF "$element" <<<"$nuspec" || { echo "$package: nuspec lacks $element"; exit 1; }
  done
done
(cd "$out" && for file in *; do printf '%9s bytes  %s\n' "$(stat -c %s "$file")" "$file"; done)
