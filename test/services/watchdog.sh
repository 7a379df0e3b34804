#!/usr/bin/env bash
# Usage: watchdog.sh PGID
#
# Stops the process group PGID (a service or server the tests started in a session of its own, with setsid) once the
# test process that started this script is gone. That process holds the only write end of this script's standard input,
# and a process's pipes close however it ends (exit, crash, Ctrl+C, SIGKILL from `dotnet test` on a timeout): end of
# file on standard input means it has ended, or that it has let go of the group (its leader exited). SIGTERM, SIGINT and
# SIGHUP of this script mean the same. Stopping is SIGTERM to the group, then SIGKILL to what is left after 5 s. Once no
# process of the group is left running (zombies, which no init may reap here, do not count) the script ends by itself.
set -u
pgid=$1

# Whether a process of the group is still running. A zombie leader whose other threads have not ended yet (they hold
# the process's files and sockets) still runs.
running() {
  local stat line fields tasks
  for stat in /proc/[0-9]*/stat; do
    { read -r line <"$stat"; } 2>/dev/null || continue
    # After "pid (command) ": state, parent, process group, ...
    read -r -a fields <<<"${line##*) }"
    [ "${fields[2]}" = "$pgid" ] || continue
    [ "${fields[0]}" != Z ] && return 0
    tasks=("${stat%/stat}"/task/*)
    [ "${#tasks[@]}" -gt 1 ] && return 0
  done
  return 1
}

stop() {
  kill -TERM -- "-$pgid" 2>/dev/null || exit 0
  for _ in $(seq 50); do
    sleep 0.1
    running || exit 0
  done
  kill -KILL -- "-$pgid" 2>/dev/null
  exit 0
}

trap stop TERM INT HUP

while running; do
  read -r -t 1 _
  status=$?
  # 0: a line (ignored); above 128: the second passed; anything else: end of file.
  if [ "$status" -ne 0 ] && [ "$status" -le 128 ]; then
    stop
  fi
done
