#!/usr/bin/env python3
"""Drives a live DataCenterTwin session over gRPC from Python, end to end.

Uses only Debian's python3-grpcio and stubs generated here from the repository's protos (with
protoc and grpc_python_plugin from protobuf-compiler-grpc, or python3-grpc-tools). It creates a
session of the `quick` reference scenario, runs half a day at full speed, injects demand response,
switches the hybrid chiller to gas, reads the freed electrical capacity from a snapshot, streams
telemetry, checkpoints, restores into a new session and forks another, runs all three to the end of
the day and checks that they agree. Prints a transcript; exits 1 when a check fails.

    python3 tools/clients/python/dctwin_client.py --address 127.0.0.1:50051 [--token TOKEN]
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
PROTOS = os.path.normpath(os.path.join(HERE, "..", "..", "..", "src", "DataCenterTwin.Service", "Protos"))
PROTO = "datacentertwin/v1/twin.proto"


def generate_stubs(out):
    """Generates twin_pb2.py and twin_pb2_grpc.py into `out` with whichever compiler Debian gave us."""
    os.makedirs(out, exist_ok=True)
    includes = [d for d in ("/usr/include",) if os.path.exists(os.path.join(d, "google/protobuf/field_mask.proto"))]
    plugin = shutil.which("grpc_python_plugin")
    if shutil.which("protoc") and plugin:
        cmd = ["protoc", f"-I{PROTOS}"] + [f"-I{d}" for d in includes] + [
            f"--python_out={out}", f"--grpc_python_out={out}", f"--plugin=protoc-gen-grpc_python={plugin}", PROTO]
    else:
        cmd = [sys.executable, "-m", "grpc_tools.protoc", f"-I{PROTOS}"] + [f"-I{d}" for d in includes] + [
            f"--python_out={out}", f"--grpc_python_out={out}", PROTO]
    subprocess.run(cmd, check=True, cwd=PROTOS)
    sys.path.insert(0, out)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--address", default="127.0.0.1:50051")
    parser.add_argument("--token", default=os.environ.get("DCTWIN_TOKEN"))
    parser.add_argument("--stubs", default=None, help="folder for the generated stubs (default: a temporary one)")
    args = parser.parse_args()

    generate_stubs(args.stubs or tempfile.mkdtemp(prefix="dctwin-stubs-"))
    import grpc
    from datacentertwin.v1 import twin_pb2 as pb
    from datacentertwin.v1 import twin_pb2_grpc as rpc

    channel = grpc.insecure_channel(args.address)
    grpc.channel_ready_future(channel).result(timeout=60)
    md = [("authorization", f"Bearer {args.token}")] if args.token else None
    sessions, run = rpc.SessionsStub(channel), rpc.RunControlStub(channel)
    state, controls = rpc.StateStub(channel), rpc.ControlsStub(channel)
    streams, checkpoints = rpc.StreamsStub(channel), rpc.CheckpointsStub(channel)
    failures = []

    def check(ok, what):
        print(("ok    " if ok else "FAIL  ") + what)
        if not ok:
            failures.append(what)

    def show(info):
        return f"{info.session_id} {pb.SessionState.Name(info.state)} at {info.sim_time_s / 3600:.2f} h"

    s = sessions.CreateSession(pb.CreateSessionRequest(scenario_name="quick"), metadata=md)
    print("created", show(s), f"horizon {s.horizon_s / 3600:.0f} h, step {s.control_step_s:.0f} s")
    sid = s.session_id

    # Telemetry every simulated hour, read on another thread while the twin runs.
    received = []
    # A buffer of 64: this reader wants every hour, not the dashboard's latest-wins slot (the default).
    telemetry = streams.StreamTelemetry(pb.TelemetryRequest(session_id=sid, every_sim_s=3600, buffer_messages=64), metadata=md)

    def read():
        try:
            for m in telemetry:
                received.append(m)
        except grpc.RpcError as e:
            if e.code() != grpc.StatusCode.CANCELLED:
                raise

    telemetry.initial_metadata()  # the server sends its headers once the stream is subscribed
    reader = threading.Thread(target=read, daemon=True)
    reader.start()

    s = run.RunUntil(pb.RunUntilRequest(session_id=sid, sim_time_s=12 * 3600), metadata=md)
    print("ran to noon at full speed:", show(s), f"({s.wall_time_s:.2f} s wall)")
    check(s.state == pb.SESSION_STATE_PAUSED and abs(s.sim_time_s - 43200) < 1e-6, "paused at 12 h")

    r = controls.InjectEvent(pb.EventRequest(session_id=sid, kind=pb.EVENT_KIND_DEMAND_RESPONSE, at_now=True,
                                             duration_s=2 * 3600, magnitude_w=20e3), metadata=md)
    print(f"demand response -20 kW for 2 h from {r.applies_at_s / 3600:.2f} h")
    r = controls.ApplyControl(pb.ControlRequest(session_id=sid, kind=pb.CONTROL_KIND_CHILLER_MODE, target="hybrid-1",
                                                mode=pb.CHILLER_MODE_GAS, at_now=True), metadata=md)
    print(f"hybrid-1 held on gas from {r.applies_at_s / 3600:.2f} h")
    try:
        controls.ApplyControl(pb.ControlRequest(session_id=sid, kind=pb.CONTROL_KIND_CHILLER_MODE, target="chiller-2",
                                                mode=pb.CHILLER_MODE_GAS, at_now=True), metadata=md)
        check(False, "an electric chiller refuses gas")
    except grpc.RpcError as e:
        check(e.code() == grpc.StatusCode.INVALID_ARGUMENT, f"an electric chiller refuses gas: {e.code().name}: {e.details()}")

    s = run.Step(pb.StepRequest(session_id=sid, duration_s=3600), metadata=md)
    snap = state.GetSnapshot(pb.SnapshotRequest(session_id=sid, field_mask={"paths": ["facility", "plant"]}), metadata=md)
    f = snap.facility
    print(f"at {snap.sim_time_s / 3600:.2f} h: IT {f.it_power_w / 1e3:.1f} kW, facility {f.total_power_w / 1e3:.1f} kW, "
          f"PUE {f.pue:.3f}, freed {f.freed_capacity_w / 1e3:.1f} kW, gas {f.gas_power_w / 1e3:.1f} kW")
    for c in snap.plant.chillers:
        print(f"  {c.name}: {c.mode}, load {c.load_w / 1e3:.1f} kW, electric {c.electric_power_w / 1e3:.1f} kW, fuel {c.fuel_power_w / 1e3:.1f} kW")
    check(f.freed_capacity_w > 0, f"freed capacity above zero ({f.freed_capacity_w:.0f} W)")
    check(len(snap.racks) == 0, "the field mask left the racks out")

    chunks = list(checkpoints.Checkpoint(pb.CheckpointRequest(session_id=sid), metadata=md))
    size = sum(len(c.data) for c in chunks)
    print(f"checkpoint: {size} bytes in {len(chunks)} chunk(s)")
    data = pb.CheckpointData.FromString(b"".join(c.data for c in chunks))
    check(len(data.twin_checkpoint) > 0 and data.sim_time_us == round(s.sim_time_s * 1e6),
          f"the checkpoint carries the twin's whole state ({len(data.twin_checkpoint)} bytes of TwinCheckpoint) at the session's time")
    restored = checkpoints.Restore(iter(chunks), metadata=md)
    print("restored", show(restored))
    forked = checkpoints.Fork(pb.ForkRequest(session_id=sid), metadata=md)
    print("forked", show(forked))
    check(restored.sim_time_s == s.sim_time_s and forked.sim_time_s == s.sim_time_s, "the copies stand where the original does")

    finals = []
    for x in (sid, restored.session_id, forked.session_id):
        done = run.RunUntil(pb.RunUntilRequest(session_id=x, sim_time_s=s.horizon_s), metadata=md)
        snap = state.GetSnapshot(pb.SnapshotRequest(session_id=x), metadata=md)
        finals.append(snap)
        print(f"{x}: {pb.SessionState.Name(done.state)} at {done.sim_time_s / 3600:.0f} h, facility energy {snap.facility.total_energy_j / 3.6e9:.4f} MWh, "
              f"gas {snap.facility.gas_power_w / 1e3:.2f} kW")
    check(finals[0].SerializeToString() == finals[1].SerializeToString(), "restored session ends bit-identical to the original")
    check(finals[0].SerializeToString() == finals[2].SerializeToString(), "forked session ends bit-identical to the original")

    telemetry.cancel()
    reader.join(timeout=10)
    hours = [round(m.snapshot.sim_time_s / 3600) for m in received]
    print(f"telemetry: {len(received)} messages, hours {hours[:3]}...{hours[-3:]}, dropped {received[-1].dropped_messages if received else 0}")
    check(hours[:24] == list(range(1, 25)), "telemetry streamed every simulated hour of the day")

    for x in (sid, restored.session_id, forked.session_id):
        sessions.DeleteSession(pb.SessionRef(session_id=x), metadata=md)
    left = sessions.ListSessions(pb.ListSessionsRequest(), metadata=md)
    check(all(i.session_id not in (sid, restored.session_id, forked.session_id) for i in left.sessions), "sessions deleted")
    print("PASS" if not failures else f"FAILED: {len(failures)} check(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
