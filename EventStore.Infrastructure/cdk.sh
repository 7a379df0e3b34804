#!/usr/bin/env bash
# Runs the AWS CDK CLI (v2, from npm) on Node.js 22 (from the npm package node@22), in this folder, with the arguments
# given: the CLI warns that older Node.js lines are at their end of life, and the jsii runtime the C# app starts runs
# on the same node. Nothing is installed globally: npx keeps both packages in its cache.
#   bash EventStore.Infrastructure/cdk.sh deploy [cdk options]     e.g. bootstrap, synth, diff, deploy, destroy
set -euo pipefail
cd "$(dirname "$0")"
exec npx --yes -p node@22 -p aws-cdk@2 -- cdk "$@"
