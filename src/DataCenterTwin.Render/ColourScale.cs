namespace DataCenterTwin.Render;

/// <summary>An RGB colour, each channel 0–1.</summary>
public readonly record struct Rgb(float R, float G, float B)
{
    /// <summary>The colour as 8-bit channels.</summary>
    public (byte R, byte G, byte B) Bytes => ((byte)Math.Round(R * 255), (byte)Math.Round(G * 255), (byte)Math.Round(B * 255));

    /// <summary>Linear blend from this colour (t = 0) to <paramref name="other"/> (t = 1).</summary>
    public Rgb Mix(Rgb other, double t) =>
        new((float)(R + ((other.R - R) * t)), (float)(G + ((other.G - G) * t)), (float)(B + ((other.B - B) * t)));
}

/// <summary>One entry of a legend: a colour and what it means.</summary>
public readonly record struct LegendEntry(Rgb Colour, string Label);

/// <summary>
/// The colours of the view. Inlet temperature in the bands of ASHRAE TC 9.9, "Thermal Guidelines
/// for Data Processing Environments" (5th ed., 2021): recommended 18–27 °C, class A1 allowable
/// 15–32 °C, A2 allowable 10–35 °C; the rest on sequential scales.
/// </summary>
public static class ColourScale
{
    /// <summary>Below A1 allowable (&lt; 15 °C).</summary>
    public static readonly Rgb TooCold = new(0.15f, 0.25f, 0.75f);

    /// <summary>A1 allowable, below recommended (15–18 °C).</summary>
    public static readonly Rgb Cool = new(0.35f, 0.65f, 0.95f);

    /// <summary>ASHRAE recommended (18–27 °C).</summary>
    public static readonly Rgb Recommended = new(0.20f, 0.75f, 0.30f);

    /// <summary>A1 allowable above recommended (27–32 °C).</summary>
    public static readonly Rgb Warm = new(0.98f, 0.80f, 0.15f);

    /// <summary>A2 allowable only (32–35 °C).</summary>
    public static readonly Rgb Hot = new(0.98f, 0.45f, 0.05f);

    /// <summary>Beyond A2 (&gt; 35 °C).</summary>
    public static readonly Rgb TooHot = new(0.85f, 0.05f, 0.05f);

    private static readonly Rgb[] Sequential = [new(0.27f, 0.00f, 0.33f), new(0.23f, 0.32f, 0.55f), new(0.13f, 0.57f, 0.55f), new(0.37f, 0.79f, 0.38f), new(0.99f, 0.91f, 0.15f)];
    private static readonly (double C, Rgb Colour)[] Coolant = [(10, new(0.15f, 0.35f, 0.95f)), (20, new(0.25f, 0.80f, 0.90f)), (30, new(0.98f, 0.85f, 0.30f)), (45, new(0.90f, 0.15f, 0.10f))];

    /// <summary>The colour of a rack inlet temperature.</summary>
    public static Rgb Inlet(double c) => c switch
    {
        < 15 => TooCold,
        < 18 => Cool,
        <= 27 => Recommended,
        <= 32 => Warm,
        <= 35 => Hot,
        _ => TooHot,
    };

    /// <summary>A fraction 0–1 on the sequential scale (dark violet to yellow).</summary>
    public static Rgb Fraction(double f)
    {
        if (!double.IsFinite(f))
        {
            return new Rgb(0.4f, 0.4f, 0.4f);
        }

        double x = Math.Clamp(f, 0, 1) * (Sequential.Length - 1);
        int i = Math.Min((int)x, Sequential.Length - 2);
        return Sequential[i].Mix(Sequential[i + 1], x - i);
    }

    /// <summary>A clock factor: full clocks green-grey, throttled toward magenta.</summary>
    public static Rgb Clock(double speedFactor) =>
        new Rgb(0.55f, 0.75f, 0.55f).Mix(new Rgb(0.85f, 0.10f, 0.65f), Math.Clamp((1 - speedFactor) / 0.7, 0, 1));

    /// <summary>A coolant temperature, cold blue to hot red.</summary>
    public static Rgb CoolantC(double c)
    {
        if (!double.IsFinite(c))
        {
            return new Rgb(0.5f, 0.5f, 0.5f);
        }

        if (c <= Coolant[0].C)
        {
            return Coolant[0].Colour;
        }

        for (int i = 1; i < Coolant.Length; i++)
        {
            if (c <= Coolant[i].C)
            {
                return Coolant[i - 1].Colour.Mix(Coolant[i].Colour, (c - Coolant[i - 1].C) / (Coolant[i].C - Coolant[i - 1].C));
            }
        }

        return Coolant[^1].Colour;
    }

    /// <summary>A chiller's mode colour.</summary>
    public static Rgb Mode(ChillerMode mode) => mode switch
    {
        ChillerMode.Electric => new Rgb(0.20f, 0.45f, 0.95f),
        ChillerMode.Gas => new Rgb(1.00f, 0.55f, 0.00f),
        ChillerMode.Split => new Rgb(0.65f, 0.35f, 0.85f),
        ChillerMode.Tripped => new Rgb(0.85f, 0.05f, 0.05f),
        _ => new Rgb(0.45f, 0.45f, 0.45f),
    };

    /// <summary>The colour of a rack for <paramref name="by"/>.</summary>
    public static Rgb Rack(in RackView r, double designPowerW, ColorBy by) => by switch
    {
        ColorBy.Power => Fraction(designPowerW > 0 ? r.PowerW / designPowerW : double.NaN),
        ColorBy.Utilisation => Fraction(r.Utilisation),
        ColorBy.Clock => Clock(r.SpeedFactor),
        _ => Inlet(r.InletC),
    };

    /// <summary>The legend of a rack colouring: its title and entries.</summary>
    public static (string Title, IReadOnlyList<LegendEntry> Entries) Legend(ColorBy by) => by switch
    {
        ColorBy.Power => ("Rack power (of design)", Steps(Fraction, 0, 1, 5, v => $"{v * 100:F0} %")),
        ColorBy.Utilisation => ("Rack utilisation", Steps(Fraction, 0, 1, 5, v => $"{v * 100:F0} %")),
        ColorBy.Clock => ("Clock factor (throttling)", Steps(Clock, 1, 0.3, 4, v => $"{v:F2}")),
        _ => ("Rack inlet (ASHRAE TC 9.9)",
        [
            new(TooCold, "< 15 °C"), new(Cool, "15–18 °C A1"), new(Recommended, "18–27 °C recommended"),
            new(Warm, "27–32 °C A1 allowable"), new(Hot, "32–35 °C A2"), new(TooHot, "> 35 °C"),
        ]),
    };

    /// <summary>The legend of the pipes.</summary>
    public static IReadOnlyList<LegendEntry> CoolantLegend() => Steps(CoolantC, 10, 45, 5, v => $"{v:F0} °C");

    /// <summary>The legend of the chillers.</summary>
    public static IReadOnlyList<LegendEntry> ModeLegend() =>
        [.. Enum.GetValues<ChillerMode>().Select(m => new LegendEntry(Mode(m), m.ToString().ToLowerInvariant()))];

    private static LegendEntry[] Steps(Func<double, Rgb> colour, double from, double to, int count, Func<double, string> label)
    {
        var entries = new LegendEntry[count];
        for (int i = 0; i < count; i++)
        {
            double v = from + ((to - from) * i / (count - 1));
            entries[i] = new LegendEntry(colour(v), label(v));
        }

        return entries;
    }
}
