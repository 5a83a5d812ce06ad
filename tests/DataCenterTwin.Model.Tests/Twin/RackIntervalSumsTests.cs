using DataCenterTwin.Model.Twin;

namespace DataCenterTwin.Model.Tests.Twin;

/// <summary>
/// The rack sums add four racks at a time; one rack at a time is the reference. Both must give the
/// same bits over racks and slices that are not multiples of four, and on the awkward values: NaN
/// (no liquid), zero airflow, ±0, a clock below 1, temperatures below the maxima's zero start.
/// </summary>
public class RackIntervalSumsTests
{
    [Fact]
    public void TwoRacksTwoSteps_AreTheHandWorkedSums()
    {
        // Rack 0 liquid-cooled, rack 1 air only with no airflow; 60 s steps.
        var sums = new RackIntervalSums(2);
        double[] liquid = [1, 0];
        sums.Add(Readings(60, power: [1000, 2000], inlet: [20, 25], airHeat: [1206, 0], airflow: [0.1, 0], supply: [30, double.NaN], liquid, coolantOut: [40, 50], die: [70, 60], speed: [1, 0.5]), 0, 2);
        sums.Add(Readings(60, power: [3000, 2000], inlet: [22, 24], airHeat: [2412, 0], airflow: [0.1, 0], supply: [31, double.NaN], liquid, coolantOut: [41, 50], die: [65, 61], speed: [0.8, 1]), 0, 2);

        Assert.Equal(240e3, sums.PowerJ[0]);
        Assert.Equal(240e3, sums.PowerJ[1]);
        Assert.Equal((20 + 22) * 60.0, sums.InletCs[0]);
        Assert.Equal(22, sums.InletMaxC[0]);
        Assert.Equal(25, sums.InletMaxC[1]);

        // 1,206 W into 0.1 m³/s of air at 1,207.2 J/(m³·K) warms it by 9.99 K; twice that on step 2.
        double rise = 1206 / (1.2 * 1006 * 0.1);
        Assert.Equal(((20 + rise) * 60) + ((22 + (2 * rise)) * 60), sums.OutletCs[0], 9);
        Assert.Equal((25 + 24) * 60.0, sums.OutletCs[1]); // no airflow: the outlet is the inlet
        Assert.Equal((30 + 31) * 60.0, sums.SupplyCs[0]);
        Assert.True(double.IsNaN(sums.SupplyCs[1]));
        Assert.Equal((40 + 41) * 60.0, sums.ReturnCs[0]);
        Assert.True(double.IsNaN(sums.ReturnCs[1]));
        Assert.Equal(70, sums.AccelMaxC[0]);
        Assert.Equal(61, sums.AccelMaxC[1]);
        Assert.Equal(60, sums.ThrottledS[0]);
        Assert.Equal(60, sums.ThrottledS[1]);
        Assert.Equal((1 + 0.8) * 60, sums.SpeedS[0], 12);
        Assert.Equal((0.5 + 1) * 60, sums.SpeedS[1], 12);

        sums.Clear();
        Assert.All(new[] { sums.PowerJ, sums.InletMaxC, sums.ReturnCs, sums.SpeedS }, a => Assert.All(a, v => Assert.Equal(0, v)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(7)]
    [InlineData(64)]
    [InlineData(67)]
    public void FourAtATime_GivesTheBitsOfOneAtATime(int racks)
    {
        var rng = new Random(racks);
        var vector = new RackIntervalSums(racks);
        var scalar = new RackIntervalSums(racks);
        double[] awkward = [double.NaN, 0.0, -0.0, -5, 1, 0.999999, double.PositiveInfinity, 1e-300];
        for (int step = 0; step < 40; step++)
        {
            double[] Values(double scale) => [.. Enumerable.Range(0, racks).Select(_ => rng.Next(10) == 0 ? awkward[rng.Next(awkward.Length)] : (rng.NextDouble() - 0.1) * scale)];
            double[] liquid = [.. Enumerable.Range(0, racks).Select(r => r % 3 == 0 ? 0.0 : 1.0)];
            double[] supply = [.. Enumerable.Range(0, racks).Select(r => liquid[r] == 0 ? double.NaN : 20 + rng.NextDouble())];
            double[] speed = [.. Enumerable.Range(0, racks).Select(_ => rng.Next(4) switch { 0 => 1.0, 1 => 0.0, 2 => -0.0, _ => rng.NextDouble() })];
            var readings = Readings(60, Values(40e3), Values(35), Values(20e3), Values(2), supply, liquid, Values(50), Values(90), speed);

            // Slices that start and end off the four-rack grid, as the step's workers may cut them.
            int cut = racks / 3;
            vector.Add(readings, 0, cut);
            vector.Add(readings, cut, racks);
            scalar.Add(readings, 0, racks, vectorized: false);
        }

        double[][] v = [vector.PowerJ, vector.InletCs, vector.InletMaxC, vector.OutletCs, vector.SupplyCs, vector.ReturnCs, vector.AccelMaxC, vector.ThrottledS, vector.SpeedS];
        double[][] s = [scalar.PowerJ, scalar.InletCs, scalar.InletMaxC, scalar.OutletCs, scalar.SupplyCs, scalar.ReturnCs, scalar.AccelMaxC, scalar.ThrottledS, scalar.SpeedS];
        for (int k = 0; k < v.Length; k++)
        {
            for (int r = 0; r < racks; r++)
            {
                Assert.True(BitConverter.DoubleToInt64Bits(s[k][r]) == BitConverter.DoubleToInt64Bits(v[k][r]), $"quantity {k}, rack {r}: {v[k][r]:R} against {s[k][r]:R}");
            }
        }
    }

    [Fact]
    public void ReadingsShorterThanTheRacks_AreRefused()
    {
        var sums = new RackIntervalSums(4);
        double[] three = [1, 2, 3];
        double[] four = [1, 2, 3, 4];
        Assert.Throws<ArgumentOutOfRangeException>(() => sums.Add(Readings(60, three, four, four, four, four, four, four, four, four), 0, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => sums.Add(Readings(60, four, four, four, four, four, four, four, four, four), 2, 5));
    }

    private static RackStepReadings Readings(double dtS, double[] power, double[] inlet, double[] airHeat, double[] airflow, double[] supply,
        double[] liquid, double[] coolantOut, double[] die, double[] speed) => new()
        {
            DtS = dtS,
            PowerW = power,
            InletC = inlet,
            AirHeatW = airHeat,
            AirflowM3PerS = airflow,
            SupplyC = supply,
            Liquid = liquid,
            CoolantOutC = coolantOut,
            AcceleratorC = die,
            SpeedFactor = speed,
        };
}
