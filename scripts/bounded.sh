#!/usr/bin/env bash
# Runs a command with a time limit: `scripts/bounded.sh SECONDS command...`. Past the limit it prints what
# still runs under the command and, where gdb is installed, every thread's backtrace of those processes,
# then stops them all and exits 124. A hung test fails within its limit with a record of where it hung.
set -uo pipefail
limit=$1
shift
setsid "$@" &
leader=$!
( sleep "$limit" &
  timer=$!
  trap 'kill "$timer" 2>/dev/null; exit 0' TERM
  wait "$timer"
  if kill -0 "$leader" 2>/dev/null; then
      echo "bounded: '$*' still runs after $limit s; what runs under it:" >&2
      ps -o pid,etimes,args --forest -g "$leader" >&2 || true
      if command -v gdb >/dev/null; then
          for pid in $(ps -o pid= -g "$leader"); do
              case "$(cat /proc/"$pid"/comm 2>/dev/null)" in
              dynamos|*PackageTests*|*xctest*|swiftpm-testing*)
                  echo "bounded: backtraces of $pid ($(tr '\0' ' ' < /proc/"$pid"/cmdline | cut -c1-120))" >&2
                  timeout 60 gdb -p "$pid" -batch -ex 'thread apply all bt 25' >&2 2>/dev/null || true ;;
              esac
          done
      fi
      kill -TERM -- -"$leader" 2>/dev/null; sleep 10; kill -KILL -- -"$leader" 2>/dev/null
  fi ) &
watchdog=$!
wait "$leader"
status=$?
kill "$watchdog" 2>/dev/null
wait "$watchdog" 2>/dev/null
[ "$status" -eq 143 ] || [ "$status" -eq 137 ] && status=124
exit "$status"
