#!/usr/bin/env bash
# Runs every test project of the solution and ends with the line CI reads: "N passed, N failed"
# (", N skipped" when any were skipped), summed over all projects from their TRX results.
set -uo pipefail
cd "$(dirname "$0")/.."

results="TestResults"
rm -rf "$results"

# The renderer's pixel tests need EGL and Mesa's software OpenGL (llvmpipe); install them when
# missing. If that fails the tests fail with the renderer's message rather than skip.
if ! ldconfig -p 2>/dev/null | grep -q 'libEGL_mesa.so.0' || ! ls /usr/lib/*/dri/swrast_dri.so >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libegl1 libegl-mesa0 libgl1-mesa-dri; } >/dev/null 2>&1 \
      || echo "warning: could not install libegl1 libegl-mesa0 libgl1-mesa-dri; the render tests will fail"
  else
    echo "warning: libEGL/Mesa missing and not root; the render tests will fail (apt-get install libegl1 libegl-mesa0 libgl1-mesa-dri)"
  fi
fi

if ! dotnet build DataCenterTwin.sln -c Release -nologo -v q; then
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

dotnet test DataCenterTwin.sln -c Release --no-build -nologo \
  --logger "trx" --logger "console;verbosity=minimal" --results-directory "$results"
status=$?

passed=0; failed=0; skipped=0; files=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  files=$((files + 1))
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  get() { printf '%s' "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
  passed=$((passed + $(get passed)))
  failed=$((failed + $(get failed) + $(get error) + $(get timeout) + $(get aborted)))
  skipped=$((skipped + $(get notExecuted)))
done

if [ "$files" -eq 0 ] || { [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; }; then
  # The runner failed without a result file saying why (a crash, a build error): count it.
  failed=$((failed + 1))
fi

if [ "$skipped" -gt 0 ]; then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
