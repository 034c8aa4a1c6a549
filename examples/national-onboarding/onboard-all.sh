#!/usr/bin/env bash
# Onboards every Moroccan commune from the Moroccan standard. Usage: onboard-all.sh [DATA_DIR]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
data_dir="${1:-.}"
mkdir -p "$data_dir"
cd "$here/../.."
cargo build --release --quiet --bin jamaa
exec ./target/release/jamaa --data-dir "$data_dir" commune onboard --from ma-commune@1 --csv "$here/ma_communes.csv"
