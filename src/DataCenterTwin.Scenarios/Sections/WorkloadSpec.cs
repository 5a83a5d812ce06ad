using DataCenterTwin.Kernel.Random;
using DataCenterTwin.Model.Workload;

namespace DataCenterTwin.Scenarios.Sections;

/// <summary>The arrival processes a class may choose (<c>arrivals.process</c>).</summary>
public enum ArrivalProcessKind
{
    /// <summary>poisson: a constant rate.</summary>
    Poisson,

    /// <summary>diurnal: non-homogeneous Poisson with hour-of-day and day-of-week shapes.</summary>
    Diurnal,

    /// <summary>mmpp: a two-state Markov-modulated Poisson process (calm and burst).</summary>
    Mmpp,

    /// <summary>trace: a recorded request trace replayed, scaled in rate.</summary>
    Trace,
}

/// <summary>How one class's requests arrive; <see cref="Create"/> builds the process on its own random stream.</summary>
/// <param name="Process">The kind of process.</param>
/// <param name="RatePerS">Mean arrival rate, requests/s (for a trace: the rate it is scaled to).</param>
/// <param name="Hourly">Diurnal: 24 hour-of-day multipliers, mean 1.</param>
/// <param name="Weekly">Diurnal: 7 day-of-week multipliers, mean 1 (day 0 is the start day).</param>
/// <param name="BurstRatio">MMPP: burst rate over calm rate.</param>
/// <param name="MeanCalmS">MMPP: mean calm period, s.</param>
/// <param name="MeanBurstS">MMPP: mean burst, s.</param>
/// <param name="Trace">Trace: the requests replayed.</param>
/// <param name="Copies">Trace: superposed copies (the rest of the scaling is time compression).</param>
public sealed record ArrivalSpec(ArrivalProcessKind Process, double RatePerS, double[] Hourly, double[] Weekly, double BurstRatio, double MeanCalmS,
    double MeanBurstS, RequestTrace? Trace, int Copies)
{
    /// <summary>The same process at <paramref name="factor"/> times the rate: a dispatch group's share of a Poisson-family class (<see cref="Model.Compute.DispatchGroups"/>).</summary>
    /// <exception cref="InvalidOperationException">The process is not poisson or diurnal: thinning it would not give independent processes of the same kind.</exception>
    public ArrivalSpec Scaled(double factor) => Process is ArrivalProcessKind.Poisson or ArrivalProcessKind.Diurnal
        ? this with { RatePerS = RatePerS * factor }
        : throw new InvalidOperationException($"A {Process} arrival process cannot be split by dispatch groups.");

    /// <summary>Builds the arrival process.</summary>
    public IArrivalProcess Create(RandomStream rng)
    {
        switch (Process)
        {
            case ArrivalProcessKind.Diurnal:
                return new DiurnalPoissonArrivals(RatePerS, Hourly, Weekly, rng);
            case ArrivalProcessKind.Mmpp:
            {
                // Calm and burst rates whose time-weighted mean is the given rate.
                double calmShare = MeanCalmS / (MeanCalmS + MeanBurstS);
                double calm = RatePerS / (calmShare + ((1 - calmShare) * BurstRatio));
                return new MmppArrivals(calm, calm * BurstRatio, MeanCalmS, MeanBurstS, rng);
            }

            case ArrivalProcessKind.Trace:
            {
                double speedUp = RatePerS / (Trace!.MeanRatePerS * Copies);
                return new TraceReplayArrivals(Trace, speedUp, Copies, loop: true);
            }

            default:
                return new PoissonArrivals(RatePerS, rng);
        }
    }
}

/// <summary>A request class and how its requests arrive.</summary>
/// <param name="Class">Model, token distributions, SLO.</param>
/// <param name="Arrivals">Arrival process.</param>
public sealed record ClassWorkload(RequestClass Class, ArrivalSpec Arrivals);

/// <summary>The workload: request classes in priority order (first is highest; shedding takes the last), and training jobs.</summary>
/// <param name="Classes">Request classes.</param>
/// <param name="TrainingJobs">Training jobs on the hall's training blocks.</param>
public sealed record WorkloadSpec(IReadOnlyList<ClassWorkload> Classes, IReadOnlyList<TrainingJobSpec> TrainingJobs);
