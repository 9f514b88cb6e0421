#!/usr/bin/python3
"""Vigil lab fabric: three userspace OVS switches in a triangle (a loop broken by RSTP) and eight hosts.

Run with Debian's interpreter (the one that has Mininet):

    /usr/bin/python3 mininet/fabric.py --driver [options]   JSON-lines driver on stdin/stdout (for tests)
    /usr/bin/python3 mininet/fabric.py --cli [options]      Mininet CLI (for people)
    /usr/bin/python3 mininet/fabric.py --cleanup            only remove leftovers of an earlier crashed run

Topology (ports are OpenFlow port numbers; host N has MAC 00:00:00:00:00:NN and IP 10.0.0.NN/24):

          s1 (dpid 1) ---p1----p1--- s2 (dpid 2)
           p2 \                     / p2
               \---p2- s3 -p1------/
                      (dpid 3)
    s1: p3 c1 (.1)   p4 c2 (.2)    p5 attacker (.66)
    s2: p3 srv1 (.11) p4 srv2 (.12) p5 ids (.99, security appliance on its own port)
    s3: p3 c3 (.3)   p4 honeypot (.13)

RSTP runs on every bridge; s1 has the lowest bridge priority (root), s2 the next, so in a converged
fabric s3 port 1 (s3-eth1, toward s2) is the alternate (blocked) port. Host ports are RSTP edge ports.

Driver protocol: one JSON object per line on stdin, one JSON answer per line on stdout (everything else
goes to stderr). The first line after the network is up is {"ready": true, ...dump}; on a start failure
{"ready": false, "error": "..."}. Requests carry an "id" echoed in the answer; answers are
{"id", "ok": true, ...} or {"id", "ok": false, "error": "..."}. Requests run concurrently (each in a
thread), so answers may come out of order. Ops:
    cmd     {host, cmd, timeoutMs?=30000}      -> {output, exitCode, timedOut}
            bash -c CMD in the host's namespaces, stdout+stderr combined; on timeout the process group is
            killed; whatever the command left running in its process group is killed when it returns
            (use popen for background work). exitCode < 0 means killed by that signal.
    popen   {host, cmd}                        -> {handle, pid}
            starts bash -c CMD in its own process group (pgid = pid), output kept in a temp file
    wait    {handle, timeoutMs?=30000}         -> {exited, exitCode, output}   (handle stays valid if not exited)
    kill    {handle, signal?="TERM"}           -> {exitCode, output}   (KILL after 5 s; the handle is released)
    pingall {timeoutMs?=1000 per ping}         -> {lossPercent, sent, received, raw, results}
    dump    {}                                 -> {switches, links, hosts, controller}
    link    {a, b, state: "up"|"down"}         -> {intfs}
    move    {host, switch, port?}              -> {host, from: {switch, port, intf}, to: {switch, port, intf}}
            moves the host's link (its switch-side veth) from its switch to another one, at `port` (default
            the switch's next free port); the host keeps its MAC and IP; dump shows the new attachment
    rstp    {}                                 -> {switches: {s1: {isRoot, rootPort, ports: [{intf, port, role, state}]}}}
    ovs     {switch, args: [...], tool?="ofctl"|"vsctl"|"appctl", protocols?="OpenFlow13"} -> {output, exitCode}
    stop    {}                                 -> {} then the fabric stops; the last line is {"stopped": true}
On EOF, SIGTERM, SIGINT, SIGHUP or any error the network is stopped and every leftover it made removed.

Hosts have TX checksum offload turned off (ethtool): the userspace datapath does not complete the
checksums veths leave to offload, so TCP would otherwise fail between hosts.

Safety: bridges this script creates carry external_ids:vigil-lab=fabric. Leftover bridges with that
marker (from a crashed run) are deleted before start; same-named bridges without it make the script
refuse to start. Only interfaces with this topology's exact names are ever deleted, and only processes
this script started (recorded by pid and start time) are ever signalled. One fabric at a time (a lock).
"""

import argparse
import fcntl
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback

LAB_MARKER_KEY = 'vigil-lab'
LAB_MARKER_VALUE = 'fabric'
STATE_DIR = os.environ.get('VIGIL_LAB_STATE_DIR', '/run/vigil-lab')
LOCK_FILE = os.path.join(STATE_DIR, 'fabric.lock')
STATE_FILE = os.path.join(STATE_DIR, 'fabric.state.json')

SWITCHES = [
    # name, dpid, RSTP bridge priority (lowest is root)
    ('s1', '0000000000000001', 28672),
    ('s2', '0000000000000002', 32768),
    ('s3', '0000000000000003', 36864),
]
TRUNKS = [
    # switch a, port a, switch b, port b
    ('s1', 1, 's2', 1),
    ('s2', 2, 's3', 1),
    ('s3', 2, 's1', 2),
]
HOSTS = [
    # name, NN (IP 10.0.0.NN, MAC 00:00:00:00:00:NN), switch, port, role
    ('c1', 1, 's1', 3, 'client'),
    ('c2', 2, 's1', 4, 'client'),
    ('attacker', 66, 's1', 5, 'attacker'),
    ('srv1', 11, 's2', 3, 'server'),
    ('srv2', 12, 's2', 4, 'server'),
    ('ids', 99, 's2', 5, 'ids'),
    ('c3', 3, 's3', 3, 'client'),
    ('honeypot', 13, 's3', 4, 'honeypot'),
]


def host_ip(nn):
    return '10.0.0.%d' % nn


def host_mac(nn):
    return '00:00:00:00:00:%02d' % nn


def switch_intf(switch, port):
    return '%s-eth%d' % (switch, port)


def host_intf(host):
    return '%s-eth0' % host


def topology_intf_names():
    names = set()
    for a, pa, b, pb in TRUNKS:
        names.add(switch_intf(a, pa))
        names.add(switch_intf(b, pb))
    for name, _nn, sw, port, _role in HOSTS:
        names.add(switch_intf(sw, port))
        names.add(host_intf(name))
    return sorted(names)


def log(*parts):
    sys.stderr.write('fabric: ' + ' '.join(str(p) for p in parts) + '\n')
    sys.stderr.flush()


class Refused(Exception):
    """Start refused for safety (something not ours is in the way)."""


# --------------------------------------------------------------------------------------------------
# processes we start: recorded by pid and start time so a later run can end exactly those

def proc_start_time(pid):
    try:
        with open('/proc/%d/stat' % pid) as f:
            stat = f.read()
        # field 22 (starttime); the command name (field 2) may hold spaces, so split after ')'
        return int(stat[stat.rindex(')') + 2:].split()[19])
    except (OSError, ValueError, IndexError):
        return None


def proc_pgid(pid):
    try:
        with open('/proc/%d/stat' % pid) as f:
            stat = f.read()
        return int(stat[stat.rindex(')') + 2:].split()[2])
    except (OSError, ValueError, IndexError):
        return None


def group_members(pgid, not_before=None):
    """Live pids in process group pgid (optionally only those started at or after not_before)."""
    out = []
    for entry in os.listdir('/proc'):
        if not entry.isdigit():
            continue
        pid = int(entry)
        if proc_pgid(pid) != pgid:
            continue
        if not_before is not None:
            st = proc_start_time(pid)
            if st is None or st < not_before:
                continue
        out.append(pid)
    return out


def kill_recorded(pid, start, sig=signal.SIGKILL, group=True):
    """Signal a process we recorded (and its process group members), only if it is still that process."""
    victims = []
    if proc_start_time(pid) == start:
        victims.append(pid)
    if group:
        for member in group_members(pid, not_before=start):
            if member not in victims:
                victims.append(member)
    for v in victims:
        try:
            os.kill(v, sig)
        except ProcessLookupError:
            pass
    return victims


class StateFile:
    """What this run created, for a later run to reconcile if this one dies without cleaning up."""

    def __init__(self):
        self.data = {'pid': os.getpid(), 'start': proc_start_time(os.getpid()), 'procs': []}
        self.lock = threading.Lock()

    def add_proc(self, pid, kind):
        with self.lock:
            self.data['procs'].append({'pid': pid, 'start': proc_start_time(pid), 'kind': kind})
            self._write()

    def remove_proc(self, pid):
        with self.lock:
            self.data['procs'] = [p for p in self.data['procs'] if p['pid'] != pid]
            self._write()

    def _write(self):
        tmp = STATE_FILE + '.tmp'
        with open(tmp, 'w') as f:
            json.dump(self.data, f)
        os.replace(tmp, STATE_FILE)

    def write(self):
        with self.lock:
            self._write()

    @staticmethod
    def clear():
        try:
            os.unlink(STATE_FILE)
        except FileNotFoundError:
            pass


# --------------------------------------------------------------------------------------------------
# leftovers

def run(argv, timeout=30, check=False):
    p = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=timeout, text=True)
    if check and p.returncode != 0:
        raise RuntimeError('%s failed (%d): %s' % (' '.join(argv), p.returncode, p.stderr.strip()))
    return p


def ovs_answers():
    try:
        return run(['ovs-vsctl', '--timeout=2', 'show'], timeout=5).returncode == 0
    except subprocess.TimeoutExpired:
        return False


def bridge_exists(name):
    return run(['ovs-vsctl', '--timeout=5', 'br-exists', name]).returncode == 0


def bridge_marker(name):
    p = run(['ovs-vsctl', '--timeout=5', '--format=json', '--columns=external_ids', 'list', 'Bridge', name])
    if p.returncode != 0:
        return None
    data = json.loads(p.stdout)
    for row in data.get('data', []):
        cell = row[0]  # ["map", [[k, v], ...]]
        for k, v in cell[1]:
            if k == LAB_MARKER_KEY:
                return v
    return None


def iface_bridge(intf):
    p = run(['ovs-vsctl', '--timeout=5', 'iface-to-br', intf])
    return p.stdout.strip() if p.returncode == 0 else None


def link_kind(name):
    """Kind of a root-namespace link with this name ('veth', 'tun', '' for plain), or None if absent."""
    p = run(['ip', '-d', '-j', 'link', 'show', 'dev', name])
    if p.returncode != 0:
        return None
    try:
        info = json.loads(p.stdout)[0]
    except (ValueError, IndexError):
        return ''
    return (info.get('linkinfo') or {}).get('info_kind', '')


def reconcile_leftovers(what='start'):
    """Remove what an earlier (crashed) run of this script left behind; refuse if something foreign is in the way.
    Must be called with the fabric lock held. Returns a list of actions taken."""
    actions = []
    # 1. processes recorded by the earlier run
    try:
        with open(STATE_FILE) as f:
            old = json.load(f)
    except (OSError, ValueError):
        old = None
    if old:
        for p in old.get('procs', []):
            victims = kill_recorded(p['pid'], p['start'])
            if victims:
                actions.append('killed leftover %s pids %s' % (p.get('kind', 'process'), victims))
        StateFile.clear()
    # 2. check everything before touching anything
    names = [s[0] for s in SWITCHES]
    ours_bridges = []
    for br in names:
        if bridge_exists(br):
            marker = bridge_marker(br)
            if marker != LAB_MARKER_VALUE:
                raise Refused('bridge %s exists and was not created by the Vigil lab '
                              '(no external_ids:%s=%s); refusing to %s. Remove or rename it yourself.'
                              % (br, LAB_MARKER_KEY, LAB_MARKER_VALUE, what))
            ours_bridges.append(br)
    intfs = topology_intf_names()
    for intf in intfs:
        br = iface_bridge(intf)
        if br is not None and br not in ours_bridges:
            raise Refused('interface %s is attached to bridge %s, which is not ours; refusing to %s' % (intf, br, what))
    stale_links = []
    for name in intfs + names:
        kind = link_kind(name)
        if kind is None:
            continue
        if name in names and name not in ours_bridges and kind == 'tun':
            # a tap named like our bridge with no bridge behind it: leftover of our netdev bridge
            stale_links.append(name)
        elif name in names and name in ours_bridges:
            pass  # goes away with del-br (deleted below anyway if still there)
        elif kind == 'veth':
            stale_links.append(name)
        else:
            raise Refused('network interface %s (kind %r) exists and is not a veth of this lab; refusing to %s'
                          % (name, kind or 'plain', what))
    # 3. remove
    for br in ours_bridges:
        run(['ovs-vsctl', '--timeout=10', '--if-exists', 'del-br', br], check=True)
        actions.append('deleted leftover bridge %s' % br)
        if link_kind(br) == 'tun':
            stale_links.append(br)
    for name in stale_links:
        if link_kind(name) is not None:
            run(['ip', 'link', 'del', 'dev', name])
            actions.append('deleted leftover interface %s' % name)
    return actions


class FabricLock:
    def __init__(self):
        os.makedirs(STATE_DIR, exist_ok=True)
        self.fd = os.open(LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(self.fd, 64, 0).decode(errors='replace').strip()
            os.close(self.fd)
            raise Refused('another fabric is running (lock %s held by pid %s)' % (LOCK_FILE, holder or '?'))
        os.ftruncate(self.fd, 0)
        os.pwrite(self.fd, str(os.getpid()).encode(), 0)

    def release(self):
        try:
            os.ftruncate(self.fd, 0)
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
        except OSError:
            pass


# --------------------------------------------------------------------------------------------------
# the network

def build_net(opts):
    from mininet.net import Mininet
    from mininet.node import OVSSwitch, RemoteController
    from mininet.topo import Topo

    rstp = not opts.no_rstp

    class LabSwitch(OVSSwitch):
        """Userspace OVS bridge marked as ours, with RSTP on from creation (no window with an unbroken loop)."""

        def __init__(self, name, rstpPriority=32768, **params):
            OVSSwitch.__init__(self, name, **params)
            self.rstpPriority = rstpPriority

        def bridgeOpts(self):
            opts = OVSSwitch.bridgeOpts(self)
            opts += ' external-ids:%s=%s' % (LAB_MARKER_KEY, LAB_MARKER_VALUE)
            if rstp:
                opts += ' rstp_enable=true other-config:rstp-priority=%d' % self.rstpPriority
            return opts

        def intfOpts(self, intf):
            opts = OVSSwitch.intfOpts(self, intf)
            link = getattr(intf, 'link', None)
            if rstp and link is not None:
                peer = link.intf1 if link.intf2 is intf else link.intf2
                if not isinstance(peer.node, OVSSwitch):
                    opts += ' -- set Port %s other-config:rstp-port-admin-edge=true' % intf
            return opts

    class QuietRemoteController(RemoteController):
        """Does not probe the controller port (Mininet's probe opens a telnet session to it)."""

        def checkListening(self):
            return

        def stop(self):
            self.terminate()  # RemoteController.stop() leaves the node's shell running

    class FabricTopo(Topo):
        def build(self):
            for name, dpid, prio in SWITCHES:
                self.addSwitch(name, dpid=dpid, rstpPriority=prio)
            for a, pa, b, pb in TRUNKS:
                self.addLink(a, b, port1=pa, port2=pb)
            for name, nn, sw, port, _role in HOSTS:
                self.addHost(name, ip='%s/24' % host_ip(nn), mac=host_mac(nn))
                self.addLink(name, sw, port1=0, port2=port)

    def switch_factory(name, **params):
        return LabSwitch(name, datapath='user', protocols=opts.protocols, failMode=opts.fail_mode, **params)

    net = Mininet(topo=FabricTopo(), switch=switch_factory, controller=None, build=False,
                  autoSetMacs=False, autoStaticArp=False, waitConnected=False)
    if opts.controller != 'none':
        net.addController(QuietRemoteController('vigil', ip=opts.controller_ip, port=opts.controller_port))
    return net


def disable_offloads(net):
    """The userspace datapath does not fill in checksums that veths leave to offload: turn TX offload off."""
    if shutil.which('ethtool') is None:
        log('warning: ethtool is missing (run lab/install): TCP between hosts will fail on the userspace datapath')
        return
    for host in net.hosts:
        for intf in host.intfList():
            host.cmd('ethtool -K %s tx off >/dev/null 2>&1' % intf)


def wait_connected(net, timeout):
    deadline = time.time() + timeout
    remaining = list(net.switches)
    while remaining and time.time() < deadline:
        remaining = [s for s in remaining if not s.connected()]
        if remaining:
            time.sleep(0.2)
    return [s.name for s in remaining]


def ofports():
    p = run(['ovs-vsctl', '--timeout=5', '--format=json', '--columns=name,ofport', 'list', 'Interface'])
    out = {}
    if p.returncode == 0:
        for name, ofport in json.loads(p.stdout).get('data', []):
            if isinstance(ofport, int):
                out[name] = ofport
    return out


def dump(net, opts):
    ports = ofports()
    switches = []
    for name, dpid, prio in SWITCHES:
        sw = net.get(name)
        sports = []
        for intf in sw.intfList():
            if intf.name == 'lo':
                continue
            link = intf.link
            peer = None
            if link is not None:
                pi = link.intf1 if link.intf2 is intf else link.intf2
                peer = {'node': pi.node.name, 'intf': pi.name}
            sports.append({'port': ports.get(intf.name, sw.ports[intf]), 'intf': intf.name, 'peer': peer})
        sports.sort(key=lambda p: p['port'])
        switches.append({'name': name, 'dpid': dpid, 'dpidInt': int(dpid, 16), 'rstpPriority': prio,
                         'failMode': opts.fail_mode, 'protocols': opts.protocols, 'ports': sports})
    links = []
    for a, pa, b, pb in TRUNKS:
        ia, ib = switch_intf(a, pa), switch_intf(b, pb)
        links.append({'a': {'switch': a, 'port': ports.get(ia, pa), 'intf': ia},
                      'b': {'switch': b, 'port': ports.get(ib, pb), 'intf': ib}})
    hosts = []
    for name, nn, sw, port, role in HOSTS:
        h = net.get(name)
        si, sw_node = host_attachment(h)
        hosts.append({'name': name, 'role': role, 'ip': h.IP(), 'mac': h.MAC(), 'intf': host_intf(name),
                      'switch': sw_node.name, 'port': ports.get(si.name, sw_node.ports.get(si, port)),
                      'switchIntf': si.name, 'pid': h.pid})
    controller = None
    if opts.controller != 'none':
        controller = {'ip': opts.controller_ip, 'port': opts.controller_port}
    return {'switches': switches, 'links': links, 'hosts': hosts, 'controller': controller}


def host_attachment(host):
    """(switch-side interface, switch) of a host's link (a host has exactly one, see `move`)."""
    hi = host.intf(host_intf(host.name))
    link = hi.link
    si = link.intf1 if link.intf2 is hi else link.intf2
    return si, si.node


RSTP_ROLES = ('Root', 'Designated', 'Alternate', 'Backup', 'Disabled')


def rstp_state():
    """RSTP as OVS reports it (ovs-appctl rstp/show), per switch: root?, root port, and each port's role/state."""
    ports = ofports()
    out = {}
    for name, _dpid, _prio in SWITCHES:
        p = run(['ovs-appctl', 'rstp/show', name], timeout=10)
        sw = {'enabled': p.returncode == 0, 'isRoot': 'This bridge is the root' in p.stdout, 'rootPort': None,
              'ports': []}
        for line in p.stdout.splitlines():
            parts = line.split()
            if len(parts) == 2 and parts[0] == 'root-port':
                sw['rootPort'] = parts[1]
            elif len(parts) == 5 and parts[0] in ports and parts[1] in RSTP_ROLES:
                # (any interface of the bridge: a host moved here keeps its veth's name, e.g. s3-eth3 on s1)
                sw['ports'].append({'intf': parts[0], 'port': ports.get(parts[0]), 'role': parts[1],
                                    'state': parts[2], 'cost': int(parts[3]) if parts[3].isdigit() else parts[3]})
        sw['ports'].sort(key=lambda x: (x['port'] is None, x['port']))
        out[name] = sw
    return out


# --------------------------------------------------------------------------------------------------
# the driver

SIGNALS = {'TERM': signal.SIGTERM, 'KILL': signal.SIGKILL, 'INT': signal.SIGINT, 'HUP': signal.SIGHUP,
           'USR1': signal.SIGUSR1, 'USR2': signal.SIGUSR2}


class Job:
    def __init__(self, handle, host, cmd, proc, start, out_path):
        self.handle = handle
        self.host = host
        self.cmd = cmd
        self.proc = proc
        self.start = start
        self.out_path = out_path

    def output(self, limit=1 << 20):
        try:
            with open(self.out_path, 'rb') as f:
                data = f.read()
        except OSError:
            return ''
        if len(data) > limit:
            data = data[-limit:]
        return data.decode(errors='replace')

    def reap_group(self, sig=signal.SIGKILL):
        return kill_recorded(self.proc.pid, self.start, sig)


class Driver:
    def __init__(self, net, opts, state, out):
        self.net = net
        self.opts = opts
        self.state = state
        self.out = out
        self.out_lock = threading.Lock()
        self.mn_lock = threading.Lock()
        self.jobs = {}
        self.jobs_lock = threading.Lock()
        self.next_handle = 1
        self.tmpdir = tempfile.mkdtemp(prefix='vigil-fabric-')
        self.stopping = threading.Event()

    def emit(self, obj):
        line = json.dumps(obj, separators=(',', ':')) + '\n'
        with self.out_lock:
            try:
                self.out.write(line)
                self.out.flush()
            except (BrokenPipeError, ValueError, OSError):
                self.stopping.set()

    # processes in hosts -----------------------------------------------------------------------
    def host(self, name):
        if not isinstance(name, str) or name not in [h[0] for h in HOSTS]:
            raise ValueError('unknown host %r' % (name,))
        return self.net.get(name)

    def start_in_host(self, hostname, cmd, kind):
        host = self.host(hostname)
        if not isinstance(cmd, str) or not cmd:
            raise ValueError('cmd must be a non-empty string')
        fd, out_path = tempfile.mkstemp(dir=self.tmpdir, prefix=hostname + '-')
        try:
            # own session and process group (pgid == pid) so the whole tree can be ended by that pid
            proc = subprocess.Popen(['mnexec', '-a', str(host.pid), 'bash', '-c', cmd],
                                    stdin=subprocess.DEVNULL, stdout=fd, stderr=subprocess.STDOUT,
                                    start_new_session=True, close_fds=True)
        finally:
            os.close(fd)
        start = proc_start_time(proc.pid)
        self.state.add_proc(proc.pid, kind)
        with self.jobs_lock:
            handle = self.next_handle
            self.next_handle += 1
            job = Job(handle, hostname, cmd, proc, start, out_path)
            self.jobs[handle] = job
        return job

    def finish_job(self, job):
        job.reap_group()
        self.state.remove_proc(job.proc.pid)
        with self.jobs_lock:
            self.jobs.pop(job.handle, None)
        try:
            os.unlink(job.out_path)
        except OSError:
            pass

    def op_cmd(self, req):
        timeout = timeout_s(req, 30.0)
        job = self.start_in_host(req.get('host'), req.get('cmd'), 'cmd')
        timed_out = False
        try:
            code = job.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
            job.reap_group(signal.SIGKILL)
            code = job.proc.wait()
        out = job.output()
        self.finish_job(job)
        return {'output': out, 'exitCode': code, 'timedOut': timed_out}

    def op_popen(self, req):
        job = self.start_in_host(req.get('host'), req.get('cmd'), 'popen')
        return {'handle': job.handle, 'pid': job.proc.pid}

    def job(self, req):
        handle = req.get('handle')
        with self.jobs_lock:
            job = self.jobs.get(handle)
        if job is None:
            raise ValueError('unknown handle %r' % (handle,))
        return job

    def op_wait(self, req):
        job = self.job(req)
        try:
            code = job.proc.wait(timeout=timeout_s(req, 30.0))
        except subprocess.TimeoutExpired:
            return {'exited': False, 'exitCode': None, 'output': job.output()}
        out = job.output()
        self.finish_job(job)
        return {'exited': True, 'exitCode': code, 'output': out}

    def op_kill(self, req):
        job = self.job(req)
        sig = SIGNALS.get(str(req.get('signal', 'TERM')).upper().replace('SIG', ''))
        if sig is None:
            raise ValueError('unknown signal %r' % (req.get('signal'),))
        if job.proc.poll() is None:
            job.reap_group(sig)
            try:
                job.proc.wait(timeout=timeout_s(req, 5.0))
            except subprocess.TimeoutExpired:
                job.reap_group(signal.SIGKILL)
                job.proc.wait()
        code = job.proc.returncode
        out = job.output()
        self.finish_job(job)
        return {'exitCode': code, 'output': out}

    # network-wide ops -------------------------------------------------------------------------
    def op_pingall(self, req):
        return pingall(self, timeout_s(req, 1.0))

    def op_dump(self, _req):
        with self.mn_lock:
            return dump(self.net, self.opts)

    def op_link(self, req):
        a, b, state = req.get('a'), req.get('b'), req.get('state')
        if state not in ('up', 'down'):
            raise ValueError('state must be "up" or "down"')
        names = [s[0] for s in SWITCHES] + [h[0] for h in HOSTS]
        if a not in names or b not in names:
            raise ValueError('unknown node in link %r-%r' % (a, b))
        with self.mn_lock:
            na, nb = self.net.get(a), self.net.get(b)
            conns = na.connectionsTo(nb)
            if not conns:
                raise ValueError('%s and %s are not linked' % (a, b))
            errors = []
            for ia, ib in conns:
                for intf in (ia, ib):
                    r = intf.ifconfig(state)
                    if r:
                        errors.append('%s: %s' % (intf.name, r.strip()))
            if errors:
                raise RuntimeError('; '.join(errors))
        return {'intfs': [[ia.name, ib.name] for ia, ib in conns]}

    def op_move(self, req):
        """Moves a host's link to another switch: the switch-side veth leaves its bridge and joins the other one
        (Mininet's mobility example does the same), so the host sees a link that never went down."""
        hostname, target, want = req.get('host'), req.get('switch'), req.get('port')
        host = self.host(hostname)
        if target not in [s[0] for s in SWITCHES]:
            raise ValueError('unknown switch %r' % (target,))
        if want is not None and (not isinstance(want, int) or want < 1 or want > 65279):
            raise ValueError('port must be an integer 1..65279')
        with self.mn_lock:
            new_sw = self.net.get(target)
            si, old_sw = host_attachment(host)
            if old_sw is new_sw:
                raise ValueError('%s is already on %s' % (hostname, target))
            port = want if want is not None else new_sw.newPort()
            if port in new_sw.intfs:
                raise ValueError('%s port %d is in use' % (target, port))
            old_port = old_sw.ports.get(si)
            ports_before = ofports()
            run(['ovs-vsctl', '--timeout=10', 'del-port', old_sw.name, si.name], check=True)
            old_sw.delIntf(si)
            si.node = new_sw
            new_sw.addIntf(si, port=port)
            argv = ['ovs-vsctl', '--timeout=10', 'add-port', target, si.name,
                    '--', 'set', 'Interface', si.name, 'ofport_request=%d' % port]
            if not self.opts.no_rstp:
                argv += ['--', 'set', 'Port', si.name, 'other-config:rstp-port-admin-edge=true']
            run(argv, check=True)
            run(['ip', 'link', 'set', si.name, 'up'], check=True)
            ofport = ofports().get(si.name, port)
        return {'host': hostname,
                'from': {'switch': old_sw.name, 'port': ports_before.get(si.name, old_port), 'intf': si.name},
                'to': {'switch': target, 'port': ofport, 'intf': si.name}}

    def op_rstp(self, _req):
        return {'switches': rstp_state()}

    def op_ovs(self, req):
        sw = req.get('switch')
        if sw not in [s[0] for s in SWITCHES]:
            raise ValueError('unknown switch %r' % (sw,))
        args = req.get('args') or []
        if not isinstance(args, list) or not all(isinstance(a, str) for a in args) or not args:
            raise ValueError('args must be a non-empty list of strings')
        tool = req.get('tool', 'ofctl')
        has_placeholder = '{switch}' in args
        args = [sw if a == '{switch}' else a for a in args]
        if tool == 'ofctl':
            argv = ['ovs-ofctl', '-O', req.get('protocols', 'OpenFlow13')]
            argv += args if has_placeholder else [args[0], sw] + args[1:]
        elif tool == 'appctl':
            argv = ['ovs-appctl'] + (args if has_placeholder else [args[0], sw] + args[1:])
        elif tool == 'vsctl':
            argv = ['ovs-vsctl', '--timeout=10'] + args
        else:
            raise ValueError('tool must be ofctl, vsctl or appctl')
        p = run(argv, timeout=timeout_s(req, 30.0))
        return {'output': p.stdout, 'stderr': p.stderr, 'exitCode': p.returncode, 'argv': argv}

    # loop ---------------------------------------------------------------------------------------
    def handle(self, req):
        rid = req.get('id') if isinstance(req, dict) else None
        try:
            if not isinstance(req, dict):
                raise ValueError('request must be a JSON object')
            op = req.get('op')
            fn = getattr(self, 'op_' + str(op), None)
            if fn is None:
                raise ValueError('unknown op %r' % (op,))
            res = fn(req)
            self.emit(dict({'id': rid, 'ok': True}, **res))
        except Exception as e:  # noqa: BLE001 - every failure becomes an answer
            log('op failed:', repr(e))
            self.emit({'id': rid, 'ok': False, 'error': '%s: %s' % (type(e).__name__, e)})

    def serve(self, stdin):
        for line in stdin:
            if self.stopping.is_set():
                break
            line = line.strip()
            if not line:
                continue
            try:
                req = json.loads(line)
            except ValueError as e:
                self.emit({'id': None, 'ok': False, 'error': 'bad JSON: %s' % e})
                continue
            if isinstance(req, dict) and req.get('op') == 'stop':
                self.emit({'id': req.get('id'), 'ok': True})
                return 'stop'
            threading.Thread(target=self.handle, args=(req,), daemon=True).start()
        return 'eof'

    def shutdown_jobs(self):
        with self.jobs_lock:
            jobs = list(self.jobs.values())
        for job in jobs:
            try:
                job.reap_group(signal.SIGKILL)
                job.proc.wait(timeout=5)
            except Exception:  # noqa: BLE001
                pass
            self.finish_job(job)
        try:
            for f in os.listdir(self.tmpdir):
                os.unlink(os.path.join(self.tmpdir, f))
            os.rmdir(self.tmpdir)
        except OSError:
            pass


def timeout_s(req, default):
    if 'timeoutMs' in req and req['timeoutMs'] is not None:
        return float(req['timeoutMs']) / 1000.0
    if 'timeout' in req and req['timeout'] is not None:
        return float(req['timeout'])
    return default


def pingall(driver, per_ping_timeout):
    """Every host pings every other host once (the hosts in parallel, targets in turn)."""
    wait = max(1, int(round(per_ping_timeout)))
    targets = [(h[0], host_ip(h[1])) for h in HOSTS]
    jobs = []
    for name, _nn, _sw, _port, _role in HOSTS:
        script = ' '.join(
            'if ping -c1 -W%d -q %s >/dev/null 2>&1; then echo "%s 1"; else echo "%s 0"; fi;'
            % (wait, ip, tname, tname) for tname, ip in targets if tname != name)
        jobs.append((name, driver.start_in_host(name, script, 'pingall')))
    results = {}
    lines = ['*** Ping: testing ping reachability']
    sent = received = 0
    for name, job in jobs:
        try:
            job.proc.wait(timeout=wait * len(targets) + 10)
        except subprocess.TimeoutExpired:
            job.reap_group(signal.SIGKILL)
            job.proc.wait()
        got = {}
        for ln in job.output().splitlines():
            parts = ln.split()
            if len(parts) == 2:
                got[parts[0]] = parts[1] == '1'
        driver.finish_job(job)
        row = {}
        cells = []
        for tname, _ip in targets:
            if tname == name:
                continue
            ok = got.get(tname, False)
            row[tname] = ok
            sent += 1
            received += 1 if ok else 0
            cells.append(tname if ok else 'X')
        results[name] = row
        lines.append('%s -> %s' % (name, ' '.join(cells)))
    loss = 0.0 if sent == 0 else round(100.0 * (sent - received) / sent, 2)
    lines.append('*** Results: %s%% dropped (%d/%d received)' % (fmt_pct(loss), received, sent))
    return {'lossPercent': loss, 'sent': sent, 'received': received, 'raw': '\n'.join(lines) + '\n',
            'results': results}


def fmt_pct(x):
    return ('%d' % x) if float(x).is_integer() else ('%.2f' % x)


# --------------------------------------------------------------------------------------------------
# main

class Terminated(BaseException):
    pass


def on_signal(signum, _frame):
    raise Terminated(signum)


def parse_args(argv):
    ap = argparse.ArgumentParser(description='Vigil lab fabric (Mininet, userspace OVS)')
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument('--driver', action='store_true', help='JSON-lines driver on stdin/stdout')
    mode.add_argument('--cli', action='store_true', help='Mininet CLI (default)')
    mode.add_argument('--cleanup', action='store_true', help='only remove leftovers of an earlier run')
    ap.add_argument('--controller', choices=['remote', 'none'], default='remote',
                    help='configure the remote controller (default) or none at all')
    ap.add_argument('--controller-ip', default=os.environ.get('VIGIL_OPENFLOW_HOST', '127.0.0.1'))
    ap.add_argument('--controller-port', type=int, default=int(os.environ.get('VIGIL_OPENFLOW_PORT', '6653')))
    ap.add_argument('--fail-mode', choices=['secure', 'standalone'], default='secure')
    ap.add_argument('--protocols', default='OpenFlow13,OpenFlow15',
                    help='OpenFlow versions the bridges speak (selection_method needs OpenFlow15)')
    ap.add_argument('--wait-connected', type=float, default=0.0, metavar='SECONDS',
                    help='wait up to SECONDS for every switch to connect to the controller (0: do not wait)')
    ap.add_argument('--require-connected', action='store_true',
                    help='fail the start when --wait-connected times out')
    ap.add_argument('--no-rstp', action='store_true', help='do not enable RSTP (the triangle is then a loop!)')
    ap.add_argument('--verbose', action='store_true', help='Mininet info logging on stderr')
    return ap.parse_args(argv)


def main(argv):
    opts = parse_args(argv)
    # JSON answers go to the real stdout; everything else (Mininet, child processes) to stderr.
    json_out = os.fdopen(os.dup(1), 'w', buffering=1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr

    try:
        import mininet.net  # noqa: F401
    except ImportError:
        msg = 'Mininet is not importable by %s: run this script with /usr/bin/python3' % sys.executable
        json_out.write(json.dumps({'ready': False, 'error': msg}) + '\n')
        log(msg)
        return 2
    from mininet.log import setLogLevel
    setLogLevel('info' if opts.verbose else ('warning' if opts.driver or opts.cleanup else 'output'))

    for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(s, on_signal)

    def fail(msg, code=1):
        log(msg)
        if opts.driver:
            try:
                json_out.write(json.dumps({'ready': False, 'error': msg}) + '\n')
                json_out.flush()
            except OSError:
                pass
        return code

    if not ovs_answers():
        return fail('Open vSwitch is not answering (ovs-vsctl show failed): run lab/ovs start')

    lock = None
    net = None
    driver = None
    state = None
    rc = 0
    try:
        lock = FabricLock()
        for a in reconcile_leftovers('start' if not opts.cleanup else 'clean up'):
            log(a)
        if opts.cleanup:
            return 0
        state = StateFile()
        state.write()
        t0 = time.time()
        net = build_net(opts)
        net.build()
        for h in net.hosts:
            state.add_proc(h.pid, 'host-shell')
        for s in net.switches + net.controllers:
            if s.pid:
                state.add_proc(s.pid, 'node-shell')
        net.start()
        disable_offloads(net)
        for name, _dpid, _prio in SWITCHES:
            if bridge_marker(name) != LAB_MARKER_VALUE:
                raise RuntimeError('bridge %s did not come up with its lab marker' % name)
        not_connected = []
        if opts.wait_connected > 0 and net.controllers:
            not_connected = wait_connected(net, opts.wait_connected)
            if not_connected:
                log('not connected to the controller after %ss: %s' % (opts.wait_connected, ' '.join(not_connected)))
                if opts.require_connected:
                    raise RuntimeError('switches not connected to the controller: %s' % ' '.join(not_connected))
        startup = round(time.time() - t0, 3)
        log('fabric up in %.2fs (fail mode %s, controller %s)'
            % (startup, opts.fail_mode, 'none' if not net.controllers else
               '%s:%d' % (opts.controller_ip, opts.controller_port)))
        if opts.driver:
            driver = Driver(net, opts, state, json_out)
            d = dump(net, opts)
            d.update({'ready': True, 'pid': os.getpid(), 'startupSeconds': startup, 'notConnected': not_connected})
            driver.emit(d)
            why = driver.serve(sys.stdin)
            log('driver: %s' % why)
        else:
            from mininet.cli import CLI
            for h in dump(net, opts)['hosts']:
                log('%-9s %-10s %s  %s port %d' % (h['name'], h['ip'], h['mac'], h['switch'], h['port']))
            log('RSTP converges a few seconds after start; "exit" stops the fabric')
            CLI(net)
    except Refused as e:
        rc = fail(str(e), 3)
    except Terminated as e:
        log('terminated by signal %s' % e.args[0])
        rc = 128 + int(e.args[0])
    except Exception as e:  # noqa: BLE001
        traceback.print_exc()
        rc = fail('%s: %s' % (type(e).__name__, e))
    finally:
        # from here on, signals must not interrupt the cleanup
        for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(s, signal.SIG_IGN)
        if driver is not None:
            driver.stopping.set()
            driver.shutdown_jobs()
        if net is not None:
            try:
                net.stop()
            except Exception:  # noqa: BLE001
                traceback.print_exc()
        if lock is not None and state is not None:
            try:
                for a in reconcile_leftovers('clean up'):
                    log('after stop: ' + a)
                if state is not None:
                    for p in list(state.data['procs']):
                        kill_recorded(p['pid'], p['start'])
                StateFile.clear()
            except Exception:  # noqa: BLE001
                traceback.print_exc()
                rc = rc or 1
        if lock is not None:
            lock.release()
        if opts.driver and net is not None:
            try:
                json_out.write(json.dumps({'stopped': True, 'exitCode': rc}) + '\n')
                json_out.flush()
            except OSError:
                pass
    return rc


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
