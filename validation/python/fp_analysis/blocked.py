"""What the guard-rail blocks: built-ins, process-starting attributes, sandbox-escape dunders."""
from __future__ import annotations

# Builtins that escape the app's own code: reported wherever they are referenced, not only called.
BLOCKED_BUILTINS = {"eval", "exec", "compile", "__import__", "input", "breakpoint"}
# Module attributes that start processes, replace the process, or reach every loaded module.
_OS_PROCESS = {"system", "popen", "fork", "forkpty", "posix_spawn", "posix_spawnp", "startfile",
               "execl", "execle", "execlp", "execlpe", "execv", "execve", "execvp", "execvpe",
               "spawnl", "spawnle", "spawnlp", "spawnlpe", "spawnv", "spawnve", "spawnvp", "spawnvpe"}
# asyncio's ways to start a process are the same escape hatch as subprocess's.
_ASYNCIO_PROCESS = {"create_subprocess_exec", "create_subprocess_shell"}
BLOCKED_ATTRIBUTES = {**{f"os.{n}": n for n in _OS_PROCESS}, **{f"posix.{n}": n for n in _OS_PROCESS},
                      **{f"asyncio.{n}": n for n in _ASYNCIO_PROCESS}, **{f"asyncio.subprocess.{n}": n for n in _ASYNCIO_PROCESS},
                      "sys.modules": "modules", "sys._getframe": "_getframe"}
SENSITIVE_MODULES = {"os", "posix", "sys", "asyncio"}
# Event-loop methods that start processes, whatever object the loop was reached through.
BLOCKED_METHODS = {"subprocess_exec", "subprocess_shell"}
# Attribute names used to climb out of a sandbox (classic `().__class__.__bases__[0].__subclasses__()`).
BLOCKED_DUNDERS = {"__builtins__", "__subclasses__", "__globals__", "__code__", "__closure__",
                   "f_globals", "f_builtins", "f_locals", "gi_frame", "cr_frame", "tb_frame"}


def is_blocked(qualified: str) -> bool:
    return qualified in BLOCKED_ATTRIBUTES
