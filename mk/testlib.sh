# testlib.sh — cmocka-style case and summary lines for shell tests, so that
# mk/run-tests.sh counts their cases like a cmocka program's. Source it.

t_run=0 t_passed=0
t_failed_names=() t_skipped_names=()

# t_ok NAME / t_fail NAME REASON / t_skip NAME REASON: record one case. A skipped
# case could not run here: mk/run-tests.sh counts it apart, never as passed.
t_ok()   { t_run=$((t_run + 1)); t_passed=$((t_passed + 1)); echo "[       OK ] $1"; }
t_fail() {
  t_run=$((t_run + 1)); t_failed_names+=("$1")
  echo "[  ERROR   ] --- $2"
  echo "[  FAILED  ] $1"
}
t_skip() {
  t_run=$((t_run + 1)); t_skipped_names+=("$1")
  echo "$2"
  echo "[  SKIPPED ] $1"
}

# t_done: print the summary and return non-zero if a case failed.
t_done() {
  echo "[==========] $t_run test(s) run."
  echo "[  PASSED  ] $t_passed test(s)."
  if [ ${#t_skipped_names[@]} -gt 0 ]; then
    echo "[  SKIPPED ] ${#t_skipped_names[@]} test(s), listed below:"
    printf '[  SKIPPED ] %s\n' "${t_skipped_names[@]}"
  fi
  if [ ${#t_failed_names[@]} -gt 0 ]; then
    echo "[  FAILED  ] ${#t_failed_names[@]} test(s), listed below:"
    printf '[  FAILED  ] %s\n' "${t_failed_names[@]}"
    return 1
  fi
  return 0
}
