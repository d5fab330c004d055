#!/usr/bin/env python3
"""hostile-cli.py: gradscope-cli against hostile input (issue 15).

Builds damaged run files, data sets and output paths in a scratch folder,
runs the real gradscope-cli ($GS_CLI) on each, and checks every case's exit
status and the message it must print. A case that dies of a signal or
prints a sanitizer report has crashed; one that outlives its timeout has
hung; one that exits 0 where an error was due was accepted wrongly; one that
fails with another message is a wrong message. Prints the counts and exits 1
unless the last four are all zero.
"""
import base64, gzip, json, os, shutil, signal, stat, struct, subprocess, sys, tempfile, time

CLI = os.environ["GS_CLI"]
SANITIZED = os.environ.get("GS_SANITIZED", "") not in ("", "none")
TIMEOUT = 60 if SANITIZED else 20
counts = dict(tried=0, crashed=0, hung=0, accepted_wrongly=0, wrong_message=0, passed=0)


def run(args, stdin=None, timeout=TIMEOUT, preexec=None, stdout=subprocess.PIPE):
    p = subprocess.Popen([CLI] + args, stdin=stdin or subprocess.DEVNULL, stdout=stdout,
                         stderr=subprocess.PIPE, preexec_fn=preexec, start_new_session=True)
    try:
        out, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        p.communicate()
        return None, b"", b""
    return p.returncode, out or b"", err


def case(name, args, rc, message, check=None, **kw):
    """rc: the exit status due; message: a piece of stderr that must appear
    (None: no check); check: a function of (out, err) that must hold."""
    counts["tried"] += 1
    t0 = time.monotonic()
    got, out, err = run(args, **kw)
    dt = time.monotonic() - t0
    text = err.decode(errors="replace")
    verdict = "ok"
    if got is None:
        verdict = "hung"
    elif got < 0 or got >= 128 or "Sanitizer" in text or "runtime error:" in text or "CRITICAL" in text:
        verdict = "crashed"
    elif got == 0 and rc != 0:
        verdict = "accepted_wrongly"
    elif got != rc or (message is not None and message not in text) or (check and not check(out, err)):
        verdict = "wrong_message"
    counts["passed" if verdict == "ok" else verdict] += 1
    short = text.strip().replace("\n", " | ")[:160]
    print(f"{'ok  ' if verdict == 'ok' else 'FAIL'} {name}: exit {got} in {dt:.2f} s ({verdict}) {short}")


# --- Material ---------------------------------------------------------------

tmp = tempfile.mkdtemp(prefix="gs-hostile-")
os.chdir(tmp)
rc, _, err = run(["train", "--data", "builtin", "--epochs", "1", "--depth", "3", "--width", "16",
                  "--quiet", "--save", "good.gsrun"])
assert rc == 0, err
good = json.loads(gzip.decompress(open("good.gsrun", "rb").read()))


def runfile(name, doc=None, raw=None, gz=True):
    data = raw if raw is not None else json.dumps(doc).encode()
    open(name, "wb").write(gzip.compress(data) if gz else data)
    return name


def mutated(**members):
    d = json.loads(json.dumps(good))
    for k, v in members.items():
        d[k] = v
    return d


def with_hist_range(lo, hi):
    """Every histogram's range set to lo..hi (each is 4 floats, then 64 counts)."""
    d = mutated()
    h = bytearray(base64.b64decode(d["histograms"]))
    for off in range(0, len(h), 4 * 4 + 64 * 4):
        struct.pack_into("<ff", h, off, lo, hi)
    d["histograms"] = base64.b64encode(bytes(h)).decode()
    return d


n_layers = good["layers"]
runs = {
    "empty gzip": (runfile("empty.gsrun", raw=b""), "empty file"),
    "0-byte file": (runfile("zero.json", raw=b"", gz=False), "empty file"),
    "80 000 levels of nesting": (runfile("deep.json", raw=b"[" * 80000 + b"]" * 80000, gz=False),
                                 "nested deeper than"),
    "nesting inside an object": (runfile("deep2.gsrun", raw=b'{"format":' + b'{"a":' * 5000 + b"1" + b"}" * 5001),
                                 "nested deeper than"),
    "test is a string": (runfile("t1.gsrun", mutated(test="0.9")), "'test' is not an object or null"),
    "finished is a string": (runfile("t2.gsrun", mutated(finished="yes")), "'finished' is not true or false"),
    "finished is a list": (runfile("t3.gsrun", mutated(finished=[])), "'finished' is not true or false"),
    "stopped_early is 1": (runfile("t3b.gsrun", mutated(stopped_early=1)), "'stopped_early' is not true or false"),
    "seconds is a string": (runfile("t4.gsrun", mutated(seconds="fast")), "'seconds' is missing or not a number"),
    "seconds is an object": (runfile("t5.gsrun", mutated(seconds={})), "'seconds' is missing or not a number"),
    "diverged is 5": (runfile("t6.gsrun", mutated(diverged=5)), "'diverged' is not an object or null"),
    "diverged is a string": (runfile("t6b.gsrun", mutated(diverged="no")), "'diverged' is not an object or null"),
    "divergence.layer past the last": (runfile("t7.gsrun", mutated(diverged={"step": 1, "layer": n_layers + 1, "what": "loss"})),
                                       f"'layer' is {n_layers + 1}, outside 1..{n_layers}"),
    "divergence.layer 0 in version 2": (runfile("t8.gsrun", mutated(diverged={"step": 1, "layer": 0, "what": "loss"})),
                                        f"'layer' is 0, outside 1..{n_layers}"),
    "divergence.layer as a string": (runfile("t9.gsrun", mutated(diverged={"step": 1, "layer": "2", "what": "loss"})),
                                     "'layer' is missing or not a whole number"),
    "version is a string": (runfile("t10.gsrun", mutated(version="2")), "'version' is missing or not a whole number"),
    "dataset is a number": (runfile("t11.gsrun", mutated(dataset=3)), "'dataset' is missing or not a string"),
    "epochs is an object": (runfile("t12.gsrun", mutated(epochs={})), "'epochs' is missing or not a list"),
    "config value is a number": (runfile("t13.gsrun", mutated(config=dict(good["config"], depth=3))),
                                 "'depth' is missing or not a string"),
    "test.loss is a string": (runfile("t14.gsrun", mutated(test={"loss": "x", "accuracy": 0.5})),
                              "'loss' is missing or not a number"),
    "gzip garbage": (runfile("garbage.gsrun", raw=None, gz=False) if False else None, None),
}
del runs["gzip garbage"]
os.mkfifo("fifo.gsrun")
runs["a FIFO"] = ("fifo.gsrun", "FIFO")
runs["/dev/zero"] = ("/dev/zero", "device")
with open("sparse.json", "wb") as f:
    f.truncate(2 << 30)
runs["a sparse 2 GB file"] = ("sparse.json", "more than the limit")
os.symlink("loop-b.gsrun", "loop-a.gsrun")
os.symlink("loop-a.gsrun", "loop-b.gsrun")
runs["a symlink loop"] = ("loop-a.gsrun", "symlink loop")
runs["a missing file"] = ("missing.gsrun", "does not exist")

v1 = mutated(version=1, diverged={"step": 1, "layer": n_layers, "what": "loss"})
# version 1 wrote "stages", counted from 0, where version 3 writes "phases"
v1["stages"] = [{"step": ph["step"], "stage": ph["stage"], "active_depth": ph["hidden_layers"],
                 "lowest_trainable": ph["trainable_from"] - 1} for ph in v1.pop("phases")]
runs["version 1: divergence.layer past the last (from 0)"] = (runfile("t15.gsrun", v1),
                                                            f"'layer' is {n_layers}, outside 0..{n_layers - 1}")
for name, (path, msg) in runs.items():
    if os.path.exists("x.png"):
        os.unlink("x.png")  # so one wrongly accepted export does not fail the next
    case(f"info: {name}", ["info", path], 1, msg)
    case(f"export: {name}", ["export", "--run", path, "--figure", "heatmap", "--out", "x.png"], 1, msg,
         check=lambda o, e: not os.path.exists("x.png"))

# lo > hi: narrow panels write the range in words (range_note), where a
# negative step once indexed superscripts[-3] (UBSan: halt_on_error)
for lo, hi in ((5, -3), (3, -3), (1, -1), (0.5, -0.5), (0, -4), (4, 0)):
    runfile("lohi.gsrun", with_hist_range(lo, hi))
    for fig, w in (("histograms", 400), ("histograms", 1600), ("dashboard", 800)):
        case(f"export: histograms of range {lo}..{hi} ({fig}, {w} px)",
             ["export", "--run", "lohi.gsrun", "--figure", fig, "--width", str(w), "--height", "300",
              "--out", f"lohi-{fig}.png"], 0, None)

# --- Data sets --------------------------------------------------------------


def idx(path, magic_dims, dims, payload, gz=False):
    data = struct.pack(">I", 0x800 | magic_dims) + b"".join(struct.pack(">I", d) for d in dims) + payload
    open(path, "wb").write(gzip.compress(data) if gz else data)


def dataset(d, n=60, m=20):
    os.makedirs(d, exist_ok=True)
    idx(f"{d}/train-images-idx3-ubyte", 3, (n, 28, 28), bytes(range(256)) * (n * 784 // 256) + bytes(n * 784 % 256))
    idx(f"{d}/train-labels-idx1-ubyte", 1, (n,), bytes(i % 10 for i in range(n)))
    idx(f"{d}/t10k-images-idx3-ubyte", 3, (m, 28, 28), bytes(m * 784))
    idx(f"{d}/t10k-labels-idx1-ubyte", 1, (m,), bytes(i % 10 for i in range(m)))
    return d


train = ["train", "--epochs", "1", "--depth", "2", "--width", "8", "--quiet"]
case("data: a valid folder trains", train + ["--data", dataset("ds-ok")], 0, None)
case("data: --data ''", train + ["--data", ""], 1, "an empty data folder name")
os.symlink("dloop-b", "dloop-a")
os.symlink("dloop-a", "dloop-b")
case("data: a folder that is a symlink loop", train + ["--data", "dloop-a"], 1, "symlink loop")
case("data: a missing folder", train + ["--data", "nowhere"], 1, "folder not found")
case("data: a file, not a folder", train + ["--data", "good.gsrun"], 1, "not a folder")
d = dataset("ds-fifo")
os.unlink(f"{d}/train-images-idx3-ubyte")
os.mkfifo(f"{d}/train-images-idx3-ubyte")
case("data: a FIFO as the images", train + ["--data", d], 1, "FIFO")
d = dataset("ds-zero")
os.unlink(f"{d}/train-images-idx3-ubyte")
os.symlink("/dev/zero", f"{d}/train-images-idx3-ubyte")
case("data: /dev/zero as the images", train + ["--data", d], 1, "device")
d = dataset("ds-sparse")
with open(f"{d}/train-images-idx3-ubyte", "wb") as f:
    f.truncate(2 << 30)
case("data: a sparse 2 GB file of zeros", train + ["--data", d], 1, "in the magic number", timeout=5)
d = dataset("ds-sparse2")
with open(f"{d}/train-images-idx3-ubyte", "r+b") as f:
    f.write(struct.pack(">IIII", 0x803, 60000, 28, 28))
    f.truncate(2 << 30)
case("data: a sparse 2 GB file with a 60 000-image header", train + ["--data", d], 1, "trailing data", timeout=5)
d = dataset("ds-loop")
os.unlink(f"{d}/train-labels-idx1-ubyte")
os.symlink("train-labels-idx1-ubyte", f"{d}/train-labels-idx1-ubyte")
case("data: a file that is a symlink loop", train + ["--data", d], 1, "symlink loop")
d = dataset("ds-dir")
os.unlink(f"{d}/t10k-labels-idx1-ubyte")
os.mkdir(f"{d}/t10k-labels-idx1-ubyte")
case("data: a folder as the labels", train + ["--data", d], 1, "it is a folder")
d = dataset("ds-noread")
os.chmod(d, 0)


def as_nobody():
    if os.getuid() == 0:
        os.setgroups([])
        os.setgid(65534)
        os.setuid(65534)


os.chmod(tmp, 0o755)
case("data: an unreadable folder", train + ["--data", os.path.abspath(d)], 1, "permission denied", preexec=as_nobody)
os.chmod(d, 0o755)
case("data: --data builtin warns of nothing", train + ["--data", "builtin"], 0, None,
     check=lambda o, e: b"no Fashion-MNIST" not in e)

# --- Output paths -------------------------------------------------------------

small = ["train", "--data", "builtin", "--epochs", "1", "--depth", "2", "--width", "8", "--quiet"]
# --- Changes during the run (--at, --at-epoch) ---------------------------------

case("--at ''", small + ["--at", ""], 1, "--at '': expected STEP:OPTION=VALUE")
case("--at with an empty value", small + ["--at", "5:lr="], 1, "--at 5:lr=: --lr: invalid value ''")
case("--at a step past 2^64", small + ["--at", "99999999999999999999:lr=0.1"], 1, "the step must be a whole number")
case("--at a negative step", small + ["--at", "-3:lr=0.1"], 1, "the step must be a whole number")
case("--at lr=nan", small + ["--at", "2:lr=nan"], 1, "--lr: invalid value 'nan'")
case("--at lr=inf", small + ["--at", "2:lr=inf"], 1, "--lr: invalid value 'inf'")
case("--at an option name of 10 000 bytes", small + ["--at", "2:" + "x" * 10000 + "=1"], 1, "--at: a change of 10004 characters is too long")
case("--at a value of 10 000 bytes", small + ["--at", "2:lr=" + "1" * 10000], 1, "--at: a change of 10005 characters is too long")
case("--at a number too large for --lr", small + ["--at", "2:lr=1e999"], 1, "--lr: invalid value '1e999'")
case("--at the seed (not live)", small + ["--at", "2:seed=3"], 1, "--seed cannot change while a run trains")
case("--at-epoch 0", small + ["--at-epoch", "0:lr=0.1"], 1, "the epoch must be a whole number")
case("--at 300 times", small + sum((["--at", "1:lr=0.0%d" % (i % 9 + 1)] for i in range(300)), []), 1,
     "300 changes are more than a run holds")
case("--at twice at one step applies both in order", small + ["--at", "2:lr=0.1", "--at", "2:lr=0.2", "--json", "/dev/stdout"], 0, None,
     check=lambda o, e: [i["to"] for i in json.loads(o)["interventions"]] == ["0.1", "0.2"])

case("--json /dev/null stays a device", small + ["--json", "/dev/null"], 0, None,
     check=lambda o, e: stat.S_ISCHR(os.stat("/dev/null").st_mode))
case("--json /dev/stdout writes through", small + ["--json", "/dev/stdout"], 0, None,
     check=lambda o, e: json.loads(o)["steps"] > 0)
case("--save /dev/full says the disk is full", small + ["--save", "/dev/full"], 1, "No space left")
os.mkfifo("out.fifo")
case("--save onto a FIFO nobody reads", small + ["--save", "out.fifo"], 1, "a FIFO that nobody reads")
open("target.json", "w").write("old")
os.symlink("target.json", "link.json")
case("--json onto a symlink follows it", small + ["--json", "link.json"], 0, None,
     check=lambda o, e: os.path.islink("link.json") and json.load(open("target.json"))["steps"] > 0)
os.symlink("nothing-here.json", "dangling.json")
case("--json onto a dangling symlink", small + ["--json", "dangling.json"], 1, "a symbolic link to a file that does not exist")
case("--save into a missing folder, before training", small[:-1] + ["--save", "no/such/x.gsrun"], 1,
     "the folder no/such does not exist", check=lambda o, e: b"epoch" not in o)
case("--json into a missing folder, before training", small[:-1] + ["--json", "no/x.json"], 1,
     "the folder no does not exist", check=lambda o, e: b"epoch" not in o)
case("--json onto a folder", small + ["--json", "ds-ok"], 1, "it is a folder")
case("--save ''", small + ["--save", ""], 1, "an empty file name")
exp = ["export", "--run", "good.gsrun", "--figure", "heatmap"]
case("export --out /dev/null refused, not replaced", exp + ["--out", "/dev/null"], 1, "device or a FIFO",
     check=lambda o, e: stat.S_ISCHR(os.stat("/dev/null").st_mode))
case("export --out a FIFO refused", exp + ["--out", "out.fifo"], 1, "device or a FIFO")
open("fig-target.png", "w").write("old")
os.symlink("fig-target.png", "fig-link.png")
case("export --out a symlink follows it", exp + ["--out", "fig-link.png"], 0, None,
     check=lambda o, e: os.path.islink("fig-link.png") and open("fig-target.png", "rb").read(4) == b"\x89PNG")
os.mkdir("figs.d")
case("export --out DIR.d/noext is a png", exp + ["--out", "figs.d/noext"], 0, None,
     check=lambda o, e: open("figs.d/noext", "rb").read(4) == b"\x89PNG")
case("export --out ''", exp + ["--out", ""], 1, "an empty file name")
case("export --out into a missing folder", exp + ["--out", "none/x.png"], 1, "the folder none does not exist")
vid = exp + ["--width", "160", "--height", "90"]
case("export --fps 0", vid + ["--out", "v.webm", "--fps", "0"], 2, "--fps: expected a whole number from 1 to 60")
case("export --duration -1", vid + ["--out", "v.webm", "--duration", "-1"], 2, "--duration: expected seconds")
case("export --duration nan", vid + ["--out", "v.gif", "--duration", "nan"], 2, "--duration: expected seconds")
case("export --duration 1e400", vid + ["--out", "v.mp4", "--duration", "1e400"], 2, "--duration: expected")
case("export --format avi", vid + ["--out", "v.avi"], 2, "--format: unknown format 'avi'")
case("export --fps with a png", vid + ["--out", "v.png", "--fps", "10"], 2, "for webm, mp4 and gif, not png")
if os.environ.get("GS_HAVE_VIDEO") == "1":
    case("export webm --out /dev/null refused", vid + ["--out", "/dev/null", "--format", "webm"], 1,
         "device or a FIFO", check=lambda o, e: stat.S_ISCHR(os.stat("/dev/null").st_mode))
    case("export gif --out a FIFO refused", vid + ["--out", "out.fifo", "--format", "gif"], 1, "device or a FIFO")
    os.symlink("vid-target.gif", "vid-link.gif")
    open("vid-target.gif", "w").write("old")
    case("export gif --out a symlink follows it", vid + ["--out", "vid-link.gif", "--duration", "1"], 0, None,
         check=lambda o, e: os.path.islink("vid-link.gif") and open("vid-target.gif", "rb").read(6) == b"GIF89a")
    case("export mp4 --width 161", exp + ["--out", "v.mp4", "--width", "161", "--height", "90"], 2, "even width")
    case("export webm --width 9000", exp + ["--out", "v.webm", "--width", "9000", "--height", "90"], 2,
         "16 to 8192 px")
    case("export gif --steps-per-frame 1 of 600 minutes", vid + ["--out", "v.gif", "--steps-per-frame", "2147483647"],
         0, None, check=lambda o, e: open("v.gif", "rb").read(6) == b"GIF89a")
    case("export webm into a folder it may not write", vid + ["--out", "/proc/v.webm"], 1, "/proc/v.webm")

# --- Messages -----------------------------------------------------------------

case("train --quiet=yes", small[:-1] + ["--quiet=yes"], 2, "--quiet takes no value")
case("train --no-probes=1", small + ["--no-probes=1"], 2, "--no-probes takes no value")
case("export --help", ["export", "--help"], 0, None, check=lambda o, e: o.startswith(b"Usage: gradscope-cli export"))
case("info --help", ["info", "--help"], 0, None, check=lambda o, e: o.startswith(b"Usage: gradscope-cli info"))
case("info --bogus", ["info", "--bogus"], 2, "Usage: gradscope-cli info")
case("a 131 000-character --grid value", ["sweep", "--dry-run", "--grid", "depth=" + "x" * 131000], 1,
     "characters cut", check=lambda o, e: len(e) < 1000)
case("export --width 20000", exp + ["--out", "w.png", "--width", "20000"], 2, "from 16 to 16384")
case("export --width 16384 is drawn", exp + ["--out", "w.svg", "--width", "16384", "--height", "16"], 0, None)
with open("/dev/full", "w") as full:
    case("info >/dev/full", ["info", "good.gsrun"], 1, "cannot write the output", stdout=full)
case("train of the largest network and batch: more than any machine has",
     ["train", "--data", "builtin", "--quiet", "--width", "4096", "--depth", "64", "--batch-size", "65536"], 1,
     "but this process may have")
if not SANITIZED:  # ASan maps terabytes of shadow: no address-space limit lets it start
    import resource
    case("train --width 4096 --depth 8 --batch-size 12288 under ulimit -v 3 GB",
         ["train", "--data", "builtin", "--quiet", "--width", "4096", "--depth", "8", "--batch-size", "12288"], 1,
         "but this process may have 2.", preexec=lambda: resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30)))
    for mb in (150, 300, 450):
        case(f"ulimit -v {mb} MB: fails fast, no hang in OpenBLAS", ["presets"],
             1 if mb < 400 else 0, "address-space limit" if mb < 400 else None, timeout=10,
             preexec=lambda mb=mb: resource.setrlimit(resource.RLIMIT_AS, (mb << 20, mb << 20)))

# --- Signals during a save ------------------------------------------------------

for sig in (signal.SIGTERM, signal.SIGINT):
    counts["tried"] += 1
    left, caught = [], 0
    for attempt in range(8):
        name = f"sig{sig}-{attempt}.gsrun"
        p = subprocess.Popen([CLI] + small + ["--save", name, "--epochs", "40"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # wait for the temporary of the save, then signal in the middle of it
        t0 = time.monotonic()
        while time.monotonic() - t0 < TIMEOUT and p.poll() is None:
            if any(f.startswith(name + ".") for f in os.listdir(".")):
                caught += 1
                break
        p.send_signal(sig)
        p.wait(timeout=TIMEOUT)
        left += [f for f in os.listdir(".") if f.startswith(name + ".")]
    # a signal that never landed during a save proves nothing: at least one must
    ok = not left and caught > 0
    counts["passed" if ok else "wrong_message"] += 1
    print(f"{'ok  ' if ok else 'FAIL'} {signal.Signals(sig).name} during --save leaves no temporary: "
          f"{caught} of 8 signals sent while the temporary existed; left behind: {left}")

shutil.rmtree(tmp, ignore_errors=True)
print("\nhostile-cli: {tried} cases tried, {passed} passed; crashed {crashed}, hung {hung}, "
      "accepted wrongly {accepted_wrongly}, wrong message {wrong_message}".format(**counts))
sys.exit(0 if counts["passed"] == counts["tried"] else 1)
