namespace DataCenterTwin.Model.Compute;

/// <summary>
/// Measured iteration times of one model on one accelerator type at one tensor-parallel degree
/// (e.g. the Splitwise profiles): prefill time against prompt tokens in the iteration, decode
/// iteration time against batch size at a reference context, and against context at batch 1.
/// Points are sorted by their abscissa; times in seconds.
/// </summary>
/// <param name="Model">The model's name.</param>
/// <param name="Accelerator">The accelerator type's name.</param>
/// <param name="TensorParallel">Accelerators per replica.</param>
/// <param name="PrefillTokens">Prompt tokens processed in one prefill iteration.</param>
/// <param name="PrefillS">Prefill iteration time at each point, s.</param>
/// <param name="DecodeBatch">Batch sizes.</param>
/// <param name="DecodeBatchS">Decode iteration time at each batch size and the reference context, s.</param>
/// <param name="DecodeReferenceContext">Context tokens per sequence at which the batch curve was measured.</param>
/// <param name="DecodeContext">Context tokens per sequence.</param>
/// <param name="DecodeContextS">Decode iteration time at batch 1 and each context, s.</param>
/// <param name="Source">Where the points come from.</param>
public sealed record ServingProfile(
    string Model,
    string Accelerator,
    int TensorParallel,
    double[] PrefillTokens,
    double[] PrefillS,
    double[] DecodeBatch,
    double[] DecodeBatchS,
    double DecodeReferenceContext,
    double[] DecodeContext,
    double[] DecodeContextS,
    string Source);
