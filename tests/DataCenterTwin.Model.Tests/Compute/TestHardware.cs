using DataCenterTwin.Kernel;
using DataCenterTwin.Model.Compute;
using DataCenterTwin.Model.Compute.Dispatch;
using DataCenterTwin.Model.Metrics;
using DataCenterTwin.Model.Workload;

namespace DataCenterTwin.Model.Tests.Compute;

/// <summary>
/// Inline hardware for the tests: H100 SXM (busy power from the H100 fit by default; Splitwise phase
/// powers as references; no roofline ridge, so step times scale wholly with the clock, as the
/// timing tests were worked) and Llama-2-70B on 8 H100s.
/// </summary>
internal static class TestHardware
{
    public static readonly AcceleratorSpec H100 = new("H100-SXM", 700, 75, 700, 380, 80e9);

    public static readonly ServerSpec Dgx = new("DGX-H100", H100, 8, 0);

    /// <summary>Medians of ../shared/data/llm-perf/splitwise_perf_model.csv, llama2-70b on h100-80gb, TP 8 (ms → s).</summary>
    public static readonly ServingProfile Llama70BProfile = new(
        "llama2-70b", "H100-SXM", 8,
        [128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768],
        [0.05818541598273441, 0.05165851098718122, 0.053385632985737175, 0.07791327801533043, 0.1367973550222814,
         0.3902908279560506, 0.844885271973908, 1.550, 2.9363297179806978],
        [1, 2, 4, 8, 16, 32, 64],
        [0.02976191055082793, 0.030261650697995474, 0.031786187365376133, 0.032503755986837184, 0.034166309252879984, 0.03861935059888303, 0.05016084560871447],
        512,
        [128, 256, 512, 1024, 2048, 4096, 8192],
        [0.02987266007185672, 0.028266553230323336, 0.029761910550827967, 0.029740288456274914, 0.03104783789260225, 0.03056068584097432, 0.031412473946212117],
        "test");

    public static readonly ServingModel Llama70B = new(Llama70BProfile);

    public static PoolSpec Pool(int racks = 1, int serversPerRack = 1, BatchingSpec? batching = null, AdmissionSpec? admission = null,
        DispatchKind dispatch = DispatchKind.LeastWork, int tp = 8, ServerSpec? server = null) =>
        new("pool", server ?? Dgx, serversPerRack, 0, racks, "llama2-70b", Llama70B, tp, batching ?? new BatchingSpec(),
            admission ?? AdmissionSpec.AcceptAll, dispatch);

    public static RequestClass Chat(SloSpec? slo = null, int prompt = 512, int output = 128) =>
        new("chat", "llama2-70b", TokenDistribution.Fixed(prompt), TokenDistribution.Fixed(output), slo ?? new SloSpec());

    public static ComputeHall Hall(Simulator sim, PoolSpec pool, RequestClass? cls = null, IRequestSink? sink = null) =>
        new(sim, new ComputeHallSpec(pool.RackCount, [pool], [cls ?? Chat()]), sink);
}

internal sealed class ListSink : IRequestSink
{
    public List<RequestRecord> Records { get; } = [];

    public void OnFinished(in RequestRecord record) => Records.Add(record);
}
