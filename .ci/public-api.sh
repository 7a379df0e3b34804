#!/usr/bin/env bash
# Adds the public API that the build reports as undeclared (RS0016) to each shipped library's PublicAPI.Unshipped.txt.
# Run it after a deliberate public API change, then review the diff: the files are the record of the packages' surface.
# Removals (RS0017) are listed, not applied: move a removed shipped symbol to Unshipped as `*REMOVED*<symbol>` by hand.
#   bash .ci/public-api.sh [project.csproj …]   (default: the three packed libraries)
set -euo pipefail
cd "$(dirname "$0")/.."
projects=("$@")
[ ${#projects[@]} -gt 0 ] || projects=(EventStore.Types/EventStore.Types.csproj EventStore.Client/EventStore.Client.csproj EventStore.Client.Aws/EventStore.Client.Aws.csproj EventStore.Client.Sqs/EventStore.Client.Sqs.csproj EventStore.TestServer/EventStore.TestServer.csproj)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

for project in "${projects[@]}"; do
  dir="$(dirname "$project")"
  # --no-incremental: an up-to-date project would report nothing. The build fails while symbols are undeclared.
  dotnet build "$project" -c Release --no-incremental -p:EnableSourceControlManagerQueries=false >"$work/build.log" 2>&1 || true
  # A project with one target framework names none in the message: "single" stands for it.
  grep -o "RS0016: Symbol '.*' is not part of the declared public API[^[]*\[[^]]*\]" "$work/build.log" |
    sed -E -e "s/^RS0016: Symbol '(.*)' is not part of the declared public API.*TargetFramework=([^]]*)\]$/\2\t\1/" \
      -e "s/^RS0016: Symbol '(.*)' is not part of the declared public API[^[]*\[[^]]*\]$/single\t\1/" |
    LC_ALL=C sort -u >"$work/added.tsv" || true
  # One pair of files serves every target framework, so each framework must report the same symbols.
  frameworks=$(cut -f1 "$work/added.tsv" | sort -u)
  first=$(head -1 <<<"$frameworks")
  for framework in $frameworks; do
    if ! diff <(awk -F'\t' -v f="$first" '$1 == f { print $2 }' "$work/added.tsv") \
              <(awk -F'\t' -v f="$framework" '$1 == f { print $2 }' "$work/added.tsv") >/dev/null; then
      echo "$project: the public API differs between $first and $framework; use per-framework PublicAPI files"; exit 1
    fi
  done
  added=$(awk -F'\t' -v f="$first" '$1 == f { print $2 }' "$work/added.tsv")
  if [ -n "$added" ]; then
    { echo '#nullable enable'; { grep -v '^#nullable' "$dir/PublicAPI.Unshipped.txt" || true; printf '%s\n' "$added"; } | LC_ALL=C sort -u; } >"$work/unshipped.txt"
    mv "$work/unshipped.txt" "$dir/PublicAPI.Unshipped.txt"
    echo "$project: $(wc -l <<<"$added") symbols added to $dir/PublicAPI.Unshipped.txt"
  else
    echo "$project: nothing to add"
  fi
  grep -o "RS0017: .*declared API.*" "$work/build.log" | sed -E 's/ \[.*$//' | LC_ALL=C sort -u || true
  if grep -E "error (CS|RS|CA|IDE)[0-9]+" "$work/build.log" | grep -v RS0016 | grep -q .; then
    grep -E "error (CS|RS|CA|IDE)[0-9]+" "$work/build.log" | grep -v RS0016 | sed -E 's/ \[.*$//' | sort -u
    echo "$project: other build errors (above)"; exit 1
  fi
done
