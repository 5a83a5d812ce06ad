namespace DataCenterTwin.Model.Cooling;

/// <summary>
/// The YorkCalc cooling-tower approach correlation (York International 2002, as built into
/// EnergyPlus's <c>CoolingTower:VariableSpeed</c>): approach = f(wet-bulb, range, liquid-to-gas
/// ratio), 27 terms. Coefficients, term order and validity limits from the EnergyPlus Engineering
/// Reference, "Variable Speed Cooling Towers Empirical Models", Tables 63 and 64 (see
/// assets/cooling/README.md).
/// </summary>
public static class YorkCalc
{
    // EnergyPlus Engineering Reference, Table 63, YorkCalc column, Coeff(1)..Coeff(27).
    private static readonly double[] s_c =
    [
        -0.359741205, -0.055053608, 0.0023850432,
        0.173926877, -0.0248473764, 0.00048430224,
        -0.005589849456, 0.0005770079712, -1.342427256E-05,
        2.84765801111111, -0.121765149, 0.0014599242,
        1.680428651, -0.0166920786, -0.0007190532,
        -0.025485194448, 4.87491696E-05, 2.719234152E-05,
        -0.06537662555556, -0.002278167, 0.0002500254,
        -0.0910565458, 0.00318176316, 3.8621772E-05,
        -0.0034285382352, 8.56589904E-06, -1.516821552E-06,
    ];

    /// <summary>Lowest and highest inlet wet-bulb the correlation is used at (Table 64), °C; EnergyPlus limits the input to them.</summary>
    public const double MinWetBulbC = -34.4;

    /// <inheritdoc cref="MinWetBulbC"/>
    public const double MaxWetBulbC = 26.67;

    /// <summary>Water flow-rate ratio limits (Table 64); EnergyPlus limits the input to them.</summary>
    public const double MinWaterFlowRatio = 0.75;

    /// <inheritdoc cref="MinWaterFlowRatio"/>
    public const double MaxWaterFlowRatio = 1.25;

    /// <summary>Largest liquid-to-gas ratio of the data (Table 64).</summary>
    public const double MaxLiquidToGasRatio = 8;

    /// <summary>Range limits of the data (Table 64), K.</summary>
    public const double MinRangeK = 1.1;

    /// <inheritdoc cref="MinRangeK"/>
    public const double MaxRangeK = 22.2;

    /// <summary>
    /// <see cref="ApproachK"/> at a fixed wet-bulb and range, for searches over the liquid-to-gas
    /// ratio: the terms without it summed once and each other term's factors before it multiplied
    /// once, in the order <see cref="ApproachK"/> works them, so <see cref="At"/> gives the same bits.
    /// </summary>
    public readonly struct AtWetBulbAndRange
    {
        private readonly double _s, _k9, _k10, _k11, _k12, _k13, _k14, _k15, _k16, _k17,
            _k18, _k19, _k20, _k21, _k22, _k23, _k24, _k25, _k26, _sumL, _sumL2, _absL, _absL2;

        /// <summary>Fixes the wet-bulb (°C, held to the data's limits) and the range (K).</summary>
        public AtWetBulbAndRange(double wetBulbC, double rangeK)
        {
            double t = Math.Clamp(wetBulbC, MinWetBulbC, MaxWetBulbC);
            double r = rangeK;
            var c = s_c;
            double t2 = t * t, r2 = r * r;
            _s = c[0] + (c[1] * t) + (c[2] * t2) + (c[3] * r) + (c[4] * t * r) + (c[5] * t2 * r) + (c[6] * r2) + (c[7] * t * r2) + (c[8] * t2 * r2);
            _k9 = c[9];
            _k10 = c[10] * t;
            _k11 = c[11] * t2;
            _k12 = c[12] * r;
            _k13 = c[13] * t * r;
            _k14 = c[14] * t2 * r;
            _k15 = c[15] * r2;
            _k16 = c[16] * t * r2;
            _k17 = c[17] * t2 * r2;
            _k18 = c[18];
            _k19 = c[19] * t;
            _k20 = c[20] * t2;
            _k21 = c[21] * r;
            _k22 = c[22] * t * r;
            _k23 = c[23] * t2 * r;
            _k24 = c[24] * r2;
            _k25 = c[25] * t * r2;
            _k26 = c[26] * t2 * r2;
            _sumL = _k9 + _k10 + _k11 + _k12 + _k13 + _k14 + _k15 + _k16 + _k17;
            _sumL2 = _k18 + _k19 + _k20 + _k21 + _k22 + _k23 + _k24 + _k25 + _k26;
            _absL = Math.Abs(_k9) + Math.Abs(_k10) + Math.Abs(_k11) + Math.Abs(_k12) + Math.Abs(_k13) + Math.Abs(_k14)
                + Math.Abs(_k15) + Math.Abs(_k16) + Math.Abs(_k17);
            _absL2 = Math.Abs(_k18) + Math.Abs(_k19) + Math.Abs(_k20) + Math.Abs(_k21) + Math.Abs(_k22) + Math.Abs(_k23)
                + Math.Abs(_k24) + Math.Abs(_k25) + Math.Abs(_k26);
        }

        /// <summary>
        /// Whether the approach at this liquid-to-gas ratio is above <paramref name="approachK"/>,
        /// as <c>At(liquidToGasRatio) &gt; approachK</c> says. The polynomial is first worked as a
        /// quadratic in L/G (three terms, other roundings); where that lies further from
        /// <paramref name="approachK"/> than a bound on the two roundings' difference, its side is
        /// <see cref="At"/>'s, and only nearer is <see cref="At"/> worked. A bisection's
        /// first steps, far from the root, are then cheap and its result the same bits.
        /// </summary>
        public bool Above(double liquidToGasRatio, double approachK)
        {
            double l = liquidToGasRatio;
            double quadratic = _s + (l * (_sumL + (l * _sumL2)));
            // Each form is a sum of at most 19 rounded products of rounded products: together they
            // differ by under about 60 units of rounding (2^-52 ≈ 2.2e-16) of the sum of the terms'
            // magnitudes; 1e-12 of it leaves a margin of about 80.
            double margin = 1e-12 * (Math.Abs(_s) + (l * (_absL + (l * _absL2))));
            double gap = quadratic - approachK;
            if (gap > margin)
            {
                return true;
            }

            if (gap < -margin)
            {
                return false;
            }

            return At(l) > approachK;
        }

        /// <summary>
        /// For a bisection over the air-flow ratio in [<paramref name="minAirFlowRatio"/>, 1] that asks
        /// <see cref="Above"/> at L/G = <paramref name="waterFlowRatio"/> / air: air ratios at or under
        /// <c>Below</c> are proven to give "above <paramref name="approachK"/>" and those at or over
        /// <c>Above</c> to give "not above", so a bisection decides them by a comparison and works the
        /// approach only between the two (a window of 2e-10 of the ratio about the root: the last
        /// seven or so of its steps). (−∞, +∞) when nothing is proven.
        /// </summary>
        /// <remarks>
        /// The proof: let P be the polynomial in L/G with the stored terms' exact sums. When P rises
        /// over the whole search range (its slope, linear in L/G, is positive at both ends by more
        /// than its rounding), each air ratio at or under <c>Below</c> gives an L/G at or over
        /// W/<c>Below</c> (rounded division is monotone), where P is at least what it is there; the
        /// quadratic form shows that to be above the need by more than <see cref="Above"/>'s margin
        /// at the range's top, which bounds both forms' distance from P (each is within about 30
        /// units of rounding of it). So <see cref="At"/> there is above the need; the same way under
        /// it at and over <c>Above</c>. The root itself comes from the quadratic formula and need
        /// not be exact: the window is checked, not trusted.
        /// </remarks>
        public (double Below, double Above) SidesOfRoot(double waterFlowRatio, double minAirFlowRatio, double approachK)
        {
            double w = waterFlowRatio;
            double lMin = w, lMax = w / minAirFlowRatio; // L/G at air ratios 1 and the minimum
            double b = _sumL, c = _sumL2;
            double slopeRounding = 1e-9 * (_absL + (2 * lMax * _absL2));
            double margin = 1e-12 * (Math.Abs(_s) + (lMax * (_absL + (lMax * _absL2))));
            if (!(minAirFlowRatio > 0 && b + (2 * c * lMin) > slopeRounding && b + (2 * c * lMax) > slopeRounding))
            {
                return (double.NegativeInfinity, double.PositiveInfinity);
            }

            // The rising root of c·L² + b·L + (s − need), in the form without cancellation.
            double a0 = _s - approachK;
            double sq = Math.Sqrt((b * b) - (4 * c * a0));
            double root = b > 0 ? -2 * a0 / (b + sq) : (sq - b) / (2 * c);
            double air = w / root;
            double below = air * (1 - 1e-10), above = air * (1 + 1e-10);
            double lBelow = w / below, lAbove = w / above;
            if (below >= minAirFlowRatio && above <= 1
                && _s + (lBelow * (_sumL + (lBelow * _sumL2))) - approachK > margin
                && _s + (lAbove * (_sumL + (lAbove * _sumL2))) - approachK < -margin)
            {
                return (below, above);
            }

            return (double.NegativeInfinity, double.PositiveInfinity);
        }

        /// <summary>The approach at this liquid-to-gas ratio, K: <see cref="ApproachK"/>'s value to the bit.</summary>
        public double At(double liquidToGasRatio)
        {
            double l = liquidToGasRatio;
            double l2 = l * l;
            return _s
                + (_k9 * l) + (_k10 * l) + (_k11 * l) + (_k12 * l) + (_k13 * l) + (_k14 * l)
                + (_k15 * l) + (_k16 * l) + (_k17 * l)
                + (_k18 * l2) + (_k19 * l2) + (_k20 * l2) + (_k21 * l2) + (_k22 * l2) + (_k23 * l2)
                + (_k24 * l2) + (_k25 * l2) + (_k26 * l2);
        }
    }

    /// <summary>
    /// Approach (leaving water above inlet wet-bulb), K, at a wet-bulb, a range (entering − leaving
    /// water) and a liquid-to-gas ratio (water-flow ratio over air-flow ratio). The wet-bulb is held
    /// to the data's limits, as EnergyPlus does; range and L/G are used as given.
    /// </summary>
    public static double ApproachK(double wetBulbC, double rangeK, double liquidToGasRatio)
    {
        double t = Math.Clamp(wetBulbC, MinWetBulbC, MaxWetBulbC);
        double r = rangeK;
        double l = liquidToGasRatio;
        var c = s_c;
        double t2 = t * t, r2 = r * r, l2 = l * l;
        return c[0] + (c[1] * t) + (c[2] * t2) + (c[3] * r) + (c[4] * t * r) + (c[5] * t2 * r) + (c[6] * r2) + (c[7] * t * r2) + (c[8] * t2 * r2)
            + (c[9] * l) + (c[10] * t * l) + (c[11] * t2 * l) + (c[12] * r * l) + (c[13] * t * r * l) + (c[14] * t2 * r * l)
            + (c[15] * r2 * l) + (c[16] * t * r2 * l) + (c[17] * t2 * r2 * l)
            + (c[18] * l2) + (c[19] * t * l2) + (c[20] * t2 * l2) + (c[21] * r * l2) + (c[22] * t * r * l2) + (c[23] * t2 * r * l2)
            + (c[24] * r2 * l2) + (c[25] * t * r2 * l2) + (c[26] * t2 * r2 * l2);
    }

    /// <summary>
    /// The water-flow ratio at which the correlation gives <paramref name="designApproachK"/> at full
    /// air flow, the design wet-bulb and range: EnergyPlus's calibration of a tower to the user's
    /// design point (the design water flow over the correlation's reference flow). Bisection.
    /// </summary>
    public static double ReferenceWaterFlowRatio(double designWetBulbC, double designRangeK, double designApproachK)
    {
        double lo = 0.05, hi = MaxLiquidToGasRatio;
        if (ApproachK(designWetBulbC, designRangeK, lo) > designApproachK || ApproachK(designWetBulbC, designRangeK, hi) < designApproachK)
        {
            throw new ArgumentException($"YorkCalc cannot reach a {designApproachK:G4} K approach at {designWetBulbC:G4} C wet-bulb and {designRangeK:G4} K range.");
        }

        for (int i = 0; i < 60; i++)
        {
            double mid = 0.5 * (lo + hi);
            if (ApproachK(designWetBulbC, designRangeK, mid) < designApproachK)
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }

        return 0.5 * (lo + hi);
    }
}
