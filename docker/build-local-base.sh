#!/usr/bin/env bash
# Build a Java 17 base image with no registry: a jlink runtime made from the local JDK, the shared libraries it
# needs (found with ldd), /tmp and a minimal /etc, on an empty (scratch) root, loaded with `docker import`.
#
#   bash docker/build-local-base.sh [IMAGE]        # default IMAGE: shm-ipc/local-jre:17
#
# Environment:
#   JDK_HOME                 JDK with jmods/ (default /usr/lib/jvm/java-17-openjdk-amd64)
#   SHMIPC_BASE_IMAGE        image name when no argument is given
#   SHMIPC_BASE_FORCE=true   rebuild even when an image built from the same JDK exists
#
# The image mirrors eclipse-temurin:17-jre where it matters: java is /opt/java/openjdk/bin/java, on PATH, and
# JAVA_HOME is set. It has no shell: only exec-form ENTRYPOINT/CMD work on it (docker/Dockerfile uses only those).
set -euo pipefail

image="${1:-${SHMIPC_BASE_IMAGE:-shm-ipc/local-jre:17}}"
jdk="${JDK_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}"
# Modules for Agrona (jdk.unsupported, java.base's jdk.internal.misc), JNA (java.logging), management and
# diagnostics (jcmd, JFR), and what common libraries touch (naming, XML, zip file system, EC crypto).
modules="java.base,java.logging,java.management,jdk.management,jdk.unsupported,java.naming,java.xml,\
jdk.crypto.ec,jdk.jcmd,jdk.jfr,jdk.zipfs"
# Libraries loaded with dlopen rather than linked, so ldd cannot find them: libgcc_s for thread cancellation and
# unwinding in glibc.
extra_libraries="libgcc_s.so.1"
script_version=2

log()
{
    echo "build-local-base: $*" >&2
}

if [[ ! -f "${jdk}/jmods/java.base.jmod" ]]; then
    log "no jmods in ${jdk}: set JDK_HOME to a JDK 17 with jmods/ (Debian: apt-get install openjdk-17-jdk-headless)"
    exit 1
fi
if ! command -v docker > /dev/null; then
    log "docker not found on PATH (run docker/ci-prepare.sh, or install docker.io)"
    exit 1
fi

jdk_release="$("${jdk}/bin/java" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.runtime\.version = //p')"
fingerprint="jdk=${jdk_release};modules=${modules};script=${script_version}"
if [[ "${SHMIPC_BASE_FORCE:-false}" != "true" ]]; then
    existing="$(docker image inspect --format '{{ index .Config.Labels "io.shmipc.base.fingerprint" }}' \
        "${image}" 2> /dev/null || true)"
    if [[ "${existing}" == "${fingerprint}" ]]; then
        log "${image} is up to date (${fingerprint})"
        exit 0
    fi
fi

stage="$(mktemp -d /tmp/shm-ipc-base.XXXXXX)"
trap 'rm -rf "${stage}"' EXIT
rootfs="${stage}/rootfs"
java_home="/opt/java/openjdk"
mkdir -p "${rootfs}/opt/java"

log "jlink ${jdk_release}: ${modules}"
"${jdk}/bin/jlink" \
    --module-path "${jdk}/jmods" \
    --add-modules "${modules}" \
    --strip-debug --no-man-pages --no-header-files --compress=2 \
    --output "${rootfs}${java_home}"
# A class-data sharing archive, as JDK images have: a few hundred milliseconds less per JVM start.
"${rootfs}${java_home}/bin/java" -Xshare:dump > /dev/null

# Copy a library to the path the dynamic loader asks for, as a regular file (symbolic links resolved).
copy_library()
{
    local path="$1"
    if [[ ! -e "${rootfs}${path}" ]]; then
        mkdir -p "${rootfs}$(dirname "${path}")"
        cp -L "${path}" "${rootfs}${path}"
    fi
}

log "collecting shared libraries"
while IFS= read -r file; do
    if ! file_type="$(head -c 4 "${file}" | tr -d '\0' 2> /dev/null)" || [[ "${file_type}" != $'\x7fELF' ]]; then
        continue
    fi
    # Lines look like "libz.so.1 => /lib/x86_64-linux-gnu/libz.so.1 (0x...)" or "/lib64/ld-linux-x86-64.so.2 (0x...)".
    # Libraries of the runtime itself (libjvm.so and friends) resolve through its own RPATH: skip "not found" ones.
    LD_LIBRARY_PATH="${rootfs}${java_home}/lib:${rootfs}${java_home}/lib/server" ldd "${file}" 2> /dev/null |
        awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' |
        while IFS= read -r library; do
            case "${library}" in
                "${rootfs}"*) ;;
                *) copy_library "${library}" ;;
            esac
        done
done < <(find "${rootfs}${java_home}" -type f \( -name '*.so' -o -perm -u+x \))

for name in ${extra_libraries}; do
    # awk reads to the end: leaving at the first match could kill ldconfig with SIGPIPE, which pipefail makes this
    # script's exit status (141), as a from-scratch CI run once found.
    path="$(ldconfig -p |
        awk -v name="${name}" '!found && $1 == name && /x86-64|x86_64|aarch64|AArch64/ { print $NF; found = 1 }')"
    if [[ -z "${path}" ]]; then
        log "library ${name} not found on this machine"
        exit 1
    fi
    copy_library "${path}"
done

# /tmp must exist and be writable by any user: JNA extracts its native stub there (java.io.tmpdir).
mkdir -p "${rootfs}/tmp" "${rootfs}/etc" "${rootfs}/root" "${rootfs}/dev/shm" "${rootfs}/proc"
chmod 1777 "${rootfs}/tmp"
chmod 0700 "${rootfs}/root"
cat > "${rootfs}/etc/passwd" << 'EOF'
root:x:0:0:root:/root:/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin
EOF
cat > "${rootfs}/etc/group" << 'EOF'
root:x:0:
nogroup:x:65534:
EOF
echo "hosts: files" > "${rootfs}/etc/nsswitch.conf"

log "importing ${image} ($(du -sh "${rootfs}" | cut -f1))"
tar --numeric-owner --owner=0 --group=0 -C "${rootfs}" -cf - . |
    docker import \
        --change "ENV JAVA_HOME=${java_home}" \
        --change "ENV PATH=${java_home}/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
        --change "ENV LANG=C.UTF-8" \
        --change "LABEL io.shmipc.base.fingerprint=${fingerprint}" \
        --change 'CMD ["java", "-version"]' \
        - "${image}" > /dev/null

docker run --rm --network none "${image}" java -version 2>&1 | sed 's/^/build-local-base:   /' >&2
log "built ${image}"
