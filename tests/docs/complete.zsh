# Simulate zsh completion of a varve command line: load _varve with the
# completion builtins it calls (compadd, _describe, compset, _files,
# _directories) replaced by ones that print what would be offered, sorted.
# Usage: zsh tests/docs/complete.zsh 'varve upgrade bil'   (the cursor at the end)
emulate -L zsh
root=${0:A:h:h:h}
typeset -ga offered
compadd() { while [[ $1 == -* && $1 != -- ]]; do shift; done; [[ $1 == -- ]] && shift; offered+=("$@"); }
_describe() { local -a items; items=("${(@P)${@[-1]}}"); offered+=("${items[@]%%:*}"); }
compset() { [[ $1 == -P ]] && PREFIX=${PREFIX#*=}; }
_files() { offered+=('<files>'); }
_directories() { offered+=('<directories>'); }
line=$1
words=(${(z)line})
[[ $line == *' ' ]] && words+=('')
CURRENT=${#words}
PREFIX=$words[CURRENT]
source "$root/share/zsh/site-functions/_varve"
# compadd leaves the filtering by the word under the cursor to zsh: do it.
print -rl -- "${offered[@]}" | grep -F -- "${PREFIX#*=}" | grep -v '^$' | awk -v p="${PREFIX#*=}" 'index($0, p) == 1' | sort -u
