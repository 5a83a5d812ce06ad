#!/usr/bin/env bash
# SIGKILL harness: kills real `dctwin run` processes at seeded random points, resumes each with
# --resume, and checks that every finished run folder holds the same Parquet bytes and the same
# summary as a run that was never killed (so no row was lost or written twice).
#
#   tools/sigkill-harness.sh [--kills 20] [--seed 20261130] [--scenario scenarios/metro-inference.yaml]
#                            [--dctwin PATH] [--work DIR] [--trial-timeout-s S]
#
# Each trial starts a fresh run, sends SIGKILL after a random fraction (3 % to 90 %, seeded) of the
# unbroken run's wall time, then resumes it to the end. A run killed before its first checkpoint has
# nothing to resume: `dctwin run --resume` says so (exit 2) and the harness does what that message
# tells a user, running it again without --resume into the same folder. A run that finished before
# its kill (the machine ran faster than during the unbroken run) is tried again with half the delay,
# up to three times, so that the kills asked for are kills sent. The summary is compared without
# wall_s (wall-clock time) and resumed_from_s (which says the run was resumed); everything else,
# every figure and every trace row count, must be byte-identical. Exit 0 when every trial matches,
# 1 otherwise. Not part of tools/test.sh: a metro year takes a minute, twenty of them much longer on
# a loaded machine, so the harness is built to survive its own interruption:
#  - it runs a private copy of dctwin (a rebuild of the checkout during the trials changes nothing);
#  - every dctwin it starts gets its own process group and a time limit (--trial-timeout-s, default
#    ten unbroken runs), so a hung run is a failed trial, not a stalled harness, and stopping the
#    harness (SIGINT, SIGTERM, SIGHUP) stops the trial's run with it and prints the tally so far;
#  - each finished trial's verdict is kept in WORK/trial-N.result, and rerunning with the same --work
#    reuses the unbroken run and skips finished trials, so an interrupted harness continues;
#  - a matching trial's folder is deleted (a metro year writes about 100 MB), a mismatching one is
#    kept for inspection, and a trial does not start with less free disk than the unbroken run used
#    twice over.
# Run it detached from the terminal or tool that starts it, so that closing that does not stop it:
#   setsid nohup tools/sigkill-harness.sh --work /tmp/dctwin-sigkill > /tmp/dctwin-sigkill.log 2>&1 &
set -euo pipefail

kills=20
seed=20261130
scenario=scenarios/metro-inference.yaml
dctwin=""
work=""
trial_timeout_s=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --kills) kills="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --scenario) scenario="$2"; shift 2 ;;
    --dctwin) dctwin="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    --trial-timeout-s) trial_timeout_s="$2"; shift 2 ;;
    *) echo "usage: $0 [--kills N] [--seed S] [--scenario FILE] [--dctwin PATH] [--work DIR] [--trial-timeout-s S]" >&2; exit 2 ;;
  esac
done

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
scenario="$(realpath "$scenario")"
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
work="$(realpath "$work")"

# A private copy of the program and its assets: the checkout may be rebuilt while the trials run.
bin="$work/bin"
if [[ ! -x "$bin/$(basename "$dctwin")" ]]; then
  rm -rf "$bin.partial"
  cp -a "$(dirname "$(realpath "$dctwin")")" "$bin.partial"
  mv "$bin.partial" "$bin"
fi
dctwin="$bin/$(basename "$dctwin")"

now_ms() { date +%s%3N; }

# summary.json without the two keys that describe the process rather than the run.
summary_of() { jq -S 'del(.wall_s, .resumed_from_s, .units.wall_s)' "$1/summary.json"; }

# Every Parquet file of a run folder with its SHA-256, by relative path, sorted.
parquet_hashes() { (cd "$1" && find . -name '*.parquet' -type f -print0 | sort -z | xargs -0 -r sha256sum); }

# Rows of every dataset as the summary counts them (the writer's own count, kept across resumes).
rows_of() { jq -r '.trace_rows // {} | to_entries | map("\(.key)=\(.value)") | join(" ")' "$1/summary.json"; }
row_total() { jq '[.trace_rows // {} | .[]] | add // 0' "$1/summary.json"; }

# The run now in flight (a process group leader), stopped with the harness.
child=""
survived=0; failed=0; not_killed=0; restarted=0; rows_lost_total=0; done_trials=0
tally() {
  echo "kills: $((done_trials - not_killed)) sent, $survived survived (identical Parquet and summary), $failed mismatched;" \
    "$restarted before the first checkpoint (run again); $not_killed runs finished before every kill tried;" \
    "rows in the unbroken run: ${total_rows:-?}; rows lost or duplicated: $rows_lost_total;" \
    "trials finished: $done_trials of $kills"
}
stop() {
  [[ -n "$child" ]] && kill -KILL -- "-$child" 2>/dev/null || true
  echo "harness stopped by a signal; rerun with --work $work to continue from trial $done_trials" >&2
  tally
  exit 130
}
trap stop INT TERM HUP

# Starts `dctwin ARGS…` in its own process group under the trial time limit; sets child.
start() { setsid timeout --kill-after=10 "$trial_timeout_s" "$dctwin" "$@" </dev/null >/dev/null 2>"$work/stderr.last" & child=$!; }
# Waits for the run started last; returns its exit status (124 or 137: over the time limit).
finish() { local rc=0; { wait "$child"; } 2>/dev/null || rc=$?; child=""; return "$rc"; }

echo "scenario $scenario, $kills kills, seed $seed, dctwin $dctwin, work $work"
whole="$work/whole"
if [[ -f "$work/whole.wall_ms" && -f "$whole/summary.json" ]]; then
  wall_ms="$(cat "$work/whole.wall_ms")"
  echo "unbroken run reused from $whole: ${wall_ms} ms wall; rows: $(rows_of "$whole")"
else
  rm -rf "$whole" "$work"/trial-*.result
  [[ -n "$trial_timeout_s" ]] || trial_timeout_s=86400
  t0=$(now_ms)
  start run "$scenario" --out "$whole" --quiet
  if ! finish; then echo "the unbroken run failed: $(cat "$work/stderr.last")" >&2; exit 1; fi
  wall_ms=$(( $(now_ms) - t0 ))
  echo "$wall_ms" > "$work/whole.wall_ms"
  echo "unbroken run: ${wall_ms} ms wall; rows: $(rows_of "$whole")"
  trial_timeout_s=""
fi
[[ -n "$trial_timeout_s" ]] || trial_timeout_s=$(( 10 * wall_ms / 1000 + 60 ))
whole_parquet="$(parquet_hashes "$whole")"
whole_summary="$(summary_of "$whole")"
total_rows=$(row_total "$whole")
whole_kb=$(du -sk "$whole" | cut -f1)

# Seeded kill points as fractions of the unbroken wall time.
mapfile -t fractions < <(awk -v s="$seed" -v n="$kills" 'BEGIN { srand(s); for (i = 0; i < n; i++) printf "%.4f\n", 0.03 + (0.87 * rand()) }')

# Adds one trial's verdict (a line of WORK/trial-N.result: ok killed restarted lost text) to the tally.
count() {
  local ok="$1" killed="$2" again="$3" lost="$4"
  done_trials=$((done_trials + 1))
  rows_lost_total=$((rows_lost_total + lost))
  [[ "$again" -eq 1 ]] && restarted=$((restarted + 1))
  [[ "$killed" -eq 0 ]] && not_killed=$((not_killed + 1))
  if [[ "$ok" -eq 1 ]]; then [[ "$killed" -eq 1 ]] && survived=$((survived + 1)); else failed=$((failed + 1)); fi
  return 0
}

for i in "${!fractions[@]}"; do
  result="$work/trial-$i.result"
  if [[ -f "$result" ]]; then
    read -r ok killed again lost text < "$result"
    count "$ok" "$killed" "$again" "$lost"
    echo "trial $i (kept from an earlier harness run): $text"
    continue
  fi
  folder="$work/kill-$i"
  rm -rf "$folder"
  free_kb=$(df -Pk "$work" | awk 'NR == 2 { print $4 }')
  if [[ $free_kb -lt $((2 * whole_kb)) ]]; then
    echo "trial $i: not started: ${free_kb} kB free under $work, a run needs ${whole_kb} kB; free some and rerun with --work $work" >&2
    tally
    exit 1
  fi

  f="${fractions[$i]}"
  delay_ms=$(awk -v f="$f" -v w="$wall_ms" 'BEGIN { printf "%d", f * w }')
  killed=0
  for attempt in 1 2 3 4; do
    rm -rf "$folder"
    start run "$scenario" --out "$folder" --quiet
    # sleep in the background so that a signal to the harness is handled at once, not after it.
    sleep "$(awk -v d="$delay_ms" 'BEGIN { printf "%.3f", d / 1000 }')" & wait $!
    # The group is signalled whether or not the run is still going (kill -0 cannot tell a finished
    # run that nobody has waited for yet from a live one); the exit status tells: 0 if it finished.
    kill -KILL -- "-$child" 2>/dev/null || true
    rc=0
    finish || rc=$?
    if [[ $rc -ne 0 && $rc -ne 137 ]]; then
      killed=1
      how="failed before its kill (exit $rc: $(head -c 300 "$work/stderr.last" | tr "\n" " "))"
      break
    fi
    if [[ $rc -eq 137 ]]; then
      killed=1
      how="killed at ${delay_ms} ms"
      break
    fi
    how="finished before its kill at ${delay_ms} ms"
    delay_ms=$((delay_ms / 2))
  done

  checkpoint="none"
  [[ -f "$folder/checkpoint.json" ]] && checkpoint="$(jq -r '.sim_s' "$folder/checkpoint.json" 2>/dev/null || echo unreadable)"
  again=0
  rc=0
  if [[ "$how" == failed* ]]; then
    rc=1
    resume_err="the first run failed"
  elif [[ $killed -eq 1 ]]; then
    start run "$scenario" --out "$folder" --resume --quiet
    finish || rc=$?
    resume_err="$(cat "$work/stderr.last")"
    if [[ $rc -eq 2 && "$resume_err" == *"no checkpoint to resume from"* ]]; then
      again=1
      rc=0
      start run "$scenario" --out "$folder" --quiet
      finish || rc=$?
      resume_err="$(cat "$work/stderr.last")"
      how="$how, no checkpoint yet: run again"
    fi
  else
    resume_err=""
  fi

  ok=1
  problems=""
  if [[ $rc -eq 124 || $rc -eq 137 ]]; then ok=0; problems="over the ${trial_timeout_s} s limit (exit $rc)";
  elif [[ $rc -ne 0 ]]; then ok=0; problems="resume exit $rc: $resume_err"; fi
  if [[ $ok -eq 1 && "$(parquet_hashes "$folder")" != "$whole_parquet" ]]; then
    ok=0
    problems="Parquet files differ: $(diff <(echo "$whole_parquet") <(parquet_hashes "$folder") | grep '^[<>]' | head -n 4 | tr '\n' ';' || true)"
  fi
  if [[ $ok -eq 1 && "$(summary_of "$folder")" != "$whole_summary" ]]; then
    ok=0
    problems="summary differs: $(diff <(echo "$whole_summary") <(summary_of "$folder") | grep '^[<>]' | head -n 4 | tr '\n' ';' || true)"
  fi
  lost=0
  if [[ -f "$folder/summary.json" ]]; then
    got_rows=$(row_total "$folder")
    lost=$((total_rows - got_rows))
    lost=$((lost < 0 ? -lost : lost))
  fi
  leftovers=$(find "$folder" -name '*.tmp' 2>/dev/null | wc -l)
  if [[ $leftovers -ne 0 ]]; then ok=0; problems="$problems $leftovers .tmp files left"; fi

  if [[ $ok -eq 1 ]]; then
    text="$how (checkpoint at ${checkpoint} s), resumed: identical"
    rm -rf "$folder"
  else
    text="$how (checkpoint at ${checkpoint} s): MISMATCH: $problems (folder kept: $folder)"
  fi
  echo "$ok $killed $again $lost $text" > "$result.partial"
  mv "$result.partial" "$result"
  count "$ok" "$killed" "$again" "$lost"
  echo "trial $i: $text"
done

tally
[[ $failed -eq 0 ]]
