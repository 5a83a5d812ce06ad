namespace DataCenterTwin.Model.Twin;

/// <summary>What kind of thing happened, for the event log.</summary>
public enum TwinEventKind
{
    /// <summary>A scheduled or injected site event (curtailment, demand response, outage, heat wave, failure) began.</summary>
    EventStart,

    /// <summary>A site event ended.</summary>
    EventEnd,

    /// <summary>The supervisory controller changed its decision.</summary>
    ControlDecision,

    /// <summary>The standby generators started.</summary>
    GeneratorStart,

    /// <summary>The generators took the load.</summary>
    GeneratorOnline,

    /// <summary>The UPS battery ran out.</summary>
    UpsDepleted,

    /// <summary>The facility drew more than the grid limit in force.</summary>
    GridLimitExceeded,

    /// <summary>A hybrid chiller's engine failed to start.</summary>
    EngineStartFailed,

    /// <summary>A chiller ran outside its curves' data (extrapolated on lift, or held at a limit).</summary>
    CurveExtrapolated,
    /// <summary>A manual control took effect or was released (a session call or the scenario's <c>controls</c>).</summary>
    ManualControl,

    /// <summary>A rack's accelerators reached the die's shutdown temperature and turned off.</summary>
    AcceleratorShutdown,

    /// <summary>A shut-down rack's accelerators came back (die below the limit, restart time passed).</summary>
    AcceleratorRestart,

    /// <summary>A synchronous training job stopped with a rank, back to its last checkpoint.</summary>
    TrainingInterrupted,

    /// <summary>A stopped training job computes again from its checkpoint.</summary>
    TrainingResumed,
}
