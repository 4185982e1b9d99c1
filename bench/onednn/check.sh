#!/usr/bin/env bash
# Runs ConvGradCheck.java (docs/DETERMINISM.md) on the engine NormLab bundles: DJL 0.36.0 with
# libtorch 2.7.1 from Maven, offline. Arguments and -D options as in ConvGradCheck's comment;
# JAVA_OPTS for JVM options, e.g. JAVA_OPTS=-Ddirty=true.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cp_file=$(mktemp)
trap 'rm -f "$cp_file"' EXIT
(cd "$root" && mvn -B -q -o dependency:build-classpath -pl models -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >/dev/null)
exec java -Dai.djl.offline=true ${JAVA_OPTS:-} -cp "$(cat "$cp_file")" "$root/bench/onednn/ConvGradCheck.java" "$@"
