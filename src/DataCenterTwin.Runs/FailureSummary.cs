using System.Text.Json.Nodes;
using DataCenterTwin.Scenarios;

namespace DataCenterTwin.Runs;

/// <summary>
/// The summary's failure figures (issue 17): racks shut down at the die limit, training stops and
/// the work they threw away back to the last checkpoint, requests retried on another replica or lost.
/// </summary>
internal static class FailureSummary
{
    public static void Add(JsonObject o, JsonObject units, BuiltTwin built)
    {
        void Put(string key, double value, string unit)
        {
            o[key] = double.IsFinite(value) ? Math.Round(value, 6) : null;
            units[key] = unit;
        }

        var twin = built.Twin;
        var protection = twin.Parts.Cooling.Protection;
        double downS = 0;
        for (int r = 0; r < twin.Parts.It.RackCount; r++)
        {
            downS += protection.DownSeconds(r);
        }

        Put("accelerator_shutdowns", protection.Shutdowns, "1");
        Put("accelerator_shutdown_rack_hours", downS / 3600, "h");
        Put("training_interruptions", twin.TrainingInterruptions, "1");
        Put("training_work_lost_h", twin.TrainingLostWorkS / 3600, "h");
        Put("training_work_lost_accel_hours", twin.TrainingLostAcceleratorHours, "h");
        Put("requests_retried", twin.RequestsRetried, "1");
        Put("requests_lost", twin.RequestsLostToFailures, "1");
    }
}
