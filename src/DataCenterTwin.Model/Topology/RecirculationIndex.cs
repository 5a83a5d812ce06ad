namespace DataCenterTwin.Model.Topology;

/// <summary>
/// How a rack's place in the hall shares out the hall's hot-air recirculation: a weight per rack,
/// mean 1, that multiplies the design recirculation fraction at its inlet (the hall's total, and so
/// the CRAHs' air balance, unchanged).
/// </summary>
/// <remarks>
/// Exhaust reaches an intake by two kinds of path: over the top of the row, which every rack has
/// (in a contained aisle the leakage through the containment), and around an open end of a row,
/// which only the racks standing at one have: hot air wraps round the row end into the cold aisle,
/// so end-of-row racks run the hottest inlets in open-aisle halls (Schmidt, Cruz and Iyengar,
/// "Challenges of data center thermal management", IBM J. Res. Dev. 49(4/5), 2005; VanGilder and
/// Shrivastava, "Capture Index: an airflow-based rack cooling performance metric", ASHRAE Trans.
/// 113(1), 2007). Aisle containment puts doors on both ends of its aisle, which closes that path for
/// both rows beside it; an in-row CDU at a row's east end closes that end. Each path counts once,
/// as large as the top (an assumption: the sources give the mechanism, no general ratio), so a rack
/// at one open end weighs twice an interior rack before the weights are scaled to mean 1; a hall
/// with every end closed has the same weight everywhere. assets/cooling/README.md.
/// </remarks>
public static class RecirculationIndex
{
    /// <summary>Weight per rack, in rack index order, mean 1.</summary>
    public static double[] Weights(HallTopology topology)
    {
        ArgumentNullException.ThrowIfNull(topology);
        var racks = topology.Racks;
        var weights = new double[racks.Count];
        double pitch = topology.Layout.RackPitchM;
        foreach (var row in topology.Rows)
        {
            // The row's two aisles are topology.Aisles[row.Index] (south) and [row.Index + 1] (north).
            bool closed = topology.Aisles[row.Index].Contained || topology.Aisles[row.Index + 1].Contained;
            bool cduAtEastEnd = row.LengthM > (row.RackCount * pitch) + 1e-9;
            for (int s = 0; s < row.RackCount; s++)
            {
                int openEnds = 0;
                if (!closed)
                {
                    openEnds += s == 0 ? 1 : 0;
                    openEnds += s == row.RackCount - 1 && !cduAtEastEnd ? 1 : 0;
                }

                weights[row.FirstRack + s] = 1 + openEnds;
            }
        }

        double mean = weights.Average();
        for (int i = 0; i < weights.Length; i++)
        {
            weights[i] /= mean;
        }

        return weights;
    }
}
