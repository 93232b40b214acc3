#!/usr/bin/env bash
# Regenerates docs/explain/*.md and docs/explain/zh/*.md with `nn explain` (ExplainTest and
# ExplainCnnTest fail if they drift from it). Each file is its note (NAME.note.md, zh/NAME.note.md)
# followed by what nn explain writes.
set -euo pipefail
cd "$(dirname "$0")/../.."
A=0.1,0.5,-0.3,0.8,0.2,-0.6,0.4,0.9,-0.1,0.3,0.7,-0.5,0.6,-0.2,0.0,0.4
B=0.9,-0.4,0.2,0.0,0.5,0.1,-0.7,0.3,0.2,0.6,-0.2,0.8,-0.3,0.4,0.1,-0.5
C=0.0,0.3,0.6,-0.1,-0.4,0.7,0.2,0.5,0.8,-0.2,0.1,0.4,0.3,0.0,-0.6,0.2
gen() {
  local name=$1 config=$2
  shift 2
  { cat "docs/explain/$name.note.md"
    ./nn explain --config "docs/explain/$config.json" --weights "docs/explain/$config.safetensors" "$@" --format markdown
  } > "docs/explain/$name.md"
  { cat "docs/explain/zh/$name.note.md"
    ./nn explain --config "docs/explain/$config.json" --weights "docs/explain/$config.safetensors" "$@" --format markdown \
      --lang zh
  } > "docs/explain/zh/$name.md"
}
gen seed-003 seed-003 --input 2,3,-1 --target 1
gen seed-003-adam seed-003 --input 2,3,-1 --target 1 --optimizer adam --lr 0.1
gen seed-000 seed-000 --input 0.5,-1.2 --target 1
gen seed-004 seed-004 --input 0.35,0.9,-0.4 --target 0.5,0.1,0.9
gen conv2d conv2d --input $A --target 2 --neurons 24
gen pooling-dropout pooling-dropout --input $A --target 1 --neurons 32
gen batch-norm batch-norm --input $A --input $B --input $C --target 0 --target 2 --target 1 --neurons 24
