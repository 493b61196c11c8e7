#!/usr/bin/env bash
# Stop the dockerd that docker/ci-prepare.sh started, and only that one (recorded in its pid file). An engine that
# was already running before ci-prepare is left alone. Never fails the run.
set -uo pipefail

state_dir="${SHMIPC_DOCKER_STATE_DIR:-/tmp/shm-ipc-dockerd}"
pid_file="${state_dir}/dockerd.pid"

log()
{
    echo "ci-stop: $*" >&2
}

if [[ ! -f "${pid_file}" ]]; then
    log "no dockerd started by ci-prepare: nothing to stop"
    exit 0
fi
pid="$(cat "${pid_file}")"
if ! kill -0 "${pid}" 2> /dev/null || [[ "$(cat "/proc/${pid}/comm" 2> /dev/null)" != "dockerd" ]]; then
    log "dockerd ${pid} is not running"
    rm -f "${pid_file}"
    exit 0
fi
log "stopping dockerd ${pid}"
kill -TERM "${pid}"
for _ in $(seq 1 30); do
    kill -0 "${pid}" 2> /dev/null || break
    sleep 1
done
if kill -0 "${pid}" 2> /dev/null; then
    log "dockerd ${pid} still running after 30s: killing it"
    kill -KILL "${pid}" 2> /dev/null || true
fi
rm -f "${pid_file}"
log "stopped"
exit 0
