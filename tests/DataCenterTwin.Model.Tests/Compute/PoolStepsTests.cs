using DataCenterTwin.Kernel;
using DataCenterTwin.Model.Compute;

namespace DataCenterTwin.Model.Tests.Compute;

/// <summary>
/// A decode step at full clocks reads its compute share, wall share and speed from its pool's table
/// by batch size instead of working them out: each entry must be bit for bit what the plain path
/// (Roofline's share and step speed, the wall share at clock 1) gives, written out here.
/// </summary>
public class PoolStepsTests
{
    [Theory]
    [InlineData(0.0)]     // no ridge: every step is compute-bound (a share of 1)
    [InlineData(295.0)]   // about H100 SXM's (989 TFLOP/s over 3.35 TB/s)
    [InlineData(7.3)]
    public void DecodeStepTable_IsThePlainPathsNumbers(double ridgeFlopPerByte)
    {
        var accel = TestHardware.H100 with { RidgeFlopPerByte = ridgeFlopPerByte };
        var pool = TestHardware.Pool(racks: 2, server: TestHardware.Dgx with { Accelerator = accel }, batching: new BatchingSpec(MaxBatch: 96));
        var hall = TestHardware.Hall(new Simulator(1), pool);
        for (int b = 0; b <= 96; b++)
        {
            double x = Math.Max(0, (double)b) / ridgeFlopPerByte;
            double share = ridgeFlopPerByte > 0 ? x / (1 + x) : 1;
            double computeWall = share / 1.0;
            double total = computeWall + (1 - share);
            double wallShare = total > 0 ? computeWall / total : 0;
            double speed = 1 / ((share / 1.0) + (1 - share));
            var kept = hall.DecodeStepAtFullClocks(0, b);
            Assert.Equal(BitConverter.DoubleToInt64Bits(share), BitConverter.DoubleToInt64Bits(kept.Share));
            Assert.Equal(BitConverter.DoubleToInt64Bits(accel.Roofline.ComputeShare(b)), BitConverter.DoubleToInt64Bits(kept.Share));
            Assert.Equal(BitConverter.DoubleToInt64Bits(wallShare), BitConverter.DoubleToInt64Bits(kept.WallShare));
            Assert.Equal(BitConverter.DoubleToInt64Bits(speed), BitConverter.DoubleToInt64Bits(kept.Speed));
            Assert.Equal(BitConverter.DoubleToInt64Bits(accel.Roofline.StepSpeedAt(b, 1.0)), BitConverter.DoubleToInt64Bits(kept.Speed));
        }
    }
}
