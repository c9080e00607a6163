# bash completion for kindlog(1)                          -*- shell-script -*-
#
# Subcommands and options follow the client's command table; the test in
# tests/install/completions.sh fails when `kindlog --list-commands` names a
# command missing here.

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
    local i cmd=""
    for ((i = 1; i < cword; i++)); do
        case ${words[i]} in
            --socket) ((i++)) ;;
            -*) ;;
            *) cmd=${words[i]}; break ;;
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
        -t|--tag|--grep|-n|--limit|--weeks)
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
