namespace DataCenterTwin.Model.Cooling;

/// <summary>Which driver turns a hybrid chiller's compressor.</summary>
public enum HybridMode
{
    /// <summary>Electric motor only.</summary>
    Electric,

    /// <summary>Gas engine only; the motor idles (parasitics remain).</summary>
    Gas,

    /// <summary>A fixed share of the load on the engine, the rest on the motor.</summary>
    Split,

    /// <summary>The plant's <see cref="IHybridModePolicy"/> sets the gas share from the grid signal.</summary>
    GridResponsive,
}

/// <summary>State of a hybrid chiller's gas engine.</summary>
public enum EngineState
{
    /// <summary>Stopped.</summary>
    Off,

    /// <summary>Cranking and warming up: carries no load yet.</summary>
    Starting,

    /// <summary>Running; its share ramps toward the target.</summary>
    Running,
}
