namespace DataCenterTwin.Calibration.Sampling;

/// <summary>An unnormalised log posterior density over a parameter vector; −∞ where it is impossible.</summary>
public delegate double LogDensity(ReadOnlySpan<double> theta);
