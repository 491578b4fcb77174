# Simulate bash completion of a varve command line: source the completion
# script, split the line as bash does (COMP_WORDBREAKS), call the function
# `complete -p varve` names, print COMPREPLY sorted, one a line.
# Usage: bash tests/docs/complete.bash 'varve upgrade bil'   (the cursor at the end)
set -u
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
source "$root/share/bash-completion/completions/varve"
line=$1
# Words as readline splits them: blanks separate, and each of = : breaks
# a word into its own (as COMP_WORDBREAKS does by default).
COMP_WORDS=()
while read -r w || [[ -n $w ]]; do COMP_WORDS+=("$w"); done < <(printf '%s' "$line" | sed -E 's/([=:])/ \1 /g' | tr -s ' ' '\n')
[[ $line == *' ' ]] && COMP_WORDS+=("")
COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
COMP_LINE=$line
COMP_POINT=${#line}
spec=$(complete -p varve)
fn=${spec#*-F }
fn=${fn%% *}
COMPREPLY=()
"$fn" varve "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
printf '%s\n' "${COMPREPLY[@]}" | sort
