#!/usr/bin/env python3
"""Runs each named command N times, alternating (the order rotates every round), and prints median/min/max
whole-process CPU (user+sys of the child, from wait4's rusage) and wall time, plus the load average.
Usage: measure.py ROUNDS name=command [name=command ...]   (each command is run through /bin/sh -c ... exec)."""
import os, statistics, subprocess, sys, time

def run(command):
    start = time.perf_counter()
    process = subprocess.Popen(["/bin/sh", "-c", "exec " + command], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    error = process.stderr.read().decode(errors="replace")
    process.stderr.close()
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit(f"measure.py: '{command}' exited {code}: {error.strip()}")
    return (usage.ru_utime + usage.ru_stime) * 1000, wall * 1000

def main():
    rounds = int(sys.argv[1])
    commands = [arg.split("=", 1) for arg in sys.argv[2:]]
    for _, command in commands:  # one unmeasured warm-up each: page cache, server-side caches
        run(command)
    cpu = {name: [] for name, _ in commands}
    wall = {name: [] for name, _ in commands}
    load_before = os.getloadavg()
    for i in range(rounds):
        order = commands[i % len(commands):] + commands[:i % len(commands)]
        for name, command in order:
            c, w = run(command)
            cpu[name].append(c)
            wall[name].append(w)
    load_after = os.getloadavg()
    print(f"rounds: {rounds}, order rotating; load average (1/5/15 min) before {load_before[0]:.2f}/{load_before[1]:.2f}/{load_before[2]:.2f}, "
          f"after {load_after[0]:.2f}/{load_after[1]:.2f}/{load_after[2]:.2f}; nproc {os.cpu_count()}")
    print()
    print("| command | CPU user+sys median | CPU min–max | wall median | wall min–max |")
    print("| --- | --- | --- | --- | --- |")
    for name, _ in commands:
        c, w = cpu[name], wall[name]
        print(f"| {name} | {statistics.median(c):.0f} ms | {min(c):.0f}–{max(c):.0f} ms | {statistics.median(w):.0f} ms | {min(w):.0f}–{max(w):.0f} ms |")

if __name__ == "__main__":
    main()
