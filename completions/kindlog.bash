# bash completion for kindlog(1)                          -*- shell-script -*-
#
# Subcommands and options follow the client's command table; the test in
# tests/install/completions.sh fails when `kindlog --list-commands` names a
# command missing here.

# The ids of recent entries or the tags in use, one a line, from a running
# daemon: `kindlog --complete` never starts one, gives up after 300 ms and
# prints nothing when it fails. A --socket on the line is passed on.
_kindlog_ask()
{
    local what=$1 i
    local -a socket=()
    for ((i = 1; i < cword; i++)); do
        case ${words[i]} in
            --socket) socket=(--socket "${words[i + 1]/#\~/$HOME}") ;;
            --socket=*) socket=("${words[i]/#--socket=\~/--socket=$HOME}") ;;
        esac
    done
    command "${words[0]/#\~/$HOME}" "${socket[@]}" --complete "$what" \
        2>/dev/null | cut -f1
}

# True when the word being completed is the ID operand of $cmd (at $cmd_i):
# no operand yet between the command and the current word.
_kindlog_at_id()
{
    local i
    [[ $cur != -* ]] || return 1
    for ((i = cmd_i + 1; i < cword; i++)); do
        case ${words[i]} in
            -t|--tag|-d|--day|--how) ((i++)) ;;
            -*) ;;
            *) return 1 ;;
        esac
    done
}

_kindlog()
{
    local cur prev words cword split
    _init_completion -s || return

    local commands="add list ls show edit rm undo thank unthank streak stats
        calendar recap reflect export import sync backup remind prompt status
        reload version"
    local global_opts="--socket --json --no-color --no-autostart --version
        --help -h"
    local days="today yesterday monday tuesday wednesday thursday friday
        saturday sunday"
    local hows="said wrote showed other"

    # The subcommand is the first word after the global options.
    local i cmd="" cmd_i=0
    for ((i = 1; i < cword; i++)); do
        case ${words[i]} in
            --socket) ((i++)) ;;
            -*) ;;
            *) cmd=${words[i]}; cmd_i=$i; break ;;
        esac
    done

    case $prev in
        --socket|-o|--output)
            _filedir
            return ;;
        -d|--day|--since|--until)
            COMPREPLY=($(compgen -W "$days" -- "$cur"))
            return ;;
        --how)
            COMPREPLY=($(compgen -W "$hows" -- "$cur"))
            return ;;
        --thanked)
            # Only its attached form takes a value: --thanked=wrote.
            if [[ $split == true ]]; then
                COMPREPLY=($(compgen -W "$hows" -- "$cur"))
                return
            fi ;;
        --format)
            if [[ $cmd == import ]]; then
                COMPREPLY=($(compgen -W "json csv" -- "$cur"))
            else
                COMPREPLY=($(compgen -W "json csv markdown" -- "$cur"))
            fi
            return ;;
        -t|--tag)
            case $cmd in
                add|edit|list|ls)
                    COMPREPLY=($(compgen -W "$(_kindlog_ask tags)" -- "$cur"))
                    ;;
            esac
            return ;;
        --grep|-n|--limit|--weeks)
            return ;;
    esac

    if [[ -z $cmd ]]; then
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "$global_opts" -- "$cur"))
        else
            COMPREPLY=($(compgen -W "$commands" -- "$cur"))
        fi
        return
    fi

    case $cmd in
        show|edit|rm|thank|unthank)
            if _kindlog_at_id; then
                # Newest first, as the daemon gives them.
                compopt -o nosort 2>/dev/null
                COMPREPLY=($(compgen -W "$(_kindlog_ask ids)" -- "$cur"))
                return
            fi ;;
    esac

    local opts=""
    case $cmd in
        add) opts="--edit -e --tag -t --day -d --thanked --thanked=" ;;
        list|ls) opts="--since --until --tag -t --grep --unthanked --limit -n
            --all" ;;
        edit) opts="--tag -t --no-tags --day -d" ;;
        thank) opts="--how" ;;
        stats) opts="--since --until" ;;
        calendar) opts="--weeks --until" ;;
        recap) opts="--week --month --year --markdown --html" ;;
        reflect) opts="--list --limit -n --all" ;;
        export) opts="--format --output -o --reflections" ;;
        import)
            opts="--format --dry-run"
            if [[ $cur != -* ]]; then
                _filedir
                return
            fi ;;
        sync)
            if [[ $cur != -* && $prev == sync ]]; then
                COMPREPLY=($(compgen -W "status now" -- "$cur"))
                return
            fi ;;
        remind)
            if [[ $cur != -* && $prev == remind ]]; then
                COMPREPLY=($(compgen -W "status next now snooze pause
                    resume" -- "$cur"))
                return
            fi ;;
    esac
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$opts --help -h" -- "$cur"))
        [[ ${COMPREPLY-} == *= ]] && compopt -o nospace
    fi
} &&
    complete -F _kindlog kindlog

# ex: filetype=sh
