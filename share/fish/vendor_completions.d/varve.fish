# fish completion for varve.
#
# Commands and options come from varve's own help (`varve --help`, `varve
# help CMD`), so they follow the installed binary. Targets and revisions come
# from the manifest (-f PATH on the line, else ./varve.yaml) through
# `varve history`: head, heads, base, every revision and LABEL@head.

# The command on the line (the first word that is neither an option nor
# its value), or nothing.
function __varve_command
    set -l words (commandline -opc)
    set -e words[1]
    while set -q words[1]
        switch $words[1]
            case -f --manifest -d --database --lock-wait --format --color
                set -e words[1]
            case '-*'
            case '*'
                echo $words[1]
                return
        end
        set -e words[1]
    end
end

function __varve_manifest_args
    set -l words (commandline -opc)
    for i in (seq (count $words))
        switch $words[$i]
            case -f --manifest
                set -l next (math $i + 1)
                set -q words[$next]; and echo -f; and echo $words[$next]
                return
            case '--manifest=*'
                echo -f
                string replace -- --manifest= '' $words[$i]
                return
        end
    end
end

function __varve_revisions
    set -l varve (commandline -opc)[1]
    $varve (__varve_manifest_args) history 2>/dev/null | awk -v labels="$argv[1]" '
        {
            i = index($0, " -> "); if (!i) next
            s = substr($0, i + 4); j = index(s, ", "); if (j) s = substr(s, 1, j - 1)
            n = split(s, w, " "); print w[1]
            if (labels && n > 1 && w[n] ~ /^\[[A-Za-z0-9_-]+\]$/)
                print substr(w[n], 2, length(w[n]) - 2) "@head"
        }'
end

# "name<TAB>summary" for each command.
function __varve_commands
    set -l varve (commandline -opc)[1]
    $varve --help 2>/dev/null | awk '
        /^commands:/ { on = 1; next }
        on && /^$/ { exit }
        on { name = $1; sub(/^ *[^ ]+ +/, ""); print name "\t" $0 }'
    printf 'help\tshow the help of a command\n'
end

# The options of the command on the line (its own and the global ones),
# "option<TAB>help".
function __varve_options
    set -l varve (commandline -opc)[1]
    set -l cmd (__varve_command)
    if test -n "$cmd"
        $varve help $cmd 2>/dev/null
    else
        $varve --help 2>/dev/null
    end | awk '/^ +-/ {
        s = $0; sub(/^ +/, "", s); short = ""
        if (s ~ /^-[A-Za-z], /) { short = substr(s, 1, 2); s = substr(s, 5) }
        split(s, w, " "); help = s; sub(/^[^ ]+( [A-Z]+)? +/, "", help)
        print w[1] "\t" help
        if (short != "") print short "\t" help
    }'
end

# The tools `varve import --from` reads, from its help.
function __varve_tools
    set -l varve (commandline -opc)[1]
    $varve help import 2>/dev/null | awk '/^ +--from / { s = $0; sub(/^ +--from +TOOL +/, "", s); gsub(/,/, "", s); print s }' | string split ' '
end

function __varve_wants_option
    string match -q -- '-*' (commandline -ct)
end

complete -c varve -f
complete -c varve -n '__varve_wants_option' -a '(__varve_options)'
complete -c varve -n 'not __varve_wants_option; and test -z "$(__varve_command)"' -a '(__varve_commands)'
complete -c varve -n 'test "$(__varve_command)" = help' -a '(__varve_commands)'
complete -c varve -n 'not __varve_wants_option; and contains -- "$(__varve_command)" upgrade downgrade stamp redo' \
    -a 'head heads base (__varve_revisions labels)'
complete -c varve -n 'not __varve_wants_option; and test "$(__varve_command)" = resolve' -a '(__varve_revisions)'

# Values of options (each where its command takes it).
complete -c varve -s f -l manifest -r -F -d 'the manifest'
complete -c varve -s d -l database -x -d 'the database'
complete -c varve -l lock-wait -x -d 'seconds to wait for another runner'
complete -c varve -n 'test "$(__varve_command)" = graph' -l format -x -a 'dot mermaid' -d 'output format'
complete -c varve -n 'test "$(__varve_command)" != graph' -l format -x -a 'text json github' -d 'output format'
complete -c varve -n 'test "$(__varve_command)" = init' -l directory -x -a '(__fish_complete_directories)' -d 'the migrations folder'
complete -c varve -n 'contains -- "$(__varve_command)" check fix' -l against -x \
    -a '(git for-each-ref --format="%(refname:short)" 2>/dev/null)' -d 'a git ref'
complete -c varve -n 'contains -- "$(__varve_command)" new merge' -s m -l message -x -d 'a description'
complete -c varve -n 'test "$(__varve_command)" = check' -l server-version -x -d "the server's major version"
complete -c varve -l color -x -a 'auto always never' -d 'colour'
complete -c varve -n 'contains -- "$(__varve_command)" upgrade downgrade status check' -l fleet -r -F -d 'a fleet file'
complete -c varve -n 'contains -- "$(__varve_command)" upgrade downgrade status check' -l only -x -a 'failed' -d 'failed, or labels'
complete -c varve -n 'contains -- "$(__varve_command)" upgrade downgrade status check' -l concurrency -x -d 'targets at once'
complete -c varve -n 'test "$(__varve_command)" = import' -l from -x -a '(__varve_tools)' -d 'the tool that wrote the folder'
complete -c varve -n 'test "$(__varve_command)" = import' -l table -x -d "the tool's version table"
complete -c varve -n 'not __varve_wants_option; and test "$(__varve_command)" = import' -a '(__fish_complete_directories)'
complete -c varve -n 'test "$(__varve_command)" = test' -l from -x -a '(__varve_revisions labels)' -d 'test from this migration on'
complete -c varve -n 'test "$(__varve_command)" = test' -l to -x -a '(__varve_revisions labels)' -d 'test up to this migration'
complete -c varve -n 'test "$(__varve_command)" = wait' -l timeout -x -d 'how long to wait (60s, 500ms, 2m)'
complete -c varve -n 'not __varve_wants_option; and test "$(__varve_command)" = schema; and test (count (commandline -opc)) -le 2' -a dump -d 'the schema as SQL DDL'
complete -c varve -n 'test "$(__varve_command)" = schema' -s o -l output -r -F -d 'the SQL file to write'
complete -c varve -n 'test "$(__varve_command)" = new' -l head -x -a '(__varve_revisions labels)' -d 'the parent'
