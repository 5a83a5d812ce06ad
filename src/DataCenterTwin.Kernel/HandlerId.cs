namespace DataCenterTwin.Kernel;

/// <summary>
/// A handler registered with a <see cref="Simulator"/>. Events refer to handlers by this id and
/// checkpoints by the handler's path, so a restored kernel can rebind them to fresh objects.
/// </summary>
/// <param name="Index">The position of the handler in the simulator's table.</param>
public readonly record struct HandlerId(int Index);
