namespace DataCenterTwin.Model.Control;

/// <summary>
/// A supervisory control policy: from what the facility did last step, what to ask of the plant
/// and the hall next. One file per policy; the controller calls it once per control step.
/// </summary>
public interface IControlPolicy
{
    /// <summary>The name scenarios and logs use (<c>electric-first</c>, <c>capacity-unlock</c>).</summary>
    string Name { get; }

    /// <summary>Decides the next step.</summary>
    ControlDecision Decide(in FacilitySnapshot facility);
}
