using DataCenterTwin.Kernel.Random;

namespace DataCenterTwin.Model.Compute.Dispatch;

/// <summary>
/// Chooses the replica of a pool that receives a request. Called once per request; it must not
/// allocate. Adding a policy is one file implementing this.
/// </summary>
public interface IDispatchPolicy
{
    /// <summary>The index of the chosen replica in <paramref name="replicas"/>, or −1 if none can take it.</summary>
    int Select(IReplicaSet replicas, int promptTokens, int outputTokens, RandomStream rng);
}

/// <summary>What a dispatch policy sees of a pool's replicas (indices 0..Count − 1 within the pool).</summary>
public interface IReplicaSet
{
    /// <summary>Replicas in the pool.</summary>
    int Count { get; }

    /// <summary>The pool's maximum running batch per replica.</summary>
    int MaxBatch { get; }

    /// <summary>Whether the replica can take work (its clocks are not stopped).</summary>
    bool IsAvailable(int replica);

    /// <summary>Requests assigned to the replica and not finished (queued and running).</summary>
    int OutstandingRequests(int replica);

    /// <summary>Tokens still to process on the replica: prompts not yet prefilled plus outputs not yet generated.</summary>
    long OutstandingTokens(int replica);

    /// <summary>The temperature the thermal model last published for the replica's rack, °C.</summary>
    double RackTemperatureC(int replica);

    /// <summary>The replica's rack (hall index).</summary>
    int Rack(int replica);
}
