#!/usr/bin/env bash
# Builds EPICS base (softIoc, caget, caput, camonitor) from Debian's epics-base source package once, into a
# cache folder outside the repo, and prints its bin dir. A second run finds the build and only prints.
# The tests use it as a real IOC and as a client independent of the server's own (see
# inference-server/test/helpers/epics-ioc.ts). Debian ships no softIoc binary, hence the source build.
set -euo pipefail

version=7.0.3.1  # Debian bookworm's epics-base; the dsc below is checked against it
cache=${XDG_CACHE_HOME:-$HOME/.cache}/hydra/epics-base-$version
arch=linux-x86_64
bin=$cache/bin/$arch

# The marker is written last, so an interrupted build is started again rather than reused.
if [ -e "$cache/.hydra-built" ] && [ -x "$bin/softIoc" ]; then
  echo "$bin"
  exit 0
fi

log() { printf '%s\n' "$*" >&2; }

need=()
command -v perl >/dev/null || need+=(perl)
command -v g++ >/dev/null || need+=(g++)
command -v make >/dev/null || need+=(make)
[ -e /usr/include/readline/readline.h ] || need+=(libreadline-dev)
command -v dpkg-source >/dev/null || need+=(dpkg-dev)
if ((${#need[@]})); then
  log "epics-base: installing ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >&2
fi

tmp=$(mktemp -d /tmp/hydra-epics-base-XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# A private apt sources folder with the machine's own Debian sources as deb-src, so that the repo names no host
# and the machine's apt configuration is left as it was.
mkdir -p "$tmp/parts" "$tmp/lists/partial" "$tmp/src"
sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources >"$tmp/parts/debian-src.sources"
apt_private=(-o Dir::Etc::SourceList=/dev/null -o "Dir::Etc::SourceParts=$tmp/parts" -o "Dir::State::Lists=$tmp/lists")
log "epics-base: fetching Debian's source package"
apt-get "${apt_private[@]}" update -qq >&2
(cd "$tmp/src" && apt-get "${apt_private[@]}" source --download-only epics-base >&2)
dsc=$(ls "$tmp/src"/epics-base_*.dsc)
case "$dsc" in
  */epics-base_"$version"*) ;;
  *) log "epics-base: Debian now has $(basename "$dsc"), not $version: update version= in $0"; exit 1 ;;
esac
# softIoc bakes the absolute path of its build folder in (to find softIoc.dbd), so it is built where it stays.
rm -rf "$cache"
mkdir -p "$(dirname "$cache")"
dpkg-source --no-check -x "$dsc" "$cache" >&2

log "epics-base: building in $cache (about 80 s on 2 cores)"
make -C "$cache" -j2 src >&2
make -C "$cache/modules" -j2 database >&2
for tool in softIoc caget caput camonitor; do
  [ -x "$bin/$tool" ] || { log "epics-base: $tool missing after the build"; exit 1; }
done
touch "$cache/.hydra-built"
echo "$bin"
