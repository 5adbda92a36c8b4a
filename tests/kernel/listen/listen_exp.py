# listen_exp.py - one listener experiment on the real kernel (run by listen_run.sh inside a
# namespace): listen(BACKLOG), N clients connecting at once from ports 40001.., their pure ACKs
# dropped by nftables for the first DROP_ACK_SECS (DROP_SPORTS: only these ports), data sent at
# DATA_AT, accept from ACCEPT_AT on, everything logged with times.  Env: CLI_RCVBUF, CLI_MAXSEG
# (comma list, one per client), SS=1 (ss -tin of the server's sockets at the end).  The results
# are in docs/scenario-language.md ("Listeners as Linux 6.18 puts them on the wire").
# listen_exp.py BACKLOG DROP_ACK_SECS ACCEPT_AT DATA_AT NCLIENTS END
import socket, sys, time, subprocess, threading, select, os
bl, drop, acc_at, data_at, n, end = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5]), float(sys.argv[6])
def nft(cmd): subprocess.run("nft " + cmd, shell=True, check=True)
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 8080)); s.listen(bl)
if drop > 0:
    nft("add table inet k"); nft("add chain inet k o '{ type filter hook output priority 0; }'")
    import os; sp = os.environ.get("DROP_SPORTS", "")
    nft("add rule inet k o tcp dport 8080 " + ("tcp sport { %s } " % sp if sp else "") + "'tcp flags & (fin|syn|rst|psh|ack) == ack' counter drop")
t0 = time.time()
def log(*a): print("%7.3f" % (time.time()-t0), *a, flush=True)
cl = []
for i in range(n):
    c = socket.socket(); c.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if os.environ.get("CLI_RCVBUF"): c.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, int(os.environ["CLI_RCVBUF"]))
    if os.environ.get("CLI_MAXSEG"): c.setsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG, int(os.environ["CLI_MAXSEG"].split(",")[i]))
    c.bind(("127.0.0.1", 40001+i)); c.setblocking(False)
    try: c.connect(("127.0.0.1", 8080))
    except BlockingIOError: pass
    cl.append(c)
state = ["pending"]*n
acc = []
dropped_off = drop <= 0; sent = False; accepted = False
while time.time()-t0 < end:
    now = time.time()-t0
    if not dropped_off and now >= drop:
        nft("delete table inet k"); dropped_off = True; log("ACK drop rule removed")
    for i, c in enumerate(cl):
        if state[i] == "pending":
            r = select.select([], [c], [], 0)[1]
            if r:
                e = c.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                state[i] = "connected" if e == 0 else "err %d" % e; log("client", i, state[i])
    if not sent and now >= data_at:
        for i, c in enumerate(cl):
            if state[i] == "connected":
                try: c.send(b"from %d" % i)
                except Exception as ex: log("send", i, ex)
        sent = True; log("clients sent data")
    if now >= acc_at:
        s.setblocking(False)
        try:
            a, addr = s.accept(); a.setblocking(False); acc.append(a); log("accepted", addr)
        except BlockingIOError: pass
    for a in acc:
        try:
            d = a.recv(100)
            if d: log("read", a.getpeername(), d)
        except BlockingIOError: pass
        except Exception as ex: log("read err", ex)
    for i, c in enumerate(cl):
        if state[i] == "connected":
            try:
                d = c.recv(100)
                log("client", i, "read", d); state[i] = "eof" if d == b"" else state[i]
            except BlockingIOError: pass
            except Exception as ex: log("client", i, "err", ex); state[i] = "dead"
    time.sleep(0.005)
if os.environ.get("SS"): print(subprocess.run("ss -tin state established '( sport = :8080 )'", shell=True, capture_output=True, text=True).stdout, flush=True)
log("end", state)
