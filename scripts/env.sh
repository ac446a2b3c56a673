# Sourced by the setup script, .ci/run and the npm scripts' wrappers: Node 24 first on PATH, and
# the electron package told not to fetch its binary (no host here serves it).
_ventana_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$_ventana_root/.tools/node/bin:$_ventana_root/node_modules/.bin:$PATH"
export ELECTRON_SKIP_BINARY_DOWNLOAD=1
unset _ventana_root
