#!/usr/bin/env bash
# SIGKILL harness: kills real `dctwin run` processes at seeded random points, resumes each with
# --resume, and checks that every finished run folder holds the same Parquet bytes and the same
# summary as a run that was never killed (so no row was lost or written twice).
#
#   tools/sigkill-harness.sh [--kills 20] [--seed 20261130] [--scenario scenarios/metro-inference.yaml]
#                            [--dctwin PATH] [--work DIR]
#
# Each trial starts a fresh run, sends SIGKILL after a random fraction (3 % to 90 %, seeded) of the
# unbroken run's wall time, then resumes it to the end. A run killed before its first checkpoint has
# nothing to resume: `dctwin run --resume` says so (exit 2) and the harness does what that message
# tells a user, running it again without --resume into the same folder. The summary is compared
# without wall_s (wall-clock time) and resumed_from_s (which says the run was resumed); everything
# else, every figure and every trace row count, must be byte-identical. Exit 0 when every trial
# matches, 1 otherwise. Not part of tools/test.sh: a metro year takes seconds, twenty of them minutes.
set -euo pipefail

kills=20
seed=20261130
scenario=scenarios/metro-inference.yaml
dctwin=""
work=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --kills) kills="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --scenario) scenario="$2"; shift 2 ;;
    --dctwin) dctwin="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    *) echo "usage: $0 [--kills N] [--seed S] [--scenario FILE] [--dctwin PATH] [--work DIR]" >&2; exit 2 ;;
  esac
done

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
if [[ -z "$dctwin" ]]; then
  dctwin="$(ls -d src/DataCenterTwin.Cli/bin/Release/net*/dctwin 2>/dev/null | head -n 1 || true)"
  if [[ -z "$dctwin" ]]; then
    echo "building dctwin (Release)…" >&2
    dotnet build src/DataCenterTwin.Cli/DataCenterTwin.Cli.csproj -c Release -nologo -v q >&2
    dctwin="$(ls -d src/DataCenterTwin.Cli/bin/Release/net*/dctwin | head -n 1)"
  fi
fi
[[ -n "$work" ]] || work="$(mktemp -d -t dctwin-sigkill.XXXXXX)"
mkdir -p "$work"

now_ms() { date +%s%3N; }

# summary.json without the two keys that describe the process rather than the run.
summary_of() { jq -S 'del(.wall_s, .resumed_from_s, .units.wall_s)' "$1/summary.json"; }

# Every Parquet file of a run folder with its SHA-256, by relative path, sorted.
parquet_hashes() { (cd "$1" && find . -name '*.parquet' -type f -print0 | sort -z | xargs -0 -r sha256sum); }

# Rows of every dataset as the summary counts them (the writer's own count, kept across resumes).
rows_of() { jq -r '.trace_rows // {} | to_entries | map("\(.key)=\(.value)") | join(" ")' "$1/summary.json"; }

echo "scenario $scenario, $kills kills, seed $seed, dctwin $dctwin, work $work"
whole="$work/whole"
rm -rf "$whole"
t0=$(now_ms)
"$dctwin" run "$scenario" --out "$whole" --quiet >/dev/null
wall_ms=$(( $(now_ms) - t0 ))
echo "unbroken run: ${wall_ms} ms wall; rows: $(rows_of "$whole")"
whole_parquet="$(parquet_hashes "$whole")"
whole_summary="$(summary_of "$whole")"
total_rows=$(jq '[.trace_rows // {} | .[]] | add // 0' "$whole/summary.json")

# Seeded kill points as fractions of the unbroken wall time.
mapfile -t fractions < <(awk -v s="$seed" -v n="$kills" 'BEGIN { srand(s); for (i = 0; i < n; i++) printf "%.4f\n", 0.03 + (0.87 * rand()) }')

survived=0
failed=0
not_killed=0
restarted=0
rows_lost_total=0
for i in "${!fractions[@]}"; do
  f="${fractions[$i]}"
  delay_ms=$(awk -v f="$f" -v w="$wall_ms" 'BEGIN { printf "%d", f * w }')
  folder="$work/kill-$i"
  rm -rf "$folder"
  "$dctwin" run "$scenario" --out "$folder" --quiet >/dev/null 2>&1 &
  pid=$!
  sleep "$(awk -v d="$delay_ms" 'BEGIN { printf "%.3f", d / 1000 }')"
  if kill -0 "$pid" 2>/dev/null; then
    kill -KILL "$pid"
    wait "$pid" 2>/dev/null || true
    how="killed at ${delay_ms} ms"
  else
    wait "$pid" || true
    not_killed=$((not_killed + 1))
    how="finished before its kill at ${delay_ms} ms"
  fi

  checkpoint="none"
  [[ -f "$folder/checkpoint.json" ]] && checkpoint="$(jq -r '.sim_s' "$folder/checkpoint.json" 2>/dev/null || echo unreadable)"
  set +e
  resume_err="$("$dctwin" run "$scenario" --out "$folder" --resume --quiet 2>&1 >/dev/null)"
  rc=$?
  set -e
  if [[ $rc -eq 2 && "$resume_err" == *"no checkpoint to resume from"* ]]; then
    restarted=$((restarted + 1))
    set +e
    "$dctwin" run "$scenario" --out "$folder" --quiet >/dev/null 2>&1
    rc=$?
    set -e
    how="$how, no checkpoint yet: run again"
  fi

  ok=1
  problems=""
  if [[ $rc -ne 0 ]]; then ok=0; problems="resume exit $rc: $resume_err"; fi
  if [[ $ok -eq 1 && "$(parquet_hashes "$folder")" != "$whole_parquet" ]]; then
    ok=0
    problems="Parquet files differ: $(diff <(echo "$whole_parquet") <(parquet_hashes "$folder") | grep '^[<>]' | head -n 4 | tr '\n' ';')"
  fi
  if [[ $ok -eq 1 && "$(summary_of "$folder")" != "$whole_summary" ]]; then
    ok=0
    problems="summary differs: $(diff <(echo "$whole_summary") <(summary_of "$folder") | grep '^[<>]' | head -n 4 | tr '\n' ';')"
  fi
  if [[ -f "$folder/summary.json" ]]; then
    got_rows=$(jq '[.trace_rows // {} | .[]] | add // 0' "$folder/summary.json")
    lost=$((total_rows - got_rows))
    rows_lost_total=$((rows_lost_total + (lost < 0 ? -lost : lost)))
  fi
  leftovers=$(find "$folder" -name '*.tmp' | wc -l)
  if [[ $leftovers -ne 0 ]]; then ok=0; problems="$problems $leftovers .tmp files left"; fi

  if [[ $ok -eq 1 ]]; then
    [[ "$how" == killed* ]] && survived=$((survived + 1))
    echo "trial $i: $how (checkpoint at ${checkpoint} s), resumed: identical"
  else
    failed=$((failed + 1))
    echo "trial $i: $how (checkpoint at ${checkpoint} s): MISMATCH: $problems"
  fi
done

echo "kills: $((kills - not_killed)) sent, $survived survived (identical Parquet and summary), $failed mismatched;" \
  "$restarted before the first checkpoint (run again); $not_killed runs finished before their kill;" \
  "rows in the unbroken run: $total_rows; rows lost or duplicated: $rows_lost_total"
[[ $failed -eq 0 ]]
