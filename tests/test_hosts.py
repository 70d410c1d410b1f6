"""Across hosts with xdist: a real sshd on 127.0.0.1, two ssh gateways and a popen one.

The sshd is Debian's openssh-server (scripts/install-toolchains.sh installs it), started with
its own configuration, host key and authorized key in a temporary folder, on a free loopback
port; it is stopped at the end. Each host gets its own folder (its own result store) holding
the dataset at the same relative path.
"""

from __future__ import annotations

import getpass
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from test_plugin import outcomes_by_id

from pytest_synthetic.checks import ALL_ENTRY_CHECK_NAMES

pytest_plugins = ["pytester"]

SSHD_CANDIDATES = ("/usr/sbin/sshd", "/usr/local/sbin/sshd")
START_SECONDS = 30
# entries per language taken from the real dataset (TypeScript runs on Node.js)
LANGUAGES = {"Python": 3, "TypeScript": 2}


@dataclass(frozen=True)
class Sshd:
    port: int
    client_key: Path
    user: str

    def gateway(self, folder: Path, *extra: str) -> str:
        options = "-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes -o LogLevel=ERROR"
        target = f"-p {self.port} -i {self.client_key} {options} {self.user}@127.0.0.1"
        return "//".join([f"ssh={target}", f"python={sys.executable}", f"chdir={folder}", *extra])


def _sshd_binary() -> str:
    found = shutil.which("sshd") or next((c for c in SSHD_CANDIDATES if Path(c).exists()), None)
    if found is None:
        pytest.skip("sshd is not installed: scripts/install-toolchains.sh installs Debian's openssh-server")
    return found


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _config(folder: Path, port: int) -> Path:
    """Keys only, on loopback. Root may log in with a key (CI runs as root); StrictModes is off
    because the keys sit in a temporary folder, not in a home folder sshd would inspect."""
    config = folder / "sshd_config"
    config.write_text(
        f"ListenAddress 127.0.0.1\nPort {port}\nHostKey {folder / 'host_key'}\nPidFile none\n"
        f"AuthorizedKeysFile {folder / 'authorized_keys'}\nPubkeyAuthentication yes\n"
        "PasswordAuthentication no\nKbdInteractiveAuthentication no\nPermitRootLogin prohibit-password\n"
        "StrictModes no\nUsePAM no\nLogLevel ERROR\n"
    )
    return config


def _wait_for(port: int, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"sshd exited with {server.returncode}: {log.read_text()}")
        with socket.socket() as client:
            client.settimeout(1)
            if client.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    pytest.fail(f"sshd did not listen on 127.0.0.1:{port} within {START_SECONDS} s: {log.read_text()}")


@pytest.fixture
def sshd(tmp_path: Path) -> Iterator[Sshd]:
    binary = _sshd_binary()
    folder = tmp_path / "sshd"
    folder.mkdir()
    for key in ("host_key", "client_key"):
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(folder / key)], check=True)
    shutil.copy(folder / "client_key.pub", folder / "authorized_keys")
    if os.geteuid() == 0:  # root's sshd wants its privilege separation folder (the service makes it)
        Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)
    port = _free_port()
    log = folder / "sshd.log"
    with log.open("wb") as out:
        server = subprocess.Popen([binary, "-D", "-e", "-f", str(_config(folder, port))], stderr=out)
    try:
        _wait_for(port, server, log)
        yield Sshd(port, folder / "client_key", getpass.getuser())
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)


@pytest.fixture
def dataset(pytester: pytest.Pytester, shared_datasets: Path) -> Path:
    """A few real entries in two languages, in the pytester folder and each host's folder."""
    wanted = dict(LANGUAGES)
    rows = []
    for line in (shared_datasets / "synthetic_gpt5.jsonl").read_text().splitlines():
        language = json.loads(line)["metadata"]["language"]
        if wanted.get(language, 0) > 0:
            wanted[language] -= 1
            rows.append(line)
    path = pytester.path / "synthetic_hosts.jsonl"
    path.write_text("\n".join(rows) + "\n")
    pytester.makeini("[pytest]\nsynthetic_dataset = synthetic_hosts.jsonl\n")
    for host in ("host-a", "host-b"):
        (pytester.path / host).mkdir()
        shutil.copy(path, pytester.path / host)
        shutil.copy(pytester.path / "tox.ini", pytester.path / host)
    return path


# a worker that crashes is not replaced: the run fails at once instead of starting workers forever
ARGS = ("-v", "-rA", "-p", "no:cacheprovider", "--synthetic-size=5", "-k", "not strength", "--max-worker-restart=0")


def test_two_ssh_hosts_and_a_popen_one_agree_with_two_workers(
    pytester: pytest.Pytester, sshd: Sshd, dataset: Path
) -> None:
    local = pytester.runpytest_subprocess(*ARGS, "-n", "2", timeout=900)
    gateways = [sshd.gateway(pytester.path / "host-a"), sshd.gateway(pytester.path / "host-b"), "popen"]
    spread = pytester.runpytest_subprocess(*ARGS, "-d", *(f"--tx={g}" for g in gateways), timeout=900)
    expected = outcomes_by_id(local)
    entry_checks = len([name for name in ALL_ENTRY_CHECK_NAMES if name != "strength"])
    assert len(expected) == 5 * entry_checks + 5  # five entries' checks but strength, five dataset items
    assert outcomes_by_id(spread) == expected, spread.stdout.str()
    assert any(v == "PASSED" for k, v in expected.items() if k.endswith("::execution"))
    text = spread.stdout.str()
    for worker in ("gw0", "gw1"):  # each remote host lists its sandbox and toolchains
        assert f"[{worker}] {sshd.user}@127.0.0.1 ({worker}): synthetic: " in text
        assert f"[{worker}] {sshd.user}@127.0.0.1 ({worker}): synthetic toolchains: " in text
    assert "[gw2] popen" not in text  # the popen worker is this machine: the header covers it
    assert text.count("synthetic dataset summary") == 1
    files = [line for line in spread.outlines if line.endswith(".jsonl:")]
    assert files == ["synthetic_hosts.jsonl:"]  # every host's items under the controller's path


def test_a_host_without_a_toolchain_skips_its_language(pytester: pytest.Pytester, sshd: Sshd, dataset: Path) -> None:
    """host-a's PATH has every system command but Node.js."""
    bin_folder = pytester.path / "host-a" / "bin"
    bin_folder.mkdir()
    for folder in (Path("/usr/bin"), Path("/bin")):
        for tool in folder.iterdir():
            if tool.name not in {"node", "nodejs"} and not (bin_folder / tool.name).exists():
                (bin_folder / tool.name).symlink_to(tool)
    gateway = sshd.gateway(pytester.path / "host-a", f"env:PATH={bin_folder}")
    result = pytester.runpytest_subprocess(*ARGS, "-d", f"--tx={gateway}", timeout=900)
    found = outcomes_by_id(result)
    typescript = [k for k in found if k.endswith("::execution") and _language_of(dataset, k) == "TypeScript"]
    assert len(typescript) == 2
    assert all(found[k] == "SKIPPED" for k in typescript)
    result.stdout.fnmatch_lines([f"SKIPPED *(on host {sshd.user}@127.0.0.1 (gw0))"])
    python = [k for k in found if k.endswith("::execution") and k not in typescript]
    assert python
    assert all(found[k] != "SKIPPED" for k in python)
    result.stdout.fnmatch_lines([f"*[[]gw0] {sshd.user}@127.0.0.1 (gw0): synthetic toolchains missing*TypeScript*"])


def _language_of(dataset: Path, node_id: str) -> str:
    query_id = node_id.split("::")[1]
    for line in dataset.read_text().splitlines():
        entry = json.loads(line)
        if entry["query_id"] == query_id:
            return str(entry["metadata"]["language"])
    return ""
