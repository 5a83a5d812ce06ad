namespace DataCenterTwin.Runs.Report;

/// <summary>
/// What the report plots: one point per output interval for each named series, the run's events,
/// and latency histograms. Series are added in the order they should appear.
/// </summary>
internal sealed class RunRecording
{
    private readonly Dictionary<string, List<double>> _series = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];

    /// <summary>The run's start in site local time (for calendar months).</summary>
    public DateTime Start { get; set; }

    /// <summary>The hall's layout, for the report's top views; null: none drawn.</summary>
    public Model.Topology.HallTopology? Topology { get; set; }

    /// <summary>Per rack: the highest interval-mean inlet temperature, °C.</summary>
    public double[] RackPeakInletC { get; private set; } = [];

    /// <summary>Per rack: IT energy so far, J (over <see cref="RackSeconds"/>, the mean power).</summary>
    public double[] RackEnergyJ { get; private set; } = [];

    /// <summary>Seconds of rack intervals recorded (rack 0's).</summary>
    public double RackSeconds { get; private set; }

    /// <summary>Adds one rack interval (arrays grow on the first interval only).</summary>
    public void AddRack(int rack, double inletC, double powerW, double durationS)
    {
        if (rack >= RackPeakInletC.Length)
        {
            int n = Math.Max(rack + 1, Topology?.Racks.Count ?? 0);
            var peaks = new double[n];
            Array.Fill(peaks, double.NaN);
            RackPeakInletC.CopyTo(peaks, 0);
            var energy = new double[n];
            RackEnergyJ.CopyTo(energy, 0);
            (RackPeakInletC, RackEnergyJ) = (peaks, energy);
        }

        if (double.IsFinite(inletC) && !(inletC <= RackPeakInletC[rack]))
        {
            RackPeakInletC[rack] = inletC;
        }

        RackEnergyJ[rack] += double.IsFinite(powerW) ? powerW * durationS : 0;
        if (rack == 0)
        {
            RackSeconds += durationS;
        }
    }

    /// <summary>Interval start times, hours since the start of the run.</summary>
    public List<double> TimeH { get; } = [];

    /// <summary>Events: hours since the start and a label.</summary>
    public List<(double TimeH, string Label)> Events { get; } = [];

    /// <summary>Latency histograms: name → (bin labels, counts).</summary>
    public List<(string Name, string[] Labels, double[] Counts)> Histograms { get; } = [];

    public IReadOnlyList<string> SeriesNames => _order;

    public void AddPoint(double timeH) => TimeH.Add(timeH);

    public void Add(string series, double value)
    {
        if (!_series.TryGetValue(series, out var list))
        {
            list = [];
            _series.Add(series, list);
            _order.Add(series);
        }

        list.Add(value);
    }

    public bool Has(string series) => _series.ContainsKey(series);

    public double[] Get(string series) => _series.TryGetValue(series, out var list) ? [.. list] : new double[TimeH.Count];

    /// <summary>
    /// The series reduced to at most <paramref name="maxPoints"/> points (bucket means, or maxima
    /// where peaks matter), so that a year at one-minute resolution stays a light page.
    /// </summary>
    public (double[] X, double[] Y) Downsampled(string series, bool maxima = false, int maxPoints = 1500)
    {
        var x = TimeH.ToArray();
        var y = Get(series);
        if (x.Length <= maxPoints)
        {
            return (x, y);
        }

        int buckets = maxPoints;
        var bx = new double[buckets];
        var by = new double[buckets];
        for (int b = 0; b < buckets; b++)
        {
            int from = (int)((long)b * x.Length / buckets), to = (int)((long)(b + 1) * x.Length / buckets);
            double sum = 0, peak = double.NegativeInfinity;
            int n = 0;
            for (int i = from; i < to; i++)
            {
                if (double.IsFinite(y[i]))
                {
                    sum += y[i];
                    peak = Math.Max(peak, y[i]);
                    n++;
                }
            }

            bx[b] = x[from];
            by[b] = n == 0 ? double.NaN : maxima ? peak : sum / n;
        }

        return (bx, by);
    }
}
