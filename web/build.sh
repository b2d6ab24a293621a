#!/usr/bin/env bash
# How Maven builds and tests the browser app (see the exec-maven-plugin executions in pom.xml).
#   web/build.sh build OUT_DIR STAMP   install locked dependencies when needed, type-check, bundle into OUT_DIR
#   web/build.sh test            run the unit tests (vitest)
# It uses the npm on the PATH and never downloads Node. A build whose inputs are older than
# STAMP (a file outside OUT_DIR) is skipped, so Java-only test runs do not pay for the bundle again.
set -euo pipefail
cd "$(dirname "$0")"

need_node() {
  if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
    echo "[mason] Building the browser app (web/) needs Node.js 20.19 or newer with npm on the PATH," >&2
    echo "[mason] and none was found. Install Node.js with npm (your package manager, or nodejs.org)," >&2
    echo "[mason] or build without the browser app: ./mvnw ... -Dskip.web=true" >&2
    exit 1
  fi
  local version major minor
  version=$(node --version | sed 's/^v//')
  major=${version%%.*}
  minor=$(echo "$version" | cut -d. -f2)
  if [ "$major" -lt 20 ] || { [ "$major" -eq 20 ] && [ "$minor" -lt 19 ]; }; then
    echo "[mason] web/ needs Node.js 20.19 or newer; the PATH has $version. Upgrade it, or build with -Dskip.web=true." >&2
    exit 1
  fi
}

# npm ci wipes node_modules, so run it only when the lock file changed since the last install.
install_dependencies() {
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "[mason] npm ci (web/)"
    npm ci --no-audit --no-fund --loglevel=error
  fi
}

inputs_newer_than() {
  [ -n "$(find src public index.html package.json package-lock.json tsconfig.json vite.config.ts build.sh \
      -newer "$1" -print -quit 2>/dev/null)" ]
}

case "${1:-}" in
  build)
    out=${2:?usage: build.sh build OUT_DIR STAMP}
    stamp=${3:?usage: build.sh build OUT_DIR STAMP}
    if [ -f "$stamp" ] && [ -f "$out/index.html" ] && ! inputs_newer_than "$stamp"; then
      echo "[mason] web/ is up to date in $out"
      exit 0
    fi
    need_node
    install_dependencies
    echo "[mason] npm run build (web/ -> $out)"
    npm run --silent build -- --outDir "$out" --emptyOutDir --logLevel warn
    touch "$stamp"
    ;;
  test)
    need_node
    install_dependencies
    npm test --silent
    ;;
  *)
    echo "usage: web/build.sh build OUT_DIR STAMP | test" >&2
    exit 2
    ;;
esac
