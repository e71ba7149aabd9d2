"""A PostgreSQL streaming replica of the test server, for tests/integration/test_replica.py.

`start(primary_url, port)` clones the primary cluster with pg_basebackup (a standby with
`-R`) into a temporary directory and starts it on 127.0.0.1:`port`; `stop(replica)` stops it
and removes the directory. The primary must allow replication connections of the postgres role
from 127.0.0.1 (`bash scripts/services postgres` sees to it). As root, the server runs as the
postgres user (PostgreSQL refuses root).
"""
import glob
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass

from sqlalchemy import create_engine, make_url, text


@dataclass
class Replica:
    directory: str
    port: int
    run_as: list
    slot: str
    primary_url: str

    def url_for(self, primary_url):
        return make_url(primary_url).set(host="127.0.0.1", port=self.port) \
            .render_as_string(hide_password=False)


def _bin(name):
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else shutil.which(name)


def start(primary_url, port=5433):
    primary = make_url(primary_url)
    run_as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    directory = tempfile.mkdtemp(prefix="bureau-replica-")
    # a slot keeps the primary's WAL until the replica has it (a busy server recycles it fast)
    slot = f"test_replica_{os.getpid()}"
    if run_as:
        shutil.chown(directory, "postgres", "postgres")
    os.chmod(directory, 0o700)
    data = os.path.join(directory, "data")
    subprocess.run(run_as + [_bin("pg_basebackup"), "-h", primary.host or "127.0.0.1",
                             "-p", str(primary.port or 5432), "-U", primary.username or "postgres",
                             "-D", data, "-R", "-X", "stream", "-c", "fast",
                             "--create-slot", "--slot", slot],
                   check=True, capture_output=True)
    # Debian keeps postgresql.conf and pg_hba.conf outside the data directory: write our own.
    for name, content in (("postgresql.conf", f"port = {port}\nlisten_addresses = '127.0.0.1'\n"
                                           f"unix_socket_directories = '{directory}'\n"
                                           "hot_standby = on\n"),
                       ("pg_hba.conf", "local all all trust\nhost all all 127.0.0.1/32 trust\n")):
        subprocess.run(run_as + ["sh", "-c", f"cat > {data}/{name}"], input=content.encode(),
                       check=True)
    subprocess.run(run_as + [_bin("pg_ctl"), "-D", data, "-l", f"{directory}/log", "-w",
                             "start"], check=True, capture_output=True)
    return Replica(directory, port, run_as, slot, primary_url)


def stop(replica):
    subprocess.run(replica.run_as + [_bin("pg_ctl"), "-D", f"{replica.directory}/data", "-m",
                                     "fast", "-w", "stop"], capture_output=True)
    shutil.rmtree(replica.directory, ignore_errors=True)
    # without its replica, a slot would keep the primary's WAL for ever
    admin = create_engine(replica.primary_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots "
                          "WHERE slot_name = :slot"), {"slot": replica.slot})
    admin.dispose()


def wait_for(check, seconds=60):
    """Poll `check()` until it is true (replication is asynchronous); False after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return False
