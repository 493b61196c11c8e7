#!/usr/bin/env bash
# Make a Docker engine available for the container tests, then build the offline base image. Idempotent: safe to
# run again while the engine runs. Run as root (CI runs as root).
#
#   bash docker/ci-prepare.sh      # before ./mvnw -B verify
#   bash docker/ci-stop.sh         # at the end: stops the engine only if this script started it
#
# 1. installs Debian's docker.io when dockerd is missing (apt-get update first);
# 2. starts dockerd in the background unless an engine already answers, and waits for it (bounded);
# 3. runs docker/build-local-base.sh (image shm-ipc/local-jre:17, skipped when up to date).
#
# Environment: SHMIPC_DOCKER_STATE_DIR (default /tmp/shm-ipc-dockerd: pid file and dockerd.log),
# SHMIPC_DOCKERD_WAIT_SECONDS (default 60).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
state_dir="${SHMIPC_DOCKER_STATE_DIR:-/tmp/shm-ipc-dockerd}"
pid_file="${state_dir}/dockerd.pid"
log_file="${state_dir}/dockerd.log"
wait_seconds="${SHMIPC_DOCKERD_WAIT_SECONDS:-60}"
socket="/var/run/docker.sock"

log()
{
    echo "ci-prepare: $*" >&2
}

engine_answers()
{
    docker version --format '{{.Server.Version}}' > /dev/null 2>&1
}

find_dockerd()
{
    command -v dockerd 2> /dev/null || { [[ -x /usr/sbin/dockerd ]] && echo /usr/sbin/dockerd; } || true
}

if [[ -z "$(find_dockerd)" ]] || ! command -v docker > /dev/null; then
    if [[ "$(id -u)" != "0" ]]; then
        log "docker.io is not installed and this is not root: install it (apt-get install docker.io) or run as root"
        exit 1
    fi
    log "installing docker.io"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io > /dev/null
fi
dockerd_path="$(find_dockerd)"

if engine_answers; then
    log "Docker engine $(docker version --format '{{.Server.Version}}') already running"
else
    mkdir -p "${state_dir}"
    if [[ -f "${pid_file}" ]] && kill -0 "$(cat "${pid_file}")" 2> /dev/null; then
        log "dockerd $(cat "${pid_file}") started earlier is not answering yet"
    else
        log "starting ${dockerd_path} (log: ${log_file})"
        nohup "${dockerd_path}" --host "unix://${socket}" > "${log_file}" 2>&1 < /dev/null &
        echo $! > "${pid_file}"
    fi
    pid="$(cat "${pid_file}")"
    waited=0
    until engine_answers; do
        if ! kill -0 "${pid}" 2> /dev/null; then
            log "dockerd exited; last lines of ${log_file}:"
            tail -n 30 "${log_file}" >&2 || true
            rm -f "${pid_file}"
            exit 1
        fi
        if (( waited >= wait_seconds )); then
            log "dockerd did not answer on ${socket} within ${wait_seconds}s; last lines of ${log_file}:"
            tail -n 30 "${log_file}" >&2 || true
            exit 1
        fi
        sleep 1
        waited=$((waited + 1))
    done
    log "Docker engine $(docker version --format '{{.Server.Version}}') ready after ${waited}s (pid ${pid})"
fi

bash "${here}/build-local-base.sh"
