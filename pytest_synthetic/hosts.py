"""Several hosts under xdist (`--tx ssh=...`): each reports its own sandbox and toolchains.

A worker on another host cannot take the controller's word for what is installed: it probes
its own sandbox, the controller shows each remote host's toolchains when its worker is ready,
and an item skipped for a missing toolchain names the host that lacks it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from pytest_synthetic import sandbox, toolchains
from pytest_synthetic.languages import ALL as ALL_LANGUAGES
from pytest_synthetic.languages.base import Toolchain

HOST_INPUT = "synthetic_host"  # workerinput: the remote host's name; absent on this machine
ROOT_INPUT = "synthetic_controller_root"  # workerinput of a remote host: the controller's rootdir
PROBE_TIMEOUT = 300  # seconds for a remote host to report (a JVM tool's -version takes seconds)
# Run in the remote interpreter through the worker's gateway (execnet's remote_exec).
PROBE = "from pytest_synthetic import hosts; channel.send(hosts.describe_this_host())"


def toolchain_lines(version_of: Callable[[Toolchain], str | None]) -> list[str]:
    """The header's toolchain lines: versions found, and the install hints of those missing."""
    with ThreadPoolExecutor(max_workers=8) as pool:  # a JVM tool's -version alone takes seconds
        list(pool.map(version_of, [t for lang in ALL_LANGUAGES for t in lang.toolchains]))
    found: list[str] = []
    missing: list[str] = []
    for language in ALL_LANGUAGES:
        versions, hints = [], []
        for toolchain in language.toolchains:
            version = version_of(toolchain)  # asked above: remembered
            if version is None:
                hints.append(toolchain.install_hint)
            else:
                known = version.lower().replace(" ", "").startswith(toolchain.command)
                versions.append(version if known else f"{toolchain.command} {version}")
        if hints:
            missing.append(f"{language.name} ({'; '.join(hints)})")
        elif versions:
            found.append(f"{language.name} ({', '.join(versions)})")
    lines = ["synthetic toolchains: " + (", ".join(found) or "none")]
    if missing:
        lines.append("synthetic toolchains missing, execution skipped: " + ", ".join(missing))
    return lines


def describe_this_host() -> list[str]:
    """What a remote host reports: its sandbox and its toolchains."""
    return [f"synthetic: {sandbox.describe()}", *toolchain_lines(toolchains.version)]


def host_name(spec: Any) -> str | None:
    """The host of an xdist gateway spec (`user@host` of ssh, the socket's address); None for popen."""
    if getattr(spec, "popen", False):
        return None
    if getattr(spec, "ssh", None):
        return str(spec.ssh).split()[-1]
    return str(getattr(spec, "socket", None) or spec)


def probe_gateway(gateway: Any) -> None:
    """xdist, on the controller, for each new gateway: a remote host tells its sandbox and
    toolchains before its worker starts (its gateway runs one remote call at a time)."""
    if host_name(gateway.spec) is None:
        return
    try:
        channel = gateway.remote_exec(PROBE)
        lines = channel.receive(timeout=PROBE_TIMEOUT)
        channel.waitclose(timeout=PROBE_TIMEOUT)
    except Exception as exc:  # a host that cannot answer is named; the run goes on
        lines = [f"synthetic: no answer from the host ({exc})"]
    gateway.synthetic_probe = lines  # shown once the worker on it is ready


def configure_node(node: Any, sandbox_input: str) -> None:
    """xdist, on the controller: a worker on this machine takes its sandbox description; a remote
    one probes its own, and learns its host's name for its skip reasons."""
    host = host_name(node.gateway.spec)
    if host is None:
        node.workerinput[sandbox_input] = sandbox.describe()
    else:
        node.workerinput[HOST_INPUT] = f"{host} ({node.gateway.id})"
        node.workerinput[ROOT_INPUT] = str(node.config.rootpath)


def report_node(node: Any) -> None:
    """xdist, on the controller: a remote host's sandbox and toolchains, once its worker is ready."""
    lines = getattr(node.gateway, "synthetic_probe", None)
    terminal = node.config.pluginmanager.get_plugin("terminalreporter")
    if lines is None or terminal is None:
        return
    for line in lines:
        terminal.write_line(f"[{node.gateway.id}] {node.workerinput[HOST_INPUT]}: {line}")


def reported_path(path: Path, config: pytest.Config) -> str:
    """A dataset's path as the controller names it: a remote host has it in its own folder,
    at the same place relative to the rootdir."""
    root = (getattr(config, "workerinput", None) or {}).get(ROOT_INPUT)
    if root is None:
        return str(path)
    return os.path.normpath(Path(root) / os.path.relpath(path, config.rootpath))


def locate(reason: str, config: pytest.Config) -> str:
    """A skip reason (a toolchain missing), naming the remote host it is missing on."""
    host = (getattr(config, "workerinput", None) or {}).get(HOST_INPUT)
    return f"{reason} (on host {host})" if host else reason
