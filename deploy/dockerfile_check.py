#!/usr/bin/env python3
"""Checks deploy/Dockerfile without a container engine (used by deploy/check-container.sh).

  dockerfile_check.py lint Dockerfile            rules that matter for this image (hadolint-like)
  dockerfile_check.py stage-script Dockerfile STAGE ROOT CONTEXT
                                                 a bash script that executes the stage's steps
                                                 with every absolute path under ROOT
  dockerfile_check.py runtime Dockerfile         JSON: what the last stage installs and copies
  dockerfile_check.py context CONTEXT DEST IGNOREFILE
                                                 copies the build context as docker would send it
"""
import fnmatch
import json
import os
import re
import shlex
import shutil
import sys

DEV_PACKAGE = re.compile(r"(-dev$|^build-essential$|^cmake$|^g\+\+|^gcc$|^catch2$|^git$)")


def parse(path):
    """Instructions as (line, keyword, text), continuation lines joined, comments dropped."""
    out, buf, start = [], "", 0
    with open(path, encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            if not buf and (not line.strip() or line.lstrip().startswith("#")):
                continue
            if buf and line.lstrip().startswith("#"):
                continue
            if not buf:
                start = n
            if line.endswith("\\"):
                buf += line[:-1] + " "
                continue
            buf += line
            keyword, _, rest = buf.strip().partition(" ")
            out.append((start, keyword.upper(), rest.strip()))
            buf = ""
    return out


def stages(instructions):
    """[name, base, [instructions], line of FROM]; ARGs before the first FROM are defaults."""
    result, args = [], {}
    for ins in instructions:
        line, kw, text = ins
        if kw == "FROM":
            parts = text.split()
            base = expand(parts[0], args)
            name = parts[2] if len(parts) >= 3 and parts[1].upper() == "AS" else None
            result.append([name, base, [], line])
        elif not result:
            if kw == "ARG":
                key, _, default = text.partition("=")
                args[key] = default
        else:
            result[-1][2].append(ins)
    return result


def expand(text, args):
    return re.sub(r"\$\{?(\w+)\}?", lambda m: args.get(m.group(1), m.group(0)), text)


def exec_form(text):
    try:
        value = json.loads(text)
        return value if isinstance(value, list) and all(isinstance(v, str) for v in value) else None
    except json.JSONDecodeError:
        return None


def apt_packages(run_text):
    """Packages named by `apt-get install` in one RUN (options and shell words dropped)."""
    pkgs = []
    for cmd in re.split(r"&&|;|\|\|", run_text):
        words = shlex.split(cmd)
        if "apt-get" in words and "install" in words:
            for w in words[words.index("install") + 1:]:
                if not w.startswith("-") and "=" not in w:
                    pkgs.append(w)
    return pkgs


def lint(path):
    problems = []
    ins = parse(path)
    st = stages(ins)

    def bad(line, rule, msg):
        problems.append(f"{path}:{line}: {rule} {msg}")

    if len(st) < 2:
        bad(1, "OPAS001", "must be multi-stage (a build stage and a runtime stage)")
    names = set()
    for name, base, body, line in st:
        if not name:
            bad(line, "OPAS002", f"stage FROM {base} needs a name (AS ...)")
        names.add(name)
        image, _, tag = base.partition(":")
        if not tag or tag == "latest":
            bad(line, "DL3006", f"base image {base} must have a pinned tag")
        if image not in ("debian",) or not (tag.startswith("12") or tag.startswith("bookworm")):
            bad(line, "OPAS003", f"base image {base} must be Debian 12 (debian:12-slim or bookworm)")
    for line, kw, text in ins:
        if kw == "ADD":
            bad(line, "DL3020", "use COPY instead of ADD")
        if kw == "WORKDIR" and not text.startswith("/"):
            bad(line, "DL3000", "WORKDIR must be absolute")
        if kw in ("CMD", "ENTRYPOINT") and exec_form(text) is None:
            bad(line, "DL3025", f"{kw} must use the JSON exec form")
        if kw in ("ENV", "ARG") and re.search(r"(TOKEN|SECRET|PASSWORD|KEY)\b", text.upper()):
            bad(line, "OPAS004", f"{kw} must not carry secrets (use the environment at run time)")
        if kw == "COPY":
            m = re.search(r"--from=(\S+)", text)
            if m and m.group(1) not in names:
                bad(line, "DL3022", f"COPY --from={m.group(1)} names no earlier stage")
        if kw != "RUN":
            continue
        for cmd in re.split(r"&&|;", text):
            words = cmd.split()
            if not words:
                continue
            if words[0] == "cd":
                bad(line, "DL3003", "use WORKDIR instead of cd")
            if words[0] == "sudo":
                bad(line, "DL3004", "do not use sudo")
            if words[0] == "apt":
                bad(line, "DL3027", "use apt-get, not apt")
            if "apt-get" in words and "install" in words:
                if "-y" not in words and "--yes" not in words:
                    bad(line, "DL3014", "apt-get install needs -y")
                if "--no-install-recommends" not in words:
                    bad(line, "DL3015", "apt-get install needs --no-install-recommends")
                if "apt-get update" not in text:
                    bad(line, "DL3009", "apt-get update belongs in the same RUN as the install")
                if "rm -rf /var/lib/apt/lists" not in text:
                    bad(line, "DL3009", "remove /var/lib/apt/lists in the same RUN")
        if "|" in text.replace("||", "") and "pipefail" not in text:
            bad(line, "DL4006", "a pipe in RUN needs set -o pipefail")

    if st:
        name, base, body, _ = st[-1]
        users = [t for _, kw, t in body if kw == "USER"]
        if not users or users[-1] in ("root", "0", "0:0"):
            bad(1, "DL3002", "the runtime stage must end as a non-root USER")
        health = [(l, t) for l, kw, t in body if kw == "HEALTHCHECK"]
        if not health:
            bad(1, "OPAS005", "the runtime stage needs a HEALTHCHECK")
        elif "/healthz" not in health[0][1]:
            bad(health[0][0], "OPAS005", "the HEALTHCHECK must ask /healthz")
        for l, kw, t in body:
            if kw == "RUN":
                for p in apt_packages(t):
                    if DEV_PACKAGE.search(p):
                        bad(l, "OPAS006", f"the runtime stage must not install {p}")
            if kw == "COPY" and "--from" not in t and re.match(r"\.\s", t):
                bad(l, "OPAS007", "the runtime stage must not copy the whole context")
        build = [b for b in st[:-1]]
        run_text = " ".join(t for s in build for _, kw, t in s[2] if kw == "RUN")
        if "-DOPAS_TESTS=OFF" not in run_text or "--target opas" not in run_text:
            bad(1, "OPAS008", "the build stage must build only opas (-DOPAS_TESTS=OFF, --target opas)")
    return problems


def stage_script(path, stage, root, context):
    """Bash that runs `stage`'s WORKDIR/ARG/ENV/COPY/RUN steps with / mapped to ROOT."""
    st = [s for s in stages(parse(path)) if s[0] == stage]
    if not st:
        raise SystemExit(f"no stage {stage}")
    q = shlex.quote
    lines = ["set -euo pipefail", f"ROOT={q(root)}", f"CONTEXT={q(context)}", 'WORK="$ROOT"',
             'mkdir -p "$WORK"']
    for line, kw, text in st[0][2]:
        lines.append(f"echo {q(f'step (line {line}): {kw} {text[:100]}')}")
        if kw == "WORKDIR":
            lines += [f'WORK="$ROOT"{q(text)}', 'mkdir -p "$WORK"']
        elif kw in ("ARG", "ENV"):
            key, _, value = text.partition("=")
            if kw == "ARG":
                lines.append(f'export {key}="${{{key}:-{value}}}"')
            else:
                lines.append(f"export {key}={value}")
        elif kw == "COPY":
            if "--from" in text:
                raise SystemExit(f"line {line}: COPY --from in a stage the checker executes")
            *srcs, dest = shlex.split(text)
            target = f'"$ROOT"{q(dest)}' if dest.startswith("/") else f'"$WORK"/{q(dest)}'
            for src in srcs:
                if src == ".":
                    lines.append(f'mkdir -p {target} && cp -a "$CONTEXT"/. {target}/')
                elif dest.endswith("/"):
                    lines.append(f'mkdir -p {target} && cp -a "$CONTEXT"/{q(src)} {target}')
                else:
                    lines.append(f'if [ -d "$CONTEXT"/{q(src)} ]; then mkdir -p {target} && '
                                 f'cp -a "$CONTEXT"/{q(src)}/. {target}/; '
                                 f'else mkdir -p "$(dirname {target})" && '
                                 f'cp -a "$CONTEXT"/{q(src)} {target}; fi')
        elif kw == "RUN":
            lines.append(f'(cd "$WORK" && /bin/sh -ec {q(text)})')
        else:
            lines.append(f"echo {q(f'  ({kw} does not change files: skipped)')}")
    return "\n".join(lines) + "\n"


def runtime(path):
    name, base, body, _ = stages(parse(path))[-1]
    info = {"stage": name, "base": base, "packages": [], "copies": [], "user": None,
            "workdir": None, "healthcheck": None, "entrypoint": None, "cmd": None, "expose": []}
    for _, kw, text in body:
        if kw == "RUN":
            info["packages"] += apt_packages(text)
        elif kw == "COPY":
            m = re.search(r"--from=(\S+)", text)
            words = shlex.split(re.sub(r"--from=\S+", "", text))
            info["copies"].append({"from": m.group(1) if m else None, "src": words[:-1],
                                   "dest": words[-1]})
        elif kw == "USER":
            info["user"] = text
        elif kw == "WORKDIR":
            info["workdir"] = text
        elif kw == "HEALTHCHECK":
            info["healthcheck"] = exec_form(text[text.index("CMD") + 3:].strip())
        elif kw == "ENTRYPOINT":
            info["entrypoint"] = exec_form(text)
        elif kw == "CMD":
            info["cmd"] = exec_form(text)
        elif kw == "EXPOSE":
            info["expose"] += text.split()
    return info


def copy_context(src, dest, ignore_file):
    patterns = []
    if os.path.exists(ignore_file):
        with open(ignore_file, encoding="utf-8") as f:
            patterns = [l.strip() for l in f if l.strip() and not l.startswith("#")]

    def ignored(rel):
        for p in patterns:
            p = p.rstrip("/")
            if fnmatch.fnmatch(rel, p) or (p.startswith("**/") and fnmatch.fnmatch(
                    os.path.basename(rel), p[3:])):
                return True
        return False

    for dirpath, dirnames, filenames in os.walk(src):
        rel_dir = os.path.relpath(dirpath, src)
        rel_dir = "" if rel_dir == "." else rel_dir
        dirnames[:] = [d for d in dirnames if not ignored(os.path.join(rel_dir, d))]
        os.makedirs(os.path.join(dest, rel_dir), exist_ok=True)
        for name in filenames:
            rel = os.path.join(rel_dir, name)
            if not ignored(rel):
                shutil.copy2(os.path.join(src, rel), os.path.join(dest, rel), follow_symlinks=False)


def main(argv):
    if len(argv) >= 3 and argv[1] == "lint":
        problems = lint(argv[2])
        for p in problems:
            print(p)
        print(f"lint: {len(problems)} problem(s) in {argv[2]}")
        return 1 if problems else 0
    if len(argv) == 6 and argv[1] == "stage-script":
        sys.stdout.write(stage_script(argv[2], argv[3], argv[4], argv[5]))
        return 0
    if len(argv) == 3 and argv[1] == "runtime":
        print(json.dumps(runtime(argv[2]), indent=1))
        return 0
    if len(argv) == 5 and argv[1] == "context":
        copy_context(argv[2], argv[3], argv[4])
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
