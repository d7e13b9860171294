"""Shell completion scripts (bash, zsh, fish), written from the argument parser itself."""

from __future__ import annotations



def _commands(parser) -> dict[str, list[str]]:
    """Command name -> its options, as cli.Parser recorded them."""
    out: dict[str, list[str]] = {"": _options(parser)}
    for name, sub in (parser.subcommands.choices if parser.subcommands else {}).items():
        out[name] = _options(sub)
    return out


def _options(parser) -> list[str]:
    return sorted(set(parser.options) | {"-h", "--help"})


def script(parser, shell: str) -> str:
    cmds = _commands(parser)
    names = " ".join(k for k in cmds if k)
    if shell == "bash":
        cases = "\n".join(f'        {k}) opts="{" ".join(v)}" ;;' for k, v in cmds.items() if k)
        return f'''# bash completion for authoring: eval "$(authoring completion bash)"
_authoring() {{
    local cur=${{COMP_WORDS[COMP_CWORD]}} cmd=${{COMP_WORDS[1]}} opts
    if [ "$COMP_CWORD" -eq 1 ]; then
        COMPREPLY=($(compgen -W "{names} {" ".join(cmds[""])}" -- "$cur")); return
    fi
    case "$cmd" in
{cases}
        *) opts="" ;;
    esac
    if [[ $cur == -* ]]; then COMPREPLY=($(compgen -W "$opts" -- "$cur"))
    else COMPREPLY=($(compgen -f -- "$cur")); fi
}}
complete -o filenames -F _authoring authoring
'''
    if shell == "zsh":
        return "#compdef authoring\n# zsh: autoload -U bashcompinit && bashcompinit first\n" + \
            "autoload -U +X bashcompinit && bashcompinit\n" + script(parser, "bash").split("\n", 1)[1]
    lines = ["# fish completion for authoring: authoring completion fish > ~/.config/fish/completions/authoring.fish",
             "complete -c authoring -f"]
    for k in cmds:
        if k:
            lines.append(f"complete -c authoring -n __fish_use_subcommand -a {k}")
            for opt in cmds[k]:
                flag = f"-l {opt[2:]}" if opt.startswith("--") else f"-s {opt[1:]}"
                lines.append(f"complete -c authoring -n '__fish_seen_subcommand_from {k}' {flag}")
    return "\n".join(lines) + "\n"
