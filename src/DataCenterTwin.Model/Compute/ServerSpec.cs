namespace DataCenterTwin.Model.Compute;

/// <summary>A server: its accelerators and the rest of it (CPUs, memory, NICs, fans) as a constant host power.</summary>
/// <param name="Name">Catalog name (<c>DGX-H100</c>).</param>
/// <param name="Accelerator">The accelerator it holds.</param>
/// <param name="AcceleratorsPerServer">Accelerators per server.</param>
/// <param name="HostPowerW">Power of everything but the accelerators, W.</param>
public sealed record ServerSpec(string Name, AcceleratorSpec Accelerator, int AcceleratorsPerServer, double HostPowerW);
