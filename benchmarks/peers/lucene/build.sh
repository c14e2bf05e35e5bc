#!/bin/sh
# Build the Lucene peer against Debian's liblucene8-java (no Maven, no downloads).
#   build.sh [BUILD_DIR]      (default: $BUILD_DIR, else benchmarks/peers/lucene/build/)
# Produces BUILD_DIR/sosik-peer.jar whose manifest points at the system jars, so
#   java -jar BUILD_DIR/sosik-peer.jar index|search ...
# is all a caller needs.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-${BUILD_DIR:-$here/build}}
jars=${LUCENE_JAR_DIR:-/usr/share/java}
ver=${LUCENE_VERSION:-8.7.0}

cp=""
manifest_cp=""
for m in core analyzers-common analyzers-nori; do
    j="$jars/lucene-$m-$ver.jar"
    [ -f "$j" ] || { echo "build.sh: missing $j (apt-get install liblucene8-java)" >&2; exit 1; }
    cp="$cp${cp:+:}$j"
    manifest_cp="$manifest_cp $j"
done

mkdir -p "$out/classes"
rm -rf "$out/classes"/*
javac -encoding UTF-8 -nowarn -cp "$cp" -d "$out/classes" "$here/SosikPeer.java"
printf 'Main-Class: SosikPeer\nClass-Path:%s\n' "$manifest_cp" > "$out/MANIFEST.MF"
jar cfm "$out/sosik-peer.jar" "$out/MANIFEST.MF" -C "$out/classes" .
echo "$out/sosik-peer.jar"
