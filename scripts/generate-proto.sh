#!/usr/bin/env bash
# Regenerates Sources/DynamosMessages/Generated from Proto/*.proto (run by `make proto`).
# Needs protoc (Debian: protobuf-compiler) and protoc-gen-swift; when the plugin is not on PATH it is
# built once from the swift-protobuf version the package resolves to.
set -euo pipefail
cd "$(dirname "$0")/.."
plugin=$(command -v protoc-gen-swift || true)
if [ -z "$plugin" ]; then
    swift package resolve >/dev/null
    checkout=.build/checkouts/swift-protobuf
    swift build -c release --package-path "$checkout" --scratch-path .build-protoc-gen-swift --product protoc-gen-swift
    plugin=$PWD/.build-protoc-gen-swift/release/protoc-gen-swift
fi
out=Sources/DynamosMessages/Generated
rm -f "$out"/*.pb.swift
protoc --plugin=protoc-gen-swift="$plugin" --swift_out="$out" --swift_opt=Visibility=Public --swift_opt=UseAccessLevelOnImports=true -I Proto Proto/*.proto
echo "generated: $(ls "$out")"
