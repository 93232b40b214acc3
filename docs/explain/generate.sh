#!/usr/bin/env bash
# Regenerates docs/explain/*.md with `nn explain` (ExplainTest fails if they drift from it).
set -euo pipefail
cd "$(dirname "$0")/../.."
gen() {
  local name=$1 seed=$2
  shift 2
  { cat "docs/explain/$name.note.md"
    ./nn explain --config "docs/explain/$seed.json" --weights "docs/explain/$seed.safetensors" "$@" --format markdown
  } > "docs/explain/$name.md"
}
gen seed-003 seed-003 --input 2,3,-1 --target 1
gen seed-003-adam seed-003 --input 2,3,-1 --target 1 --optimizer adam --lr 0.1
gen seed-000 seed-000 --input 0.5,-1.2 --target 1
gen seed-004 seed-004 --input 0.35,0.9,-0.4 --target 0.5,0.1,0.9
