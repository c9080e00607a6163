# fish completion for kindlog(1). Subcommands and options follow the
# client's command table; tests/install/completions.sh fails when
# `kindlog --list-commands` names a command missing here.

set -l commands add list ls show edit rm undo thank unthank streak stats calendar recap reflect export import sync backup remind prompt status reload version
set -l days today yesterday monday tuesday wednesday thursday friday saturday sunday
set -l hows said wrote showed other

complete -c kindlog -f

# The recent entries' ids or the tags in use, "CANDIDATE<TAB>description",
# from a running daemon: `kindlog --complete` never starts one, gives up
# after 300 ms and prints nothing when it fails. A --socket on the line is
# passed on.
function __kindlog_ask
    set -l tokens (commandline -opc)
    set -l socket
    for i in (seq 2 (count $tokens))
        switch $tokens[$i]
            case --socket
                set socket --socket $tokens[(math $i + 1)]
            case '--socket=*'
                set socket $tokens[$i]
        end
    end
    command $tokens[1] $socket --complete $argv[1] 2>/dev/null
end

# True when the token being completed is the ID of show, edit, rm, thank or
# unthank: the command is on the line and no operand follows it yet.
function __kindlog_at_id
    set -l tokens (commandline -opc)
    set -l cmd
    set -l skip 0
    for token in $tokens[2..-1]
        if test $skip -eq 1
            set skip 0
            continue
        end
        switch $token
            case --socket -t --tag -d --day --how
                set skip 1
            case '-*'
            case '*'
                if test -n "$cmd"
                    return 1
                end
                set cmd $token
        end
    end
    contains -- "$cmd" show edit rm thank unthank
end

# Global options, before the command.
complete -c kindlog -n "not __fish_seen_subcommand_from $commands" -l socket -r -F -d 'Talk to kindlogd at PATH'
complete -c kindlog -n "not __fish_seen_subcommand_from $commands" -l json -d "Print the daemon's result as JSON"
complete -c kindlog -n "not __fish_seen_subcommand_from $commands" -l no-color -d 'No colour'
complete -c kindlog -n "not __fish_seen_subcommand_from $commands" -l no-autostart -d 'Do not start kindlogd'
complete -c kindlog -n "not __fish_seen_subcommand_from $commands" -l version -d "Print the client's version"
complete -c kindlog -s h -l help -d 'Show help'

# Commands.
complete -c kindlog -n "not __fish_seen_subcommand_from $commands" -a add -d 'Log a kind gesture'
complete -c kindlog -n "not __fish_seen_subcommand_from $commands" -a list -d 'List entries, newest first'
complete -c kindlog -n "not __fish_seen_subcommand_from $commands" -a ls -d 'List entries, newest first'
complete -c kindlog -n "not __fish_seen_subcommand_from $commands" -a show -d 'Show one entry in full'
complete -c kindlog -n "not __fish_seen_subcommand_from $commands" -a edit -d "Change an entry's text, tags or day"
complete -c kindlog -n "not __fish_seen_subcommand_from $commands" -a rm -d 'Delete an entry'
complete -c kindlog -n "not __fish_seen_subcommand_from $commands" -a undo -d 'Restore the most recently deleted entry'
complete -c kindlog -n "not __fish_seen_subcommand_from $commands" -a thank -d 'Record that you thanked your partner'
complete -c kindlog -n "not __fish_seen_subcommand_from $commands" -a unthank -d 'Take back a thank-you'
complete -c kindlog -n "not __fish_seen_subcommand_from $commands" -a streak -d 'Show the current and best streak'
complete -c kindlog -n "not __fish_seen_subcommand_from $commands" -a stats -d 'Show totals'
complete -c kindlog -n "not __fish_seen_subcommand_from $commands" -a calendar -d 'Show a calendar heatmap'
complete -c kindlog -n "not __fish_seen_subcommand_from $commands" -a recap -d 'Look back at a week, month or year'
complete -c kindlog -n "not __fish_seen_subcommand_from $commands" -a reflect -d 'Look back on the week with three questions'
complete -c kindlog -n "not __fish_seen_subcommand_from $commands" -a export -d 'Write every entry as json, csv or markdown'
complete -c kindlog -n "not __fish_seen_subcommand_from $commands" -a import -d 'Add the entries of a JSON export'
complete -c kindlog -n "not __fish_seen_subcommand_from $commands" -a sync -d 'Share the log with your other devices through a synced folder'
complete -c kindlog -n "not __fish_seen_subcommand_from $commands" -a backup -d 'Copy the database into the backups directory now'
complete -c kindlog -n "not __fish_seen_subcommand_from $commands" -a remind -d 'Reminder status, snooze, pause, resume'
complete -c kindlog -n "not __fish_seen_subcommand_from $commands" -a prompt -d 'Ask with a prompt window, then log it'
complete -c kindlog -n "not __fish_seen_subcommand_from $commands" -a status -d 'Show what the daemon is doing'
complete -c kindlog -n "not __fish_seen_subcommand_from $commands" -a reload -d 'Make the daemon re-read its configuration'
complete -c kindlog -n "not __fish_seen_subcommand_from $commands" -a version -d "Show the client's and the daemon's version"

# Options of each command.
complete -c kindlog -n "__fish_seen_subcommand_from add edit list ls" -s t -l tag -x -a "(__kindlog_ask tags)" -d 'Tag'
complete -c kindlog -n __kindlog_at_id -k -a "(__kindlog_ask ids)"
complete -c kindlog -n "__fish_seen_subcommand_from add edit" -s d -l day -x -a "$days" -d 'Day'
complete -c kindlog -n "__fish_seen_subcommand_from add" -s e -l edit -d 'Write it in $VISUAL or $EDITOR'
complete -c kindlog -n "__fish_seen_subcommand_from add" -l thanked -a "$hows" -d 'Also record that you thanked them'
complete -c kindlog -n "__fish_seen_subcommand_from list ls stats" -l since -x -a "$days" -d 'From this day'
complete -c kindlog -n "__fish_seen_subcommand_from list ls stats calendar" -l until -x -a "$days" -d 'Up to this day'
complete -c kindlog -n "__fish_seen_subcommand_from list ls" -l grep -x -d 'Entries containing these words'
complete -c kindlog -n "__fish_seen_subcommand_from list ls" -l unthanked -d 'Entries not thanked yet'
complete -c kindlog -n "__fish_seen_subcommand_from list ls" -s n -l limit -x -d 'At most N entries'
complete -c kindlog -n "__fish_seen_subcommand_from list ls" -l all -d 'Show every entry'
complete -c kindlog -n "__fish_seen_subcommand_from edit" -l no-tags -d 'Remove every tag'
complete -c kindlog -n "__fish_seen_subcommand_from thank" -l how -x -a "$hows" -d 'How you thanked'
complete -c kindlog -n "__fish_seen_subcommand_from calendar" -l weeks -x -d 'Number of weeks'
complete -c kindlog -n "__fish_seen_subcommand_from recap" -l week -d 'The last week'
complete -c kindlog -n "__fish_seen_subcommand_from recap" -l month -d 'The last month'
complete -c kindlog -n "__fish_seen_subcommand_from recap" -l year -d 'The last year'
complete -c kindlog -n "__fish_seen_subcommand_from recap" -l markdown -d 'Print Markdown, ready to paste'
complete -c kindlog -n "__fish_seen_subcommand_from recap" -l html -d 'Print a self-contained HTML page'
complete -c kindlog -n "__fish_seen_subcommand_from reflect" -l list -d 'Show past reflections'
complete -c kindlog -n "__fish_seen_subcommand_from reflect" -s n -l limit -x -d 'With --list: at most N'
complete -c kindlog -n "__fish_seen_subcommand_from reflect" -l all -d 'With --list: all of them'
complete -c kindlog -n "__fish_seen_subcommand_from export" -l reflections -d 'With --format csv: the reflections instead'
complete -c kindlog -n "__fish_seen_subcommand_from export" -l format -x -a "json csv markdown" -d 'Output format'
complete -c kindlog -n "__fish_seen_subcommand_from export" -s o -l output -r -F -d 'Write to FILE'
complete -c kindlog -n "__fish_seen_subcommand_from import" -F
complete -c kindlog -n "__fish_seen_subcommand_from import" -l format -x -a "json csv" -d 'Input format'
complete -c kindlog -n "__fish_seen_subcommand_from import" -l dry-run -d 'Only report what would change'
complete -c kindlog -n "__fish_seen_subcommand_from sync; and not __fish_seen_subcommand_from status now" -a "status now"
complete -c kindlog -n "__fish_seen_subcommand_from remind; and not __fish_seen_subcommand_from status next now snooze pause resume" -a "status next now snooze pause resume"
