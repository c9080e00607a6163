# usage: zsh complete.zsh FPATH-DIR OUT LINE
#
# Types LINE and a TAB into an interactive zsh (no rc files) whose fpath
# starts with FPATH-DIR, as a user would. Every candidate the completion
# adds goes to OUT, one a line: "WORD" or "WORD<TAB>DISPLAY" (what the
# menu would show, description included). What the terminal showed goes
# to OUT.pty. The shell exits once the completion is done.
zmodload zsh/zpty || exit 2
setup=$2.setup
cat >$setup <<EOF
PROMPT= RPROMPT=
fpath=(${(q)1} \$fpath)
autoload -Uz compinit && compinit -u -d ${(q)2}.zcompdump
bindkey '^I' complete-word
zstyle ':completion:*' list-grouped false
zstyle ':completion:*' insert-tab false
# Record what each compadd adds (-A, -O and -D only ask, they add nothing).
compadd() {
  if [[ \${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then
    builtin compadd "\$@"
    return
  fi
  local -a __hits __dscr
  local __i __tab=\$'\t'
  if (( \$@[(I)-d] )); then
    __i=\${@[(i)-d]}
    __dscr=("\${(@P)\${@[__i + 1]}}")
  fi
  builtin compadd -A __hits -D __dscr "\$@"
  for __i in {1..\$#__hits}; do
    print -r -- "\$__hits[__i]\${__dscr[__i]:+\$__tab\$__dscr[__i]}" >>${(q)2}
  done
  builtin compadd "\$@"
}
comppostfuncs=(exit)
EOF
: >$2
zpty z zsh -f -i
zpty -w z "source ${(q)setup}"
zpty -n -w z "$3"$'\t'
while zpty -r z chunk; do print -rn -- $chunk; done >$2.pty
zpty -d z
